#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs real SLM layer shapes on the RTL (Verilator builds of edgecim_top) for several tile and
# DRAM configurations and compares the cycles with the performance model (perf/perf_calibrate.c).
# Usage: scripts/calibrate.sh BUILD_DIR COMPARATOR
set -euo pipefail
build=$1; cmp=$2
shapes=896x1152,896x896,4864x896,1024x4096,2048x1024
out=$build/calibrate.txt
: > "$out"
# Read bytes in flight = min(DMA FIFO, DRAM request queue (8) x read burst) x 16 bytes.
run() {  # run CFG TILES MACROS INFLIGHT_BYTES BW LATENCY [SHAPES]
  local cfg=$1 tiles=$2 macros=$3 inflight=$4 bw=$5 lat=$6 list=${7:-$shapes}
  echo "calibrate: RTL $cfg, $bw B/cycle, latency $lat" >&2
  "$build/sim/top-$cfg/Vsim" --seed 1 --shapes "$list" --bw "$bw" --latency "$lat" |
    awk -v t="$tiles" -v m="$macros" -v bw="$bw" -v lat="$lat" -v inf="$inflight" '
      /^BENCH/ { gsub(/= +/, "="); for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                 print "CALIB", t, m, bw, lat, inf, v["K"], v["N"], v["cycles"] }
      /^result/ && $2 != "PASS" { print "calibrate: the RTL run failed" > "/dev/stderr"; exit 1 }' >> "$out"
}
run default 2 1 2048 16 40
run default 2 1 2048 8 100
run quad 4 1 1024 16 90
run narrow 1 2 1024 6 25 896x1152,896x896,1024x4096,2048x1024,3072x1024   # MaxK = 4096
"$cmp" < "$out"
