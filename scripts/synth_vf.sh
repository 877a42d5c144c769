#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Synthesizes each VF32 module on its own (Yosys, generic gates, flattened) and prints a
# Markdown table of its cells: synth_vf.sh OUTDIR "SOURCES" MODULE...
# Logs and `stat` reports go to OUTDIR/<module>.log and .stat.
set -eu
out=$1; srcs=$2; shift 2
mkdir -p "$out"
printf '| module | cells | of which MUX | XOR/XNOR |\n| --- | ---: | ---: | ---: |\n'
for m in "$@"; do
  ${YOSYS:-yosys} -q -l "$out/$m.log" -p "read_verilog -sv $srcs; synth -flatten -top $m; tee -o $out/$m.stat stat" >/dev/null
  awk -v m="$m" '
    /Number of cells:/ { cells = $4 }
    /\$_MUX_/          { mux = $2 }
    /\$_X(N)?OR_/      { x += $2 }
    END { printf "| %s | %d | %d | %d |\n", m, cells, mux, x }' "$out/$m.stat"
done
