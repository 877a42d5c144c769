// SPDX-License-Identifier: Apache-2.0
// The VecLanes lanes of the vector unit and what they share: the rows of a chunk read from the
// banks (row r: elements r*VecLanes .. r*VecLanes + VecLanes - 1, one bank word at most), the
// results written back, the group maxima of a quantized output, and the lane tree of a SCALAR
// slot. A COMPUTE or QCODES slot of R rows takes R + VuPipe cycles (cmodel/ecim_vu_exec.c):
// row r is read in the slot's cycle r and leaves the pipeline (vu_lane) in cycle r + 6, the last
// cycle of the slot for the last row. EMBED and VMOD need no VF32 pipeline: they read row r in
// cycle r + 5 and write it in cycle r + 6. QCODES writes its codes from stage 2.
module vu_lanes #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned VecLanes     = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned MacroCols    = edgecim_pkg::MacroColsDefault,
  localparam int unsigned DW          = DataBytes * 8,
  localparam int unsigned BankWords   = VecBankBytes / DataBytes,
  localparam int unsigned Aw          = $clog2(BankWords),
  localparam int unsigned GrpWords    = VecBankBytes / 256,        // groups of a chunk
  localparam int unsigned Gw          = $clog2(GrpWords)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  vu_pkg::slot_t       slot_i,
  input  logic                exec_i,        // the unit runs slot_i (and it is enabled)
  input  logic                entry_i,       // the slot's first cycle
  input  logic [15:0]         cyc_i,         // cycles since the slot's entry
  input  vu_pkg::cmd_t        cmd_i,
  input  logic [vu_pkg::ChunkBits-1:0] chunk_i,
  input  logic [31:0]         r_norm_i,
  input  logic [31:0]         m_max_i,
  input  logic [31:0]         inv_sum_i,
  input  logic [31:0]         row_inv_i,
  // Bank reads (data the cycle after the request).
  output logic                a_rd_en_o,
  output logic [Aw-1:0]       a_rd_addr_o,
  input  logic [DW-1:0]       a_rd_data_i,
  output logic                b_rd_en_o,
  output logic [Aw-1:0]       b_rd_addr_o,
  input  logic [DW-1:0]       b_rd_data_i,
  output logic                d_rd_en_o,
  output logic [Aw-1:0]       d_rd_addr_o,
  input  logic [DW-1:0]       d_rd_data_i,
  output logic                t_rd_en_o,
  output logic [Aw-1:0]       t_rd_addr_o,
  input  logic [DW-1:0]       t_rd_data_i,
  // Bank writes.
  output logic                c_wr_en_o,
  output logic [Aw-1:0]       c_wr_addr_o,
  output logic [DataBytes-1:0] c_wr_be_o,
  output logic [DW-1:0]       c_wr_data_o,
  output logic                t_wr_en_o,
  output logic [Aw-1:0]       t_wr_addr_o,
  output logic [DataBytes-1:0] t_wr_be_o,
  output logic [DW-1:0]       t_wr_data_o,
  // The group memory of the quantizer: maxima written, inverse scales read (QCODES).
  output logic                grp_wr_en_o,
  output logic [Gw-1:0]       grp_wr_addr_o,
  output logic [31:0]         grp_wr_data_o,
  output logic                grp_rd_en_o,
  output logic [Gw-1:0]       grp_rd_addr_o,
  input  logic [31:0]         grp_rd_data_i,
  // The row registers: RQ read (VMOD), written (QCODES into the rows).
  input  logic [2047:0]       rq_i,
  output logic                rq_wr_en_o,
  output logic [255:0]        rq_wr_be_o,
  output logic [2047:0]       rq_wr_data_o,
  // To the quantizer and the scalar unit.
  output logic [31:0]         rowmax_o,
  output logic [31:0]         acc0_o
);
  localparam int unsigned Lanes    = VecLanes;
  localparam int unsigned LanesLog = $clog2(VecLanes);
  localparam int unsigned DbLog    = $clog2(DataBytes);
  localparam int unsigned ColsLog  = $clog2(MacroCols);
  localparam logic [31:0] NegMax   = 32'hFF7F_FFFF;

  vu_pkg::comp_e comp;
  logic comp_slot, qcodes, scalar, late, es8, neox;
  logic [31:0] n, rows, cyc, es, half;
  assign comp      = slot_i.compute;
  assign comp_slot = exec_i && slot_i.kind == vu_pkg::SlotCompute;
  assign qcodes    = exec_i && slot_i.kind == vu_pkg::SlotQcodes;
  assign scalar    = exec_i && slot_i.kind == vu_pkg::SlotScalar;
  // The kinds that write a result per element (the reductions only accumulate).
  logic puts;
  assign puts      = comp == vu_pkg::CompApply || comp == vu_pkg::CompRope || comp == vu_pkg::CompExpout ||
                     comp == vu_pkg::CompGate || comp == vu_pkg::CompCopy;
  assign late      = comp_slot && (comp == vu_pkg::CompEmbed || comp == vu_pkg::CompVmod);
  assign es8       = (comp == vu_pkg::CompMax || comp == vu_pkg::CompExpsum || comp == vu_pkg::CompExpout) ||
                     !vu_pkg::flag_x_f32(cmd_i.flags);
  assign es        = es8 ? 32'd8 : 32'd4;
  assign neox      = vu_pkg::flag_neox(cmd_i.flags);
  assign n         = 32'(slot_i.n);
  assign rows      = (n + 32'(Lanes - 1)) >> LanesLog;
  assign cyc       = 32'(cyc_i);
  assign half      = 32'(cmd_i.len) >> 1;

  // ------------------------------------------------------------------ rows and their addresses
  // Row r (elements i0 = r * VecLanes ..): the byte offsets of its operands in the banks, for the
  // row read this cycle (0) and the row whose data arrives (1). RoPE: the pair's table row k0,
  // the partner's first element pi (NEOX: the other half; else the neighbour).
  logic [31:0] r_iss, r_arr, r2, r4, r6;
  logic        iss_v, arr_v, v2, v4, v6;
  logic [31:0] off_a [2], off_b [2], off_d [2], off_t [2];
  logic        row_first [2];
  always_comb begin
    r_iss = late ? cyc - 32'd5 : cyc;
    r_arr = late ? cyc - 32'd6 : cyc - 32'd1;
    r2    = cyc - 32'd2;
    r4    = cyc - 32'd4;
    r6    = cyc - 32'd6;
    iss_v = (comp_slot || qcodes) && (!late || cyc >= 32'd5) && r_iss < rows;
    arr_v = (comp_slot || qcodes) && cyc >= (late ? 32'd6 : 32'd1) && r_arr < rows;
    v2    = qcodes && cyc >= 32'd2 && r2 < rows;
    v4    = comp_slot && cyc >= 32'd4 && r4 < rows;
    v6    = comp_slot && puts && cyc >= 32'd6 && r6 < rows;
    for (int unsigned j = 0; j < 2; j++) begin
      logic [31:0] i0, k0, pi;
      i0 = (j == 0 ? r_iss : r_arr) << LanesLog;
      row_first[j] = i0 < half;
      k0 = neox ? (row_first[j] ? i0 : i0 - half) : i0 >> 1;
      pi = neox ? (row_first[j] ? i0 + half : i0 - half) : ((Lanes >= 2) ? i0 : i0 ^ 32'd1);
      case (comp)
        vu_pkg::CompEmbed: off_a[j] = i0;
        vu_pkg::CompVmod:  off_a[j] = i0 << 2;
        default:           off_a[j] = i0 * es;
      endcase
      case (comp)
        vu_pkg::CompEmbed: off_b[j] = ((slot_i.elem0 + i0) >> 5) << 1;
        vu_pkg::CompGate:  off_b[j] = i0 * es;
        vu_pkg::CompRope:  off_b[j] = k0 << 3;
        default:           off_b[j] = i0 << 2;
      endcase
      off_d[j] = pi * es;
      off_t[j] = i0 << 2;
    end
  end

  assign a_rd_en_o   = iss_v && !qcodes;
  assign a_rd_addr_o = Aw'(off_a[0] >> DbLog);
  assign b_rd_en_o   = iss_v && !qcodes;
  assign b_rd_addr_o = Aw'(off_b[0] >> DbLog);
  assign d_rd_en_o   = iss_v && comp == vu_pkg::CompRope && !qcodes;
  assign d_rd_addr_o = Aw'(off_d[0] >> DbLog);
  assign t_rd_en_o   = iss_v && qcodes;
  assign t_rd_addr_o = Aw'(off_t[0] >> DbLog);
  assign grp_rd_en_o   = iss_v && qcodes && !slot_i.row_mode;
  assign grp_rd_addr_o = Gw'((r_iss << LanesLog) >> 5);

  // The row's operands, shifted down to byte 0 of the word.
  logic [DW-1:0] a_sh, b_sh, d_sh, t_sh;
  assign a_sh = a_rd_data_i >> {off_a[1][DbLog-1:0], 3'b000};
  assign b_sh = b_rd_data_i >> {off_b[1][DbLog-1:0], 3'b000};
  assign d_sh = d_rd_data_i >> {off_d[1][DbLog-1:0], 3'b000};
  assign t_sh = t_rd_data_i >> {off_t[1][DbLog-1:0], 3'b000};

  // ------------------------------------------------------------------ the lanes
  logic [31:0] acc [Lanes];
  logic [31:0] y [Lanes];
  logic [7:0]  q [Lanes];
  logic [63:0] emb [Lanes];
  logic [31:0] vmw [Lanes];
  logic [31:0] acc_init_val;
  logic        acc_init;
  assign acc_init     = comp_slot && entry_i && slot_i.first;
  assign acc_init_val = (comp == vu_pkg::CompMax) ? NegMax : 32'd0;

  logic [31:0] i_arr, i6, i2, i4, vm_col0;
  logic [2:0]  vm_plane;
  assign i_arr    = r_arr << LanesLog;
  assign i2       = r2 << LanesLog;
  assign i4       = r4 << LanesLog;
  assign i6       = r6 << LanesLog;
  assign vm_plane = 3'(i_arr >> ColsLog);
  assign vm_col0  = (32'(chunk_i) << ColsLog) + (i_arr & 32'(MacroCols - 1));

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    localparam int unsigned Pl  = (Lanes >= 2) ? (l ^ 1) : 0;   // non-NEOX RoPE partner lane
    localparam int unsigned Cso = (Lanes >= 2) ? 8 * (l / 2) : 0;
    logic [63:0] a_op, o_op, d_el;
    logic [31:0] cs, sn, tree_b, inv;
    logic        first, tree_en;

    always_comb begin
      a_op = es8 ? a_sh[l*64 +: 64] : {32'd0, a_sh[l*32 +: 32]};
      if (qcodes) a_op = {32'd0, t_sh[l*32 +: 32]};
      d_el = neox ? (es8 ? d_sh[l*64 +: 64] : {32'd0, d_sh[l*32 +: 32]})
                  : (es8 ? d_sh[Pl*64 +: 64] : {32'd0, d_sh[Pl*32 +: 32]});
      o_op = (comp == vu_pkg::CompGate) ? (es8 ? b_sh[l*64 +: 64] : {32'd0, b_sh[l*32 +: 32]}) : d_el;
      cs   = neox ? b_sh[l*64 +: 32] : b_sh[Cso*8 +: 32];
      sn   = neox ? b_sh[l*64 + 32 +: 32] : b_sh[Cso*8 + 32 +: 32];
      if (neox)             first = row_first[1];
      else if (Lanes >= 2)  first = (l % 2) == 0;
      else                  first = !r_arr[0];
      inv  = slot_i.row_mode ? row_inv_i : grp_rd_data_i;
    end

    // SCALAR: level k of the tree in the slot's cycle k: lane l := op(lane l, lane l + 2^k).
    logic [31:0] tree_bk [LanesLog + 1];
    logic        tree_ek [LanesLog + 1];
    for (genvar k = 0; k < LanesLog; k++) begin : g_tree
      if ((l % (2 << k)) == 0 && l + (1 << k) < Lanes) begin : g_on
        assign tree_bk[k] = acc[l + (1 << k)];
        assign tree_ek[k] = 1'b1;
      end else begin : g_off
        assign tree_bk[k] = '0;
        assign tree_ek[k] = 1'b0;
      end
    end
    assign tree_bk[LanesLog] = '0;
    assign tree_ek[LanesLog] = 1'b0;
    always_comb begin
      tree_en = 1'b0;
      tree_b  = '0;
      for (int unsigned k = 0; k <= LanesLog; k++) begin
        if (scalar && cyc == 32'(k) && tree_ek[k]) begin
          tree_en = 1'b1;
          tree_b  = tree_bk[k];
        end
      end
    end

    vu_lane u_lane (
      .clk_i          (clk_i),
      .comp_i         (comp),
      .qcodes_i       (qcodes),
      .gate_i         (vu_pkg::flag_gate(cmd_i.flags)),
      .vscale_i       (vu_pkg::flag_vscale(cmd_i.flags)),
      .es8_i          (es8),
      .p0_i           (cmd_i.p0),
      .r_norm_i       (r_norm_i),
      .m_max_i        (m_max_i),
      .inv_sum_i      (inv_sum_i),
      .a_i            (a_op),
      .o_i            (o_op),
      .w_i            (b_sh[l*32 +: 32]),
      .cs_i           (cs),
      .sn_i           (sn),
      .first_i        (first),
      .inv_i          (inv),
      .acc_init_i     (acc_init),
      .acc_init_val_i (acc_init_val),
      .acc_en_i       (v4 && i4 + l < n),
      .tree_en_i      (tree_en),
      .tree_max_i     (slot_i.compute == vu_pkg::CompMax),
      .tree_b_i       (tree_b),
      .acc_o          (acc[l]),
      .q_o            (q[l]),
      .y_o            (y[l])
    );

    // EMBED: code x its group's FP16 scale, exactly, as Q39.24 (the scale's M * 2^(E - 25) with
    // 24 fraction bits: M << (E - 1)).
    logic signed [7:0]  code;
    logic        [15:0] h;
    logic signed [12:0] sm;
    logic signed [20:0] prod;
    logic        [4:0]  ex;
    always_comb begin
      code = a_sh[l*8 +: 8];
      h    = b_sh[15:0];
      sm   = (h[14:10] != 5'd0) ? 13'sd1024 + 13'($unsigned(h[9:0])) : 13'($unsigned(h[9:0]));
      if (h[15]) sm = -sm;
      ex   = (h[14:10] != 5'd0) ? h[14:10] : 5'd1;
      prod = 21'(code) * 21'(sm);
      emb[l] = 64'($signed(prod)) <<< (ex - 5'd1);
    end

    // VMOD: bit TOKEN_POS % 32 of word i of the region := bit (i / MacroCols) of the code of
    // column nb * MacroCols + i % MacroCols (0 past LEN).
    logic [31:0] col, word;
    logic        bit_v;
    always_comb begin
      col   = vm_col0 + 32'(l);
      word  = a_sh[l*32 +: 32];
      bit_v = (col < 32'(cmd_i.len)) && (col < 32'd256) ? rq_i[{col[7:0], vm_plane}] : 1'b0;
      vmw[l] = word;
      vmw[l][cmd_i.pos[4:0]] = bit_v;
    end
  end

  assign acc0_o = acc[0];

  // ------------------------------------------------------------------ results
  logic [DW-1:0]        q24_row, f32_row, emb_row, vm_row, code_row;
  logic [DataBytes-1:0] be8_6, be4_6, be8_a, be4_a, be1_2;
  logic [31:0]          rowabs;
  logic [31:0]          yabs [Lanes];
  logic [63:0]          yq24 [Lanes];
  for (genvar l = 0; l < Lanes; l++) begin : g_out
    vf_to_q24 u_q24 (.x_i (y[l]), .q_o (yq24[l]));
    vf_abs    u_abs (.x_i (y[l]), .y_o (yabs[l]));
  end

  // The row's absolute maximum over the lanes in range, as a balanced tree of compares
  // ($clog2(Lanes) deep; a chain over the lanes was the design's longest path). |y| as bits
  // orders as the magnitude (sign bit clear); a lane out of range counts as 0.
  localparam int unsigned MaxLeaves = 1 << $clog2(Lanes);
  logic [31:0] max_leaf [MaxLeaves];
  for (genvar l = 0; l < MaxLeaves; l++) begin : g_max_leaf
    if (l < Lanes) begin : g_lane
      assign max_leaf[l] = (i6 + l < n) ? yabs[l] : '0;
    end else begin : g_pad
      assign max_leaf[l] = '0;
    end
  end
  always_comb begin : b_row_max
    // node k of the tree at t[32*k +: 32] (one vector: Yosys 0.23 indexes no local array)
    logic [MaxLeaves*32-1:0] t;
    for (int unsigned l = 0; l < MaxLeaves; l++) t[32*l +: 32] = max_leaf[l];
    // level by level: node k of a level is the larger of nodes 2k and 2k+1 of the one below
    for (int unsigned w = MaxLeaves / 2; w >= 1; w = w / 2)
      for (int unsigned k = 0; k < w; k++)
        t[32*k +: 32] = (t[64*k +: 32] > t[64*k+32 +: 32]) ? t[64*k +: 32] : t[64*k+32 +: 32];
    rowabs = t[31:0];
  end

  always_comb begin
    q24_row  = '0;
    f32_row  = '0;
    emb_row  = '0;
    vm_row   = '0;
    code_row = '0;
    be8_6    = '0;
    be4_6    = '0;
    be8_a    = '0;
    be4_a    = '0;
    be1_2    = '0;
    for (int unsigned l = 0; l < Lanes; l++) begin
      q24_row[l*64 +: 64]  = yq24[l];
      f32_row[l*32 +: 32]  = y[l];
      emb_row[l*64 +: 64]  = emb[l];
      vm_row[l*32 +: 32]   = vmw[l];
      code_row[l*8 +: 8]   = q[l];
      if (i6 + l < n) begin
        be8_6[l*8 +: 8] = '1;
        be4_6[l*4 +: 4] = '1;
      end
      if (i_arr + l < n) begin
        be8_a[l*8 +: 8] = '1;
        be4_a[l*4 +: 4] = '1;
      end
      if (i2 + l < n) be1_2[l] = 1'b1;
    end
  end

  // Bank C: EMBED (late), Q39.24 results (stage 6), codes (stage 2). Bank T: VF32 results
  // (stage 6), VMOD words (late).
  logic [31:0] c_off, t_off;
  always_comb begin
    c_wr_en_o   = 1'b0;
    c_off       = i6 << 3;
    c_wr_data_o = q24_row;
    c_wr_be_o   = be8_6;
    if (late && comp == vu_pkg::CompEmbed) begin
      c_wr_en_o   = arr_v;
      c_off       = i_arr << 3;
      c_wr_data_o = emb_row;
      c_wr_be_o   = be8_a;
    end else if (qcodes) begin
      c_wr_en_o   = v2 && !slot_i.to_rows;
      c_off       = i2;
      c_wr_data_o = code_row;
      c_wr_be_o   = be1_2;
    end else begin
      c_wr_en_o   = v6 && slot_i.out_fmt == edgecim_pkg::VuFmtQ24;
    end
    c_wr_addr_o = Aw'(c_off >> DbLog);
    c_wr_data_o = c_wr_data_o << {c_off[DbLog-1:0], 3'b000};
    c_wr_be_o   = c_wr_be_o << c_off[DbLog-1:0];

    t_wr_en_o   = v6 && slot_i.out_fmt != edgecim_pkg::VuFmtQ24;
    t_off       = i6 << 2;
    t_wr_data_o = f32_row;
    t_wr_be_o   = be4_6;
    if (late && comp == vu_pkg::CompVmod) begin
      t_wr_en_o   = arr_v;
      t_off       = i_arr << 2;
      t_wr_data_o = vm_row;
      t_wr_be_o   = be4_a;
    end
    t_wr_addr_o = Aw'(t_off >> DbLog);
    t_wr_data_o = t_wr_data_o << {t_off[DbLog-1:0], 3'b000};
    t_wr_be_o   = t_wr_be_o << t_off[DbLog-1:0];
  end

  // QCODES into the row registers (KAPPEND, VAPPEND).
  assign rq_wr_en_o   = v2 && slot_i.to_rows;
  assign rq_wr_be_o   = 256'(be1_2) << i2[7:0];
  assign rq_wr_data_o = 2048'(code_row) << {i2[7:0], 3'b000};

  // ------------------------------------------------------------------ group maxima (QX)
  // Groups of 32 elements; a row lies in one group (VecLanes <= 32). The running maximum of the
  // group is written at every row; its first row starts it.
  logic [31:0] run_q, run_d, rowmax_q;
  logic        qx6, gfirst;
  assign qx6    = v6 && slot_i.out_fmt == edgecim_pkg::VuFmtQx;
  assign gfirst = i6[4:0] == 5'd0;
  assign run_d  = (gfirst || rowabs > run_q) ? rowabs : run_q;
  assign grp_wr_en_o   = qx6 && !slot_i.row_mode;
  assign grp_wr_addr_o = Gw'(i6 >> 5);
  assign grp_wr_data_o = run_d;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q    <= '0;
      rowmax_q <= '0;
    end else begin
      if (qx6) run_q <= run_d;
      if (comp_slot && entry_i && slot_i.row_mode && comp != vu_pkg::CompVmod) rowmax_q <= '0;
      else if (qx6 && slot_i.row_mode && rowabs > rowmax_q) rowmax_q <= rowabs;
    end
  end
  assign rowmax_o = rowmax_q;

  logic unused;
  assign unused = ^{i4[0]};
endmodule
