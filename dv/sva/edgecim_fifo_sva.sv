// SPDX-License-Identifier: Apache-2.0
// Assertions inside edgecim_fifo (bound in by dv/sva/edgecim_sva_bind.sv; simulation only).
module edgecim_fifo_sva #(
  parameter int unsigned Depth = 64,
  localparam int unsigned Aw   = (Depth > 1) ? $clog2(Depth) : 1
) (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        push_i,
  input logic        pop_i,
  input logic        pop_valid_o,
  input logic        to_sram,
  input logic        rd,
  input logic        rd_pend_q,
  input logic [Aw:0] sram_cnt_q,
  input logic [1:0]  oq_cnt_q
);
  a_no_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni) pop_i |-> pop_valid_o)
    else $error("edgecim_fifo: pop while empty (underflow)");
  a_no_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni) to_sram |-> 32'(sram_cnt_q) < Depth)
    else $error("edgecim_fifo: push into a full SRAM (overflow)");
  a_sram_read: assert property (@(posedge clk_i) disable iff (!rst_ni) rd |-> sram_cnt_q != '0)
    else $error("edgecim_fifo: SRAM read while it holds nothing");
  a_oq_room: assert property (@(posedge clk_i) disable iff (!rst_ni) 32'(oq_cnt_q) + 32'(rd_pend_q) <= 2)
    else $error("edgecim_fifo: output queue holds (or expects) more than 2 entries");
  // First word falls through: an entry waiting in the SRAM means the output queue is being filled.
  a_fwft: assert property (@(posedge clk_i) disable iff (!rst_ni)
      sram_cnt_q != '0 && oq_cnt_q == 2'd0 && !rd_pend_q |-> rd)
    else $error("edgecim_fifo: output queue empty, SRAM not empty, and no read (a bubble)");
  a_count: assert property (@(posedge clk_i) disable iff (!rst_ni)
      push_i |-> 32'(sram_cnt_q) + 32'(oq_cnt_q) + 32'(rd_pend_q) < Depth + 2)
    else $error("edgecim_fifo: push with every entry taken");
endmodule
