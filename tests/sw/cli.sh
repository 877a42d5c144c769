#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The edgecim CLI (built with ASan/UBSan): help that lists every option, --version, usage
# errors (exit 2, a message naming the flag, no sanitizer report), prompt vs --ctx, mkmodel +
# run in text and JSON, --chat in each family's format, reproducible seeded sampling, float and
# cmodel backends agree on greedy tokens of a Q4_0 model, --threads does not change the tokens;
# every mkmodel --type decodes on cmodel-functional and cmodel; run --verbose; bad model files
# exit 1 with a message naming the problem; tokenize on llama.cpp's reference vocabularies
# (tests/data/tokenizer) and on mkmodel's.
# Usage: cli.sh EDGECIM WORKDIR
set -u
bin=$1; wd=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
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
for c in run eval mkmodel tokenize; do expect_rc "$c --help" 0 "$bin" $c --help; done
# every option the parser knows is in --help
for c in run:sw/cmd_run.c mkmodel:sw/mkmodel.c; do
  "$bin" "${c%%:*}" --help >"$wd/help" 2>&1
  missing=$(grep -o 'strcmp(a, "-[^"]*")' "$src/${c#*:}" | sed 's/.*"\(.*\)")/\1/' | sort -u |
            while read -r o; do grep -q -- "$o\b" "$wd/help" || echo "$o"; done)
  if [ -n "$missing" ]; then echo "FAIL: ${c%%:*} --help lacks:" $missing; fail=1; else echo "ok: ${c%%:*} --help lists every option"; fi
done
expect_rc "--version" 0 "$bin" --version
version=$(cat "$wd/out")
check "--version prints 'edgecim X.Y.Z' ($version)" "echo '$version' | grep -Eqx 'edgecim [0-9]+\.[0-9]+\.[0-9]+'"
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
# tokenize: every option in --help, errors, llama.cpp's ids and its output format
voc=tests/data/tokenizer
"$bin" tokenize --help >"$wd/out"
for o in --model --no-bos --no-special --ids --show-count --escape --file --stdin --help; do
  check "tokenize --help lists $o" "grep -q -- '$o' '$wd/out'"
