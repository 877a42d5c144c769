#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The waveform-on-failure workflow end to end: a co-simulation failed on purpose at cycle C
# (--inject-mismatch) reruns itself in its trace build (SIM_TRACE_BUILD builds it when missing),
# fails again at the same cycle, and names an FST of the cycles before C; every signal of the
# testbench's .gtkw is in that FST (scripts/gtkw_check.py), and GTKWave opens the two and shows
# them all (headless, when xvfb-run is installed).
# Usage: tests/waves.sh VSIM SAVE.gtkw WORKDIR C [TESTBENCH OPTIONS...]
set -u
vsim=$1 gtkw=$2 wd=$3 c=$4; shift 4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$wd"; mkdir -p "$wd"
fst=$wd/fail.fst
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
"$vsim" "$@" --inject-mismatch "$c" --fail-trace 500 --fail-fst "$fst" >"$wd/run.out" 2>&1; rc=$?
cat "$wd/run.out"
check "the run fails (exit 1, got $rc)" "[ $rc = 1 ]"
check "the MISMATCH message names cycle $c" "grep -q '^MISMATCH .*cycle=$c ' '$wd/run.out'"
check "the failure message names the FST of cycles $((c - 500))..$((c + 1))" \
  "grep -qF 'FAILED at cycle $c; waveform of cycles $((c - 500))..$((c + 1)) (cycle N at time 10*N): $fst' '$wd/run.out'"
check "the rerun failed at the same cycle (no determinism warning)" "! grep -q 'WARNING: the traced rerun' '$wd/run.out'"
check "the FST is there" "[ -s '$fst' ]"
check "every signal of $gtkw is in it" "python3 '$here/../scripts/gtkw_check.py' '$fst' '$gtkw'"
if command -v xvfb-run >/dev/null && command -v gtkwave >/dev/null; then
  printf '%s\n' 'puts "GTKW-TRACES [gtkwave::getTotalNumTraces]"' 'gtkwave::/File/Quit' >"$wd/count.tcl"
  want=$(grep -cvE '^(\[|@|\*|$)' "$gtkw")
  got=$(timeout 120 xvfb-run -a gtkwave -S "$wd/count.tcl" "$fst" "$gtkw" 2>&1 | sed -n 's/^GTKW-TRACES //p')
  check "GTKWave opens it with the save file: $want traces shown (got '$got')" "[ '$got' = '$want' ]"
else
  echo "skipped: GTKWave's own check (no xvfb-run or gtkwave; apt-get install xvfb gtkwave)"
fi
exit "$fail"
