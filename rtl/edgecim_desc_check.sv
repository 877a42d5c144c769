// SPDX-License-Identifier: Apache-2.0
// The register file's checks of a descriptor about to be queued (docs/REGISTERS.md,
// docs/VECTOR_UNIT.md): TOKEN_POS applied where the flags ask, then the first rule it breaks, in
// the order fmt/ecim_desc.c (GEMV) and fmt/ecim_desc_vu.c (vector ops) give, which the driver
// runs too. Every buffer end is computed in 64 bits, where none can wrap around. Combinational.
module edgecim_desc_check #(
  parameter int unsigned NTiles       = edgecim_pkg::NTilesDefault,
  parameter int unsigned NRes         = edgecim_pkg::NResDefault,
  parameter int unsigned MaxWBits     = edgecim_pkg::MaxWBitsDefault,
  parameter int unsigned MacroRows    = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols    = edgecim_pkg::MacroColsDefault,
  parameter int unsigned ActBytes     = edgecim_pkg::ActBytesDefault,
  parameter int unsigned MaxBatch     = edgecim_pkg::MaxBatchDefault,
  parameter int unsigned VecLanes     = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  localparam int unsigned EB          = edgecim_reg_pkg::ErrBits
) (
  input  logic [14*32-1:0]        words_i,   // descriptor words 0 .. 13 (CMD_W_ADDR .. CMD_W_BYTES)
  input  logic [15:0]             pos_i,     // TOKEN_POS
  input  logic [31:0]             token_i,   // TOKEN_ID
  input  logic [31:0]             mem_limit_i,
  input  logic [31:0]             kv_base_i,
  input  logic [31:0]             kv_limit_i,
  output logic [EB-1:0]           err_o,
  output edgecim_pkg::cmd_desc_t  desc_o     // the descriptor as queued
);
  // ---------------------------------------------------------------------------------------------
  // The words, and the candidate (TOKEN_POS in K or LEN, and a GEMV's N)
  // ---------------------------------------------------------------------------------------------
  logic [31:0] w_addr, x_addr, y_addr, b_addr, k_raw, n_raw, flags, op, stride, dstride, p0, p1, p2, w_bytes;
  logic [31:0] k, n;
  assign w_addr  = words_i[0*32 +: 32];
  assign x_addr  = words_i[1*32 +: 32];
  assign y_addr  = words_i[2*32 +: 32];
  assign b_addr  = words_i[3*32 +: 32];
  assign k_raw   = words_i[4*32 +: 32];
  assign n_raw   = words_i[5*32 +: 32];
  assign flags   = words_i[6*32 +: 32];
  assign op      = words_i[7*32 +: 32];
  assign stride  = words_i[8*32 +: 32];
  assign dstride = words_i[9*32 +: 32];
  assign p0      = words_i[10*32 +: 32];
  assign p1      = words_i[11*32 +: 32];
  assign p2      = words_i[12*32 +: 32];
  assign w_bytes = words_i[13*32 +: 32];

  function automatic logic [31:0] sat_add(input logic [31:0] a, input logic [15:0] b);
    logic [32:0] s;
    s = {1'b0, a} + 33'(b);
    sat_add = s[32] ? 32'hFFFF_FFFF : s[31:0];
  endfunction
  // K_POS (GEMV) and LEN_POS (vector op) are the same bit; N_POS is a GEMV flag only.
  assign k = flags[edgecim_reg_pkg::CMD_FLAGS_K_POS_LSB] ? sat_add(k_raw, pos_i) : k_raw;
  assign n = (op == 32'(edgecim_pkg::CmdOpGemv) && flags[edgecim_reg_pkg::CMD_FLAGS_N_POS_LSB]) ? sat_add(n_raw, pos_i)
                                                                                                  : n_raw;

  assign desc_o.w_addr  = w_addr;
  assign desc_o.x_addr  = x_addr;
  assign desc_o.y_addr  = y_addr;
  assign desc_o.b_addr  = b_addr;
  assign desc_o.k       = k[15:0];
  assign desc_o.n       = n[23:0];
  assign desc_o.flags   = flags[27:0];
  assign desc_o.op      = op[3:0];
  assign desc_o.stride  = stride;
  assign desc_o.dstride = dstride;
  assign desc_o.p0      = p0;
  assign desc_o.p1      = p1;
  assign desc_o.pos     = pos_i;
  assign desc_o.token   = token_i;

  localparam logic [47:0] Rows = 48'(MacroRows), Cols = 48'(MacroCols);
  localparam int unsigned AlignBits = $clog2(edgecim_pkg::Align);
  function automatic logic [31:0] mask(input int unsigned lsb, input int unsigned width);
    mask = ((32'd1 << width) - 32'd1) << lsb;
  endfunction
  function automatic logic [63:0] w64(input logic [47:0] v);
    w64 = 64'(v);
  endfunction
  logic kv_set;  // the KV region is a non-empty range below MEM_LIMIT
  assign kv_set = kv_base_i < kv_limit_i && kv_limit_i <= mem_limit_i;
  function automatic logic in_kv(input logic [63:0] lo, input logic [63:0] hi, input logic set,
                                 input logic [31:0] base, input logic [31:0] limit);
    in_kv = set && lo >= 64'(base) && hi <= 64'(limit);
  endfunction

  // ---------------------------------------------------------------------------------------------
  // GEMV (fmt/ecim_desc.c: ecim_gemv_error)
  // ---------------------------------------------------------------------------------------------
  localparam logic [31:0] GemvFlags =
      mask(edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB, 1) | mask(edgecim_reg_pkg::CMD_FLAGS_ACCUM_LSB, 1) |
      mask(edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB, 1) | mask(edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB, 1) |
      mask(edgecim_reg_pkg::CMD_FLAGS_K_POS_LSB, 1) | mask(edgecim_reg_pkg::CMD_FLAGS_N_POS_LSB, 1) |
      mask(edgecim_reg_pkg::CMD_FLAGS_FULL_BLK_LSB, 1) | mask(edgecim_reg_pkg::CMD_FLAGS_KV_W_LSB, 1) |
      mask(edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB, edgecim_reg_pkg::CMD_FLAGS_RES_BASE_WIDTH) |
      mask(edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB, edgecim_reg_pkg::CMD_FLAGS_WBITS_WIDTH) |
      mask(edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB, edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_WIDTH);

  logic [47:0] gk, gn, wbits, batch, colblock, nnb;
  logic [63:0] wext, w_end, x_end, y_end, b_end;
  logic        res_load, res_use, bias, kv_w, use_w;
  logic        g_flags, g_prec, g_batch, g_align, g_range, g_wsize, g_in_kv, g_overlap, g_res;
  logic [EB-1:0] gemv_err;

  assign gk       = 48'(k[15:0]);
  assign gn       = 48'(n);
  assign wbits    = (flags[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4] == 4'd0) ? 48'd4
                    : 48'(flags[edgecim_reg_pkg::CMD_FLAGS_WBITS_LSB +: 4]);
  assign batch    = 48'(flags[edgecim_reg_pkg::CMD_FLAGS_BATCH_M1_LSB +: 4]) + 48'd1;
  assign res_load = flags[edgecim_reg_pkg::CMD_FLAGS_RES_LOAD_LSB];
  assign res_use  = flags[edgecim_reg_pkg::CMD_FLAGS_RES_USE_LSB];
  assign bias     = flags[edgecim_reg_pkg::CMD_FLAGS_BIAS_LSB];
  assign kv_w     = flags[edgecim_reg_pkg::CMD_FLAGS_KV_W_LSB];
  assign use_w    = !res_use;
  assign colblock = flags[edgecim_reg_pkg::CMD_FLAGS_FULL_BLK_LSB] ? edgecim_pkg::full_colblock_bytes(gk, Rows, Cols, wbits)
                                                                   : edgecim_pkg::colblock_bytes(gk, Rows, Cols, wbits);
  assign nnb      = edgecim_pkg::n_nb(gn, Cols);
  assign wext     = (stride != '0) ? w64(nnb - 48'd1) * 64'(stride) + w64(colblock) : w64(nnb) * w64(colblock);
  assign w_end    = 64'(w_addr) + wext;
  assign x_end    = 64'(x_addr) + w64(edgecim_pkg::x_bytes(gk, batch));
  assign y_end    = 64'(y_addr) + w64(edgecim_pkg::y_bytes(gn, Cols, batch));
  assign b_end    = 64'(b_addr) + w64(edgecim_pkg::b_bytes(gn, Cols));
  assign g_flags  = (res_load && res_use) || ((flags & ~GemvFlags) != '0) || (kv_w && (res_load || res_use));
  assign g_prec   = !(wbits == 48'd2 || wbits == 48'd4 || wbits == 48'd8) || wbits > 48'(MaxWBits);
  assign g_batch  = batch > 48'(MaxBatch) || batch * edgecim_pkg::kpad(gk) > 48'(ActBytes);
  assign g_align  = (use_w && ((w_addr | stride) & 32'(edgecim_pkg::Align - 1)) != '0) ||
                    x_addr[AlignBits-1:0] != '0 || y_addr[AlignBits-1:0] != '0 ||
                    (bias && b_addr[AlignBits-1:0] != '0);
  assign g_range  = (use_w && w_end > 64'(mem_limit_i)) || x_end > 64'(mem_limit_i) || y_end > 64'(mem_limit_i) ||
                    (bias && b_end > 64'(mem_limit_i));
  assign g_wsize  = (stride != '0 && 48'(stride) < colblock) || (w_bytes != '0 && 64'(w_bytes) != wext);
  assign g_in_kv  = in_kv(64'(w_addr), w_end, kv_set, kv_base_i, kv_limit_i);
  assign g_overlap = kv_base_i < kv_limit_i && 64'(w_addr) < 64'(kv_limit_i) && w_end > 64'(kv_base_i);
  assign g_res    = (res_load || res_use) &&
                    48'(flags[edgecim_reg_pkg::CMD_FLAGS_RES_BASE_LSB +: edgecim_reg_pkg::CMD_FLAGS_RES_BASE_WIDTH]) +
                    edgecim_pkg::tile_blocks(gk, gn, Rows, Cols, 48'(NTiles)) > 48'(NRes);

  always_comb begin
    gemv_err = edgecim_reg_pkg::ERR_NONE;
    if (dstride != '0 || p0 != '0 || p1 != '0 || p2 != '0)            gemv_err = edgecim_reg_pkg::ERR_BAD_OP;
    else if (g_flags)                                                  gemv_err = edgecim_reg_pkg::ERR_BAD_FLAGS;
    else if (k == '0 || n == '0)                                       gemv_err = edgecim_reg_pkg::ERR_ZERO_SIZE;
    else if (k > 32'(ActBytes) || k > edgecim_pkg::MaxK || n > edgecim_pkg::MaxN)
                                                                       gemv_err = edgecim_reg_pkg::ERR_TOO_LARGE;
    else if (g_prec)                                                   gemv_err = edgecim_reg_pkg::ERR_BAD_PRECISION;
    else if (g_batch)                                                  gemv_err = edgecim_reg_pkg::ERR_BAD_BATCH;
    else if (g_align)                                                  gemv_err = edgecim_reg_pkg::ERR_MISALIGNED;
    else if (g_range)                                                  gemv_err = edgecim_reg_pkg::ERR_OUT_OF_RANGE;
    else if (use_w && g_wsize)                                         gemv_err = edgecim_reg_pkg::ERR_BAD_WSIZE;
    else if (use_w && kv_w && !g_in_kv)                                gemv_err = edgecim_reg_pkg::ERR_KV_RANGE;
    else if (use_w && !kv_w && g_overlap)                              gemv_err = edgecim_reg_pkg::ERR_KV_OVERLAP;
    else if (g_res)                                                    gemv_err = edgecim_reg_pkg::ERR_RESIDENT_RANGE;
  end

  // ---------------------------------------------------------------------------------------------
  // Vector ops (fmt/ecim_desc_vu.c: ecim_vu_error)
  // ---------------------------------------------------------------------------------------------
  localparam logic [31:0] FX = mask(edgecim_reg_pkg::VU_FLAGS_X_F32_LSB, 1);
  localparam logic [31:0] FF = mask(edgecim_reg_pkg::VU_FLAGS_OUT_FMT_LSB, edgecim_reg_pkg::VU_FLAGS_OUT_FMT_WIDTH);
  localparam logic [31:0] FNeox = mask(edgecim_reg_pkg::VU_FLAGS_NEOX_LSB, 1);
  localparam logic [31:0] FLenPos = mask(edgecim_reg_pkg::VU_FLAGS_LEN_POS_LSB, 1);
  localparam logic [31:0] FGate = mask(edgecim_reg_pkg::VU_FLAGS_GATE_LSB, edgecim_reg_pkg::VU_FLAGS_GATE_WIDTH);
  localparam logic [31:0] FVscale = mask(edgecim_reg_pkg::VU_FLAGS_VSCALE_LSB, 1);
  localparam logic [31:0] FConcat = mask(edgecim_reg_pkg::VU_FLAGS_CONCAT_LSB, 1);
  localparam logic [31:0] FQxIn = mask(edgecim_reg_pkg::VU_FLAGS_QX_IN_LSB, 1);
  localparam logic [63:0] Ce = w64(edgecim_pkg::chunk(48'(VecBankBytes)));

  typedef struct packed {
    logic src1, stride, dstride, p0, p1;
  } vu_use_t;

  vu_use_t     u;
  logic [31:0] allowed;
  logic [1:0]  fmt;
  logic        x_f32, concat, vscale, qx_in, neox, v_unused, v_flags, v_shape, v_align, v_range, v_token, v_kv;
  logic        qx, src1_used, dstride_used, q_fit;
  logic [63:0] len, cnt, es, src_end, dst_end, src1_end, out_bytes, cap;
  logic [47:0] total;
  logic [EB-1:0] vu_err;

  assign fmt    = flags[edgecim_reg_pkg::VU_FLAGS_OUT_FMT_LSB +: 2];
  assign x_f32  = flags[edgecim_reg_pkg::VU_FLAGS_X_F32_LSB];
  assign concat = flags[edgecim_reg_pkg::VU_FLAGS_CONCAT_LSB];
  assign vscale = flags[edgecim_reg_pkg::VU_FLAGS_VSCALE_LSB];
  assign qx_in  = flags[edgecim_reg_pkg::VU_FLAGS_QX_IN_LSB];
  assign neox   = flags[edgecim_reg_pkg::VU_FLAGS_NEOX_LSB];
  assign len    = 64'(k);
  assign cnt    = 64'(n);
  assign cap    = 64'(p0);
  assign es     = x_f32 ? 64'd4 : 64'd8;

  always_comb begin
    u = '0;
    allowed = '0;
    unique case (op[3:0])
      edgecim_pkg::CmdOpEmbed:   begin u.stride = 1'b1; u.p0 = 1'b1; end
      edgecim_pkg::CmdOpNorm:    begin u = '1; allowed = FX | FF; end
      edgecim_pkg::CmdOpRope:    begin u = '1; allowed = FX | FF | FNeox; end
      edgecim_pkg::CmdOpSoftmax: begin u.src1 = 1'b1; u.p0 = 1'b1; allowed = FF | FLenPos | FVscale; end
      edgecim_pkg::CmdOpGate:    begin u.src1 = 1'b1; u.stride = 1'b1; u.dstride = 1'b1; allowed = FX | FF | FGate; end
      edgecim_pkg::CmdOpQuant:   begin u.stride = 1'b1; u.dstride = 1'b1; allowed = FX | FF | FConcat; end
      edgecim_pkg::CmdOpKappend: begin u.stride = 1'b1; u.dstride = 1'b1; u.p0 = 1'b1; allowed = FX | FQxIn; end
      default:                   begin u = '1; allowed = FX; end  // VAPPEND
    endcase
  end

  function automatic logic [63:0] segs_end(input logic [31:0] base, input logic [63:0] count,
                                           input logic [31:0] step, input logic [63:0] seg);
    segs_end = 64'(base) + (count - 64'd1) * 64'(step) + seg;
  endfunction
  // x_stride of a length below 2^48 (every caller's: LEN is 16 bits, COUNT at most 2^32).
  function automatic logic [63:0] xs64(input logic [47:0] l);
    xs64 = w64(edgecim_pkg::x_stride(l));
  endfunction

  assign src1_used    = u.src1 && !(op[3:0] == edgecim_pkg::CmdOpSoftmax && !vscale);
  assign dstride_used = u.dstride && !concat;
  assign v_unused = (!src1_used && x_addr != '0) || b_addr != '0 || (!u.stride && stride != '0) ||
                    (!dstride_used && dstride != '0) || (!u.p0 && p0 != '0) || (!u.p1 && p1 != '0) ||
                    p2 != '0 || w_bytes != '0;
  assign v_flags  = (flags & ~allowed) != '0 || fmt == 2'd3 || flags[edgecim_reg_pkg::VU_FLAGS_GATE_LSB +: 2] == 2'd3 ||
                    (op[3:0] == edgecim_pkg::CmdOpSoftmax && fmt != 2'(edgecim_pkg::VuFmtQx)) ||
                    (concat && fmt != 2'(edgecim_pkg::VuFmtQx)) || (qx_in && x_f32);
  assign qx       = (op[3:0] == edgecim_pkg::CmdOpSoftmax || fmt == 2'(edgecim_pkg::VuFmtQx)) &&
                    !(op[3:0] == edgecim_pkg::CmdOpKappend || op[3:0] == edgecim_pkg::CmdOpVappend ||
                      op[3:0] == edgecim_pkg::CmdOpEmbed);
  assign total    = concat ? 48'(k[15:0]) * 48'(n) : 48'(k[15:0]);  // K past 16 bits is TOO_LARGE first
  assign q_fit    = !qx || w64(edgecim_pkg::kp(total)) / 64'd16 <= 64'(VecBankBytes);

  always_comb begin
    v_shape = cnt > 64'(edgecim_pkg::MaxSegs) || !q_fit ||
              (concat && (len[4:0] != '0 || len * cnt > 64'(edgecim_pkg::MaxK)));
    unique case (op[3:0])
      edgecim_pkg::CmdOpEmbed:
        v_shape = v_shape || cnt != 64'd1 || w64(edgecim_pkg::kp(len[47:0])) / 64'd16 > 64'(VecBankBytes) ||
                  64'(stride) < xs64(len[47:0]);
      edgecim_pkg::CmdOpRope:
        v_shape = v_shape || len[0] || len > Ce || (neox && (len % (64'd2 * 64'(VecLanes))) != '0);
      edgecim_pkg::CmdOpKappend: v_shape = v_shape || len[4:0] != '0 || len > 64'd256 || len > Ce;
      edgecim_pkg::CmdOpVappend: v_shape = v_shape || len > 64'd256 || len > Ce;
      default: ;
    endcase
  end

  logic [AlignBits-1:0] a_low;  // the address bits below Align of every address the op uses
  assign a_low   = w_addr[AlignBits-1:0] | y_addr[AlignBits-1:0] | stride[AlignBits-1:0] | dstride[AlignBits-1:0] |
                   (u.src1 ? x_addr[AlignBits-1:0] : '0) |
                   ((op[3:0] == edgecim_pkg::CmdOpRope || op[3:0] == edgecim_pkg::CmdOpVappend) ? p1[AlignBits-1:0] : '0);
  assign v_align = a_low != '0;

  always_comb begin
    unique case (fmt)
      2'(edgecim_pkg::VuFmtQ24): out_bytes = len * 64'd8;
      2'(edgecim_pkg::VuFmtF32): out_bytes = len * 64'd4;
      default:                   out_bytes = xs64(len[47:0]);
    endcase
    src1_end = '0;
    dst_end  = '0;
    unique case (op[3:0])
      edgecim_pkg::CmdOpEmbed: begin
        src_end = 64'(w_addr) + 64'(token_i) * 64'(stride) + xs64(len[47:0]);
        dst_end = 64'(y_addr) + len * 64'd8;
      end
      edgecim_pkg::CmdOpSoftmax: begin
        src_end = 64'(w_addr) + cnt * w64(edgecim_pkg::y_stride(len[47:0], Cols));
        dst_end = 64'(y_addr) + cnt * xs64(len[47:0]);
        if (vscale) src1_end = 64'(x_addr) + len * 64'd4;
      end
      edgecim_pkg::CmdOpKappend: src_end = segs_end(w_addr, cnt, stride, qx_in ? xs64(len[47:0]) : len * es);
      edgecim_pkg::CmdOpVappend: src_end = segs_end(w_addr, cnt, stride, len * es);
      default: begin
        src_end = segs_end(w_addr, cnt, stride, len * es);
        dst_end = concat ? 64'(y_addr) + xs64(48'(k[15:0]) * 48'(n)) : segs_end(y_addr, cnt, dstride, out_bytes);
        if (op[3:0] == edgecim_pkg::CmdOpNorm) src1_end = 64'(x_addr) + len * 64'd4;
        if (op[3:0] == edgecim_pkg::CmdOpGate) src1_end = segs_end(x_addr, cnt, stride, len * es);
        if (op[3:0] == edgecim_pkg::CmdOpRope) src1_end = 64'(x_addr) + 64'(pos_i) * 64'(p1) + len * 64'd4;
      end
    endcase
  end
  assign v_range = src_end > 64'(mem_limit_i) || dst_end > 64'(mem_limit_i) || src1_end > 64'(mem_limit_i);
  assign v_token = op[3:0] == edgecim_pkg::CmdOpEmbed && token_i >= p0;

  always_comb begin
    unique case (op[3:0])
      edgecim_pkg::CmdOpRope: v_kv = 64'(pos_i) >= cap;
      edgecim_pkg::CmdOpKappend:
        v_kv = 64'(pos_i) >= cap ||
               !in_kv(64'(y_addr), segs_end(y_addr, cnt, dstride,
                                            w64(edgecim_pkg::kv_k_bytes(cap[47:0], len[47:0], Rows, Cols))),
                      kv_set, kv_base_i, kv_limit_i);
      edgecim_pkg::CmdOpVappend:
        v_kv = 64'(pos_i) >= cap ||
               !in_kv(64'(y_addr), segs_end(y_addr, cnt, dstride,
                                            w64(edgecim_pkg::kv_v_bytes(cap[47:0], len[47:0], Rows, Cols))),
                      kv_set, kv_base_i, kv_limit_i) ||
               !in_kv(64'(x_addr), segs_end(x_addr, cnt, p1, cap * 64'd4), kv_set, kv_base_i, kv_limit_i);
      default: v_kv = 1'b0;
    endcase
  end

  always_comb begin
    vu_err = edgecim_reg_pkg::ERR_NONE;
    if (v_unused)                          vu_err = edgecim_reg_pkg::ERR_BAD_OP;
    else if (v_flags)                      vu_err = edgecim_reg_pkg::ERR_BAD_FLAGS;
    else if (k == '0 || n == '0)           vu_err = edgecim_reg_pkg::ERR_ZERO_SIZE;
    else if (k > edgecim_pkg::MaxK)        vu_err = edgecim_reg_pkg::ERR_TOO_LARGE;
    else if (v_shape)                      vu_err = edgecim_reg_pkg::ERR_VU_SHAPE;
    else if (v_align)                      vu_err = edgecim_reg_pkg::ERR_MISALIGNED;
    else if (v_token)                      vu_err = edgecim_reg_pkg::ERR_BAD_TOKEN;
    else if (v_range)                      vu_err = edgecim_reg_pkg::ERR_OUT_OF_RANGE;
    else if (v_kv)                         vu_err = edgecim_reg_pkg::ERR_KV_RANGE;
  end

  assign err_o = (op == 32'(edgecim_pkg::CmdOpGemv)) ? gemv_err
               : (op <= 32'(edgecim_pkg::CmdOpVappend)) ? vu_err : edgecim_reg_pkg::ERR_BAD_OP;
endmodule