done
expect_rc "tokenize without --model" 2 "$bin" tokenize "x"
expect_rc "tokenize without text" 2 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf"
expect_rc "tokenize two texts" 2 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" a b
expect_rc "tokenize text and --file" 2 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" --file "$voc/README.md" a
expect_rc "tokenize bad option" 2 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" --bogus a
expect_rc "tokenize missing model" 1 "$bin" tokenize --model "$wd/none.gguf" a
expect_rc "tokenize model is a directory" 1 "$bin" tokenize --model "$wd" a
check "the directory error says so" "grep -q 'is a directory' '$wd/err'"
expect_rc "tokenize model not GGUF" 1 "$bin" tokenize --model "$voc/README.md" a
check "the non-GGUF error names the magic" "grep -q 'bad magic' '$wd/err'"
expect_rc "tokenize missing text file" 1 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" --file "$wd/none.txt"
expect_rc "tokenize llama-bpe" 0 "$bin" tokenize --model "$voc/ggml-vocab-llama-bpe.gguf" --ids "Hello world"
check "llama-bpe adds BOS" "grep -qx '\[128000, 9906, 1917\]' '$wd/out'"
expect_rc "tokenize --no-bos" 0 "$bin" tokenize --model "$voc/ggml-vocab-llama-bpe.gguf" --ids --no-bos "Hello world"
check "--no-bos" "grep -qx '\[9906, 1917\]' '$wd/out'"
expect_rc "tokenize qwen2 pieces" 0 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" --show-count "<|im_start|>Hello world"
check "llama-tokenize's format, special token parsed" "grep -qx \"151644 -> '<|im_start|>'\" '$wd/out' && grep -qx \"  1879 -> ' world'\" '$wd/out' && grep -qx 'Total number of tokens: 3' '$wd/out'"
expect_rc "tokenize --no-special" 0 "$bin" tokenize --model "$voc/ggml-vocab-qwen2.gguf" --ids --no-special "<|im_start|>"
check "--no-special leaves control tokens as text" "! grep -q 151644 '$wd/out'"
printf 'Hi\n' >"$wd/in.txt"
expect_rc "tokenize --file, spm" 0 "$bin" tokenize --model "$voc/ggml-vocab-llama-spm.gguf" --ids --file "$wd/in.txt"
check "spm: BOS, space prefix, newline byte token" "grep -qx '\[1, 6324, 13\]' '$wd/out'"
expect_rc "tokenize --escape" 0 "$bin" tokenize --model "$voc/ggml-vocab-llama-spm.gguf" --ids --escape 'Hi\n'
check "--escape reads \\n" "grep -qx '\[1, 6324, 13\]' '$wd/out'"
python3 - "$voc/ggml-vocab-qwen2.gguf" "$wd/unknown-pre.gguf" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"qwen2", d.index(b"tokenizer.ggml.pre"))
d[i:i + 5] = b"qwenX"  # same length: the GGUF stays valid
open(sys.argv[2], "wb").write(d)
PY
expect_rc "tokenize unknown pre-tokenizer" 0 "$bin" tokenize --model "$wd/unknown-pre.gguf" --ids "Hello world"
check "unknown pre-tokenizer: warning names it" "grep -q \"unknown pre-tokenizer.*'qwenX'.*default\" '$wd/err'"
# every weight type (and llama.cpp's Q4_K_M mix), each tensor at its own precision
# (quant_tensor_wbits), decodes on both C-model backends to the same tokens
for t in f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 q2_k q3_k q4_k q5_k q6_k q4_k_m q5_k_m iq4_nl iq4_xs tq1_0 tq2_0; do
  ok=1
  "$bin" mkmodel --preset llama3.2-1b --layers 2 --hidden 256 --ff 512 --vocab 320 --type $t --quiet -o "$wd/t.gguf" 2>"$wd/err" || ok=0
  for be in cmodel-functional cmodel; do
    [ $ok = 1 ] && "$bin" run --model "$wd/t.gguf" --tokens 1,2 -n 3 --backend $be --json --quiet >"$wd/out" 2>>"$wd/err" &&
      grep -o '"generated":\[[0-9]*,[0-9]*,[0-9]*\]' "$wd/out" >"$wd/gen-$be" || ok=0
  done
  [ $ok = 1 ] && cmp -s "$wd/gen-cmodel" "$wd/gen-cmodel-functional" || ok=0
  if [ $ok = 1 ]; then echo "ok: --type $t decodes on cmodel-functional and cmodel to $(cat "$wd/gen-cmodel")"; else echo "FAIL: --type $t"; cat "$wd/err" "$wd"/gen-*; fail=1; fi
done
"$bin" mkmodel --preset llama3.2-1b --layers 8 --hidden 256 --ff 512 --vocab 320 --type q4_k_m -o "$wd/km.gguf" 2>"$wd/err" >/dev/null
check "mkmodel prints the tensor types" "grep -q 'tensor types: F32 .* Q4_K .* Q6_K' '$wd/err'"
"$bin" run --model "$wd/km.gguf" --tokens 1 -n 1 --backend cmodel-functional --verbose >/dev/null 2>"$wd/err"
check "run --verbose: a requantized Q6_K tensor on INT8 and its error" "grep -q 'blk.0.attn_v.weight *Q6_K *-> INT8: requantized, relative RMS error' '$wd/err'"
check "run --verbose: the Q4_K tensors of the same file on INT4, fused with a Q6_K one on INT8" "grep -q 'blk.0.attn_output.weight *Q4_K *-> INT4: requantized' '$wd/err' && grep -q 'blk.0.attn_q.weight *Q4_K *-> INT8: requantized' '$wd/err'"
"$bin" mkmodel --preset qwen2.5-0.5b --layers 1 --hidden 128 --ff 256 --vocab 320 --type q5_0 --quiet -o "$wd/q5.gguf"
"$bin" run --model "$wd/q5.gguf" --tokens 1 -n 1 --backend cmodel-functional --verbose >/dev/null 2>"$wd/err"
check "run --verbose: Q5_0 maps bit for bit onto INT8" "grep -q 'blk.0.attn_q.weight *Q5_0 *-> INT8: bit for bit' '$wd/err'"
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

