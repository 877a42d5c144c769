// Register file of EdgeCIM (map: hw/edgecim_regmap.json -> rtl/edgecim_reg_pkg.sv).
//
// MMIO bus: a request (valid, write, addr, wdata) is accepted every cycle (ready is always 1);
// a read's data comes back the next cycle with rvalid. A write to CMD_PUSH checks the staged
// descriptor and either queues it or refuses it: the first error is kept in ERR_CODE (until
// CTRL.CLEAR_ERR) and raises IRQ_STATUS.ERROR. A refused descriptor never reaches the
// sequencer, so a bad descriptor cannot hang the hardware.
module edgecim_regs #(
  parameter int unsigned NTiles     = 2,
  parameter int unsigned NMacros    = 1,
  parameter int unsigned NRes       = 1,
  parameter int unsigned MaxK       = 16384,
  parameter int unsigned DataBytes  = 16,
  parameter int unsigned ABits      = 8,
  parameter int unsigned QueueDepth = 4,
  parameter logic [31:0] MemBytes   = 32'h1000_0000,
  localparam int unsigned DescBits  = 4 * 32 + 16 + 24 + 16,
  localparam int unsigned QAw       = $clog2(QueueDepth),
  localparam logic [47:0] NTilesM1  = 48'(NTiles) - 48'd1
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
  output logic [DescBits-1:0] cmd_desc_o,   // {w, x, y, b, k[15:0], n[23:0], flags[15:0]}
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
  logic [47:0] kp, kb, nb, nb_tile, w_end, x_end, y_end, b_end, res_blocks;
  logic        res_load, res_use, use_w, bad_align, bad_range, bad_flags;
  logic [QAw:0] q_count_q;
  logic        q_full;

  assign q_full   = (32'(q_count_q) == QueueDepth);
  assign res_load = flags_q[2];
  assign res_use  = flags_q[3];
  assign use_w    = !res_use;
  assign kp       = (48'(k_q[15:0]) + 48'd31) & ~48'd31;
  assign kb       = (kp + 48'd127) >> 7;
  assign nb       = (48'(n_q) + 48'd31) >> 5;
  assign nb_tile  = (nb + NTilesM1) >> $clog2(NTiles);
  assign res_blocks = nb_tile * kb;
  assign w_end    = 48'(w_addr_q) + nb * kp * 48'd18;
  assign x_end    = 48'(x_addr_q) + kp + (((kp + 48'd255) >> 8) << 4);
  assign y_end    = 48'(y_addr_q) + (((48'(n_q) + 48'd1) >> 1) << 4);
  assign b_end    = 48'(b_addr_q) + (((48'(n_q) + 48'd1) >> 1) << 4);
  assign bad_flags = (res_load && res_use) || (flags_q[31:16] != '0) || (flags_q[7:4] != '0);
  assign bad_align = (use_w && w_addr_q[3:0] != '0) || x_addr_q[3:0] != '0 ||
                     y_addr_q[3:0] != '0 || (flags_q[0] && b_addr_q[3:0] != '0);
  assign bad_range = (use_w && w_end > 48'(mem_limit_q)) || x_end > 48'(mem_limit_q) ||
                     y_end > 48'(mem_limit_q) || (flags_q[0] && b_end > 48'(mem_limit_q));

  always_comb begin
    push_err = edgecim_reg_pkg::ERR_NONE;
    if (bad_flags)                                    push_err = edgecim_reg_pkg::ERR_BAD_FLAGS;
    else if (k_q == '0 || n_q == '0)                  push_err = edgecim_reg_pkg::ERR_ZERO_SIZE;
    else if (k_q > MaxK || n_q > 32'h00FF_FFFF)       push_err = edgecim_reg_pkg::ERR_TOO_LARGE;
    else if (bad_align)                               push_err = edgecim_reg_pkg::ERR_MISALIGNED;
    else if (bad_range)                               push_err = edgecim_reg_pkg::ERR_OUT_OF_RANGE;
    else if ((res_load || res_use) &&
             48'(flags_q[15:8]) + res_blocks > 48'(NRes)) push_err = edgecim_reg_pkg::ERR_RESIDENT_RANGE;
    else if (q_full)                                  push_err = edgecim_reg_pkg::ERR_QUEUE_OVERFLOW;
  end

  // ---------------------------------------------------------------------------------------------
  // Command queue
  // ---------------------------------------------------------------------------------------------
  logic [DescBits-1:0] q_mem_q [QueueDepth];
  logic [QAw-1:0]      q_rd_q, q_wr_q;
  logic                q_push, q_pop;

  assign q_push      = push && push_err == edgecim_reg_pkg::ERR_NONE;
  assign q_pop       = cmd_valid_o && cmd_ready_i;
  assign cmd_valid_o = (q_count_q != '0);
  assign cmd_desc_o  = q_mem_q[q_rd_q];

  always_ff @(posedge clk_i) begin
    if (q_push) q_mem_q[q_wr_q] <= {w_addr_q, x_addr_q, y_addr_q, b_addr_q, k_q[15:0], n_q[23:0], flags_q[15:0]};
  end

  // ---------------------------------------------------------------------------------------------
  // Register writes, reads, status
  // ---------------------------------------------------------------------------------------------
  logic [31:0] rdata;
  logic        bad_addr;

  always_comb begin
    rdata    = '0;
    bad_addr = 1'b0;
    unique case (mmio_addr_i)
      edgecim_reg_pkg::REG_ID:         rdata = edgecim_reg_pkg::ID_VALUE;
      edgecim_reg_pkg::REG_HWCFG:      rdata = {4'd0, 4'(QueueDepth), 4'(ABits), 4'd4,
                                                4'($clog2(DataBytes)), 4'(NRes), 4'(NMacros), 4'(NTiles)};
      edgecim_reg_pkg::REG_CTRL:       rdata = {31'd0, irq_en_q};
      edgecim_reg_pkg::REG_STATUS:     rdata = {20'd0, 4'(q_count_q), 6'd0, err_q,
                                                seq_busy_i || (q_count_q != '0)};
      edgecim_reg_pkg::REG_ERR_CODE:   rdata = {28'd0, err_code_q};
      edgecim_reg_pkg::REG_IRQ_STATUS: rdata = {30'd0, irq_status_q};
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
          edgecim_reg_pkg::REG_CTRL:       irq_en_q <= mmio_wdata_i[0];
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
      if (wr && mmio_addr_i == edgecim_reg_pkg::REG_CTRL && mmio_wdata_i[1]) begin
        err_q      <= 1'b0;
        err_code_q <= '0;
      end else if (!err_q && ((push && push_err != edgecim_reg_pkg::ERR_NONE) ||
                              (mmio_valid_i && bad_addr))) begin
        err_q      <= 1'b1;
        err_code_q <= bad_addr ? edgecim_reg_pkg::ERR_BAD_ADDRESS : push_err;
      end
      irq_status_q <= (irq_status_q & ~((wr && mmio_addr_i == edgecim_reg_pkg::REG_IRQ_STATUS)
                                        ? mmio_wdata_i[1:0] : 2'b00))
                      | {(push && push_err != edgecim_reg_pkg::ERR_NONE) || (mmio_valid_i && bad_addr),
                         seq_done_i};
      if (seq_done_i) cmds_done_q <= cmds_done_q + 1'b1;
      if (q_push) q_wr_q <= q_wr_q + 1'b1;
      if (q_pop)  q_rd_q <= q_rd_q + 1'b1;
      q_count_q <= q_count_q + (QAw+1)'(q_push) - (QAw+1)'(q_pop);
    end
  end

  assign irq_o = irq_en_q && (irq_status_q != '0);
endmodule
