// SPDX-License-Identifier: Apache-2.0
// The programs of the vector unit's ops (cmodel/ecim_vu_prog.c, the same tables): for the
// current position (segment, pass, chunk, slot) of the registered command, the slot with its
// regions, counts and enables; the next position, and whether the op has no slot left. Pure
// combinational logic of registers (the command and the position), so the slot is known in
// the cycle the unit enters it. Address arithmetic is 32-bit and wraps like the C model's.
module vu_prog #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned MacroRows    = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols    = edgecim_pkg::MacroColsDefault
) (
  input  vu_pkg::cmd_t  cmd_i,
  input  vu_pkg::pc_t   pc_i,
  output vu_pkg::slot_t slot_o,
  output vu_pkg::pc_t   pc_next_o,
  output logic          last_o,       // pc_i holds the op's last slot
  // KV-cache terms the scatter writes share with the slots: the V^T block of (segment, output
  // block 0) holding TOKEN_POS's row, and the stride between output blocks.
  output logic [31:0]   v_block0_o,
  output logic [31:0]   v_nb_stride_o
);
  localparam int unsigned Ce        = VecBankBytes / 8;          // elements of a chunk
  localparam int unsigned CeLog     = $clog2(Ce);
  localparam int unsigned ColsLog   = $clog2(MacroCols);
  localparam int unsigned RowsLog   = $clog2(MacroRows);
  // block_bytes(MacroRows, MacroCols, 8): a full INT8 weight block.
  localparam int unsigned BlockFull = (MacroRows * MacroCols + MacroRows / 32 * MacroCols * 2 + 255) / 256 * 256;
  localparam int unsigned VRegion   = 8 * MacroCols * 4;         // bit-plane words of one V^T group
  localparam int unsigned PerNb     = (2 * MacroCols > DataBytes) ? 2 * MacroCols / DataBytes : 1;

  // ------------------------------------------------------------------ the program tables (PROG)
  function automatic logic [1:0] n_passes(logic [3:0] op);
    case (op)
      edgecim_pkg::CmdOpNorm, edgecim_pkg::CmdOpVappend: n_passes = 2'd2;
      edgecim_pkg::CmdOpSoftmax:                         n_passes = 2'd3;
      default:                                           n_passes = 2'd1;
    endcase
  endfunction

  function automatic logic [2:0] n_slots(logic [3:0] op, logic [1:0] pass);
    case (op)
      edgecim_pkg::CmdOpEmbed:   n_slots = 3'd3;
      edgecim_pkg::CmdOpNorm:    n_slots = (pass == 2'd0) ? 3'd3 : 3'd6;
      edgecim_pkg::CmdOpSoftmax: n_slots = (pass == 2'd2) ? 3'd6 : 3'd3;
      edgecim_pkg::CmdOpKappend: n_slots = 3'd5;
      edgecim_pkg::CmdOpVappend: n_slots = (pass == 2'd0) ? 3'd5 : 3'd3;
      edgecim_pkg::CmdOpRope, edgecim_pkg::CmdOpGate, edgecim_pkg::CmdOpQuant: n_slots = 3'd6;
      default:                   n_slots = 3'd0;
    endcase
  endfunction

  // Slot kinds: LOAD, COMPUTE, then (SCALAR | the quantization slots and the stores | the
  // appends' quantization and scatter | STORE).
  function automatic vu_pkg::slot_kind_e prog_kind(logic [3:0] op, logic [1:0] pass, logic [2:0] slot);
    logic reduce, append, vstore;
    reduce = (op == edgecim_pkg::CmdOpNorm && pass == 2'd0) ||
             (op == edgecim_pkg::CmdOpSoftmax && pass != 2'd2);
    append = op == edgecim_pkg::CmdOpKappend || (op == edgecim_pkg::CmdOpVappend && pass == 2'd0);
    vstore = op == edgecim_pkg::CmdOpEmbed || (op == edgecim_pkg::CmdOpVappend && pass == 2'd1);
    prog_kind = vu_pkg::SlotEnd;
    if (slot < n_slots(op, pass)) begin
      case (slot)
        3'd0:    prog_kind = vu_pkg::SlotLoad;
        3'd1:    prog_kind = vu_pkg::SlotCompute;
        3'd2:    prog_kind = reduce ? vu_pkg::SlotScalar : vstore ? vu_pkg::SlotStore : vu_pkg::SlotQscale;
        3'd3:    prog_kind = vu_pkg::SlotQcodes;
        3'd4:    prog_kind = append ? vu_pkg::SlotScatter : vu_pkg::SlotStore;
        default: prog_kind = vu_pkg::SlotSstore;
      endcase
    end
  endfunction

  // A region (vu_pkg::region_t, as a vector: Yosys 0.23 returns no struct from a function).
  function automatic logic [vu_pkg::RegionBits-1:0] region(vu_pkg::bank_e bank, logic [31:0] addr,
                                                           logic [31:0] bytes, logic en);
    region = {addr, bytes, en ? bank : vu_pkg::BankNone};
  endfunction

  // ------------------------------------------------------------------ shapes of the command
  vu_pkg::cmd_t c;
  logic [31:0] len, count, seg, chunk, e0;
  logic [31:0] kp_len, kpad_len, x_stride, y_stride, nnb, nch, chunks, es, n;
  logic [47:0] concat_k;
  logic [33:0] p0_kp, p0_nkb;
  logic [31:0] seg_src, seg_dst, v_block, v_region, v_gl, qx_off;
  logic [1:0]  out_fmt;
  logic        last_chunk, qx_in, qx_out, to_rows, multi, x_f32, concat;
  logic [31:0] row, n_groups;
  vu_pkg::slot_t sl;

  assign c = cmd_i;

  always_comb begin
    len      = 32'(c.len);
    count    = 32'(c.count);
    seg      = 32'(pc_i.seg);
    chunk    = 32'(pc_i.chunk);
    x_f32    = vu_pkg::flag_x_f32(c.flags);
    concat   = vu_pkg::flag_concat(c.flags);
    es       = x_f32 ? 32'd4 : 32'd8;
    e0       = chunk << CeLog;
    kp_len   = (len + 32'd31) & ~32'd31;
    kpad_len = (len + 32'd255) & ~32'd255;
    x_stride = kpad_len + (((kp_len >> 4) + 32'd255) & ~32'd255);
    nnb      = (len + 32'(MacroCols - 1)) >> ColsLog;
    y_stride = nnb << (ColsLog + 3);
    nch      = (len + 32'(Ce - 1)) >> CeLog;
    multi    = nch > 32'd1;
    case (c.op)
      edgecim_pkg::CmdOpRope, edgecim_pkg::CmdOpKappend: chunks = 32'd1;
      edgecim_pkg::CmdOpVappend: chunks = (pc_i.pass == 2'd0) ? 32'd1 : nnb;
      default: chunks = nch;
    endcase
    last_chunk = chunk + 32'd1 == chunks;
    qx_in      = c.op == edgecim_pkg::CmdOpKappend && vu_pkg::flag_qx_in(c.flags);
    to_rows    = c.op == edgecim_pkg::CmdOpKappend || c.op == edgecim_pkg::CmdOpVappend;
    if (c.op == edgecim_pkg::CmdOpSoftmax)    out_fmt = edgecim_pkg::VuFmtQx;
    else if (c.op == edgecim_pkg::CmdOpEmbed) out_fmt = edgecim_pkg::VuFmtQ24;
    else                                      out_fmt = vu_pkg::flag_out_fmt(c.flags);
    qx_out = !to_rows && out_fmt == edgecim_pkg::VuFmtQx;
    // Elements of this chunk (unsigned: a chunk past LEN reads as a full one, as in C).
    n = len - e0;
    if (n > 32'(Ce)) n = 32'(Ce);
    if (chunks == 32'd1 && c.op != edgecim_pkg::CmdOpVappend) n = len;
    n_groups = (n + 32'd31) >> 5;

    // Where segment s starts, in the input and in the output.
    seg_src = (c.op == edgecim_pkg::CmdOpSoftmax) ? c.src0 + seg * y_stride : c.src0 + seg * c.stride;
    if (c.op == edgecim_pkg::CmdOpSoftmax) seg_dst = c.dst + seg * x_stride;
    else if (concat)                        seg_dst = c.dst;
    else                                    seg_dst = c.dst + seg * c.dstride;
    qx_off = concat ? seg * len : 32'd0;

    // VAPPEND: the V^T block (segment, output block `chunk`) and the group of TOKEN_POS's row.
    p0_kp   = (34'(c.p0) + 34'd31) & ~34'd31;
    p0_nkb  = (p0_kp + 34'(MacroRows) - 34'd1) >> RowsLog;
    v_nb_stride_o = 32'(p0_nkb) * 32'(BlockFull);
    v_block0_o = c.dst + seg * c.dstride + (32'(c.pos) >> RowsLog) * 32'(BlockFull);
    v_block    = v_block0_o + chunk * v_nb_stride_o;
    v_gl       = (32'(c.pos) & 32'(MacroRows - 1)) >> 5;
    v_region   = v_block + v_gl * 32'(VRegion);

    concat_k = 48'(c.len) * 48'(c.count);
    row      = c.src0 + c.token * c.stride;

    // ---------------------------------------------------------------- the slot at pc_i
    sl          = '0;
    sl.kind     = prog_kind(c.op, pc_i.pass, pc_i.slot);
    sl.enabled  = 1'b1;
    sl.elem0    = e0;
    sl.r0.bank  = vu_pkg::BankNone;
    sl.r1.bank  = vu_pkg::BankNone;
    sl.compute  = vu_pkg::CompCopy;
    case (sl.kind)
      vu_pkg::SlotLoad: begin
        sl.r0 = region(vu_pkg::BankA, seg_src + e0 * es, n * es, 1'b1);
        sl.r1 = region(vu_pkg::BankB, 32'd0, 32'd0, 1'b0);
        case (c.op)
          edgecim_pkg::CmdOpEmbed: begin
            sl.r0 = region(vu_pkg::BankA, row + e0, n, 1'b1);
            sl.r1 = region(vu_pkg::BankB, row + kpad_len, kp_len >> 4, chunk == 32'd0);
          end
          edgecim_pkg::CmdOpNorm: begin
            if (pc_i.pass == 2'd1) begin
              sl.r0.bank = multi ? vu_pkg::BankA : vu_pkg::BankNone;
              sl.r1 = region(vu_pkg::BankB, c.src1 + e0 * 32'd4, n * 32'd4, multi || seg == 32'd0);
            end
          end
          edgecim_pkg::CmdOpRope: begin
            sl.r0 = region(vu_pkg::BankAd, seg_src, len * es, 1'b1);
            sl.r1 = region(vu_pkg::BankB, c.src1 + 32'(c.pos) * c.p1, len * 32'd4, seg == 32'd0);
          end
          edgecim_pkg::CmdOpSoftmax: begin
            if (pc_i.pass != 2'd0) sl.r0.bank = multi ? vu_pkg::BankA : vu_pkg::BankNone;
            if (pc_i.pass == 2'd2)
              sl.r1 = region(vu_pkg::BankB, c.src1 + e0 * 32'd4, n * 32'd4,
                             vu_pkg::flag_vscale(c.flags) && (multi || seg == 32'd0));
          end
          edgecim_pkg::CmdOpGate:
            sl.r1 = region(vu_pkg::BankB, c.src1 + seg * c.stride + e0 * es, n * es, 1'b1);
          edgecim_pkg::CmdOpKappend: begin
            if (vu_pkg::flag_qx_in(c.flags)) begin
              sl.r0 = region(vu_pkg::BankRq, seg_src, len, 1'b1);
              sl.r1 = region(vu_pkg::BankRs, seg_src + kpad_len, len >> 4, 1'b1);
            end
          end
          edgecim_pkg::CmdOpVappend: begin
            if (pc_i.pass == 2'd1) sl.r0 = region(vu_pkg::BankA, v_region, 32'(VRegion), 1'b1);
          end
          default: ;
        endcase
        sl.enabled = sl.r0.bank != vu_pkg::BankNone || sl.r1.bank != vu_pkg::BankNone;
      end
      vu_pkg::SlotCompute: begin
        case (c.op)
          edgecim_pkg::CmdOpEmbed:   sl.compute = vu_pkg::CompEmbed;
          edgecim_pkg::CmdOpNorm:    sl.compute = (pc_i.pass == 2'd0) ? vu_pkg::CompSs : vu_pkg::CompApply;
          edgecim_pkg::CmdOpRope:    sl.compute = vu_pkg::CompRope;
          edgecim_pkg::CmdOpSoftmax: sl.compute = (pc_i.pass == 2'd0) ? vu_pkg::CompMax :
                                                  (pc_i.pass == 2'd1) ? vu_pkg::CompExpsum : vu_pkg::CompExpout;
          edgecim_pkg::CmdOpGate:    sl.compute = vu_pkg::CompGate;
          edgecim_pkg::CmdOpVappend: sl.compute = (pc_i.pass == 2'd0) ? vu_pkg::CompCopy : vu_pkg::CompVmod;
          default:                   sl.compute = vu_pkg::CompCopy;
        endcase
        sl.first    = chunk == 32'd0;
        sl.out_fmt  = to_rows ? edgecim_pkg::VuFmtQx : out_fmt;
        sl.row_mode = c.op == edgecim_pkg::CmdOpVappend;
        sl.n        = (sl.compute == vu_pkg::CompVmod) ? 16'(8 * MacroCols) : 16'(n);
        sl.enabled  = !qx_in;
      end
      vu_pkg::SlotScalar: begin
        sl.compute = (c.op == edgecim_pkg::CmdOpNorm) ? vu_pkg::CompRsqrt :
                     (pc_i.pass == 2'd0) ? vu_pkg::CompMax : vu_pkg::CompRecip;
        sl.enabled = last_chunk;
      end
      vu_pkg::SlotQscale, vu_pkg::SlotQcodes: begin
        sl.n         = (sl.kind == vu_pkg::SlotQscale) ? 16'(n_groups) : 16'(n);
        sl.row_mode  = c.op == edgecim_pkg::CmdOpVappend;
        sl.to_rows   = to_rows;
        sl.scale_off = 16'((qx_off >> 5) + (e0 >> 5));
        sl.enabled   = to_rows ? !qx_in : qx_out;
      end
      vu_pkg::SlotStore: begin
        if (c.op == edgecim_pkg::CmdOpVappend) begin
          sl.r0 = region(vu_pkg::BankT, v_region, 32'(VRegion), 1'b1);
        end else begin
          case (out_fmt)
            edgecim_pkg::VuFmtQ24: sl.r0 = region(vu_pkg::BankC, seg_dst + e0 * 32'd8, n * 32'd8, 1'b1);
            edgecim_pkg::VuFmtF32: sl.r0 = region(vu_pkg::BankT, seg_dst + e0 * 32'd4, n * 32'd4, 1'b1);
            default:               sl.r0 = region(vu_pkg::BankC, seg_dst + qx_off + e0, n, 1'b1);
          endcase
        end
      end
      vu_pkg::SlotSstore: begin
        if (concat)
          sl.r0 = region(vu_pkg::BankD, c.dst + 32'(edgecim_pkg::kpad(concat_k)), 32'(edgecim_pkg::kp(concat_k) >> 4),
                         last_chunk && seg + 32'd1 == count);
        else
          sl.r0 = region(vu_pkg::BankD, seg_dst + kpad_len, kp_len >> 4, last_chunk && qx_out);
        sl.enabled = sl.r0.bank != vu_pkg::BankNone;
      end
      vu_pkg::SlotScatter: begin
        sl.vscale = c.op != edgecim_pkg::CmdOpKappend;
        if (!sl.vscale)                 sl.n = 16'((len >> 5) * 32'd9);
        else if (c.pos[4:0] == 5'd0)    sl.n = 16'(32'd1 + nnb * 32'(PerNb));
        else                            sl.n = 16'd1;
      end
      default: ;
    endcase
  end

  assign slot_o = sl;

  // ------------------------------------------------------------------ the next position
  always_comb begin
    pc_next_o = pc_i;
    last_o    = 1'b0;
    if (pc_i.slot + 3'd1 < n_slots(c.op, pc_i.pass)) begin
      pc_next_o.slot = pc_i.slot + 3'd1;
    end else begin
      pc_next_o.slot = '0;
      if (chunk + 32'd1 < chunks) begin
        pc_next_o.chunk = pc_i.chunk + vu_pkg::ChunkBits'(1);
      end else begin
        pc_next_o.chunk = '0;
        if (pc_i.pass + 2'd1 < n_passes(c.op)) begin
          pc_next_o.pass = pc_i.pass + 2'd1;
        end else begin
          pc_next_o.pass = '0;
          pc_next_o.seg  = pc_i.seg + vu_pkg::SegBits'(1);
          last_o         = seg + 32'd1 >= count;
        end
      end
    end
  end

  // The 48-bit layout formulas of edgecim_pkg: the high bits of the product are never set.
  logic unused;
  assign unused = ^{concat_k[47:32], p0_nkb[33:32], n_groups[31:16]};
endmodule
