// SPDX-License-Identifier: Apache-2.0
// Binds the assertion checkers of dv/sva/ into the RTL (simulation only: this file and the
// checkers are in the dv core's sva fileset, never in the RTL or synthesis file lists).
// Each checker sees the signals of its module by name; docs/VERIFICATION.md lists the assertions.
bind edgecim_top edgecim_top_sva #(.DataBytes(DataBytes), .MaxBurst(MaxBurst)) u_sva (
  .clk_i, .rst_ni, .mmio_valid_i, .mmio_write_i, .mmio_ready_o, .mmio_rvalid_o, .mmio_rdata_o, .irq_o,
  .mem_req_valid_o, .mem_req_ready_i, .mem_req_we_o, .mem_req_addr_o, .mem_req_len_o,
  .mem_w_valid_o, .mem_w_ready_i, .mem_w_data_o, .mem_w_strb_o, .mem_r_ready_o);

bind edgecim_regs edgecim_regs_sva #(.QueueDepth(QueueDepth)) u_sva (
  .clk_i, .rst_ni, .push, .push_err, .q_push, .q_pop, .q_count_q, .cmd_valid_o, .cmd_ready_i, .cmd_desc_o,
  .err_q, .err_code_q, .wr, .mmio_addr_i, .mmio_wdata_i);

bind tile_sequencer tile_sequencer_sva #(.NTiles(NTiles), .NMacros(NMacros), .NRes(NRes), .DataBytes(DataBytes),
                                         .MaxBurst(MaxBurst)) u_sva (
  .clk_i, .rst_ni, .run_q, .start, .done_o, .wr_idle_i,
  .rd_req_valid_o, .rd_req_ready_i, .rd_req_addr_o, .rd_req_beats_o, .rd_valid_i, .rd_pop_o,
  .wr_req_valid_o, .wr_req_ready_i, .wr_req_addr_o, .wr_req_beats_o, .wr_valid_o, .wr_ready_i, .wr_data_o,
  .wr_strb_o, .t_wr_valid_o, .t_wr_ready_i, .t_wr_kind_o, .t_wr_macro_o, .t_blk_valid_o, .t_blk_ready_i,
  .t_pend_i, .t_out_ready_i, .t_out_rd_o, .t_out_release_o, .a_kind, .b_kind);

bind edgecim_dma edgecim_dma_sva #(.FifoBeats(FifoBeats), .MaxBurst(MaxBurst)) u_sva (
  .clk_i, .rst_ni, .inflight_q, .rd_req_fire, .rd_req_beats_i, .rd_valid_o, .rd_pop_i, .mem_r_valid_i,
  .wr_req_fire, .w_busy_q, .w_left_q, .mem_w_valid_o, .wr_valid_i, .rd_req_valid_i, .wr_req_valid_i,
  .mem_req_valid_o, .mem_req_we_o);

bind edgecim_fifo edgecim_fifo_sva #(.Depth(Depth)) u_sva (
  .clk_i, .rst_ni, .push_i, .pop_i, .pop_valid_o, .to_sram, .rd, .rd_pend_q, .sram_cnt_q, .oq_cnt_q);

bind edgecim_seg_walker edgecim_seg_walker_sva u_sva (.clk_i, .rst_ni, .start_i, .advance_i, .kind_q);

bind cim_tile cim_tile_sva #(.NMacros(NMacros), .NRes(NRes)) u_sva (
  .clk_i, .rst_ni, .q_count_q, .q_push, .q_pop, .opq_count_q, .opq_push, .opq_pop, .m_w_valid, .m_a_valid,
  .m_r_ready, .pend_q, .swap_fire, .pl_op_macro(pl_op_q.macro), .pl_fire, .pl_active_q, .blk_valid_i,
  .blk_swap_i, .blk_macro_i);

bind cim_ppu cim_ppu_sva u_sva (
  .clk_i, .rst_ni, .start_i, .accum_i, .bias_i, .in_advance_i, .in_blk_q, .load_blk_q, .done_blk_q, .drained_q, .out_release_i, .out_ready_o,
  .out_rd_i);
