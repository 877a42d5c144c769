// SPDX-License-Identifier: Apache-2.0
// Formal harness of cim_macro (make formal, cim_macro.sby): a small macro (4 rows in 2 groups of
// 2, 1 column, 2-bit weights, 3-bit activations, 32-bit write port) with every input free: writes
// of any kind, index and data at any time, activation planes with any swap flag and precision,
// results taken whenever. The harness keeps its own copy of both weight banks, written by the
// documented rule (a word write lands in the shadow bank, !bank_o), and accumulates each
// operation's expected sum from that copy and the accepted planes: the signed dot product
// sum_r w_r * a_r with w_r the weight in the operation's precision (bit w-1 the sign, bits above w
// not read) and a_r the ABits-bit two's-complement activation (its top plane subtracted).
// Proven by bounded model checking: every result equals it, once every word of the bank it used
// was written since reset (the SRAM is not reset), and no write is accepted in a cycle that swaps
// the banks (the bank rule; the macro's own assertions are proven with it).
module cim_macro_fv (
  input logic        clk_i,
  input logic        w_valid_i,
  input logic        w_kind_i,
  input logic [1:0]  w_idx_i,
  input logic [31:0] w_data_i,
  input logic        a_valid_i,
  input logic [3:0]  a_plane_i,
  input logic        a_swap_i,
  input logic [1:0]  a_prec_i,
  input logic        r_ready_i
);
  localparam int unsigned Rows = 4, Cols = 1, GroupRows = 2, WBits = 2, ABits = 3, WrBits = 32;
  localparam int unsigned NGroups = Rows / GroupRows, NWords = NGroups * Cols * WBits;
  localparam int unsigned OutBits = WBits + $clog2(GroupRows) + ABits;

  // Reset in the first cycle only.
  logic rst_n = 1'b0;
  always_ff @(posedge clk_i) rst_n <= 1'b1;

  logic w_ready, a_ready, r_valid, bank, idle;
  logic [NGroups*Cols*OutBits-1:0] r_data;
  logic [NGroups*Cols*16-1:0]      r_scale;

  cim_macro #(.Rows(Rows), .Cols(Cols), .GroupRows(GroupRows), .WBits(WBits), .ABits(ABits),
              .WrBits(WrBits)) dut (
    .clk_i, .rst_ni(rst_n),
    .w_valid_i, .w_ready_o(w_ready), .w_kind_i, .w_idx_i, .w_data_i,
    .a_valid_i, .a_ready_o(a_ready), .a_plane_i, .a_swap_i, .a_prec_i,
    .r_valid_o(r_valid), .r_ready_i, .r_data_o(r_data), .r_scale_o(r_scale),
    .bank_o(bank), .idle_o(idle));

  // ---- the shadow copy of both banks, and which words were written since reset ----------------
  logic [NWords*GroupRows-1:0] sh0_q, sh1_q;
  logic [NWords-1:0]           wr0_q, wr1_q;
  logic w_fire, a_fire, first, swap, bank_d;
  logic [1:0] plane_q;
  assign w_fire = w_valid_i && w_ready;
  assign a_fire = a_valid_i && a_ready;
  assign first  = (plane_q == 2'd0);
  assign swap   = a_fire && first && a_swap_i;
  assign bank_d = bank ^ swap;   // the bank this plane reads

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      wr0_q   <= '0;
      wr1_q   <= '0;
      plane_q <= 2'd0;
    end else begin
      if (w_fire && !w_kind_i) begin
        if (bank) begin
          sh0_q[w_idx_i*GroupRows +: GroupRows] <= w_data_i[GroupRows-1:0];
          wr0_q[w_idx_i] <= 1'b1;
        end else begin
          sh1_q[w_idx_i*GroupRows +: GroupRows] <= w_data_i[GroupRows-1:0];
          wr1_q[w_idx_i] <= 1'b1;
        end
      end
      if (a_fire) plane_q <= (plane_q == 2'(ABits - 1)) ? 2'd0 : plane_q + 2'd1;
    end
  end

  // ---- the expected sums: one plane's term of group g ------------------------------------------
  // Weight bit j of row r of group g (column 0) is bit r of word (g*WBits + j)*Cols.
  function automatic logic signed [OutBits-1:0] plane_term(
      input logic [NWords*GroupRows-1:0] sh, input logic [3:0] plane, input logic [1:0] prec,
      input logic [1:0] p, input int unsigned g);
    logic signed [OutBits-1:0] w, acc;
    int unsigned wbits;
    wbits = 32'd2 << prec;
    acc = '0;
    for (int unsigned r = 0; r < GroupRows; r++) begin
      w = '0;
      for (int unsigned j = 0; j < WBits; j++) begin
        if (sh[((g*WBits + j)*Cols)*GroupRows + r]) begin
          if (j + 1 < wbits)       w = w + (OutBits'(1) << j);
          else if (j + 1 == wbits) w = w - (OutBits'(1) << j);
        end
      end
      if (plane[g*GroupRows + r]) acc = acc + w;
    end
    // Activation plane p weighs 2^p, the top one (the sign) -2^p.
    plane_term = (p == 2'(ABits - 1)) ? -(acc << p) : (acc << p);
  endfunction

  logic signed [OutBits-1:0] acc_q [NGroups];
  logic signed [OutBits-1:0] acc_d [NGroups];
  logic                      ok_q, ok_d;   // every plane so far read a fully written bank
  logic                      bank_full;
  assign bank_full = bank_d ? &wr1_q : &wr0_q;
  always_comb begin
    for (int unsigned g = 0; g < NGroups; g++)
      acc_d[g] = (first ? '0 : acc_q[g])
               + plane_term(bank_d ? sh1_q : sh0_q, a_plane_i, a_prec_i, plane_q, g);
    ok_d = (first || ok_q) && bank_full;
  end
  always_ff @(posedge clk_i) begin
    if (a_fire) begin
      for (int unsigned g = 0; g < NGroups; g++) acc_q[g] <= acc_d[g];
      ok_q <= ok_d;
    end
  end

  // ---- a queue of the expected results (at most two in flight: one in the result register, one
  // finished in the accumulator behind it) -------------------------------------------------------
  logic [NGroups*OutBits-1:0] exp_q [2];
  logic                       exp_ok_q [2];
  logic [1:0]                 cnt_q;
  logic                       push, pop;
  logic [NGroups*OutBits-1:0] exp_d;
  assign push = a_fire && plane_q == 2'(ABits - 1);
  assign pop  = r_valid && r_ready_i;
  always_comb for (int unsigned g = 0; g < NGroups; g++) exp_d[g*OutBits +: OutBits] = acc_d[g];

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      cnt_q <= 2'd0;
    end else begin
      cnt_q <= cnt_q + 2'(push) - 2'(pop);
      if (pop) begin
        exp_q[0]    <= exp_q[1];
        exp_ok_q[0] <= exp_ok_q[1];
      end
      if (push) begin
        exp_q[cnt_q - 2'(pop)]    <= exp_d;
        exp_ok_q[cnt_q - 2'(pop)] <= ok_d;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_n) begin
      // Bank rule: no write is accepted in the cycle the shadow bank becomes the active one.
      a_fv_bank_rule: assert (!(swap && w_fire));
      // Every result is an operation's, in order, and no more than two are ever in flight.
      a_fv_count: assert (cnt_q <= 2'd2);
      a_fv_result_owed: assert (!r_valid || cnt_q != 2'd0);
      // The result is the signed dot product of the loaded weights and the activations.
      a_fv_dot: assert (!(r_valid && exp_ok_q[0]) || r_data == exp_q[0]);
    end
  end

  // The precisions the macro offers: w = 2 << a_prec_i up to WBits (a wider one has no sign plane
  // in the array and overflows the adder tree: not an operation the driver issues).
  always_comb assume ((32'd2 << a_prec_i) <= WBits);

  // Reachability (cover): a checked result was produced.
  always_ff @(posedge clk_i) if (rst_n) c_fv_checked: cover (r_valid && exp_ok_q[0]);
endmodule
