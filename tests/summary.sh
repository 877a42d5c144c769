#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Counts the results tests/run_one.sh recorded; last line "N passed, N failed"; exit 1 on failure.
# Usage: tests/summary.sh [NAME ...]
# NAMEs are the selected tests (`make test` passes them): each must have a result, and one
# without (its build failed, so its run_one.sh never ran, or the run was killed) is a failure,
# named as such.  A test's NAME is its make target without "test-", the name its recipe gives
# run_one.sh.  Without NAMEs: every result found.
set -u
dir=${TEST_OUT:-build/tests}
pass=0; fail=0
count() { # NAME
  local f="$dir/$1.result"
  if [ ! -e "$f" ]; then fail=$((fail + 1)); echo "failed: $1 (no result: build or run failed)"
  elif [ "$(cat "$f")" = PASS ]; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "failed: $1"; fi
}
if [ $# -gt 0 ]; then
  for name in "$@"; do count "$name"; done
  # A result of no selected test: some recipe gives run_one.sh another name than its target's
  # (that test is counted above as without a result).
  for f in "$dir"/*.result; do
    [ -e "$f" ] || continue
    n=$(basename "$f" .result)
    case " $* " in *" $n "*) ;; *) echo "warning: result '$n' is of no selected test (run_one.sh NAME must be the target without test-)";; esac
  done
else
  for f in "$dir"/*.result; do
    [ -e "$f" ] || continue
    count "$(basename "$f" .result)"
  done
fi
if [ $((pass + fail)) -eq 0 ]; then echo "no test ran"; echo "0 passed, 1 failed"; exit 1; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