# ---- bad command lines: exit 2, a message naming the flag, no crash/hang/sanitizer report ----
bad() { # name flag cmd...
  local name=$1 flag=$2; shift 2
  timeout 120 "$@" >"$wd/out" 2>"$wd/err"; local rc=$?
  if [ "$rc" = 2 ] && grep -qF -- "$flag" "$wd/err" && ! grep -q "Sanitizer\|runtime error" "$wd/err"; then
    echo "ok: $name: $(head -1 "$wd/err")"
  else echo "FAIL: $name: exit $rc, expected 2 and a message naming $flag:"; head -5 "$wd/err"; fail=1; fi
}
r=("$bin" run --model "$m" --quiet --prompt "The cat")
bad "run -n 2147483647 (prompt + n overflowed an int)" "-n" "${r[@]}" -n 2147483647
bad "run -n 4294967298 (became 2)" "-n" "${r[@]}" -n 4294967298
bad "run -n '' (became 0)" "-n" "${r[@]}" -n ""
bad "run -n -1" "-n" "${r[@]}" -n -1
bad "run -n without a value" "-n" "${r[@]}" -n
bad "run --top-k 1x" "--top-k" "${r[@]}" --top-k 1x
bad "run --ctx 0" "--ctx" "${r[@]}" --ctx 0
bad "run --ctx 99999999999" "--ctx" "${r[@]}" --ctx 99999999999
bad "run --seed -1" "--seed" "${r[@]}" --seed -1
bad "run --seed 2^64" "--seed" "${r[@]}" --seed 18446744073709551616
bad "run --temp nan" "--temp" "${r[@]}" --temp nan
bad "run --temp inf" "--temp" "${r[@]}" --temp inf
bad "run --top-p nan" "--top-p" "${r[@]}" --top-p nan
bad "run --clock-mhz nan (printed nan tokens/s)" "--clock-mhz" "${r[@]}" --clock-mhz nan
bad "run --clock-mhz 0" "--clock-mhz" "${r[@]}" --clock-mhz 0
bad "run --threads 0" "--threads" "${r[@]}" --threads 0
bad "run --threads 257" "--threads" "${r[@]}" --threads 257
bad "run --kv f16 (FP16 KV caches: not on the device)" "FP16 KV caches are not implemented on the device" "${r[@]}" --kv f16
bad "run --kv int8 --step host" "--kv" "${r[@]}" --kv int8 --step host
bad "run --kv q4" "--kv" "${r[@]}" --kv q4
bad "eval --kv f16" "FP16 KV caches are not implemented on the device" "$bin" eval --model "$m" --kv f16
bad "eval --steps 64 --ctx 64" "--steps" "$bin" eval --model "$m" --steps 64 --ctx 64
bad "run --threads 2x" "--threads" "${r[@]}" --threads 2x
bad "run --tokens ''" "--tokens" "$bin" run --model "$m" --quiet --tokens ""
bad "run --tokens 1,,2" "--tokens" "$bin" run --model "$m" --quiet --tokens 1,,2
bad "run --chat-format unknown" "--chat-format" "${r[@]}" --chat-format llama-9
bad "run --system without --chat" "--system" "${r[@]}" --system "Be brief"
bad "mkmodel --layers 1x" "--layers" "$bin" mkmodel --preset qwen3-0.6b --layers 1x -o "$wd/x.gguf"
bad "mkmodel --vocab 4294967616" "--vocab" "$bin" mkmodel --preset qwen3-0.6b --vocab 4294967616 -o "$wd/x.gguf"
bad "mkmodel --seed x" "--seed" "$bin" mkmodel --preset qwen3-0.6b --seed x -o "$wd/x.gguf"

# ---- a prompt longer than the context: an error, or with --truncate a warning and all -n tokens ----
long="The cat sat on the mat and looked at the dog that slept by the door of the house"
bad "prompt + -n beyond --ctx" "--ctx" "$bin" run --model "$m" --quiet --prompt "$long" --ctx 8 -n 4
bad "-n beyond the model's context length" "context length" "${r[@]}" -n 5000
"$bin" run --model "$m" --quiet --prompt "$long" --ctx 8 -n 4 --truncate --json >"$wd/trunc.json" 2>"$wd/trunc.err"
check "--truncate: exit 0 and a warning on stderr" "grep -q 'warning: --truncate' '$wd/trunc.err'"

