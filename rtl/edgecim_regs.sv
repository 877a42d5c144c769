// SPDX-License-Identifier: Apache-2.0
// Register file of EdgeCIM (map: hw/edgecim_regmap.json -> rtl/edgecim_reg_pkg.sv).
//
// MMIO bus: a request (valid, write, addr, wdata) is accepted every cycle (ready is always 1);
// a read's data comes back the next cycle with rvalid. A write to CMD_PUSH checks the staged
// descriptor words (edgecim_desc_check) and either queues the command or refuses it; a command
// list (edgecim_list) offers its descriptors one by one to the same check, and the first refused
// one stops the list. The first error is kept in ERR_CODE (until CTRL.CLEAR_ERR) and raises
// IRQ_STATUS.ERROR. A refused descriptor never reaches the sequencer or the vector unit, so a bad
// descriptor cannot hang the hardware.
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
  parameter int unsigned VecLanes   = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned QueueDepth = edgecim_pkg::QueueDepthDefault,
  parameter logic [31:0] MemBytes   = edgecim_pkg::MemBytesDefault,
  localparam int unsigned QAw       = $clog2(QueueDepth),
  localparam int unsigned EB        = edgecim_reg_pkg::ErrBits
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
  // Command queue to the sequencer and the vector unit.
  output logic                cmd_valid_o,
  input  logic                cmd_ready_i,     // the head is taken this cycle
  output edgecim_pkg::cmd_desc_t cmd_desc_o,
  input  logic                busy_i,          // a command runs (sequencer, tiles or vector unit)
  input  logic                done_i,          // a command completes
  // Command-list fetcher.
  output logic                list_start_o,
  output logic [31:0]         list_addr_o,
  output logic [31:0]         list_count_o,
  input  logic                list_active_i,
  input  logic                list_desc_valid_i,
  input  logic [14*32-1:0]    list_desc_i,
  output logic                list_taken_o,
  output logic                list_refused_o
);
  // ---------------------------------------------------------------------------------------------
  // Registers
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned NWords = 14;  // descriptor words with a register: CMD_W_ADDR .. CMD_W_BYTES
  logic [NWords*32-1:0] words_q;
  logic [31:0] mem_limit_q, list_addr_q, list_count_q, list_done_q, token_id_q, kv_base_q, kv_limit_q;
  logic [15:0] token_pos_q;
  logic        irq_en_q, err_q, busy_q;
  logic [EB-1:0] err_code_q;
  logic [2:0]  irq_status_q;
  logic [31:0] cmds_done_q, cycles_hi_q;
  logic [63:0] cycles_q;
  logic        wr, rd, push, list_start, word_sel;
  logic [3:0]  word_idx;
  logic [QAw:0] q_count_q;
  logic        q_full, busy;

  assign mmio_ready_o = 1'b1;
  assign wr         = mmio_valid_i && mmio_write_i;
  assign rd         = mmio_valid_i && !mmio_write_i;
  assign push       = wr && mmio_addr_i == edgecim_reg_pkg::REG_CMD_PUSH;
  assign list_start = wr && mmio_addr_i == edgecim_reg_pkg::REG_LIST_START;
  assign word_sel   = mmio_addr_i >= edgecim_reg_pkg::REG_CMD_W_ADDR && mmio_addr_i <= edgecim_reg_pkg::REG_CMD_W_BYTES &&
                      mmio_addr_i[1:0] == 2'd0;
  assign word_idx   = 4'((mmio_addr_i - edgecim_reg_pkg::REG_CMD_W_ADDR) >> 2);
  assign q_full     = (32'(q_count_q) == QueueDepth);
  assign busy       = busy_i || q_count_q != '0 || list_active_i;

  // ---------------------------------------------------------------------------------------------
  // The check of the descriptor about to be queued: the list's while a list runs (CMD_PUSH is
  // then refused anyway), else the staged words.
  // ---------------------------------------------------------------------------------------------
  logic [EB-1:0]          chk_err, push_err, start_err, new_err;
  edgecim_pkg::cmd_desc_t chk_desc;
  logic                   list_taken, list_refused, q_push, q_pop, bad_addr;

  edgecim_desc_check #(
    .NTiles       (NTiles),
    .NRes         (NRes),
    .MaxWBits     (MaxWBits),
    .MacroRows    (MacroRows),
    .MacroCols    (MacroCols),
    .ActBytes     (ActBytes),
    .MaxBatch     (MaxBatch),
    .VecLanes     (VecLanes),
    .VecBankBytes (VecBankBytes)
  ) u_check (
    .words_i     (list_active_i ? list_desc_i : words_q),
    .pos_i       (token_pos_q),
    .token_i     (token_id_q),
    .mem_limit_i (mem_limit_q),
    .kv_base_i   (kv_base_q),
    .kv_limit_i  (kv_limit_q),
    .err_o       (chk_err),
    .desc_o      (chk_desc)
  );

  always_comb begin
    if (list_active_i)                       push_err = edgecim_reg_pkg::ERR_LIST_BUSY;
    else if (chk_err != edgecim_reg_pkg::ERR_NONE) push_err = chk_err;
    else if (q_full)                         push_err = edgecim_reg_pkg::ERR_QUEUE_OVERFLOW;
    else                                     push_err = edgecim_reg_pkg::ERR_NONE;
  end
  assign list_refused = list_desc_valid_i && chk_err != edgecim_reg_pkg::ERR_NONE;
  assign list_taken   = list_desc_valid_i && chk_err == edgecim_reg_pkg::ERR_NONE && !q_full;
  assign list_taken_o   = list_taken;
  assign list_refused_o = list_refused;

  // LIST_START's own checks (each descriptor is checked as it is queued).
  localparam int unsigned UnitBytes = (DataBytes > edgecim_pkg::DescBytes) ? DataBytes : edgecim_pkg::DescBytes;
  localparam logic [63:0] Unit = 64'(UnitBytes);
  logic [63:0] list_end;
  assign list_end = 64'(list_addr_q) + (64'(list_count_q) * 64'(edgecim_pkg::DescBytes) + Unit - 64'd1) / Unit * Unit;
  always_comb begin
    if (list_active_i)                                   start_err = edgecim_reg_pkg::ERR_LIST_BUSY;
    else if (list_count_q == '0)                         start_err = edgecim_reg_pkg::ERR_ZERO_SIZE;
    else if (list_count_q > 32'hFFFF)                    start_err = edgecim_reg_pkg::ERR_TOO_LARGE;
    else if (list_addr_q[$clog2(edgecim_pkg::Align)-1:0] != '0) start_err = edgecim_reg_pkg::ERR_MISALIGNED;
    else if (list_end > 64'(mem_limit_q))                start_err = edgecim_reg_pkg::ERR_OUT_OF_RANGE;
    else                                                 start_err = edgecim_reg_pkg::ERR_NONE;
  end
  assign list_start_o = list_start && start_err == edgecim_reg_pkg::ERR_NONE;
  assign list_addr_o  = list_addr_q;
  assign list_count_o = list_count_q;

  // The first error of the cycle.
  always_comb begin
    if (mmio_valid_i && bad_addr)                             new_err = edgecim_reg_pkg::ERR_BAD_ADDRESS;
    else if (push && push_err != edgecim_reg_pkg::ERR_NONE)   new_err = push_err;
    else if (list_start && start_err != edgecim_reg_pkg::ERR_NONE) new_err = start_err;
    else if (list_refused)                                    new_err = chk_err;
    else                                                      new_err = edgecim_reg_pkg::ERR_NONE;
  end

  // ---------------------------------------------------------------------------------------------
  // Command queue
  // ---------------------------------------------------------------------------------------------
  edgecim_pkg::cmd_desc_t q_mem_q [QueueDepth];
  logic [QAw-1:0]      q_rd_q, q_wr_q;

  assign q_push      = (push && push_err == edgecim_reg_pkg::ERR_NONE) || list_taken;
  assign q_pop       = cmd_valid_o && cmd_ready_i;
  assign cmd_valid_o = (q_count_q != '0);
  assign cmd_desc_o  = q_mem_q[q_rd_q];

  always_ff @(posedge clk_i) begin
    if (q_push) q_mem_q[q_wr_q] <= chk_desc;
  end

  // ---------------------------------------------------------------------------------------------
  // Register writes, reads, status
  // ---------------------------------------------------------------------------------------------
  logic [31:0] rdata;
  logic [2:0]  irq_clear, irq_set;

  // IRQ_STATUS bits as held here (the register puts them at their field positions).
  localparam int unsigned IrqDone = 0, IrqError = 1, IrqIdle = 2;
  logic w1c;
  assign w1c = wr && mmio_addr_i == edgecim_reg_pkg::REG_IRQ_STATUS;
  assign irq_clear[IrqDone]  = w1c && mmio_wdata_i[edgecim_reg_pkg::IRQ_STATUS_DONE_LSB];
  assign irq_clear[IrqError] = w1c && mmio_wdata_i[edgecim_reg_pkg::IRQ_STATUS_ERROR_LSB];
  assign irq_clear[IrqIdle]  = w1c && mmio_wdata_i[edgecim_reg_pkg::IRQ_STATUS_IDLE_LSB];
  assign irq_set[IrqDone]    = done_i;
  assign irq_set[IrqError]   = new_err != edgecim_reg_pkg::ERR_NONE;
  assign irq_set[IrqIdle]    = busy_q && !busy;

  always_comb begin
    rdata    = '0;
    bad_addr = 1'b0;
    if (word_sel) begin
      rdata = words_q[32*word_idx +: 32];
    end else begin
      unique case (mmio_addr_i)
        edgecim_reg_pkg::REG_ID:         rdata = edgecim_reg_pkg::ID_VALUE;
        edgecim_reg_pkg::REG_HWCFG:      rdata = edgecim_pkg::hwcfg_value(NTiles, NMacros, NRes, MaxWBits, ABits,
                                                                          DataBytes, MaxBatch, QueueDepth);
        edgecim_reg_pkg::REG_HWCFG2:     rdata = edgecim_pkg::hwcfg2_value(MacroRows, MacroCols, PpuCols, ActBytes,
                                                                           FifoBeats, MaxBurst);
        edgecim_reg_pkg::REG_HWCFG3:     rdata = edgecim_pkg::hwcfg3_value(VecLanes, VecBankBytes);
        edgecim_reg_pkg::REG_CTRL:       rdata[edgecim_reg_pkg::CTRL_IRQ_EN_LSB] = irq_en_q;
        edgecim_reg_pkg::REG_STATUS: begin
          rdata[edgecim_reg_pkg::STATUS_BUSY_LSB]  = busy;
          rdata[edgecim_reg_pkg::STATUS_ERROR_LSB] = err_q;
          rdata[edgecim_reg_pkg::STATUS_LIST_LSB]  = list_active_i;
          rdata[edgecim_reg_pkg::STATUS_QUEUE_COUNT_LSB +: edgecim_reg_pkg::STATUS_QUEUE_COUNT_WIDTH] =
              edgecim_reg_pkg::STATUS_QUEUE_COUNT_WIDTH'(q_count_q);
        end
        edgecim_reg_pkg::REG_ERR_CODE:   rdata = 32'(err_code_q);
        edgecim_reg_pkg::REG_IRQ_STATUS: begin
          rdata[edgecim_reg_pkg::IRQ_STATUS_DONE_LSB]  = irq_status_q[IrqDone];
          rdata[edgecim_reg_pkg::IRQ_STATUS_ERROR_LSB] = irq_status_q[IrqError];
          rdata[edgecim_reg_pkg::IRQ_STATUS_IDLE_LSB]  = irq_status_q[IrqIdle];
        end
        edgecim_reg_pkg::REG_MEM_LIMIT:  rdata = mem_limit_q;
        edgecim_reg_pkg::REG_CMDS_DONE:  rdata = cmds_done_q;
        edgecim_reg_pkg::REG_CYCLES_LO:  rdata = cycles_q[31:0];
        edgecim_reg_pkg::REG_CYCLES_HI:  rdata = cycles_hi_q;
        edgecim_reg_pkg::REG_CMD_PUSH,
        edgecim_reg_pkg::REG_LIST_START: rdata = '0;
        edgecim_reg_pkg::REG_LIST_ADDR:  rdata = list_addr_q;
        edgecim_reg_pkg::REG_LIST_COUNT: rdata = list_count_q;
        edgecim_reg_pkg::REG_LIST_DONE:  rdata = list_done_q;
        edgecim_reg_pkg::REG_TOKEN_ID:   rdata = token_id_q;
        edgecim_reg_pkg::REG_TOKEN_POS:  rdata = 32'(token_pos_q);
        edgecim_reg_pkg::REG_KV_BASE:    rdata = kv_base_q;
        edgecim_reg_pkg::REG_KV_LIMIT:   rdata = kv_limit_q;
        default:                         bad_addr = 1'b1;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      words_q       <= '0;
      mem_limit_q   <= MemBytes;
      list_addr_q   <= '0;
      list_count_q  <= '0;
      list_done_q   <= '0;
      token_id_q    <= '0;
      token_pos_q   <= '0;
      kv_base_q     <= '0;
      kv_limit_q    <= '0;
      irq_en_q      <= 1'b0;
      err_q         <= 1'b0;
      err_code_q    <= '0;
      irq_status_q  <= '0;
      busy_q        <= 1'b0;
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
      if (wr && word_sel) words_q[32*word_idx +: 32] <= mmio_wdata_i;
      if (wr) begin
        unique case (mmio_addr_i)
          edgecim_reg_pkg::REG_CTRL:       irq_en_q <= mmio_wdata_i[edgecim_reg_pkg::CTRL_IRQ_EN_LSB];
          edgecim_reg_pkg::REG_MEM_LIMIT:  mem_limit_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_LIST_ADDR:  list_addr_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_LIST_COUNT: list_count_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_TOKEN_ID:   token_id_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_TOKEN_POS:  token_pos_q <= mmio_wdata_i[15:0];
          edgecim_reg_pkg::REG_KV_BASE:    kv_base_q <= mmio_wdata_i;
          edgecim_reg_pkg::REG_KV_LIMIT:   kv_limit_q <= mmio_wdata_i;
          default: ;
        endcase
      end
      // Errors: the first one is kept; a write of CTRL.CLEAR_ERR clears it.
      if (wr && mmio_addr_i == edgecim_reg_pkg::REG_CTRL && mmio_wdata_i[edgecim_reg_pkg::CTRL_CLEAR_ERR_LSB]) begin
        err_q      <= 1'b0;
        err_code_q <= '0;
      end else if (!err_q && new_err != edgecim_reg_pkg::ERR_NONE) begin
        err_q      <= 1'b1;
        err_code_q <= new_err;
      end
      irq_status_q <= (irq_status_q & ~irq_clear) | irq_set;
      busy_q       <= busy;
      if (done_i) cmds_done_q <= cmds_done_q + 1'b1;
      if (list_start_o) list_done_q <= '0;
      else if (list_taken) list_done_q <= list_done_q + 1'b1;
      if (q_push) q_wr_q <= q_wr_q + 1'b1;
      if (q_pop)  q_rd_q <= q_rd_q + 1'b1;
      q_count_q <= q_count_q + (QAw+1)'(q_push) - (QAw+1)'(q_pop);
    end
  end

  assign irq_o = irq_en_q && (irq_status_q != '0);

  // ---------------------------------------------------------------------------------------------
  // Assertions (simulation with --assert, and formal: Yosys defines SYNTHESIS unless -formal)
  // ---------------------------------------------------------------------------------------------
`ifndef SYNTHESIS
  // Immediate assertions in a clocked block (the form Verilator 5.006 runs with --assert and open
  // Yosys proves with -formal: no concurrent SVA, no action blocks; a failure names the label).
  // `x |=> y` is written `$past(x) -> y`, checked once a cycle has passed since reset.
  logic sva_past_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sva_past_q <= 1'b0;
    else         sva_past_q <= 1'b1;
  end
  logic clear_err;
  assign clear_err = wr && mmio_addr_i == edgecim_reg_pkg::REG_CTRL &&
                     mmio_wdata_i[edgecim_reg_pkg::CTRL_CLEAR_ERR_LSB];
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // The command queue never over- or underflows.
      a_regs_q_count: assert (32'(q_count_q) <= QueueDepth);
      a_regs_q_overflow: assert (!q_push || !q_full || q_pop);
      a_regs_q_underflow: assert (!q_pop || q_count_q != '0);
      // CMD_PUSH and the list never queue in the same cycle; a refused descriptor is never queued.
      a_regs_one_source: assert (!(push && push_err == edgecim_reg_pkg::ERR_NONE && list_taken));
      a_regs_refused: assert (!(push && push_err != edgecim_reg_pkg::ERR_NONE && !list_taken) || !q_push);
      a_regs_list_verdict: assert (!(list_taken && list_refused));
      a_regs_list_start: assert (!list_start_o || !list_active_i);
      // STATUS.ERROR is set exactly while ERR_CODE holds a code.
      a_regs_err_code: assert (err_q == (err_code_q != edgecim_reg_pkg::ERR_NONE));
    end
    if (rst_ni && sva_past_q) begin
      // The first code is kept until CLEAR_ERR; an error with none held is latched the next cycle.
      a_regs_err_kept: assert (!($past(err_q) && !$past(clear_err)) || (err_q && $stable(err_code_q)));
      a_regs_err_latched: assert (!(!$past(err_q) && !$past(clear_err) && $past(new_err) != edgecim_reg_pkg::ERR_NONE) ||
                                  err_code_q == $past(new_err));
      // Every read is answered the next cycle, and only a read.
      a_regs_rvalid: assert (mmio_rvalid_o == $past(rd));
      // The queue head stays until taken (its op and K: the simulator keeps a copy of each
      // $past and $stable operand, and the whole descriptor is wide).
      a_regs_head_stable: assert (!($past(cmd_valid_o) && !$past(cmd_ready_i)) ||
                                  (cmd_valid_o && $stable(cmd_desc_o.op) && $stable(cmd_desc_o.k)));
    end
  end
`endif
endmodule
