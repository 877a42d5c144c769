#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make help` names every .PHONY target and every knob (a variable set with ?= in Makefile or
# mk/*.mk); a test-NAME target may instead appear as NAME in its lists of tests.
# Usage: tests/check_help.sh   (from the top of the repository)
set -u
help=$(make --no-print-directory help) || { echo "make help failed"; exit 1; }
words=" $(echo "$help" | tr -s ' \t|[]()=,:;' '\n' | sort -u | tr '\n' ' ') "
phony=$(make --no-print-directory -pRrq -f Makefile __check_help_nothing__ 2>/dev/null |
        sed -n 's/^\.PHONY: *//p' | tr ' ' '\n' | grep -v '^$' | sort -u)
knobs=$(grep -hoE '^[A-Z][A-Z0-9_]* *\?=' Makefile mk/*.mk | sed 's/ *?=//' | sort -u)
fail=0
for t in $phony; do
  case "$words" in *" $t "*) continue;; esac
  case "$t" in test-*) case "$words" in *" ${t#test-} "*) continue;; esac;; esac
  echo "make help does not name the target '$t'"; fail=1
done
for k in $knobs; do
  case "$help" in *"$k="*) continue;; esac
  echo "make help does not name the knob '$k' (as $k=...)"; fail=1
done
n_t=$(echo "$phony" | wc -w); n_k=$(echo "$knobs" | wc -w)
[ "$fail" = 0 ] && echo "make help names all $n_t .PHONY targets and all $n_k knobs"
exit "$fail"
