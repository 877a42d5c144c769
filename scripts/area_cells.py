#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Yosys cell counts of synthesized configurations -> perf/area_cells.txt (checked in, one block
per configuration) -> perf/perf_area_cells.h (generated: the area model, perf/perf_area.c).

Usage:
  scripts/area_cells.py add CFG SYNTH_DIR [VU_STAT] [--txt perf/area_cells.txt]
      replaces CFG's lines by the counts of SYNTH_DIR/top.stat (scripts/synth_modules.sh: the
      top without macros, the vector unit inside), SYNTH_DIR/macro-RxC.stat (one macro each) and
      VU_STAT (make synth-vu HW=CFG: the vector unit alone); then writes the header
  scripts/area_cells.py header [--txt perf/area_cells.txt] [--out perf/perf_area_cells.h]

A path line: path CFG MODULE DEPTH FROM TO: the longest combinational path of MODULE (scripts/
crit_path.sh: Yosys `ltp -noff` over the gate-level cells; MODULE edgecim_top = the whole top
flattened, macro-RxC = one macro), DEPTH cells, FROM/TO the public signals nearest its two ends.
Any other line of area_cells.txt: CFG SOURCE MODULE PART INSTANCES GE FLOPS FLOP_GE, where SOURCE is top,
ppu (cim_ppu alone, times its instances in the top), ppu-DB (the same at a DataBytes of DB), vu
or macro-ROWSxCOLS (the synthesis the line comes from), GE the NAND2 gate equivalents of the
module's own cells summed over all its instances in that synthesis (every parameterization),
FLOPS its flip-flops and FLOP_GE their share of GE. Submodules are lines of their own.

