# SPDX-License-Identifier: Apache-2.0
"""Optional, not part of `make test` (it needs llama.cpp's libggml, e.g. from `pip install
llama-cpp-python`): the file of tests/sw/gguf_blocks.c checked against ggml itself, through
ctypes and ggml_get_type_traits():

  - raw.T dequantized by ggml's to_float (dequantize_row_*) must equal deq.T in every bit;
  - src.T quantized by ggml's from_float_ref (quantize_row_*_ref) is compared byte for byte
    with q.T, the firmware's port (IQ4_*: ggml_quantize_chunk, which is quantize_iq4_nl/xs).

Usage: PYTHON_WITH_LLAMA_CPP scripts/ggml_blocks_check.py FILE.gguf
(the file: build/sw/tests/gguf_blocks FILE.gguf SEED; reading it needs the gguf package)
"""
import ctypes
import os
import sys

import numpy as np
import llama_cpp
from gguf import GGUFReader

lib = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml-base.so"))
TO_FLOAT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


class Traits(ctypes.Structure):
    _fields_ = [("type_name", ctypes.c_char_p), ("blck_size", ctypes.c_int64),
                ("blck_size_interleave", ctypes.c_int64), ("type_size", ctypes.c_size_t),
                ("is_quantized", ctypes.c_bool), ("to_float", ctypes.c_void_p),
                ("from_float_ref", ctypes.c_void_p)]


lib.ggml_get_type_traits.restype = ctypes.POINTER(Traits)
lib.ggml_get_type_traits.argtypes = [ctypes.c_int]
lib.ggml_quantize_chunk.restype = ctypes.c_size_t
lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                    ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
lib.ggml_quantize_init.argtypes = [ctypes.c_int]


def main(path):
    r = GGUFReader(path)
    T = {t.name: t for t in r.tensors}
    fails = 0
    for name in sorted(n for n in T if n.startswith("raw.")):
        tn = name[4:]
        raw, deq, src, q = (T[p + tn] for p in ("raw.", "deq.", "src.", "q."))
        ty = int(raw.tensor_type)
        tr = lib.ggml_get_type_traits(ty).contents
        rawb = np.ascontiguousarray(np.asarray(raw.data).view(np.uint8))
        n = int(np.prod([int(x) for x in raw.shape]))
        out = np.zeros(n, dtype=np.float32)
        if tr.to_float:
            ctypes.cast(tr.to_float, TO_FLOAT)(rawb.ctypes.data, out.ctypes.data, n)
        elif tn == "F32":  # no conversion in ggml
            out = rawb.view(np.float32).reshape(-1).copy()
        else:
            print("%-7s ggml has no to_float for it in this version" % tn)
            continue
        want = np.asarray(deq.data, dtype=np.float32).reshape(-1)
        nd = int(np.count_nonzero(out.view(np.uint32) != want.view(np.uint32)))
        x = np.ascontiguousarray(np.asarray(src.data, dtype=np.float32).reshape(-1))
        ref = np.zeros(np.asarray(q.data).nbytes, dtype=np.uint8)
        if tn in ("IQ4_NL", "IQ4_XS"):
            lib.ggml_quantize_init(ty)
            ne0 = int(raw.shape[0])
            lib.ggml_quantize_chunk(ty, x.ctypes.data, ref.ctypes.data, 0, n // ne0, ne0, None)
        elif tr.from_float_ref:
            ctypes.cast(tr.from_float_ref, TO_FLOAT)(x.ctypes.data, ref.ctypes.data, n)
        else:
            ref = x.view(np.uint8).copy()
        qb = np.asarray(q.data).reshape(-1).view(np.uint8)
        nq = int(np.count_nonzero(ref != qb))
        ok = nd == 0
        fails += not ok
        print("%-7s dequant vs ggml: %s   quantizer vs ggml's reference: %s" % (
            tn, "identical" if nd == 0 else "%d floats differ  FAIL" % nd,
            "identical" if nq == 0 else "%d of %d bytes differ" % (nq, qb.size)))
    print("%s: %d failure(s)" % ("FAIL" if fails else "OK", fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
