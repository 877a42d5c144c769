#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Shows that every assertion of dv/sva/ fires on a deliberately broken design (make sva-fire).

The mutants below are compiled all at once into copies of the RTL under build/sva-fire/ as a
mutant schema: each mutated expression becomes `(edgecim_mut_pkg::sel == N) ? (mutant) : (orig)`
(a statement: `if (sel == N) mutant else orig`), and the plusarg +mut=N picks mutant N at run
time. So two builds (the top co-simulation, default configuration, and the macro one) serve every
mutant; the sources in rtl/ are never touched. Each mutant runs the co-simulation with the
assertions on and the error limit raised, until the assertion it targets fires (or a time limit):
the table says which assertions fired, first the targeted one. Mutant 0 (no mutation) must fire
none. Usage: sva_fire.py [--only N,M] [--timeout S] [--no-build] [--out FILE]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "build", "sva-fire")
SEL = "edgecim_mut_pkg::sel"

# (bench, file, context, expr, replacement, assertions it must fire, kind). The context is unique
# in the file; expr is its first occurrence inside the context. kind: 'e' expression, 's' statement.
D, R, F, S, W, T, M, P = ("rtl/edgecim_dma.sv", "rtl/edgecim_regs.sv", "rtl/edgecim_fifo.sv",
                          "rtl/tile_sequencer.sv", "rtl/edgecim_seg_walker.sv", "rtl/cim_tile.sv",
                          "rtl/cim_macro.sv", "rtl/cim_ppu.sv")
