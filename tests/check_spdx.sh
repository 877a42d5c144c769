#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every tracked source file (C, C++, SystemVerilog, Verilator/Yosys/Tcl scripts, Python, shell,
# make, FuseSoC cores, GTKWave save files) names its licence in its first lines:
# "SPDX-License-Identifier: Apache-2.0" (LICENSE). JSON, Markdown and data files have no comments.
# Usage: tests/check_spdx.sh   (from the top of the repository)
set -u
fail=0 n=0
while IFS= read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    tests/data/*) continue ;;  # third-party data and its licence texts
    *.c|*.h|*.cpp|*.hpp|*.sv|*.svh|*.v|*.vlt|*.py|*.sh|*.mk|Makefile|*.core|*.tcl|*.ys|*.gtkw) ;;
    *) head -c 2 "$f" | grep -q '^#!' || continue ;;  # scripts without an extension (.ci/run)
  esac
  n=$((n + 1))
  if ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0'; then
    echo "no 'SPDX-License-Identifier: Apache-2.0' in the first lines of $f"; fail=1
  fi
done < <(git ls-files 2>/dev/null || find . -type f -not -path './build/*' -not -path './.git/*')
[ "$fail" = 0 ] && echo "all $n source files carry SPDX-License-Identifier: Apache-2.0"
[ "$fail" = 0 ] || echo "scripts/spdx_add.py adds the line (in each file type's comment style) to every file that lacks it"
exit "$fail"
