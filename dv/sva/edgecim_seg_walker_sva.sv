// SPDX-License-Identifier: Apache-2.0
// Assertions inside edgecim_seg_walker (bound in by dv/sva/edgecim_sva_bind.sv; simulation only).
module edgecim_seg_walker_sva (
  input logic                   clk_i,
  input logic                   rst_ni,
  input logic                   start_i,
  input logic                   advance_i,
  input edgecim_pkg::seg_kind_e kind_q
);
  a_kind_legal: assert property (@(posedge clk_i) disable iff (!rst_ni)
      kind_q inside {edgecim_pkg::SegKindXq, edgecim_pkg::SegKindXs, edgecim_pkg::SegKindYi,
                     edgecim_pkg::SegKindBi, edgecim_pkg::SegKindW, edgecim_pkg::SegKindEnd})
    else $error("edgecim_seg_walker: illegal segment kind");
  a_no_advance_past_end: assert property (@(posedge clk_i) disable iff (!rst_ni)
      advance_i && !start_i |-> kind_q != edgecim_pkg::SegKindEnd)
    else $error("edgecim_seg_walker: advanced past the end of the stream");
  a_start_xor_advance: assert property (@(posedge clk_i) disable iff (!rst_ni) !(start_i && advance_i))
    else $error("edgecim_seg_walker: start and advance in the same cycle");
endmodule
