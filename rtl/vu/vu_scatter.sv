// SPDX-License-Identifier: Apache-2.0
// The single-beat writes of the KV-cache appends (SCATTER slots, cmodel/ecim_vu.c
// kappend_write(), vappend_write()): write i as a port beat (its address, data and strobes).
//   KAPPEND: TOKEN_POS's column of every K matrix: for each group of 32 inputs its 8 bit-plane
//            words (bit r of word j = bit j of the code of input 32 g + r), then the groups' FP16
//            scales, in the INT8 packed layout (docs/NUMERICS.md).
//   VAPPEND: the row's scale (VF32) in the V-scale vector; when TOKEN_POS starts a group, the
//            weight scales 1.0 of that group in every output block of V^T.
// Combinational from registers: the command, the segment, the write's index, the row registers.
module vu_scatter #(
  parameter int unsigned DataBytes = edgecim_pkg::DataBytesDefault,
  parameter int unsigned MacroRows = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols = edgecim_pkg::MacroColsDefault,
  localparam int unsigned DW       = DataBytes * 8
) (
  input  vu_pkg::cmd_t             cmd_i,
  input  logic [vu_pkg::SegBits-1:0] seg_i,
  input  logic                     vscale_i,     // VAPPEND's writes (else KAPPEND's)
  input  logic [15:0]              idx_i,        // the write
  input  logic [2047:0]            rq_i,
  input  logic [127:0]             rs_i,
  input  logic [15:0]              row_s16_i,
  input  logic [31:0]              v_block0_i,   // vu_prog: V^T block of output block 0
  input  logic [31:0]              v_nb_stride_i,
  output logic [31:0]              addr_o,       // of the beat
  output logic [DW-1:0]            data_o,
  output logic [DataBytes-1:0]     strb_o
);
  localparam int unsigned DbLog     = $clog2(DataBytes);
  localparam int unsigned ColsLog   = $clog2(MacroCols);
  localparam int unsigned RowsLog   = $clog2(MacroRows);
  localparam int unsigned GrpsLog   = RowsLog - 5;                     // groups of a block
  localparam int unsigned BlockFull = (MacroRows * MacroCols + MacroRows / 32 * MacroCols * 2 + 255) / 256 * 256;
  localparam int unsigned PerNb     = (2 * MacroCols > DataBytes) ? 2 * MacroCols / DataBytes : 1;
  localparam int unsigned PerNbLog  = $clog2(PerNb);
  localparam int unsigned OnesBytes = (2 * MacroCols < DataBytes) ? 2 * MacroCols : DataBytes;

  // Bytes of FP16 1.0 (0x3C00, little-endian), OnesBytes of them.
  function automatic logic [DW-1:0] ones_pattern();
    ones_pattern = '0;
    for (int unsigned b = 1; b < OnesBytes; b += 2) ones_pattern[b*8 +: 8] = 8'h3C;
  endfunction

  logic [31:0] len, kp, seg, i, nw, gi, kb, gl, col, rem, colblock, block, words, a, vs, nb, part, glv;
  logic [31:0] word;
  logic [2:0]  j;
  logic [DW-1:0] val;
  logic [8:0]  nbytes;

  vf_from_fp16 u_vs (
    .h_i (row_s16_i),
    .y_o (vs)
  );

  always_comb begin
    len  = 32'(cmd_i.len);
    kp   = (len + 32'd31) & ~32'd31;
    seg  = 32'(seg_i);
    i    = 32'(idx_i);
    // KAPPEND: group gi of input block kb; the column of TOKEN_POS in its output block.
    nw   = (len >> 5) << 3;
    gi   = (i < nw) ? i >> 3 : i - nw;
    kb   = (gi << 5) >> RowsLog;
    gl   = gi & 32'((1 << GrpsLog) - 1);
    col  = 32'(cmd_i.pos) & 32'(MacroCols - 1);
    rem  = kp & 32'(MacroRows - 1);
    colblock = (kp >> RowsLog) * 32'(BlockFull) +
               ((rem * 32'(MacroCols) + (rem >> 5) * 32'(MacroCols * 2) + 32'd255) & ~32'd255);
    block = cmd_i.dst + seg * cmd_i.dstride + (32'(cmd_i.pos) >> ColsLog) * colblock + kb * 32'(BlockFull);
    words = ((kp - kb * 32'(MacroRows) < 32'(MacroRows)) ? kp - kb * 32'(MacroRows) : 32'(MacroRows)) << ColsLog;
    j     = i[2:0];
    for (int unsigned r = 0; r < 32; r++) word[r] = rq_i[{gi[2:0], 5'(r), j}];
    // VAPPEND: output block nb, part `part` of its ones.
    nb   = (i - 32'd1) >> PerNbLog;
    part = (i - 32'd1) & 32'(PerNb - 1);
    glv  = (32'(cmd_i.pos) & 32'(MacroRows - 1)) >> 5;

    val    = '0;
    nbytes = 9'd4;
    if (!vscale_i) begin
      if (i < nw) begin
        a   = block + ((((gl << 3) + 32'(j)) << ColsLog) + col) * 32'd4;
        val = DW'(word);
      end else begin
        a      = block + words + ((gl << ColsLog) + col) * 32'd2;
        val    = DW'(rs_i[gi[2:0]*16 +: 16]);
        nbytes = 9'd2;
      end
    end else if (i == 32'd0) begin
      a   = cmd_i.src1 + seg * cmd_i.p1 + 32'(cmd_i.pos) * 32'd4;
      val = DW'(vs);
    end else begin
      a      = v_block0_i + nb * v_nb_stride_i + 32'(MacroRows * MacroCols) + glv * 32'(MacroCols * 2) +
               part * 32'(DataBytes);
      val    = ones_pattern();
      nbytes = 9'(OnesBytes);
    end
    addr_o = a & ~32'(DataBytes - 1);
    data_o = val << {a[DbLog-1:0], 3'b000};
    for (int unsigned b = 0; b < DataBytes; b++) strb_o[b] = 9'(b) < nbytes;
    strb_o = strb_o << a[DbLog-1:0];
  end
endmodule
