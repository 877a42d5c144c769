// SPDX-License-Identifier: Apache-2.0
// Tile sequencer: runs one GEMV command Y[B x N] = X[B x K] W[N x K]^T (+ bias, + old Y) at a
// time (docs/ARCHITECTURE.md "One GEMV command").
//
// Three engines work concurrently on the same command:
// - the read requester walks the read stream (edgecim_seg_walker) and issues DMA bursts as far
//   ahead as the DMA's credits allow, so DRAM latency is hidden and the port stays busy;
// - the router walks the same stream on the data side and sends every beat to its place, one
//   beat per cycle: activations and their scales to every tile's buffers (broadcast), old y and
//   bias into the post-processor of the output block's tile, bit-plane words and scales into the
//   shadow bank of the block's macro; with the last beat of a weight block it pushes the block
//   entry to the tile. Output block nb belongs to tile nb mod NTiles; a tile rotates its blocks
//   over its NMacros streaming macros (or, with RES_LOAD/RES_USE, places block j in resident
//   macro NMacros + RES_BASE + j). A block is loaded into a macro only when the macro's previous
//   block has started (its bank swapped in);
// - the writer writes each output block's y, vector by vector, in order, as the tiles finish them.
// The command is done when the last y write has left the DMA.
module tile_sequencer #(
  parameter int unsigned NTiles    = edgecim_pkg::NTilesDefault,
  parameter int unsigned NMacros   = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes      = edgecim_pkg::NResDefault,
  parameter int unsigned MaxWBits  = edgecim_pkg::MaxWBitsDefault,
  parameter int unsigned DataBytes = edgecim_pkg::DataBytesDefault,
  parameter int unsigned Rows      = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned Cols      = edgecim_pkg::MacroColsDefault,
  parameter int unsigned ActBytes  = edgecim_pkg::ActBytesDefault,
  parameter int unsigned MaxBatch  = edgecim_pkg::MaxBatchDefault,
  parameter int unsigned MaxBurst  = edgecim_pkg::MaxBurstDefault,
  localparam int unsigned NM        = NMacros + NRes,
  localparam int unsigned MacroAw   = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned TileAw    = (NTiles > 1) ? $clog2(NTiles) : 1,
  localparam int unsigned DW        = DataBytes * 8,
  localparam int unsigned BBits     = (MaxBatch > 1) ? $clog2(MaxBatch) : 1,
  localparam int unsigned KbBits    = (ActBytes / Rows > 1) ? $clog2(ActBytes / Rows) : 1,
  localparam int unsigned NbBits    = 19,
  localparam int unsigned ActAw     = $clog2(ActBytes),
  localparam int unsigned XsBytes   = 1 << $clog2(ActBytes / 16 + MaxBatch * DataBytes),
  localparam int unsigned XsAw      = $clog2(XsBytes),
  localparam int unsigned NGroups   = Rows / edgecim_pkg::GroupRows,
  localparam int unsigned GBits     = $clog2(NGroups + 1),
  localparam int unsigned RowBits   = $clog2(Rows + 1),
  localparam int unsigned NWords    = NGroups * Cols * MaxWBits,
  localparam int unsigned MIdxBits  = (NWords > 1) ? $clog2(NWords) : 1,
  localparam int unsigned BeatIdxW  = (Cols * 8 / DataBytes > 1) ? $clog2(Cols * 8 / DataBytes) : 1,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Commands (already checked by the register file).
  input  logic                     cmd_valid_i,
  output logic                     cmd_ready_o,
  input  edgecim_pkg::cmd_desc_t  cmd_i,
  output logic                     done_o,
  output logic                     busy_o,
  // DMA.
  output logic                     rd_req_valid_o,
  input  logic                     rd_req_ready_i,
  output logic [31:0]              rd_req_addr_o,
  output logic [BurstBits-1:0]     rd_req_beats_o,
  input  logic                     rd_valid_i,
  output logic                     rd_pop_o,
  input  logic [DW-1:0]            rd_data_i,
  output logic                     wr_req_valid_o,
  input  logic                     wr_req_ready_i,
  output logic [31:0]              wr_req_addr_o,
  output logic [8:0]               wr_req_beats_o,
  output logic                     wr_valid_o,
  input  logic                     wr_ready_i,
  output logic [DW-1:0]            wr_data_o,
  output logic [DataBytes-1:0]     wr_strb_o,
  input  logic                     wr_idle_i,
  // Command information for the tiles.
  output logic                     t_start_o,
  output logic                     t_accum_o, t_bias_o,
  output logic [1:0]               t_prec_o,
  output logic [BBits-1:0]         t_last_b_o,
  output logic [ActAw:0]           t_kpad_o,
  output logic [XsAw:0]            t_xs_stride_o,
  // Beats to the tiles (shared fields, per-tile valids).
  output logic [NTiles-1:0]        t_wr_valid_o,
  input  logic [NTiles-1:0]        t_wr_ready_i,
  output edgecim_pkg::beat_kind_e  t_wr_kind_o,
  output logic [MacroAw-1:0]       t_wr_macro_o,
  output logic [BBits-1:0]         t_wr_b_o,
  output logic [BeatIdxW-1:0]      t_wr_yidx_o,
  output logic [ActAw-1:0]         t_wr_addr_o,
  output logic [MIdxBits-1:0]      t_wr_midx_o,
  output logic [DW-1:0]            t_wr_data_o,
  // Block entries.
  output logic [NTiles-1:0]        t_blk_valid_o,
  input  logic [NTiles-1:0]        t_blk_ready_i,
  output logic [MacroAw-1:0]       t_blk_macro_o,
  output logic [KbBits-1:0]        t_blk_kb_o,
  output logic [GBits-1:0]         t_blk_groups_o,
  output logic [RowBits-1:0]       t_blk_rows_o,
  output logic                     t_blk_swap_o, t_blk_first_o, t_blk_last_o,
  input  logic [NTiles*NM-1:0]     t_pend_i,
  input  logic [NTiles-1:0]        t_init_ok_i,
  // Outputs of the tiles.
  input  logic [NTiles-1:0]        t_out_ready_i,
  output logic [NTiles-1:0]        t_out_rd_o,
  output logic [BBits-1:0]         t_out_b_o,
  output logic [BeatIdxW-1:0]      t_out_idx_o,
  input  logic [NTiles*DW-1:0]     t_out_data_i,
  output logic [NTiles-1:0]        t_out_release_o
);
  localparam int unsigned BeatShift = $clog2(DataBytes);
  localparam int unsigned YBlkBytes = Cols * 8;
  localparam int unsigned YBlkBeats = YBlkBytes / DataBytes;
  localparam int unsigned WordsPerBeat = DataBytes / 4;
  localparam int unsigned ScalesPerBeat = DataBytes / 2;

  // ---------------------------------------------------------------------------------------------
  // Command and its layout (docs/NUMERICS.md), computed once at the start
  // ---------------------------------------------------------------------------------------------
  logic              run_q, finish_q, start;
  logic [31:0]       w_addr_q, x_addr_q, y_addr_q, b_addr_q;
  logic              bias_q, accum_q, res_q, res_use_q;
  logic [7:0]        res_base_q;
  logic [1:0]        prec_q;
  logic [BBits-1:0]  last_b_q;
  logic [KbBits-1:0] last_kb_q;
  logic [NbBits-1:0] last_nb_q;
  logic [15:0]       xq_beats_q, xs_beats_q, xs_keep_q, blk_beats_q, last_blk_beats_q;
  logic [15:0]       word_beats_q, last_word_beats_q, scale_beats_q, last_scale_beats_q;
  logic [RowBits-1:0] last_rows_q, last_rows_k_q;
  logic [31:0]       y_stride_q, nb_stride_q;
  logic [ActAw:0]    kpad_q;
  logic [XsAw:0]     xs_stride_q;
  logic [6:0]        last_cols_q;

  assign cmd_ready_o = !run_q;
  assign start       = cmd_valid_i && cmd_ready_o;
  assign busy_o      = run_q;

  // Layout of the command being started.
  logic [3:0]  c_w;
  logic [1:0]  c_prec;
  logic [17:0] c_kp, c_kpad, c_xsb, c_xs_keep;
  logic [15:0] c_nkb;
  logic [24:0] c_nnb;
  logic [17:0] c_last_rows, c_last_rows_k;
  logic [15:0] c_blk_beats, c_last_blk_beats;

  // Bytes of the bit-plane words and scales of a weight block of r rows.
  function automatic logic [31:0] word_bytes(logic [17:0] r, logic [1:0] prec);
    word_bytes = (32'(r) * Cols) << prec >> 2;   // r * Cols * (2 << prec) / 8
  endfunction
  function automatic logic [31:0] scale_bytes(logic [17:0] r);
    scale_bytes = 32'(r) / 32 * Cols * 2;
  endfunction
  function automatic logic [31:0] ceil_beats(logic [31:0] bytes);
    ceil_beats = (bytes + DataBytes - 1) >> BeatShift;
  endfunction

  always_comb begin
    c_w    = (cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4] == 4'd0) ? 4'd4
             : cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4];
    c_prec = (c_w == 4'd2) ? 2'd0 : (c_w == 4'd4) ? 2'd1 : 2'd2;
    c_kp   = (18'(cmd_i.k) + 18'd31) & ~18'd31;
    c_kpad = (18'(cmd_i.k) + 18'd255) & ~18'd255;
    c_xsb  = ((c_kp >> 4) + 18'd255) & ~18'd255;
    c_xs_keep = 18'(ceil_beats(32'(c_kp) >> 4));
    c_nkb  = 16'((32'(c_kp) + Rows - 1) / Rows);
    c_nnb  = 25'((32'(cmd_i.n) + Cols - 1) / Cols);
    // FULL_BLK: the last block is laid out with every row (its rows at and beyond K are masked)
    c_last_rows   = cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_FULL_BLK_LSB] ? 18'(Rows)
                    : c_kp - 18'((32'(c_nkb) - 1) * Rows);
    c_last_rows_k = 18'(cmd_i.k) - 18'((32'(c_nkb) - 1) * Rows);
    c_blk_beats      = 16'(((word_bytes(18'(Rows), c_prec) + scale_bytes(18'(Rows)) + 255) & ~32'd255) >> BeatShift);
    c_last_blk_beats = 16'(((word_bytes(c_last_rows, c_prec) + scale_bytes(c_last_rows) + 255) & ~32'd255) >> BeatShift);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_addr_q <= '0; x_addr_q <= '0; y_addr_q <= '0; b_addr_q <= '0;
      bias_q <= 1'b0; accum_q <= 1'b0; res_q <= 1'b0; res_use_q <= 1'b0; res_base_q <= '0;
      prec_q <= '0; last_b_q <= '0; last_kb_q <= '0; last_nb_q <= '0;
      xq_beats_q <= '0; xs_beats_q <= '0; xs_keep_q <= '0; blk_beats_q <= '0; last_blk_beats_q <= '0;
      word_beats_q <= '0; last_word_beats_q <= '0; scale_beats_q <= '0; last_scale_beats_q <= '0;
      last_rows_q <= '0; last_rows_k_q <= '0; y_stride_q <= '0; nb_stride_q <= '0;
      kpad_q <= '0; xs_stride_q <= '0; last_cols_q <= '0;
    end else if (start) begin
      w_addr_q   <= cmd_i.w_addr;
      x_addr_q   <= cmd_i.x_addr;
      y_addr_q   <= cmd_i.y_addr;
      b_addr_q   <= cmd_i.b_addr;
      bias_q     <= cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB];
      accum_q    <= cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_ACCUM_LSB];
      res_q      <= cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB] ||
                    cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB];
      res_use_q  <= cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB];
      res_base_q <= cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB +: 8];
      prec_q     <= c_prec;
      last_b_q   <= BBits'(cmd_i.flags[edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB +: 4]);
      last_kb_q  <= KbBits'(c_nkb - 16'd1);
      last_nb_q  <= NbBits'(c_nnb - 25'd1);
      xq_beats_q <= 16'(c_kpad >> BeatShift);
      xs_beats_q <= 16'(c_xsb >> BeatShift);
      xs_keep_q  <= 16'(c_xs_keep);
      word_beats_q       <= 16'(word_bytes(18'(Rows), c_prec) >> BeatShift);
      last_word_beats_q  <= 16'(word_bytes(c_last_rows, c_prec) >> BeatShift);
      scale_beats_q      <= 16'(ceil_beats(scale_bytes(18'(Rows))));
      last_scale_beats_q <= 16'(ceil_beats(scale_bytes(c_last_rows)));
      blk_beats_q        <= c_blk_beats;
      last_blk_beats_q   <= c_last_blk_beats;
      nb_stride_q        <= (cmd_i.stride != '0) ? cmd_i.stride
                            : ((32'(c_nkb) - 1) * 32'(c_blk_beats) + 32'(c_last_blk_beats)) << BeatShift;
      last_rows_q   <= RowBits'(c_last_rows);
      last_rows_k_q <= RowBits'(c_last_rows_k);
      y_stride_q    <= 32'(c_nnb) * YBlkBytes;
      kpad_q        <= (ActAw+1)'(c_kpad);
      xs_stride_q   <= (XsAw+1)'(32'(c_xs_keep) << BeatShift);
      last_cols_q   <= 7'(32'(cmd_i.n) - (32'(c_nnb) - 1) * Cols);
    end
  end

  assign t_start_o     = start;
  assign t_accum_o     = accum_q;
  assign t_bias_o      = bias_q;
  assign t_prec_o      = prec_q;
  assign t_last_b_o    = last_b_q;
  assign t_kpad_o      = kpad_q;
  assign t_xs_stride_o = xs_stride_q;

  // ---------------------------------------------------------------------------------------------
  // Read requester (walker A)
  // ---------------------------------------------------------------------------------------------
  logic                   a_active, a_adv, a_first_kb, a_last_kb;
  edgecim_pkg::seg_kind_e a_kind;
  logic [31:0]            a_addr;
  logic [15:0]            a_len, a_off_q, a_off_d, a_left;
  logic [BBits-1:0]       a_b;
  logic [NbBits-1:0]      a_nb;
  logic [KbBits-1:0]      a_kb;

  edgecim_seg_walker #(
    .KbBits    (KbBits),
    .NbBits    (NbBits),
    .BBits     (BBits),
    .BeatBytes (DataBytes)
  ) u_walk_req (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .start_i          (start),
    .advance_i        (a_adv),
    .w_addr_i         (w_addr_q),
    .x_addr_i         (x_addr_q),
    .y_addr_i         (y_addr_q),
    .b_addr_i         (b_addr_q),
    .accum_i          (accum_q),
    .bias_i           (bias_q),
    .res_use_i        (res_use_q),
    .last_b_i         (last_b_q),
    .last_kb_i        (last_kb_q),
    .last_nb_i        (last_nb_q),
    .xq_beats_i       (xq_beats_q),
    .xs_beats_i       (xs_beats_q),
    .yblk_beats_i     (16'(YBlkBeats)),
    .blk_beats_i      (blk_beats_q),
    .last_blk_beats_i (last_blk_beats_q),
    .y_stride_i       (y_stride_q),
    .nb_stride_i      (nb_stride_q),
    .yblk_bytes_i     (16'(YBlkBytes)),
    .active_o         (a_active),
    .kind_o           (a_kind),
    .addr_o           (a_addr),
    .len_o            (a_len),
    .b_o              (a_b),
    .nb_o             (a_nb),
    .kb_o             (a_kb),
    .first_kb_o       (a_first_kb),
    .last_kb_o        (a_last_kb)
  );

  assign a_left         = a_len - a_off_q;
  assign rd_req_beats_o = (a_left > 16'(MaxBurst)) ? BurstBits'(MaxBurst) : BurstBits'(a_left);
  assign rd_req_addr_o  = a_addr + (32'(a_off_q) << BeatShift);
  assign rd_req_valid_o = run_q && a_active && (a_len != '0);

  always_comb begin
    a_adv   = 1'b0;
    a_off_d = a_off_q;
    if (start) begin
      a_off_d = '0;
    end else if (run_q && a_active) begin
      if (a_len == '0) begin
        a_adv = 1'b1;
      end else if (rd_req_ready_i) begin
        a_off_d = a_off_q + 16'(rd_req_beats_o);
        if (a_off_d == a_len) begin
          a_adv   = 1'b1;
          a_off_d = '0;
        end
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Router (walker B)
  // ---------------------------------------------------------------------------------------------
  logic                   b_active, b_adv, b_first_kb, b_last_kb;
  edgecim_pkg::seg_kind_e b_kind;
  logic [31:0]            b_addr;
  logic [15:0]            b_len, ci_q, ci_d;
  logic [BBits-1:0]       b_b;
  logic [NbBits-1:0]      b_nb;
  logic [KbBits-1:0]      b_kb;
  logic [TileAw-1:0]      tile_q;                  // tile of the router's output block
  logic [MacroAw-1:0]     rot_q  [NTiles];
  logic [MacroAw-1:0]     resc_q [NTiles];
  logic [MacroAw-1:0]     b_macro;
  logic                   route_ok, beat_fire, blk_push, seg_last_beat;
  logic [15:0]            blk_wbeats, blk_sbeats;  // words / scale beats of the current block

  edgecim_seg_walker #(
    .KbBits    (KbBits),
    .NbBits    (NbBits),
    .BBits     (BBits),
    .BeatBytes (DataBytes)
  ) u_walk_route (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .start_i          (start),
    .advance_i        (b_adv),
    .w_addr_i         (w_addr_q),
    .x_addr_i         (x_addr_q),
    .y_addr_i         (y_addr_q),
    .b_addr_i         (b_addr_q),
    .accum_i          (accum_q),
    .bias_i           (bias_q),
    .res_use_i        (res_use_q),
    .last_b_i         (last_b_q),
    .last_kb_i        (last_kb_q),
    .last_nb_i        (last_nb_q),
    .xq_beats_i       (xq_beats_q),
    .xs_beats_i       (xs_beats_q),
    .yblk_beats_i     (16'(YBlkBeats)),
    .blk_beats_i      (blk_beats_q),
    .last_blk_beats_i (last_blk_beats_q),
    .y_stride_i       (y_stride_q),
    .nb_stride_i      (nb_stride_q),
    .yblk_bytes_i     (16'(YBlkBytes)),
    .active_o         (b_active),
    .kind_o           (b_kind),
    .addr_o           (b_addr),
    .len_o            (b_len),
    .b_o              (b_b),
    .nb_o             (b_nb),
    .kb_o             (b_kb),
    .first_kb_o       (b_first_kb),
    .last_kb_o        (b_last_kb)
  );

  assign b_macro = res_q ? MacroAw'(32'(NMacros) + 32'(res_base_q) + 32'(resc_q[tile_q])) : rot_q[tile_q];
  assign blk_wbeats = b_last_kb ? last_word_beats_q : word_beats_q;
  assign blk_sbeats = b_last_kb ? last_scale_beats_q : scale_beats_q;

  // The macro index of the current word beat: DRAM holds w planes per group, the macro MaxWBits
  // (a beat never spans two groups: a group is w x Cols >= 64 words).
  localparam int unsigned ColShift = $clog2(Cols);
  logic [31:0] word_q, word_grp, word_midx;
  assign word_q    = 32'(ci_q) * WordsPerBeat;
  assign word_grp  = word_q >> (ColShift + 32'(prec_q) + 1);
  assign word_midx = word_q + (word_grp << ($clog2(MaxWBits) + ColShift)) - (word_grp << (ColShift + 32'(prec_q) + 1));

  always_comb begin
    route_ok    = 1'b0;
    t_wr_kind_o = edgecim_pkg::BeatKindPad;
    t_wr_addr_o = '0;
    t_wr_midx_o = '0;
    unique case (b_kind)
      edgecim_pkg::SegKindXq: begin
        t_wr_kind_o = edgecim_pkg::BeatKindXq;
        t_wr_addr_o = ActAw'(32'(b_b) * 32'(kpad_q) + (32'(ci_q) << BeatShift));
        route_ok    = 1'b1;
      end
      edgecim_pkg::SegKindXs: begin
        // Beats past the vector's scales are DRAM padding: dropped.
        t_wr_kind_o = (ci_q < xs_keep_q) ? edgecim_pkg::BeatKindXs : edgecim_pkg::BeatKindPad;
        t_wr_addr_o = ActAw'(32'(b_b) * 32'(xs_stride_q) + (32'(ci_q) << BeatShift));
        route_ok    = 1'b1;
      end
      edgecim_pkg::SegKindYi: begin
        t_wr_kind_o = edgecim_pkg::BeatKindYi;
        route_ok    = t_init_ok_i[tile_q];
      end
      edgecim_pkg::SegKindBi: begin
        t_wr_kind_o = edgecim_pkg::BeatKindBi;
        route_ok    = t_init_ok_i[tile_q];
      end
      edgecim_pkg::SegKindW: begin
        if (ci_q < blk_wbeats) begin
          t_wr_kind_o = edgecim_pkg::BeatKindWword;
          t_wr_midx_o = MIdxBits'(word_midx);
        end else if (ci_q < blk_wbeats + blk_sbeats) begin
          t_wr_kind_o = edgecim_pkg::BeatKindWscale;
          t_wr_midx_o = MIdxBits'(32'(16'(ci_q - blk_wbeats)) * ScalesPerBeat);
        end
        route_ok = !t_pend_i[32'(tile_q)*NM + 32'(b_macro)] && t_wr_ready_i[tile_q];
      end
      default: ;
    endcase
  end

  assign seg_last_beat = (ci_q + 16'd1 == b_len);
  // A weight block's entry goes to the tile with its last beat (or alone for RES_USE: no beats).
  assign blk_push  = run_q && b_active && (b_kind == edgecim_pkg::SegKindW) && t_blk_ready_i[tile_q] &&
                     ((b_len == '0) || (rd_valid_i && route_ok && seg_last_beat));
  assign beat_fire = run_q && b_active && (b_len != '0) && rd_valid_i && route_ok &&
                     (b_kind != edgecim_pkg::SegKindW || !seg_last_beat || t_blk_ready_i[tile_q]);
  assign rd_pop_o  = beat_fire;

  assign t_wr_macro_o = b_macro;
  assign t_wr_b_o     = b_b;
  assign t_wr_yidx_o  = BeatIdxW'(ci_q);
  assign t_wr_data_o  = rd_data_i;

  always_comb begin
    t_wr_valid_o = '0;
    if (beat_fire && t_wr_kind_o != edgecim_pkg::BeatKindPad) begin
      if (b_kind == edgecim_pkg::SegKindXq || b_kind == edgecim_pkg::SegKindXs) t_wr_valid_o = '1;
      else                                                                      t_wr_valid_o[tile_q] = 1'b1;
    end
    t_blk_valid_o = '0;
    if (blk_push) t_blk_valid_o[tile_q] = 1'b1;
  end

  assign t_blk_macro_o  = b_macro;
  assign t_blk_kb_o     = b_kb;
  assign t_blk_groups_o = GBits'((b_last_kb ? 32'(last_rows_q) : Rows) / 32);
  assign t_blk_rows_o   = b_last_kb ? last_rows_k_q : RowBits'(Rows);
  assign t_blk_swap_o   = !res_use_q;
  assign t_blk_first_o  = b_first_kb;
  assign t_blk_last_o   = b_last_kb;

  always_comb begin
    b_adv = 1'b0;
    ci_d  = ci_q;
    if (start) begin
      ci_d = '0;
    end else if (blk_push) begin
      b_adv = 1'b1;
      ci_d  = '0;
    end else if (beat_fire) begin
      ci_d = ci_q + 1'b1;
      if (seg_last_beat) begin
        b_adv = 1'b1;
        ci_d  = '0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tile_q <= '0;
      for (int unsigned t = 0; t < NTiles; t++) begin
        rot_q[t]  <= '0;
        resc_q[t] <= '0;
      end
    end else if (start) begin
      tile_q <= '0;
      for (int unsigned t = 0; t < NTiles; t++) begin
        rot_q[t]  <= '0;
        resc_q[t] <= '0;
      end
    end else if (blk_push) begin
      if (res_q) resc_q[tile_q] <= resc_q[tile_q] + 1'b1;
      else       rot_q[tile_q]  <= (32'(rot_q[tile_q]) == NMacros - 1) ? '0 : rot_q[tile_q] + 1'b1;
      if (b_last_kb) tile_q <= (32'(tile_q) == NTiles - 1) ? '0 : tile_q + 1'b1;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Writer: output block by output block, vector by vector
  // ---------------------------------------------------------------------------------------------
  logic              wact_q;            // a write request is open: its beats are being sent
  logic              wdata_q;           // the tile's data register holds the next beat
  logic [NbBits-1:0] wnb_q;
  logic [TileAw-1:0] wtile_q;
  logic [BBits-1:0]  wb_q;
  logic [BeatIdxW-1:0] wbeat_q;         // beat being sent
  logic [31:0]       wyb_off_q;         // wb * y_stride
  logic [31:0]       wy_off_q;          // wnb * YBlkBytes
  logic              w_last_nb, w_req_fire, w_beat_fire, w_last_beat, w_vec_done;
  logic [8:0]        w_beats;
  logic [9:0]        w_bytes;

  assign w_last_nb   = (wnb_q == last_nb_q);
  assign w_bytes     = w_last_nb ? (10'(last_cols_q) << 3) : 10'(YBlkBytes);
  assign w_beats     = 9'((32'(w_bytes) + DataBytes - 1) >> BeatShift);
  assign w_last_beat = (9'(wbeat_q) + 9'd1 == w_beats);

  assign wr_req_valid_o = run_q && !finish_q && !wact_q && t_out_ready_i[wtile_q];
  assign wr_req_addr_o  = y_addr_q + wyb_off_q + wy_off_q;
  assign wr_req_beats_o = w_beats;
  assign w_req_fire     = wr_req_valid_o && wr_req_ready_i;
  assign wr_valid_o     = wact_q && wdata_q;
  assign w_beat_fire    = wr_valid_o && wr_ready_i;
  assign w_vec_done     = w_beat_fire && w_last_beat;
  assign wr_data_o      = t_out_data_i[32'(wtile_q)*DW +: DW];
  assign t_out_b_o      = wb_q;

  always_comb begin
    // The last beat of a short block writes only the bytes of its outputs.
    logic [31:0] left;
    left = 32'(w_bytes) - (32'(wbeat_q) << BeatShift);
    for (int unsigned i = 0; i < DataBytes; i++) wr_strb_o[i] = (i < left);
  end

  // Reads of the tile's accumulators: the first beat when the request goes out, then the next one
  // whenever a beat is taken.
  always_comb begin
    t_out_rd_o  = '0;
    t_out_idx_o = '0;
    if (w_req_fire) begin
      t_out_rd_o[wtile_q] = 1'b1;
      t_out_idx_o = '0;
    end else if (w_beat_fire && !w_last_beat) begin
      t_out_rd_o[wtile_q] = 1'b1;
      t_out_idx_o = wbeat_q + 1'b1;
    end
    t_out_release_o = '0;
    if (w_vec_done && wb_q == last_b_q) t_out_release_o[wtile_q] = 1'b1;
  end

  assign done_o = run_q && finish_q && wr_idle_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q     <= 1'b0;
      finish_q  <= 1'b0;
      wact_q    <= 1'b0;
      wdata_q   <= 1'b0;
      wnb_q     <= '0;
      wtile_q   <= '0;
      wb_q      <= '0;
      wbeat_q   <= '0;
      wyb_off_q <= '0;
      wy_off_q  <= '0;
      a_off_q   <= '0;
      ci_q      <= '0;
    end else begin
      a_off_q <= a_off_d;
      ci_q    <= ci_d;
      if (start) begin
        run_q     <= 1'b1;
        finish_q  <= 1'b0;
        wnb_q     <= '0;
        wtile_q   <= '0;
        wb_q      <= '0;
        wyb_off_q <= '0;
        wy_off_q  <= '0;
      end else if (done_o) begin
        run_q <= 1'b0;
      end
      if (w_req_fire) begin
        wact_q  <= 1'b1;
        wdata_q <= 1'b1;
        wbeat_q <= '0;
      end else if (w_beat_fire) begin
        wbeat_q <= wbeat_q + 1'b1;
        if (w_last_beat) begin
          wact_q  <= 1'b0;
          wdata_q <= 1'b0;
          if (wb_q == last_b_q) begin
            wb_q      <= '0;
            wyb_off_q <= '0;
            wnb_q     <= wnb_q + 1'b1;
            wy_off_q  <= wy_off_q + YBlkBytes;
            wtile_q   <= (32'(wtile_q) == NTiles - 1) ? '0 : wtile_q + 1'b1;
            if (w_last_nb) finish_q <= 1'b1;
          end else begin
            wb_q      <= wb_q + 1'b1;
            wyb_off_q <= wyb_off_q + y_stride_q;
          end
        end
      end
    end
  end
endmodule
