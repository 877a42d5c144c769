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
left out; per file and in all. A mutant that does not compile is left out of the schema build
(mutant_schema.build_all names it from the compiler's error line and rebuilds) and counted as a
build failure, apart from the score. Usage: mutate.py [--only N,M] [--timeout S] [--jobs J]
"""
import argparse
import os
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

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
    # the tile (rtl/cim_tile.sv), its macro and post-processing unit
    ("rtl/cim_tile.sv", "assign pl_last   = (bit_q == $clog2(ABits)'(ABits - 1));", "ABits - 1", "ABits - 2"),
    ("rtl/cim_tile.sv", "assign a_swap    = pl_swap_q && (bit_q == '0);", "pl_swap_q && (bit_q == '0)", "pl_swap_q",
     "equivalent: the macro samples a_swap_i only with an operation's first plane (its plane count is bit_q); "
     "clearing pend on planes 1..ABits-1 (the ABits-1 cycles after the swap) matters only if a swap block of the "
     "same macro is pushed then, but its >= 256 / DataBytes = 16 weight beats go to the macro only once pend is "
     "clear, and the push comes with the last (default configuration; DataBytes 256 has 1-beat blocks)"),
    ("rtl/cim_tile.sv", "assign opq_room = (32'(opq_count_q) + 32'(pl_new_q) < OpqDepth);",
     "32'(opq_count_q) + 32'(pl_new_q) < OpqDepth", "32'(opq_count_q) + 32'(pl_new_q) <= OpqDepth"),
    ("rtl/cim_tile.sv", "assign blk_ready_o = (q_count_q != 2'd2);", "(q_count_q != 2'd2)", "(q_count_q != 2'd3)"),
    ("rtl/cim_macro.sv", "assign acc_en   = s1_valid_q && !stall;", "s1_valid_q && !stall", "s1_valid_q"),
    ("rtl/cim_ppu.sv", "assign half_ok     = (2'(load_blk_q - drained_q) <= 2'd1);",
     "(2'(load_blk_q - drained_q) <= 2'd1)", "(2'(load_blk_q - drained_q) <= 2'd2)"),
    # the tile sequencer, the DMA, the register file, the list engine
    ("rtl/tile_sequencer.sv", "assign seg_last_beat = (ci_q + 16'd1 == b_len);", "16'd1", "16'd2"),
    ("rtl/tile_sequencer.sv", "assign rd_req_addr_o  = a_addr + (32'(a_off_q) << BeatShift);",
     "(32'(a_off_q) << BeatShift)", "(32'(a_off_q) << (BeatShift - 1))"),
    ("rtl/edgecim_dma.sv", "assign mem_req_len_o   = wr_req_valid_i ?", "8'(wr_req_beats_i - 9'd1)", "8'(wr_req_beats_i)"),
    ("rtl/edgecim_dma.sv", "assign wr_req_ready_o = mem_req_ready_i && !w_busy_q;", "mem_req_ready_i && !w_busy_q",
     "mem_req_ready_i",
     "equivalent: no write request is offered while a burst is open, and wr_req_ready is only used in a fire with "
     "that valid: the requesters' burst state (the sequencer's wact_q, vu_dma's st_burst_q and sc_beat_q) is set "
     "by the request and cleared by its last beat, as w_busy_q is, and the write port passes between them only "
     "write-idle (vector ops start with the sequencer not running; its done and the vector unit's wait for "
     "wr_idle)"),
    ("rtl/edgecim_regs.sv", "assign word_idx   = 4'((mmio_addr_i - edgecim_reg_pkg::REG_CMD_W_ADDR) >> 2);",
     "(mmio_addr_i - edgecim_reg_pkg::REG_CMD_W_ADDR) >> 2", "(mmio_addr_i - edgecim_reg_pkg::REG_CMD_W_ADDR) >> 3"),
    ("rtl/edgecim_regs.sv", "assign list_refused = list_desc_valid_i && chk_err != edgecim_reg_pkg::ERR_NONE;",
     "chk_err != edgecim_reg_pkg::ERR_NONE", "1'b0"),
    ("rtl/edgecim_list.sv", "assign desc_valid_o   = active_q && next_q < have_q;", "next_q < have_q", "next_q <= have_q"),
    ("rtl/edgecim_list.sv", "assign owns_head_o    = req_out_q && ahead_q == '0;", "req_out_q && ahead_q == '0",
     "req_out_q"),
    # the vector unit
    ("rtl/vu/vf_add.sv", "assign y_o = (sum == '0) ? {ca[31] & cb[31], 31'd0} : packed_y;", "ca[31] & cb[31]",
     "ca[31] | cb[31]"),
    ("rtl/vu/vu_lane.sv", "assign exp_kind = comp_i == vu_pkg::CompExpsum || comp_i == vu_pkg::CompExpout;",
     "comp_i == vu_pkg::CompExpsum || comp_i == vu_pkg::CompExpout", "comp_i == vu_pkg::CompExpsum"),
    ("rtl/vu/vu_scalar.sv", "assign last = exec_i && slot_i.kind == vu_pkg::SlotScalar", "16'(edgecim_pkg::VuPipe - 1)",
     "16'(edgecim_pkg::VuPipe - 2)",
     "equivalent: with VecLanes 2 the lane tree is its cycle 0, so acc0 (nothing else writes it: the compute "
     "slot before drained the lanes) and P0, P1 are the same in cycles 4 and 5 of the SCALAR slot, and only later "
     "slots read the scalars (default configuration; VecLanes 32's tree ends in cycle 4)"),
    ("rtl/vu/vu_dma.sv", "assign store   = exec_i && (slot_i.kind == vu_pkg::SlotStore ||",
     "slot_i.kind == vu_pkg::SlotStore || slot_i.kind == vu_pkg::SlotSstore", "slot_i.kind == vu_pkg::SlotStore"),
    ("rtl/edgecim_vu.sv", "assign done_o  = state_q == StDrain && wr_idle_i;", "state_q == StDrain && wr_idle_i",
     "state_q == StDrain",
     "equivalent: wr_idle_i is 1 in every StDrain cycle: the unit starts write-idle (the sequencer's done waits "
     "for it), a STORE or SCATTER slot ends with its last beat, the DMA's last (w_busy_q falls at that edge), and "
     "StDrain follows the last slot"),
    # the C model of the tile, the macro and the vector unit's float
    ("cmodel/ecim_tile.c", "if (p->p2.first && in->bias) v =", "p->p2.first && in->bias", "in->bias"),
    ("cmodel/ecim_tile.c", "if (tl->pl_new) tl->opq_wr = (tl->opq_wr + 1) % ECIM_OPQ_DEPTH;", "(tl->opq_wr + 1)",
     "(tl->opq_wr + 2)"),
    ("cmodel/cim_macro.c", "s += j == w - 1 ? -(cnt << j) : cnt << j;", "j == w - 1", "j == w"),
    ("cmodel/ecim_vf.c", "if (x.zero && y.zero) return (x.sign & y.sign) << 31;", "(x.sign & y.sign)",
     "(x.sign | y.sign)"),
]
ARGS = ["--seed", "1", "--cases", "10", "--max-dim", "1200"]  # TOP_TEST_ARGS_default


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="mutant numbers, comma separated (0: the real design)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per mutant (a timeout is not a kill)")
    ap.add_argument("--jobs", type=int, default=2, help="mutants run at a time")
    a = ap.parse_args()
    only = {int(x) for x in a.only.split(",")} if a.only else None
    vsim, src, unbuilt = ms.build_all()
    per = defaultdict(lambda: defaultdict(int))
    survivors, bad_real = [], False
    todo = [n for n in range(len(MUTANTS) + 1) if only is None or n in only]

    def one(n):
        if ms.MUT_BASE + n in unbuilt:
            return None, [], 0.0, []
        return ms.run(vsim, src, ms.MUT_BASE + n if n else 0, ARGS, a.timeout)
    with ThreadPoolExecutor(max(1, a.jobs)) as pool:
        results = pool.map(one, todo)
    for n, (status, fired, secs, tail) in zip(todo, results):
        if n == 0:
            bad_real = status != 0 or bool(fired)
            print(f"  mutant  0 {'passes' if not bad_real else 'FAILS: ' + ' '.join(tail + fired)}  {secs:5.1f}s  "
                  "the real design", flush=True)
            continue
        f, ctx, expr, repl = MUTANTS[n - 1][:4]
        note = MUTANTS[n - 1][4] if len(MUTANTS[n - 1]) > 4 else ""
        equiv = note.startswith("equivalent")
        if ms.MUT_BASE + n in unbuilt:
            per[f]["build-fail"] += 1
            print(f"  mutant {n:2d} build-fail     -  {f}: {expr} -> {repl}", flush=True)
            continue
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
    print("mutate: per file (score: killed / (killed + survived); timeouts, equivalents and build failures apart)")
    cols = ("killed", "SURVIVED", "timeout", "build-fail", "equivalent")
    print(f"  | {'file':28s} | killed | survived | timeout | build-fail | equivalent | score |")
    print(f"  |{'-' * 30}|--------|----------|---------|------------|------------|-------|")
    tot = defaultdict(int)
    for f in sorted(per) + ["all"]:
        c = per[f] if f != "all" else tot
        k, s = c["killed"], c["SURVIVED"]
        if f != "all":
            for x in cols:
                tot[x] += c[x]
        sc = f"{100.0 * k / (k + s):.0f}%" if k + s else "-"
        print(f"  | {f:28s} | {k:6d} | {s:8d} | {c['timeout']:7d} | {c['build-fail']:10d} | "
              f"{c['equivalent']:10d} | {sc:>5s} |")
    tk, ts, tt = tot["killed"], tot["SURVIVED"], tot["timeout"]
    score = 100.0 * tk / (tk + ts) if tk + ts else 0.0
    print(f"mutate: {tk} of {tk + ts} mutants killed ({score:.1f}%)" + (f", {tt} timeouts" if tt else "") +
          (f", {tot['build-fail']} build failures" if tot["build-fail"] else "") +
          (f"; survivors: {', '.join(map(str, survivors))}" if survivors else ""))
    if bad_real:
        print("mutate: the real design (mutant 0) fails: the score means nothing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
