#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cells of every module of a hierarchical Yosys `stat -top` report, its submodules included:
stat_inclusive.py STATFILE [MODULE...] (default: the top and its direct submodules; a flat report,
with no design hierarchy, lists every module). Parameterized names ($paramod$<hash>\\name) print
as name."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yosys_stat import hierarchy, sections, short  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: stat_inclusive.py STATFILE [MODULE...]")
    try:
        text = open(sys.argv[1]).read()
    except OSError as e:
        sys.exit(f"stat_inclusive: {e}")
    own, tree, top = {}, {}, None
    for name, body in sections(text):
        if name == "design hierarchy":
            top, tree = hierarchy(body)
        else:
            c = re.search(r"Number of cells:\s+(\d+)", body)
            own[name] = int(c.group(1)) if c else 0
    if not own:
        sys.exit(f"stat_inclusive: {sys.argv[1]}: no '=== module ===' section (not a Yosys stat report)")

    def incl(mod):
        return own.get(mod, 0) + sum(n * incl(sub) for sub, n in tree.get(mod, {}).items())

    mods = sys.argv[2:] or ([top] + list(tree.get(top, {})) if top else list(own))
    for mod in mods:
        full = next((k for k in own if short(k) == mod or k == mod), mod)
        print(f"{short(full):16s} {incl(full):9d} cells (own {own.get(full, 0)})")


if __name__ == "__main__":
    main()
