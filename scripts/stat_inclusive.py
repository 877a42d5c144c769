#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cells of every module of a hierarchical Yosys `stat -top` report, its submodules included:
stat_inclusive.py STATFILE [MODULE...] (default: the top and its direct submodules). Parameterized
names ($paramod$<hash>\\name) print as name."""
import re
import sys


def short(name):
    return re.sub(r"^\$paramod(\$[0-9a-f]+)?\\", "", name).split("\\")[0]


def main():
    text = open(sys.argv[1]).read()
    own, tree, top = {}, {}, None
    for m in re.finditer(r"^=== (.+?) ===\n(.*?)(?=^=== |\Z)", text, re.S | re.M):
        name, body = m.group(1), m.group(2)
        if name == "design hierarchy":
            stack = []
            for line in body.splitlines():
                if "Number of" in line:
                    break
                mm = re.match(r"^(\s+)(\S+)\s+(\d+)$", line)
                if not mm:
                    continue
                depth, mod, cnt = len(mm.group(1)), mm.group(2), int(mm.group(3))
                while stack and stack[-1][0] >= depth:
                    stack.pop()
                if stack:
                    tree.setdefault(stack[-1][1], {})[mod] = cnt
                else:
                    top = mod
                stack.append((depth, mod))
        else:
            c = re.search(r"Number of cells:\s+(\d+)", body)
            own[name] = int(c.group(1)) if c else 0

    def incl(mod):
        return own.get(mod, 0) + sum(n * incl(sub) for sub, n in tree.get(mod, {}).items())

    mods = sys.argv[2:] or [top] + list(tree.get(top, {}))
    for mod in mods:
        full = next((k for k in own if short(k) == mod or k == mod), mod)
        print(f"{short(full):16s} {incl(full):9d} cells (own {own.get(full, 0)})")


if __name__ == "__main__":
    main()
