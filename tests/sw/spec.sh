#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Speculative decoding (`edgecim speculate`, built with ASan/UBSan): greedy-exact against plain
# greedy decoding (--check) with an early-exit draft and with a separate draft model, on the
# functional and the cycle-exact backends, for several k and two families; a draft identical
# to the target accepts every draft token (k + 1 tokens per pass); the statistics add up; bad
# options exit 2 and bad pairs exit 1 with a message.
# Usage: spec.sh EDGECIM WORKDIR
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
json() { python3 -c "import json,sys; d=json.load(open('$wd/out')); print($1)"; }
mk() { "$bin" mkmodel --quiet "$@"; }
mk --preset qwen2.5-0.5b --layers 4 --hidden 128 --ff 256 --vocab 320 -o "$wd/t.gguf"
mk --preset qwen2.5-0.5b --layers 1 --hidden 128 --ff 256 --vocab 320 --seed 9 -o "$wd/d.gguf"
mk --preset llama3.2-1b --layers 3 --hidden 128 --ff 256 --vocab 320 -o "$wd/l.gguf"
mk --preset llama3.2-1b --layers 2 --hidden 128 --ff 256 --vocab 300 -o "$wd/v.gguf"
for be in cmodel-functional cmodel; do
  for k in 1 3; do
    expect_rc "early exit (2 of 4 layers), k $k, $be: greedy-exact" 0 \
      "$bin" speculate --model "$wd/t.gguf" --tokens 1,2,3 -n 12 -k $k --draft-layers 2 --check --json --quiet --backend $be
    check "  the statistics add up (passes, accepted <= drafted, histogram)" \
      "json \"d['greedy_identical'] and d['accepted'] <= d['drafted'] and len(d['generated']) == 12 and d['passes'] >= 1\" | grep -q True"
  done
  expect_rc "separate draft model, k 4, $be: greedy-exact" 0 \
    "$bin" speculate --model "$wd/t.gguf" --draft "$wd/d.gguf" --tokens 5 -n 10 -k 4 --check --json --quiet --backend $be
done
expect_rc "llama3 family, early exit of 1 layer, cmodel" 0 \
  "$bin" speculate --model "$wd/l.gguf" --prompt "The cat" -n 9 -k 2 --draft-layers 1 --check --json --quiet
expect_rc "the target as its own draft" 0 \
  "$bin" speculate --model "$wd/t.gguf" --draft "$wd/t.gguf" --tokens 1,2 -n 11 -k 4 --check --json --quiet --backend cmodel-functional
check "  accepts every draft token: 1 + 2 passes of 5 tokens" \
  "json \"(d['acceptance'], d['passes'])\" | grep -qx '(1.0, 2)'"
expect_rc "an early exit of every layer accepts everything too" 0 \
  "$bin" speculate --model "$wd/t.gguf" --draft-layers 4 --tokens 1,2 -n 7 -k 2 --check --json --quiet --backend cmodel-functional
check "  acceptance 1.0" "json \"d['acceptance']\" | grep -qx 1.0"
expect_rc "text report on cmodel" 0 "$bin" speculate --model "$wd/t.gguf" --tokens 1 -n 6 -k 2 --check --quiet
check "  names cycles, tokens/s and the acceptance curve" \
  "grep -q 'effective decode: .* tokens/s at 1000 MHz' '$wd/out' && grep -q 'vs acceptance rate' '$wd/out' && grep -q 'greedy-exact: identical' '$wd/out'"
expect_rc "speculate --help" 0 "$bin" speculate --help
expect_rc "-k 0" 2 "$bin" speculate --model "$wd/t.gguf" -k 0
expect_rc "-k 32 (above a batch)" 2 "$bin" speculate --model "$wd/t.gguf" -k 32
expect_rc "--draft and --draft-layers" 2 "$bin" speculate --model "$wd/t.gguf" --draft "$wd/d.gguf" --draft-layers 1
expect_rc "--backend rtl" 2 "$bin" speculate --model "$wd/t.gguf" --backend rtl
expect_rc "no --model" 2 "$bin" speculate
expect_rc "-n 0" 2 "$bin" speculate --model "$wd/t.gguf" -n 0
expect_rc "--draft-layers beyond the target's" 1 "$bin" speculate --model "$wd/t.gguf" --draft-layers 5 --tokens 1 -n 3 --quiet
check "  names the limit" "grep -q 'draft layers 5: 1..4' '$wd/err'"
expect_rc "a draft with another vocabulary" 1 "$bin" speculate --model "$wd/l.gguf" --draft "$wd/v.gguf" --tokens 1 -n 3 --quiet
check "  names both vocabularies" "grep -q \"draft's vocabulary (300) is not the target's (320)\" '$wd/err'"
expect_rc "a missing draft file" 1 "$bin" speculate --model "$wd/t.gguf" --draft "$wd/none.gguf" --tokens 1 -n 3 --quiet
expect_rc "a token outside the vocabulary" 1 "$bin" speculate --model "$wd/t.gguf" --tokens 999 -n 3 --quiet
exit $fail
