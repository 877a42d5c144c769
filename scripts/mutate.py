#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Mutation score of the top-level RTL and the C model (make mutate).

The mutants below (RTL of the top, the register file, descriptor check, list fetcher, DMA, FIFO and
sequencer; the C model of the register file, fetcher, DMA and sequencer, and the shared descriptor
check fmt/ecim_desc.c) are compiled into one build of the top co-simulation (default
configuration, --assert) as a mutant schema (scripts/mutant_schema.py, shared with make sva-fire):
one build, each mutant picked at run time, the sources never touched. Each runs the co-simulation with the test's
arguments; a mutant is
  killed    the run failed: the scoreboard (RTL vs C model every cycle, y vs the golden GEMV,
            registers, vector ops vs their reference) or an assertion;
  survived  the run passed: a gap in the tests, or an equivalent mutant (NOTE says which);
  timeout   the run passed its time limit (reported apart, not counted as killed).
Mutant 0 (the real design) must pass. Score: killed / (killed + survived), equivalent mutants
left out; per file and in all. A build failure fails the whole run (every mutant is in the one
build). Usage: mutate.py [--only N,M] [--timeout S]
"""
import argparse
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutant_schema as ms  # noqa: E402

# (file, context, expr, replacement[, note]); note "equivalent: why" leaves a mutant out of the score.
MUTANTS = [
    ("rtl/edgecim_regs.sv", "assign irq_o = irq_en_q && (irq_status_q != '0);", "(irq_status_q != '0)",
     "irq_status_q[0]"),
    ("rtl/edgecim_regs.sv", "else if (list_taken) list_done_q <= list_done_q + 1'b1;", "list_taken",
     "list_desc_valid_i"),
    ("rtl/edgecim_regs.sv", "else if (list_end > 64'(mem_limit_q))", "list_end > 64'(mem_limit_q)",
     "list_end >= 64'(mem_limit_q)"),
    ("rtl/edgecim_regs.sv", "assign busy       = busy_i || q_count_q != '0 || list_active_i;",
     "q_count_q != '0 || list_active_i", "q_count_q != '0"),
    ("rtl/edgecim_desc_check.sv", "else if (k == '0 || n == '0)                                       gemv_err",
     "k == '0 || n == '0", "k == '0"),
    ("rtl/edgecim_desc_check.sv", "assign g_range  = (use_w && w_end > 64'(mem_limit_i))", "w_end > 64'(mem_limit_i)",
     "w_end >= 64'(mem_limit_i)"),
    ("rtl/edgecim_list.sv", "addr_q    <= addr_q + 32'(UnitBytes);", "32'(UnitBytes)", "32'(DataBytes)"),
    ("rtl/edgecim_dma.sv", "assign credit_ok      =", "32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats",
     "32'(inflight_q) + 32'(rd_req_beats_i) < FifoBeats"),
    ("rtl/edgecim_fifo.sv", "if (oq_left == 2'd0) q0 = sram_rdata;", "oq_left == 2'd0", "oq_left != 2'd2"),
    ("rtl/edgecim_top.sv", "assign vu_cmd_valid  = cmd_valid && !head_gemv && !seq_busy;",
     "cmd_valid && !head_gemv && !seq_busy", "cmd_valid && !head_gemv"),
    ("rtl/edgecim_top.sv", "assign data_rd_valid     = rd_valid && !list_owns;", "rd_valid && !list_owns", "rd_valid"),
    ("rtl/tile_sequencer.sv", "if (b_last_kb) tile_q <=", "b_last_kb", "1'b1"),
    ("rtl/tile_sequencer.sv", "assign t_blk_swap_o   = !res_use_q;", "!res_use_q", "1'b1"),
    ("cmodel/edgecim_model.c", "if (rc->list_taken) r->list_done++;", "rc->list_taken",
     "rc->list_taken || rc->list_refused"),
    ("cmodel/edgecim_model.c", "|| (r->busy_q && !busy);", "(r->busy_q && !busy)", "(!busy)"),
    ("cmodel/ecim_list.c", "if (l->left == 0) l->active = 0;", "l->left == 0", "l->left <= 1"),
    ("fmt/ecim_desc.c", "if (c->k == 0 || c->n == 0) return EDGECIM_ERR_ZERO_SIZE;", "c->k == 0 || c->n == 0",
     "c->k == 0"),
    ("cmodel/ecim_dma.c", "c.credit_ok = d->inflight + rq->rd_req_beats <= (unsigned)t->cfg.fifo_beats;",
     "d->inflight + rq->rd_req_beats <= (unsigned)t->cfg.fifo_beats",
     "d->inflight + rq->rd_req_beats < (unsigned)t->cfg.fifo_beats"),
    ("cmodel/ecim_seq.c", "if (c->b.last_kb) s->tile =", "c->b.last_kb", "1"),
]
ARGS = ["--seed", "1", "--cases", "10", "--max-dim", "1200"]  # TOP_TEST_ARGS_default


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="mutant numbers, comma separated (0: the real design)")
    ap.add_argument("--timeout", type=float, default=240)
    a = ap.parse_args()
    only = {int(x) for x in a.only.split(",")} if a.only else None
    if len(MUTANTS) > 20:
        raise SystemExit("mutate: keep it to 20 mutants (a run of minutes)")
    vsim, src = ms.build_all()
    per = defaultdict(lambda: defaultdict(int))
    survivors, bad_real = [], False
    for n in range(len(MUTANTS) + 1):
        if only is not None and n not in only:
            continue
        status, fired, secs, tail = ms.run(vsim, src, ms.MUT_BASE + n if n else 0, ARGS, a.timeout)
        if n == 0:
            bad_real = status != 0 or bool(fired)
            print(f"  mutant  0 {'passes' if not bad_real else 'FAILS: ' + ' '.join(tail + fired)}  {secs:5.1f}s  "
                  "the real design", flush=True)
            continue
        f, ctx, expr, repl = MUTANTS[n - 1][:4]
        note = MUTANTS[n - 1][4] if len(MUTANTS[n - 1]) > 4 else ""
        equiv = note.startswith("equivalent")
        if status == "timeout":
            verdict = "timeout"
        elif status != 0:
            verdict = "killed"
        else:
            verdict = "equivalent" if equiv else "SURVIVED"
        per[f][verdict] += 1
        if verdict == "SURVIVED":
            survivors.append(n)
        why = ("assertion " + " ".join(fired)) if fired else (tail[0][:90] if tail and verdict == "killed" else note)
        print(f"  mutant {n:2d} {verdict:10s} {secs:5.1f}s  {f}: {expr} -> {repl}  {why}", flush=True)
    print("mutate: per file (killed / killed + survived; timeouts and equivalents apart)")
    tk = ts = tt = 0
    for f in sorted(per):
        k, s, t = per[f]["killed"], per[f]["SURVIVED"], per[f]["timeout"]
        tk, ts, tt = tk + k, ts + s, tt + t
        print(f"  {f:28s} {k} / {k + s}" + (f", {t} timeout" if t else "") +
              (f", {per[f]['equivalent']} equivalent" if per[f]["equivalent"] else ""))
    score = 100.0 * tk / (tk + ts) if tk + ts else 0.0
    print(f"mutate: {tk} of {tk + ts} mutants killed ({score:.1f}%)" + (f", {tt} timeouts" if tt else "") +
          (f"; survivors: {', '.join(map(str, survivors))}" if survivors else ""))
    if bad_real:
        print("mutate: the real design (mutant 0) fails: the score means nothing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
