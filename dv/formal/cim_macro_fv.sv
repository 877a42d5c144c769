// SPDX-License-Identifier: Apache-2.0
// Formal harness of cim_macro (make formal, cim_macro.sby): a small macro (2-bit weights, 4-bit
// activations; rows, columns, group size and write port from the parameters) driven by free inputs.
// A reference model kept here from the port handshakes alone (which bank is active, what was
// written to the shadow bank) gives the expected result of every operation: the signed dot
// products of the weights loaded in the bank the operation uses and the activations whose bits
// were streamed in, with that bank's scales. Asserted: every result equals it, results come out
// in order and only for operations that were fed, the active bank is the reference's (swaps only
// on an accepted first plane with a_swap), and the write port is not ready exactly in a swap cycle.
// Assumed: an operation uses only a bank whose every word and scale was written (the banks are
// SRAM, not reset), and the precision is the macro's (2 bits).
module cim_macro_fv #(
  parameter int unsigned Rows      = 16,
  parameter int unsigned Cols      = 2,
  parameter int unsigned GroupRows = 8,
  parameter int unsigned WrBits    = 64,
  // 1: a bank is loaded in index order (words, then scales), as the sequencer does; 0: writes in
  // any order (a much harder problem for the solver: only shallow depths finish).
  parameter bit          InOrder   = 1,
  localparam int unsigned WBits    = 2,
  localparam int unsigned ABits    = 4,
  localparam int unsigned NGroups  = Rows / GroupRows,
  localparam int unsigned NSums    = NGroups * Cols,
  localparam int unsigned NWords   = NSums * WBits,
  localparam int unsigned IdxBits  = $clog2(NWords),
  localparam int unsigned ScAw     = (NSums > 1) ? $clog2(NSums) : 1,
  localparam int unsigned WPerWr   = WrBits / 32,
  localparam int unsigned SPerWr   = WrBits / 16,
  localparam int unsigned OutBits  = WBits + $clog2(GroupRows) + ABits
) (
  input logic               clk_i,
  input logic               rst_ni,
  input logic               w_valid_i,
  input logic               w_kind_i,
  input logic [IdxBits-1:0] w_idx_i,
  input logic [WrBits-1:0]  w_data_i,
  input logic               a_valid_i,
  input logic [Rows-1:0]    a_plane_i,
  input logic               a_swap_i,
  input logic [1:0]         a_prec_i,
  input logic               r_ready_i
);
  logic                     w_ready, a_ready, r_valid, bank, idle;
  logic [NSums*OutBits-1:0] r_data;
  logic [NSums*16-1:0]      r_scale;

  cim_macro #(.Rows(Rows), .Cols(Cols), .GroupRows(GroupRows), .WBits(WBits), .ABits(ABits), .WrBits(WrBits)) dut (
    .clk_i, .rst_ni, .w_valid_i, .w_ready_o(w_ready), .w_kind_i, .w_idx_i, .w_data_i,
    .a_valid_i, .a_ready_o(a_ready), .a_plane_i, .a_swap_i, .a_prec_i,
    .r_valid_o(r_valid), .r_ready_i, .r_data_o(r_data), .r_scale_o(r_scale), .bank_o(bank), .idle_o(idle));

  // ---- the reference: banks, active bank, plane count (flat: index {bank, word}) ------------------
  // Word (g*WBits + j)*Cols + c holds bit j of the weights (g*GroupRows + r, c), row r at bit r.
  logic [GroupRows-1:0] ref_word  [2*NWords];
  logic [15:0]          ref_scale [2*NSums];
  logic [2*NWords-1:0]  w_done;
  logic [2*NSums-1:0]   s_done;
  logic                 ref_active;
  logic [1:0]           ref_plane;
  logic                 a_fire, w_fire, swap, first, shadow;

  assign a_fire = a_valid_i && a_ready;
  assign first  = (ref_plane == 2'd0);
  assign swap   = a_fire && first && a_swap_i;
  assign w_fire = w_valid_i && w_ready;
  assign shadow = !ref_active;

  // The environment: a reset first; operations on fully written banks only, at 2 bits.
  logic shadow_full, active_full;
  assign shadow_full = shadow ? (&w_done[2*NWords-1:NWords] && &s_done[2*NSums-1:NSums]) : (&w_done[NWords-1:0] && &s_done[NSums-1:0]);
  assign active_full = shadow ? (&w_done[NWords-1:0] && &s_done[NSums-1:0]) : (&w_done[2*NWords-1:NWords] && &s_done[2*NSums-1:NSums]);
  initial assume (!rst_ni);
  localparam int unsigned WrWords = (NWords + WPerWr - 1) / WPerWr, WrScales = (NSums + SPerWr - 1) / SPerWr;
  logic [7:0] load_pos_q;  // writes of the shadow bank's load so far (InOrder)
  always @(*) begin
    assume (a_prec_i == 2'd0);
    if (a_valid_i && first) assume (a_swap_i ? shadow_full : active_full);
    if (InOrder && w_valid_i) begin
      assume (w_kind_i == (32'(load_pos_q) >= WrWords));
      assume (32'(w_idx_i) == (w_kind_i ? (32'(load_pos_q) - WrWords) * SPerWr : 32'(load_pos_q) * WPerWr));
      assume (32'(load_pos_q) < WrWords + WrScales);
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)     load_pos_q <= '0;
    else if (swap)   load_pos_q <= '0;          // the loaded bank went active: load the other one
    else if (w_fire) load_pos_q <= load_pos_q + 1'b1;
  end

  // A write takes the elements of w_data_i to the indices {w_idx_i aligned, e} (the macro's rule).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ref_active <= 1'b0;
      ref_plane  <= '0;
      w_done     <= '0;
      s_done     <= '0;
    end else begin
      if (swap) ref_active <= !ref_active;
      if (a_fire) ref_plane <= ref_plane + 1'b1;
      if (w_fire) begin  // the shadow bank (no write is accepted in a swap cycle)
        if (!w_kind_i) begin
          for (int e = 0; e < WPerWr; e++)
            if (((32'(w_idx_i) / WPerWr) * WPerWr + e) < NWords)
              w_done[32'(shadow) * NWords + (32'(w_idx_i) / WPerWr) * WPerWr + e] <= 1'b1;
        end else begin
          for (int e = 0; e < SPerWr; e++)
            if (((32'(w_idx_i) % (1 << ScAw)) / SPerWr * SPerWr + e) < NSums)
              s_done[32'(shadow) * NSums + (32'(w_idx_i) % (1 << ScAw)) / SPerWr * SPerWr + e] <= 1'b1;
        end
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (w_fire && !w_kind_i)
      for (int e = 0; e < WPerWr; e++)
        if (((32'(w_idx_i) / WPerWr) * WPerWr + e) < NWords)
          ref_word[32'(shadow) * NWords + (32'(w_idx_i) / WPerWr) * WPerWr + e] <= w_data_i[e*32 +: GroupRows];
    if (w_fire && w_kind_i)
      for (int e = 0; e < SPerWr; e++)
        if (((32'(w_idx_i) % (1 << ScAw)) / SPerWr * SPerWr + e) < NSums)
          ref_scale[32'(shadow) * NSums + (32'(w_idx_i) % (1 << ScAw)) / SPerWr * SPerWr + e] <= w_data_i[e*16 +: 16];
  end

  // ---- the operation being fed: its bank's weights and scales, its planes -----------------------
  logic [NWords*GroupRows-1:0] op_words;   // word q at [q*GroupRows +: GroupRows]
  logic [NSums*16-1:0]         op_scales;
  logic [ABits*Rows-1:0]       op_planes;  // plane b at [b*Rows +: Rows]
  logic                        use_bank;
  assign use_bank = swap ? !ref_active : ref_active;
  always_ff @(posedge clk_i) begin
    if (a_fire) begin
      op_planes[32'(ref_plane)*Rows +: Rows] <= a_plane_i;
      if (first) begin
        for (int q = 0; q < NWords; q++) op_words[q*GroupRows +: GroupRows] <= ref_word[32'(use_bank) * NWords + q];
        for (int i = 0; i < NSums; i++) op_scales[i*16 +: 16] <= ref_scale[32'(use_bank) * NSums + i];
      end
    end
  end

  // The expected sums, once the last plane is accepted (its plane is a_plane_i, not yet stored):
  // plain signed integer dot products of each group's rows.
  logic [ABits*Rows-1:0]    planes;
  logic [NSums*OutBits-1:0] new_data;
  assign planes = {a_plane_i, op_planes[(ABits-1)*Rows-1:0]};
  always @(*) begin
    for (int g = 0; g < NGroups; g++)
      for (int c = 0; c < Cols; c++) begin
        logic signed [OutBits-1:0] acc, x;
        acc = '0;
        for (int r = 0; r < GroupRows; r++) begin
          // x: the row's 4-bit two's-complement activation; weight w = w0 - 2 w1 (2-bit signed),
          // so w x = (w0 ? x : 0) - (w1 ? 2x : 0)
          x = OutBits'(signed'({planes[3*Rows + g*GroupRows + r], planes[2*Rows + g*GroupRows + r],
                                planes[Rows + g*GroupRows + r], planes[g*GroupRows + r]}));
          if (op_words[((g*WBits + 0)*Cols + c)*GroupRows + r]) acc = acc + x;
          if (op_words[((g*WBits + 1)*Cols + c)*GroupRows + r]) acc = acc - (x <<< 1);
        end
        new_data[(g*Cols + c)*OutBits +: OutBits] = acc;
      end
  end

  // Expected results in order (at most 3 in flight: accumulating, finished and held, in the register).
  logic [NSums*OutBits-1:0] exp_data  [3];
  logic [NSums*16-1:0]      exp_scale [3];
  logic [1:0]              exp_cnt, exp_rd, exp_wr;
  logic                    exp_push, exp_pop;
  assign exp_push = a_fire && ref_plane == 2'(ABits - 1);
  assign exp_pop  = r_valid && r_ready_i;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      exp_cnt <= '0; exp_rd <= '0; exp_wr <= '0;
    end else begin
      if (exp_push) begin
        exp_data[exp_wr]  <= new_data;
        exp_scale[exp_wr] <= op_scales;
        exp_wr <= (exp_wr == 2'd2) ? 2'd0 : exp_wr + 1'b1;
      end
      if (exp_pop) exp_rd <= (exp_rd == 2'd2) ? 2'd0 : exp_rd + 1'b1;
      exp_cnt <= exp_cnt + 2'(exp_push) - 2'(exp_pop);
    end
  end

  // ---- the properties ---------------------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      p_result:     assert (!exp_pop || exp_cnt != 0 && r_data == exp_data[exp_rd] && r_scale == exp_scale[exp_rd]);
      p_no_extra:   assert (!r_valid || exp_cnt != 0);
      p_in_flight:  assert (exp_cnt <= 2'd2 && !(exp_cnt == 2'd2 && exp_push && !exp_pop));
      p_bank:       assert (bank == ref_active);
      p_write_port: assert (w_ready == !swap);
      p_idle:       assert (!idle || (exp_cnt == 0 && first));
    end
  end
endmodule
