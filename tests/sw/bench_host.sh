#!/usr/bin/env bash
# Host decode tokens/s of the cmodel-functional backend: one core, median of per-step rates.
# Usage: bench_host.sh EDGECIM MODEL.gguf
set -eu
bin=$1; model=$2
steps=${BENCH_STEPS:-8}
json=$(taskset -c 0 "$bin" run --model "$model" --tokens 1 -n "$steps" --backend cmodel-functional --json --quiet 2>/dev/null \
       || "$bin" run --model "$model" --tokens 1 -n "$steps" --backend cmodel-functional --json --quiet)
python3 - "$json" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
st = sorted(j["step_seconds"])
med = st[len(st) // 2]
print("bench-host: %s on %s: %d decode steps, median step %.1f ms -> %.2f tokens/s host (one core)" %
      (j["backend"], j["model"], j["steps"], med * 1e3, 1 / med))
g = j["gemv"]
tot = sum(v["host_s"] for v in g.values())
print("bench-host: GEMV share of host time %.1f%%" % (100 * tot / j["host_seconds"]))
PY
