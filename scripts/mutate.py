#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Mutation testing of the RTL and the C model (make mutate; docs/VERIFICATION.md).

Each mutant of dv/mutants.txt is applied in place to its source file, only what the file feeds
is rebuilt (make, into the already-built tree), the narrowest tests that cover the file run, and
the file is restored, whatever happens (Ctrl-C, an exception, a kill: a backup is kept in
build/mutate/ and put back on the next start). A mutant is
  killed        a test failed (or the co-simulation's assertions fired);
  survived      every test passed: a gap, or an equivalent mutant (dv/mutants.txt says which);
  build failed  the mutant does not compile (not counted in the score);
  timeout       a test ran past its limit (reported apart, not counted as killed).
Score per file: killed / (killed + survived), equivalent mutants left out.

Usage: mutate.py [--only N,M-K] [--file SUBSTR] [--list] [--timeout S] [--keep-going]
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "build", "mutate")
BACKUP = os.path.join(WORK, "backup")
LIST = os.path.join(ROOT, "dv", "mutants.txt")

# What covers a file: (make targets to rebuild, test commands). The top co-simulation is built
# with its assertions in the configurations named; the tests are short runs of the test arguments.
TOP = "build/sim/top-default-sva/Vsim"
TOP_ODD = "build/sim/top-odd-sva/Vsim"
MACRO = "build/sim/macro-default-sva/Vsim"
MACRO_W2 = "build/sim/macro-w2-sva/Vsim"
MODEL = "build/tests/bin/test_edgecim_model"
MMODEL = "build/tests/bin/test_cim_macro_model"
TOP_RUN = [TOP, "--seed", "1", "--cases", "4", "--max-dim", "400"]
TOP_RUN2 = [TOP, "--seed", "2", "--no-real", "--cases", "6", "--max-dim", "300", "--stall", "20", "--latency", "90"]
ODD_RUN = [TOP_ODD, "--seed", "1", "--no-real", "--cases", "4", "--max-dim", "400", "--stall", "10"]
MACRO_RUN = [MACRO, "--seed", "1", "--ops", "20000"]
MACRO_W2_RUN = [MACRO_W2, "--seed", "1", "--ops", "5000"]
MODEL_RUN = [MODEL, "--seed", "1", "--cases", "3"]
# Stages: (binary to rebuild, test command); a stage is built and run only if the ones before it
# did not kill the mutant.
COVERS = {
    "rtl/cim_macro.sv": [(MACRO, MACRO_RUN), (MACRO_W2, MACRO_W2_RUN), (TOP, TOP_RUN)],
    "cmodel/cim_macro.c": [(MMODEL, [MMODEL, "--seed", "1"]), (MACRO, MACRO_RUN)],
    "cmodel/": [(TOP, TOP_RUN), (MODEL, MODEL_RUN)],
    "rtl/": [(TOP, TOP_RUN), (TOP, TOP_RUN2), (TOP_ODD, ODD_RUN)],
}


def covers(path):
    for prefix in sorted(COVERS, key=len, reverse=True):
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return COVERS[prefix]
    raise SystemExit(f"mutate: no tests cover {path} (add it to COVERS in scripts/mutate.py)")


def load(path):
    """dv/mutants.txt: FILE<TAB>ORIGINAL<TAB>MUTANT[<TAB>NOTE]; ORIGINAL occurs once in FILE.
    \\t and \\n in the fields stand for a tab and a newline. NOTE 'equivalent: why' marks a
    mutant that no test can kill (left out of the score)."""
    out = []
    with open(path) as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                raise SystemExit(f"mutate: {path}:{n}: want FILE<TAB>ORIGINAL<TAB>MUTANT[<TAB>NOTE]")
            f, a, b = parts[0], parts[1].replace("\\n", "\n").replace("\\t", "\t"), parts[2].replace("\\n", "\n")
            out.append({"file": f, "orig": a, "mut": b, "note": parts[3] if len(parts) > 3 else "", "line": n})
    return out


def restore_all():
    """Puts back every file a previous (interrupted) run left mutated."""
    if not os.path.isdir(BACKUP):
        return
    for dirpath, _, files in os.walk(BACKUP):
        for f in files:
            src = os.path.join(dirpath, f)
            dst = os.path.join(ROOT, os.path.relpath(src, BACKUP))
            shutil.copy2(src, dst)
            os.remove(src)
            print(f"mutate: restored {os.path.relpath(dst, ROOT)} from an interrupted run")


class Applied:
    """Applies a mutant in place; restores the file on exit, whatever happens."""

    def __init__(self, m):
        self.m = m
        self.path = os.path.join(ROOT, m["file"])
        self.bak = os.path.join(BACKUP, m["file"])

    def __enter__(self):
        with open(self.path) as fh:
            text = fh.read()
        if text.count(self.m["orig"]) != 1:
            raise ValueError(f"{self.m['file']}: the original text occurs {text.count(self.m['orig'])} times")
        os.makedirs(os.path.dirname(self.bak), exist_ok=True)
        shutil.copy2(self.path, self.bak)
        st = os.stat(self.path)
        with open(self.path, "w") as fh:
            fh.write(text.replace(self.m["orig"], self.m["mut"]))
        # a newer mtime than every build product, so that make rebuilds
        os.utime(self.path, (time.time(), max(time.time(), st.st_mtime + 1)))
        return self

    def __exit__(self, *exc):
        shutil.copy2(self.bak, self.path)
        os.remove(self.bak)
        os.utime(self.path, None)  # the original is newer than the mutant's build: rebuilt next time
        return False


