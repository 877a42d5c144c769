#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Shows that the RTL's assertions fire on a deliberately broken design (make sva-fire).

Each mutant below breaks the design where one assertion (`ifndef SYNTHESIS in rtl/*.sv) guards
it; all of them are compiled into one build of the top co-simulation (default configuration,
--assert) as a mutant schema (scripts/mutant_schema.py, shared with make mutate) and picked at
run time. Each runs the
co-simulation with the scoreboard reporting but not stopping (EDGECIM_TB_NO_CHECK=1) and the
error limit raised, so the run goes on until the assertion fires. Mutant 0 (the real design) must
fire none. Exit 0 when mutant 0 is clean and every mutant fired its assertion.
Usage: sva_fire.py [--only N,M] [--timeout S]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutant_schema as ms  # noqa: E402

R, F, D, L, M = "rtl/edgecim_regs.sv", "rtl/edgecim_fifo.sv", "rtl/edgecim_dma.sv", "rtl/edgecim_list.sv", "rtl/cim_macro.sv"
ARGS = ["--seed", "1", "--cases", "10", "--max-dim", "1200"]
FIFO_ARGS = ["--seed", "1", "--cases", "40", "--max-dim", "1200", "--latency", "1", "--no-vu", "--no-errors"]
# (file, context, expr, replacement, the assertion it must fire[, its run arguments: ARGS by default])
MUTANTS = [
    (R, "assign q_full     = (32'(q_count_q) == QueueDepth);", "(32'(q_count_q) == QueueDepth)", "1'b0",
     "a_regs_q_count"),
    (R, "assign list_taken   = list_desc_valid_i", "chk_err == edgecim_reg_pkg::ERR_NONE && !q_full",
     "chk_err == edgecim_reg_pkg::ERR_NONE", "a_regs_q_overflow"),
    (R, "end else if (!err_q && new_err != edgecim_reg_pkg::ERR_NONE) begin", "!err_q && new_err", "new_err",
     "a_regs_err_kept"),
    (R, "mmio_rvalid_o <= rd;", "rd", "rd || wr", "a_regs_rvalid"),
    (R, "if (list_active_i)                                   start_err = edgecim_reg_pkg::ERR_LIST_BUSY;",
     "list_active_i", "1'b0", "a_regs_list_start"),
    (F, "assign rd      = (sram_cnt_q != '0) && (room != 2'd0);", "(sram_cnt_q != '0) && (room != 2'd0)",
     "(sram_cnt_q != '0)", "a_fifo_oq"),
    # seed 1 of ARGS never pushes while the FIFO holds entries: a backed-up FIFO needs its own stimulus
    (F, "assign bypass  = push_i", "(sram_cnt_q == '0) && !rd_pend_q", "!rd_pend_q", "a_fifo_order", FIFO_ARGS),
    (D, "assign credit_ok      =", "32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats", "1'b1", "a_dma_credits"),
    (D, "if (w_left_q == 9'd1) w_busy_q <= 1'b0;", "9'd1", "9'd0", "a_dma_w_open"),
    (D, "assign mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;", "wr_req_addr_i",
     "wr_req_addr_i + (mem_req_ready_i ? 32'd0 : 32'd256)", "a_dma_wreq_hold"),
    (L, "assign rd_req_valid_o = active_q && !req_out_q", "active_q && !req_out_q", "active_q", "a_list_one_fetch"),
    (M, "assign idle_o    = first_plane && !s1_valid_q && !out_valid_q;", "!s1_valid_q && !out_valid_q",
     "!s1_valid_q", "a_macro_idle"),
]


def args_of(n):
    """The run arguments of mutant n (0: the real design, run with every argument list)."""
    return MUTANTS[n - 1][5] if len(MUTANTS[n - 1]) > 5 else ARGS


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="mutant numbers, comma separated (0: the real design)")
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    only = {int(x) for x in a.only.split(",")} if a.only else None
    vsim, src, unbuilt = ms.build_all()
    if unbuilt & set(range(1, len(MUTANTS) + 1)):
        raise SystemExit(f"sva-fire: mutants {sorted(unbuilt)} do not compile")
    real_args = [ARGS] + [m[5] for m in MUTANTS if len(m) > 5 and m[5] != ARGS]
    rows, bad = [], 0
    for n, args in [(0, x) for x in real_args] + [(n, None) for n in range(1, len(MUTANTS) + 1)]:
        if only is not None and n not in only:
            continue
        want = MUTANTS[n - 1][4] if n else None
        args = args or args_of(n)
        status, fired, secs, tail = ms.run(vsim, src, n, args, a.timeout, no_check=bool(n), stop_at=want)
        if n == 0:
            ok = status == 0 and not fired
            verdict = "clean" if ok else f"FIRED ON THE REAL DESIGN (exit {status}) {' '.join(fired)} {tail}"
        else:
            ok = want in fired
            verdict = "fired" if ok else ("TIMEOUT" if status == "timeout" else "MISSED")
        bad += not ok
        others = [x for x in fired if x != want]
        where = (f"{os.path.basename(MUTANTS[n - 1][0])}: {MUTANTS[n - 1][2]} -> {MUTANTS[n - 1][3]}" if n else
                 "the real design") + ("" if args == ARGS else f" ({' '.join(args)})")
        print(f"  mutant {n:2d} {verdict:6s} {want or '':26s} {('also ' + ' '.join(others)) if others else '':40s} "
              f"{secs:5.1f}s  {where}", flush=True)
        rows.append((n, ok))
    fired_ok = sum(ok for n, ok in rows if n)
    n_muts = sum(1 for n, _ in rows if n)
    real = [ok for n, ok in rows if n == 0]
    print(f"sva-fire: {fired_ok} of {n_muts} broken designs fired their assertion"
          f"{'; the real design fired none' if real and all(real) else ''}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