MUTANTS = [
    # ---- edgecim_top_sva: the memory port
    ("top", D, "assign mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;",
     "wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i",
     "wr_req_valid_i ? wr_req_addr_i + (mem_req_ready_i ? 32'd0 : 32'(DataBytes)) : rd_req_addr_i",
     ["a_mem_wreq_stable"], "e"),
    ("top", D, "assign mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;",
     "wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i",
     "wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i + (mem_req_ready_i ? 32'd0 : 32'(DataBytes))",
     ["a_mem_rreq_stable"], "e"),
    ("top", D, "assign mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;",
     "wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i",
     "wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i + 32'd8", ["a_mem_req_align"], "e"),
    ("top", D, "assign mem_req_len_o   = wr_req_valid_i ? 8'(wr_req_beats_i - 9'd1) : 8'(9'(rd_req_beats_i) - 9'd1);",
     "8'(9'(rd_req_beats_i) - 9'd1)", "8'(9'(rd_req_beats_i))", ["a_mem_req_len", "a_r_requested"], "e"),
    ("top", D, "assign mem_w_data_o  = wr_data_i;", "wr_data_i", "wr_data_i ^ {DW{!mem_w_ready_i}}",
     ["a_mem_w_stable"], "e"),
    ("top", D, "assign mem_w_strb_o  = wr_strb_i;", "wr_strb_i", "wr_strb_i & {DataBytes{mem_w_ready_i}}",
     ["a_mem_w_strb"], "e"),
    ("top", D, "assign mem_r_ready_o = 1'b1;", "1'b1", "!(rd_valid_o && !rd_pop_i)", ["a_mem_r_ready"], "e"),
    ("top", R, "assign mmio_ready_o = 1'b1;", "1'b1", "!(mmio_valid_i && mmio_write_i)", ["a_mmio_ready"], "e"),
    ("top", R, "mmio_rvalid_o <= rd;", "rd", "rd && mmio_addr_i != edgecim_reg_pkg::REG_STATUS", ["a_mmio_rvalid"], "e"),
    ("top", R, "mmio_rvalid_o <= rd;", "rd", "rd || (wr && mmio_addr_i == edgecim_reg_pkg::REG_CMD_PUSH)",
     ["a_mmio_no_spurious"], "e"),
    # ---- edgecim_regs_sva
    ("top", R, "assign q_full   = (32'(q_count_q) == QueueDepth);", "(32'(q_count_q) == QueueDepth)", "1'b0",
     ["a_q_overflow", "a_q_count"], "e"),
    ("top", R, "assign q_pop       = cmd_valid_o && cmd_ready_i;", "cmd_valid_o && cmd_ready_i", "cmd_ready_i",
     ["a_q_underflow"], "e"),
    ("top", R, "assign q_push      = push && push_err == edgecim_reg_pkg::ERR_NONE;",
     "push && push_err == edgecim_reg_pkg::ERR_NONE", "push && push_err != edgecim_reg_pkg::ERR_QUEUE_OVERFLOW",
     ["a_refused_not_queued"], "e"),
    ("top", R, "assign q_push      = push && push_err == edgecim_reg_pkg::ERR_NONE;",
     "push && push_err == edgecim_reg_pkg::ERR_NONE",
     "push && push_err == edgecim_reg_pkg::ERR_NONE && !flags_q[edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB]",
     ["a_push_queued"], "e"),
    ("top", R, "assign cmd_desc_o  = q_mem_q[q_rd_q];", "q_mem_q[q_rd_q]", "cmd_ready_i ? q_mem_q[q_rd_q] : q_mem_q[q_wr_q]",
     ["a_cmd_stable"], "e"),
    ("top", R, "err_code_q <= bad_addr ? edgecim_reg_pkg::ERR_BAD_ADDRESS : push_err;", "push_err",
     "(push_err == edgecim_reg_pkg::ERR_ZERO_SIZE) ? edgecim_reg_pkg::ERR_NONE : push_err", ["a_err_code"], "e"),
    ("top", R, "end else if (!err_q && ((push", "!err_q", "1'b1", ["a_err_kept"], "e"),
    # ---- tile_sequencer_sva
    ("top", S, "assign rd_req_addr_o  = a_addr + (32'(a_off_q) << BeatShift);", "a_addr + (32'(a_off_q) << BeatShift)",
     "a_addr + (32'(a_off_q) << BeatShift) + (rd_req_ready_i ? 32'd0 : 32'(DataBytes))", ["a_rd_req_stable"], "e"),
    ("top", S, "assign rd_req_beats_o = (a_left > 16'(MaxBurst)) ? BurstBits'(MaxBurst) : BurstBits'(a_left);",
     "BurstBits'(a_left);", "BurstBits'(a_left - 16'd1);", ["a_rd_req_beats"], "x"),
    ("top", S, "assign rd_pop_o  = beat_fire;", "beat_fire",
     "beat_fire || (run_q && !rd_valid_i && b_kind == edgecim_pkg::SegKindXq)",
     ["a_rd_pop", "a_pop_valid", "a_no_underflow"], "e"),
    ("top", S, "assign wr_req_addr_o  = y_addr_q + wyb_off_q + wy_off_q;", "y_addr_q + wyb_off_q + wy_off_q",
     "y_addr_q + wyb_off_q + wy_off_q + (wr_req_ready_i ? 32'd0 : 32'(DataBytes))", ["a_wr_req_stable"], "e"),
    ("top", S, "assign wr_data_o      = t_out_data_i[32'(wtile_q)*DW +: DW];", "t_out_data_i[32'(wtile_q)*DW +: DW]",
     "t_out_data_i[32'(wtile_q)*DW +: DW] ^ {DW{!wr_ready_i}}", ["a_wr_stable"], "e"),
    ("top", S, "assign w_beats     = 9'((32'(w_bytes) + DataBytes - 1) >> BeatShift);",
     "9'((32'(w_bytes) + DataBytes - 1) >> BeatShift)", "9'((32'(w_bytes) + DataBytes - 1) >> BeatShift) - 9'(w_last_nb)",
     ["a_wr_req_beats"], "e"),
    ("top", T, "assign wr_ready_o = ", '!(wr_kind_i == edgecim_pkg::BeatKindWword || wr_kind_i == edgecim_pkg::BeatKindWscale) ||\n                      m_w_ready[wr_macro_i]',
     "(!(wr_kind_i == edgecim_pkg::BeatKindWword || wr_kind_i == edgecim_pkg::BeatKindWscale) ||            m_w_ready[wr_macro_i]) && !(wr_kind_i == edgecim_pkg::BeatKindXq && wr_addr_i[4])", ["a_t_wr_taken"], "e"),
    ("top", S, "else                                                                      t_wr_valid_o[tile_q] = 1'b1;",
     "t_wr_valid_o[tile_q] = 1'b1;", "t_wr_valid_o = '1;", ["a_t_wr_onehot"], "s"),
    # (no tested configuration fills a tile's entry queue: the tile's queue is made to look full at 1)
    ("top", S, "(b_kind == edgecim_pkg::SegKindW) && t_blk_ready_i[tile_q] &&", "t_blk_ready_i[tile_q]", "1'b1",
     ["a_t_blk_taken"], "e",
     [(T, "assign blk_ready_o = (q_count_q != 2'd2);", "(q_count_q != 2'd2)", "(q_count_q == 2'd0)", "e")]),
    ("top", S, "if (blk_push) t_blk_valid_o[tile_q] = 1'b1;", "t_blk_valid_o[tile_q] = 1'b1;", "t_blk_valid_o = '1;",
     ["a_t_blk_onehot"], "s"),
    ("top", S, "if (w_req_fire) begin\n      t_out_rd_o[wtile_q] = 1'b1;", "t_out_rd_o[wtile_q] = 1'b1;",
     "t_out_rd_o = '1;", ["a_t_out_onehot"], "s"),
    ("top", S, "assign wr_req_valid_o = run_q && !finish_q && !wact_q && t_out_ready_i[wtile_q];",
     "t_out_ready_i[wtile_q]", "1'b1", ["a_t_out_ready", "a_release_done"], "e"),
    # (with one streaming macro per tile the router waits for the swap of the block it just loaded)
    ("top-narrow", S, "route_ok = !t_pend_i[32'(tile_q)*NM + 32'(b_macro)] && t_wr_ready_i[tile_q];",
     "!t_pend_i[32'(tile_q)*NM + 32'(b_macro)]", "1'b1",
     ["a_no_write_pending", "a_entry_fresh"], "e"),
    ("top", S, "assign cmd_ready_o = !run_q;", "!run_q", "!run_q || finish_q", ["a_start_idle"], "e"),
    ("top", S, "assign done_o = run_q && finish_q && wr_idle_i;", "run_q && finish_q && wr_idle_i",
     "(run_q || finish_q) && finish_q && wr_idle_i", ["a_done"], "e"),
    ("top", W, "kind_d  = last_nb ? edgecim_pkg::SegKindEnd : first_nb_seg;", "edgecim_pkg::SegKindEnd",
     "edgecim_pkg::seg_kind_e'(3'd5)", ["a_kind_legal"], "e"),
    ("top", S, "edgecim_pkg::SegKindYi: begin\n        t_wr_kind_o = edgecim_pkg::BeatKindYi;\n        route_ok    = t_init_ok_i[tile_q];",
     "t_init_ok_i[tile_q]", "t_init_ok_i[tile_q] && !accum_q", ["a_progress"], "e"),
    # ---- edgecim_dma_sva
    ("top", D, "assign credit_ok      = 32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats;",
     "32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats", "32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats + 2 * MaxBurst",
     ["a_credits", "a_no_overflow"], "e"),
    ("top", D, "inflight_q <= inflight_q + (rd_req_fire ? CntBits'(rd_req_beats_i) : '0) - CntBits'(rd_pop_i);",
     "CntBits'(rd_req_beats_i)", "CntBits'(rd_req_beats_i) - CntBits'(rd_req_beats_i == BurstBits'(1))",
     ["a_outstanding"], "e"),
    # (the sequencer never offers a write while its last one is open: both guards must go)
    ("top", D, "assign wr_req_ready_o = mem_req_ready_i && !w_busy_q;", "mem_req_ready_i && !w_busy_q",
     "mem_req_ready_i", ["a_wr_one"], "e",
     [(S, "assign wr_req_valid_o = run_q && !finish_q && !wact_q && t_out_ready_i[wtile_q];", "!wact_q", "1'b1", "e")]),
    ("top", D, "w_left_q <= wr_req_beats_i;", "wr_req_beats_i", "wr_req_beats_i - 9'd1", ["a_w_left"], "e"),
    ("top", D, "assign mem_w_valid_o = w_busy_q && wr_valid_i;", "w_busy_q && wr_valid_i",
     "(w_busy_q || wr_req_fire) && (wr_valid_i || wr_req_fire)", ["a_w_only_open"], "e"),
    ("top", D, "assign mem_req_valid_o = (wr_req_valid_i && !w_busy_q) || (rd_req_valid_i && !wr_req_valid_i && credit_ok);",
     "(rd_req_valid_i && !wr_req_valid_i && credit_ok)", "(!wr_req_valid_i && credit_ok)", ["a_wr_first"], "e"),
    # ---- edgecim_fifo_sva
    ("top", F, "assign pop_valid_o = (oq_cnt_q != 2'd0);", "(oq_cnt_q != 2'd0)", "(oq_cnt_q != 2'd0) || rd_pend_q",
     ["a_no_underflow"], "e"),
    ("top", F, "assign rd      = (sram_cnt_q != '0) && (room != 2'd0);", "(sram_cnt_q != '0) && (room != 2'd0)",
     "(room != 2'd0)", ["a_sram_read"], "e"),
    ("top", F, "assign room    = 2'd2 - oq_left - 2'(rd_pend_q);", "2'd2 - oq_left - 2'(rd_pend_q)", "2'd2 - oq_left",
     ["a_oq_room"], "e"),
    ("top", F, "assign rd      = (sram_cnt_q != '0) && (room != 2'd0);", "(sram_cnt_q != '0) && (room != 2'd0)",
     "(sram_cnt_q != '0) && (room != 2'd0) && (oq_cnt_q != 2'd0)", ["a_fwft"], "e"),
    ("top", F, "assign bypass  = push_i && (sram_cnt_q == '0) && !rd_pend_q && (room != 2'd0);",
     "push_i && (sram_cnt_q == '0) && !rd_pend_q && (room != 2'd0)", "push_i && (sram_cnt_q == '0) && !rd_pend_q",
     ["a_count", "a_oq_room"], "e"),
    # ---- edgecim_seg_walker_sva
    ("top", S, "end else if (run_q && a_active) begin\n      if (a_len == '0) begin", "run_q && a_active", "run_q",
     ["a_no_advance_past_end"], "e"),
    ("top", S, "if (start) begin\n      a_off_d = '0;", "a_off_d = '0;", "a_off_d = '0; a_adv = 1'b1;",
     ["a_start_xor_advance"], "s"),
    # ---- cim_tile_sva
    # (the queue counts 2 per entry, and looks never full)
    ("top", T, "q_count_q <= q_count_q + {1'b0, q_push} - {1'b0, q_pop};", "{1'b0, q_push}", "{q_push, 1'b0}",
     ["a_q_overflow", "a_q_count"], "e",
     [(T, "assign blk_ready_o = (q_count_q != 2'd2);", "(q_count_q != 2'd2)", "1'b1", "e")]),
    ("top", T, "assign op_rd    = (q_count_q != 2'd0) && opq_room", "(q_count_q != 2'd0)", "1'b1",
     ["a_q_underflow"], "e"),
    ("top-narrow", T, "assign opq_room = (32'(opq_count_q) + 32'(pl_new_q) < OpqDepth);",
     "(32'(opq_count_q) + 32'(pl_new_q) < OpqDepth)", "1'b1", ["a_opq_overflow"], "e"),
    ("top", T, "assign opq_pop  = ppu_valid && ppu_ready;", "ppu_valid && ppu_ready", "ppu_ready",
     ["a_opq_underflow"], "e"),
    ("top", T, "if (opq_count_q != '0) m_r_ready[opq_head.macro] = ppu_ready;", "m_r_ready[opq_head.macro] = ppu_ready;",
     "m_r_ready = {NM{ppu_ready}};", ["a_one_macro"], "s"),
    ("top", T, "assign pl_fire   = pl_active_q && cur_ready;", "pl_active_q && cur_ready", "cur_ready",
     ["a_planes_active"], "e"),
    ("top", T, "if (q_push && blk_swap_i) pend_d[blk_macro_i] = 1'b1;", "pend_d[blk_macro_i] = 1'b1;", ";",
     ["a_swap_fresh"], "s"),
    # ---- cim_ppu_sva
    ("top", P, "if (in_advance_i)                          in_blk_q   <= in_blk_q + 1'b1;", "in_blk_q + 1'b1",
     "in_blk_q + 2'd2", ["a_blocks_ordered"], "e"),
    # ---- cim_macro_sva (the macro co-simulation: random writes, swaps and backpressure)
    ("macro", M, "assign w_ready_o   = !swap_fire;", "!swap_fire", "1'b1", ["a_no_write_on_swap"], "e"),
    ("macro", M, "assign w_ready_o   = !swap_fire;", "!swap_fire", "!swap_fire && !(a_fire && !first_plane)",
     ["a_write_ready"], "e"),
    ("macro", M, "assign active_d    = active_q ^ swap_fire;", "active_q ^ swap_fire",
     "active_q ^ swap_fire ^ (w_fire && w_idx_i == '0)", ["a_bank_swap"], "e"),
    ("macro", M, "assign swap_fire   = a_fire && first_plane && a_swap_i;", "a_fire && first_plane && a_swap_i",
     "a_valid_i && first_plane && a_swap_i", ["a_swap_first"], "e"),
    ("macro", M, "assign stall    = s1_valid_q && s1_last && out_valid_q && !r_ready_i;",
     "s1_valid_q && s1_last && out_valid_q && !r_ready_i", "1'b0", ["a_r_stable"], "e"),
    ("macro", M, "assign stall    = s1_valid_q && s1_last && out_valid_q && !r_ready_i;",
     "s1_valid_q && s1_last && out_valid_q && !r_ready_i", "s1_valid_q && s1_last && !r_ready_i",
     ["a_stall_only_full"], "e"),
    ("macro", M, "assign idle_o    = first_plane && !s1_valid_q && !out_valid_q;",
     "first_plane && !s1_valid_q && !out_valid_q", "first_plane && !s1_valid_q", ["a_idle"], "e"),
]
# kind 'x': an expression whose text ends in ';' (the ';' stays outside the schema).
# An 8th element lists more sites (file, context, expr, replacement, kind) of the same mutant.
# The benches: the top co-simulation in a named configuration (test arguments), or the macro one.
BENCHES = {
    "top": ("default", ["--cases", "10", "--max-dim", "1200"]),
    "top-odd": ("odd", ["--cases", "10", "--max-dim", "900", "--stall", "10", "--latency", "60"]),
    "top-narrow": ("narrow", ["--no-real", "--cases", "14", "--max-dim", "700", "--bw", "6", "--latency", "25"]),
    "macro": ("default", ["--ops", "3000"]),
}