def run(cmd, timeout, log):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=timeout,
                           start_new_session=True)
        return ("ok" if p.returncode == 0 else "fail"), time.time() - t0
    except subprocess.TimeoutExpired as e:
        return "timeout", time.time() - t0


def build(targets, log, timeout):
    cmd = ["make", "--no-print-directory", "SVA=1", "VOBJCACHE=" + ("ccache" if shutil.which("ccache") else "")] + targets
    st, secs = run(cmd, timeout, log)
    return st == "ok", secs


def parse_only(s, n):
    sel = set()
    for part in s.split(","):
        a, _, b = part.partition("-")
        sel.update(range(int(a), int(b or a) + 1))
    return {i for i in sel if 1 <= i <= n}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="mutant numbers: 3,7,10-12")
    ap.add_argument("--file", help="only mutants of files containing this")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per test run")
    ap.add_argument("--build-timeout", type=float, default=900)
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    restore_all()
    muts = load(LIST)
    sel = parse_only(a.only, len(muts)) if a.only else set(range(1, len(muts) + 1))
    if a.file:
        sel = {i for i in sel if a.file in muts[i - 1]["file"]}
    if a.list:
        for i, m in enumerate(muts, 1):
            print(f"{i:3d} {m['file']}: {m['orig']!r} -> {m['mut']!r} {m['note']}")
        return 0

    # Ctrl-C / SIGTERM: raise, so that the context manager restores the file.
    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)

    # The unmutated tree must build and pass its tests, or no result means anything.
    stages = sorted({st for i in sel for st in map(tuple, [(t, tuple(c)) for t, c in covers(muts[i - 1]["file"])])})
    with open(os.path.join(WORK, "baseline.log"), "w") as log:
        targets = sorted({t for t, _ in stages})
        print(f"mutate: building the baseline ({' '.join(targets)})", flush=True)
        ok, secs = build(targets, log, a.build_timeout)
        if not ok:
            print("mutate: the unmutated tree does not build (build/mutate/baseline.log)")
            return 2
        for _, cmd in stages:
            st, secs = run(list(cmd), a.timeout, log)
            if st != "ok":
                print(f"mutate: the unmutated tree fails {' '.join(cmd)} (build/mutate/baseline.log)")
                return 2
    results = []
    t_start = time.time()
    try:
        for i in sorted(sel):
            m = muts[i - 1]
            stages = covers(m["file"])
            logp = os.path.join(WORK, f"mutant-{i:03d}.log")
            bsecs = tsecs = 0.0
            with open(logp, "w") as log, Applied(m):
                log.write(f"mutant {i}: {m['file']}: {m['orig']!r} -> {m['mut']!r}\n")
                log.flush()
                status = "survived"
                for target, cmd in stages:
                    ok, secs = build([target], log, a.build_timeout)
                    bsecs += secs
                    if not ok:
                        status = "build failed"
                        break
                    st, secs = run(cmd, a.timeout, log)
                    tsecs += secs
                    if st in ("fail", "timeout"):
                        status = "killed" if st == "fail" else "timeout"
                        break
            equivalent = m["note"].startswith("equivalent")
            if status == "survived" and equivalent:
                status = "equivalent"
            results.append((i, m, status, bsecs, tsecs))
            print(f"  {i:3d} {status:12s} {m['file']:26s} build {bsecs:5.0f}s test {tsecs:5.1f}s  "
                  f"{m['orig'].strip()[:40]!r} -> {m['mut'].strip()[:40]!r}", flush=True)
    except KeyboardInterrupt:
        print("mutate: interrupted; the mutated file was restored")
    finally:
        # rebuild the unmutated tree, so that the build products match the sources again
        with open(os.path.join(WORK, "restore.log"), "w") as log:
            build(sorted({t for i, *_ in results for t, _ in covers(muts[i - 1]["file"])}), log, a.build_timeout)
    report(results, time.time() - t_start)
    return 0


def report(results, secs):
    per = defaultdict(lambda: defaultdict(int))
    for i, m, status, *_ in results:
        per[m["file"]][status] += 1
    lines = ["| file | mutants | killed | survived | equivalent | build failed | timeout | score |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    tot = defaultdict(int)
    for f in sorted(per):
        c = per[f]
        n = sum(c.values())
        den = c["killed"] + c["survived"]
        score = f"{100.0 * c['killed'] / den:.0f}%" if den else "-"
        lines.append(f"| {f} | {n} | {c['killed']} | {c['survived']} | {c['equivalent']} | {c['build failed']} | "
                     f"{c['timeout']} | {score} |")
        for k, v in c.items():
            tot[k] += v
    den = tot["killed"] + tot["survived"]
    lines.append(f"| all | {sum(tot.values())} | {tot['killed']} | {tot['survived']} | {tot['equivalent']} | "
                 f"{tot['build failed']} | {tot['timeout']} | {100.0 * tot['killed'] / den:.1f}% |" if den else "| all | 0 |")
    surv = [(i, m, s) for i, m, s, *_ in results if s in ("survived", "equivalent", "timeout")]
    out = "\n".join(lines)
    if surv:
        out += "\n\nSurvivors, equivalent mutants and timeouts:\n" + "\n".join(
            f"- {i} {s} {m['file']}: `{m['orig'].strip()}` -> `{m['mut'].strip()}` {m['note']}" for i, m, s in surv)
    print(out)
    print(f"mutate: {len(results)} mutants in {secs / 60:.1f} min; score (killed / killed + survived, equivalent "
          f"and build failures left out): {100.0 * tot['killed'] / den:.1f}%" if den else "mutate: no result")
    with open(os.path.join(WORK, "report.md"), "w") as fh:
        fh.write(out + "\n")


if __name__ == "__main__":
    sys.exit(main())
