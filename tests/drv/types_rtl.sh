#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every mkmodel --type (and llama.cpp's Q4_K_M and Q5_K_M mixes) decoded on the Verilator RTL:
# one layer of hidden 256 (K-quant rows are 256 long, so no tensor falls back to a legacy type),
# each tensor at its own precision; the same 4 tokens on cmodel-functional, cmodel and rtl, the
# same simulated cycles on cmodel and rtl (both cycle-exact).  tests/drv/cli.sh (make test's
# drv-cli-rtl) runs three of these types on the RTL; tests/sw/cli.sh every type on the C models.
# Usage: types_rtl.sh WORKDIR EDGECIM EDGECIM_RTL
set -u
wd=$1; bin=$2; rtl=$3
mkdir -p "$wd"
fail=0
for t in f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 q2_k q3_k q4_k q5_k q6_k q4_k_m q5_k_m iq4_nl iq4_xs tq1_0 tq2_0; do
  m="$wd/type-$t.gguf"
  "$bin" mkmodel --preset llama3.2-1b --layers 1 --hidden 256 --ff 256 --vocab 320 --seed 1 --type $t -o "$m" \
    >/dev/null 2>"$wd/type-mkmodel.err" || { echo "FAIL: mkmodel --type $t"; cat "$wd/type-mkmodel.err"; fail=1; continue; }
  # the weights are of the type asked for (the _m mixes: with Q6_K), none fell back
  want=$(echo "$t" | tr a-z A-Z | sed 's/_M$//')
  types=$(sed -n 's/^mkmodel: tensor types: //p' "$wd/type-mkmodel.err" | tr ' ' '\n' | grep -v '^[0-9]*$' | sort -u | tr '\n' ' ')
  case "$t:$types" in
    f32:"F32 "|*_m:"F32 $want Q6_K "|*_m:"F32 Q6_K $want "|*:"F32 $want "|*:"$want F32 ") ;;
    *) echo "FAIL: mkmodel --type $t wrote tensor types $types"; fail=1 ;;
  esac
  ok=1
  for be in cmodel-functional cmodel rtl; do
    b=$bin; [ $be = rtl ] && b=$rtl
    "$b" run --model "$m" --backend $be --tokens 1 -n 4 --json --quiet >"$wd/type-$be.json" 2>"$wd/type-$be.err" \
      || { echo "FAIL: --type $t on $be: exit $?"; cat "$wd/type-$be.err"; ok=0; }
  done
  [ $ok = 1 ] && python3 - "$wd" "$t" <<'PY' || fail=1
import json, sys
wd, t = sys.argv[1], sys.argv[2]
f, c, r = (json.load(open("%s/type-%s.json" % (wd, be))) for be in ("cmodel-functional", "cmodel", "rtl"))
ok = len(f["generated"]) == 4 and f["generated"] == c["generated"] == r["generated"] and \
   c.get("sim_cycles", 0) > 0 and r.get("sim_cycles") == c["sim_cycles"]
print("%s: --type %s: tokens %s on cmodel-functional, %s on cmodel, %s on rtl; cycles %s on cmodel, %s on rtl" % (
  "ok" if ok else "FAIL", t, f["generated"], c["generated"], r["generated"], c.get("sim_cycles"), r.get("sim_cycles")))
sys.exit(0 if ok else 1)
PY
done
exit $fail
