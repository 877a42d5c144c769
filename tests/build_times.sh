#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Verilator builds under BUILD with their wall and CPU time (each build writes
# <dir>.build.time: "wall user sys"), the costliest first, and their total.
# Usage: tests/build_times.sh [BUILD] [N] [STAMP]   (N: how many lines, default all; STAMP: only
# the builds made since that file was written)
set -u
build=${1:-build} n=${2:-0} stamp=${3:-}
files=$(find "$build" -name '*.build.time' ${stamp:+-newer "$stamp"} 2>/dev/null)
[ -n "$files" ] || { echo "  no Verilator build under $build${stamp:+ since $stamp}"; exit 0; }
for f in $files; do
  read -r w u s <"$f" && awk -v f="${f%.build.time}" -v w="$w" -v u="$u" -v s="$s" \
    'BEGIN { printf "%6.0f %6.0f  %s\n", u + s, w, f }'
done | sort -rn | awk -v n="$n" '
  { cpu += $1; wall += $2; k++; if (n == 0 || k <= n) printf "  verilator  %-44s %5ss  (CPU %ss)\n", $3, $2, $1 }
  END { printf "  %d Verilator builds: %.0f s wall, %.0f s CPU in all\n", k, wall, cpu }'
