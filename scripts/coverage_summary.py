#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Per-module summary of a (merged) Verilator coverage file (make coverage).

A point is covered when its count is at least 1, in any instance of the module in any run merged
in (points are keyed by file, line, column and name, not by instance, so the named configurations
add up). Line coverage: Verilator's line and branch points; toggle coverage: its toggle points
(one per bit). Testbench modules (tb_*) are left out. Every uncovered line point and every
uncovered toggle point is either explained by a waiver (dv/coverage_waivers.txt: `LINE
file:first[-last] reason` or `TOGGLE module signal-glob reason`) or listed as a gap.

Usage: coverage_summary.py MERGED.dat [--waivers FILE] [--md docs/COVERAGE.md] [--logs DIR]
"""
import argparse
import fnmatch
import glob
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE_TARGET, TOGGLE_TARGET = 95.0, 90.0


def parse(path):
    """(kind, module, file, line, col, name) -> count, kind 'line' or 'toggle'."""
    pts = defaultdict(int)
    rx = re.compile(r"^C '(.*)' (\d+)$")
    with open(path, encoding="latin-1") as fh:
        for raw in fh:
            m = rx.match(raw.rstrip("\n"))
            if not m:
                continue
            kv = dict(x.split("\x02", 1) for x in m.group(1).split("\x01") if "\x02" in x)
            page = kv.get("page", "")
            kind, _, module = page.partition("/")
            kind = {"v_line": "line", "v_branch": "line", "v_toggle": "toggle"}.get(kind)
            if not kind or module.startswith("tb_"):
                continue
            f = os.path.relpath(os.path.join(ROOT, kv.get("f", "")), ROOT) if not os.path.isabs(kv.get("f", "")) \
                else os.path.relpath(kv["f"], ROOT)
            key = (kind, module, f, int(kv.get("l", 0)), kv.get("n", ""), kv.get("o", ""))
            pts[key] = max(pts[key], 0) + int(m.group(2))
    return pts


def load_waivers(path):
    lines, toggles = [], []
    if not path or not os.path.exists(path):
        return lines, toggles
    with open(path) as fh:
        for raw in fh:
            raw = raw.strip()
            if not raw or raw.startswith("#"):
                continue
            kind, what, reason = (raw.split(None, 2) + ["", ""])[:3]
            if kind == "LINE":
                f, _, rng = what.rpartition(":")
                a, _, b = rng.partition("-")
                lines.append((f, int(a), int(b or a), reason))
            elif kind == "TOGGLE":
                mod, _, rest = (what + " " + reason).partition(" ")
                sig, _, reason = rest.partition(" ")
                toggles.append((mod, sig, reason))
    return lines, toggles


def line_reason(waivers, f, line):
    for wf, a, b, reason in waivers:
        if (f == wf or f.endswith("/" + wf)) and a <= line <= b:
            return reason
    return None


def toggle_reason(waivers, module, name):
    sig = name.split("[")[0] if "[" in name else name
    for wm, pattern, reason in waivers:
        if fnmatch.fnmatch(module, wm) and (fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(sig, pattern)):
            return reason
    return None


def functional(logs):
    """The functional bins from the co-simulation logs: bin -> summed count."""
    bins, order = defaultdict(int), []
    for log in sorted(glob.glob(os.path.join(logs, "top-*.log"))):
        on = False
        for line in open(log, errors="replace"):
            if line.startswith("functional  coverage bins"):
                on = True
                continue
            if on:
                m = re.match(r"^  (.+?)\s+(\d+)(  MISSING)?$", line.rstrip("\n"))
                if not m:
                    on = False
                    continue
                if m.group(1) not in bins:
                    order.append(m.group(1))
                bins[m.group(1)] += int(m.group(2))
    macro = defaultdict(int)
    for log in sorted(glob.glob(os.path.join(logs, "macro-*.log"))):
        for line in open(log, errors="replace"):
            m = re.match(r"^bins\s+(.*)$", line)
            if m:
                for part in m.group(1).split(","):
                    mm = re.match(r"\s*(\d+) (.+)", part)
                    if mm:
                        macro[mm.group(2).strip()] += int(mm.group(1))
    return [(b, bins[b]) for b in order], sorted(macro.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dat")
    ap.add_argument("--waivers")
    ap.add_argument("--md")
    ap.add_argument("--logs")
    a = ap.parse_args()
    pts = parse(a.dat)
    lw, tw = load_waivers(a.waivers)
    stats = defaultdict(lambda: defaultdict(int))
    gaps = defaultdict(list)
    explained = defaultdict(list)
    for (kind, module, f, line, col, name), count in sorted(pts.items()):
        s = stats[module]
        s[kind + "_total"] += 1
        if count > 0:
            s[kind + "_hit"] += 1
            continue
        reason = line_reason(lw, f, line) if kind == "line" else toggle_reason(tw, module, name)
        if reason:
            s[kind + "_waived"] += 1
            explained[module].append((kind, f, line, name, reason))
        else:
            gaps[module].append((kind, f, line, name))
    rows = []
    ok = True
    for module in sorted(stats):
        s = stats[module]
        lp = 100.0 * s["line_hit"] / s["line_total"] if s["line_total"] else 100.0
        tp = 100.0 * s["toggle_hit"] / s["toggle_total"] if s["toggle_total"] else 100.0
        lgap = sum(1 for g in gaps[module] if g[0] == "line")
        tgap = sum(1 for g in gaps[module] if g[0] == "toggle")
        lmet = lp >= LINE_TARGET or lgap == 0
        tmet = tp >= TOGGLE_TARGET or tgap == 0
        ok = ok and lmet and tmet
        rows.append((module, s["line_hit"], s["line_total"], lp, s["line_waived"], lgap,
                     s["toggle_hit"], s["toggle_total"], tp, s["toggle_waived"], tgap, lmet and tmet))
    head = ("| module | line | % | uncovered: explained / gap | toggle | % | uncovered: explained / gap | target |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    body = [f"| {m} | {lh}/{lt} | {lp:.1f} | {lw_} / {lg} | {th}/{tt} | {tp:.1f} | {tw_} / {tg} | {'met' if met else 'NOT MET'} |"
            for m, lh, lt, lp, lw_, lg, th, tt, tp, tw_, tg, met in rows]
    print(head)
    print("\n".join(body))
    fbins, mbins = functional(a.logs) if a.logs else ([], [])
    if a.md:
        out = ["<!-- Written by scripts/coverage_summary.py (make coverage): do not edit by hand. -->",
               "# EdgeCIM coverage", "",
               "Verilator line (line and branch points) and toggle coverage of the co-simulations, "
               "the macro's in every named macro configuration and the top's in every named hardware "
               "configuration (make coverage: the test arguments of each), merged with verilator_coverage. "
               "A point counts as covered when it was hit in any instance in any configuration. "
               f"Targets: line >= {LINE_TARGET:.0f}% and toggle >= {TOGGLE_TARGET:.0f}% per module, or every "
               "uncovered point explained (dv/coverage_waivers.txt; the explanations are listed below).", "",
               head] + body
        if fbins:
            out += ["", "## Functional bins (top scoreboard, summed over the configurations)", "",
                    "| bin | count |", "| --- | ---: |"] + [f"| {b} | {c} |" for b, c in fbins]
        if mbins:
            out += ["", "## Functional bins (macro scoreboard, summed over the configurations)", "",
                    "| bin | count |", "| --- | ---: |"] + [f"| {b} | {c} |" for b, c in mbins]
        out += ["", "## Uncovered points that are explained", ""]
        for module in sorted(explained):
            by_reason = defaultdict(list)
            for kind, f, line, name, reason in explained[module]:
                by_reason[(kind, reason)].append(f"{os.path.basename(f)}:{line}" + (f" {name}" if kind == "toggle" else ""))
            for (kind, reason), where in sorted(by_reason.items()):
                shown = ", ".join(where[:6]) + (f" and {len(where) - 6} more" if len(where) > 6 else "")
                out.append(f"- {module}, {len(where)} {kind} point(s): {reason} ({shown})")
        out += ["", "## Gaps (uncovered, not explained)", ""]
        any_gap = False
        for module in sorted(gaps):
            for kind, f, line, name in gaps[module][:40]:
                out.append(f"- {module}: {kind} {f}:{line} {name}")
                any_gap = True
            if len(gaps[module]) > 40:
                out.append(f"- {module}: ... and {len(gaps[module]) - 40} more")
        if not any_gap:
            out.append("None.")
        with open(a.md, "w") as fh:
            fh.write("\n".join(out) + "\n")
        print(f"coverage: table in {a.md}")
    gap_total = sum(len(v) for v in gaps.values())
    print(f"coverage: {len(rows)} modules, {gap_total} uncovered points not explained; targets {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
