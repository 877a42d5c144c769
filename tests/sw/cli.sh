#!/usr/bin/env bash
# The edgecim CLI: help, usage errors (exit 2), mkmodel + run in text and JSON, reproducible
# seeded sampling, float and cmodel backends agree on greedy tokens of a Q4_0 model; tokenize on
# llama.cpp's reference vocabularies (tests/data/tokenizer) and on mkmodel's.
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
for c in run mkmodel tokenize; do expect_rc "$c --help" 0 "$bin" $c --help; done
expect_rc "run without --model" 2 "$bin" run
expect_rc "run bad option" 2 "$bin" run --model x.gguf --bogus 1
expect_rc "run bad -n" 2 "$bin" run --model x.gguf -n abc
expect_rc "run bad --top-p" 2 "$bin" run --model x.gguf --top-p 2
expect_rc "run bad backend" 2 "$bin" run --model x.gguf --backend gpu
expect_rc "mkmodel unknown preset" 2 "$bin" mkmodel --preset nope -o "$wd/x.gguf"
expect_rc "mkmodel bad type" 2 "$bin" mkmodel --preset qwen3-0.6b --type q5_k -o "$wd/x.gguf"
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
m="$wd/tiny.gguf"
expect_rc "mkmodel tiny" 0 "$bin" mkmodel --preset qwen3-0.6b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 3 -o "$m"
expect_rc "run text" 0 "$bin" run --model "$m" --prompt "The cat" -n 8 --quiet
check "text run prints tokens/s" "grep -q 'tokens/s host' '$wd/out'"
expect_rc "run bad token id" 2 "$bin" run --model "$m" --tokens 1,99999 --quiet
expect_rc "tokenize a mkmodel file" 0 "$bin" tokenize --model "$m" --no-bos "The cat sat on the mat."
check "mkmodel's pieces spell the text" "[ \"\$(sed -n \"s/^ *[0-9]* -> '\\(.*\\)'\$/\\1/p\" '$wd/out' | tr -d '\\n')\" = 'The cat sat on the mat.' ]"
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
