#!/usr/bin/env bash
# The edgecim CLI: help, usage errors (exit 2), mkmodel + run in text and JSON, reproducible
# seeded sampling, float and cmodel backends agree on greedy tokens of a Q4_0 model; every
# mkmodel --type decodes on cmodel-functional and cmodel; bad model files exit 1 with a
# message naming the problem.
# Usage: cli.sh EDGECIM WORKDIR
set -u
bin=$1; wd=$2
mkdir -p "$wd"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
expect_rc() { # name rc cmd...
  local name=$1 want=$2; shift 2
  "$@" >"$wd/out" 2>"$wd/err"; local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL: $name: exit $rc, expected $want"; cat "$wd/err"; fail=1; else echo "ok: $name"; fi
}
expect_rc "edgecim --help" 0 "$bin" --help
expect_rc "no command" 2 "$bin"
expect_rc "unknown command" 2 "$bin" frobnicate
for c in run mkmodel; do expect_rc "$c --help" 0 "$bin" $c --help; done
expect_rc "run without --model" 2 "$bin" run
expect_rc "run bad option" 2 "$bin" run --model x.gguf --bogus 1
expect_rc "run bad -n" 2 "$bin" run --model x.gguf -n abc
expect_rc "run bad --top-p" 2 "$bin" run --model x.gguf --top-p 2
expect_rc "run bad backend" 2 "$bin" run --model x.gguf --backend gpu
expect_rc "mkmodel unknown preset" 2 "$bin" mkmodel --preset nope -o "$wd/x.gguf"
expect_rc "mkmodel bad type" 2 "$bin" mkmodel --preset qwen3-0.6b --type q7_k -o "$wd/x.gguf"
expect_rc "mkmodel missing -o" 2 "$bin" mkmodel --preset qwen3-0.6b
expect_rc "run missing file" 1 "$bin" run --model "$wd/none.gguf"
for p in tinyllama-1.1b llama3.2-1b llama3.2-3b phi3.5-mini qwen2.5-0.5b qwen2.5-1.5b qwen2.5-3b \
         smollm2-1.7b smollm3-3b qwen3-0.6b qwen3-1.7b qwen3-4b bitnet-b1.58-2b; do
  "$bin" mkmodel --preset $p --layers 4 --hidden 128 --ff 256 --vocab 320 --quiet -o "$wd/p.gguf" >"$wd/out" 2>"$wd/err" &&
  "$bin" run --model "$wd/p.gguf" --tokens 1,2 -n 3 --backend cmodel-functional --json --quiet >"$wd/out" 2>"$wd/err" &&
  grep -q '"generated":\[[0-9]*,[0-9]*,[0-9]*\]' "$wd/out"
  if [ $? != 0 ]; then echo "FAIL: preset $p: mkmodel + run"; cat "$wd/err"; fail=1; else echo "ok: preset $p"; fi
done
# every weight type (and llama.cpp's Q4_K_M mix), requantized at load, decodes on both C-model backends
for t in f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 q2_k q3_k q4_k q5_k q6_k q4_k_m q5_k_m iq4_nl iq4_xs tq1_0 tq2_0; do
  ok=1
  "$bin" mkmodel --preset llama3.2-1b --layers 2 --hidden 256 --ff 512 --vocab 320 --type $t --quiet -o "$wd/t.gguf" 2>"$wd/err" || ok=0
  for be in cmodel-functional cmodel; do
    [ $ok = 1 ] && "$bin" run --model "$wd/t.gguf" --tokens 1,2 -n 3 --backend $be --json --quiet >"$wd/out" 2>>"$wd/err" &&
      grep -q '"generated":\[[0-9]*,[0-9]*,[0-9]*\]' "$wd/out" || ok=0
  done
  if [ $ok = 1 ]; then echo "ok: --type $t decodes on cmodel-functional and cmodel"; else echo "FAIL: --type $t"; cat "$wd/err"; fail=1; fi
