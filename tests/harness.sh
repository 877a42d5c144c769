#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test harness itself: tests/run_one.sh passes a test's exit status on (so `make test-NAME`
# fails with it) and records PASS/FAIL; tests/summary.sh counts them, last line
# "N passed, N failed", exit 1 on a failure or when no test ran, and a selected test without a
# result is a failure; `make test` fails when a selected test's build fails.
# Usage: harness.sh WORKDIR
set -u
wd=$1
rm -rf "$wd"; mkdir -p "$wd"
wd=$(cd "$wd" && pwd)
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
here=$(dirname "$0")
export TEST_OUT="$wd/results"

"$here/run_one.sh" passes true >"$wd/pass.out"; rc=$?
check "run_one.sh: a passing test exits 0 and records PASS" "[ $rc = 0 ] && [ \"\$(cat '$TEST_OUT/passes.result')\" = PASS ]"
check "... and prints its time" "grep -Eq '^PASS +passes +[0-9]+s  \\(CPU [0-9]+s\\)$' '$wd/pass.out'"
"$here/run_one.sh" fails sh -c 'echo some output; exit 3' >"$wd/fail.out"; rc=$?
check "run_one.sh: a failing test exits with its status (3) and records FAIL" "[ $rc = 3 ] && [ \"\$(cat '$TEST_OUT/fails.result')\" = FAIL ]"
check "... prints its time, exit status and log tail" "grep -Eq '^FAIL +fails +[0-9]+s  \\(CPU [0-9]+s; exit 3, log ' '$wd/fail.out' && grep -q '| some output' '$wd/fail.out'"
"$here/summary.sh" >"$wd/sum.out"; rc=$?
check "summary.sh: '1 passed, 1 failed' last, exit 1" "[ $rc = 1 ] && [ \"\$(tail -n 1 '$wd/sum.out')\" = '1 passed, 1 failed' ]"
rm -f "$TEST_OUT/fails.result"
"$here/summary.sh" >"$wd/sum.out"; rc=$?
check "summary.sh: all passed, exit 0" "[ $rc = 0 ] && [ \"\$(tail -n 1 '$wd/sum.out')\" = '1 passed, 0 failed' ]"
"$here/summary.sh" passes built-not >"$wd/sum.out"; rc=$?
check "summary.sh NAMES: a selected test without a result fails, named" \
  "[ $rc = 1 ] && grep -qx 'failed: built-not (no result: build or run failed)' '$wd/sum.out' && [ \"\$(tail -n 1 '$wd/sum.out')\" = '1 passed, 1 failed' ]"
"$here/summary.sh" passes >"$wd/sum.out"; rc=$?
check "summary.sh NAMES: every selected test passed, exit 0" "[ $rc = 0 ] && [ \"\$(tail -n 1 '$wd/sum.out')\" = '1 passed, 0 failed' ]"
rm -f "$TEST_OUT"/*.result
"$here/summary.sh" >"$wd/sum.out"; rc=$?
check "summary.sh: no test ran is a failure" "[ $rc = 1 ] && grep -q 'no test ran' '$wd/sum.out'"

# make test end to end (the real Makefile, BUILD in WORKDIR) on the util test: built with a
# compiler that fails, it never runs, and must still fail `make test` by name; built, it passes
# and its result is under BUILD.
top=$(cd "$here/.." && pwd)
make_top() { (cd "$top" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory BUILD="$wd/build" "$@"); }
make_top test T=util CC=false >"$wd/make.out" 2>&1; rc=$?
check "make test: a selected test whose build fails makes it exit non-zero ($rc)" "[ $rc != 0 ]"
check "... naming it" \
  "grep -qx 'failed: util (no result: build or run failed)' '$wd/make.out' && grep -qx '0 passed, 1 failed' '$wd/make.out'"
make_top test T=util >"$wd/make.out" 2>&1; rc=$?
check "make test: the same test built passes, exit 0, its result under BUILD" \
  "[ $rc = 0 ] && [ \"\$(tail -n 1 '$wd/make.out')\" = '1 passed, 0 failed' ] && [ -e '$wd/build/tests/util.result' ]"
exit $fail