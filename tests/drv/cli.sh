#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `edgecim run` over the driver backends: --backend cmodel (register-level C model) decodes the
# same tokens as cmodel-functional and reports simulated cycles; the pure-C binary refuses
# --backend rtl naming build/edgecim-rtl.  With EDGECIM_RTL: --backend rtl decodes the same
# tokens with the same GEMV cycle counts as --backend cmodel (both models are cycle-exact).
# Six models: Q4_0 (INT4), BitNet's ternary TQ2_0 (WBits 2), a Q4_K_M mix (INT4 and INT8 layers
# in one command stream), Qwen3 (q/k norms), Phi-3 and SmolLM3 (4 layers: the fourth without RoPE).  Each with the device step (the default: the whole token as one
# command list) and with the host step (--step host: GEMV cycles per weight kind).
# Usage: cli.sh WORKDIR EDGECIM [EDGECIM_RTL]
set -u
wd=$1; bin=$2; rtl=${3:-}
mkdir -p "$wd"
fail=0
m="$wd/tiny.gguf"
"$bin" mkmodel --preset qwen2.5-0.5b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 5 --quiet -o "$m" || exit 1
"$bin" run --model "$m" --backend rtl -n 1 >"$wd/out" 2>"$wd/err"; rc=$?
if [ $rc = 2 ] && grep -q "build/edgecim-rtl" "$wd/err"; then echo "ok: edgecim --backend rtl refused, names build/edgecim-rtl"
else echo "FAIL: edgecim --backend rtl: exit $rc"; cat "$wd/err"; fail=1; fi
for spec in "q4_0 qwen2.5-0.5b q4_0 2" "tq2_0 bitnet-b1.58-2b tq2_0 2" "q4_k_m llama3.2-1b q4_k_m 2" \
            "qwen3 qwen3-0.6b q4_0 2" "phi3 phi3.5-mini q4_0 2" "smollm3 smollm3-3b q4_0 4"; do
set -- $spec
m="$wd/$1.gguf"
"$bin" mkmodel --preset "$2" --layers "$4" --hidden 128 --ff 256 --vocab 400 --seed 5 --type "$3" --quiet -o "$m" || { echo "FAIL: mkmodel $2 $3"; fail=1; continue; }
echo "== $2 $3"
run() { # name binary backend [options]
  local name=$1 b=$2 be=$3; shift 3
  "$b" run --model "$m" --backend "$be" --tokens 1 -n 8 --json --quiet "$@" >"$wd/$name.json" 2>"$wd/$name.err" \
    || { echo "FAIL: $name: exit $?"; cat "$wd/$name.err"; fail=1; }
}
run functional "$bin" cmodel-functional
run cmodel "$bin" cmodel
run cmodel-host "$bin" cmodel --step host
[ -n "$rtl" ] && run rtl "$rtl" rtl && run rtl-host "$rtl" rtl --step host
python3 - "$wd" "${rtl:+rtl}" <<'PY' || fail=1
import json, sys
wd, with_rtl = sys.argv[1], sys.argv[2] == "rtl"
ok = True
def check(name, cond):
    global ok
    print(("ok: " if cond else "FAIL: ") + name)
    ok = ok and cond
f, c = json.load(open(wd + "/functional.json")), json.load(open(wd + "/cmodel.json"))
check("cmodel: 8 tokens, as cmodel-functional %s" % c["generated"], c["generated"] == f["generated"] and len(c["generated"]) == 8)
check("cmodel reports simulated cycles (%s)" % c.get("sim_cycles"), c.get("sim_cycles", 0) > 0 and c["backend"] == "cmodel")
ch = json.load(open(wd + "/cmodel-host.json"))
check("the device step on both (%s, %s), the host step with --step host" % (f.get("step"), c.get("step")),
      f.get("step") == "device" and c.get("step") == "device" and ch.get("step") == "host")
print("cmodel: %.1f tokens/s host, %d cycles for %d steps (%.0f per token)" % (c["host_tokens_per_s"], c["sim_cycles"], c["steps"], c["sim_cycles"] / c["steps"]))
if with_rtl:
    r = json.load(open(wd + "/rtl.json"))
    check("rtl: same tokens as cmodel %s" % r["generated"], r["generated"] == c["generated"])
    check("rtl: same simulated cycles as cmodel (%s)" % r.get("sim_cycles"), r.get("sim_cycles") == c["sim_cycles"])
    rh = json.load(open(wd + "/rtl-host.json"))
    check("rtl: the device step, cycle for cycle per token as cmodel", r.get("step") == "device" and
          r.get("sim_step_cycles") == c.get("sim_step_cycles"))
    check("rtl --step host: same tokens and GEMV cycles per weight kind as cmodel", rh["generated"] == ch["generated"] and
          all(rh["gemv"][w]["cycles"] == ch["gemv"][w]["cycles"] for w in ch["gemv"]))
    print("rtl: %.2f tokens/s host, %d cycles for %d steps" % (r["host_tokens_per_s"], r["sim_cycles"], r["steps"]))
sys.exit(0 if ok else 1)
PY
done
exit $fail
