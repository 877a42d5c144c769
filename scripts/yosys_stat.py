# SPDX-License-Identifier: Apache-2.0
"""Reading Yosys `stat` reports (shared by scripts/area_cells.py and scripts/stat_inclusive.py)."""
import re


def short(name):
    """$paramod$<hash>\\name, $paramod\\name\\P=V, \\name -> name"""
    return re.sub(r"^\$paramod(\$[0-9a-f]+)?\\", "", name).lstrip("\\").split("\\")[0]


def sections(text):
    """(module name, body) of each `=== name ===` section, the design hierarchy's too."""
    for m in re.finditer(r"^=== (.+?) ===\n(.*?)(?=^=== |\Z)", text, re.S | re.M):
        yield m.group(1), m.group(2)


def hierarchy(body):
    """(top, {module: {submodule: instances}}) of the `design hierarchy` section's indented tree."""
    tree, top, stack = {}, None, []
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
    return top, tree
