// Tile sequencer: runs one GEMV command y[N] = W[N x K] x[K] (+ bias, + old y) at a time.
//
// Three engines work concurrently on the same command:
// - the read requester walks the read stream (edgecim_seg_walker) and issues DMA bursts as far
//   ahead as the DMA's credits allow, so DRAM latency is hidden and the port stays busy;
// - the router walks the same stream on the data side and sends every 16-byte chunk to its
//   place: activations to all tiles, old y / bias to the init buffer of the output block's tile,
//   weight rows and scales into the shadow bank of the block's macro; after a weight block it
//   pushes the block entry to the tile. Output block nb belongs to tile nb mod NTiles; a tile
//   rotates its blocks over its NMacros streaming macros (or, with RES_LOAD/RES_USE, places
//   block j in resident macro NMacros + RES_BASE + j). A block is loaded into a macro only when
//   the macro's previous block has started (its bank swapped in), so compute never waits for a
//   half-written bank and loading never waits for compute unless compute is the bottleneck;
// - the writer writes each output block's y, in order, as the tiles finish them.
// The command is done when the last y write has left the DMA.
module tile_sequencer #(
  parameter int unsigned NTiles   = edgecim_pkg::NTilesDefault,
  parameter int unsigned NMacros  = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes     = edgecim_pkg::NResDefault,
  parameter int unsigned MaxK     = edgecim_pkg::MaxKDefault,
  parameter int unsigned MaxBurst = edgecim_pkg::MaxBurstDefault,
  localparam int unsigned NM       = NMacros + NRes,
  localparam int unsigned MacroAw  = (NM > 1) ? $clog2(NM) : 1,
  localparam int unsigned TileAw   = (NTiles > 1) ? $clog2(NTiles) : 1,
  localparam int unsigned KbBits   = (MaxK / 128 > 1) ? $clog2(MaxK / 128) : 1,
  localparam int unsigned NbBits   = 19,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Commands (already checked by the register file).
  input  logic                     cmd_valid_i,
  output logic                     cmd_ready_o,
  input  logic [31:0]              cmd_w_addr_i, cmd_x_addr_i, cmd_y_addr_i, cmd_b_addr_i,
  input  logic [15:0]              cmd_k_i,
  input  logic [23:0]              cmd_n_i,
  input  logic [15:0]              cmd_flags_i,
  output logic                     done_o,
  output logic                     busy_o,
  // DMA.
  output logic                     rd_req_valid_o,
  input  logic                     rd_req_ready_i,
  output logic [31:0]              rd_req_addr_o,
  output logic [BurstBits-1:0]     rd_req_chunks_o,
  input  logic                     rd_valid_i,
  output logic                     rd_ready_o,
  input  logic [127:0]             rd_data_i,
  output logic                     wr_req_valid_o,
  input  logic                     wr_req_ready_i,
  output logic [31:0]              wr_req_addr_o,
  output logic [8:0]               wr_req_bytes_o,
  output logic                     wr_valid_o,
  input  logic                     wr_ready_i,
  output logic [127:0]             wr_data_o,
  input  logic                     wr_idle_i,
  // Tiles (shared fields, per-tile valids).
  output logic [NTiles-1:0]        t_wr_valid_o,
  input  logic [NTiles-1:0]        t_wr_ready_i,
  output edgecim_pkg::chunk_kind_e t_wr_kind_o,
  output logic [MacroAw-1:0]       t_wr_macro_o,
  output logic [15:0]              t_wr_idx_o,
  output logic [127:0]             t_wr_data_o,
  output logic [NTiles-1:0]        t_blk_valid_o,
  input  logic [NTiles-1:0]        t_blk_ready_i,
  output logic [MacroAw-1:0]       t_blk_macro_o,
  output logic [KbBits-1:0]        t_blk_kb_o,
  output logic [2:0]               t_blk_groups_o,
  output logic [7:0]               t_blk_rows_o,
  output logic                     t_blk_swap_o, t_blk_first_o, t_blk_last_o, t_blk_init_o,
  input  logic [NTiles*NM-1:0]     t_pend_i,
  input  logic [NTiles-1:0]        t_init_full_i,
  input  logic [NTiles-1:0]        t_out_full_i,
  output logic [3:0]               t_out_idx_o,
  input  logic [NTiles*128-1:0]    t_out_chunk_i,
  output logic [NTiles-1:0]        t_out_pop_o
);
  localparam int unsigned FlagBias    = edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB;
  localparam int unsigned FlagAccum   = edgecim_reg_pkg::CMD_FLAGS_ACCUM_LSB;
  localparam int unsigned FlagResLoad = edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB;
  localparam int unsigned FlagResUse  = edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB;
  localparam int unsigned FlagResBase = edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB;

  // ---------------------------------------------------------------------------------------------
  // Command
  // ---------------------------------------------------------------------------------------------
  logic              run_q, finish_q, start;
  logic [31:0]       w_addr_q, x_addr_q, y_addr_q, b_addr_q;
  logic [15:0]       k_q, kp_q;
  logic [23:0]       n_q;
  logic [KbBits:0]   kbn_q;
  logic [NbBits-1:0] nbn_q;
  logic              bias_q, accum_q, res_q, res_use_q;
  logic [7:0]        res_base_q;

  assign cmd_ready_o = !run_q;
  assign start       = cmd_valid_i && cmd_ready_o;
  assign busy_o      = run_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_addr_q <= '0; x_addr_q <= '0; y_addr_q <= '0; b_addr_q <= '0;
      k_q <= '0; kp_q <= '0; n_q <= '0; kbn_q <= '0; nbn_q <= '0;
      bias_q <= 1'b0; accum_q <= 1'b0; res_q <= 1'b0; res_use_q <= 1'b0; res_base_q <= '0;
    end else if (start) begin
      w_addr_q   <= cmd_w_addr_i;
      x_addr_q   <= cmd_x_addr_i;
      y_addr_q   <= cmd_y_addr_i;
      b_addr_q   <= cmd_b_addr_i;
      k_q        <= cmd_k_i;
      kp_q       <= 16'(edgecim_pkg::kp(48'(cmd_k_i)));
      n_q        <= cmd_n_i;
      kbn_q      <= (KbBits+1)'(edgecim_pkg::n_kb(48'(cmd_k_i)));
      nbn_q      <= NbBits'(edgecim_pkg::n_nb(48'(cmd_n_i)));
      bias_q     <= cmd_flags_i[FlagBias];
      accum_q    <= cmd_flags_i[FlagAccum];
      res_q      <= cmd_flags_i[FlagResLoad] || cmd_flags_i[FlagResUse];
      res_use_q  <= cmd_flags_i[FlagResUse];
      res_base_q <= cmd_flags_i[FlagResBase +: 8];
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Read requester (walker A)
  // ---------------------------------------------------------------------------------------------
  logic              a_active, a_first, a_last, a_adv;
  edgecim_pkg::seg_kind_e a_kind;
  logic [31:0]       a_addr;
  logic [15:0]       a_len, a_off_q, a_off_d, a_left;
  logic [NbBits-1:0] a_nb;
  logic [KbBits-1:0] a_kb;
  logic [7:0]        a_rows, a_krows;

  edgecim_seg_walker #(.KbBits(KbBits), .NbBits(NbBits)) u_walk_req (
    .clk_i, .rst_ni, .start_i(start), .advance_i(a_adv),
    .w_addr_i(w_addr_q), .x_addr_i(x_addr_q), .y_addr_i(y_addr_q), .b_addr_i(b_addr_q),
    .k_i(k_q), .kp_i(kp_q), .kbn_i(kbn_q), .nbn_i(nbn_q), .n_i(n_q),
    .accum_i(accum_q), .bias_i(bias_q), .res_use_i(res_use_q),
    .active_o(a_active), .kind_o(a_kind), .addr_o(a_addr), .len_o(a_len), .nb_o(a_nb),
    .kb_o(a_kb), .rows_o(a_rows), .krows_o(a_krows), .first_kb_o(a_first), .last_kb_o(a_last)
  );

  assign a_left          = a_len - a_off_q;
  assign rd_req_chunks_o = (a_left > 16'(MaxBurst)) ? BurstBits'(MaxBurst) : BurstBits'(a_left);
  assign rd_req_addr_o   = a_addr + 32'({a_off_q, 4'd0});
  assign rd_req_valid_o  = run_q && a_active && (a_len != '0);

  always_comb begin
    a_adv   = 1'b0;
    a_off_d = a_off_q;
    if (start) begin
      a_off_d = '0;
    end else if (run_q && a_active) begin
      if (a_len == '0) begin
        a_adv = 1'b1;
      end else if (rd_req_ready_i) begin
        a_off_d = a_off_q + 16'(rd_req_chunks_o);
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
  logic              b_active, b_first, b_last, b_adv;
  edgecim_pkg::seg_kind_e b_kind;
  logic [31:0]       b_addr;
  logic [15:0]       b_len, ci_q, ci_d;
  logic [NbBits-1:0] b_nb;
  logic [KbBits-1:0] b_kb;
  logic [7:0]        b_rows, b_krows;
  logic [TileAw-1:0] b_tile;
  logic [MacroAw-1:0] b_macro;
  logic [MacroAw-1:0] rot_q [NTiles];
  logic [MacroAw-1:0] resc_q [NTiles];
  logic              route_ok, chunk_fire, blk_push;

  edgecim_seg_walker #(.KbBits(KbBits), .NbBits(NbBits)) u_walk_route (
    .clk_i, .rst_ni, .start_i(start), .advance_i(b_adv),
    .w_addr_i(w_addr_q), .x_addr_i(x_addr_q), .y_addr_i(y_addr_q), .b_addr_i(b_addr_q),
    .k_i(k_q), .kp_i(kp_q), .kbn_i(kbn_q), .nbn_i(nbn_q), .n_i(n_q),
    .accum_i(accum_q), .bias_i(bias_q), .res_use_i(res_use_q),
    .active_o(b_active), .kind_o(b_kind), .addr_o(b_addr), .len_o(b_len), .nb_o(b_nb),
    .kb_o(b_kb), .rows_o(b_rows), .krows_o(b_krows), .first_kb_o(b_first), .last_kb_o(b_last)
  );

  // Output block nb belongs to tile nb mod NTiles (NTiles is 1, 2 or 4).
  assign b_tile  = (NTiles > 1) ? TileAw'(b_nb) : '0;
  assign b_macro = res_q ? MacroAw'(32'(NMacros) + 32'(res_base_q) + 32'(resc_q[b_tile]))
                         : rot_q[b_tile];

  always_comb begin
    route_ok = 1'b0;
    t_wr_kind_o = edgecim_pkg::ChunkKindXq;
    t_wr_idx_o  = ci_q;
    unique case (b_kind)
      edgecim_pkg::SegKindXq: begin t_wr_kind_o = edgecim_pkg::ChunkKindXq; route_ok = 1'b1; end
      edgecim_pkg::SegKindXs: begin t_wr_kind_o = edgecim_pkg::ChunkKindXs; route_ok = 1'b1; end
      edgecim_pkg::SegKindYi: begin t_wr_kind_o = edgecim_pkg::ChunkKindInitSet; route_ok = !t_init_full_i[b_tile]; end
      edgecim_pkg::SegKindBi: begin
        t_wr_kind_o = accum_q ? edgecim_pkg::ChunkKindInitAdd : edgecim_pkg::ChunkKindInitSet;
        route_ok    = !t_init_full_i[b_tile];
      end
      edgecim_pkg::SegKindW: begin
        if (ci_q < 16'(b_rows)) begin
          t_wr_kind_o = edgecim_pkg::ChunkKindWrow;
        end else begin
          t_wr_kind_o = edgecim_pkg::ChunkKindWscale;
          t_wr_idx_o  = ci_q - 16'(b_rows);
        end
        route_ok = !t_pend_i[32'(b_tile)*NM + 32'(b_macro)] && t_wr_ready_i[b_tile];
      end
      default: ;
    endcase
  end

  assign t_wr_macro_o = b_macro;
  assign t_wr_data_o  = rd_data_i;
  assign chunk_fire   = run_q && b_active && (ci_q != b_len) && rd_valid_i && route_ok;
  assign rd_ready_o   = chunk_fire;
  assign blk_push     = run_q && b_active && (b_kind == edgecim_pkg::SegKindW) && (ci_q == b_len) &&
                        t_blk_ready_i[b_tile];

  always_comb begin
    t_wr_valid_o = '0;
    if (chunk_fire) begin
      if (b_kind == edgecim_pkg::SegKindXq || b_kind == edgecim_pkg::SegKindXs) t_wr_valid_o = '1;
      else                                    t_wr_valid_o[b_tile] = 1'b1;
    end
    t_blk_valid_o = '0;
    if (run_q && b_active && (b_kind == edgecim_pkg::SegKindW) && (ci_q == b_len)) t_blk_valid_o[b_tile] = 1'b1;
  end

  assign t_blk_macro_o  = b_macro;
  assign t_blk_kb_o     = b_kb;
  assign t_blk_groups_o = 3'(b_rows >> 5);
  assign t_blk_rows_o   = b_krows;
  assign t_blk_swap_o   = !res_use_q;
  assign t_blk_first_o  = b_first;
  assign t_blk_last_o   = b_last;
  assign t_blk_init_o   = bias_q || accum_q;

  always_comb begin
    b_adv = 1'b0;
    ci_d  = ci_q;
    if (start) begin
      ci_d = '0;
    end else if (blk_push) begin
      b_adv = 1'b1;
      ci_d  = '0;
    end else if (chunk_fire) begin
      ci_d = ci_q + 1'b1;
      if (b_kind != edgecim_pkg::SegKindW && ci_d == b_len) begin
        b_adv = 1'b1;
        ci_d  = '0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned t = 0; t < NTiles; t++) begin
        rot_q[t]  <= '0;
        resc_q[t] <= '0;
      end
    end else if (start) begin
      for (int unsigned t = 0; t < NTiles; t++) begin
        rot_q[t]  <= '0;
        resc_q[t] <= '0;
      end
    end else if (blk_push) begin
      if (res_q) resc_q[b_tile] <= resc_q[b_tile] + 1'b1;
      else       rot_q[b_tile]  <= (32'(rot_q[b_tile]) == NMacros - 1) ? '0 : rot_q[b_tile] + 1'b1;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Writer
  // ---------------------------------------------------------------------------------------------
  logic              w_data_q;
  logic [NbBits-1:0] wnb_q;
  logic [3:0]        wci_q;
  logic [TileAw-1:0] w_tile;
  logic [23:0]       w_nrem;
  logic [5:0]        w_cnt;
  logic [3:0]        w_last_ci;
  logic              w_done_all;

  assign w_tile    = (NTiles > 1) ? TileAw'(wnb_q) : '0;
  assign w_nrem    = n_q - {wnb_q, 5'd0};
  assign w_cnt     = (w_nrem > 24'd32) ? 6'd32 : w_nrem[5:0];
  assign w_last_ci = 4'((w_cnt + 6'd1 >> 1) - 6'd1);
  assign w_done_all = (wnb_q == nbn_q);

  assign wr_req_valid_o = run_q && !finish_q && !w_data_q && !w_done_all && t_out_full_i[w_tile];
  assign wr_req_addr_o  = y_addr_q + 32'({wnb_q, 8'd0});
  assign wr_req_bytes_o = {w_cnt, 3'd0};
  assign wr_valid_o     = w_data_q;
  assign t_out_idx_o    = wci_q;
  assign wr_data_o      = t_out_chunk_i[32'(w_tile)*128 +: 128];

  always_comb begin
    t_out_pop_o = '0;
    if (w_data_q && wr_ready_i && wci_q == w_last_ci) t_out_pop_o[w_tile] = 1'b1;
  end

  assign done_o = run_q && finish_q && wr_idle_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q    <= 1'b0;
      finish_q <= 1'b0;
      w_data_q <= 1'b0;
      wnb_q    <= '0;
      wci_q    <= '0;
      a_off_q  <= '0;
      ci_q     <= '0;
    end else begin
      a_off_q <= a_off_d;
      ci_q    <= ci_d;
      if (start) begin
        run_q    <= 1'b1;
        finish_q <= 1'b0;
        wnb_q    <= '0;
        wci_q    <= '0;
      end else if (done_o) begin
        run_q <= 1'b0;
      end
      if (wr_req_valid_o && wr_req_ready_i) begin
        w_data_q <= 1'b1;
        wci_q    <= '0;
      end else if (w_data_q && wr_ready_i) begin
        wci_q <= wci_q + 1'b1;
        if (wci_q == w_last_ci) begin
          w_data_q <= 1'b0;
          wnb_q    <= wnb_q + 1'b1;
          if (wnb_q + 1'b1 == nbn_q) finish_q <= 1'b1;
        end
      end
    end
  end
endmodule
