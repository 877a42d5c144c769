#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one test command, logs its output and records PASS/FAIL for tests/summary.sh.  Exits
# with the test's status, so that `make test-NAME` fails with it (`make test` runs make -k and
# lets tests/summary.sh decide).
# Usage: tests/run_one.sh NAME CMD [ARGS...]
set -u
name=$1; shift
dir=${TEST_OUT:-build/tests}
mkdir -p "$dir"
log="$dir/$name.log"
# Wall time, and the CPU time of the test and its children (the machine may be shared: CPU time
# is what the test costs, wall time what it took).
TIMEFORMAT='%R %U %S'
tf=$(mktemp)
{ time "$@" >"$log" 2>&1; } 2>"$tf"
rc=$?
read -r real user sys <"$tf"; rm -f "$tf"
secs=$(printf '%.0f' "$real"); cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", u + s }')
if [ "$rc" = 0 ]; then
  echo PASS >"$dir/$name.result"
  printf 'PASS  %-40s %4ss  (CPU %ss)\n' "$name" "$secs" "$cpu"
else
  echo FAIL >"$dir/$name.result"
  printf 'FAIL  %-40s %4ss  (CPU %ss; exit %s, log %s)\n' "$name" "$secs" "$cpu" "$rc" "$log"
  tail -n 15 "$log" | sed 's/^/      | /'
fi
exit "$rc"
