# SPDX-License-Identifier: Apache-2.0
"""The firmware's GGUF block formats against an independent implementation: the `gguf` PyPI
package (llama.cpp's gguf-py).  Reads the file of tests/sw/gguf_blocks.c with gguf.GGUFReader:

  - raw.T dequantized by gguf.quants must equal deq.T (the firmware's) in every bit;
  - q.T (the firmware's quantizer on src.T) dequantized by gguf.quants must be close to src.T
    (relative RMS error below a bound per type): the blocks are valid llama.cpp blocks;
  - where gguf.quants has a quantizer that follows ggml's reference exactly, q.T must be
    identical to it (reported per type).

Q8_K is not in gguf.quants (it is ggml's dot-product intermediate); its reference here is
ggml's dequantize_row_q8_K written out in numpy.  Usage: gguf_ref.py FILE.gguf
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf import GGUFReader
from gguf import quants

# Relative RMS error bounds of the quantizers on N(0, 1) data (the firmware's ports of ggml's
# reference quantizers reach about 60% of each).
BOUND = {"F32": 0.0, "F16": 1e-3, "BF16": 5e-3, "Q8_0": 0.01, "Q8_K": 0.01, "Q6_K": 0.03,
         "Q5_0": 0.06, "Q5_1": 0.06, "Q5_K": 0.06, "Q4_0": 0.12, "Q4_1": 0.12, "Q4_K": 0.12,
         "IQ4_NL": 0.12, "IQ4_XS": 0.12, "Q3_K": 0.25, "Q2_K": 0.45,
         "TQ1_0": 0.0, "TQ2_0": 0.0}  # the TQ sources are ternary: exact


def dequant_q8_k(raw):
    blocks = raw.reshape(-1, 292)
    d = blocks[:, :4].copy().view(np.float32)
    qs = blocks[:, 4:260].copy().view(np.int8).astype(np.float32)
    with np.errstate(over="ignore"):  # random scales: products may overflow to Inf, as in C
        return (d * qs).reshape(-1)


def dequant(t):
    if t.tensor_type == Q.Q8_K:
        return dequant_q8_k(np.asarray(t.data))
    return np.asarray(quants.dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(-1)


def main(path):
    np.seterr(over="ignore")
    r = GGUFReader(path)
    tensors = {t.name: t for t in r.tensors}
    names = sorted(n[4:] for n in tensors if n.startswith("raw."))
    fails = 0
    print("type      elements  dequant (bits)        quantizer rel. RMS error (bound)   vs gguf.quants quantizer")
    for tn in names:
        raw, deq, src, q = (tensors[p + tn] for p in ("raw.", "deq.", "src.", "q."))
        want = dequant(raw)
        got = np.asarray(deq.data, dtype=np.float32).reshape(-1)
        wb, gb = want.view(np.uint32), got.view(np.uint32)
        bad = np.nonzero(wb != gb)[0]
        ok_deq = want.size == got.size and bad.size == 0
        x = np.asarray(src.data, dtype=np.float32).reshape(-1)
        xq = dequant(q)
        rel = float(np.sqrt(np.mean((xq.astype(np.float64) - x) ** 2) / np.mean(x.astype(np.float64) ** 2)))
        ok_q = np.all(np.isfinite(xq)) and rel <= BOUND[tn]
        same = ""
        try:
            ref = quants.quantize(x.reshape(src.data.shape), q.tensor_type)
            n_diff = int(np.count_nonzero(np.asarray(ref).reshape(-1).view(np.uint8) !=
                                          np.asarray(q.data).reshape(-1).view(np.uint8)))
            same = "identical" if n_diff == 0 else "%d bytes differ" % n_diff
        except (NotImplementedError, ValueError, KeyError, AttributeError):
            same = "(no quantizer there)"
        status = "ok" if ok_deq and ok_q else "FAIL"
        print("%-7s %9d  %-20s  %.5f (%.4f)%-16s %s  %s" % (
            tn, want.size, "identical" if ok_deq else "%d differ" % bad.size, rel, BOUND[tn], "", same, status))
        if not ok_deq:
            for i in bad[:5]:
                print("   element %d: gguf.quants %r (0x%08x), firmware %r (0x%08x)" % (i, want[i], wb[i], got[i], gb[i]))
        fails += status != "ok"
    expected = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K",
                "Q5_K", "Q6_K", "Q8_K", "IQ4_NL", "IQ4_XS", "TQ1_0", "TQ2_0"}
    missing = expected - set(names)
    if missing:
        print("FAIL: types missing from the file: %s" % sorted(missing))
        fails += 1
    print("%s: %d failure(s)" % ("FAIL" if fails else "OK", fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
