// SPDX-License-Identifier: Apache-2.0
// The vector unit: runs one vector op (EMBED, NORM, ROPE, SOFTMAX, GATE, QUANT, KAPPEND, VAPPEND)
// at a time through the accelerator's DMA, as a program of slots over segments, passes and chunks
// (vu_prog). Cycle-exact to its C model, cmodel/ecim_vu.c (ecim_vu_comb/ecim_vu_clock): every
// output equals the model's on every cycle for the same inputs.
//
//   vu_prog     the slot of the current position, the next position
//   vu_dma      the LOAD / STORE / SCATTER engines (vu_scatter: the appends' writes)
//   vu_lanes    VecLanes VF32 pipelines (vu_lane) over the rows of a chunk, the lane accumulators,
//               the group maxima of a quantized output
//   vu_quant    the group scales and their inverses (and the group memory)
//   vu_scalar   the scalars of the reductions
//   five banks  A, B, C, D, T of VecBankBytes (edgecim_sram_be), the row registers RQ (256 INT8
//               codes) and RS (8 FP16 scales) of the KV appends as flops
//
// The command is taken in the cycle start_o is high (cmd_valid_i: the queue head is a vector op
// and the sequencer is idle; cmd_i is read in that cycle). After the op's last slot the unit
// waits until the DMA has sent every write (wr_idle_i), then raises done_o for one cycle.
module edgecim_vu #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned VecLanes     = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned MaxBurst     = edgecim_pkg::MaxBurstDefault,
  parameter int unsigned MacroRows    = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols    = edgecim_pkg::MacroColsDefault,
  localparam int unsigned DW          = DataBytes * 8,
  localparam int unsigned BurstBits   = $clog2(MaxBurst + 1)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Command.
  input  logic                   cmd_valid_i,
  input  edgecim_pkg::cmd_desc_t cmd_i,
  output logic                   start_o,
  output logic                   done_o,
  output logic                   busy_o,
  // DMA (edgecim_dma).
  output logic                   rd_req_valid_o,
  input  logic                   rd_req_ready_i,
  output logic [31:0]            rd_req_addr_o,
  output logic [BurstBits-1:0]   rd_req_beats_o,
  input  logic                   rd_valid_i,
  output logic                   rd_pop_o,
  input  logic [DW-1:0]          rd_data_i,
  output logic                   wr_req_valid_o,
  input  logic                   wr_req_ready_i,
  output logic [31:0]            wr_req_addr_o,
  output logic [8:0]             wr_req_beats_o,
  output logic                   wr_valid_o,
  input  logic                   wr_ready_i,
  output logic [DW-1:0]          wr_data_o,
  output logic [DataBytes-1:0]   wr_strb_o,
  input  logic                   wr_idle_i
);
  localparam int unsigned BankWords = VecBankBytes / DataBytes;
  localparam int unsigned Aw        = $clog2(BankWords);
  localparam int unsigned Gw        = $clog2(VecBankBytes / 256);
  localparam int unsigned LanesLog  = $clog2(VecLanes);

  // ------------------------------------------------------------------ control
  typedef enum logic [1:0] {
    StIdle,
    StRun,     // the op's slots
    StDrain    // its slots are done, its writes draining
  } state_e;

  state_e        state_q, state_d;
  vu_pkg::cmd_t  cmd_q;
  vu_pkg::pc_t   pc_q, pc_next;
  vu_pkg::slot_t slot;
  logic          in_slot_q, last, exec, entry, slot_end, dma_done, compute_like;
  logic [15:0]   cyc_q;
  logic [31:0]   dur, rows, v_block0, v_nb_stride;

  vu_prog #(
    .DataBytes    (DataBytes),
    .VecBankBytes (VecBankBytes),
    .MacroRows    (MacroRows),
    .MacroCols    (MacroCols)
  ) u_prog (
    .cmd_i         (cmd_q),
    .pc_i          (pc_q),
    .slot_o        (slot),
    .pc_next_o     (pc_next),
    .last_o        (last),
    .v_block0_o    (v_block0),
    .v_nb_stride_o (v_nb_stride)
  );

  // Durations of the compute-like slots (cmodel/ecim_vu_exec.c ecim_vu_execute).
  always_comb begin
    rows = (32'(slot.n) + 32'(VecLanes - 1)) >> LanesLog;
    case (slot.kind)
      vu_pkg::SlotCompute, vu_pkg::SlotQcodes: dur = rows + 32'(edgecim_pkg::VuPipe);
      vu_pkg::SlotScalar:                      dur = 32'(edgecim_pkg::VuPipe);
      vu_pkg::SlotQscale: dur = slot.row_mode ? 32'(1 + edgecim_pkg::VuPipe) : 32'(slot.n) + 32'(edgecim_pkg::VuPipe);
      default:                                 dur = 32'd1;
    endcase
    compute_like = slot.kind == vu_pkg::SlotCompute || slot.kind == vu_pkg::SlotScalar ||
                   slot.kind == vu_pkg::SlotQscale || slot.kind == vu_pkg::SlotQcodes;
  end

  assign exec  = state_q == StRun && slot.enabled;
  assign entry = state_q == StRun && !in_slot_q;
  always_comb begin
    slot_end = 1'b0;
    if (state_q == StRun) begin
      if (!slot.enabled) slot_end = 1'b1;
      else if (compute_like) slot_end = in_slot_q && 32'(cyc_q) + 32'd1 == dur;
      else slot_end = dma_done;
    end
  end

  assign start_o = state_q == StIdle && cmd_valid_i;
  assign done_o  = state_q == StDrain && wr_idle_i;
  assign busy_o  = state_q != StIdle;

  always_comb begin
    state_d = state_q;
    case (state_q)
      StIdle:  if (cmd_valid_i) state_d = StRun;
      StRun:   if (slot_end && last) state_d = StDrain;
      StDrain: if (wr_idle_i) state_d = StIdle;
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= StIdle;
      cmd_q     <= '0;
      pc_q      <= '0;
      in_slot_q <= 1'b0;
      cyc_q     <= '0;
    end else begin
      state_q <= state_d;
      if (start_o) begin
        cmd_q.op      <= cmd_i.op;
        cmd_q.src0    <= cmd_i.w_addr;
        cmd_q.src1    <= cmd_i.x_addr;
        cmd_q.dst     <= cmd_i.y_addr;
        cmd_q.stride  <= cmd_i.stride;
        cmd_q.dstride <= cmd_i.dstride;
        cmd_q.p0      <= cmd_i.p0;
        cmd_q.p1      <= cmd_i.p1;
        cmd_q.flags   <= cmd_i.flags;
        cmd_q.len     <= cmd_i.k;
        cmd_q.count   <= cmd_i.n;
        cmd_q.pos     <= cmd_i.pos;
        cmd_q.token   <= cmd_i.token;
        pc_q          <= '0;
        in_slot_q     <= 1'b0;
        cyc_q         <= '0;
      end else if (state_q == StRun) begin
        if (slot_end) begin
          pc_q      <= pc_next;
          in_slot_q <= 1'b0;
          cyc_q     <= '0;
        end else begin
          in_slot_q <= 1'b1;
          if (compute_like) cyc_q <= cyc_q + 16'd1;
        end
      end
    end
  end

  // ------------------------------------------------------------------ the row registers
  logic [2047:0] rq_q;
  logic [127:0]  rs_q;
  logic          rq_ld_en, rs_ld_en, rq_wr_en, rs_wr_en;
  logic [255:0]  rq_ld_be, rq_wr_be;
  logic [15:0]   rs_ld_be, rs_wr_be;
  logic [2047:0] rq_ld_data, rq_wr_data;
  logic [127:0]  rs_wr_data;
  always_ff @(posedge clk_i) begin
    for (int unsigned b = 0; b < 256; b++) begin
      if (rq_ld_en && rq_ld_be[b])      rq_q[b*8 +: 8] <= rq_ld_data[b*8 +: 8];
      else if (rq_wr_en && rq_wr_be[b]) rq_q[b*8 +: 8] <= rq_wr_data[b*8 +: 8];
    end
    for (int unsigned b = 0; b < 16; b++) begin
      if (rs_ld_en && rs_ld_be[b])      rs_q[b*8 +: 8] <= rd_data_i[b*8 +: 8];
      else if (rs_wr_en && rs_wr_be[b]) rs_q[b*8 +: 8] <= rs_wr_data[b*8 +: 8];
    end
  end

  // ------------------------------------------------------------------ DMA engines
  logic              ld_a_en, ld_b_en, ld_d_en, st_rd_en;
  logic [Aw-1:0]     ld_addr, st_rd_addr;
  logic [DW-1:0]     st_rd_data, sc_data;
  logic [15:0]       sc_idx;
  logic [31:0]       sc_addr;
  logic [DataBytes-1:0] sc_strb;
  logic [15:0]       row_s16;

  vu_dma #(
    .DataBytes    (DataBytes),
    .MaxBurst     (MaxBurst),
    .VecBankBytes (VecBankBytes)
  ) u_dma (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .slot_i         (slot),
    .exec_i         (exec),
    .entry_i        (entry),
    .slot_end_i     (slot_end),
    .done_o         (dma_done),
    .rd_req_valid_o (rd_req_valid_o),
    .rd_req_ready_i (rd_req_ready_i),
    .rd_req_addr_o  (rd_req_addr_o),
    .rd_req_beats_o (rd_req_beats_o),
    .rd_valid_i     (rd_valid_i),
    .rd_pop_o       (rd_pop_o),
    .rd_data_i      (rd_data_i),
    .wr_req_valid_o (wr_req_valid_o),
    .wr_req_ready_i (wr_req_ready_i),
    .wr_req_addr_o  (wr_req_addr_o),
    .wr_req_beats_o (wr_req_beats_o),
    .wr_valid_o     (wr_valid_o),
    .wr_ready_i     (wr_ready_i),
    .wr_data_o      (wr_data_o),
    .wr_strb_o      (wr_strb_o),
    .ld_a_en_o      (ld_a_en),
    .ld_b_en_o      (ld_b_en),
    .ld_d_en_o      (ld_d_en),
    .ld_addr_o      (ld_addr),
    .rq_ld_en_o     (rq_ld_en),
    .rq_ld_be_o     (rq_ld_be),
    .rq_ld_data_o   (rq_ld_data),
    .rs_ld_en_o     (rs_ld_en),
    .rs_ld_be_o     (rs_ld_be),
    .st_rd_en_o     (st_rd_en),
    .st_rd_addr_o   (st_rd_addr),
    .st_rd_data_i   (st_rd_data),
    .sc_idx_o       (sc_idx),
    .sc_addr_i      (sc_addr),
    .sc_data_i      (sc_data),
    .sc_strb_i      (sc_strb)
  );

  vu_scatter #(
    .DataBytes (DataBytes),
    .MacroRows (MacroRows),
    .MacroCols (MacroCols)
  ) u_scatter (
    .cmd_i         (cmd_q),
    .seg_i         (pc_q.seg),
    .vscale_i      (slot.vscale),
    .idx_i         (sc_idx),
    .rq_i          (rq_q),
    .rs_i          (rs_q),
    .row_s16_i     (row_s16),
    .v_block0_i    (v_block0),
    .v_nb_stride_i (v_nb_stride),
    .addr_o        (sc_addr),
    .data_o        (sc_data),
    .strb_o        (sc_strb)
  );

  // ------------------------------------------------------------------ lanes, quantizer, scalars
  logic                 la_rd_en, lb_rd_en, ld_rd_en, lt_rd_en;
  logic [Aw-1:0]        la_rd_addr, lb_rd_addr, ld_rd_addr, lt_rd_addr;
  logic [DW-1:0]        a_rd_data, b_rd_data, c_rd_data, d_rd_data, t_rd_data;
  logic                 lc_wr_en, lt_wr_en, qd_wr_en;
  logic [Aw-1:0]        lc_wr_addr, lt_wr_addr, qd_wr_addr;
  logic [DataBytes-1:0] lc_wr_be, lt_wr_be, qd_wr_be;
  logic [DW-1:0]        lc_wr_data, lt_wr_data, qd_wr_data;
  logic                 grp_wr_en, grp_rd_en;
  logic [Gw-1:0]        grp_wr_addr, grp_rd_addr;
  logic [31:0]          grp_wr_data, grp_rd_data, rowmax, acc0, r_norm, m_max, inv_sum, row_inv;

  vu_lanes #(
    .DataBytes    (DataBytes),
    .VecLanes     (VecLanes),
    .VecBankBytes (VecBankBytes),
    .MacroCols    (MacroCols)
  ) u_lanes (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .slot_i        (slot),
    .exec_i        (exec),
    .entry_i       (entry),
    .cyc_i         (cyc_q),
    .cmd_i         (cmd_q),
    .chunk_i       (pc_q.chunk),
    .r_norm_i      (r_norm),
    .m_max_i       (m_max),
    .inv_sum_i     (inv_sum),
    .row_inv_i     (row_inv),
    .a_rd_en_o     (la_rd_en),
    .a_rd_addr_o   (la_rd_addr),
    .a_rd_data_i   (a_rd_data),
    .b_rd_en_o     (lb_rd_en),
    .b_rd_addr_o   (lb_rd_addr),
    .b_rd_data_i   (b_rd_data),
    .d_rd_en_o     (ld_rd_en),
    .d_rd_addr_o   (ld_rd_addr),
    .d_rd_data_i   (d_rd_data),
    .t_rd_en_o     (lt_rd_en),
    .t_rd_addr_o   (lt_rd_addr),
    .t_rd_data_i   (t_rd_data),
    .c_wr_en_o     (lc_wr_en),
    .c_wr_addr_o   (lc_wr_addr),
    .c_wr_be_o     (lc_wr_be),
    .c_wr_data_o   (lc_wr_data),
    .t_wr_en_o     (lt_wr_en),
    .t_wr_addr_o   (lt_wr_addr),
    .t_wr_be_o     (lt_wr_be),
    .t_wr_data_o   (lt_wr_data),
    .grp_wr_en_o   (grp_wr_en),
    .grp_wr_addr_o (grp_wr_addr),
    .grp_wr_data_o (grp_wr_data),
    .grp_rd_en_o   (grp_rd_en),
    .grp_rd_addr_o (grp_rd_addr),
    .grp_rd_data_i (grp_rd_data),
    .rq_i          (rq_q),
    .rq_wr_en_o    (rq_wr_en),
    .rq_wr_be_o    (rq_wr_be),
    .rq_wr_data_o  (rq_wr_data),
    .rowmax_o      (rowmax),
    .acc0_o        (acc0)
  );

  vu_quant #(
    .DataBytes    (DataBytes),
    .VecBankBytes (VecBankBytes)
  ) u_quant (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .slot_i        (slot),
    .exec_i        (exec),
    .cyc_i         (cyc_q),
    .rowmax_i      (rowmax),
    .grp_wr_en_i   (grp_wr_en),
    .grp_wr_addr_i (grp_wr_addr),
    .grp_wr_data_i (grp_wr_data),
    .grp_rd_en_i   (grp_rd_en),
    .grp_rd_addr_i (grp_rd_addr),
    .grp_rd_data_o (grp_rd_data),
    .d_wr_en_o     (qd_wr_en),
    .d_wr_addr_o   (qd_wr_addr),
    .d_wr_be_o     (qd_wr_be),
    .d_wr_data_o   (qd_wr_data),
    .rs_wr_en_o    (rs_wr_en),
    .rs_wr_be_o    (rs_wr_be),
    .rs_wr_data_o  (rs_wr_data),
    .row_s16_o     (row_s16),
    .row_inv_o     (row_inv)
  );

  vu_scalar u_scalar (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .slot_i    (slot),
    .exec_i    (exec),
    .cyc_i     (cyc_q),
    .acc0_i    (acc0),
    .p0_i      (cmd_q.p0),
    .p1_i      (cmd_q.p1),
    .r_norm_o  (r_norm),
    .m_max_o   (m_max),
    .inv_sum_o (inv_sum)
  );

  // ------------------------------------------------------------------ the banks
  // A, B: loaded, read by the lanes. C: written by the lanes, stored. D: loaded (RoPE's pair)
  // and written by the quantizer (scales), read by the lanes and stored. T: written by the lanes,
  // read by them (QCODES) and stored.
  logic st_c, st_d, st_t;
  assign st_c = st_rd_en && slot.r0.bank == vu_pkg::BankC;
  assign st_d = st_rd_en && slot.r0.bank == vu_pkg::BankD;
  assign st_t = st_rd_en && slot.r0.bank == vu_pkg::BankT;
  always_comb begin
    case (slot.r0.bank)
      vu_pkg::BankD: st_rd_data = d_rd_data;
      vu_pkg::BankT: st_rd_data = t_rd_data;
      default:       st_rd_data = c_rd_data;
    endcase
  end

  edgecim_sram_be #(.Words (BankWords), .Bytes (DataBytes)) u_bank_a (
    .clk_i     (clk_i),
    .wr_en_i   (ld_a_en),
    .wr_addr_i (ld_addr),
    .wr_be_i   ('1),
    .wr_data_i (rd_data_i),
    .rd_en_i   (la_rd_en),
    .rd_addr_i (la_rd_addr),
    .rd_data_o (a_rd_data)
  );
  edgecim_sram_be #(.Words (BankWords), .Bytes (DataBytes)) u_bank_b (
    .clk_i     (clk_i),
    .wr_en_i   (ld_b_en),
    .wr_addr_i (ld_addr),
    .wr_be_i   ('1),
    .wr_data_i (rd_data_i),
    .rd_en_i   (lb_rd_en),
    .rd_addr_i (lb_rd_addr),
    .rd_data_o (b_rd_data)
  );
  edgecim_sram_be #(.Words (BankWords), .Bytes (DataBytes)) u_bank_c (
    .clk_i     (clk_i),
    .wr_en_i   (lc_wr_en),
    .wr_addr_i (lc_wr_addr),
    .wr_be_i   (lc_wr_be),
    .wr_data_i (lc_wr_data),
    .rd_en_i   (st_c),
    .rd_addr_i (st_rd_addr),
    .rd_data_o (c_rd_data)
  );
  edgecim_sram_be #(.Words (BankWords), .Bytes (DataBytes)) u_bank_d (
    .clk_i     (clk_i),
    .wr_en_i   (ld_d_en || qd_wr_en),
    .wr_addr_i (ld_d_en ? ld_addr : qd_wr_addr),
    .wr_be_i   (ld_d_en ? '1 : qd_wr_be),
    .wr_data_i (ld_d_en ? rd_data_i : qd_wr_data),
    .rd_en_i   (st_d || ld_rd_en),
    .rd_addr_i (st_d ? st_rd_addr : ld_rd_addr),
    .rd_data_o (d_rd_data)
  );
  edgecim_sram_be #(.Words (BankWords), .Bytes (DataBytes)) u_bank_t (
    .clk_i     (clk_i),
    .wr_en_i   (lt_wr_en),
    .wr_addr_i (lt_wr_addr),
    .wr_be_i   (lt_wr_be),
    .wr_data_i (lt_wr_data),
    .rd_en_i   (st_t || lt_rd_en),
    .rd_addr_i (st_t ? st_rd_addr : lt_rd_addr),
    .rd_data_o (t_rd_data)
  );

  logic unused_cmd;
  assign unused_cmd = ^cmd_i.b_addr;
endmodule