Gate equivalents per Yosys internal cell: the area ratios of the NanGate FreePDK45 Open Cell
Library (X1 drive; NAND2_X1 = 0.798 um2 = 1 GE): INV 0.67, NAND2/NOR2 1, AND2/OR2 and the
and-not/or-not cells 1.33, AOI21/OAI21 1.33, AOI22/OAI22 1.67, XOR2/XNOR2 2, MUX2 2.33,
DFF 5.67, DFF with reset 6.67, an enable adds a MUX2 (2.33), a synchronous reset an AND2 (1.33).
"""
import os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from yosys_stat import hierarchy, sections, short  # noqa: E402

GE = {"NOT": 0.67, "NAND": 1.0, "NOR": 1.0, "AND": 1.33, "OR": 1.33, "ANDNOT": 1.33, "ORNOT": 1.33,
      "AOI3": 1.33, "OAI3": 1.33, "AOI4": 1.67, "OAI4": 1.67, "XOR": 2.0, "XNOR": 2.0, "MUX": 2.33, "BUF": 0.67}
# Module -> part of the area breakdown (perf/perf_area.h). The command list fetcher, the
# descriptor and configuration checks and the top's own glue are control, with the registers.
PARTS = {"cim_macro": "macro", "cim_ppu": "ppu", "cim_ppu_term": "ppu", "cim_tile": "tile",
         "tile_sequencer": "seq", "edgecim_seg_walker": "seq", "edgecim_dma": "dma", "edgecim_fifo": "dma",
         "edgecim_regs": "regs", "edgecim_list": "regs", "edgecim_desc_check": "regs",
         "edgecim_cfg_check": "regs", "edgecim_top": "regs"}
TXT, HDR = "perf/area_cells.txt", "perf/perf_area_cells.h"


def part_of(mod):
    mod = mod.split("@")[0]
    if mod in PARTS:
        return PARTS[mod]
    if mod == "edgecim_vu" or mod.startswith(("vu_", "vf_")):
        return "vu"
    return None


def cell_ge(kind):
    if kind.startswith(("DFF", "SDFF", "DFFE", "SDFFE", "SDFFCE", "ALDFF", "DFFSR")):
        ge = 5.67
        if re.match(r"(DFF|DFFE)_[PN][NP][01]", kind) or kind.startswith("DFFSR"): ge += 1.0  # async reset
        if "E" in kind.split("_")[0][3:] or kind.startswith("DFFE"): ge += 2.33                 # enable
        if kind.startswith("SDFF"): ge += 1.33                                                # sync reset
        return ge, 1
    return GE.get(kind, 1.0), 0


def parse(path):
    """{module: [instances, ge, flops, flop_ge]} of a Yosys `stat` report: every module's own cells
    times its instance count in the hierarchy (1 without one), parameterizations merged."""
    text = open(path).read()
    own, tree, top, boxes = {}, {}, None, {}
    for name, body in sections(text):
        if name == "design hierarchy":
            top, tree = hierarchy(body)
            continue
        for c in re.finditer(r"^\s+([A-Za-z]\w*|\$paramod\S*)\s+(\d+)$", body, re.M):  # submodule/blackbox cells
            boxes.setdefault(name, {})[short(c.group(1))] = int(c.group(2))
        ge = ff = ffge = 0.0
        for c in re.finditer(r"^\s+\$_(\w+?)_\s+(\d+)$", body, re.M):
            g, f = cell_ge(c.group(1))
            n = int(c.group(2))
            ge += g * n; ff += f * n; ffge += g * f * n
        own[name] = (ge, ff, ffge)
    count = {}
    def walk(mod, n):
        count[mod] = count.get(mod, 0) + n
        for sub, k in tree.get(mod, {}).items():
            walk(sub, n * k)
    if top:
        walk(top, 1)
    parse.count = {}
    for name, cells in boxes.items():  # instances of every cell type (blackboxes too) in the whole design
        for t, k in cells.items():
            parse.count[t] = parse.count.get(t, 0) + k * count.get(name, 1 if not top else 0)
    out = {}
    for name, (ge, ff, ffge) in own.items():
        n = count.get(name, 1 if not top else 0)
        if n == 0:
            continue
        r = out.setdefault(short(name), [0, 0.0, 0, 0.0])
        r[0] += n; r[1] += ge * n; r[2] += int(ff) * n; r[3] += ffge * n
    return out


def sig(text):
    """'\\u_tile.x [3] (via $abc$1$auto_2)' -> 'u_tile.x[3]'; None for a Yosys-internal net"""
    t = re.sub(r"\s*\(via .*\)$", "", text.strip())
    t = re.sub(r"\s+\[", "[", t)
    if not t.startswith("\\"):
        return None
    return t[1:].replace(" ", "_")


def parse_ltp(path, only=None):
    """[(module, depth, from, to)] of a Yosys `ltp` log"""
    out, cur = [], None
    for line in open(path):
        m = re.match(r"Longest topological path in (\S+) \(length=(\d+)\):", line)
        if m:
            cur = [short(m.group(1)), int(m.group(2)), []]
            out.append(cur)
            continue
        m = re.match(r"\s+(\d+|ff): (.*)$", line)
        if cur and m:
            cur[2].append(m.group(2))
    res = []
    for mod, depth, sigs in out:
        if only and mod != only:
            continue
        names = [sig(x) for x in sigs]
        fr = next((n for n in names if n), "-")
        to = next((n for n in reversed(names) if n), "-")
        res.append((mod, depth, fr, to))
    return res


def read_txt(path):
    if not os.path.exists(path):
        return []
    return [l.split() for l in open(path) if l.strip() and not l.startswith("#")]


def write_txt(path, rows):
    with open(path, "w") as f:
        f.write("# SPDX-License-Identifier: Apache-2.0\n"
                "# Yosys 0.23 cell counts per module of synthesized configurations, in NAND2 gate equivalents\n"
                "# (scripts/area_cells.py; make area-synth area-cells HW=CFG; the header perf/perf_area_cells.h is\n"
                "# generated from this file). Columns: CFG SOURCE MODULE PART INSTANCES GE FLOPS FLOP_GE;\n"
                "# SOURCE top = edgecim_top without its macros and post-processors (scripts/synth_modules.sh),\n"
                "# ppu = cim_ppu alone (times its instances in the top; ppu-DB: at DataBytes DB), vu = edgecim_vu alone\n"
                "# (make synth-vu), macro-RxC = one cim_macro of R rows x C columns at CFG's WBits, ABits and\n"
                "# write width. GE and FLOPS: all instances of the module in that synthesis.\n")
        for r in rows:
            if r[0] == "path":
                f.write("path %-8s %-20s %4s %s %s\n" % tuple(r[1:]))
            else:
                f.write("%-8s %-14s %-20s %-6s %5s %12s %8s %12s\n" % tuple(r))


def header(txt, out):
    allrows = read_txt(txt)
    rows = [r for r in allrows if r[0] != "path"]
    paths = [r[1:] for r in allrows if r[0] == "path"]
    body = "\n".join('  {"%s", "%s", "%s", "%s", %s, %s, %s, %s},' % tuple(r) for r in rows)
    pbody = "\n".join('  {"%s", "%s", "%s", "%s", %s},' % (p[0], p[1], p[3], p[4], p[2]) for p in paths)
    cfgs = sorted({r[0] for r in rows})
    text = ("/* SPDX-License-Identifier: Apache-2.0 */\n"
            "/* Generated by scripts/area_cells.py from %s (Yosys 0.23 cell counts of %s): do not\n"
            " * edit. Per synthesis (top, vu, macro-RxC) and module: instances, NAND2 gate equivalents\n"
            " * (all instances), flip-flops and their GE. */\n" % (txt, ", ".join(cfgs)))
    text += "static const perf_area_cells_t PERF_AREA_CELLS[] = {\n" + (body or '  {"", "", "", "", 0, 0, 0, 0},') + "\n};\n"
    text += ("/* Longest combinational paths (scripts/crit_path.sh): configuration, module, from, to, depth in cells */\n"
             "static const perf_path_t PERF_PATHS[] = {\n" + (pbody or '  {"", "", "", "", 0},') + "\n};\n")
    open(out, "w").write(text)
    print("area_cells: wrote %s (%d lines of %s)" % (out, len(rows), ", ".join(cfgs)))


def add(cfg, d, vu_stat, txt):
    new = []
    def rows_of(path, source, keep, times=1):
        for mod, (n, ge, ff, ffge) in sorted(parse(path).items()):
            p = part_of(mod)
            if p and keep(p):
                new.append([cfg, source, mod, p, str(n * times), "%.1f" % (ge * times), str(ff * times), "%.1f" % (ffge * times)])
    nppu = 0
    if os.path.exists(d + "/top.stat"):
        rows_of(d + "/top.stat", "top", lambda p: p not in ("macro", "ppu"))
        nppu = parse.count.get("cim_ppu", 0)  # a blackbox in the top: its instances
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.match(r"(ppu(-\d+)?)\.stat$", f)
        if m:
            if not nppu:
                sys.exit("area_cells: %s/%s needs top.stat for the number of post-processors" % (d, f))
            rows_of(os.path.join(d, f), m.group(1), lambda p: p == "ppu", nppu)
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.match(r"macro-(\d+x\d+)\.stat$", f)
        if m:
            rows_of(os.path.join(d, f), "macro-" + m.group(1), lambda p: p == "macro")
    if vu_stat and os.path.exists(vu_stat):
        rows_of(vu_stat, "vu", lambda p: p == "vu")
    paths = []
    if os.path.exists(d + "/ltp-top.log"):
        paths += [("edgecim_top",) + p[1:] for p in parse_ltp(d + "/ltp-top.log", "edgecim_top")]
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.match(r"ltp-(ppu(-\d+)?)\.log$", f)
        if m:
            paths += [("cim_ppu" if m.group(1) == "ppu" else "cim_ppu@DataBytes=" + m.group(1)[4:],) + p[1:]
                      for p in parse_ltp(os.path.join(d, f), "cim_ppu")]
    for log in ("ltp-modules.log", "ltp-vu.log"):  # the top's modules; the vector unit's, synthesized alone
        if os.path.exists(d + "/" + log):
            paths += [p for p in parse_ltp(d + "/" + log) if part_of(p[0]) and p[0] != "edgecim_top"]
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        m = re.match(r"ltp-(macro-\d+x\d+)\.log$", f)
        if m:
            paths += [(m.group(1),) + p[1:] for p in parse_ltp(os.path.join(d, f))]
    best = {}
    for mod, depth, fr, to in paths:  # one per part (the top flattened, each macro: their own): its deepest module
        key = mod if mod == "edgecim_top" or mod.startswith("macro-") else part_of(mod)
        if key not in best or depth > best[key][1]:
            best[key] = (mod, depth, fr, to)
    for mod, depth, fr, to in sorted(best.values(), key=lambda p: -p[1]):
        new.append(["path", cfg, mod, str(depth), fr, to])
    if not new:
        sys.exit("area_cells: no Yosys report of %s in %s%s" % (cfg, d, " or " + vu_stat if vu_stat else ""))
    srcs = {r[1] for r in new if r[0] != "path"}
    keep = [r for r in read_txt(txt) if not (r[0] == cfg and r[1] in srcs) and not (best and r[0] == "path" and r[1] == cfg)]
    rows = sorted([r for r in keep + new if r[0] != "path"], key=lambda r: (r[0], r[1], r[2]))
    rows += sorted([r for r in keep + new if r[0] == "path"], key=lambda r: (r[1], -int(r[3])))
    write_txt(txt, rows)
    print("area_cells: %s: %d lines from %s%s into %s" % (cfg, len(new), ", ".join(sorted(srcs)), " and ltp" if best else "", txt))


def main():
    a = sys.argv[1:]
    def opt(name, default):
        if name in a:
            i = a.index(name); v = a[i + 1]; del a[i:i + 2]; return v
        return default
    txt, out = opt("--txt", TXT), opt("--out", HDR)
    if a[:1] == ["add"] and len(a) in (3, 4):
        add(a[1], a[2], a[3] if len(a) == 4 else None, txt)
        header(txt, out)
    elif a[:1] == ["header"]:
        header(txt, out)
    else:
        sys.exit(__doc__)


main()
