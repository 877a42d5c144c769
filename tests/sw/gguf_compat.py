# SPDX-License-Identifier: Apache-2.0
"""`edgecim mkmodel` files read by an independent GGUF reader, the `gguf` PyPI package
(llama.cpp's gguf-py), and checked against what llama.cpp requires to load them:

  - the architecture is one gguf-py knows and every tensor name is one of that architecture's
    (gguf.constants.MODEL_TENSORS), with the shapes llama.cpp's loader creates
    (llama-model.cpp create_tensor) and the required tensors all present;
  - the hyper-parameter keys llama.cpp reads are there, with the right types, and agree with
    the shapes (rope.dimension_count == key_length, which llama.cpp checks for llama);
  - the tokenizer: tokenizer.ggml.model, tokens, token_type, merges (gpt2, required) or scores
    (llama), a pre-tokenizer llama.cpp knows, BOS/EOS inside the vocabulary, add_bos_token as
    the family's real files have it, Phi-3's <|endoftext|> (llama.cpp looks it up by name);
  - Llama-3 RoPE scaling as llama.cpp's converter writes it: a rope_freqs.weight F32 tensor
    and no rope.scaling.factor key (llama.cpp would read that as linear scaling);
  - norms and biases F32, the weights of the requested type, or of llama.cpp's Q4_K_M / Q5_K_M
    rule (re-implemented here from llama-quant.cpp) with its fallbacks;
  - every weight dequantized by gguf.quants is finite with the spread mkmodel draws it with.

Usage: gguf_compat.py FILE.gguf:TYPE ...   (TYPE is mkmodel's --type)
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf import GGUFReader, GGUFValueType
from gguf import quants
from gguf.constants import MODEL_ARCH_NAMES, MODEL_TENSORS, TENSOR_NAMES

fails = 0


def check(ok, what):
    global fails
    if not ok:
        fails += 1
        print("  FAIL: " + what)
    return ok


def field(r, key, default=None):
    f = r.fields.get(key)
    if f is None:
        return default
    v = f.contents()
    return v


# Per family (general.name prefix): BPE pre-tokenizer, add_bos_token, BOS and EOS texts, from
# the real models' GGUF files / tokenizer configs (llama.cpp: llama-bpe adds BOS; Qwen2.5 and
# Qwen3 files say add_bos_token false; SmolLM2's smollm and SmolLM3's smaug-bpe do not add
# it; Phi-3.5 files say false, with EOS <|endoftext|>; SentencePiece TinyLlama adds <s>).
FAMILIES = {
    "tinyllama": (None, True, "<s>", "</s>"),
    "phi3": (None, False, "<s>", "<|endoftext|>"),
    "llama3": ("llama-bpe", True, "<|begin_of_text|>", "<|end_of_text|>"),
    "bitnet": ("llama-bpe", True, "<|begin_of_text|>", "<|end_of_text|>"),
    "qwen2": ("qwen2", False, "<|endoftext|>", "<|endoftext|>"),
    "qwen3": ("qwen2", False, "<|endoftext|>", "<|im_end|>"),
    "smollm2": ("smollm", False, "<|endoftext|>", "<|endoftext|>"),
    "smollm3": ("smaug-bpe", False, "<|begin_of_text|>", "<|im_end|>"),
}

TYPES = {"f32": Q.F32, "f16": Q.F16, "bf16": Q.BF16, "q4_0": Q.Q4_0, "q4_1": Q.Q4_1, "q5_0": Q.Q5_0,
         "q5_1": Q.Q5_1, "q8_0": Q.Q8_0, "q2_k": Q.Q2_K, "q3_k": Q.Q3_K, "q4_k": Q.Q4_K, "q5_k": Q.Q5_K,
         "q6_k": Q.Q6_K, "q4_k_m": Q.Q4_K, "q5_k_m": Q.Q5_K, "iq4_nl": Q.IQ4_NL, "iq4_xs": Q.IQ4_XS,
         "tq1_0": Q.TQ1_0, "tq2_0": Q.TQ2_0}
# llama.cpp's llama_ftype numbers (llama.h) of each --type.
FILE_TYPES = {"f32": 0, "f16": 1, "q4_0": 2, "q4_1": 3, "q8_0": 7, "q5_0": 8, "q5_1": 9, "q2_k": 10,
              "q3_k": 11, "q4_k": 14, "q4_k_m": 15, "q5_k": 16, "q5_k_m": 17, "q6_k": 18,
              "iq4_nl": 25, "iq4_xs": 30, "bf16": 32, "tq1_0": 36, "tq2_0": 37}
BLOCK = {Q.F32: 1, Q.F16: 1, Q.BF16: 1, Q.Q4_0: 32, Q.Q4_1: 32, Q.Q5_0: 32, Q.Q5_1: 32, Q.Q8_0: 32,
         Q.IQ4_NL: 32}


def block(t):
    return BLOCK.get(t, 256)


def fallback(t, ne0):
    """llama-quant.cpp: the type of a tensor whose rows do not split into t's blocks."""
    if ne0 % block(t) == 0:
        return t
    t = {Q.TQ1_0: Q.Q4_0, Q.TQ2_0: Q.Q4_0, Q.Q2_K: Q.IQ4_NL, Q.Q3_K: Q.IQ4_NL, Q.IQ4_XS: Q.IQ4_NL,
         Q.Q4_K: Q.Q5_0, Q.Q5_K: Q.Q5_1, Q.Q6_K: Q.Q8_0}.get(t, t)
    return Q.F16 if ne0 % block(t) else t