done
"$bin" mkmodel --preset llama3.2-1b --layers 8 --hidden 256 --ff 512 --vocab 320 --type q4_k_m -o "$wd/km.gguf" 2>"$wd/err" >/dev/null
check "mkmodel prints the tensor types" "grep -q 'tensor types: F32 .* Q4_K .* Q6_K' '$wd/err'"
"$bin" run --model "$wd/km.gguf" --tokens 1 -n 1 --backend cmodel-functional --verbose >/dev/null 2>"$wd/err"
check "run --verbose: a requantized Q6_K tensor and its error" "grep -q 'blk.0.attn_v.weight *Q6_K *-> INT4: requantized, relative RMS error' '$wd/err'"
"$bin" mkmodel --preset llama3.2-1b --layers 1 --hidden 128 --ff 256 --vocab 320 --quiet -o "$wd/q4.gguf"
"$bin" run --model "$wd/q4.gguf" --tokens 1 -n 1 --backend cmodel-functional --verbose >/dev/null 2>"$wd/err"
check "run --verbose: Q4_0 maps bit for bit" "grep -q 'blk.0.attn_q.weight *Q4_0 *-> INT4: bit for bit' '$wd/err'"
# bad model files: exit 1 and a message naming the file and the problem
mkdir -p "$wd/dir.gguf"
expect_rc "run a directory" 1 "$bin" run --model "$wd/dir.gguf" --tokens 1 -n 1
check "a directory is named as one" "grep -q 'dir.gguf: is a directory' '$wd/err'"
python3 - "$wd/q4.gguf" "$wd" <<'PY' || { echo "FAIL: patching the model files"; fail=1; }
import struct, sys
src, wd = sys.argv[1], sys.argv[2]
b = bytearray(open(src, "rb").read())
def patch_f32(key, value, out):
    k = key.encode()
    i = b.find(struct.pack("<Q", len(k)) + k)
    c = bytearray(b)
    c[i + 8 + len(k) + 4: i + 8 + len(k) + 8] = struct.pack("<f", value)  # after the u32 type
    open(wd + "/" + out, "wb").write(c)
patch_f32("llama.attention.layer_norm_rms_epsilon", float("nan"), "eps-nan.gguf")
patch_f32("llama.rope.freq_base", float("-inf"), "base-inf.gguf")
c = bytearray(b); c[4:8] = struct.pack("<I", 4)
open(wd + "/v4.gguf", "wb").write(c)
# walk the header to the tensor infos and the data section
SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
pos = 24
def u(fmt):
    global pos
    v = struct.unpack_from(fmt, b, pos)[0]; pos += struct.calcsize(fmt); return v
def skip_value(t):
    global pos
    if t == 8:
        n = u("<Q"); pos += n
    elif t == 9:
        et, n = u("<I"), u("<Q")
        for _ in range(n): skip_value(et)
    else: pos += SIZES[t]
n_t, n_kv = struct.unpack_from("<QQ", b, 8)
for _ in range(n_kv):
    n = u("<Q"); pos += n
    skip_value(u("<I"))
infos = {}
for _ in range(n_t):
    name = b[pos + 8: pos + 8 + struct.unpack_from("<Q", b, pos)[0]].decode(); pos += 8 + len(name)
    nd = u("<I"); pos += 8 * nd
    infos[name] = (pos, struct.unpack_from("<Q", b, pos + 4)[0]); pos += 12
