# SPDX-License-Identifier: Apache-2.0
# Shared by the CLI test scripts (sourced): `check NAME EXPR` and `expect_rc NAME RC CMD...`
# print ok/FAIL lines and set fail=1 on a failure; a command's output lands in $wd/out, $wd/err.
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
expect_rc() { # name rc cmd...
  local name=$1 want=$2; shift 2
  "$@" >"$wd/out" 2>"$wd/err"; local rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL: $name: exit $rc, expected $want"; cat "$wd/err"; fail=1; else echo "ok: $name"; fi
}
