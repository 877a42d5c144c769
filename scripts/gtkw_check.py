#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that every signal of a GTKWave save file (.gtkw) is in a waveform (.fst), as GTKWave
names it (scope path, name and bit range); with --fit OUT, writes a copy of the save file whose
bit ranges are those of this waveform (another configuration of the same testbench).

Usage: gtkw_check.py [--fit OUT.gtkw] WAVES.fst SAVE.gtkw
Reads the FST's declarations with fst2vcd (GTKWave's tools: apt-get install gtkwave)."""
import re
import subprocess
import sys


def fst_names(path):
    """Every variable of the waveform as GTKWave names it: TOP.a.b.sig[7:0]."""
    proc = subprocess.Popen(["fst2vcd", path], stdout=subprocess.PIPE, text=True, errors="replace")
    scope, names = [], set()
    for line in proc.stdout:
        tok = line.split()
        if not tok:
            continue
        if tok[0] == "$scope":
            scope.append(tok[2])
        elif tok[0] == "$upscope":
            scope.pop()
        elif tok[0] == "$var":
            # $var kind width id name [range] $end
            rng = tok[5] if len(tok) > 6 and tok[5].startswith("[") else ""
            one = re.fullmatch(r"\[(\d+):\1\]", rng)  # GTKWave names a 1-bit vector x[k], not x[k:k]
            name = tok[4] + (f"[{one.group(1)}]" if one else rng)
            names.add(".".join(scope + [name]))
        elif tok[0] == "$enddefinitions":
            break
    proc.kill()
    proc.wait()
    return names


def gtkw_signals(lines):
    """(line index, signal name) of the traces of a save file (not comments, flags or settings)."""
    return [(i, l.strip()) for i, l in enumerate(lines)
            if l.strip() and l.strip()[0] not in "[*@-#+"]


def base(name):
    return re.sub(r"\[\d+(:\d+)?\]$", "", name)


def main(argv):
    fit = None
    if len(argv) > 1 and argv[0] == "--fit":
        fit, argv = argv[1], argv[2:]
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    fst, gtkw = argv
    names = fst_names(fst)
    if not names:
        print(f"gtkw_check: no signals read from {fst} (is fst2vcd installed?)")
        return 1
    by_base = {}
    for n in names:
        by_base.setdefault(base(n), n)
    lines = open(gtkw).read().splitlines(True)
    sigs = gtkw_signals(lines)
    missing = []
    for i, s in sigs:
        if s in names:
            continue
        if fit and base(s) in by_base:
            lines[i] = by_base[base(s)] + "\n"
            continue
        missing.append(s)
    for s in missing:
        print(f"gtkw_check: {gtkw}: {s} is not in {fst}")
    if fit:
        open(fit, "w").write("".join(lines))
        print(f"gtkw_check: wrote {fit} ({len(sigs) - len(missing)} of {len(sigs)} signals in {fst})")
    elif not missing:
        print(f"gtkw_check: all {len(sigs)} signals of {gtkw} are in {fst}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
