#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The folders' dependency order (docs/ARCHITECTURE.md, "Where things live"): every #include "x.h"
of a C/C++ file must name a header of its own folder or of one the table below allows.  Prints
each violation (file:line, the header, its folder) and exits 1 if there is any.
Usage: scripts/check_layers.py [ROOT]"""
import os
import re
import sys

# folder -> the folders its code may include (its own is always allowed)
ALLOWED = {
    "include": set(),
    "fmt": {"include"},
    "cmodel": {"fmt", "include"},
    "tb": {"cmodel", "fmt", "include"},
    "sim": {"tb", "cmodel", "fmt", "include"},
    "slm": {"include"},
    "util": set(),
    "sw": {"cmodel", "fmt", "slm", "util", "include"},
    "perf": {"slm", "fmt", "include", "cmodel", "util"},
    "app": {"sw", "perf", "slm", "util", "cmodel", "fmt", "include"},
}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    home = {}  # header name -> folder
    for d in ALLOWED:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in files:
                if f.endswith((".h", ".hpp")):
                    home.setdefault(f, d)
    bad = checked = 0
    for d, allowed in ALLOWED.items():
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".cpp", ".hpp")):
                    continue
                path = os.path.join(dirpath, f)
                for n, line in enumerate(open(path, errors="replace"), 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    checked += 1
                    h = os.path.basename(m.group(1))
                    where = home.get(h)
                    if where and where != d and where not in allowed:
                        print(f"{os.path.relpath(path, root)}:{n}: includes {h} of {where}/, "
                              f"above {d}/ (allowed: {', '.join(sorted(allowed)) or 'none'})")
                        bad += 1
    print(f"check_layers: {checked} includes in {len(ALLOWED)} folders, {bad} against the order")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
