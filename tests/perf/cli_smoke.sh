#!/usr/bin/env bash
# The perf/dse/report sub-commands end to end (sanitizer build): valid JSON, clear usage errors,
# NSGA-II outputs, a small report with its plots. Usage: cli_smoke.sh EDGECIM_PERF_BIN WORKDIR
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }

"$bin" perf --json >"$work/perf.json"; json_ok "$work/perf.json"
"$bin" perf --model llama3.2-1b --breakdown --set dram_gb_s=102.4 | tee "$work/perf.txt"
grep -q "gemv_stream" "$work/perf.txt"
"$bin" perf --params | grep -q "^dram_gb_s"
"$bin" perf --list-models | grep -q "bitnet-b1.58-2b (WBits=2)"

expect_fail() { # expect exit 2 and a message on stderr
  local want=$1; shift
  if "$@" >/dev/null 2>"$work/err.txt"; then echo "accepted: $*"; exit 1; fi
  grep -q -- "$want" "$work/err.txt" || { echo "message for '$*' lacks '$want':"; cat "$work/err.txt"; exit 1; }
  echo "refused as expected: $* -> $(head -1 "$work/err.txt")"
}
expect_fail "unknown parameter 'tilez'" "$bin" perf --set tilez=3
expect_fail "unknown model 'gpt5'" "$bin" perf --model gpt5
expect_fail "clock_mhz 900 > clock_max_mhz" "$bin" perf --set clock_mhz=900
expect_fail "needs a value" "$bin" dse --grid
expect_fail "not K/N" "$bin" dse --shard 3/3
expect_fail "unknown option '--bogus'" "$bin" report --bogus

"$bin" dse --search nsga2 --pop 16 --gens 5 --grid tiles=1:8 --grid macros_per_tile=1:8 \
  --grid clock_mhz=100:500:100 --quiet --no-plots --out "$work/nsga" | tee "$work/nsga.txt"
json_ok "$work/nsga/pareto.json"
grep -q "^chosen:" "$work/nsga.txt"
test -s "$work/nsga/pareto.csv" && test -s "$work/nsga/dse.md" && test -s "$work/nsga/chosen.cfg"
"$bin" perf --config "$work/nsga/chosen.cfg" --model qwen3-0.6b >/dev/null

"$bin" report --grid tiles=1,2,4 --grid macros_per_tile=2,8,16 --grid clock_mhz=200,400 --quiet \
  --out "$work/doc/results.md" --img "$work/doc/img" --work "$work/report"
grep -q "## Summary" "$work/doc/results.md"
grep -q "snapdragon-8-elite" "$work/doc/results.md"
if command -v gnuplot >/dev/null; then
  for s in tok_s tok_j bw_sweep pareto_fronts; do grep -q "<svg" "$work/doc/img/$s.svg"; done
  grep -q "](img/tok_s.svg)" "$work/doc/results.md"
else
  grep -q "Plots skipped" "$work/doc/results.md"
fi
echo "cli smoke: ok"