PKG = """// Generated by scripts/sva_fire.py: the mutant selector of the mutant schema (+mut=N).
package edgecim_mut_pkg;
  int unsigned sel = 0;
endpackage
"""
INIT = """// Generated by scripts/sva_fire.py: reads +mut=N into edgecim_mut_pkg::sel.
module edgecim_mut_init;
  initial begin
    int unsigned n;
    if ($value$plusargs("mut=%d", n)) edgecim_mut_pkg::sel = n;
  end
endmodule
bind %s edgecim_mut_init u_mut_init ();
"""


def make_vars(*names):
    out = subprocess.run(["make", "-s", "--no-print-directory", "-f", "-", "show"], cwd=ROOT, text=True,
                         capture_output=True, check=True,
                         input="include mk/filelists.mk mk/hwcfg.mk\nshow:\n" +
                         "".join(f"\t@echo '{n}=$({n})'\n" for n in names)).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


def apply_schema(text, specs):
    """specs: list of (n, context, expr, repl, kind); returns the text with the schema."""
    sites = {}
    for n, ctx, expr, repl, kind in specs:
        at = text.find(ctx)
        if at < 0 or text.find(ctx, at + 1) >= 0:
            raise SystemExit(f"sva_fire: mutant {n}: context not found exactly once: {ctx!r}")
        off = text.find(expr, at)
        if off < 0:
            raise SystemExit(f"sva_fire: mutant {n}: {expr!r} not after its context")
        sites.setdefault((off, off + len(expr), kind), []).append((n, repl))
    for (a, b, kind), alts in sorted(sites.items(), reverse=True):
        orig = text[a:b]
        if kind == "s":
            new = "".join(f"if ({SEL} == {n}) begin {r} end else " for n, r in alts) + f"begin {orig} end"
        else:
            tail = ";" if kind == "x" else ""
            core = orig[:-1] if tail else orig
            new = "(" + "".join(f"({SEL} == {n}) ? ({r[:-1] if tail else r}) : " for n, r in alts) + f"({core}))" + tail
        text = text[:a] + new + text[b:]
    return text