# ---- the text report: streamed text, prompt and decode tokens/s, simulated cycles ----
expect_rc "run text (cmodel)" 0 "$bin" run --model "$m" --prompt "The cat" -n 4 --quiet
check "prompt and decode tokens/s" "grep -q '^prompt: [0-9]* tokens in .* tokens/s host; decode: [0-9]* steps in .* tokens/s host' '$wd/out'"
check "simulated cycles and tokens/s (cmodel)" "grep -q '^simulated: [0-9]* cycles, [0-9.]* tokens/s at 1000 MHz' '$wd/out'"
expect_rc "run text (cmodel-functional)" 0 "$bin" run --model "$m" --prompt "The cat" -n 2 --quiet --backend cmodel-functional
check "simulated: n/a when untimed" "grep -q '^simulated: n/a' '$wd/out'"

# ---- --chat: the family's format from tokenizer.chat_template (mkmodel writes the family's) ----
for pf in qwen2.5-0.5b:chatml smollm2-1.7b:chatml llama3.2-1b:llama3 phi3.5-mini:phi3 tinyllama-1.1b:zephyr; do
  p=${pf%%:*}
  "$bin" mkmodel --preset $p --layers 2 --hidden 128 --ff 256 --vocab 400 --quiet -o "$wd/chat-$p.gguf" 2>"$wd/err" &&
  "$bin" run --model "$wd/chat-$p.gguf" --chat --prompt "Hello" -n 3 --json --quiet --backend cmodel-functional >"$wd/chat-$p.json" 2>"$wd/err" &&
  "$bin" run --model "$wd/chat-$p.gguf" --chat --system "Be brief" --prompt "Hello" -n 3 --json --quiet --backend cmodel-functional >"$wd/chat-sys-$p.json" 2>>"$wd/err" &&
  "$bin" run --model "$wd/chat-$p.gguf" --prompt "Hello" -n 3 --json --quiet --backend cmodel-functional >"$wd/plain-$p.json" 2>>"$wd/err"
  [ $? = 0 ] || { echo "FAIL: --chat on $p"; cat "$wd/err"; fail=1; }
done
"$bin" mkmodel --preset bitnet-b1.58-2b --layers 2 --hidden 128 --ff 256 --vocab 400 --quiet -o "$wd/chat-bitnet.gguf"
expect_rc "--chat on a model without a template" 1 "$bin" run --model "$wd/chat-bitnet.gguf" --chat --prompt Hi -n 1 --quiet
check "... says so and names --chat-format" "grep -q 'no tokenizer.chat_template.*--chat-format' '$wd/err'"
expect_rc "--chat-format chatml as the fallback" 0 "$bin" run --model "$wd/chat-bitnet.gguf" --chat-format chatml --prompt Hi -n 1 --quiet --backend cmodel-functional
# an unknown template: the same file with its chatml markers renamed (same length: still valid GGUF)
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(b"<|im_start|>", b"<|xx_begin|>"))' \
  "$wd/chat-qwen2.5-0.5b.gguf" "$wd/chat-unknown.gguf"
expect_rc "--chat with an unrecognised template" 1 "$bin" run --model "$wd/chat-unknown.gguf" --chat --prompt Hi -n 1 --quiet
check "... names it and the fallback" "grep -q 'not one edgecim recognises.*xx_begin.*--chat-format' '$wd/err'"

