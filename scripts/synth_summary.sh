#!/usr/bin/env bash
# Prints the cell count of a Yosys `stat` report: synth_summary.sh STATFILE TOP
set -eu
f=$1; top=$2
cells=$(awk '/Number of cells:/ {n=$4} END {print n}' "$f")
ffs=$(awk '/\$_(S)?DFF/ {s+=$2} END {print s+0}' "$f")
echo "synth: $top: $cells cells ($ffs flip-flops) — full report: $f"
