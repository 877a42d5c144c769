#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# DSE speed: a 10^6-point grid x 13 models, 3 runs, median of design points x models per second.
# Usage: bench_dse.sh EDGECIM_PERF_BIN THREADS WORKDIR
set -euo pipefail
bin=$1; threads=$2; work=$3
mkdir -p "$work"
# 80 x 16 x 17 x 8 x 6 = 1,044,480 design points
grid=(--grid tiles=1:80 --grid macros_per_tile=1:16 --grid clock_mhz=100:500:25
      --grid resident_banks=0:7 --grid xbuf_kb=4,8,16,32,64,128)
rates=()
for run in 1 2 3; do
  line=$("$bin" dse "${grid[@]}" --threads "$threads" --quiet --no-plots --out "$work/run$run" | grep '^dse: grid')
  echo "  run $run: $line"
  rates+=("$(sed -E 's/.* s: ([0-9.e+]+) points x models per second.*/\1/' <<<"$line")")
done
median=$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 2p)
printf 'bench-dse: median %.3g design points x models per second (%s threads, 10^6-point grid x 13 models, TTFT constraint on)\n' "$median" "$threads"
