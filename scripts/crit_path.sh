#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Longest combinational paths of a synthesized configuration (scripts/synth_modules.sh's netlists):
# Yosys `ltp -noff` over the gate-level cells only (t:$_*: the SRAM and CIM-macro blackboxes are
# not combinational paths; their read outputs are registered; w:* because ltp walks the selected
# wires), on
#   - each module of the hierarchical netlist alone (paths inside it), ltp-modules.log;
#   - each module of the vector unit synthesized alone (make synth-vu), ltp-vu.log;
#   - with CRIT_TOP=1 the whole top flattened (paths across module boundaries), ltp-top.log;
#   - the post-processor flattened with its terms (synthesized alone), ltp-ppu[-DB].log;
#   - each synthesized macro (flattened already), ltp-macro-RxC.log.
# Usage: scripts/crit_path.sh SYNTH_DIR (make area-path HW=CFG); scripts/area_cells.py add reads them.
set -euo pipefail
d=$1
if [ -f "$d/top.il" ] && [ ! -f "$d/ltp-modules.log" -o "$d/top.il" -nt "$d/ltp-modules.log" ]; then
  echo "crit_path: $d: each module alone (log $d/ltp-modules.log)"
  yosys -q -l "$d/ltp-modules.log" -p "read_rtlil $d/top.il; ltp -noff w:* t:\$_*" >/dev/null
fi
# the vector unit synthesized alone (make synth-vu): each of its modules, as above
if [ -f "$d/vu.il" ] && [ ! -f "$d/ltp-vu.log" -o "$d/vu.il" -nt "$d/ltp-vu.log" ]; then
  echo "crit_path: $d: the vector unit's modules (log $d/ltp-vu.log)"
  yosys -q -l "$d/ltp-vu.log" -p "read_rtlil $d/vu.il; ltp -noff w:* t:\$_*" >/dev/null
fi
for il in "$d"/ppu*.il; do
  [ -f "$il" ] || continue
  m=$(basename "$il" .il)
  [ -f "$d/ltp-$m.log" ] && [ "$d/ltp-$m.log" -nt "$il" ] && continue
  echo "crit_path: $d: the post-processor flattened, $m (log $d/ltp-$m.log)"
  yosys -q -l "$d/ltp-$m.log" -p "read_rtlil $il; hierarchy -top cim_ppu; flatten; ltp -noff w:* t:\$_*" >/dev/null
done
for il in "$d"/macro-*.il; do
  [ -f "$il" ] || continue
  m=$(basename "$il" .il)
  [ -f "$d/ltp-$m.log" ] && [ "$d/ltp-$m.log" -nt "$il" ] && continue
  echo "crit_path: $d: $m (log $d/ltp-$m.log)"
  yosys -q -l "$d/ltp-$m.log" -p "read_rtlil $il; ltp -noff w:* t:\$_*" >/dev/null
done
# the whole top flattened (paths across modules; ~8 GB and many minutes): CRIT_TOP=1
if [ "${CRIT_TOP:-0}" = 1 ] && [ -f "$d/top.il" ]; then
  echo "crit_path: $d: the top flattened (log $d/ltp-top.log)"
  yosys -q -l "$d/ltp-top.log" -p "read_rtlil $d/top.il; hierarchy -top edgecim_top; flatten; ltp -noff w:* t:\$_*" >/dev/null
fi
echo "crit_path: $d: done"
