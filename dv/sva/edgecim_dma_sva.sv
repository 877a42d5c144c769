// SPDX-License-Identifier: Apache-2.0
// Assertions inside edgecim_dma (bound in by dv/sva/edgecim_sva_bind.sv; simulation only):
// credits, read data only for requested beats, the write serializer.
module edgecim_dma_sva #(
  parameter int unsigned FifoBeats = 128,
  parameter int unsigned MaxBurst  = 16,
  localparam int unsigned CntBits   = $clog2(FifoBeats + 1) + 1,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input logic                 clk_i,
  input logic                 rst_ni,
  input logic [CntBits-1:0]   inflight_q,
  input logic                 rd_req_fire,
  input logic [BurstBits-1:0] rd_req_beats_i,
  input logic                 rd_valid_o,
  input logic                 rd_pop_i,
  input logic                 mem_r_valid_i,
  input logic                 wr_req_fire,
  input logic                 w_busy_q,
  input logic [8:0]           w_left_q,
  input logic                 mem_w_valid_o,
  input logic                 wr_valid_i,
  input logic                 rd_req_valid_i,
  input logic                 wr_req_valid_i,
  input logic                 mem_req_valid_o,
  input logic                 mem_req_we_o
);
  // Beats requested and not yet arrived (the checker's own count).
  logic [31:0] outstanding_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) outstanding_q <= '0;
    else outstanding_q <= outstanding_q + (rd_req_fire ? 32'(rd_req_beats_i) : 32'd0) - 32'(mem_r_valid_i);
  end

  a_credits: assert property (@(posedge clk_i) disable iff (!rst_ni) 32'(inflight_q) <= FifoBeats)
    else $error("edgecim_dma: more beats in flight than the read FIFO holds");
  a_outstanding: assert property (@(posedge clk_i) disable iff (!rst_ni) outstanding_q <= 32'(inflight_q))
    else $error("edgecim_dma: credits lost (fewer in flight than requested and not arrived)");
  a_r_requested: assert property (@(posedge clk_i) disable iff (!rst_ni) mem_r_valid_i |-> outstanding_q != 0)
    else $error("edgecim_dma: read data that was never requested");
  a_pop_valid: assert property (@(posedge clk_i) disable iff (!rst_ni) rd_pop_i |-> rd_valid_o)
    else $error("edgecim_dma: pop of an empty read FIFO");
  // Writes: one request at a time, its beats counted down to the last.
  a_wr_one: assert property (@(posedge clk_i) disable iff (!rst_ni) wr_req_fire |-> !w_busy_q)
    else $error("edgecim_dma: write request accepted while one is sending");
  a_w_left: assert property (@(posedge clk_i) disable iff (!rst_ni) w_busy_q |-> w_left_q != '0)
    else $error("edgecim_dma: write open with no beat left");
  a_w_only_open: assert property (@(posedge clk_i) disable iff (!rst_ni) mem_w_valid_o |-> w_busy_q && wr_valid_i)
    else $error("edgecim_dma: write beat with no open write request");
  // The request channel offers a read only when no write wants it (writes first).
  a_wr_first: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o && !mem_req_we_o |-> rd_req_valid_i && !wr_req_valid_i)
    else $error("edgecim_dma: read offered while a write request waits");
endmodule
