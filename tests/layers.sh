#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The folders' dependency order (scripts/check_layers.py): the project has no include against it,
# and a tree with one (cmodel/ including a sw/ header) is caught.
# Usage: layers.sh WORKDIR
set -u
wd=$1
rm -rf "$wd"; mkdir -p "$wd/cmodel" "$wd/sw"
python3 scripts/check_layers.py . || exit 1
printf '#include "accel.h"\n' >"$wd/cmodel/bad.c"
printf '/* */\n' >"$wd/sw/accel.h"
if python3 scripts/check_layers.py "$wd" >"$wd/out"; then echo "FAIL: cmodel/ including sw/accel.h passed"; exit 1; fi
grep -q "cmodel/bad.c:1: includes accel.h of sw/" "$wd/out" || { echo "FAIL: the violation is not named"; cat "$wd/out"; exit 1; }
echo "ok: a cmodel/ file including a sw/ header is caught: $(head -1 "$wd/out")"
