// SPDX-License-Identifier: Apache-2.0
// Formal harness of edgecim_dma with its read FIFO (make formal, edgecim_dma.sby): a small DMA
// (4-byte beats, a 4-beat FIFO, bursts of 1..2 beats) between a free sequencer and a free memory,
// both bound only by their side of the protocol. Asserted, bounded: read data leaves the FIFO in
// request order and unchanged (the memory returns a running beat number), the FIFO never takes
// more than it holds (credits) nor pops empty, read data is never refused, write requests stay
// until taken, a write sends exactly its beats, and nothing waits forever: with a fair
// environment (no input holds off for more than Patience cycles) every read beat is popped, every
// request accepted and every write finished within a bound (no deadlock).
module edgecim_dma_fv #(
  parameter int unsigned Patience = 2,
  parameter int unsigned Bound    = 16
) (
  input logic        clk_i,
  input logic        rst_ni,
  input logic        rd_req_valid_i,
  input logic [1:0]  rd_req_beats_i,
  input logic [31:0] rd_req_addr_i,
  input logic        rd_pop_i,
  input logic        wr_req_valid_i,
  input logic [31:0] wr_req_addr_i,
  input logic [8:0]  wr_req_beats_i,
  input logic        wr_valid_i,
  input logic [31:0] wr_data_i,
  input logic [3:0]  wr_strb_i,
  input logic        mem_req_ready_i,
  input logic        mem_w_ready_i,
  input logic        mem_r_valid_i
);
  localparam int unsigned FifoBeats = 4, MaxBurst = 2;
  logic        rd_req_ready, rd_valid, wr_req_ready, wr_ready, wr_idle;
  logic [31:0] rd_data;
  logic        mem_req_valid, mem_req_we, mem_w_valid, mem_r_ready;
  logic [31:0] mem_req_addr, mem_w_data, mem_r_data;
  logic [7:0]  mem_req_len;
  logic [3:0]  mem_w_strb;

  edgecim_dma #(.DataBytes(4), .FifoBeats(FifoBeats), .MaxBurst(MaxBurst)) dut (
    .clk_i, .rst_ni,
    .rd_req_valid_i, .rd_req_ready_o(rd_req_ready), .rd_req_addr_i, .rd_req_beats_i, .rd_valid_o(rd_valid),
    .rd_pop_i, .rd_data_o(rd_data),
    .wr_req_valid_i, .wr_req_ready_o(wr_req_ready), .wr_req_addr_i, .wr_req_beats_i, .wr_valid_i,
    .wr_ready_o(wr_ready), .wr_data_i, .wr_strb_i, .wr_idle_o(wr_idle),
    .mem_req_valid_o(mem_req_valid), .mem_req_ready_i, .mem_req_we_o(mem_req_we), .mem_req_addr_o(mem_req_addr),
    .mem_req_len_o(mem_req_len), .mem_w_valid_o(mem_w_valid), .mem_w_ready_i, .mem_w_data_o(mem_w_data),
    .mem_w_strb_o(mem_w_strb), .mem_r_valid_i, .mem_r_ready_o(mem_r_ready), .mem_r_data_i(mem_r_data));

  // ---- bookkeeping ------------------------------------------------------------------------------
  logic        rd_fire, wr_fire, mem_rreq_fire, mem_wreq_fire, w_beat;
  logic [7:0]  owed_q;        // read beats the memory accepted and has not returned
  logic [7:0]  held_q;        // read beats accepted by the memory, not yet popped
  logic [31:0] sent_q, popped_q;
  logic        w_open_q;      // the sequencer's write request was taken, its beats go out
  logic [8:0]  w_left_q;
  logic        rd_hold_q, wr_hold_q;
  logic [31:0] rd_addr_q, wr_addr_q;
  logic [1:0]  rd_beats_q;
  logic [8:0]  wr_beats_q;
  assign rd_fire       = rd_req_valid_i && rd_req_ready;
  assign wr_fire       = wr_req_valid_i && wr_req_ready;
  assign mem_rreq_fire = mem_req_valid && mem_req_ready_i && !mem_req_we;
  assign mem_wreq_fire = mem_req_valid && mem_req_ready_i && mem_req_we;
  assign w_beat        = mem_w_valid && mem_w_ready_i;
  assign mem_r_data    = sent_q;  // the memory returns beat numbers 0, 1, 2, ...

  // ---- the environment --------------------------------------------------------------------------
  initial assume (!rst_ni);
  always @(*) begin
    // the sequencer: requests held until taken; 1..MaxBurst read beats, 1..3 write beats; pops
    // only what is there; write beats only for an open write
    if (rd_hold_q) assume (rd_req_valid_i && rd_req_addr_i == rd_addr_q && rd_req_beats_i == rd_beats_q);
    if (wr_hold_q) assume (wr_req_valid_i && wr_req_addr_i == wr_addr_q && wr_req_beats_i == wr_beats_q);
    if (rd_req_valid_i) assume (rd_req_beats_i != 2'd0 && 32'(rd_req_beats_i) <= MaxBurst);
    if (wr_req_valid_i) assume (wr_req_beats_i != 9'd0 && wr_req_beats_i <= 9'd3);
    if (rd_pop_i) assume (rd_valid);
    assume (wr_valid_i == w_open_q);
    // like the sequencer's writer: no new write request while its write is open, and a pause of
    // Patience cycles after one (writes have priority: back-to-back writes forever would starve
    // the reads, by design; the real writer has one write per output block and vector)
    if (!wr_hold_q && (w_open_q || w_gap_q < 4'(Patience))) assume (!wr_req_valid_i);
    // the memory: read data only for requested beats, in order
    if (mem_r_valid_i) assume (owed_q != 8'd0);
  end
  // fairness: no input holds its side off for more than Patience cycles in a row
  logic [3:0] wait_req_q, wait_r_q, wait_w_q, wait_pop_q, w_gap_q;
  always @(*) begin
    if (wait_req_q >= 4'(Patience)) assume (mem_req_ready_i);
    if (wait_r_q >= 4'(Patience))   assume (mem_r_valid_i);
    if (wait_w_q >= 4'(Patience))   assume (mem_w_ready_i);
    if (wait_pop_q >= 4'(Patience)) assume (rd_pop_i);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      owed_q <= '0; held_q <= '0; sent_q <= '0; popped_q <= '0; w_open_q <= 1'b0; w_left_q <= '0;
      rd_hold_q <= 1'b0; wr_hold_q <= 1'b0;
      wait_req_q <= '0; wait_r_q <= '0; wait_w_q <= '0; wait_pop_q <= '0; w_gap_q <= 4'(Patience);
    end else begin
      owed_q   <= owed_q + (mem_rreq_fire ? 8'(mem_req_len) + 8'd1 : 8'd0) - 8'(mem_r_valid_i);
      held_q   <= held_q + (mem_rreq_fire ? 8'(mem_req_len) + 8'd1 : 8'd0) - 8'(rd_pop_i);
      sent_q   <= sent_q + 32'(mem_r_valid_i);
      popped_q <= popped_q + 32'(rd_pop_i);
      if (wr_fire) begin
        w_open_q <= 1'b1;
        w_left_q <= wr_req_beats_i;
      end else if (w_beat) begin
        w_left_q <= w_left_q - 1'b1;
        if (w_left_q == 9'd1) w_open_q <= 1'b0;
      end
      rd_hold_q <= rd_req_valid_i && !rd_req_ready;
      wr_hold_q <= wr_req_valid_i && !wr_req_ready;
      wait_req_q <= (mem_req_valid && !mem_req_ready_i) ? wait_req_q + 1'b1 : '0;
      wait_r_q   <= (owed_q != 0 && !mem_r_valid_i) ? wait_r_q + 1'b1 : '0;
      wait_w_q   <= (mem_w_valid && !mem_w_ready_i) ? wait_w_q + 1'b1 : '0;
      wait_pop_q <= (rd_valid && !rd_pop_i) ? wait_pop_q + 1'b1 : '0;
      w_gap_q    <= (w_open_q || wr_fire) ? '0 : (w_gap_q == 4'hF ? w_gap_q : w_gap_q + 1'b1);
    end
  end
  always_ff @(posedge clk_i) begin
    rd_addr_q <= rd_req_addr_i; rd_beats_q <= rd_req_beats_i;
    wr_addr_q <= wr_req_addr_i; wr_beats_q <= wr_req_beats_i;
  end

  // ---- liveness within a bound: ages of what waits --------------------------------------------
  logic [7:0] age_held_q, age_rd_q, age_wr_q, age_w_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      age_held_q <= '0; age_rd_q <= '0; age_wr_q <= '0; age_w_q <= '0;
    end else begin
      age_held_q <= (held_q != 0 && !rd_pop_i) ? age_held_q + 1'b1 : '0;
      age_rd_q   <= (rd_req_valid_i && !rd_req_ready) ? age_rd_q + 1'b1 : '0;
      age_wr_q   <= (wr_req_valid_i && !wr_req_ready) ? age_wr_q + 1'b1 : '0;
      age_w_q    <= (w_open_q && !w_beat) ? age_w_q + 1'b1 : '0;
    end
  end

  // ---- the properties ---------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      p_order:        assert (!rd_pop_i || rd_data == popped_q);            // in order, unchanged
      p_credits:      assert (32'(held_q) <= FifoBeats);                    // never more than it holds
      p_r_ready:      assert (mem_r_ready);                                 // read data never refused
      p_pop_valid:    assert (!rd_valid || held_q != 0);                    // nothing that was not sent
      p_wreq_first:   assert (!mem_req_valid || !mem_req_we || wr_req_valid_i);
      p_wreq_payload: assert (!(mem_req_valid && mem_req_we) || (mem_req_addr == wr_req_addr_i &&
                              9'(mem_req_len) + 9'd1 == wr_req_beats_i));
      p_w_open:       assert (mem_w_valid == (w_open_q && wr_valid_i));     // beats only for an open write
      p_w_data:       assert (!mem_w_valid || (mem_w_data == wr_data_i && mem_w_strb == wr_strb_i));
      p_live_pop:     assert (age_held_q < 8'(Bound));
      p_live_rd:      assert (age_rd_q < 8'(Bound));
      p_live_wr:      assert (age_wr_q < 8'(Bound));
      p_live_w:       assert (age_w_q < 8'(Bound));
    end
  end
endmodule
