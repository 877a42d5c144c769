// SPDX-License-Identifier: Apache-2.0
// CIM tile: NMacros streaming macros plus NRes resident macros, the activation buffers, the
// operation issuer and the post-processing unit (cim_ppu) with its accumulators
// (docs/ARCHITECTURE.md "The tile", docs/NUMERICS.md).
//
// The sequencer's router writes one beat per cycle: bit-plane words or scales into a macro's
// shadow bank, activations and their scales into the buffers (at the byte address it gives), old
// y and bias into the post-processor; and it pushes one block entry per loaded (or resident)
// weight block. The issuer runs every entry as B operations, one per activation vector, back to
// back on the entry's macro: read the vector's Rows activations and their scales (one SRAM read),
// send ABits bit-planes (the first plane of the first vector swaps a freshly loaded bank in). The
// results go in issue order to the post-processor.
module cim_tile #(
  parameter int unsigned NMacros   = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes      = edgecim_pkg::NResDefault,
  parameter int unsigned Rows      = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned Cols      = edgecim_pkg::MacroColsDefault,
  parameter int unsigned MaxWBits  = edgecim_pkg::MaxWBitsDefault,
  parameter int unsigned ABits     = edgecim_pkg::ABitsDefault,
  parameter int unsigned DataBytes = edgecim_pkg::DataBytesDefault,
  parameter int unsigned PpuCols   = edgecim_pkg::PpuColsDefault,
  parameter int unsigned ActBytes  = edgecim_pkg::ActBytesDefault,
  parameter int unsigned MaxBatch  = edgecim_pkg::MaxBatchDefault,
  localparam int unsigned GroupRows = edgecim_pkg::GroupRows,
  localparam int unsigned NGroups  = Rows / GroupRows,
  localparam int unsigned GBits    = $clog2(NGroups + 1),
  localparam int unsigned NM       = NMacros + NRes,
  localparam int unsigned MacroAw  = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned DW       = DataBytes * 8,
  localparam int unsigned BBits    = (MaxBatch > 1) ? $clog2(MaxBatch) : 1,
  localparam int unsigned ActAw    = $clog2(ActBytes),
  localparam int unsigned XsBytes  = 1 << $clog2(ActBytes / 16 + MaxBatch * DataBytes),
  localparam int unsigned XsAw     = $clog2(XsBytes),
  localparam int unsigned NWords   = NGroups * Cols * MaxWBits,
  localparam int unsigned MIdxBits = (NWords > 1) ? $clog2(NWords) : 1,
  localparam int unsigned RowBits  = $clog2(Rows + 1),
  localparam int unsigned KbBits   = (ActBytes / Rows > 1) ? $clog2(ActBytes / Rows) : 1,
  localparam int unsigned BeatIdxW = (Cols * 8 / DataBytes > 1) ? $clog2(Cols * 8 / DataBytes) : 1,
  localparam int unsigned SBits    = MaxWBits + $clog2(GroupRows) + ABits
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Command (stable while it runs).
  input  logic                   start_i,
  input  logic                   accum_i, bias_i,
  input  logic [1:0]             prec_i,        // weight precision code: 2 << prec_i bits
  input  logic [BBits-1:0]       last_b_i,      // vectors - 1
  input  logic [ActAw:0]         kpad_i,        // buffer bytes of one vector's activations
  input  logic [XsAw:0]          xs_stride_i,   // buffer bytes of one vector's scales
  // Beats from the router.
  input  logic                   wr_valid_i,
  output logic                   wr_ready_o,
  input  edgecim_pkg::beat_kind_e wr_kind_i,
  input  logic [MacroAw-1:0]     wr_macro_i,
  input  logic [BBits-1:0]       wr_b_i,
  input  logic [BeatIdxW-1:0]    wr_yidx_i,     // YI / BI: beat within the output block
  input  logic [ActAw-1:0]       wr_addr_i,     // XQ / XS: byte address in the buffer
  input  logic [MIdxBits-1:0]    wr_midx_i,     // WWORD / WSCALE: first element in the macro
  input  logic [DW-1:0]          wr_data_i,
  // Block entries.
  input  logic                   blk_valid_i,
  output logic                   blk_ready_o,
  input  logic [MacroAw-1:0]     blk_macro_i,
  input  logic [KbBits-1:0]      blk_kb_i,
  input  logic [GBits-1:0]       blk_groups_i,  // valid row groups of the block
  input  logic [RowBits-1:0]     blk_rows_i,    // rows below K in this block (1..Rows)
  input  logic                   blk_swap_i,    // freshly loaded: swap banks on start
  input  logic                   blk_first_i,   // first K block of an output block
  input  logic                   blk_last_i,    // last K block of an output block
  // Status for the sequencer.
  output logic [NM-1:0]          pend_o,        // macro holds a loaded block not yet started
  output logic                   init_ok_o,     // old y / bias of the next output block may come
  output logic                   busy_o,
  // Outputs, read by the writer a beat at a time.
  output logic                   out_ready_o,
  input  logic                   out_rd_i,
  input  logic [BBits-1:0]       out_b_i,
  input  logic [BeatIdxW-1:0]    out_idx_i,
  output logic [DW-1:0]          out_data_o,
  input  logic                   out_release_i
);
  localparam int unsigned AWord   = (Rows > DataBytes) ? Rows : DataBytes;  // act. buffer word
  localparam int unsigned ALanes  = AWord / 16;
  localparam int unsigned AWords  = ActBytes / AWord;
  localparam int unsigned AWAw    = (AWords > 1) ? $clog2(AWords) : 1;
  localparam int unsigned XsWords = XsBytes / DataBytes;
  localparam int unsigned XsWAw   = (XsWords > 1) ? $clog2(XsWords) : 1;
  localparam int unsigned OutBits = SBits;
  localparam int unsigned ResBits = NGroups * Cols * OutBits;
  localparam int unsigned ScBits  = NGroups * Cols * 16;
  localparam int unsigned XsOp    = NGroups * 16;   // activation scales of one operation
  localparam int unsigned OpqDepth = 4;

  // ---------------------------------------------------------------------------------------------
  // Macros
  // ---------------------------------------------------------------------------------------------
  logic [NM-1:0]         m_w_valid, m_w_ready, m_a_valid, m_a_ready, m_r_valid, m_r_ready;
  logic [NM-1:0]         m_bank, m_idle;
  logic [Rows-1:0]       plane;
  logic                  a_swap;
  logic [NM*ResBits-1:0] m_r_data;
  logic [NM*ScBits-1:0]  m_r_scale;
  logic                  w_kind;

  assign w_kind = (wr_kind_i == edgecim_pkg::BeatKindWscale);

  for (genvar m = 0; m < NM; m++) begin : g_macro
    cim_macro #(
      .Rows      (Rows),
      .Cols      (Cols),
      .GroupRows (GroupRows),
      .WBits     (MaxWBits),
      .ABits     (ABits),
      .WrBits    (DW)
    ) u_macro (
      .clk_i     (clk_i),
      .rst_ni    (rst_ni),
      .w_valid_i (m_w_valid[m]),
      .w_ready_o (m_w_ready[m]),
      .w_kind_i  (w_kind),
      .w_idx_i   (wr_midx_i),
      .w_data_i  (wr_data_i),
      .a_valid_i (m_a_valid[m]),
      .a_ready_o (m_a_ready[m]),
      .a_plane_i (plane),
      .a_swap_i  (a_swap),
      .a_prec_i  (prec_i),
      .r_valid_o (m_r_valid[m]),
      .r_ready_i (m_r_ready[m]),
      .r_data_o  (m_r_data[m*ResBits +: ResBits]),
      .r_scale_o (m_r_scale[m*ScBits +: ScBits]),
      .bank_o    (m_bank[m]),
      .idle_o    (m_idle[m])
    );
    assign m_w_valid[m] = wr_valid_i && wr_macro_i == MacroAw'(m) &&
                          (wr_kind_i == edgecim_pkg::BeatKindWword || wr_kind_i == edgecim_pkg::BeatKindWscale);
  end

  // A weight beat waits for its macro's write port (not ready only in a swap cycle); every other
  // beat is always taken.
  assign wr_ready_o = !(wr_kind_i == edgecim_pkg::BeatKindWword || wr_kind_i == edgecim_pkg::BeatKindWscale) ||
                      m_w_ready[wr_macro_i];

  // ---------------------------------------------------------------------------------------------
  // Activation buffer (lanes of 16 bytes, words of AWord bytes) and activation-scale buffer
  // ---------------------------------------------------------------------------------------------
  logic              op_rd;                  // read the next operation's activations and scales
  logic [ActAw-1:0]  op_xaddr;               // its byte address in the activation buffer
  logic [XsAw-1:0]   op_saddr;               // and in the scale buffer
  logic [AWord*8-1:0] x_word;
  logic [DW-1:0]     xs_word;
  logic              wr_xq, wr_xs;

  assign wr_xq = wr_valid_i && wr_kind_i == edgecim_pkg::BeatKindXq;
  assign wr_xs = wr_valid_i && wr_kind_i == edgecim_pkg::BeatKindXs;

  for (genvar l = 0; l < ALanes; l++) begin : g_xlane
    logic wr_lane;
    // A beat covers lanes [first, first + DataBytes/16) of one word.
    assign wr_lane = wr_xq && (32'(l) >= (32'(wr_addr_i) % AWord) / 16) &&
                     (32'(l) < (32'(wr_addr_i) % AWord) / 16 + DataBytes / 16);
    edgecim_sram #(
      .Words (AWords),
      .Bits  (128)
    ) u_xq (
      .clk_i     (clk_i),
      .wr_en_i   (wr_lane),
      .wr_addr_i (AWAw'(32'(wr_addr_i) / AWord)),
      .wr_data_i (wr_data_i[(32'(l) - (32'(wr_addr_i) % AWord) / 16) % (DataBytes / 16) * 128 +: 128]),
      .rd_en_i   (op_rd),
      .rd_addr_i (AWAw'(32'(op_xaddr) / AWord)),
      .rd_data_o (x_word[l*128 +: 128])
    );
  end

  edgecim_sram #(
    .Words (XsWords),
    .Bits  (DW)
  ) u_xs (
    .clk_i     (clk_i),
    .wr_en_i   (wr_xs),
    .wr_addr_i (XsWAw'(32'(wr_addr_i) / DataBytes)),
    .wr_data_i (wr_data_i),
    .rd_en_i   (op_rd),
    .rd_addr_i (XsWAw'(32'(op_saddr) / DataBytes)),
    .rd_data_o (xs_word)
  );

  // ---------------------------------------------------------------------------------------------
  // Block entry queue (depth 2)
  // ---------------------------------------------------------------------------------------------
  typedef struct packed {
    logic [MacroAw-1:0] macro;
    logic [KbBits-1:0]  kb;
    logic [GBits-1:0]   groups;
    logic [RowBits-1:0] rows;
    logic               swap, first, last;
  } entry_t;

  entry_t     q_mem_q [2];
  entry_t     head;
  logic [1:0] q_count_q;
  logic       q_rd_q, q_wr_q, q_push, q_pop;

  assign blk_ready_o = (q_count_q != 2'd2);
  assign q_push      = blk_valid_i && blk_ready_o;
  assign head        = q_mem_q[q_rd_q];

  entry_t new_entry;  // field by field (Yosys 0.23 reads no named assignment patterns)
  always_comb begin
    new_entry.macro  = blk_macro_i;
    new_entry.kb     = blk_kb_i;
    new_entry.groups = blk_groups_i;
    new_entry.rows   = blk_rows_i;
    new_entry.swap   = blk_swap_i;
    new_entry.first  = blk_first_i;
    new_entry.last   = blk_last_i;
  end

  always_ff @(posedge clk_i) begin
    if (q_push) q_mem_q[q_wr_q] <= new_entry;
  end

  // ---------------------------------------------------------------------------------------------
  // Issuer: one operation per (entry, vector), ABits planes each, back to back
  // ---------------------------------------------------------------------------------------------
  typedef struct packed {
    logic [MacroAw-1:0] macro;
    logic [BBits-1:0]   b;
    logic [GBits-1:0]   groups;
    logic               first, last, last_b;
  } op_t;

  logic [BBits-1:0]         b_q;              // vector of the head entry's next operation
  op_t                      new_op;           // the operation the head entry starts next
  logic [ActAw:0]           b_xoff_q;         // b * kpad
  logic [XsAw:0]            b_soff_q;         // b * xs_stride
  logic                     pl_active_q, pl_new_q, pl_swap_q;
  logic [$clog2(ABits)-1:0] bit_q;
  logic [RowBits-1:0]       pl_rows_q;
  logic [$clog2(AWord / Rows > 1 ? AWord / Rows : 2)-1:0] pl_part_q;   // which Rows bytes of x_word
  logic [$clog2(DataBytes / (Rows / 16) > 1 ? DataBytes / (Rows / 16) : 2)-1:0] pl_spart_q;
  op_t                      pl_op_q;
  logic                     cur_ready, pl_fire, pl_last, swap_fire;
  logic [NM-1:0]            pend_q, pend_d;

  assign cur_ready = m_a_ready[pl_op_q.macro];
  assign pl_fire   = pl_active_q && cur_ready;
  assign pl_last   = (bit_q == $clog2(ABits)'(ABits - 1));
  assign a_swap    = pl_swap_q && (bit_q == '0);
  assign swap_fire = pl_fire && a_swap;

  // The op queue towards the post-processor has room for the operation about to start.
  logic [2:0] opq_count_q;
  logic       opq_room;
  assign opq_room = (32'(opq_count_q) + 32'(pl_new_q) < OpqDepth);

  assign op_rd    = (q_count_q != 2'd0) && opq_room && (!pl_active_q || (pl_fire && pl_last));
  assign op_xaddr = ActAw'(b_xoff_q + (ActAw+1)'(32'(head.kb) * Rows));
  assign op_saddr = XsAw'(b_soff_q + (XsAw+1)'(32'(head.kb) * (Rows / 16)));
  assign q_pop    = op_rd && (b_q == last_b_i);

  always_comb begin
    m_a_valid = '0;
    if (pl_active_q) m_a_valid[pl_op_q.macro] = 1'b1;
  end

  // Activation bit-plane bit_q of the operation's rows, zero at and beyond K.
  logic [Rows*8-1:0] x_rows;
  assign x_rows = x_word[32'(pl_part_q)*Rows*8 +: Rows*8];
  for (genvar r = 0; r < Rows; r++) begin : g_plane
    assign plane[r] = (RowBits'(r) < pl_rows_q) && x_rows[r*8 + 32'(bit_q)];
  end

  always_comb begin
    pend_d = pend_q;
    if (q_push && blk_swap_i) pend_d[blk_macro_i] = 1'b1;
    // The first plane swaps the banks: only from the next cycle on may the router load the
    // macro's (new) shadow bank.
    if (swap_fire) pend_d[pl_op_q.macro] = 1'b0;
  end

  always_comb begin
    new_op.macro  = head.macro;
    new_op.b      = b_q;
    new_op.groups = head.groups;
    new_op.first  = head.first;
    new_op.last   = head.last;
    new_op.last_b = (b_q == last_b_i);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      q_count_q   <= '0;
      q_rd_q      <= 1'b0;
      q_wr_q      <= 1'b0;
      b_q         <= '0;
      b_xoff_q    <= '0;
      b_soff_q    <= '0;
      pl_active_q <= 1'b0;
      pl_new_q    <= 1'b0;
      pl_swap_q   <= 1'b0;
      bit_q       <= '0;
      pl_rows_q   <= '0;
      pl_part_q   <= '0;
      pl_spart_q  <= '0;
      pl_op_q     <= '0;
      pend_q      <= '0;
    end else begin
      if (q_push) q_wr_q <= !q_wr_q;
      if (q_pop)  q_rd_q <= !q_rd_q;
      q_count_q <= q_count_q + {1'b0, q_push} - {1'b0, q_pop};
      pend_q    <= pend_d;
      pl_new_q  <= op_rd;
      if (pl_fire) bit_q <= bit_q + 1'b1;
      if (op_rd) begin
        pl_active_q <= 1'b1;
        bit_q       <= '0;
        pl_swap_q   <= head.swap && (b_q == '0);
        pl_rows_q   <= head.rows;
        pl_part_q   <= $bits(pl_part_q)'((32'(op_xaddr) % AWord) / Rows);
        pl_spart_q  <= $bits(pl_spart_q)'((32'(op_saddr) % DataBytes) / (Rows / 16));
        pl_op_q     <= new_op;
        if (b_q == last_b_i) begin
          b_q      <= '0;
          b_xoff_q <= '0;
          b_soff_q <= '0;
        end else begin
          b_q      <= b_q + 1'b1;
          b_xoff_q <= b_xoff_q + kpad_i;
          b_soff_q <= b_soff_q + xs_stride_i;
        end
      end else if (pl_fire && pl_last) begin
        pl_active_q <= 1'b0;
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Op queue: operations in issue order, with their activation scales, to the post-processor
  // ---------------------------------------------------------------------------------------------
  op_t                opq_mem_q [OpqDepth];
  logic [XsOp-1:0]    opq_xs_q  [OpqDepth];
  logic [1:0]         opq_rd_q, opq_wr_q;
  logic               opq_push, opq_pop;
  op_t                opq_head;
  logic               ppu_ready, ppu_valid;
  logic [XsOp-1:0]    op_xs;

  assign opq_push = pl_new_q;   // the cycle after the read: the scales have arrived
  assign op_xs    = xs_word[32'(pl_spart_q)*XsOp +: XsOp];
  assign opq_head = opq_mem_q[opq_rd_q];
  assign ppu_valid = (opq_count_q != '0) && m_r_valid[opq_head.macro];
  assign opq_pop  = ppu_valid && ppu_ready;

  always_comb begin
    m_r_ready = '0;
    if (opq_count_q != '0) m_r_ready[opq_head.macro] = ppu_ready;
  end

  always_ff @(posedge clk_i) begin
    if (opq_push) begin
      opq_mem_q[opq_wr_q] <= pl_op_q;
      opq_xs_q[opq_wr_q]  <= op_xs;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      opq_count_q <= '0;
      opq_rd_q    <= '0;
      opq_wr_q    <= '0;
    end else begin
      if (opq_push) opq_wr_q <= opq_wr_q + 1'b1;
      if (opq_pop)  opq_rd_q <= opq_rd_q + 1'b1;
      opq_count_q <= opq_count_q + 3'(opq_push) - 3'(opq_pop);
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Post-processor
  // ---------------------------------------------------------------------------------------------
  logic ppu_busy;

  cim_ppu #(
    .Cols      (Cols),
    .NGroups   (NGroups),
    .SBits     (SBits),
    .PpuCols   (PpuCols),
    .MaxBatch  (MaxBatch),
    .DataBytes (DataBytes)
  ) u_ppu (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start_i),
    .accum_i       (accum_i),
    .bias_i        (bias_i),
    .res_valid_i   (ppu_valid),
    .res_ready_o   (ppu_ready),
    .res_sums_i    (m_r_data[32'(opq_head.macro)*ResBits +: ResBits]),
    .res_wscale_i  (m_r_scale[32'(opq_head.macro)*ScBits +: ScBits]),
    .res_xscale_i  (opq_xs_q[opq_rd_q]),
    .res_b_i       (opq_head.b),
    .res_groups_i  (opq_head.groups),
    .res_first_i   (opq_head.first),
    .res_last_i    (opq_head.last),
    .res_last_b_i  (opq_head.last_b),
    .yi_valid_i    (wr_valid_i && wr_kind_i == edgecim_pkg::BeatKindYi),
    .yi_b_i        (wr_b_i),
    .yi_idx_i      (wr_yidx_i),
    .bi_valid_i    (wr_valid_i && wr_kind_i == edgecim_pkg::BeatKindBi),
    .bi_idx_i      (wr_yidx_i),
    .wr_data_i     (wr_data_i),
    .in_advance_i  (q_push && blk_last_i),
    .init_ok_o     (init_ok_o),
    .out_ready_o   (out_ready_o),
    .out_rd_i      (out_rd_i),
    .out_b_i       (out_b_i),
    .out_idx_i     (out_idx_i),
    .out_data_o    (out_data_o),
    .out_release_i (out_release_i),
    .busy_o        (ppu_busy)
  );

  assign pend_o = pend_q;
  assign busy_o = (q_count_q != 2'd0) || pl_active_q || pl_new_q || (opq_count_q != '0) ||
                  !(&m_idle) || ppu_busy;
endmodule
