#!/usr/bin/env bash
# Counts the results tests/run_one.sh recorded; last line "N passed, N failed"; exit 1 on failure.
set -u
dir=${TEST_OUT:-build/tests}
pass=0; fail=0
for f in "$dir"/*.result; do
  [ -e "$f" ] || continue
  if [ "$(cat "$f")" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "failed: $(basename "$f" .result)"; fi
done
if [ $((pass + fail)) -eq 0 ]; then echo "no test ran"; echo "0 passed, 1 failed"; exit 1; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
