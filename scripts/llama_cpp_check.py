# SPDX-License-Identifier: Apache-2.0
"""Optional, not part of `make test` (it needs llama.cpp): loads GGUF files with llama.cpp
itself (the llama-cpp-python binding, which builds llama.cpp from source: `pip install
llama-cpp-python` into any venv) and compares the logits after the prompt with those of the
firmware's float engine (tests/sw/dump_logits.c), and the greedy continuations.  llama.cpp
multiplies quantized weights with quantized activations (Q8_0 / Q8_K), so the logits agree to
about 1e-3 relative, not bit for bit, and near-ties may flip greedy tokens; a wrong
convention (RoPE pairing or frequencies, norms, activation, tensor layout) shows as a cosine
well below 0.999.  `make llama-cpp-check LLAMA_PY=...` runs it over every preset and type.

One difference is known and reported as such: llama.cpp's `bitnet` architecture is the
SiLU-gated BitNet of 1bitLLM/bitnet_b1_58 (llama.cpp's src/models/bitnet.cpp), while the
firmware's `bitnet` preset is BitNet b1.58 2B4T with ReLU^2 gating (its GGUF runs on
Microsoft's bitnet.cpp, not on llama.cpp).  With SiLU the float engine matches llama.cpp.

Usage: PYTHON_WITH_LLAMA_CPP scripts/llama_cpp_check.py DUMP_LOGITS EDGECIM FILE.gguf ...
"""
import json
import subprocess
import sys

import numpy as np
from llama_cpp import Llama

PROMPT, N, MIN_COS = [1, 2], 8, 0.999


def llama_cpp(path):
    m = Llama(model_path=path, n_ctx=64, verbose=False, logits_all=True)
    m.eval(PROMPT)
    logits = np.array(m.scores[len(PROMPT) - 1], dtype=np.float64)
    out = []
    for _ in range(N):
        t = int(m.sample(temp=0.0, top_k=1))
        out.append(t)
        m.eval([t])
    return logits, out


def firmware(dump_logits, edgecim, path):
    toks = ",".join(map(str, PROMPT))
    raw = subprocess.run([dump_logits, path, toks], capture_output=True, check=True).stdout
    r = subprocess.run([edgecim, "run", "--model", path, "--tokens", toks, "-n", str(N), "--backend", "float",
                        "--json", "--quiet"], capture_output=True, text=True, check=True)
    return np.frombuffer(raw, dtype=np.float32).astype(np.float64), json.loads(r.stdout)["generated"]


def main(dump_logits, edgecim, paths):
    bad = 0
    for p in paths:
        try:
            ll, lt = llama_cpp(p)
        except Exception as e:  # llama.cpp refused the file
            print("FAIL %s: llama.cpp cannot load it: %s" % (p, e))
            bad += 1
            continue
        fl, ft = firmware(dump_logits, edgecim, p)
        ll = ll[:fl.size]
        cos = float(fl @ ll / np.sqrt((fl @ fl) * (ll @ ll)))
        same = sum(x == y for x, y in zip(lt, ft))  # edgecim stops at EOS, this loop does not
        ok = cos >= MIN_COS
        known = not ok and "bitnet" in p  # see above: llama.cpp gates with SiLU, the preset with ReLU^2
        bad += not ok and not known
        print("%-5s %s: logit cosine %.6f, max |diff| %.4f, greedy tokens %d/%d agree%s" % (
            "ok" if ok else "KNOWN" if known else "DIFF", p, cos, float(np.abs(fl - ll).max()), same,
            min(len(lt), len(ft)), " (llama.cpp's bitnet gates with SiLU, the preset with ReLU^2)" if known else ""))
    print("%s: %d of %d files differ" % ("FAIL" if bad else "OK", bad, len(paths)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
