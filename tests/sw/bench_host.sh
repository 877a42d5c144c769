#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Host decode tokens/s of the cmodel-functional backend for each model and thread count: a run
# is BENCH_STEPS decode steps, its rate 1 / (median step time); the figure is the median over
# BENCH_RUNS runs.  With llama.cpp's llama-bench (LLAMA_BENCH, default
# build/llama.cpp/b/bin/llama-bench if it exists; LLAMA_BENCH=none skips it) the same files are
# timed with it (tg BENCH_STEPS, runs interleaved with ours so both see the same machine load).
# The load average is printed: on a shared machine the figures are only as good as it is idle.
# Usage: bench_host.sh EDGECIM MODEL.gguf [MODEL.gguf ...]
#        env: BENCH_THREADS ("1 2"), BENCH_STEPS (32), BENCH_RUNS (5), LLAMA_BENCH
set -eu
bin=$1; shift
threads=${BENCH_THREADS:-1 2}
steps=${BENCH_STEPS:-32}
runs=${BENCH_RUNS:-5}
llama=${LLAMA_BENCH:-build/llama.cpp/b/bin/llama-bench}
[ "$llama" != none ] && [ -x "$llama" ] || llama=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "bench-host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
for model in "$@"; do
  for t in $threads; do
    for r in $(seq "$runs"); do
      "$bin" run --model "$model" --tokens 1 -n "$steps" --backend cmodel-functional --threads "$t" \
        --json --quiet >"$tmp/e-$t-$r.json"
      if [ -n "$llama" ]; then
        "$llama" -m "$model" -p 0 -n "$steps" -t "$t" -r 1 -o json >"$tmp/l-$t-$r.json" 2>/dev/null \
          || echo '[]' >"$tmp/l-$t-$r.json"
      fi
    done
  done
  python3 - "$tmp" "$model" "$runs" "$llama" $threads <<'PY'
import json, os, statistics, sys
tmp, model, runs, llama, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
name = os.path.basename(model)
for t in threads:
    rates, shares = [], []
    for r in range(1, runs + 1):
        j = json.load(open("%s/e-%s-%d.json" % (tmp, t, r)))
        rates.append(1 / statistics.median(j["step_seconds"]))
        shares.append(sum(v["host_s"] for v in j["gemv"].values()) / j["host_seconds"])
    line = "bench-host: %s, %s thread%s: cmodel-functional %.1f tokens/s (median of %d runs of %d steps; " \
           "runs %.1f .. %.1f), GEMV %.0f%% of host time" % (
        name, j["threads"], "s" if j["threads"] > 1 else "", statistics.median(rates), runs, j["steps"],
        min(rates), max(rates), 100 * statistics.median(shares))
    if llama:
        lr = []
        for r in range(1, runs + 1):
            for res in json.load(open("%s/l-%s-%d.json" % (tmp, t, r))):
                if res.get("n_gen", 0) > 0:
                    lr += res.get("samples_ts", [res.get("avg_ts", 0)])
        if lr:
            med = statistics.median(lr)
            line += "; llama.cpp %.1f tokens/s -> %.2fx" % (med, statistics.median(rates) / med)
        else:
            line += "; llama.cpp: no result"
    print(line)
PY
done
echo "bench-host: load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
