// SPDX-License-Identifier: Apache-2.0
// EdgeCIM accelerator top: register file and command queue, command-list fetcher, tile sequencer,
// vector unit, DMA engine with the memory port, and NTiles CIM tiles (docs/ARCHITECTURE.md).
// One command runs at a time: a GEMV on the sequencer and tiles, a vector op on the vector unit;
// the running one owns the DMA, except that the list fetcher's reads go first.
module edgecim_top #(
  // Build parameters: defaults, legal values and meaning in hw/edgecim_hw.json (docs/HW_CONFIG.md).
  parameter int unsigned NTiles     = edgecim_pkg::NTilesDefault,
  parameter int unsigned NMacros    = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes       = edgecim_pkg::NResDefault,
  parameter int unsigned MaxWBits   = edgecim_pkg::MaxWBitsDefault,
  parameter int unsigned ABits      = edgecim_pkg::ABitsDefault,
  parameter int unsigned DataBytes  = edgecim_pkg::DataBytesDefault,
  parameter int unsigned MacroRows  = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols  = edgecim_pkg::MacroColsDefault,
  parameter int unsigned PpuCols    = edgecim_pkg::PpuColsDefault,
  parameter int unsigned ActBytes   = edgecim_pkg::ActBytesDefault,
  parameter int unsigned MaxBatch   = edgecim_pkg::MaxBatchDefault,
  parameter int unsigned FifoBeats  = edgecim_pkg::FifoBeatsDefault,
  parameter int unsigned MaxBurst   = edgecim_pkg::MaxBurstDefault,
  parameter int unsigned VecLanes   = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned QueueDepth = edgecim_pkg::QueueDepthDefault,
  parameter logic [31:0] MemBytes   = edgecim_pkg::MemBytesDefault,
  localparam int unsigned DW        = DataBytes * 8
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // MMIO (32-bit registers).
  input  logic                 mmio_valid_i,
  output logic                 mmio_ready_o,
  input  logic                 mmio_write_i,
  input  logic [7:0]           mmio_addr_i,
  input  logic [31:0]          mmio_wdata_i,
  output logic                 mmio_rvalid_o,
  output logic [31:0]          mmio_rdata_o,
  output logic                 irq_o,
  // Memory port.
  output logic                 mem_req_valid_o,
  input  logic                 mem_req_ready_i,
  output logic                 mem_req_we_o,
  output logic [31:0]          mem_req_addr_o,
  output logic [7:0]           mem_req_len_o,
  output logic                 mem_w_valid_o,
  input  logic                 mem_w_ready_i,
  output logic [DW-1:0]        mem_w_data_o,
  output logic [DataBytes-1:0] mem_w_strb_o,
  input  logic                 mem_r_valid_i,
  output logic                 mem_r_ready_o,
  input  logic [DW-1:0]        mem_r_data_i
);
  localparam int unsigned NM        = NMacros + NRes;
  localparam int unsigned MacroAw   = (NM > 1) ? $clog2(NM) : 1;
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1);
  localparam int unsigned BBits     = (MaxBatch > 1) ? $clog2(MaxBatch) : 1;
  localparam int unsigned KbBits    = (ActBytes / MacroRows > 1) ? $clog2(ActBytes / MacroRows) : 1;
  localparam int unsigned ActAw     = $clog2(ActBytes);
  localparam int unsigned XsAw      = $clog2(1 << $clog2(ActBytes / 16 + MaxBatch * DataBytes));
  localparam int unsigned NGroups   = MacroRows / edgecim_pkg::GroupRows;
  localparam int unsigned GBits     = $clog2(NGroups + 1);
  localparam int unsigned RowBits   = $clog2(MacroRows + 1);
  localparam int unsigned NWords    = NGroups * MacroCols * MaxWBits;
  localparam int unsigned MIdxBits  = (NWords > 1) ? $clog2(NWords) : 1;
  localparam int unsigned BeatIdxW  = (MacroCols * 8 / DataBytes > 1) ? $clog2(MacroCols * 8 / DataBytes) : 1;
  localparam int unsigned CntBits   = $clog2(FifoBeats + 1) + 1;

  edgecim_cfg_check #(
    .NTiles     (NTiles),
    .NMacros    (NMacros),
    .NRes       (NRes),
    .MaxWBits   (MaxWBits),
    .ABits      (ABits),
    .DataBytes  (DataBytes),
    .MacroRows  (MacroRows),
    .MacroCols  (MacroCols),
    .PpuCols    (PpuCols),
    .ActBytes   (ActBytes),
    .MaxBatch   (MaxBatch),
    .FifoBeats  (FifoBeats),
    .MaxBurst   (MaxBurst),
    .VecLanes   (VecLanes),
    .VecBankBytes (VecBankBytes),
    .QueueDepth (QueueDepth),
    .MemBytes   (MemBytes)
  ) u_cfg_check ();

  // Register file -> sequencer and vector unit; list fetcher.
  logic                    cmd_valid, seq_cmd_valid, seq_start, seq_done, seq_busy;
  logic                    vu_cmd_valid, vu_start, vu_done, vu_busy;
  edgecim_pkg::cmd_desc_t  cmd_desc;
  logic [NTiles-1:0]       t_busy;
  logic                    list_start, list_active, list_desc_valid, list_taken, list_refused;
  logic [31:0]             list_addr, list_count;
  logic [14*32-1:0]        list_desc;
  logic                    head_gemv;

  assign head_gemv     = cmd_valid && cmd_desc.op == edgecim_pkg::CmdOpGemv;
  assign seq_cmd_valid = head_gemv && !vu_busy;
  assign vu_cmd_valid  = cmd_valid && !head_gemv && !seq_busy;

  edgecim_regs #(
    .NTiles     (NTiles),
    .NMacros    (NMacros),
    .NRes       (NRes),
    .MaxWBits   (MaxWBits),
    .ABits      (ABits),
    .DataBytes  (DataBytes),
    .MacroRows  (MacroRows),
    .MacroCols  (MacroCols),
    .PpuCols    (PpuCols),
    .ActBytes   (ActBytes),
    .MaxBatch   (MaxBatch),
    .FifoBeats  (FifoBeats),
    .MaxBurst   (MaxBurst),
    .VecLanes   (VecLanes),
    .VecBankBytes (VecBankBytes),
    .QueueDepth (QueueDepth),
    .MemBytes   (MemBytes)
  ) u_regs (
    .clk_i             (clk_i),
    .rst_ni            (rst_ni),
    .mmio_valid_i      (mmio_valid_i),
    .mmio_ready_o      (mmio_ready_o),
    .mmio_write_i      (mmio_write_i),
    .mmio_addr_i       (mmio_addr_i),
    .mmio_wdata_i      (mmio_wdata_i),
    .mmio_rvalid_o     (mmio_rvalid_o),
    .mmio_rdata_o      (mmio_rdata_o),
    .irq_o             (irq_o),
    .cmd_valid_o       (cmd_valid),
    .cmd_ready_i       (seq_start || vu_start),
    .cmd_desc_o        (cmd_desc),
    .busy_i            (seq_busy || (|t_busy) || vu_busy),
    .done_i            (seq_done || vu_done),
    .list_start_o      (list_start),
    .list_addr_o       (list_addr),
    .list_count_o      (list_count),
    .list_active_i     (list_active),
    .list_desc_valid_i (list_desc_valid),
    .list_desc_i       (list_desc),
    .list_taken_o      (list_taken),
    .list_refused_o    (list_refused)
  );

  // The DMA's clients: the fetcher's read requests first, then the running command's (the
  // vector unit's while it runs, else the sequencer's); the fetcher's beats are its own.
  logic                 rd_req_valid, rd_req_ready, rd_valid, rd_pop;
  logic [31:0]          rd_req_addr;
  logic [BurstBits-1:0] rd_req_beats;
  logic [DW-1:0]        rd_data;
  logic                 wr_req_valid, wr_req_ready, wr_valid, wr_ready, wr_idle;
  logic [31:0]          wr_req_addr;
  logic [8:0]           wr_req_beats;
  logic [DW-1:0]        wr_data;
  logic [DataBytes-1:0] wr_strb;
  logic [CntBits-1:0]   inflight;
  logic                 data_rd_req_ready, data_rd_valid, data_pop, list_owns;
  logic                 s_rd_req_valid, s_rd_pop, s_wr_req_valid, s_wr_valid;
  logic [31:0]          s_rd_req_addr, s_wr_req_addr;
  logic [BurstBits-1:0] s_rd_req_beats;
  logic [8:0]           s_wr_req_beats;
  logic [DW-1:0]        s_wr_data;
  logic [DataBytes-1:0] s_wr_strb;
  logic                 v_rd_req_valid, v_rd_pop, v_wr_req_valid, v_wr_valid;
  logic [31:0]          v_rd_req_addr, v_wr_req_addr;
  logic [BurstBits-1:0] v_rd_req_beats;
  logic [8:0]           v_wr_req_beats;
  logic [DW-1:0]        v_wr_data;
  logic [DataBytes-1:0] v_wr_strb;
  logic                 l_rd_req_valid, l_rd_pop;
  logic [31:0]          l_rd_req_addr;
  logic [BurstBits-1:0] l_rd_req_beats;

  assign rd_req_valid      = l_rd_req_valid || (vu_busy ? v_rd_req_valid : s_rd_req_valid);
  assign rd_req_addr       = l_rd_req_valid ? l_rd_req_addr : (vu_busy ? v_rd_req_addr : s_rd_req_addr);
  assign rd_req_beats      = l_rd_req_valid ? l_rd_req_beats : (vu_busy ? v_rd_req_beats : s_rd_req_beats);
  assign data_rd_req_ready = rd_req_ready && !l_rd_req_valid;
  assign data_rd_valid     = rd_valid && !list_owns;
  assign data_pop          = vu_busy ? v_rd_pop : s_rd_pop;
  assign rd_pop            = data_pop || l_rd_pop;
  assign wr_req_valid      = vu_busy ? v_wr_req_valid : s_wr_req_valid;
  assign wr_req_addr       = vu_busy ? v_wr_req_addr : s_wr_req_addr;
  assign wr_req_beats      = vu_busy ? v_wr_req_beats : s_wr_req_beats;
  assign wr_valid          = vu_busy ? v_wr_valid : s_wr_valid;
  assign wr_data           = vu_busy ? v_wr_data : s_wr_data;
  assign wr_strb           = vu_busy ? v_wr_strb : s_wr_strb;

  edgecim_list #(
    .DataBytes (DataBytes),
    .FifoBeats (FifoBeats),
    .MaxBurst  (MaxBurst)
  ) u_list (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .start_i        (list_start),
    .start_addr_i   (list_addr),
    .start_count_i  (list_count),
    .desc_taken_i   (list_taken),
    .desc_refused_i (list_refused),
    .active_o       (list_active),
    .desc_valid_o   (list_desc_valid),
    .desc_o         (list_desc),
    .rd_req_valid_o (l_rd_req_valid),
    .rd_req_ready_i (rd_req_ready),
    .rd_req_addr_o  (l_rd_req_addr),
    .rd_req_beats_o (l_rd_req_beats),
    .fifo_valid_i   (rd_valid),
    .rd_data_i      (rd_data),
    .rd_pop_o       (l_rd_pop),
    .owns_head_o    (list_owns),
    .inflight_i     (inflight),
    .data_pop_i     (data_pop)
  );

  edgecim_vu #(
    .DataBytes    (DataBytes),
    .VecLanes     (VecLanes),
    .VecBankBytes (VecBankBytes),
    .MaxBurst     (MaxBurst),
    .MacroRows    (MacroRows),
    .MacroCols    (MacroCols)
  ) u_vu (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cmd_valid_i    (vu_cmd_valid),
    .cmd_i          (cmd_desc),
    .start_o        (vu_start),
    .done_o         (vu_done),
    .busy_o         (vu_busy),
    .rd_req_valid_o (v_rd_req_valid),
    .rd_req_ready_i (data_rd_req_ready),
    .rd_req_addr_o  (v_rd_req_addr),
    .rd_req_beats_o (v_rd_req_beats),
    .rd_valid_i     (data_rd_valid),
    .rd_pop_o       (v_rd_pop),
    .rd_data_i      (rd_data),
    .wr_req_valid_o (v_wr_req_valid),
    .wr_req_ready_i (wr_req_ready),
    .wr_req_addr_o  (v_wr_req_addr),
    .wr_req_beats_o (v_wr_req_beats),
    .wr_valid_o     (v_wr_valid),
    .wr_ready_i     (wr_ready),
    .wr_data_o      (v_wr_data),
    .wr_strb_o      (v_wr_strb),
    .wr_idle_i      (wr_idle)
  );

  // Sequencer <-> tiles.
  logic                     seq_cmd_ready;
  assign seq_start = seq_cmd_valid && seq_cmd_ready;
  logic                     t_start, t_accum, t_bias;
  logic [1:0]               t_prec;
  logic [BBits-1:0]         t_last_b;
  logic [ActAw:0]           t_kpad;
  logic [XsAw:0]            t_xs_stride;
  logic [NTiles-1:0]        t_wr_valid, t_wr_ready, t_blk_valid, t_blk_ready, t_init_ok;
  logic [NTiles-1:0]        t_out_ready, t_out_rd, t_out_release;
  edgecim_pkg::beat_kind_e  t_wr_kind;
  logic [MacroAw-1:0]       t_wr_macro, t_blk_macro;
  logic [BBits-1:0]         t_wr_b, t_out_b;
  logic [BeatIdxW-1:0]      t_wr_yidx, t_out_idx;
  logic [ActAw-1:0]         t_wr_addr;
  logic [MIdxBits-1:0]      t_wr_midx;
  logic [DW-1:0]            t_wr_data;
  logic [KbBits-1:0]        t_blk_kb;
  logic [GBits-1:0]         t_blk_groups;
  logic [RowBits-1:0]       t_blk_rows;
  logic                     t_blk_swap, t_blk_first, t_blk_last;
  logic [NTiles*NM-1:0]     t_pend;
  logic [NTiles*DW-1:0]     t_out_data;

  tile_sequencer #(
    .NTiles    (NTiles),
    .NMacros   (NMacros),
    .NRes      (NRes),
    .MaxWBits  (MaxWBits),
    .DataBytes (DataBytes),
    .Rows      (MacroRows),
    .Cols      (MacroCols),
    .ActBytes (ActBytes),
    .MaxBatch (MaxBatch),
    .MaxBurst (MaxBurst)
  ) u_seq (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .cmd_valid_i     (seq_cmd_valid),
    .cmd_ready_o     (seq_cmd_ready),
    .cmd_i           (cmd_desc),
    .done_o          (seq_done),
    .busy_o          (seq_busy),
    .rd_req_valid_o  (s_rd_req_valid),
    .rd_req_ready_i  (data_rd_req_ready),
    .rd_req_addr_o   (s_rd_req_addr),
    .rd_req_beats_o  (s_rd_req_beats),
    .rd_valid_i      (data_rd_valid),
    .rd_pop_o        (s_rd_pop),
    .rd_data_i       (rd_data),
    .wr_req_valid_o  (s_wr_req_valid),
    .wr_req_ready_i  (wr_req_ready),
    .wr_req_addr_o   (s_wr_req_addr),
    .wr_req_beats_o  (s_wr_req_beats),
    .wr_valid_o      (s_wr_valid),
    .wr_ready_i      (wr_ready),
    .wr_data_o       (s_wr_data),
    .wr_strb_o       (s_wr_strb),
    .wr_idle_i       (wr_idle),
    .t_start_o       (t_start),
    .t_accum_o       (t_accum),
    .t_bias_o        (t_bias),
    .t_prec_o        (t_prec),
    .t_last_b_o      (t_last_b),
    .t_kpad_o        (t_kpad),
    .t_xs_stride_o   (t_xs_stride),
    .t_wr_valid_o    (t_wr_valid),
    .t_wr_ready_i    (t_wr_ready),
    .t_wr_kind_o     (t_wr_kind),
    .t_wr_macro_o    (t_wr_macro),
    .t_wr_b_o        (t_wr_b),
    .t_wr_yidx_o     (t_wr_yidx),
    .t_wr_addr_o     (t_wr_addr),
    .t_wr_midx_o     (t_wr_midx),
    .t_wr_data_o     (t_wr_data),
    .t_blk_valid_o   (t_blk_valid),
    .t_blk_ready_i   (t_blk_ready),
    .t_blk_macro_o   (t_blk_macro),
    .t_blk_kb_o      (t_blk_kb),
    .t_blk_groups_o  (t_blk_groups),
    .t_blk_rows_o    (t_blk_rows),
    .t_blk_swap_o    (t_blk_swap),
    .t_blk_first_o   (t_blk_first),
    .t_blk_last_o    (t_blk_last),
    .t_pend_i        (t_pend),
    .t_init_ok_i     (t_init_ok),
    .t_out_ready_i   (t_out_ready),
    .t_out_rd_o      (t_out_rd),
    .t_out_b_o       (t_out_b),
    .t_out_idx_o     (t_out_idx),
    .t_out_data_i    (t_out_data),
    .t_out_release_o (t_out_release)
  );

  edgecim_dma #(
    .DataBytes (DataBytes),
    .FifoBeats (FifoBeats),
    .MaxBurst  (MaxBurst)
  ) u_dma (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .rd_req_valid_i  (rd_req_valid),
    .rd_req_ready_o  (rd_req_ready),
    .rd_req_addr_i   (rd_req_addr),
    .rd_req_beats_i  (rd_req_beats),
    .rd_valid_o      (rd_valid),
    .rd_pop_i        (rd_pop),
    .rd_data_o       (rd_data),
    .wr_req_valid_i  (wr_req_valid),
    .wr_req_ready_o  (wr_req_ready),
    .wr_req_addr_i   (wr_req_addr),
    .wr_req_beats_i  (wr_req_beats),
    .wr_valid_i      (wr_valid),
    .wr_ready_o      (wr_ready),
    .wr_data_i       (wr_data),
    .wr_strb_i       (wr_strb),
    .wr_idle_o       (wr_idle),
    .inflight_o      (inflight),
    .mem_req_valid_o (mem_req_valid_o),
    .mem_req_ready_i (mem_req_ready_i),
    .mem_req_we_o    (mem_req_we_o),
    .mem_req_addr_o  (mem_req_addr_o),
    .mem_req_len_o   (mem_req_len_o),
    .mem_w_valid_o   (mem_w_valid_o),
    .mem_w_ready_i   (mem_w_ready_i),
    .mem_w_data_o    (mem_w_data_o),
    .mem_w_strb_o    (mem_w_strb_o),
    .mem_r_valid_i   (mem_r_valid_i),
    .mem_r_ready_o   (mem_r_ready_o),
    .mem_r_data_i    (mem_r_data_i)
  );

  for (genvar t = 0; t < NTiles; t++) begin : g_tile
    cim_tile #(
      .NMacros (NMacros),
      .NRes    (NRes),
      .Rows      (MacroRows),
      .Cols      (MacroCols),
      .MaxWBits  (MaxWBits),
      .ABits     (ABits),
      .DataBytes (DataBytes),
      .PpuCols   (PpuCols),
      .ActBytes  (ActBytes),
      .MaxBatch  (MaxBatch)
    ) u_tile (
      .clk_i         (clk_i),
      .rst_ni        (rst_ni),
      .start_i       (t_start),
      .accum_i       (t_accum),
      .bias_i        (t_bias),
      .prec_i        (t_prec),
      .last_b_i      (t_last_b),
      .kpad_i        (t_kpad),
      .xs_stride_i   (t_xs_stride),
      .wr_valid_i    (t_wr_valid[t]),
      .wr_ready_o    (t_wr_ready[t]),
      .wr_kind_i     (t_wr_kind),
      .wr_macro_i    (t_wr_macro),
      .wr_b_i        (t_wr_b),
      .wr_yidx_i     (t_wr_yidx),
      .wr_addr_i     (t_wr_addr),
      .wr_midx_i     (t_wr_midx),
      .wr_data_i     (t_wr_data),
      .blk_valid_i   (t_blk_valid[t]),
      .blk_ready_o   (t_blk_ready[t]),
      .blk_macro_i   (t_blk_macro),
      .blk_kb_i      (t_blk_kb),
      .blk_groups_i  (t_blk_groups),
      .blk_rows_i    (t_blk_rows),
      .blk_swap_i    (t_blk_swap),
      .blk_first_i   (t_blk_first),
      .blk_last_i    (t_blk_last),
      .pend_o        (t_pend[t*NM +: NM]),
      .init_ok_o     (t_init_ok[t]),
      .busy_o        (t_busy[t]),
      .out_ready_o   (t_out_ready[t]),
      .out_rd_i      (t_out_rd[t]),
      .out_b_i       (t_out_b),
      .out_idx_i     (t_out_idx),
      .out_data_o    (t_out_data[t*DW +: DW]),
      .out_release_i (t_out_release[t])
    );
  end
endmodule
