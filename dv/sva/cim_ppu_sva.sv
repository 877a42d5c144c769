// SPDX-License-Identifier: Apache-2.0
// Assertions inside cim_ppu (bound in by dv/sva/edgecim_sva_bind.sv; simulation only): the 2-bit
// output-block counters stay ordered (drained <= done <= loaded <= in, counted from drained) and
// never wrap (at most 3 blocks between in and drained, counted here with wide counters), in the
// commands that use them: with ACCUM or BIAS, where in_blk_q picks the accumulator half of the old
// y and bias and init_ok_o gates them. Without either, nothing gates in_blk_q and it does wrap
// (the narrow configuration: 4 and more blocks pushed ahead of the writer); it is unused there
// (docs/VERIFICATION.md, "Findings").
module cim_ppu_sva (
  input logic       clk_i,
  input logic       rst_ni,
  input logic       start_i,
  input logic       accum_i,
  input logic       bias_i,
  input logic       in_advance_i,
  input logic [1:0] in_blk_q,
  input logic [1:0] load_blk_q,
  input logic [1:0] done_blk_q,
  input logic [1:0] drained_q,
  input logic       out_release_i,
  input logic       out_ready_o,
  input logic       out_rd_i
);
  logic [1:0]  n_in, n_load, n_done;
  logic [31:0] in_c, drained_c;
  assign n_in   = in_blk_q - drained_q;
  assign n_load = load_blk_q - drained_q;
  assign n_done = done_blk_q - drained_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni || start_i) begin
      in_c      <= '0;
      drained_c <= '0;
    end else begin
      in_c      <= in_c + 32'(in_advance_i);
      drained_c <= drained_c + 32'(out_release_i);
    end
  end
  a_blocks_ordered: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (accum_i || bias_i) |-> n_done <= n_load && n_load <= n_in)
    else $error("cim_ppu: block counters out of order (in %0d load %0d done %0d drained %0d)",
                in_blk_q, load_blk_q, done_blk_q, drained_q);
  a_blocks_no_wrap: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (accum_i || bias_i) |-> in_c - drained_c <= 32'd3)
    else $error("cim_ppu: %0d output blocks between in and drained: the 2-bit counters wrap", in_c - drained_c);
  a_release_done: assert property (@(posedge clk_i) disable iff (!rst_ni) (out_release_i || out_rd_i) |-> out_ready_o)
    else $error("cim_ppu: outputs read or released before the block is done");
endmodule
