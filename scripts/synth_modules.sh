#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Yosys cell counts per module of edgecim_top for one named hardware configuration, for the area
# model (perf/perf_area.c): the top synthesized hierarchically with the CIM macros and the SRAMs
# as blackboxes (their storage is counted as SRAM bit-cells), then one CIM macro alone (its weight
# banks are flops in the RTL: the area model replaces them by bit-cells).
# Usage: scripts/synth_modules.sh CFG BUILD_DIR "-GNTiles=.. .." "SYNTH_SRCS"
#   -> BUILD_DIR/synth/CFG/{top,macro}.stat (make area-synth HW=CFG; make area-cells checks them
#   in as perf/area_cells.txt)
set -euo pipefail
cfg=$1; build=$2; params=$3; srcs=$4
out=$build/synth/$cfg
mkdir -p "$out/src"
# Yosys 0.23 does not parse named assignment patterns ('{field: value, ...}); every one in rtl/
# lists the fields of a packed struct in declaration order, so the synthesis copy turns each into
# the equivalent concatenation (rtl/ itself is unchanged).
python3 - "$out/src" $srcs <<'PY'
import re, sys, os
out = sys.argv[1]
for path in sys.argv[2:]:
    text = open(path).read()
    text = re.sub(r"'\{([^{}]*)\}", lambda m: "{" + re.sub(r"\b\w+:\s*", "", m.group(1)) + "}", text)
    open(os.path.join(out, os.path.basename(path)), "w").write(text)
PY
srcs=$(for f in $srcs; do echo "$out/src/$(basename "$f")"; done | tr '\n' ' ')
chp=""; mp=""
for p in $params; do
  kv=${p#-G}; k=${kv%%=*}; v=${kv#*=}
  chp="$chp chparam -set $k $v edgecim_top;"
  case $k in MacroRows) mp="$mp chparam -set Rows $v cim_macro;";; MacroCols) mp="$mp chparam -set Cols $v cim_macro;";;
             MaxWBits) mp="$mp chparam -set WBits $v cim_macro;";; ABits) mp="$mp chparam -set ABits $v cim_macro;";;
             DataBytes) mp="$mp chparam -set WrBits $((v * 8)) cim_macro;";; esac
done
echo "synth_modules: $cfg: top without macros (log $out/top.log)"
yosys -q -l "$out/top.log" -p "read_verilog -sv -lib rtl/edgecim_sram.sv rtl/edgecim_sram_be.sv rtl/cim_macro.sv; \
  read_verilog -sv $(echo "$srcs" | tr ' ' '\n' | grep -v -e edgecim_sram.sv -e edgecim_sram_be.sv -e cim_macro.sv | tr '\n' ' '); $chp \
  hierarchy -check -top edgecim_top; synth -top edgecim_top; tee -q -o $out/top.stat stat" >/dev/null
echo "synth_modules: $cfg: one CIM macro (log $out/macro.log)"
yosys -q -l "$out/macro.log" -p "read_verilog -sv rtl/cim_macro.sv; $mp synth -flatten -top cim_macro; \
  tee -q -o $out/macro.stat stat" >/dev/null
echo "synth_modules: $cfg: done ($out)"
