#!/usr/bin/env bash
# The edgecim CLI: help, usage errors (exit 2), mkmodel + run in text and JSON, reproducible
# seeded sampling, float and cmodel backends agree on greedy tokens of a Q4_0 model, --threads
# does not change the tokens.
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
expect_rc "run bad --threads" 2 "$bin" run --model x.gguf --threads 0
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
m="$wd/tiny.gguf"
expect_rc "mkmodel tiny" 0 "$bin" mkmodel --preset qwen3-0.6b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 3 -o "$m"
expect_rc "run text" 0 "$bin" run --model "$m" --prompt "The cat" -n 8 --quiet
check "text run prints tokens/s" "grep -q 'tokens/s host' '$wd/out'"
expect_rc "run bad token id" 2 "$bin" run --model "$m" --tokens 1,99999 --quiet
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --json --quiet >"$wd/a.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --json --quiet --backend float >"$wd/f.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend cmodel-functional --threads 3 --json --quiet >"$wd/a3.json" 2>/dev/null
"$bin" run --model "$m" --prompt "The cat" -n 8 --backend float --threads 3 --json --quiet >"$wd/f3.json" 2>/dev/null
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
a3, f3 = json.load(open(wd + "/a3.json")), json.load(open(wd + "/f3.json"))
check("json has 8 generated tokens", len(a["generated"]) == 8)
check("--threads 3 runs 3 threads and generates the same tokens (cmodel-functional, float)",
      a3["threads"] == 3 and a3["generated"] == a["generated"] and f3["generated"] == f["generated"])
check("QKV GEMV once per layer per step (2 layers)", a["gemv"]["QKV"]["calls"] == 2 * a["steps"])
check("seeded sampling reproducible", s1["generated"] == s2["generated"] and len(s1["generated"]) == 10)
agree = sum(x == y for x, y in zip(a["generated"], f["generated"]))
print("cmodel vs float greedy tokens: %d/8 agree" % agree)
check("cmodel and float agree on the first token", a["generated"][0] == f["generated"][0])
sys.exit(0 if ok else 1)
PY
exit $fail
