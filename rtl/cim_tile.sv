// CIM tile: NMacros streaming macros plus NRes resident macros, the activation buffer, the
// weight-scale banks, and the post-processing unit (PPU) that turns each macro result into
// Q39.24 output accumulators (docs/NUMERICS.md, docs/ARCHITECTURE.md).
//
// The sequencer writes 16-byte chunks (weight rows, weight scales, activations, activation
// scales, init values) and pushes one block entry per loaded (or resident) weight block. The
// compute engine runs the entries in order, one at a time:
//   IDLE -> RDX (read the block's activations) -> PLANES (ABits bit-planes into the macro)
//   -> WAIT (macro result) -> PPU (one column per cycle, all groups) -> FLUSH (last block of an
//   output block: accumulators -> output buffer) -> IDLE.
// While a block computes, the sequencer loads the next ones into the shadow banks.
module cim_tile #(
  parameter int unsigned NMacros   = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes      = edgecim_pkg::NResDefault,
  parameter int unsigned MaxK      = edgecim_pkg::MaxKDefault,
  parameter int unsigned ABits     = edgecim_pkg::ABitsDefault,
  localparam int unsigned Rows     = edgecim_pkg::MacroRows,
  localparam int unsigned Cols     = edgecim_pkg::MacroCols,
  localparam int unsigned GroupRows = edgecim_pkg::GroupRows,
  localparam int unsigned WBits    = edgecim_pkg::TopWBits,
  localparam int unsigned NGroups  = Rows / GroupRows,
  localparam int unsigned NM       = NMacros + NRes,
  localparam int unsigned MacroAw  = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned ActWords = MaxK / Rows,
  localparam int unsigned ActAw    = (ActWords > 1) ? $clog2(ActWords) : 1,
  localparam int unsigned XsWords  = (MaxK / 256 > 0) ? MaxK / 256 : 1,
  localparam int unsigned XsAw     = (XsWords > 1) ? $clog2(XsWords) : 1,
  localparam int unsigned SBits    = WBits + $clog2(GroupRows) + ABits,
  localparam int unsigned KbBits   = (ActWords > 1) ? $clog2(ActWords) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // Chunk writes from the sequencer.
  input  logic                 wr_valid_i,
  output logic                 wr_ready_o,
  input  edgecim_pkg::chunk_kind_e wr_kind_i,
  input  logic [MacroAw-1:0]   wr_macro_i,
  input  logic [15:0]          wr_idx_i,
  input  logic [127:0]         wr_data_i,
  // Block entries.
  input  logic                 blk_valid_i,
  output logic                 blk_ready_o,
  input  logic [MacroAw-1:0]   blk_macro_i,
  input  logic [KbBits-1:0]    blk_kb_i,
  input  logic [2:0]           blk_groups_i,   // valid row groups of the block (1..4)
  input  logic [7:0]           blk_rows_i,     // rows below K in this block (1..128)
  input  logic                 blk_swap_i,     // freshly loaded: swap banks on start
  input  logic                 blk_first_i,    // first K block of an output block
  input  logic                 blk_last_i,     // last K block of an output block
  input  logic                 blk_init_i,     // start from the init buffer (else from 0)
  // Status for the sequencer.
  output logic [NM-1:0]        pend_o,         // macro holds a loaded block not yet started
  output logic                 init_full_o,    // init buffer holds values not yet consumed
  output logic                 busy_o,         // an entry is queued or running
  // Output buffer (32 x int64), read a chunk (two values) at a time.
  output logic                 out_full_o,
  input  logic [3:0]           out_idx_i,
  output logic [127:0]         out_chunk_o,
  input  logic                 out_pop_i
);
  function automatic logic signed [63:0] sat_add(logic signed [63:0] a, logic signed [63:0] b);
    logic signed [64:0] s;
    s = {a[63], a} + {b[63], b};
    if (s[64] != s[63]) sat_add = s[64] ? 64'sh8000_0000_0000_0000 : 64'sh7FFF_FFFF_FFFF_FFFF;
    else                sat_add = s[63:0];
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Macros and their scale banks
  // ---------------------------------------------------------------------------------------------
  logic [NM-1:0]               m_w_valid, m_w_ready, m_a_valid, m_a_ready, m_r_valid, m_r_ready;
  logic [NM-1:0]               m_bank, m_idle;
  logic [NM-1:0]               m_a_swap;
  logic [Rows-1:0]             plane;
  localparam int unsigned ResBits = NGroups * Cols * SBits;  // one macro result
  localparam int unsigned ScBits  = NGroups * Cols * 16;     // one bank of weight scales
  logic [NM*ResBits-1:0]       m_r_data;
  logic [NM*ScBits-1:0]        m_wsc;                        // active scale bank of each macro
  logic [MacroAw-1:0]          cur_macro_q;

  for (genvar m = 0; m < NM; m++) begin : g_macro
    cim_macro #(
      .Rows      (Rows),
      .Cols      (Cols),
      .GroupRows (GroupRows),
      .WBits     (WBits),
      .ABits     (ABits)
    ) u_macro (
      .clk_i     (clk_i),
      .rst_ni    (rst_ni),
      .w_valid_i (m_w_valid[m]),
      .w_ready_o (m_w_ready[m]),
      .w_row_i   (wr_idx_i[6:0]),
      .w_data_i  (wr_data_i),
      .a_valid_i (m_a_valid[m]),
      .a_ready_o (m_a_ready[m]),
      .a_plane_i (plane),
      .a_swap_i  (m_a_swap[m]),
      .r_valid_o (m_r_valid[m]),
      .r_ready_i (m_r_ready[m]),
      .r_data_o  (m_r_data[m*ResBits +: ResBits]),
      .bank_o    (m_bank[m]),
      .idle_o    (m_idle[m])
    );

    // Scale chunk (group g = idx[3:2], columns 8*idx[1:0] .. +7) into the shadow scale bank;
    // the banks swap with the macro's weight banks.
    logic [ScBits-1:0] sc0_q, sc1_q;
    always_ff @(posedge clk_i) begin
      if (wr_valid_i && wr_kind_i == edgecim_pkg::ChunkKindWscale && wr_macro_i == MacroAw'(m)) begin
        if (m_bank[m]) sc0_q[wr_idx_i[3:0]*128 +: 128] <= wr_data_i;
        else           sc1_q[wr_idx_i[3:0]*128 +: 128] <= wr_data_i;
      end
    end
    assign m_wsc[m*ScBits +: ScBits] = m_bank[m] ? sc1_q : sc0_q;
    assign m_w_valid[m] = wr_valid_i && wr_kind_i == edgecim_pkg::ChunkKindWrow && wr_macro_i == MacroAw'(m);
  end

  assign wr_ready_o = (wr_kind_i != edgecim_pkg::ChunkKindWrow) || m_w_ready[wr_macro_i];

  // ---------------------------------------------------------------------------------------------
  // Activation buffer: 8 SRAMs of 16-byte lanes, so that one read gives a block's 128 bytes.
  // Activation-scale buffer: 8 FP16 per word.
  // ---------------------------------------------------------------------------------------------
  logic                   rd_x;
  logic [ActAw-1:0]       rd_x_addr;
  logic [Rows*8-1:0]      x_word;
  logic [127:0]           xs_word;

  for (genvar l = 0; l < 8; l++) begin : g_xlane
    edgecim_sram #(
      .Words (ActWords),
      .Bits  (128)
    ) u_xq (
      .clk_i     (clk_i),
      .wr_en_i   (wr_valid_i && wr_kind_i == edgecim_pkg::ChunkKindXq && wr_idx_i[2:0] == 3'(l)),
      .wr_addr_i (ActAw'(wr_idx_i[15:3])),
      .wr_data_i (wr_data_i),
      .rd_en_i   (rd_x),
      .rd_addr_i (rd_x_addr),
      .rd_data_o (x_word[l*128 +: 128])
    );
  end

  edgecim_sram #(
    .Words (XsWords),
    .Bits  (128)
  ) u_xs (
    .clk_i     (clk_i),
    .wr_en_i   (wr_valid_i && wr_kind_i == edgecim_pkg::ChunkKindXs),
    .wr_addr_i (XsAw'(wr_idx_i)),
    .wr_data_i (wr_data_i),
    .rd_en_i   (rd_x),
    .rd_addr_i (XsAw'(rd_x_addr >> 1)),
    .rd_data_o (xs_word)
  );

  // ---------------------------------------------------------------------------------------------
  // Init buffer (y_old and/or bias of the next output block) and output buffer.
  // ---------------------------------------------------------------------------------------------
  logic [Cols*64-1:0] init_q, out_q, acc_q, acc_d;
  logic               init_full_q, out_full_q;
  logic               init_take, out_load;

  always_ff @(posedge clk_i) begin
    if (wr_valid_i && (wr_kind_i == edgecim_pkg::ChunkKindInitSet || wr_kind_i == edgecim_pkg::ChunkKindInitAdd)) begin
      for (int unsigned h = 0; h < 2; h++) begin
        if (wr_kind_i == edgecim_pkg::ChunkKindInitSet) begin
          init_q[(wr_idx_i[3:0]*2 + h)*64 +: 64] <= wr_data_i[h*64 +: 64];
        end else begin
          init_q[(wr_idx_i[3:0]*2 + h)*64 +: 64] <=
            sat_add(init_q[(wr_idx_i[3:0]*2 + h)*64 +: 64], wr_data_i[h*64 +: 64]);
        end
      end
    end
    if (out_load) out_q <= acc_d;
  end

  assign out_chunk_o = out_q[out_idx_i*128 +: 128];
  assign out_full_o  = out_full_q;
  assign init_full_o = init_full_q;

  // ---------------------------------------------------------------------------------------------
  // Block entry queue (depth 2)
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned EntBits = MacroAw + KbBits + 3 + 8 + 4;
  logic [EntBits-1:0] q_mem_q [2];
  logic [1:0]         q_count_q;
  logic               q_rd_q, q_wr_q;
  logic               q_push, q_pop;
  logic [EntBits-1:0] q_head;

  assign blk_ready_o = (q_count_q != 2'd2);
  assign q_push      = blk_valid_i && blk_ready_o;
  assign q_head      = q_mem_q[q_rd_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_count_q <= '0;
      q_rd_q    <= 1'b0;
      q_wr_q    <= 1'b0;
    end else begin
      if (q_push) q_wr_q <= !q_wr_q;
      if (q_pop)  q_rd_q <= !q_rd_q;
      q_count_q <= q_count_q + {1'b0, q_push} - {1'b0, q_pop};
    end
  end
  always_ff @(posedge clk_i) begin
    if (q_push) begin
      q_mem_q[q_wr_q] <= {blk_macro_i, blk_kb_i, blk_groups_i, blk_rows_i,
                          blk_swap_i, blk_first_i, blk_last_i, blk_init_i};
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Compute engine and PPU
  // ---------------------------------------------------------------------------------------------
  typedef enum logic [2:0] {SIdle, SRdx, SPlanes, SWait, SPpu, SFlush} state_e;
  state_e                 state_q, state_d;
  logic [MacroAw-1:0]     h_macro;
  logic [KbBits-1:0]      h_kb;
  logic [2:0]             h_groups;
  logic [7:0]             h_rows;
  logic                   h_swap, h_first, h_last, h_init;
  logic                   kb_odd_q;  // the block's 4 activation scales are the odd half of a word
  logic [2:0]             groups_q;
  logic [7:0]             rows_q;
  logic                   swap_q, last_q;
  logic [$clog2(ABits)-1:0] bit_q, bit_d;
  logic [4:0]             col_q, col_d;
  logic [NM-1:0]          pend_q, pend_d;
  logic [NGroups*Cols*SBits-1:0] res;
  logic [NGroups*Cols*16-1:0]    wsc;
  logic [63:0]            xs4;
  logic [NGroups*64-1:0]  terms;
  logic signed [63:0]     col_acc;

  assign {h_macro, h_kb, h_groups, h_rows, h_swap, h_first, h_last, h_init} = q_head;
  assign res = m_r_data[cur_macro_q*ResBits +: ResBits];
  assign wsc = m_wsc[cur_macro_q*ScBits +: ScBits];
  assign xs4 = xs_word[kb_odd_q*64 +: 64];

  for (genvar g = 0; g < NGroups; g++) begin : g_term
    cim_ppu_term #(
      .SBits (SBits)
    ) u_term (
      .s_i       (res[(g*Cols + 32'(col_q))*SBits +: SBits]),
      .w_scale_i (wsc[(g*Cols + 32'(col_q))*16 +: 16]),
      .x_scale_i (xs4[g*16 +: 16]),
      .term_o    (terms[g*64 +: 64])
    );
  end

  // Activation bit-plane b of the block's rows, zero at and beyond K.
  always_comb begin
    plane = '0;
    for (int unsigned r = 0; r < Rows; r++) begin
      if (r < 32'(rows_q)) plane[r] = x_word[r*8 + 32'(bit_q)];
    end
  end

  always_comb begin
    state_d   = state_q;
    bit_d     = bit_q;
    col_d     = col_q;
    pend_d    = pend_q;
    acc_d     = acc_q;
    q_pop     = 1'b0;
    rd_x      = 1'b0;
    rd_x_addr = ActAw'(h_kb);
    init_take = 1'b0;
    out_load  = 1'b0;
    m_a_valid = '0;
    m_a_swap  = '0;
    m_r_ready = '0;
    col_acc   = '0;
    if (q_push && blk_swap_i) pend_d[blk_macro_i] = 1'b1;
    unique case (state_q)
      SIdle: begin
        if (q_count_q != 2'd0) begin
          q_pop = 1'b1;
          rd_x  = 1'b1;
          if (h_first) begin
            acc_d     = h_init ? init_q : '0;
            init_take = h_init;
          end
          state_d = SRdx;
        end
      end
      SRdx: begin
        bit_d   = '0;
        state_d = SPlanes;
      end
      SPlanes: begin
        m_a_valid[cur_macro_q] = 1'b1;
        m_a_swap[cur_macro_q]  = swap_q && (bit_q == '0);
        if (m_a_ready[cur_macro_q]) begin
          // The first plane swaps the banks: only from the next cycle on may the sequencer
          // load the macro's (new) shadow bank.
          if (bit_q == '0) pend_d[cur_macro_q] = 1'b0;
          bit_d = bit_q + 1'b1;
          if (bit_q == $clog2(ABits)'(ABits - 1)) state_d = SWait;
        end
      end
      SWait: begin
        col_d = '0;
        if (m_r_valid[cur_macro_q]) state_d = SPpu;
      end
      SPpu: begin
        col_acc = acc_q[col_q*64 +: 64];
        for (int unsigned g = 0; g < NGroups; g++) begin
          if (3'(g) < groups_q) col_acc = sat_add(col_acc, terms[g*64 +: 64]);
        end
        acc_d[col_q*64 +: 64] = col_acc;
        col_d = col_q + 1'b1;
        if (col_q == 5'(Cols - 1)) begin
          m_r_ready[cur_macro_q] = 1'b1;
          state_d = last_q ? SFlush : SIdle;
        end
      end
      SFlush: begin
        if (!out_full_q) begin
          out_load = 1'b1;
          state_d  = SIdle;
        end
      end
      default: state_d = SIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= SIdle;
      bit_q       <= '0;
      col_q       <= '0;
      pend_q      <= '0;
      init_full_q <= 1'b0;
      out_full_q  <= 1'b0;
      cur_macro_q <= '0;
      kb_odd_q    <= 1'b0;
      groups_q    <= '0;
      rows_q      <= '0;
      swap_q      <= 1'b0;
      last_q      <= 1'b0;
    end else begin
      state_q <= state_d;
      bit_q   <= bit_d;
      col_q   <= col_d;
      pend_q  <= pend_d;
      if (q_push && blk_first_i && blk_init_i) init_full_q <= 1'b1;
      else if (init_take)                      init_full_q <= 1'b0;
      if (out_load)       out_full_q <= 1'b1;
      else if (out_pop_i) out_full_q <= 1'b0;
      if (q_pop) begin
        cur_macro_q <= h_macro;
        kb_odd_q    <= h_kb[0];
        groups_q    <= h_groups;
        rows_q      <= h_rows;
        swap_q      <= h_swap;
        last_q      <= h_last;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    acc_q <= acc_d;
  end

  assign pend_o = pend_q;
  assign busy_o = (state_q != SIdle) || (q_count_q != 2'd0) || !(&m_idle);
endmodule
