// SPDX-License-Identifier: Apache-2.0
// Assertions inside tile_sequencer (bound in by dv/sva/edgecim_sva_bind.sv; simulation only):
// the handshakes with the DMA (read requests, write requests and beats, read pops) and with the
// tiles (beats, block entries, output reads), the bank rule at the router, and a progress bound.
module tile_sequencer_sva #(
  parameter int unsigned NTiles    = 2,
  parameter int unsigned NMacros   = 2,
  parameter int unsigned NRes      = 1,
  parameter int unsigned DataBytes = 16,
  parameter int unsigned MaxBurst  = 16,
  // While a command runs, some handshake happens at least once every MaxIdle cycles (no
  // deadlock); `define EDGECIM_SVA_MAX_IDLE to change it.
`ifdef EDGECIM_SVA_MAX_IDLE
  parameter int unsigned MaxIdle   = `EDGECIM_SVA_MAX_IDLE,
`else
  parameter int unsigned MaxIdle   = 16384,
`endif
  localparam int unsigned NM        = NMacros + NRes,
  localparam int unsigned MacroAw   = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned DW        = DataBytes * 8,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input logic                     clk_i,
  input logic                     rst_ni,
  input logic                     run_q,
  input logic                     start,
  input logic                     done_o,
  input logic                     wr_idle_i,
  input logic                     rd_req_valid_o,
  input logic                     rd_req_ready_i,
  input logic [31:0]              rd_req_addr_o,
  input logic [BurstBits-1:0]     rd_req_beats_o,
  input logic                     rd_valid_i,
  input logic                     rd_pop_o,
  input logic                     wr_req_valid_o,
  input logic                     wr_req_ready_i,
  input logic [31:0]              wr_req_addr_o,
  input logic [8:0]               wr_req_beats_o,
  input logic                     wr_valid_o,
  input logic                     wr_ready_i,
  input logic [DW-1:0]            wr_data_o,
  input logic [DataBytes-1:0]     wr_strb_o,
  input logic [NTiles-1:0]        t_wr_valid_o,
  input logic [NTiles-1:0]        t_wr_ready_i,
  input edgecim_pkg::beat_kind_e  t_wr_kind_o,
  input logic [MacroAw-1:0]       t_wr_macro_o,
  input logic [NTiles-1:0]        t_blk_valid_o,
  input logic [NTiles-1:0]        t_blk_ready_i,
  input logic [NTiles*NM-1:0]     t_pend_i,
  input logic [NTiles-1:0]        t_out_ready_i,
  input logic [NTiles-1:0]        t_out_rd_o,
  input logic [NTiles-1:0]        t_out_release_o,
  input edgecim_pkg::seg_kind_e   a_kind,
  input edgecim_pkg::seg_kind_e   b_kind
);
  // Wide payloads are checked by an immediate assertion in a clocked block against a registered
  // copy (the same meaning as `valid && !ready |=> valid && $stable(data)`): Verilator 5.006
  // generates uncompilable code for the sampled copies that concurrent assertions make of very
  // wide signals (its issue 4824).
  logic [DW-1:0]        wr_data_prev_q;
  logic [DataBytes-1:0] wr_strb_prev_q;
  logic                 wr_hold_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_hold_q <= 1'b0;
    end else begin
      if (wr_hold_q) begin
        a_wr_stable: assert (wr_valid_o && wr_data_o == wr_data_prev_q && wr_strb_o == wr_strb_prev_q)
          else $error("tile_sequencer: write beat changed or withdrawn before the DMA took it");
      end
      wr_hold_q      <= wr_valid_o && !wr_ready_i;
      wr_data_prev_q <= wr_data_o;
      wr_strb_prev_q <= wr_strb_o;
    end
  end

  // DMA read requests: offered until taken, unchanged; 1..MaxBurst beats.
  a_rd_req_stable: assert property (@(posedge clk_i) disable iff (!rst_ni)
      rd_req_valid_o && !rd_req_ready_i |=> rd_req_valid_o && $stable(rd_req_addr_o) && $stable(rd_req_beats_o))
    else $error("tile_sequencer: read request changed or withdrawn before the DMA took it");
  a_rd_req_beats: assert property (@(posedge clk_i) disable iff (!rst_ni)
      rd_req_valid_o |-> rd_req_beats_o != '0 && 32'(rd_req_beats_o) <= MaxBurst)
    else $error("tile_sequencer: read request of 0 or more than MaxBurst beats");
  // The router pops only a beat that is there.
  a_rd_pop: assert property (@(posedge clk_i) disable iff (!rst_ni) rd_pop_o |-> rd_valid_i)
    else $error("tile_sequencer: pop of an empty read FIFO");
  // Writer: the request offered until taken, unchanged (its beats: above).
  a_wr_req_stable: assert property (@(posedge clk_i) disable iff (!rst_ni)
      wr_req_valid_o && !wr_req_ready_i |=> wr_req_valid_o && $stable(wr_req_addr_o) && $stable(wr_req_beats_o))
    else $error("tile_sequencer: write request changed or withdrawn before the DMA took it");
  a_wr_req_beats: assert property (@(posedge clk_i) disable iff (!rst_ni)
      wr_req_valid_o |-> wr_req_beats_o != '0 && wr_req_beats_o <= 9'd256)
    else $error("tile_sequencer: write request of 0 or more than 256 beats");
  // Router -> tiles: a beat or a block entry is sent only to a tile that takes it; one tile at a
  // time for everything but the activations (broadcast).
  a_t_wr_taken: assert property (@(posedge clk_i) disable iff (!rst_ni) (t_wr_valid_o & ~t_wr_ready_i) == '0)
    else $error("tile_sequencer: beat sent to a tile that is not ready (lost)");
  a_t_wr_onehot: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !(t_wr_kind_o inside {edgecim_pkg::BeatKindXq, edgecim_pkg::BeatKindXs}) |-> $onehot0(t_wr_valid_o))
    else $error("tile_sequencer: a non-activation beat sent to more than one tile");
  a_t_blk_taken: assert property (@(posedge clk_i) disable iff (!rst_ni) (t_blk_valid_o & ~t_blk_ready_i) == '0)
    else $error("tile_sequencer: block entry pushed into a full tile queue");
  a_t_blk_onehot: assert property (@(posedge clk_i) disable iff (!rst_ni) $onehot0(t_blk_valid_o))
    else $error("tile_sequencer: block entry pushed to more than one tile");
  a_t_out_onehot: assert property (@(posedge clk_i) disable iff (!rst_ni)
      $onehot0(t_out_rd_o) && $onehot0(t_out_release_o))
    else $error("tile_sequencer: outputs read or released from more than one tile");
  a_t_out_ready: assert property (@(posedge clk_i) disable iff (!rst_ni)
      ((t_out_rd_o | t_out_release_o) & ~t_out_ready_i) == '0)
    else $error("tile_sequencer: outputs read or released from a tile that has none");
  // The bank rule at the router: a weight beat never goes to a macro whose shadow bank holds a
  // block not yet swapped in (it would overwrite weights before they are used).
  for (genvar t = 0; t < NTiles; t++) begin : g_tile
    a_no_write_pending: assert property (@(posedge clk_i) disable iff (!rst_ni)
        t_wr_valid_o[t] && t_wr_kind_o inside {edgecim_pkg::BeatKindWword, edgecim_pkg::BeatKindWscale}
        |-> !t_pend_i[t*NM + 32'(t_wr_macro_o)])
      else $error("tile_sequencer: weight beat into a macro whose loaded block has not swapped in");
  end
  // Command control: a command starts only when idle, finishes only when its writes have left.
  a_start_idle: assert property (@(posedge clk_i) disable iff (!rst_ni) start |-> !run_q)
    else $error("tile_sequencer: command started while one runs");
  a_done: assert property (@(posedge clk_i) disable iff (!rst_ni) done_o |-> run_q && wr_idle_i)
    else $error("tile_sequencer: done while idle or with a write in flight");
  // Legal walker states (seg_kind_e has 6 of 8 codes).
  a_kind_legal: assert property (@(posedge clk_i) disable iff (!rst_ni)
      a_kind inside {edgecim_pkg::SegKindXq, edgecim_pkg::SegKindXs, edgecim_pkg::SegKindYi,
                     edgecim_pkg::SegKindBi, edgecim_pkg::SegKindW, edgecim_pkg::SegKindEnd} &&
      b_kind inside {edgecim_pkg::SegKindXq, edgecim_pkg::SegKindXs, edgecim_pkg::SegKindYi,
                     edgecim_pkg::SegKindBi, edgecim_pkg::SegKindW, edgecim_pkg::SegKindEnd})
    else $error("tile_sequencer: walker in an illegal state");
  // Every command completes: while one runs, some handshake happens every MaxIdle cycles.
  logic        progress;
  logic [31:0] idle_q;
  assign progress = !run_q || (rd_req_valid_o && rd_req_ready_i) || rd_pop_o || (|t_blk_valid_o) ||
                    (wr_req_valid_o && wr_req_ready_i) || (wr_valid_o && wr_ready_i) || done_o;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)       idle_q <= '0;
    else if (progress) idle_q <= '0;
    else               idle_q <= idle_q + 1'b1;
  end
  a_progress: assert property (@(posedge clk_i) disable iff (!rst_ni) idle_q < MaxIdle)
    else $error("tile_sequencer: a command made no progress for MaxIdle cycles (deadlock)");
endmodule
