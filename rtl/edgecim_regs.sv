// SPDX-License-Identifier: Apache-2.0
// Register file of EdgeCIM (map: hw/edgecim_regmap.json -> rtl/edgecim_reg_pkg.sv).
//
// MMIO bus: a request (valid, write, addr, wdata) is accepted every cycle (ready is always 1);
// a read's data comes back the next cycle with rvalid. A write to CMD_PUSH checks the staged
// descriptor and either queues it or refuses it: the first error is kept in ERR_CODE (until
// CTRL.CLEAR_ERR) and raises IRQ_STATUS.ERROR. A refused descriptor never reaches the
// sequencer, so a bad descriptor cannot hang the hardware.
module edgecim_regs #(
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
  parameter int unsigned QueueDepth = edgecim_pkg::QueueDepthDefault,
  parameter logic [31:0] MemBytes   = edgecim_pkg::MemBytesDefault,
  localparam int unsigned QAw       = $clog2(QueueDepth)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // MMIO.
  input  logic                mmio_valid_i,
  output logic                mmio_ready_o,
  input  logic                mmio_write_i,
  input  logic [7:0]          mmio_addr_i,
  input  logic [31:0]         mmio_wdata_i,
  output logic                mmio_rvalid_o,
  output logic [31:0]         mmio_rdata_o,
  output logic                irq_o,
  // Command queue to the sequencer.
  output logic                cmd_valid_o,
  input  logic                cmd_ready_i,
  output edgecim_pkg::gemv_desc_t cmd_desc_o,
  input  logic                seq_busy_i,
  input  logic                seq_done_i
);
  // ---------------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------------
  logic [31:0] w_addr_q, x_addr_q, y_addr_q, b_addr_q, k_q, n_q, flags_q, mem_limit_q;
  logic        irq_en_q, err_q;
  logic [3:0]  err_code_q;
  logic [1:0]  irq_status_q;
  logic [31:0] cmds_done_q, cycles_hi_q;
  logic [63:0] cycles_q;
  logic        wr, rd, push;
  logic [3:0]  push_err;

  assign mmio_ready_o = 1'b1;
  assign wr   = mmio_valid_i && mmio_write_i;
  assign rd   = mmio_valid_i && !mmio_write_i;
  assign push = wr && mmio_addr_i == edgecim_reg_pkg::REG_CMD_PUSH;

  // ---------------------------------------------------------------------------------------------
  // Descriptor checks (on the staged values, when CMD_PUSH is written)
  // ---------------------------------------------------------------------------------------------
  logic [47:0] w_end, x_end, y_end, b_end, res_blocks;
  logic        res_load, res_use, bias, use_w, bad_align, bad_range, bad_flags;
  logic [QAw:0] q_count_q;
  logic        q_full;

  assign q_full   = (32'(q_count_q) == QueueDepth);
  // Bits of CMD_FLAGS that have a meaning (hw/edgecim_regmap.json).
  function automatic logic [31:0] field_mask(int unsigned lsb, int unsigned width);
    field_mask = ((32'd1 << width) - 32'd1) << lsb;
  endfunction
  localparam logic [31:0] FlagsDefined =
      field_mask(edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB, 1) | field_mask(edgecim_reg_pkg::CMD_FLAGS_ACCUM_LSB, 1) |
      field_mask(edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB, 1) | field_mask(edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB, 1) |
      field_mask(edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB, edgecim_reg_pkg::CMD_FLAGS_RES_BASE_WIDTH) |
      field_mask(edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB, edgecim_reg_pkg::CMD_FLAGS_WBITS_WIDTH) |
      field_mask(edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB, edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_WIDTH);
  localparam int unsigned AlignBits = $clog2(edgecim_pkg::Align);

  logic [47:0] k48, n48, wbits, batch;
  logic        bad_prec, bad_batch;

  assign res_load = flags_q[edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB];
  assign res_use  = flags_q[edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB];
  assign bias     = flags_q[edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB];
  assign use_w    = !res_use;
  assign k48      = 48'(k_q[15:0]);
  assign n48      = 48'(n_q);
  assign wbits    = (flags_q[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4] == 4'd0) ? 48'd4
                    : 48'(flags_q[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4]);
  assign batch    = 48'(flags_q[edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB +: 4]) + 48'd1;
  assign res_blocks = edgecim_pkg::tile_blocks(k48, n48, 48'(MacroRows), 48'(MacroCols), 48'(NTiles));
  assign w_end    = 48'(w_addr_q) + edgecim_pkg::w_bytes(k48, n48, 48'(MacroRows), 48'(MacroCols), wbits);
  assign x_end    = 48'(x_addr_q) + edgecim_pkg::x_bytes(k48, batch);
  assign y_end    = 48'(y_addr_q) + edgecim_pkg::y_bytes(n48, 48'(MacroCols), batch);
  assign b_end    = 48'(b_addr_q) + edgecim_pkg::b_bytes(n48, 48'(MacroCols));
  assign bad_flags = (res_load && res_use) || ((flags_q & ~FlagsDefined) != '0);
  assign bad_prec  = !(wbits == 48'd2 || wbits == 48'd4 || wbits == 48'd8) || wbits > 48'(MaxWBits);
  assign bad_batch = batch > 48'(MaxBatch) || batch * edgecim_pkg::kpad(k48) > 48'(ActBytes);
  assign bad_align = (use_w && w_addr_q[AlignBits-1:0] != '0) || x_addr_q[AlignBits-1:0] != '0 ||
                     y_addr_q[AlignBits-1:0] != '0 || (bias && b_addr_q[AlignBits-1:0] != '0);
  assign bad_range = (use_w && w_end > 48'(mem_limit_q)) || x_end > 48'(mem_limit_q) ||
                     y_end > 48'(mem_limit_q) || (bias && b_end > 48'(mem_limit_q));

  always_comb begin
    push_err = edgecim_reg_pkg::ERR_NONE;
    if (bad_flags)                                    push_err = edgecim_reg_pkg::ERR_BAD_FLAGS;
    else if (k_q == '0 || n_q == '0)                  push_err = edgecim_reg_pkg::ERR_ZERO_SIZE;
    else if (k_q > 32'(ActBytes) || k_q > edgecim_pkg::MaxK || n_q > edgecim_pkg::MaxN)  push_err = edgecim_reg_pkg::ERR_TOO_LARGE;
    else if (bad_prec)                                push_err = edgecim_reg_pkg::ERR_BAD_PRECISION;
    else if (bad_batch)                               push_err = edgecim_reg_pkg::ERR_BAD_BATCH;
    else if (bad_align)                               push_err = edgecim_reg_pkg::ERR_MISALIGNED;
    else if (bad_range)                               push_err = edgecim_reg_pkg::ERR_OUT_OF_RANGE;
    else if ((res_load || res_use) &&
             48'(flags_q[edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB +: edgecim_reg_pkg::CMD_FLAGS_RES_BASE_WIDTH]) +
             res_blocks > 48'(NRes))                   push_err = edgecim_reg_pkg::ERR_RESIDENT_RANGE;
    else if (q_full)                                  push_err = edgecim_reg_pkg::ERR_QUEUE_OVERFLOW;
  end

  // ---------------------------------------------------------------------------------------------
  // Command queue
  // ---------------------------------------------------------------------------------------------
  edgecim_pkg::gemv_desc_t q_mem_q [QueueDepth];
  logic [QAw-1:0]      q_rd_q, q_wr_q;
  logic                q_push, q_pop;

  assign q_push      = push && push_err == edgecim_reg_pkg::ERR_NONE;
  assign q_pop       = cmd_valid_o && cmd_ready_i;
  assign cmd_valid_o = (q_count_q != '0);
  assign cmd_desc_o  = q_mem_q[q_rd_q];

  always_ff @(posedge clk_i) begin
    if (q_push) q_mem_q[q_wr_q] <= '{w_addr: w_addr_q, x_addr: x_addr_q, y_addr: y_addr_q, b_addr: b_addr_q,
                                     k: k_q[15:0], n: n_q[23:0], flags: flags_q[27:0]};
  end

  // ---------------------------------------------------------------------------------------------
  // Register writes, reads, status
  // ---------------------------------------------------------------------------------------------
  logic [31:0] rdata;
  logic        bad_addr;
  logic [1:0]  irq_clear, irq_set;

  // IRQ_STATUS bits as held here (the register puts them at their field positions).
  localparam int unsigned IrqDone = 0, IrqError = 1;
  assign irq_clear[IrqDone]  = wr && mmio_addr_i == edgecim_reg_pkg::REG_IRQ_STATUS &&
                               mmio_wdata_i[edgecim_reg_pkg::IRQ_STATUS_DONE_LSB];
  assign irq_clear[IrqError] = wr && mmio_addr_i == edgecim_reg_pkg::REG_IRQ_STATUS &&
                               mmio_wdata_i[edgecim_reg_pkg::IRQ_STATUS_ERROR_LSB];
  assign irq_set[IrqDone]    = seq_done_i;
  assign irq_set[IrqError]   = (push && push_err != edgecim_reg_pkg::ERR_NONE) || (mmio_valid_i && bad_addr);

  always_comb begin
    rdata    = '0;
    bad_addr = 1'b0;
    unique case (mmio_addr_i)
      edgecim_reg_pkg::REG_ID:         rdata = edgecim_reg_pkg::ID_VALUE;
      edgecim_reg_pkg::REG_HWCFG:      rdata = edgecim_pkg::hwcfg_value(NTiles, NMacros, NRes, MaxWBits, ABits,
                                                                        DataBytes, MaxBatch, QueueDepth);
      edgecim_reg_pkg::REG_HWCFG2:     rdata = edgecim_pkg::hwcfg2_value(MacroRows, MacroCols, PpuCols, ActBytes,
                                                                         FifoBeats, MaxBurst);
      edgecim_reg_pkg::REG_CTRL:       rdata[edgecim_reg_pkg::CTRL_IRQ_EN_LSB] = irq_en_q;
      edgecim_reg_pkg::REG_STATUS: begin
        rdata[edgecim_reg_pkg::STATUS_BUSY_LSB]  = seq_busy_i || (q_count_q != '0);
        rdata[edgecim_reg_pkg::STATUS_ERROR_LSB] = err_q;
        rdata[edgecim_reg_pkg::STATUS_QUEUE_COUNT_LSB +: edgecim_reg_pkg::STATUS_QUEUE_COUNT_WIDTH] =
            edgecim_reg_pkg::STATUS_QUEUE_COUNT_WIDTH'(q_count_q);
      end
      edgecim_reg_pkg::REG_ERR_CODE:   rdata = 32'(err_code_q);
      edgecim_reg_pkg::REG_IRQ_STATUS: begin
        rdata[edgecim_reg_pkg::IRQ_STATUS_DONE_LSB]  = irq_status_q[IrqDone];
        rdata[edgecim_reg_pkg::IRQ_STATUS_ERROR_LSB] = irq_status_q[IrqError];
      end
      edgecim_reg_pkg::REG_MEM_LIMIT:  rdata = mem_limit_q;
      edgecim_reg_pkg::REG_CMDS_DONE:  rdata = cmds_done_q;
      edgecim_reg_pkg::REG_CYCLES_LO:  rdata = cycles_q[31:0];
      edgecim_reg_pkg::REG_CYCLES_HI:  rdata = cycles_hi_q;
      edgecim_reg_pkg::REG_CMD_W_ADDR: rdata = w_addr_q;
      edgecim_reg_pkg::REG_CMD_X_ADDR: rdata = x_addr_q;
      edgecim_reg_pkg::REG_CMD_Y_ADDR: rdata = y_addr_q;
      edgecim_reg_pkg::REG_CMD_B_ADDR: rdata = b_addr_q;
      edgecim_reg_pkg::REG_CMD_K:      rdata = k_q;
      edgecim_reg_pkg::REG_CMD_N:      rdata = n_q;
      edgecim_reg_pkg::REG_CMD_FLAGS:  rdata = flags_q;
      edgecim_reg_pkg::REG_CMD_PUSH:   rdata = '0;
      default:                         bad_addr = 1'b1;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_addr_q <= '0; x_addr_q <= '0; y_addr_q <= '0; b_addr_q <= '0;
      k_q <= '0; n_q <= '0; flags_q <= '0;
      mem_limit_q   <= MemBytes;
      irq_en_q      <= 1'b0;
      err_q         <= 1'b0;
      err_code_q    <= '0;
      irq_status_q  <= '0;
      cmds_done_q   <= '0;
      cycles_q      <= '0;
      cycles_hi_q   <= '0;
      q_count_q     <= '0;
      q_rd_q        <= '0;
      q_wr_q        <= '0;
      mmio_rvalid_o <= 1'b0;
      mmio_rdata_o  <= '0;
    end else begin
      cycles_q      <= cycles_q + 1'b1;
      mmio_rvalid_o <= rd;
      if (rd) mmio_rdata_o <= rdata;
      if (rd && mmio_addr_i == edgecim_reg_pkg::REG_CYCLES_LO) cycles_hi_q <= cycles_q[63:32];
      if (wr) begin
        unique case (mmio_addr_i)
          edgecim_reg_pkg::REG_CTRL:       irq_en_q <= mmio_wdata_i[edgecim_reg_pkg::CTRL_IRQ_EN_LSB];
          edgecim_reg_pkg::REG_IRQ_STATUS: ;  // handled below (write 1 to clear)
          edgecim_reg_pkg::REG_MEM_LIMIT:  mem_limit_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_W_ADDR: w_addr_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_X_ADDR: x_addr_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_Y_ADDR: y_addr_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_B_ADDR: b_addr_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_K:      k_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_N:      n_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_CMD_FLAGS:  flags_q <= mmio_wdata_i;
          default: ;
        endcase
      end
      // Errors: the first one is kept; a write of CTRL.CLEAR_ERR clears it.
      if (wr && mmio_addr_i == edgecim_reg_pkg::REG_CTRL && mmio_wdata_i[edgecim_reg_pkg::CTRL_CLEAR_ERR_LSB]) begin
        err_q      <= 1'b0;
        err_code_q <= '0;
      end else if (!err_q && ((push && push_err != edgecim_reg_pkg::ERR_NONE) ||
                              (mmio_valid_i && bad_addr))) begin
        err_q      <= 1'b1;
        err_code_q <= bad_addr ? edgecim_reg_pkg::ERR_BAD_ADDRESS : push_err;
      end
      irq_status_q <= (irq_status_q & ~irq_clear) | irq_set;
      if (seq_done_i) cmds_done_q <= cmds_done_q + 1'b1;
      if (q_push) q_wr_q <= q_wr_q + 1'b1;
      if (q_pop)  q_rd_q <= q_rd_q + 1'b1;
      q_count_q <= q_count_q + (QAw+1)'(q_push) - (QAw+1)'(q_pop);
    end
  end

  assign irq_o = irq_en_q && (irq_status_q != '0);
endmodule