# JSON strings: a model path with control characters round-trips
cp "$m" "$wd/tab	and
newline.gguf"
expect_rc "run --json, model path with a tab and a newline" 0 "$bin" run --model "$wd/tab	and
newline.gguf" --tokens 1 -n 1 --json --quiet
cp "$wd/out" "$wd/ctl.json"
expect_rc "tokenize a mkmodel file" 0 "$bin" tokenize --model "$m" --no-bos "The cat sat on the mat."
check "mkmodel's pieces spell the text" "[ \"\$(sed -n \"s/^ *[0-9]* -> '\\(.*\\)'\$/\\1/p\" '$wd/out' | tr -d '\\n')\" = 'The cat sat on the mat.' ]"
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --json --quiet >"$wd/a.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --step host --json --quiet >"$wd/ah.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --json --quiet --backend float >"$wd/f.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --threads 3 --json --quiet >"$wd/a3.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend float --threads 3 --json --quiet >"$wd/f3.json" 2>/dev/null
"$bin" run --model "$m" --tokens 5,6,7 -n 10 --temp 0.9 --top-k 50 --top-p 0.9 --seed 42 --json --quiet >"$wd/s1.json"
"$bin" run --model "$m" --tokens 5,6,7 -n 10 --temp 0.9 --top-k 50 --top-p 0.9 --seed 42 --json --quiet >"$wd/s2.json"
python3 - "$wd" "$version" <<'PY' || fail=1
import json, sys
wd, version = sys.argv[1], sys.argv[2].split()[-1]
a, f = json.load(open(wd + "/a.json")), json.load(open(wd + "/f.json"))
s1, s2 = json.load(open(wd + "/s1.json")), json.load(open(wd + "/s2.json"))
ok = True
def check(name, cond):
    global ok
    print(("ok: " if cond else "FAIL: ") + name)
    ok = ok and cond
check("json version %s is --version's" % a.get("version"), a.get("version") == version)
t = json.load(open(wd + "/trunc.json"))
check("--truncate: the 4 requested tokens generated within --ctx 8 (%d steps, %d prompt tokens)" % (t["steps"], t["prompt_tokens"]),
      len(t["generated"]) == 4 and t["steps"] <= 8 and t["prompt_tokens"] == 5)
check("json: prompt and decode rates", all(k in a for k in ("prompt_tokens_per_s", "decode_tokens_per_s", "decode_steps")))
check("json: path with control characters", json.load(open(wd + "/ctl.json"))["model"] == wd + "/tab\tand\nnewline.gguf")
for pf in ("qwen2.5-0.5b:chatml", "smollm2-1.7b:chatml", "llama3.2-1b:llama3", "phi3.5-mini:phi3", "tinyllama-1.1b:zephyr"):
    p, fam = pf.split(":")
    c, cs, pl = (json.load(open("%s/%s-%s.json" % (wd, k, p))) for k in ("chat", "chat-sys", "plain"))
    check("--chat on %s: format %s, prompt %d > %d > %d tokens (with system, chat, plain)" % (
          p, c["chat_format"], cs["prompt_tokens"], c["prompt_tokens"], pl["prompt_tokens"]),
          c["chat_format"] == fam and cs["prompt_tokens"] > c["prompt_tokens"] > pl["prompt_tokens"] and
          1 <= len(c["generated"]) <= 3 and pl["chat_format"] is None)
a3, f3 = json.load(open(wd + "/a3.json")), json.load(open(wd + "/f3.json"))
check("json has 8 generated tokens", len(a["generated"]) == 8)
check("--threads 3 runs 3 threads and generates the same tokens (cmodel-functional, float)",
      a3["threads"] == 3 and a3["generated"] == a["generated"] and f3["generated"] == f["generated"])
ah = json.load(open(wd + "/ah.json"))
check("the default step is the device step: one list of %s commands per token" % a.get("commands_per_step"),
      a.get("step") == "device" and a.get("commands_per_step", 0) > 20 and ah.get("step") == "host")
check("host step: QKV GEMV: one vector per layer per step (2 layers)", ah["gemv"]["QKV"]["vectors"] == 2 * ah["steps"])
check("host step: the prompt (%d tokens) runs batched: one QKV call per layer for it, then one per step (%d calls)" % (
      ah["prompt_tokens"], ah["gemv"]["QKV"]["calls"]),
      ah["prompt_tokens"] > 1 and ah["gemv"]["QKV"]["calls"] == 2 * (1 + ah["steps"] - ah["prompt_tokens"]))
check("seeded sampling reproducible", s1["generated"] == s2["generated"] and len(s1["generated"]) == 10)
agree = sum(x == y for x, y in zip(a["generated"], f["generated"]))
print("cmodel vs float greedy tokens: %d/8 agree" % agree)
check("cmodel and float agree on the first token", a["generated"][0] == f["generated"][0])
sys.exit(0 if ok else 1)
PY
exit $fail
