// SPDX-License-Identifier: Apache-2.0
// The quantizer's scales (QSCALE slots, cmodel/ecim_vu_exec.c qscale()): for each group g of the
// chunk, s16 = to_fp16(amax * 1/127) and inv = s16 ? recip(from_fp16(s16)) : 0, one group per
// cycle through two stages; the scale goes to bank D (or the row register RS), the inverse to
// the group memory, in place of the maximum it came from. In row mode (VAPPEND) one scale for
// the row's maximum. The group memory (a small SRAM, one word per group of a chunk) holds the
// maxima the lanes write in a COMPUTE slot, and the inverses QCODES reads.
module vu_quant #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  localparam int unsigned DW          = DataBytes * 8,
  localparam int unsigned BankWords   = VecBankBytes / DataBytes,
  localparam int unsigned Aw          = $clog2(BankWords),
  localparam int unsigned GrpWords    = VecBankBytes / 256,
  localparam int unsigned Gw          = $clog2(GrpWords)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  vu_pkg::slot_t        slot_i,
  input  logic                 exec_i,       // the unit runs slot_i (and it is enabled)
  input  logic [15:0]          cyc_i,
  input  logic [31:0]          rowmax_i,
  // The lanes' side of the group memory.
  input  logic                 grp_wr_en_i,
  input  logic [Gw-1:0]        grp_wr_addr_i,
  input  logic [31:0]          grp_wr_data_i,
  input  logic                 grp_rd_en_i,
  input  logic [Gw-1:0]        grp_rd_addr_i,
  output logic [31:0]          grp_rd_data_o,
  // Scales into bank D or RS.
  output logic                 d_wr_en_o,
  output logic [Aw-1:0]        d_wr_addr_o,
  output logic [DataBytes-1:0] d_wr_be_o,
  output logic [DW-1:0]        d_wr_data_o,
  output logic                 rs_wr_en_o,
  output logic [15:0]          rs_wr_be_o,
  output logic [127:0]         rs_wr_data_o,
  // Row mode: the row's scale and inverse.
  output logic [15:0]          row_s16_o,
  output logic [31:0]          row_inv_o
);
  localparam int unsigned DbLog = $clog2(DataBytes);

  logic        qscale, row_mode, p2_v;
  logic [31:0] cyc, n, g2, d_off;
  assign qscale   = exec_i && slot_i.kind == vu_pkg::SlotQscale;
  assign row_mode = slot_i.row_mode;
  assign cyc      = 32'(cyc_i);
  assign n        = 32'(slot_i.n);
  assign g2       = cyc - 32'd2;
  assign p2_v     = qscale && !row_mode && cyc >= 32'd2 && g2 < n;

  // ---------------------------------------------------------------- the group memory
  logic           mem_wr_en, mem_rd_en;
  logic [Gw-1:0]  mem_wr_addr, mem_rd_addr;
  logic [31:0]    mem_wr_data, inv;
  always_comb begin
    mem_rd_en   = grp_rd_en_i;
    mem_rd_addr = grp_rd_addr_i;
    mem_wr_en   = grp_wr_en_i;
    mem_wr_addr = grp_wr_addr_i;
    mem_wr_data = grp_wr_data_i;
    if (qscale) begin
      mem_rd_en   = !row_mode && cyc < n;
      mem_rd_addr = Gw'(cyc);
      mem_wr_en   = p2_v;
      mem_wr_addr = Gw'(g2);
      mem_wr_data = inv;
    end
  end

  edgecim_sram #(
    .Words (GrpWords),
    .Bits  (32)
  ) u_grp (
    .clk_i     (clk_i),
    .wr_en_i   (mem_wr_en),
    .wr_addr_i (mem_wr_addr),
    .wr_data_i (mem_wr_data),
    .rd_en_i   (mem_rd_en),
    .rd_addr_i (mem_rd_addr),
    .rd_data_o (grp_rd_data_o)
  );

  // ---------------------------------------------------------------- the two stages
  logic [31:0] amax, scaled, s32, recip;
  logic [15:0] s16, s16_q;
  assign amax = row_mode ? rowmax_i : grp_rd_data_o;
  vf_mul u_scale (
    .a_i (amax),
    .b_i (vf_tables_pkg::Inv127),
    .y_o (scaled)
  );
  vf_to_fp16 u_to_fp16 (
    .x_i (scaled),
    .h_o (s16)
  );
  always_ff @(posedge clk_i) s16_q <= s16;

  vf_from_fp16 u_from_fp16 (
    .h_i (s16_q),
    .y_o (s32)
  );
  vf_recip u_recip (
    .x_i (s32),
    .y_o (recip)
  );
  assign inv = (s16_q[14:0] == 15'd0) ? 32'd0 : recip;

  // Group g's scale: bank D at scale_off + g, or RS at g (the appends' row registers).
  always_comb begin
    d_off        = (32'(slot_i.scale_off) + g2) << 1;
    d_wr_en_o    = p2_v && !slot_i.to_rows;
    d_wr_addr_o  = Aw'(d_off >> DbLog);
    d_wr_be_o    = DataBytes'(2'b11) << d_off[DbLog-1:0];
    d_wr_data_o  = DW'(s16_q) << {d_off[DbLog-1:0], 3'b000};
    rs_wr_en_o   = p2_v && slot_i.to_rows;
    rs_wr_be_o   = 16'(2'b11) << {g2[2:0], 1'b0};
    rs_wr_data_o = 128'(s16_q) << {g2[2:0], 4'b0000};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      row_s16_o <= '0;
      row_inv_o <= '0;
    end else if (qscale && row_mode && cyc == 32'd2) begin
      row_s16_o <= s16_q;
      row_inv_o <= inv;
    end
  end
endmodule
