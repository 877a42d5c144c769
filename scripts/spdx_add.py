#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Adds "SPDX-License-Identifier: Apache-2.0" to the first lines of source files that lack it,
in each file type's comment style (the rule tests/check_spdx.sh checks):
  C, C++ headers and sources   /* SPDX-License-Identifier: Apache-2.0 */   first line
  SystemVerilog, .vlt          // SPDX-License-Identifier: Apache-2.0      first line
  shell, Python, make, Tcl, Yosys scripts   # ...   after a #! line if there is one
  FuseSoC cores                # ...   after the CAPI=2: line (it must stay the first)
  GTKWave save files           [*] ...  first line
Usage: scripts/spdx_add.py [FILE...]   (no files: every tracked file, as check_spdx.sh selects them)
Prints the files it changed; a file that already has the line is left as it is."""
import os
import subprocess
import sys

SPDX = "SPDX-License-Identifier: Apache-2.0"


def style(path):
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1]
    if ext in (".c", ".h", ".cpp", ".hpp"):
        return "c"
    if ext in (".sv", ".svh", ".v", ".vlt"):
        return "sv"
    if ext == ".core":
        return "core"
    if ext == ".gtkw":
        return "gtkw"
    if ext in (".py", ".sh", ".mk", ".tcl", ".ys") or base == "Makefile":
        return "hash"
    try:
        with open(path, "rb") as f:
            if f.read(2) == b"#!":
                return "hash"
    except OSError:
        pass
    return None


def add(path):
    kind = style(path)
    if kind is None or path.startswith("tests/data/"):
        return False
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    if any(SPDX in line for line in lines[:5]):
        return False
    at = 0
    if kind == "c":
        line = f"/* {SPDX} */\n"
    elif kind == "sv":
        line = f"// {SPDX}\n"
    elif kind == "gtkw":
        line = f"[*] {SPDX}\n"
    else:
        line = f"# {SPDX}\n"
        if lines and (lines[0].startswith("#!") or (kind == "core" and lines[0].startswith("CAPI="))):
            at = 1
    lines.insert(at, line)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("".join(lines))
    return True


def main(argv):
    files = argv[1:] or subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                                       check=True).stdout.split()
    for f in files:
        if os.path.isfile(f) and add(f):
            print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