def sites_of(m):
    """Every site of a mutant: (file, context, expr, replacement, kind)."""
    b, f, ctx, expr, repl, _, kind = m[:7]
    return [(f, ctx, expr, repl, kind)] + (list(m[7]) if len(m) > 7 else [])


def build(bench, v):
    is_top = bench.startswith("top")
    src = os.path.join(OUT_DIR, "src-" + bench)
    files = v["TB_TOP_SV" if is_top else "TB_MACRO_SV"].split()
    sva = v["SVA_TOP_SV" if is_top else "SVA_MACRO_SV"].split()
    by_file = {}
    for n, m in enumerate(MUTANTS, 1):
        if m[0] == bench:
            for f, ctx, expr, repl, kind in sites_of(m):
                by_file.setdefault(f, []).append((n, ctx, expr, repl, kind))
    paths = [os.path.join(src, "edgecim_mut_pkg.sv")]
    os.makedirs(os.path.join(src, "rtl"), exist_ok=True)
    with open(paths[0], "w") as fh:
        fh.write(PKG)
    for f in files:
        with open(os.path.join(ROOT, f)) as fh:
            text = fh.read()
        if f in by_file:
            text = apply_schema(text, by_file[f])
        dst = os.path.join(src, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w") as fh:
            fh.write(text)
        paths.append(dst)
    top = "tb_edgecim_top" if is_top else "tb_cim_macro"
    init = os.path.join(src, "edgecim_mut_init.sv")
    with open(init, "w") as fh:
        fh.write(INIT.replace("%s", top))
    mdir = os.path.join(OUT_DIR, bench)
    params = v["HW_PARAMS_" + BENCHES[bench][0]].split() if is_top else []
    lib = os.path.join(ROOT, "build", "sim", "libedgecim_top_tb.a" if is_top else "libcim_macro_tb.a")
    harness = os.path.join(ROOT, "sim", "sim_edgecim_top.cpp" if is_top else "sim_cim_macro.cpp")
    subprocess.run(["make", "-s", "--no-print-directory", os.path.relpath(lib, ROOT)], cwd=ROOT, check=True)
    inc = " ".join(f"-I{os.path.join(ROOT, d)}" for d in ("tb", "include", "fmt", "cmodel", "sim"))
    cmd = (["verilator", "--cc", "--exe", "--build", "-j", "2", "-Wall", "-Wno-fatal", "--x-assign", "fast", "-O3",
            "--assert", "--top-module", top] + params +
           ["-Mdir", mdir, "-o", "Vsim", os.path.join(ROOT, "rtl", "lint.vlt"), os.path.join(ROOT, "dv", "sva", "sva.vlt")] +
           paths + [os.path.join(ROOT, s) for s in sva] + [init, harness,
           "-CFLAGS", inc, "-LDFLAGS", lib, "-MAKEFLAGS", "OPT_FAST=-O1"])
    log = os.path.join(OUT_DIR, f"{bench}.build.log")
    print(f"sva_fire: building the {bench} co-simulation with {sum(len(x) for x in by_file.values())} mutants "
          f"(log {os.path.relpath(log, ROOT)})", flush=True)
    with open(log, "w") as fh:
        if subprocess.run(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT).returncode:
            raise SystemExit(f"sva_fire: build failed, see {log}")
    return os.path.join(mdir, "Vsim")


FIRED = re.compile(r"Assertion failed in \S*?\.u_sva\.(?:[\w\[\]]+\.)?(a_\w+)")


def run(vsim, bench, n, expect, timeout):
    args = [vsim, "--seed", "1"] + BENCHES[bench][1]
    env = dict(os.environ, EDGECIM_PLUSARGS=f"+mut={n} +verilator+error+limit+100000", EDGECIM_TB_NO_CHECK="1")
    p = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    fired, t0, status = [], time.time(), "no assertion"
    try:
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        while True:
            left = timeout - (time.time() - t0)
            if left <= 0:
                status = "timeout"
                break
            if not sel.select(left):
                continue
            line = p.stdout.readline()
            if not line:
                break
            m = FIRED.search(line)
            if m and m.group(1) not in fired:
                fired.append(m.group(1))
            if expect and all(e in fired for e in expect):
                break
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
    if expect and all(e in fired for e in expect):
        status = "fired"
    elif not expect:
        status = "clean" if not fired else "FIRED ON THE REAL DESIGN"
    elif status != "timeout":
        status = "MISSED"
    return status, fired, time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="mutant numbers, comma separated")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--out", default=os.path.join(OUT_DIR, "report.md"))
    a = ap.parse_args()
    only = {int(x) for x in a.only.split(",")} if a.only else None
    v = make_vars("TB_TOP_SV", "TB_MACRO_SV", "SVA_TOP_SV", "SVA_MACRO_SV",
                  *sorted({"HW_PARAMS_" + c for c, _ in BENCHES.values()}))
    os.makedirs(OUT_DIR, exist_ok=True)
    benches = sorted({m[0] for i, m in enumerate(MUTANTS, 1) if only is None or i in only})
    vsim = {}
    for b in benches:
        vsim[b] = os.path.join(OUT_DIR, b, "Vsim") if a.no_build else build(b, v)
    rows, bad = [], 0
    for b in benches:
        if only is None or 0 in only:
            st, fired, secs = run(vsim[b], b, 0, [], a.timeout)
            print(f"  {b} mutant 0 (the real design): {st} {' '.join(fired)}", flush=True)
            bad += st != "clean"
    for n, m in enumerate(MUTANTS, 1):
        b, f, ctx, expr, repl, expect, kind = m[:7]
        if only is not None and n not in only:
            continue
        st, fired, secs = run(vsim[b], b, n, expect, a.timeout)
        bad += st != "fired"
        others = [x for x in fired if x not in expect]
        rows.append((n, f, expr, repl, expect, others, st, secs))
        print(f"  mutant {n:2d} {os.path.basename(f):22s} {st:8s} {' '.join(expect)}"
              f"{' (also ' + ' '.join(others) + ')' if others else ''}  {secs:.1f}s", flush=True)
    with open(a.out, "w") as fh:
        fh.write("| # | file | mutation | fired (targeted) | also fired | result |\n| --- | --- | --- | --- | --- | --- |\n")
        for n, f, expr, repl, expect, others, st, secs in rows:
            e = expr.replace("|", "\\|").replace("\n", " ")
            r = repl.replace("|", "\\|").replace("\n", " ")
            fh.write(f"| {n} | {os.path.basename(f)} | `{e}` -> `{r}` | {', '.join(expect)} | {', '.join(others)} | {st} |\n")
    print(f"sva_fire: {len(rows) - bad if bad <= len(rows) else 0} of {len(rows)} mutants fired their assertions; "
          f"table in {os.path.relpath(a.out, ROOT)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
