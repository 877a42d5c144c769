// EdgeCIM accelerator top: register file and command queue, tile sequencer, DMA engine with
// the memory port, and NTiles CIM tiles (docs/ARCHITECTURE.md).
module edgecim_top #(
  // Build parameters: defaults, legal values and meaning in hw/edgecim_hw.json (docs/HW_CONFIG.md).
  parameter int unsigned NTiles     = edgecim_pkg::NTilesDefault,
  parameter int unsigned NMacros    = edgecim_pkg::NMacrosDefault,
  parameter int unsigned NRes       = edgecim_pkg::NResDefault,
  parameter int unsigned MaxK       = edgecim_pkg::MaxKDefault,
  parameter int unsigned ABits      = edgecim_pkg::ABitsDefault,
  parameter int unsigned DataBytes  = edgecim_pkg::DataBytesDefault,
  parameter int unsigned FifoChunks = edgecim_pkg::FifoChunksDefault,
  parameter int unsigned MaxBurst   = edgecim_pkg::MaxBurstDefault,
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
  localparam int unsigned KbBits    = (MaxK / 128 > 1) ? $clog2(MaxK / 128) : 1;
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1);

  edgecim_cfg_check #(
    .NTiles     (NTiles),
    .NMacros    (NMacros),
    .NRes       (NRes),
    .MaxK       (MaxK),
    .ABits      (ABits),
    .DataBytes  (DataBytes),
    .FifoChunks (FifoChunks),
    .MaxBurst   (MaxBurst),
    .QueueDepth (QueueDepth),
    .MemBytes   (MemBytes)
  ) u_cfg_check ();

  // Register file -> sequencer.
  logic                cmd_valid, cmd_ready, seq_done, seq_busy;
  edgecim_pkg::gemv_desc_t cmd_desc;

  edgecim_regs #(
    .NTiles     (NTiles),
    .NMacros    (NMacros),
    .NRes       (NRes),
    .MaxK       (MaxK),
    .DataBytes  (DataBytes),
    .ABits      (ABits),
    .QueueDepth (QueueDepth),
    .MemBytes   (MemBytes)
  ) u_regs (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .mmio_valid_i  (mmio_valid_i),
    .mmio_ready_o  (mmio_ready_o),
    .mmio_write_i  (mmio_write_i),
    .mmio_addr_i   (mmio_addr_i),
    .mmio_wdata_i  (mmio_wdata_i),
    .mmio_rvalid_o (mmio_rvalid_o),
    .mmio_rdata_o  (mmio_rdata_o),
    .irq_o         (irq_o),
    .cmd_valid_o   (cmd_valid),
    .cmd_ready_i   (cmd_ready),
    .cmd_desc_o    (cmd_desc),
    .seq_busy_i    (seq_busy || (|t_busy)),
    .seq_done_i    (seq_done)
  );

  // Sequencer <-> DMA.
  logic                 rd_req_valid, rd_req_ready, rd_valid, rd_ready;
  logic [31:0]          rd_req_addr;
  logic [BurstBits-1:0] rd_req_chunks;
  logic [127:0]         rd_data;
  logic                 wr_req_valid, wr_req_ready, wr_valid, wr_ready, wr_idle;
  logic [31:0]          wr_req_addr;
  logic [8:0]           wr_req_bytes;
  logic [127:0]         wr_data;

  // Sequencer <-> tiles.
  logic [NTiles-1:0]     t_wr_valid, t_wr_ready, t_blk_valid, t_blk_ready;
  logic [NTiles-1:0]     t_init_full, t_out_full, t_out_pop, t_busy;
  edgecim_pkg::chunk_kind_e t_wr_kind;
  logic [2:0]            t_blk_groups;
  logic [MacroAw-1:0]    t_wr_macro, t_blk_macro;
  logic [15:0]           t_wr_idx;
  logic [127:0]          t_wr_data;
  logic [KbBits-1:0]     t_blk_kb;
  logic [7:0]            t_blk_rows;
  logic                  t_blk_swap, t_blk_first, t_blk_last, t_blk_init;
  logic [NTiles*NM-1:0]  t_pend;
  logic [3:0]            t_out_idx;
  logic [NTiles*128-1:0] t_out_chunk;

  tile_sequencer #(
    .NTiles   (NTiles),
    .NMacros  (NMacros),
    .NRes     (NRes),
    .MaxK     (MaxK),
    .MaxBurst (MaxBurst)
  ) u_seq (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .cmd_valid_i     (cmd_valid),
    .cmd_ready_o     (cmd_ready),
    .cmd_w_addr_i    (cmd_desc.w_addr),
    .cmd_x_addr_i    (cmd_desc.x_addr),
    .cmd_y_addr_i    (cmd_desc.y_addr),
    .cmd_b_addr_i    (cmd_desc.b_addr),
    .cmd_k_i         (cmd_desc.k),
    .cmd_n_i         (cmd_desc.n),
    .cmd_flags_i     (cmd_desc.flags),
    .done_o          (seq_done),
    .busy_o          (seq_busy),
    .rd_req_valid_o  (rd_req_valid),
    .rd_req_ready_i  (rd_req_ready),
    .rd_req_addr_o   (rd_req_addr),
    .rd_req_chunks_o (rd_req_chunks),
    .rd_valid_i      (rd_valid),
    .rd_ready_o      (rd_ready),
    .rd_data_i       (rd_data),
    .wr_req_valid_o  (wr_req_valid),
    .wr_req_ready_i  (wr_req_ready),
    .wr_req_addr_o   (wr_req_addr),
    .wr_req_bytes_o  (wr_req_bytes),
    .wr_valid_o      (wr_valid),
    .wr_ready_i      (wr_ready),
    .wr_data_o       (wr_data),
    .wr_idle_i       (wr_idle),
    .t_wr_valid_o    (t_wr_valid),
    .t_wr_ready_i    (t_wr_ready),
    .t_wr_kind_o     (t_wr_kind),
    .t_wr_macro_o    (t_wr_macro),
    .t_wr_idx_o      (t_wr_idx),
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
    .t_blk_init_o    (t_blk_init),
    .t_pend_i        (t_pend),
    .t_init_full_i   (t_init_full),
    .t_out_full_i    (t_out_full),
    .t_out_idx_o     (t_out_idx),
    .t_out_chunk_i   (t_out_chunk),
    .t_out_pop_o     (t_out_pop)
  );

  edgecim_dma #(
    .DataBytes  (DataBytes),
    .FifoChunks (FifoChunks),
    .MaxBurst   (MaxBurst)
  ) u_dma (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .rd_req_valid_i  (rd_req_valid),
    .rd_req_ready_o  (rd_req_ready),
    .rd_req_addr_i   (rd_req_addr),
    .rd_req_chunks_i (rd_req_chunks),
    .rd_valid_o      (rd_valid),
    .rd_ready_i      (rd_ready),
    .rd_data_o       (rd_data),
    .wr_req_valid_i  (wr_req_valid),
    .wr_req_ready_o  (wr_req_ready),
    .wr_req_addr_i   (wr_req_addr),
    .wr_req_bytes_i  (wr_req_bytes),
    .wr_valid_i      (wr_valid),
    .wr_ready_o      (wr_ready),
    .wr_data_i       (wr_data),
    .wr_idle_o       (wr_idle),
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
      .MaxK    (MaxK),
      .ABits   (ABits)
    ) u_tile (
      .clk_i        (clk_i),
      .rst_ni       (rst_ni),
      .wr_valid_i   (t_wr_valid[t]),
      .wr_ready_o   (t_wr_ready[t]),
      .wr_kind_i    (t_wr_kind),
      .wr_macro_i   (t_wr_macro),
      .wr_idx_i     (t_wr_idx),
      .wr_data_i    (t_wr_data),
      .blk_valid_i  (t_blk_valid[t]),
      .blk_ready_o  (t_blk_ready[t]),
      .blk_macro_i  (t_blk_macro),
      .blk_kb_i     (t_blk_kb),
      .blk_groups_i (t_blk_groups),
      .blk_rows_i   (t_blk_rows),
      .blk_swap_i   (t_blk_swap),
      .blk_first_i  (t_blk_first),
      .blk_last_i   (t_blk_last),
      .blk_init_i   (t_blk_init),
      .pend_o       (t_pend[t*NM +: NM]),
      .init_full_o  (t_init_full[t]),
      .busy_o       (t_busy[t]),
      .out_full_o   (t_out_full[t]),
      .out_idx_i    (t_out_idx),
      .out_chunk_o  (t_out_chunk[t*128 +: 128]),
      .out_pop_i    (t_out_pop[t])
    );
  end
endmodule