data = (pos + 31) // 32 * 32
c = bytearray(b); c[infos["blk.0.attn_k.weight"][0]: infos["blk.0.attn_k.weight"][0] + 4] = struct.pack("<I", 16)
open(wd + "/iq2.gguf", "wb").write(c)
c = bytearray(b); c[infos["blk.0.attn_k.weight"][0]: infos["blk.0.attn_k.weight"][0] + 4] = struct.pack("<I", 12)
open(wd + "/rows.gguf", "wb").write(c)
c = bytearray(b); at = data + infos["blk.0.ffn_up.weight"][1]
c[at: at + 2] = struct.pack("<H", 0x7e00)  # the FP16 scale of its first Q4_0 block: NaN
open(wd + "/nan-scale.gguf", "wb").write(c)
PY
expect_rc "run an IQ2_XXS tensor" 1 "$bin" run --model "$wd/iq2.gguf" --tokens 1 -n 1
check "the unsupported type is named with the tensor" "grep -q \"tensor 'blk.0.attn_k.weight': unsupported tensor type 16 (IQ2_XXS\" '$wd/err'"
expect_rc "run a Q4_K tensor of 128-rows" 1 "$bin" run --model "$wd/rows.gguf" --tokens 1 -n 1
check "the row length error names the tensor" "grep -q \"tensor 'blk.0.attn_k.weight': row length 128 is not a multiple of the Q4_K block size 256\" '$wd/err'"
expect_rc "run a NaN scale" 1 "$bin" run --model "$wd/nan-scale.gguf" --tokens 1 -n 1
check "the NaN scale names the tensor" "grep -q \"tensor 'blk.0.ffn_up.weight' (Q4_0) has a NaN or Inf scale in block 0 (row 0)\" '$wd/err'"
expect_rc "run NaN rms epsilon" 1 "$bin" run --model "$wd/eps-nan.gguf" --tokens 1 -n 1
check "NaN epsilon names the key" "grep -q 'llama.attention.layer_norm_rms_epsilon = nan is not a finite number > 0' '$wd/err'"
expect_rc "run -Inf rope base" 1 "$bin" run --model "$wd/base-inf.gguf" --tokens 1 -n 1
check "-Inf base names the key" "grep -q 'llama.rope.freq_base = -inf is not a finite number > 0' '$wd/err'"
expect_rc "run GGUF v4" 1 "$bin" run --model "$wd/v4.gguf" --tokens 1 -n 1
check "the version error says which versions are read" "grep -q 'version 4 (this reader accepts versions 2 and 3)' '$wd/err'"
m="$wd/tiny.gguf"
expect_rc "mkmodel tiny" 0 "$bin" mkmodel --preset qwen3-0.6b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 3 -o "$m"
expect_rc "run text" 0 "$bin" run --model "$m" --prompt "The cat" -n 8 --quiet
check "text run prints tokens/s" "grep -q 'tokens/s host' '$wd/out'"
expect_rc "run bad token id" 2 "$bin" run --model "$m" --tokens 1,99999 --quiet
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --json --quiet >"$wd/a.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --json --quiet --backend float >"$wd/f.json" 2>/dev/null
"$bin" run --model "$m" --tokens 5,6,7 -n 10 --temp 0.9 --top-k 50 --top-p 0.9 --seed 42 --json --quiet >"$wd/s1.json"
"$bin" run --model "$m" --tokens 5,6,7 -n 10 --temp 0.9 --top-k 50 --top-p 0.9 --seed 42 --json --quiet >"$wd/s2.json"
python3 - "$wd" <<'PY' || fail=1
import json, sys
wd = sys.argv[1]
a, f = json.load(open(wd + "/a.json")), json.load(open(wd + "/f.json"))
s1, s2 = json.load(open(wd + "/s1.json")), json.load(open(wd + "/s2.json"))
ok = True
def check(name, cond):
    global ok
    print(("ok: " if cond else "FAIL: ") + name)
    ok = ok and cond
check("json has 8 generated tokens", len(a["generated"]) == 8)
check("QKV GEMV once per layer per step (2 layers)", a["gemv"]["QKV"]["calls"] == 2 * a["steps"])
check("seeded sampling reproducible", s1["generated"] == s2["generated"] and len(s1["generated"]) == 10)
agree = sum(x == y for x, y in zip(a["generated"], f["generated"]))
print("cmodel vs float greedy tokens: %d/8 agree" % agree)
check("cmodel and float agree on the first token", a["generated"][0] == f["generated"][0])
sys.exit(0 if ok else 1)
PY
exit $fail
