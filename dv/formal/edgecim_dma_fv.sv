// SPDX-License-Identifier: Apache-2.0
// Formal harness of edgecim_dma (make formal-dma, edgecim_dma.sby): a small DMA (1-byte beats,
// a 4-beat read FIFO, bursts of 1..2 beats, writes of 1..2 beats) between a free requester and a
// free memory, each held to its side of the handshakes and to a fairness bound:
// - the requester (the sequencer's contract, asserted in tile_sequencer_fv.sv but for the gap
//   between writes, which the sequencer's harness does not assume): a request is held
//   with its payload until taken, read bursts of 1..MaxBurst beats, a pop only of a beat that is
//   there, a write request only while no write is open, write beats only while one is open and
//   held with their data until taken; it pops a waiting beat within M cycles, offers the next
//   write beat within M, and leaves N cycles between two writes (writes have priority over reads:
//   without a gap a stream of writes starves the reads, by design);
// - the memory: it takes a request waiting at the port within N cycles, returns each read beat it
//   owes within N cycles and only beats it owes, in order (beat i of the run carries i mod 256),
//   and takes a write beat within N cycles.
// Proven (PDR, for every input sequence of any length): the payload of a waiting request stays
// (a read one may only be replaced by a write), every request at the port is the requester's one,
// the read beats in flight are exactly those the memory owes plus those in the FIFO and never more
// than the FIFO holds, no beat is offered that was not requested, the beats come out in order with
// their data, each write sends exactly the beats it asked for and no beat outside a write; and the
// liveness bounds: a read request is taken within KReq cycles, a beat in flight is popped within
// KPop, an open write sends a beat within KWr, and a busy DMA never goes KStall cycles without a
// handshake (each bound tight: one less fails). Plus the DMA's and the FIFO's own assertions.
module edgecim_dma_fv #(
  parameter int unsigned KReq = 14, KPop = 6, KWr = 5, KStall = 5   // the bounds proven (each tight)
) (
  input logic        clk_i,
  input logic        rd_req_valid_i,
  input logic [31:0] rd_req_addr_i,
  input logic [1:0]  rd_req_beats_i,
  input logic        rd_pop_i,
  input logic        wr_req_valid_i,
  input logic [31:0] wr_req_addr_i,
  input logic [8:0]  wr_req_beats_i,
  input logic        wr_valid_i,
  input logic [7:0]  wr_data_i,
  input logic        wr_strb_i,
  input logic        mem_req_ready_i,
  input logic        mem_w_ready_i,
  input logic        mem_r_valid_i,
  input logic [7:0]  mem_r_data_i
);
  localparam int unsigned DataBytes = 1, FifoBeats = 4, MaxBurst = 2, MaxWrBeats = 2;
  localparam int unsigned N = 3;        // the memory answers within N cycles
  localparam int unsigned M = 3;        // the requester pops / offers a write beat within M cycles
  localparam int unsigned CntBits = $clog2(FifoBeats + 1) + 1;

  // Reset in the first cycle only.
  logic rst_n = 1'b0;
  always_ff @(posedge clk_i) rst_n <= 1'b1;

  logic               rd_req_ready, rd_valid, wr_req_ready, wr_ready, wr_idle;
  logic [7:0]         rd_data;
  logic [CntBits-1:0] inflight;
  logic               mem_req_valid, mem_req_we, mem_w_valid, mem_r_ready, mem_w_strb;
  logic [31:0]        mem_req_addr;
  logic [7:0]         mem_req_len, mem_w_data;

  edgecim_dma #(.DataBytes(DataBytes), .FifoBeats(FifoBeats), .MaxBurst(MaxBurst)) dut (
    .clk_i, .rst_ni(rst_n),
    .rd_req_valid_i, .rd_req_ready_o(rd_req_ready), .rd_req_addr_i, .rd_req_beats_i,
    .rd_valid_o(rd_valid), .rd_pop_i, .rd_data_o(rd_data),
    .wr_req_valid_i, .wr_req_ready_o(wr_req_ready), .wr_req_addr_i, .wr_req_beats_i,
    .wr_valid_i, .wr_ready_o(wr_ready), .wr_data_i, .wr_strb_i, .wr_idle_o(wr_idle),
    .inflight_o(inflight),
    .mem_req_valid_o(mem_req_valid), .mem_req_ready_i, .mem_req_we_o(mem_req_we),
    .mem_req_addr_o(mem_req_addr), .mem_req_len_o(mem_req_len),
    .mem_w_valid_o(mem_w_valid), .mem_w_ready_i, .mem_w_data_o(mem_w_data), .mem_w_strb_o(mem_w_strb),
    .mem_r_valid_i, .mem_r_ready_o(mem_r_ready), .mem_r_data_i);

  logic rd_req_fire, wr_req_fire, mem_req_fire, w_fire, progress;
  assign rd_req_fire  = rd_req_valid_i && rd_req_ready;
  assign wr_req_fire  = wr_req_valid_i && wr_req_ready;
  assign mem_req_fire = mem_req_valid && mem_req_ready_i;
  assign w_fire       = mem_w_valid && mem_w_ready_i;

  // ---- the harness's books: beats the memory owes, beats in the FIFO, write beats left ---------
  logic [3:0] owed_q, occ_q;       // read beats requested at the port, not returned; in the FIFO
  logic [7:0] ret_q, pop_q;        // read beats returned, popped since reset (mod 256)
  logic [8:0] wleft_q;             // beats the open write still has to send
  logic [3:0] req_wait_q, r_wait_q, w_wait_q, pop_wait_q, wv_wait_q, gap_q;
  logic [5:0] rq_wait_q, pe_wait_q, wo_wait_q, stall_q;
  logic       busy;
  assign busy     = rd_req_valid_i || wr_req_valid_i || inflight != '0 || !wr_idle;
  assign progress = rd_req_fire || wr_req_fire || mem_r_valid_i || rd_pop_i || w_fire;

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      owed_q <= '0; occ_q <= '0; ret_q <= '0; pop_q <= '0; wleft_q <= '0;
      req_wait_q <= '0; r_wait_q <= '0; w_wait_q <= '0; pop_wait_q <= '0; wv_wait_q <= '0;
      gap_q <= 4'(N); rq_wait_q <= '0; pe_wait_q <= '0; wo_wait_q <= '0; stall_q <= '0;
    end else begin
      owed_q  <= owed_q + ((mem_req_fire && !mem_req_we) ? 4'(mem_req_len) + 4'd1 : 4'd0)
                 - 4'(mem_r_valid_i);
      occ_q   <= occ_q + 4'(mem_r_valid_i) - 4'(rd_pop_i);
      ret_q   <= ret_q + 8'(mem_r_valid_i);
      pop_q   <= pop_q + 8'(rd_pop_i);
      wleft_q <= wr_req_fire ? wr_req_beats_i : wleft_q - 9'(w_fire);
      // Fairness counters (consecutive cycles of waiting) and the liveness ones.
      req_wait_q <= (mem_req_valid && !mem_req_ready_i) ? req_wait_q + 4'd1 : 4'd0;
      r_wait_q   <= (owed_q != '0 && !mem_r_valid_i) ? r_wait_q + 4'd1 : 4'd0;
      w_wait_q   <= (mem_w_valid && !mem_w_ready_i) ? w_wait_q + 4'd1 : 4'd0;
      pop_wait_q <= (rd_valid && !rd_pop_i) ? pop_wait_q + 4'd1 : 4'd0;
      wv_wait_q  <= (!wr_idle && !wr_valid_i) ? wv_wait_q + 4'd1 : 4'd0;
      gap_q      <= !wr_idle ? 4'd0 : (gap_q < 4'(N)) ? gap_q + 4'd1 : gap_q;
      rq_wait_q  <= (rd_req_valid_i && !rd_req_ready) ? rq_wait_q + 6'd1 : 6'd0;
      pe_wait_q  <= (inflight != '0 && !rd_pop_i) ? pe_wait_q + 6'd1 : 6'd0;
      wo_wait_q  <= (!wr_idle && !w_fire) ? wo_wait_q + 6'd1 : 6'd0;
      stall_q    <= (busy && !progress) ? stall_q + 6'd1 : 6'd0;
    end
  end

  // ---- the requester's contract ------------------------------------------------------------------
  always_comb begin
    assume (!rd_req_valid_i || (rd_req_beats_i != '0 && 32'(rd_req_beats_i) <= MaxBurst));
    assume (!wr_req_valid_i || (wr_req_beats_i != '0 && 32'(wr_req_beats_i) <= MaxWrBeats));
    assume (!rd_pop_i || rd_valid);
    assume (!wr_req_valid_i || (wr_idle && gap_q == 4'(N)));
    assume (!wr_valid_i || !wr_idle);
    // Fairness: a waiting beat popped within M cycles, the next write beat offered within M.
    assume (!(rd_valid && !rd_pop_i && pop_wait_q >= 4'(M - 1)));
    assume (!(!wr_idle && !wr_valid_i && wv_wait_q >= 4'(M - 1)));
  end
  always_ff @(posedge clk_i) begin
    if (rst_n && $past(rst_n)) begin
      if ($past(rd_req_valid_i && !rd_req_ready))
        assume (rd_req_valid_i && $stable(rd_req_addr_i) && $stable(rd_req_beats_i));
      if ($past(wr_req_valid_i && !wr_req_ready))
        assume (wr_req_valid_i && $stable(wr_req_addr_i) && $stable(wr_req_beats_i));
      if ($past(wr_valid_i && !wr_ready))
        assume (wr_valid_i && $stable(wr_data_i) && $stable(wr_strb_i));
    end
  end

  // ---- the memory's contract ---------------------------------------------------------------------
  always_comb begin
    assume (!mem_r_valid_i || owed_q != '0);
    assume (!mem_r_valid_i || mem_r_data_i == ret_q);
    assume (!(mem_req_valid && !mem_req_ready_i && req_wait_q >= 4'(N - 1)));
    assume (!(owed_q != '0 && !mem_r_valid_i && r_wait_q >= 4'(N - 1)));
    assume (!(mem_w_valid && !mem_w_ready_i && w_wait_q >= 4'(N - 1)));
  end

  // ---- the properties ----------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (rst_n) begin
      // Every request at the port is the requester's, unchanged.
      a_fv_rd_req: assert ((mem_req_fire && !mem_req_we) == rd_req_fire);
      a_fv_wr_req: assert ((mem_req_fire && mem_req_we) == wr_req_fire);
      a_fv_rd_payload: assert (!rd_req_fire ||
                               (mem_req_addr == rd_req_addr_i && 32'(mem_req_len) + 1 == 32'(rd_req_beats_i)));
      a_fv_wr_payload: assert (!wr_req_fire ||
                               (mem_req_addr == wr_req_addr_i && 32'(mem_req_len) + 1 == 32'(wr_req_beats_i)));
      // Beats requested = beats owed by the memory + beats in the FIFO, within the FIFO; a beat is
      // offered only if one was returned and not popped; read data is never refused.
      a_fv_books: assert (32'(inflight) == 32'(owed_q) + 32'(occ_q));
      a_fv_fifo_room: assert (32'(owed_q) + 32'(occ_q) <= FifoBeats);
      a_fv_no_orphan: assert (!rd_valid || occ_q != '0);
      a_fv_r_ready: assert (mem_r_ready);
      // In order, with their data: the i-th beat popped is the i-th returned.
      a_fv_order: assert (!rd_pop_i || rd_data == pop_q);
      // Writes: a beat only inside a write, exactly the beats it asked for, then idle.
      a_fv_w_inside: assert (!mem_w_valid || wleft_q != '0);
      a_fv_w_count: assert (wr_idle == (wleft_q == '0));
      a_fv_w_data: assert (!mem_w_valid || (mem_w_data == wr_data_i && mem_w_strb == wr_strb_i));
      // Liveness, bounded: no waiting longer than the bounds, no busy stretch without a handshake.
      a_fv_req_live: assert (rq_wait_q < 6'(KReq));
      a_fv_pop_live: assert (pe_wait_q < 6'(KPop));
      a_fv_wr_live: assert (wo_wait_q < 6'(KWr));
      a_fv_stall: assert (stall_q < 6'(KStall));
    end
    if (rst_n && $past(rst_n)) begin
      // A read request waiting at the port stays, with its payload, unless a write replaces it.
      a_fv_rreq_stable: assert (!$past(mem_req_valid && !mem_req_ready_i && !mem_req_we) ||
                                (mem_req_valid && (mem_req_we ||
                                 ($stable(mem_req_addr) && $stable(mem_req_len)))));
      a_fv_wbeat_stable: assert (!$past(mem_w_valid && !mem_w_ready_i) ||
                                 (mem_w_valid && $stable(mem_w_data) && $stable(mem_w_strb)));
    end
  end

  // Reachability (cover task): a read burst and a write complete, both channels busy at once.
  always_ff @(posedge clk_i) begin
    if (rst_n) begin
      c_fv_fifo_full: cover (occ_q == 4'(FifoBeats) && rd_pop_i);
      c_fv_both: cover (!wr_idle && w_fire && inflight != '0 && rd_pop_i);
      c_fv_stall: cover (stall_q == 6'(KStall - 1));
    end
  end
endmodule
