#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Real-size bring-up on the RTL (make bench-rtl-token): one token of the full-size Qwen2.5-0.5B
# shape (mkmodel --vocab full, random Q4_0, made once in WORKDIR) through the device step on the
# Verilator RTL of configuration HW and on the cycle-exact C model; prints the simulated cycles,
# the host time, the RTL's cycles/s, and whether tokens and cycles agree (exit 1 if not).
# Usage: bench_rtl_token.sh EDGECIM EDGECIM_RTL WORKDIR HW
set -eu
bin=$1; rtl=$2; wd=$3; hw=$4
mkdir -p "$wd"
m="$wd/qwen2.5-0.5b-full.gguf"
[ -f "$m" ] || { echo "bench-rtl-token: making $m (full size)" >&2; "$bin" mkmodel --preset qwen2.5-0.5b --vocab full --quiet -o "$m.part"; mv "$m.part" "$m"; }
run() { # name binary backend
  local t0=$(date +%s.%N)
  EDGECIM_DRAM_MB=1024 "$2" run --model "$m" --backend "$3" --hw "$hw" --tokens 1 -n 1 --json --quiet >"$wd/$1.json"
  echo "$(date +%s.%N) - $t0" | bc >"$wd/$1.secs"
}
echo "bench-rtl-token: one token on the cycle-exact C model ($hw)" >&2
run cmodel "$bin" cmodel
echo "bench-rtl-token: one token on the RTL ($hw); progress is the RTL's own" >&2
run rtl "$rtl" rtl
python3 - "$wd" "$hw" <<'PY'
import json, sys
wd, hw = sys.argv[1:]
c, r = (json.load(open(f"{wd}/{n}.json")) for n in ("cmodel", "rtl"))
cs, rs = (float(open(f"{wd}/{n}.secs").read()) for n in ("cmodel", "rtl"))
same = c["generated"] == r["generated"] and c["sim_cycles"] == r["sim_cycles"]
print(f"full-size Qwen2.5-0.5B, one token, configuration {hw}: {r['sim_cycles']} simulated cycles")
print(f"  rtl:    {rs:8.1f} s host (wall, load included), {r['sim_cycles'] / rs:10.0f} cycles/s, tokens {r['generated']}")
print(f"  cmodel: {cs:8.1f} s host, {c['sim_cycles']} cycles, tokens {c['generated']}")
print("  rtl == cmodel (tokens and cycles): " + ("yes" if same else "NO"))
sys.exit(0 if same else 1)
PY
