#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints the cell count of a Yosys `stat` report: synth_summary.sh STATFILE TOP
# With a hierarchy (`stat -top`), only the design-hierarchy total at the end is read.
set -eu
f=$1; top=$2
awk -v top="$top" -v f="$f" '
  /Number of cells:/ { cells = $4; ff = 0; sram = 0 }       # restart at every section: keep the last
  /\$_(S)?DFF/      { ff += $2 }
  /edgecim_sram/ && NF == 2 && $2 ~ /^[0-9]+$/ { sram += $2 }
  END {
    printf "synth: %s: %d cells (%d flip-flops)", top, cells, ff
    if (sram) printf ", plus %d SRAM macros (blackboxes)", sram
    printf " — full report: %s\n", f
  }' "$f"
