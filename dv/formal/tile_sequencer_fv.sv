// SPDX-License-Identifier: Apache-2.0
// Formal harness of tile_sequencer with the DMA behind it (make formal-seq, tile_sequencer.sby):
// one tile of 1 streaming and 1 resident macro of 32 rows x 16 columns, 2-bit weights, 128-byte
// port beats (every segment of the read stream is 2 beats, an output block of y 1 beat), batches
// of 1..2 vectors, K 1..64 (1..2 weight blocks), N 1..32 (1..2 output blocks), any of BIAS, ACCUM,
// RES_LOAD or RES_USE (one block), FULL_BLK; a DMA with a 4-beat read FIFO and 2-beat bursts,
// wired as in edgecim_top. The environment, each side held to its handshake and a fairness bound:
// - the register file offers a command and holds it until it is taken;
// - the memory takes a waiting request within N cycles, returns each read beat it owes within N
//   and only those, takes a write beat within N;
// - the tile is ready for everything (beats, block entries, no macro pending, old y / bias
//   welcome) in at least one cycle of every M; its output is ready only once an output block's
//   last weight block entry was pushed and not yet released, then stays ready until released, and
//   becomes ready within M cycles of that push.
// Checked by BMC to depth 16: the sequencer keeps each request (read and write) with its payload
// until taken, asks for 1..MaxBurst read beats, pops only a beat that is there, never asks for a
// write while one is open, offers write beats only inside a write and holds them until taken; per
// command it requests exactly the read beats of the command's layout (counted here independently:
// B x 4 for the activations and their scales, per output block B for old y, 1 for the bias, 2 per
// weight block unless RES_USE), pops all of them and no more, pushes one block entry per weight
// block and writes one 1-beat request per vector and output block; done leaves no read beat in
// flight; and no deadlock: while a command runs, never KStall cycles pass without a handshake.
// Plus the DMA's and the FIFO's own assertions.
module tile_sequencer_fv #(
  parameter int unsigned KStall = 3   // the bound proven (tight: 2 fails)
) (
  input logic                    clk_i,
  input logic                    cmd_valid_i,
  input edgecim_pkg::cmd_desc_t  cmd_i,
  input logic                    mem_req_ready_i,
  input logic                    mem_w_ready_i,
  input logic                    mem_r_valid_i,
  input logic [1023:0]           mem_r_data_i,
  input logic                    t_wr_ready_i,
  input logic                    t_blk_ready_i,
  input logic [1:0]              t_pend_i,
  input logic                    t_init_ok_i,
  input logic                    t_out_ready_i,
  input logic [1023:0]           t_out_data_i
);
  localparam int unsigned NTiles = 1, NMacros = 1, NRes = 1, MaxWBits = 2, DataBytes = 128;
  localparam int unsigned Rows = 32, Cols = 16, ActBytes = 512, MaxBatch = 2;
  localparam int unsigned FifoBeats = 4, MaxBurst = 2;
  localparam int unsigned N = 2;   // the memory answers within N cycles
  localparam int unsigned M = 2;   // the tile is ready at least once every M cycles
  localparam int unsigned DW = DataBytes * 8, BurstBits = $clog2(MaxBurst + 1);
  localparam int unsigned CntBits = $clog2(FifoBeats + 1) + 1;

  // Reset in the first cycle only.
  logic rst_n = 1'b0;
  always_ff @(posedge clk_i) rst_n <= 1'b1;

  // ---- the sequencer and the DMA, wired as in edgecim_top ---------------------------------------
  logic                 cmd_ready, done, busy;
  logic                 rd_req_valid, rd_req_ready, rd_valid, rd_pop;
  logic [31:0]          rd_req_addr, wr_req_addr;
  logic [BurstBits-1:0] rd_req_beats;
  logic [DW-1:0]        rd_data, wr_data, mem_w_data;
  logic                 wr_req_valid, wr_req_ready, wr_valid, wr_ready, wr_idle;
  logic [8:0]           wr_req_beats;
  logic [DataBytes-1:0] wr_strb, mem_w_strb;
  logic [CntBits-1:0]   inflight;
  logic                 mem_req_valid, mem_req_we, mem_w_valid, mem_r_ready;
  logic [31:0]          mem_req_addr;
  logic [7:0]           mem_req_len;
  logic                 t_start, t_accum, t_bias, t_wr_valid, t_blk_valid, t_out_rd, t_out_release;
  logic                 t_blk_swap, t_blk_first, t_blk_last;
  logic [1:0]           t_prec;

  tile_sequencer #(
    .NTiles(NTiles), .NMacros(NMacros), .NRes(NRes), .MaxWBits(MaxWBits), .DataBytes(DataBytes),
    .Rows(Rows), .Cols(Cols), .ActBytes(ActBytes), .MaxBatch(MaxBatch), .MaxBurst(MaxBurst)
  ) dut (
    .clk_i, .rst_ni(rst_n),
    .cmd_valid_i, .cmd_ready_o(cmd_ready), .cmd_i, .done_o(done), .busy_o(busy),
    .rd_req_valid_o(rd_req_valid), .rd_req_ready_i(rd_req_ready), .rd_req_addr_o(rd_req_addr),
    .rd_req_beats_o(rd_req_beats), .rd_valid_i(rd_valid), .rd_pop_o(rd_pop), .rd_data_i(rd_data),
    .wr_req_valid_o(wr_req_valid), .wr_req_ready_i(wr_req_ready), .wr_req_addr_o(wr_req_addr),
    .wr_req_beats_o(wr_req_beats), .wr_valid_o(wr_valid), .wr_ready_i(wr_ready),
    .wr_data_o(wr_data), .wr_strb_o(wr_strb), .wr_idle_i(wr_idle),
    .t_start_o(t_start), .t_accum_o(t_accum), .t_bias_o(t_bias), .t_prec_o(t_prec),
    .t_last_b_o(), .t_kpad_o(), .t_xs_stride_o(),
    .t_wr_valid_o(t_wr_valid), .t_wr_ready_i(t_wr_ready_i), .t_wr_kind_o(), .t_wr_macro_o(),
    .t_wr_b_o(), .t_wr_yidx_o(), .t_wr_addr_o(), .t_wr_midx_o(), .t_wr_data_o(),
    .t_blk_valid_o(t_blk_valid), .t_blk_ready_i(t_blk_ready_i), .t_blk_macro_o(), .t_blk_kb_o(),
    .t_blk_groups_o(), .t_blk_rows_o(), .t_blk_swap_o(t_blk_swap), .t_blk_first_o(t_blk_first),
    .t_blk_last_o(t_blk_last), .t_pend_i(t_pend_i), .t_init_ok_i(t_init_ok_i),
    .t_out_ready_i(t_out_ready_i), .t_out_rd_o(t_out_rd), .t_out_b_o(), .t_out_idx_o(),
    .t_out_data_i(t_out_data_i), .t_out_release_o(t_out_release));

  edgecim_dma #(.DataBytes(DataBytes), .FifoBeats(FifoBeats), .MaxBurst(MaxBurst)) u_dma (
    .clk_i, .rst_ni(rst_n),
    .rd_req_valid_i(rd_req_valid), .rd_req_ready_o(rd_req_ready), .rd_req_addr_i(rd_req_addr),
    .rd_req_beats_i(rd_req_beats), .rd_valid_o(rd_valid), .rd_pop_i(rd_pop), .rd_data_o(rd_data),
    .wr_req_valid_i(wr_req_valid), .wr_req_ready_o(wr_req_ready), .wr_req_addr_i(wr_req_addr),
    .wr_req_beats_i(wr_req_beats), .wr_valid_i(wr_valid), .wr_ready_o(wr_ready),
    .wr_data_i(wr_data), .wr_strb_i(wr_strb), .wr_idle_o(wr_idle), .inflight_o(inflight),
    .mem_req_valid_o(mem_req_valid), .mem_req_ready_i, .mem_req_we_o(mem_req_we),
    .mem_req_addr_o(mem_req_addr), .mem_req_len_o(mem_req_len),
    .mem_w_valid_o(mem_w_valid), .mem_w_ready_i, .mem_w_data_o(mem_w_data), .mem_w_strb_o(mem_w_strb),
    .mem_r_valid_i, .mem_r_ready_o(mem_r_ready), .mem_r_data_i);

  logic start, rd_req_fire, wr_req_fire, wr_fire, mem_req_fire, mem_w_fire, blk_push, progress;
  assign start        = cmd_valid_i && cmd_ready;
  assign rd_req_fire  = rd_req_valid && rd_req_ready;
  assign wr_req_fire  = wr_req_valid && wr_req_ready;
  assign wr_fire      = wr_valid && wr_ready;
  assign mem_req_fire = mem_req_valid && mem_req_ready_i;
  assign mem_w_fire   = mem_w_valid && mem_w_ready_i;
  assign blk_push     = t_blk_valid && t_blk_ready_i;
  assign progress     = start || rd_req_fire || rd_pop || mem_r_valid_i || wr_req_fire || wr_fire ||
                        blk_push || done;

  // ---- the command's layout, counted independently, and the books of this command --------------
  logic       c_bias, c_accum, c_res_use;
  logic [1:0] c_b, c_nkb, c_nnb;
  logic [7:0] exp_rd, exp_blk, exp_wr;
  logic [7:0] rd_cnt_q, pop_cnt_q, blk_cnt_q, wreq_cnt_q, wbeat_cnt_q;
  logic [3:0] owed_q, fin_q, rel_q;
  logic [8:0] wleft_q;
  logic [3:0] req_wait_q, r_wait_q, w_wait_q, tile_wait_q, out_wait_q;
  logic [7:0] stall_q;
  logic       tile_ok;
  assign c_b       = 2'(cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB]) + 2'd1;
  assign c_nkb     = (cmd_i.k > 16'd32) ? 2'd2 : 2'd1;
  assign c_nnb     = (cmd_i.n > 24'd16) ? 2'd2 : 2'd1;
  assign c_bias    = cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB];
  assign c_accum   = cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_ACCUM_LSB];
  assign c_res_use = cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB];
  assign tile_ok   = t_wr_ready_i && t_blk_ready_i && t_pend_i == '0 && t_init_ok_i;

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      exp_rd <= '0; exp_blk <= '0; exp_wr <= '0;
      rd_cnt_q <= '0; pop_cnt_q <= '0; blk_cnt_q <= '0; wreq_cnt_q <= '0; wbeat_cnt_q <= '0;
      owed_q <= '0; fin_q <= '0; rel_q <= '0; wleft_q <= '0;
      req_wait_q <= '0; r_wait_q <= '0; w_wait_q <= '0; tile_wait_q <= '0; out_wait_q <= '0;
      stall_q <= '0;
    end else begin
      if (start) begin
        // Read beats: per vector 2 of activations and 2 of scales; per output block one of old y
        // per vector (ACCUM), one of bias (BIAS), 2 per weight block (none with RES_USE).
        exp_rd  <= 8'(c_b) * 8'd4 + 8'(c_nnb) * (8'(c_accum ? c_b : 2'd0) + 8'(c_bias) +
                   (c_res_use ? 8'd0 : 8'(c_nkb) * 8'd2));
        exp_blk <= 8'(c_nnb) * 8'(c_nkb);
        exp_wr  <= 8'(c_nnb) * 8'(c_b);
      end
      rd_cnt_q    <= (start ? 8'd0 : rd_cnt_q) + (rd_req_fire ? 8'(rd_req_beats) : 8'd0);
      pop_cnt_q   <= (start ? 8'd0 : pop_cnt_q) + 8'(rd_pop);
      blk_cnt_q   <= (start ? 8'd0 : blk_cnt_q) + 8'(blk_push);
      wreq_cnt_q  <= (start ? 8'd0 : wreq_cnt_q) + 8'(wr_req_fire);
      wbeat_cnt_q <= (start ? 8'd0 : wbeat_cnt_q) + 8'(wr_fire);
      owed_q  <= owed_q + ((mem_req_fire && !mem_req_we) ? 4'(mem_req_len) + 4'd1 : 4'd0)
                 - 4'(mem_r_valid_i);
      fin_q   <= fin_q + 4'(blk_push && t_blk_last);
      rel_q   <= rel_q + 4'(t_out_release);
      wleft_q <= wr_req_fire ? wr_req_beats : wleft_q - 9'(wr_fire);
      // Fairness counters (consecutive cycles of waiting) and the liveness ones.
      req_wait_q  <= (mem_req_valid && !mem_req_ready_i) ? req_wait_q + 4'd1 : 4'd0;
      r_wait_q    <= (owed_q != '0 && !mem_r_valid_i) ? r_wait_q + 4'd1 : 4'd0;
      w_wait_q    <= (mem_w_valid && !mem_w_ready_i) ? w_wait_q + 4'd1 : 4'd0;
      tile_wait_q <= !tile_ok ? tile_wait_q + 4'd1 : 4'd0;
      out_wait_q  <= (fin_q != rel_q && !t_out_ready_i) ? out_wait_q + 4'd1 : 4'd0;
      stall_q     <= (busy && !progress) ? stall_q + 8'd1 : 8'd0;
    end
  end

  // ---- the environment ---------------------------------------------------------------------------
  // Commands the register file lets through for this build (docs/REGISTERS.md): K 1..64, N 1..16,
  // 2-bit weights, 1..2 vectors, resident blocks (one) at base 0, the flags free otherwise.
  always_comb begin
    if (cmd_valid_i) begin
      assume (cmd_i.k >= 16'd1 && cmd_i.k <= 16'd64 && cmd_i.n >= 24'd1 && cmd_i.n <= 24'd32);
      assume (cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4] == 4'd2);
      assume (cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB +: 4] <= 4'd1);
      assume (cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB +: 8] == 8'd0);
      assume (!(cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB] && c_res_use));
      if (cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB] || c_res_use)
        assume (cmd_i.k <= 16'd32 && cmd_i.n <= 24'd16);
    end
    // The memory: only beats it owes; fairness.
    assume (!mem_r_valid_i || owed_q != '0);
    assume (!(mem_req_valid && !mem_req_ready_i && req_wait_q >= 4'(N - 1)));
    assume (!(owed_q != '0 && !mem_r_valid_i && r_wait_q >= 4'(N - 1)));
    assume (!(mem_w_valid && !mem_w_ready_i && w_wait_q >= 4'(N - 1)));
    // The tile: ready for everything once every M cycles; its output only for a block it has.
    assume (tile_ok || tile_wait_q < 4'(M - 1));
    assume (!t_out_ready_i || fin_q != rel_q);
    assume (!(fin_q != rel_q && !t_out_ready_i && out_wait_q >= 4'(M - 1)));
  end
  always_ff @(posedge clk_i) begin
    if (rst_n && $past(rst_n)) begin
      if ($past(cmd_valid_i && !cmd_ready)) assume (cmd_valid_i && $stable(cmd_i));
      if ($past(t_out_ready_i && !t_out_release)) assume (t_out_ready_i);
    end
  end

  // ---- the properties ----------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (rst_n) begin
      // Requests: read bursts of 1..MaxBurst beats, a pop only of a beat that is there, no write
      // request while a write is open, write beats only inside one, as many as it asked for.
      a_fv_rd_beats: assert (!rd_req_valid || (rd_req_beats != '0 && 32'(rd_req_beats) <= MaxBurst));
      a_fv_pop: assert (!rd_pop || rd_valid);
      a_fv_wr_closed: assert (!wr_req_valid || wr_idle);
      a_fv_wr_inside: assert (!wr_valid || !wr_idle);
      a_fv_wr_beats: assert (!wr_req_valid || wr_req_beats == 9'd1);
      a_fv_wr_count: assert (wr_idle == (wleft_q == '0));
      // The books of the running command: never more popped than requested, nor more requested
      // than the layout has; at done exactly the layout's beats, blocks and writes, none in flight.
      a_fv_pop_le_req: assert (pop_cnt_q <= rd_cnt_q);
      a_fv_req_le_layout: assert (!busy || rd_cnt_q <= exp_rd);
      a_fv_done_reads: assert (!done || (rd_cnt_q == exp_rd && pop_cnt_q == exp_rd && inflight == '0));
      a_fv_done_blocks: assert (!done || blk_cnt_q == exp_blk);
      a_fv_done_writes: assert (!done || (wreq_cnt_q == exp_wr && wbeat_cnt_q == exp_wr));
      a_fv_tile_beats: assert (!(t_wr_valid || blk_push) || busy);
      // The command handshake: taken only when idle, done only while running.
      a_fv_cmd_ready: assert (cmd_ready == !busy);
      a_fv_done_busy: assert (!done || busy);
      // No deadlock, bounded: a running command never waits KStall cycles without a handshake.
      a_fv_stall: assert (stall_q < 8'(KStall));
    end
    if (rst_n && $past(rst_n)) begin
      // A request waits with its payload until taken; so does a write beat.
      a_fv_rd_hold: assert (!$past(rd_req_valid && !rd_req_ready) ||
                            (rd_req_valid && $stable(rd_req_addr) && $stable(rd_req_beats)));
      a_fv_wr_hold: assert (!$past(wr_req_valid && !wr_req_ready) ||
                            (wr_req_valid && $stable(wr_req_addr) && $stable(wr_req_beats)));
      a_fv_wbeat_hold: assert (!$past(wr_valid && !wr_ready) || (wr_valid && $stable(wr_strb)));
      // done is a pulse: the sequencer is idle the cycle after.
      a_fv_done_idle: assert (!$past(done) || !busy);
    end
  end

  // Reachability (cover task): a command done, a stall of KStall - 1 cycles (the bound is tight).
  always_ff @(posedge clk_i) begin
    if (rst_n) begin
      c_fv_done: cover (done);
      c_fv_stall: cover (stall_q == 8'(KStall - 1));
    end
  end
endmodule