def use_more_bits(i, n):
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def expected_type(mk_type, name, layer, n_layer, ne0, tied):
    base = TYPES[mk_type]
    t = base
    if mk_type in ("q4_k_m", "q5_k_m"):
        if name == "output.weight" or (tied and name == "token_embd.weight"):
            t = Q.Q8_0 if ne0 % block(base) else Q.Q6_K
        elif "attn_v.weight" in name or "ffn_down" in name:
            if use_more_bits(layer, n_layer):
                t = Q.Q6_K
        elif "attn_qkv.weight" in name:
            t = Q.Q5_K if mk_type == "q4_k_m" else Q.Q6_K
    return fallback(t, ne0)


def arch_tensor_names(arch, n_layer):
    enum = [a for a, n in MODEL_ARCH_NAMES.items() if n == arch]
    if not enum:
        return None
    names = set()
    for t in MODEL_TENSORS[enum[0]]:
        pattern = TENSOR_NAMES[t]
        for b in range(n_layer) if "{bid}" in pattern else [0]:
            names.add(pattern.format(bid=b))
    return names


def check_file(path, mk_type):
    r = GGUFReader(path)
    arch = field(r, "general.architecture")
    name = field(r, "general.name", "")
    print("%s (%s, %s, --type %s)" % (path, name, arch, mk_type))
    known = arch_tensor_names(arch, 1 << 10)
    if not check(known is not None, "architecture '%s' unknown to gguf-py" % arch):
        return
    A = arch + "."
    hp = {}
    for k in ("context_length", "embedding_length", "block_count", "feed_forward_length",
              "attention.head_count", "attention.head_count_kv", "attention.key_length",
              "attention.value_length", "rope.dimension_count"):
        v = field(r, A + k)
        check(isinstance(v, int) and v > 0, "%s%s missing or not a positive integer: %r" % (A, k, v))
        hp[k] = v if isinstance(v, int) else 0
    for k in ("rope.freq_base", "attention.layer_norm_rms_epsilon"):
        f = r.fields.get(A + k)
        check(f is not None and f.types == [GGUFValueType.FLOAT32] and np.isfinite(f.contents())
              and f.contents() > 0, "%s%s missing, not f32 or not finite > 0" % (A, k))
    check(field(r, "general.quantization_version") == 2, "general.quantization_version != 2")
    check(field(r, "general.file_type") == FILE_TYPES[mk_type], "general.file_type %r for --type %s"
          % (field(r, "general.file_type"), mk_type))
    n_embd, n_layer, n_ff = hp["embedding_length"], hp["block_count"], hp["feed_forward_length"]
    n_head, n_kv, hd = hp["attention.head_count"], hp["attention.head_count_kv"], hp["attention.key_length"]
    check(hp["rope.dimension_count"] == hd and hp["attention.value_length"] == hd,
          "rope.dimension_count / value_length differ from key_length %d" % hd)
    check(n_kv and n_head % n_kv == 0, "head_count %d not a multiple of head_count_kv %d" % (n_head, n_kv))
    if arch in ("phi3", "bitnet"):  # llama.cpp's graphs view q as n_embd wide
        check(n_head * hd == n_embd, "%s needs head_count x key_length == embedding_length: %d x %d != %d"
              % (arch, n_head, hd, n_embd))
    check(r.fields.get(A + "rope.scaling.factor") is None,
          "rope.scaling.factor present: llama.cpp reads it as linear scaling of every frequency")

    # tokenizer
    model = field(r, "tokenizer.ggml.model")
    tokens = field(r, "tokenizer.ggml.tokens")
    ttype = field(r, "tokenizer.ggml.token_type")
    check(model in ("gpt2", "llama"), "tokenizer.ggml.model %r" % model)
    n_vocab = len(tokens) if tokens else 0
    check(n_vocab > 0 and ttype is not None and len(ttype) == n_vocab, "tokens / token_type")
    if model == "gpt2":
        check(bool(field(r, "tokenizer.ggml.merges")), "gpt2 tokenizer without merges")
    else:
        sc = field(r, "tokenizer.ggml.scores")
        check(sc is not None and len(sc) == n_vocab, "llama tokenizer without scores")
        for t in ("<unk>", "<s>", "</s>", "<0x0A>"):
            check(t in tokens, "SentencePiece vocabulary without %s" % t)
    fam = [f for f in FAMILIES if name.startswith(f)]
    if check(len(fam) == 1, "no family for general.name %r" % name):
        pre, add_bos, bos, eos = FAMILIES[fam[0]]
        check(field(r, "tokenizer.ggml.pre") == pre, "tokenizer.ggml.pre %r, expected %r" % (field(r, "tokenizer.ggml.pre"), pre))
        check(field(r, "tokenizer.ggml.add_bos_token") is add_bos,
              "add_bos_token %r, the real %s files have %r" % (field(r, "tokenizer.ggml.add_bos_token"), fam[0], add_bos))
        bid, eid = field(r, "tokenizer.ggml.bos_token_id"), field(r, "tokenizer.ggml.eos_token_id")
        check(isinstance(bid, int) and 0 <= bid < n_vocab and tokens[bid] == bos, "BOS %r is not %s" % (bid, bos))
        check(isinstance(eid, int) and 0 <= eid < n_vocab and tokens[eid] == eos, "EOS %r is not %s" % (eid, eos))
        if fam[0] == "phi3":
            check("<|endoftext|>" in tokens, "phi3 vocabulary without <|endoftext|> (llama.cpp throws)")

    # tensors
    T = {t.name: t for t in r.tensors}
    for t in T:
        base = t.rsplit(".", 1)[0]
        check(base in known and t.rsplit(".", 1)[1] in ("weight", "bias"), "tensor %s unknown to llama.cpp's %s" % (t, arch))
    tied = "output.weight" not in T
    qd, kvd = n_head * hd, n_kv * hd
    want = {"token_embd.weight": [n_embd, n_vocab], "output_norm.weight": [n_embd]}
    if not tied:
        want["output.weight"] = [n_embd, n_vocab]
    if field(r, "general.name", "").startswith("llama3"):
        want["rope_freqs.weight"] = [hd // 2]
    for i in range(n_layer):
        b = "blk.%d." % i
        want[b + "attn_norm.weight"] = [n_embd]
        want[b + "ffn_norm.weight"] = [n_embd]
        want[b + "attn_output.weight"] = [qd, n_embd]
        want[b + "ffn_down.weight"] = [n_ff, n_embd]
        if arch == "phi3":
            want[b + "attn_qkv.weight"] = [n_embd, qd + 2 * kvd]
            want[b + "ffn_up.weight"] = [n_embd, 2 * n_ff]
        else:
            want[b + "attn_q.weight"] = [n_embd, qd]
            want[b + "attn_k.weight"] = [n_embd, kvd]
            want[b + "attn_v.weight"] = [n_embd, kvd]
            want[b + "ffn_gate.weight"] = [n_embd, n_ff]
            want[b + "ffn_up.weight"] = [n_embd, n_ff]
        if arch == "qwen2":
            want[b + "attn_q.bias"], want[b + "attn_k.bias"], want[b + "attn_v.bias"] = [qd], [kvd], [kvd]
        if arch == "qwen3":
            want[b + "attn_q_norm.weight"] = want[b + "attn_k_norm.weight"] = [hd]
        if arch == "bitnet":
            want[b + "attn_sub_norm.weight"], want[b + "ffn_sub_norm.weight"] = [n_embd], [n_ff]
    check(set(T) == set(want), "tensors missing %s, extra %s" % (sorted(set(want) - set(T))[:4], sorted(set(T) - set(want))[:4]))
    bad_types = []
    for n, t in T.items():
        shape = [int(x) for x in t.shape]
        if n in want:
            check(shape == want[n], "%s shape %s, llama.cpp creates %s" % (n, shape, want[n]))
        if len(shape) == 1:
            check(t.tensor_type == Q.F32, "%s is %s, 1-D tensors are F32" % (n, t.tensor_type.name))
            continue
        layer = int(n.split(".")[1]) if n.startswith("blk.") else 0
        et = expected_type(mk_type, n, layer, n_layer, shape[0], tied)
        if t.tensor_type != et:
            bad_types.append("%s %s (expected %s)" % (n, t.tensor_type.name, et.name))
        w = np.asarray(quants.dequantize(t.data, t.tensor_type), dtype=np.float64)
        sd_want = 1 / np.sqrt(shape[0])
        ok = np.all(np.isfinite(w)) and abs(w.mean()) < 0.25 * sd_want and 0.75 < w.std() / sd_want < 1.25
        check(ok, "%s (%s): dequantized mean %.3g std %.3g, drawn with std %.3g" % (
            n, t.tensor_type.name, w.mean(), w.std(), sd_want))
    check(not bad_types, "types differ from llama.cpp's rule: %s" % "; ".join(bad_types[:4]))
    types = {}
    for t in T.values():
        types[t.tensor_type.name] = types.get(t.tensor_type.name, 0) + 1
    print("  %d tensors (%s), vocab %d, %s" % (len(T), ", ".join("%s %d" % kv for kv in sorted(types.items())),
                                               n_vocab, "tied" if tied else "untied"))


def main(args):
    for a in args:
        path, mk_type = a.rsplit(":", 1)
        check_file(path, mk_type)
    print("%s: %d failure(s)" % ("FAIL" if fails else "OK", fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
