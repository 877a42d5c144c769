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
start=$(date +%s)
"$@" >"$log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ "$rc" = 0 ]; then
  echo PASS >"$dir/$name.result"
  printf 'PASS  %-40s %4ss\n' "$name" "$secs"
else
  echo FAIL >"$dir/$name.result"
  printf 'FAIL  %-40s %4ss (exit %s, log %s)\n' "$name" "$secs" "$rc" "$log"
  tail -n 15 "$log" | sed 's/^/      | /'
fi
exit "$rc"
