// SPDX-License-Identifier: Apache-2.0
// Post-processing unit of a tile (docs/NUMERICS.md "Output", docs/ARCHITECTURE.md "The tile"):
// turns each macro result (NGroups x Cols exact group sums, with their weight scales) into Q39.24
// output accumulators, PpuCols columns per cycle, in a 4-stage pipeline:
//   P0  products S * Mw * Mx of PpuCols x NGroups terms; read the accumulators of the columns
//   P1  shift and saturate the terms; latch the accumulators read
//   P2  base = old accumulator (or, on the first K block: old y with ACCUM, else 0, + bias),
//       + term of group 0 + term of group 1 (saturating, in group order)
//   P3  + terms of groups 2, 3; write the accumulators
// A result therefore takes Cols / PpuCols cycles; the next read of the same accumulators comes
// at least 4 cycles later (PpuCols * 4 <= Cols), so the read-modify-write has no hazard.
//
// Accumulators: two halves (output blocks alternate between them), each MaxBatch x Cols int64 in
// lane SRAMs of 64 bits, Lanes = max(PpuCols, DataBytes / 8) values per word. While the PPU
// fills one half, the sequencer's writer drains the other and the router writes the old y of the
// next output block into it. Block counters (2 bits, modulo 4) keep the three in order:
//   in_blk   output blocks whose old y / bias the router has started (router side)
//   load_blk output blocks whose last result has entered the PPU
//   done_blk output blocks whose accumulators are final
//   drained  output blocks the writer has written out
// A block may use its half once the block two before it is drained.
module cim_ppu #(
  parameter int unsigned Cols      = 32,
  parameter int unsigned NGroups   = 4,
  parameter int unsigned SBits     = 20,
  parameter int unsigned PpuCols   = 4,
  parameter int unsigned MaxBatch  = 16,
  parameter int unsigned DataBytes = 16,
  localparam int unsigned NSums    = NGroups * Cols,
  localparam int unsigned BBits    = (MaxBatch > 1) ? $clog2(MaxBatch) : 1,
  localparam int unsigned GBits    = $clog2(NGroups + 1),
  localparam int unsigned DW       = DataBytes * 8,
  localparam int unsigned BeatVals = DataBytes / 8,
  localparam int unsigned BeatIdxW = (Cols / BeatVals > 1) ? $clog2(Cols / BeatVals) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Command (stable while it runs).
  input  logic                   start_i,       // a command starts: block counters to 0
  input  logic                   accum_i, bias_i,
  // Results from the macros (with the activation scales of the operation).
  input  logic                   res_valid_i,
  output logic                   res_ready_o,
  input  logic [NSums*SBits-1:0] res_sums_i,
  input  logic [NSums*16-1:0]    res_wscale_i,
  input  logic [NGroups*16-1:0]  res_xscale_i,
  input  logic [BBits-1:0]       res_b_i,
  input  logic [GBits-1:0]       res_groups_i,  // valid row groups of the block (1..NGroups)
  input  logic                   res_first_i,   // first K block of the output block
  input  logic                   res_last_i,    // last K block
  input  logic                   res_last_b_i,  // last vector of the batch
  // Old y (ACCUM) and bias of the next output block, from the router (one beat each).
  input  logic                   yi_valid_i,
  input  logic [BBits-1:0]       yi_b_i,
  input  logic [BeatIdxW-1:0]    yi_idx_i,
  input  logic                   bi_valid_i,
  input  logic [BeatIdxW-1:0]    bi_idx_i,
  input  logic [DW-1:0]          wr_data_i,
  input  logic                   in_advance_i,  // the router finished the old y / bias of a block
  output logic                   init_ok_o,     // the router may write the next block's old y / bias
  // Outputs to the writer: a finished half, read a beat at a time (data the next cycle).
  output logic                   out_ready_o,   // the oldest undrained block is final
  input  logic                   out_rd_i,
  input  logic [BBits-1:0]       out_b_i,
  input  logic [BeatIdxW-1:0]    out_idx_i,
  output logic [DW-1:0]          out_data_o,
  input  logic                   out_release_i, // the writer has written the block out
  output logic                   busy_o         // a result is in the pipeline
);
  localparam int unsigned Lanes  = (PpuCols > BeatVals) ? PpuCols : BeatVals;
  localparam int unsigned Words  = MaxBatch * Cols / Lanes;
  localparam int unsigned Aw     = (Words > 1) ? $clog2(Words) : 1;
  localparam int unsigned NCg    = Cols / PpuCols;
  localparam int unsigned CgBits = (NCg > 1) ? $clog2(NCg) : 1;
  localparam int unsigned CBits  = $clog2(Cols);

  function automatic logic signed [63:0] sat_add(logic signed [63:0] a, logic signed [63:0] b);
    logic signed [64:0] s;
    s = {a[63], a} + {b[63], b};
    if (s[64] != s[63]) sat_add = s[64] ? 64'sh8000_0000_0000_0000 : 64'sh7FFF_FFFF_FFFF_FFFF;
    else                sat_add = s[63:0];
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Block counters
  // ---------------------------------------------------------------------------------------------
  logic [1:0] in_blk_q, load_blk_q, done_blk_q, drained_q;
  logic       blk_done;            // P3 writes the last accumulators of a block

  assign init_ok_o   = (2'(in_blk_q - drained_q) <= 2'd1);
  assign out_ready_o = (done_blk_q != drained_q);

  // ---------------------------------------------------------------------------------------------
  // Input register: the result being post-processed, column group by column group
  // ---------------------------------------------------------------------------------------------
  logic                   ir_valid_q;
  logic [NSums*SBits-1:0] ir_sums_q;
  logic [NSums*16-1:0]    ir_wsc_q;
  logic [NGroups*16-1:0]  ir_xs_q;
  logic [BBits-1:0]       ir_b_q;
  logic [GBits-1:0]       ir_groups_q;
  logic                   ir_first_q, ir_last_q, ir_last_b_q, ir_half_q;
  logic [CgBits-1:0]      cg_q;
  logic                   ir_done, load, half_ok;

  assign ir_done     = ir_valid_q && (cg_q == CgBits'(NCg - 1));
  assign half_ok     = (2'(load_blk_q - drained_q) <= 2'd1);
  assign res_ready_o = (!ir_valid_q || ir_done) && half_ok;
  assign load        = res_valid_i && res_ready_o;

  always_ff @(posedge clk_i) begin
    if (load) begin
      ir_sums_q   <= res_sums_i;
      ir_wsc_q    <= res_wscale_i;
      ir_xs_q     <= res_xscale_i;
      ir_b_q      <= res_b_i;
      ir_groups_q <= res_groups_i;
      ir_first_q  <= res_first_i;
      ir_last_q   <= res_last_i;
      ir_last_b_q <= res_last_b_i;
      ir_half_q   <= load_blk_q[0];
    end
  end

  // ---------------------------------------------------------------------------------------------
  // P0 -> P1: term units (products), accumulator read; P1 -> P2: terms, accumulators latched
  // ---------------------------------------------------------------------------------------------
  typedef struct packed {
    logic             valid;
    logic [BBits-1:0] b;
    logic [CgBits-1:0] cg;
    logic [GBits-1:0] groups;
    logic             first, last, last_b, half;
  } meta_t;
  meta_t p1_q, p2_q, p3_q, p0;

  // Field by field (Yosys 0.23 reads no named assignment patterns).
  always_comb begin
    p0.valid  = ir_valid_q;
    p0.b      = ir_b_q;
    p0.cg     = cg_q;
    p0.groups = ir_groups_q;
    p0.first  = ir_first_q;
    p0.last   = ir_last_q;
    p0.last_b = ir_last_b_q;
    p0.half   = ir_half_q;
  end

  logic [PpuCols*NGroups*64-1:0] terms;
  for (genvar k = 0; k < PpuCols; k++) begin : g_col
    for (genvar g = 0; g < NGroups; g++) begin : g_grp
      cim_ppu_term #(
        .SBits (SBits)
      ) u_term (
        .clk_i     (clk_i),
        .en1_i     (p0.valid),
        .en2_i     (p1_q.valid),
        .s_i       (ir_sums_q[(g*Cols + 32'(cg_q)*PpuCols + k)*SBits +: SBits]),
        .w_scale_i (ir_wsc_q[(g*Cols + 32'(cg_q)*PpuCols + k)*16 +: 16]),
        .x_scale_i (ir_xs_q[g*16 +: 16]),
        .term_o    (terms[(k*NGroups + g)*64 +: 64])
      );
    end
  end

  // Accumulator halves: lane SRAMs. Port use never collides: the PPU reads and writes the half of
  // its block, the writer reads and the router writes the other (the counters keep them apart).
  logic [1:0]            acc_rd, acc_we;
  logic [Aw-1:0]         acc_rd_addr [2];
  logic [Aw-1:0]         acc_wr_addr [2];
  logic [Lanes-1:0]      acc_lane_we [2];
  logic [Lanes*64-1:0]   acc_wdata [2];
  logic [Lanes*64-1:0]   acc_rdata [2];

  for (genvar h = 0; h < 2; h++) begin : g_half
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      edgecim_sram #(
        .Words (Words),
        .Bits  (64)
      ) u_acc (
        .clk_i     (clk_i),
        .wr_en_i   (acc_we[h] && acc_lane_we[h][l]),
        .wr_addr_i (acc_wr_addr[h]),
        .wr_data_i (acc_wdata[h][l*64 +: 64]),
        .rd_en_i   (acc_rd[h]),
        .rd_addr_i (acc_rd_addr[h]),
        .rd_data_o (acc_rdata[h][l*64 +: 64])
      );
    end
  end

  // Word address and first lane of (vector b, column c).
  function automatic logic [Aw-1:0] acc_word(logic [BBits-1:0] b, logic [CBits-1:0] c);
    acc_word = Aw'((32'(b) * Cols + 32'(c)) / Lanes);
  endfunction
  function automatic int unsigned acc_lane(logic [CBits-1:0] c);
    acc_lane = 32'(c) % Lanes;
  endfunction

  logic [Lanes*64-1:0] p2_acc_q;   // accumulators of the P2 columns (the whole word)
  logic [CBits-1:0]    p0_col, p3_col;

  assign p0_col = CBits'(32'(cg_q) * PpuCols);

  // ---------------------------------------------------------------------------------------------
  // P2: base, bias, groups 0 and 1; P3: groups 2 and 3, write back
  // ---------------------------------------------------------------------------------------------
  logic [Cols*64-1:0]            bias_q [2];
  logic [PpuCols*64-1:0]         p3_sum_q, p3_final;
  logic [PpuCols*NGroups*64-1:0] terms_p3;   // the terms of the P3 columns (held one more cycle)

  always_comb begin
    for (int unsigned k = 0; k < PpuCols; k++) begin
      logic signed [63:0] v;
      v = p3_sum_q[k*64 +: 64];
      for (int unsigned g = 2; g < NGroups; g++) begin
        if (GBits'(g) < p3_q.groups) v = sat_add(v, terms_p3[(k*NGroups + g)*64 +: 64]);
      end
      p3_final[k*64 +: 64] = v;
    end
  end

  always_ff @(posedge clk_i) begin
    if (p1_q.valid) p2_acc_q <= acc_rdata[p1_q.half];
    if (p2_q.valid) begin
      for (int unsigned k = 0; k < PpuCols; k++) begin
        logic signed [63:0] v;
        logic [CBits-1:0]   c;
        c = CBits'(32'(p2_q.cg) * PpuCols + k);
        v = (p2_q.first && !accum_i) ? 64'sd0 : p2_acc_q[acc_lane(c)*64 +: 64];
        if (p2_q.first && bias_i) v = sat_add(v, bias_q[p2_q.half][32'(c)*64 +: 64]);
        for (int unsigned g = 0; g < 2 && g < NGroups; g++) begin
          if (GBits'(g) < p2_q.groups) v = sat_add(v, terms[(k*NGroups + g)*64 +: 64]);
        end
        p3_sum_q[k*64 +: 64] <= v;
      end
      terms_p3 <= terms;
    end
  end

  assign p3_col = CBits'(32'(p3_q.cg) * PpuCols);
  assign blk_done = p3_q.valid && p3_q.last && p3_q.last_b && (p3_q.cg == CgBits'(NCg - 1));

  // ---------------------------------------------------------------------------------------------
  // SRAM ports
  // ---------------------------------------------------------------------------------------------
  always_comb begin
    for (int unsigned h = 0; h < 2; h++) begin
      acc_rd[h]      = 1'b0;
      acc_rd_addr[h] = '0;
      acc_we[h]      = 1'b0;
      acc_wr_addr[h] = '0;
      acc_lane_we[h] = '0;
      acc_wdata[h]   = '0;
    end
    // PPU read (P0) of its half; the writer's read of the half it drains.
    if (p0.valid) begin
      acc_rd[p0.half]      = 1'b1;
      acc_rd_addr[p0.half] = acc_word(p0.b, p0_col);
    end
    if (out_rd_i) begin
      acc_rd[drained_q[0]]      = 1'b1;
      acc_rd_addr[drained_q[0]] = acc_word(out_b_i, CBits'(32'(out_idx_i) * BeatVals));
    end
    // PPU write (P3); the router's old y into the half of the block it feeds.
    if (p3_q.valid) begin
      acc_we[p3_q.half]      = 1'b1;
      acc_wr_addr[p3_q.half] = acc_word(p3_q.b, p3_col);
      for (int unsigned k = 0; k < PpuCols; k++) begin
        acc_lane_we[p3_q.half][acc_lane(p3_col) + k] = 1'b1;
        acc_wdata[p3_q.half][(acc_lane(p3_col) + k)*64 +: 64] = p3_final[k*64 +: 64];
      end
    end
    if (yi_valid_i) begin
      acc_we[in_blk_q[0]]      = 1'b1;
      acc_wr_addr[in_blk_q[0]] = acc_word(yi_b_i, CBits'(32'(yi_idx_i) * BeatVals));
      for (int unsigned k = 0; k < BeatVals; k++) begin
        acc_lane_we[in_blk_q[0]][acc_lane(CBits'(32'(yi_idx_i) * BeatVals)) + k] = 1'b1;
        acc_wdata[in_blk_q[0]][(acc_lane(CBits'(32'(yi_idx_i) * BeatVals)) + k)*64 +: 64] = wr_data_i[k*64 +: 64];
      end
    end
  end

  // The beat the writer reads: BeatVals values of the word read last cycle.
  logic [BeatIdxW-1:0] out_idx_q;
  always_ff @(posedge clk_i) begin
    if (out_rd_i) out_idx_q <= out_idx_i;
  end
  assign out_data_o = acc_rdata[drained_q[0]][acc_lane(CBits'(32'(out_idx_q) * BeatVals))*64 +: DW];

  // ---------------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (bi_valid_i) bias_q[in_blk_q[0]][32'(bi_idx_i)*BeatVals*64 +: DW] <= wr_data_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ir_valid_q <= 1'b0;
      cg_q       <= '0;
      p1_q       <= '0;
      p2_q       <= '0;
      p3_q       <= '0;
      in_blk_q   <= '0;
      load_blk_q <= '0;
      done_blk_q <= '0;
      drained_q  <= '0;
    end else begin
      if (load)         ir_valid_q <= 1'b1;
      else if (ir_done) ir_valid_q <= 1'b0;
      if (load)                cg_q <= '0;
      else if (ir_valid_q)     cg_q <= cg_q + 1'b1;
      p1_q <= p0;
      p2_q <= p1_q;
      p3_q <= p2_q;
      if (start_i) begin
        in_blk_q   <= '0;
        load_blk_q <= '0;
        done_blk_q <= '0;
        drained_q  <= '0;
      end else begin
        if (in_advance_i)                          in_blk_q   <= in_blk_q + 1'b1;
        if (load && res_last_i && res_last_b_i)    load_blk_q <= load_blk_q + 1'b1;
        if (blk_done)                              done_blk_q <= done_blk_q + 1'b1;
        if (out_release_i)                         drained_q  <= drained_q + 1'b1;
      end
    end
  end

  assign busy_o = ir_valid_q || p1_q.valid || p2_q.valid || p3_q.valid;
endmodule
