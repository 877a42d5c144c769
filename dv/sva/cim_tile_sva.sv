// SPDX-License-Identifier: Apache-2.0
// Assertions inside cim_tile (bound in by dv/sva/edgecim_sva_bind.sv; simulation only): the
// block-entry and op queues, one macro driven at a time, and the bank rules of the tile.
module cim_tile_sva #(
  parameter int unsigned NMacros = 2,
  parameter int unsigned NRes    = 1,
  localparam int unsigned NM       = NMacros + NRes,
  localparam int unsigned MacroAw  = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned OpqDepth = 4
) (
  input logic               clk_i,
  input logic               rst_ni,
  input logic [1:0]         q_count_q,
  input logic               q_push,
  input logic               q_pop,
  input logic [2:0]         opq_count_q,
  input logic               opq_push,
  input logic               opq_pop,
  input logic [NM-1:0]      m_w_valid,
  input logic [NM-1:0]      m_a_valid,
  input logic [NM-1:0]      m_r_ready,
  input logic [NM-1:0]      pend_q,
  input logic               swap_fire,
  input logic [MacroAw-1:0] pl_op_macro,
  input logic               pl_fire,
  input logic               pl_active_q,
  input logic               blk_valid_i,
  input logic               blk_swap_i,
  input logic [MacroAw-1:0] blk_macro_i
);
  a_q_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni) q_push |-> q_count_q != 2'd2)
    else $error("cim_tile: block entry pushed into a full queue");
  a_q_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni) q_pop |-> q_count_q != 2'd0)
    else $error("cim_tile: block entry taken from an empty queue");
  a_q_count: assert property (@(posedge clk_i) disable iff (!rst_ni) q_count_q <= 2'd2)
    else $error("cim_tile: block queue count beyond 2");
  a_opq_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(opq_count_q) + 32'(opq_push) - 32'(opq_pop) <= OpqDepth)
    else $error("cim_tile: op queue overflow");
  a_opq_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni) opq_pop |-> opq_count_q != '0)
    else $error("cim_tile: op queue underflow");
  a_one_macro: assert property (@(posedge clk_i) disable iff (!rst_ni)
      $onehot0(m_w_valid) && $onehot0(m_a_valid) && $onehot0(m_r_ready))
    else $error("cim_tile: more than one macro written, fed or read at once");
  a_planes_active: assert property (@(posedge clk_i) disable iff (!rst_ni) pl_fire |-> pl_active_q)
    else $error("cim_tile: plane sent with no operation");
  // Bank rules: the shadow bank of a macro whose loaded block has not swapped in yet (pend) is
  // never written; a swap happens only onto a freshly loaded block; a block entry that will swap
  // names a macro with no loaded block waiting.
  for (genvar m = 0; m < NM; m++) begin : g_m
    a_no_write_pending: assert property (@(posedge clk_i) disable iff (!rst_ni) m_w_valid[m] |-> !pend_q[m])
      else $error("cim_tile: write into a macro whose loaded block has not swapped in");
  end
  a_swap_fresh: assert property (@(posedge clk_i) disable iff (!rst_ni) swap_fire |-> pend_q[pl_op_macro])
    else $error("cim_tile: bank swap with no freshly loaded block (computes with stale weights)");
  a_entry_fresh: assert property (@(posedge clk_i) disable iff (!rst_ni)
      q_push && blk_valid_i && blk_swap_i |-> !pend_q[blk_macro_i])
    else $error("cim_tile: second block loaded into a macro before the first swapped in");
endmodule
