#!/usr/bin/env bash
# Runs one test command, logs its output and records PASS/FAIL for tests/summary.sh.
# Usage: tests/run_one.sh NAME CMD [ARGS...]
set -u
name=$1; shift
dir=${TEST_OUT:-build/tests}
mkdir -p "$dir"
log="$dir/$name.log"
start=$(date +%s)
if "$@" >"$log" 2>&1; then
  echo PASS >"$dir/$name.result"
  printf 'PASS  %-40s %4ss\n' "$name" "$(( $(date +%s) - start ))"
else
  rc=$?
  echo FAIL >"$dir/$name.result"
  printf 'FAIL  %-40s (exit %s, log %s)\n' "$name" "$rc" "$log"
  tail -n 15 "$log" | sed 's/^/      | /'
fi
exit 0
