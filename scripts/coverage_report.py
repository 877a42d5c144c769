#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Per-RTL-file line and toggle coverage from a Verilator coverage.dat (make coverage).

Reads the merged .dat that verilator_coverage --write produced, keeps the points of the files
under rtl/, and writes a Markdown table (line %, toggle %) with each file's uncovered lines and
never-toggled signal bits (the first --max-list of them, with the count).

A point is one of Verilator's counters: v_line / v_branch (a block or an if/case arm, which
covers the source lines in its "linescov" key) and v_toggle (one bit of one signal).  A module
instantiated several times has one point per instance; here a point counts as covered when any
instance hit it (the question is whether the RTL's line ran, not whether each copy did).
A source line is covered when every line/branch point that lists it was hit.

--min-line / --min-toggle: exit 1 when a file is below the threshold (per file, percent) and not
named in --waive (a file whose gaps docs/COVERAGE.md explains).
"""
import argparse
import collections
import os
import re
import sys

KEYS = {"f": "file", "l": "line", "n": "column", "o": "comment", "h": "hier",
        "page": "page", "S": "linescov", "t": "type"}


def parse_dat(path):
    """Yield (dict of keys, count) per point of a coverage.dat."""
    rx = re.compile(r"^C '(.*)' (\d+)$")
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = rx.match(raw.rstrip("\n"))
            if not m:
                continue
            fields = {}
            for item in m.group(1).split("\x01"):
                if "\x02" in item:
                    k, v = item.split("\x02", 1)
                    fields[KEYS.get(k, k)] = v
            yield fields, int(m.group(2))


def lines_of(spec, default):
    out = set()
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return out or {default}


def collect(dat, prefix):
    # merged[(file, kind, line, column, comment)] = (max count, linescov)
    merged = {}
    for p, count in parse_dat(dat):
        fname = os.path.normpath(p.get("file", ""))
        if not fname.startswith(prefix):
            continue
        kind = p.get("page", "").split("/")[0]
        if kind not in ("v_line", "v_branch", "v_toggle"):
            continue
        key = (fname, "toggle" if kind == "v_toggle" else "line", int(p.get("line", 0)),
               int(p.get("column", 0)), p.get("comment", ""))
        prev = merged.get(key)
        merged[key] = (max(count, prev[0] if prev else 0), p.get("linescov", ""))
    files = collections.defaultdict(lambda: {"lines": {}, "toggles": {}})
    for (fname, kind, line, _col, comment), (count, linescov) in merged.items():
        rec = files[fname]
        if kind == "line":
            for ln in lines_of(linescov, line):
                rec["lines"][ln] = rec["lines"].get(ln, True) and count > 0
        else:
            tkey = (line, comment)
            rec["toggles"][tkey] = rec["toggles"].get(tkey, False) or count > 0
    return files


def pct(hit, total):
    return 100.0 * hit / total if total else 100.0


def ranges(nums):
    out, start, prev = [], None, None
    for n in sorted(nums):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append((start, prev))
            start = prev = n
    if start is not None:
        out.append((start, prev))
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dat", required=True)
    ap.add_argument("--prefix", default="rtl/")
    ap.add_argument("--out", default="-")
    ap.add_argument("--cmd", default="make coverage")
    ap.add_argument("--hw", default="default")
    ap.add_argument("--cfg", default="default")
    ap.add_argument("--top-args", default="")
    ap.add_argument("--ops", default="")
    ap.add_argument("--seed", default="")
    ap.add_argument("--notes", help="Markdown appended verbatim (the explanation of the gaps)")
    ap.add_argument("--max-list", type=int, default=12)
    ap.add_argument("--min-line", type=float)
    ap.add_argument("--min-toggle", type=float)
    ap.add_argument("--waive", default="", help="comma-separated files exempt from the thresholds")
    a = ap.parse_args()

    files = collect(a.dat, a.prefix)
    if not files:
        sys.exit(f"coverage_report: no points of {a.prefix}* in {a.dat}")
    rows, details, failing = [], [], []
    tl = th = tt = tth = 0
    waived = {w.strip() for w in a.waive.split(",") if w.strip()}
    for fname in sorted(files):
        rec = files[fname]
        nl, hl = len(rec["lines"]), sum(rec["lines"].values())
        nt, ht = len(rec["toggles"]), sum(rec["toggles"].values())
        tl, th, tt, tth = tl + nl, th + hl, tt + nt, tth + ht
        lp, tp = pct(hl, nl), pct(ht, nt)
        mark = ""
        if (a.min_line is not None and lp < a.min_line) or (a.min_toggle is not None and tp < a.min_toggle):
            mark = " (waived)" if fname in waived else " **below**"
            if fname not in waived:
                failing.append(fname)
        rows.append(f"| `{fname}` | {hl}/{nl} | {lp:.1f} | {ht}/{nt} | {tp:.1f} |{mark}")
        miss_l = sorted(ln for ln, ok in rec["lines"].items() if not ok)
        miss_t = sorted(k for k, ok in rec["toggles"].items() if not ok)
        if miss_l or miss_t:
            src = []
            if os.path.exists(fname):
                with open(fname, encoding="utf-8", errors="replace") as f:
                    src = f.read().split("\n")
            d = [f"### `{fname}`", ""]
            if miss_l:
                d.append(f"{len(miss_l)} uncovered lines ({ranges(miss_l)}); the first {min(len(miss_l), a.max_list)}:")
                d.append("")
                d.append("```")
                for ln in miss_l[:a.max_list]:
                    text = src[ln - 1].strip() if 0 < ln <= len(src) else ""
                    d.append(f"{ln:5d}: {text[:100]}")
                d.append("```")
            if miss_t:
                names = [f"{c} (l{ln})" for ln, c in miss_t[:a.max_list]]
                more = f", ... ({len(miss_t)} in all)" if len(miss_t) > a.max_list else ""
                d.append(f"{len(miss_t)} signal bits never toggled: " + ", ".join(f"`{n}`" for n in names) + more)
            d.append("")
            details.append("\n".join(d))

    out = [
        "<!-- SPDX-License-Identifier: Apache-2.0 -->",
        "# Code coverage of the RTL (generated: do not edit)",
        "",
        f"Generated by `{a.cmd}` (scripts/coverage_report.py) from Verilator 5 line and toggle",
        "coverage (`--coverage-line --coverage-toggle`) of two co-simulations, merged with",
        "`verilator_coverage --write merged.dat`:",
        "",
        f"- the whole accelerator, `tb_edgecim_top` in hardware configuration **{a.hw}**"
        f" (hw/edgecim_hw.json), with its cosim-top test's stimulus `{a.top_args} --seed {a.seed}`;",
        f"- the CIM macro, `tb_cim_macro` in macro configuration **{a.cfg}**, `--ops {a.ops} --seed {a.seed}`.",
        "",
        "Line: the source lines of Verilator's block and branch points that ran (a line counts",
        "when every point on it was hit, in any instance). Toggle: the signal bits that changed.",
        "Testbench files are left out. Target (issue 11): line >= 95 %, toggle >= 90 % per file,",
        "or each gap explained (the section after the lists).",
        "",
        "| RTL file | lines | line % | toggle bits | toggle % |",
        "|---|---:|---:|---:|---:|",
        *rows,
        f"| **all** | {th}/{tl} | {pct(th, tl):.1f} | {tth}/{tt} | {pct(tth, tt):.1f} |",
        "",
        "## Uncovered lines and signals per file",
        "",
        *details,
    ]
    if a.notes and os.path.exists(a.notes):
        with open(a.notes, encoding="utf-8") as f:
            out += [f.read().rstrip("\n"), ""]
    text = "\n".join(out).rstrip("\n") + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"coverage: {len(files)} RTL files, line {pct(th, tl):.1f} %, toggle {pct(tth, tt):.1f} % -> {a.out}")
    if failing:
        print("coverage: below the thresholds: " + ", ".join(failing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
