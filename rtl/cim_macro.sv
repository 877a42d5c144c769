// SPDX-License-Identifier: Apache-2.0
// Digital SRAM compute-in-memory macro, bit-plane datapath.
//
// Rows x Cols signed weights of up to WBits bits in two banks (ping-pong), each with its weight
// scales (one FP16 per group and column). Storage is bit-planes, as in a digital CIM array: for
// every row group g, weight bit j and column c, one GroupRows-bit word (the bit-line of bit j of
// column c over the group's rows), word index (g*WBits + j)*Cols + c. The write port takes WrBits
// bits per cycle into the shadow bank: WrBits/32 consecutive bit-plane words (kind 0) or WrBits/16
// consecutive scales (kind 1, scale (g, c) at index g*Cols + c) from index w_idx_i. An operation is ABits activation bit-planes (Rows bits each, LSB first,
// two's complement: the last plane is subtracted), one per cycle, at a weight precision a_prec_i
// (2 << a_prec_i bits, at most WBits; its top plane is the sign plane). Per group and column:
//   S = sum_{j < w-1} 2^j popcount(plane_g & word_gcj) - 2^(w-1) popcount(plane_g & word_gc(w-1))
// and a bit-serial shift-accumulate turns the ABits sums into the exact signed dot product of the
// group. Result: NGroups x Cols sums of OutBits bits, with the scales of the bank that computed it.
//
// Pipeline: plane accepted (popcounts) -> tree register -> accumulator -> result register.
// Throughput: one operation every ABits cycles, back to back. Latency: the result is valid
// ABits + 1 cycles after the first plane is accepted. docs/ARCHITECTURE.md has the details.
//
// Bank rules (the active bank is never written):
// - a_swap_i is sampled with the first plane of an operation: the banks swap before that
//   operation reads its weights, so the operation uses the freshly loaded bank;
// - the write port always writes the shadow bank; in a cycle where a swap is accepted it is not
//   ready (the write lands one cycle later, in the new shadow bank);
// - words or scales past the array (index >= NGroups*Cols*WBits resp. NGroups*Cols) are dropped.
module cim_macro #(
  parameter int unsigned Rows      = 128,
  parameter int unsigned Cols      = 32,
  parameter int unsigned GroupRows = 32,
  parameter int unsigned WBits     = 4,
  parameter int unsigned ABits     = 8,
  parameter int unsigned WrBits    = 128,
  localparam int unsigned NGroups  = Rows / GroupRows,
  localparam int unsigned NSums    = NGroups * Cols,
  localparam int unsigned NWords   = NSums * WBits,               // bit-plane words per bank
  localparam int unsigned IdxBits  = (NWords > 1) ? $clog2(NWords) : 1,
  localparam int unsigned ScaleAw  = (NSums > 1) ? $clog2(NSums) : 1,
  localparam int unsigned TreeBits = WBits + ((GroupRows > 1) ? $clog2(GroupRows) : 1),
  localparam int unsigned OutBits  = TreeBits + ABits,
  localparam int unsigned PlaneAw  = (ABits > 1) ? $clog2(ABits) : 1
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // Write port: kind 0 = bit-plane words, kind 1 = scales, from index w_idx_i; element e of the
  // write is at w_data_i[e*32 +: GroupRows] (words) or w_data_i[e*16 +: 16] (scales).
  input  logic                      w_valid_i,
  output logic                      w_ready_o,
  input  logic                      w_kind_i,
  input  logic [IdxBits-1:0]        w_idx_i,
  input  logic [WrBits-1:0]         w_data_i,
  // Activation bit-planes (row r at bit r) and the weight precision of the operation.
  input  logic                      a_valid_i,
  output logic                      a_ready_o,
  input  logic [Rows-1:0]           a_plane_i,
  input  logic                      a_swap_i,
  input  logic [1:0]                a_prec_i,
  // Results: sum of (group g, column c) at [(g*Cols + c)*OutBits +: OutBits], its scale at
  // [(g*Cols + c)*16 +: 16].
  output logic                      r_valid_o,
  input  logic                      r_ready_i,
  output logic [NSums*OutBits-1:0]  r_data_o,
  output logic [NSums*16-1:0]       r_scale_o,
  // Status.
  output logic                      bank_o,   // index of the active bank
  output logic                      idle_o    // no operation in flight
);
`ifndef SYNTHESIS
  initial begin
    if (GroupRows == 0 || Rows % GroupRows != 0) $fatal(1, "cim_macro: Rows must be a multiple of GroupRows");
    if (GroupRows > 32) $fatal(1, "cim_macro: GroupRows must be at most 32 (one bit-plane word)");
    if (WBits != 2 && WBits != 4 && WBits != 8) $fatal(1, "cim_macro: WBits must be 2, 4 or 8");
    if (ABits < 2 || ABits > 16) $fatal(1, "cim_macro: ABits must be in 2..16");
    if (WrBits < 32 || (WrBits & (WrBits - 1)) != 0) $fatal(1, "cim_macro: WrBits must be a power of two >= 32");
  end
`endif

  localparam int unsigned WordsPerWr  = WrBits / 32;
  localparam int unsigned ScalesPerWr = WrBits / 16;

  // ---------------------------------------------------------------------------------------------
  // Control: plane counter, bank swap, write handshake
  // ---------------------------------------------------------------------------------------------
  logic                 active_q, active_d;
  logic [PlaneAw-1:0]   plane_q, plane_d;
  logic                 a_fire, swap_fire, w_fire, first_plane, stall;

  assign first_plane = (plane_q == '0);
  assign a_ready_o   = !stall;
  assign a_fire      = a_valid_i && a_ready_o;
  assign swap_fire   = a_fire && first_plane && a_swap_i;
  assign w_ready_o   = !swap_fire;
  assign w_fire      = w_valid_i && w_ready_o;
  assign active_d    = active_q ^ swap_fire;

  always_comb begin
    plane_d = plane_q;
    if (a_fire) plane_d = (plane_q == PlaneAw'(ABits - 1)) ? '0 : plane_q + 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
      plane_q  <= '0;
    end else begin
      active_q <= active_d;
      plane_q  <= plane_d;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Weight and scale banks (SRAM: not reset). w_fire implies no swap this cycle, so ~active_q is
  // the shadow bank. The write loops run only when a write fires (cheap to simulate when idle).
  // ---------------------------------------------------------------------------------------------
  logic [GroupRows-1:0] word0_q  [NWords];
  logic [GroupRows-1:0] word1_q  [NWords];
  logic [15:0]          scale0_q [NSums];
  logic [15:0]          scale1_q [NSums];

  // Element e of a write goes to index {w_idx_i[high bits], e}: the index is taken aligned to the
  // element count (its low bits are ignored), so each element reaches its own slice of the array.
  localparam int unsigned WordSel  = $clog2(WordsPerWr);
  localparam int unsigned ScaleSel = $clog2(ScalesPerWr);

  for (genvar e = 0; e < WordsPerWr; e++) begin : g_wr_word
    logic [IdxBits-1:0] q;
    assign q = (w_idx_i >> WordSel << WordSel) | IdxBits'(e);
    always_ff @(posedge clk_i) begin
      if (w_fire && !w_kind_i && 32'(q) < NWords) begin
        if (active_q) word0_q[q] <= w_data_i[e*32 +: GroupRows];
        else          word1_q[q] <= w_data_i[e*32 +: GroupRows];
      end
    end
  end

  for (genvar e = 0; e < ScalesPerWr; e++) begin : g_wr_scale
    logic [ScaleAw-1:0] q;
    assign q = (ScaleAw'(w_idx_i) >> ScaleSel << ScaleSel) | ScaleAw'(e);
    always_ff @(posedge clk_i) begin
      if (w_fire && w_kind_i && 32'(q) < NSums) begin
        if (active_q) scale0_q[q] <= w_data_i[e*16 +: 16];
        else          scale1_q[q] <= w_data_i[e*16 +: 16];
      end
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 0 (per group and column, below): popcounts of the plane AND each weight bit-plane,
  // evaluated into the tree register only when a plane is accepted.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned CntBits = $clog2(GroupRows + 1);

  // Bits set in a word: $countones for synthesis (an adder tree); in Verilator the classic SWAR
  // form, which the C++ compiler turns into one popcount instruction (-mpopcnt). The two are the
  // same function: `make formal` proves it (syn/popcount_equiv.ys).
  function automatic logic [CntBits-1:0] popcount(input logic [GroupRows-1:0] x);
`ifdef VERILATOR
    logic [31:0] v;
    v = 32'(x);
    v = v - ((v >> 1) & 32'h5555_5555);
    v = (v & 32'h3333_3333) + ((v >> 2) & 32'h3333_3333);
    v = ((v + (v >> 4)) & 32'h0F0F_0F0F) * 32'h0101_0101;
    popcount = CntBits'(v >> 24);
`else
    popcount = CntBits'($countones(x));
`endif
  endfunction

  // ---------------------------------------------------------------------------------------------
  // Stage 1: tree register. Stage 2: bit-serial shift-accumulate. One small register set per
  // (group, column), so that each is updated only when its stage is enabled.
  // ---------------------------------------------------------------------------------------------
  logic                           s1_valid_q;
  logic [PlaneAw-1:0]             s1_plane_q;
  logic                           out_valid_q;
  logic                           s1_first, s1_last, load_out, acc_en;

  assign s1_first = (s1_plane_q == '0);
  assign s1_last  = (s1_plane_q == PlaneAw'(ABits - 1));
  // The pipeline holds only when a finished sum cannot move into a full, unread result register.
  assign stall    = s1_valid_q && s1_last && out_valid_q && !r_ready_i;
  assign load_out = s1_valid_q && s1_last && !stall;
  assign acc_en   = s1_valid_q && !stall;

  // The partial sum after planes 0..b is H * 2^(b+1) + L with L's b+1 low bits final: each plane
  // adds +-S to H, the LSB of the result drops into L, H shifts right. No barrel shifter.
  for (genvar g = 0; g < NGroups; g++) begin : g_group
    for (genvar c = 0; c < Cols; c++) begin : g_col
      localparam int unsigned I = g * Cols + c;
      logic signed [TreeBits-1:0] tree_q;
      logic [TreeBits:0]          hi_q;
      logic [ABits-2:0]           lo_q;    // the final low bits of the sum, LSB first in
      logic [OutBits-1:0]         out_q;
      logic [15:0]                out_scale_q;

      // Stage 0: the popcounts of the plane AND each bit-plane of the column in the active bank
      // (the one after a swap of this cycle), shift-added with the sign plane (bit w-1 of the
      // operation's precision w) subtracted; planes above w are not read.
      always_ff @(posedge clk_i) begin : b_tree
        logic signed [TreeBits-1:0] s;
        logic [CntBits-1:0]         cnt;
        logic [GroupRows-1:0]       word;
        int unsigned                wbits;
        if (a_fire) begin
          wbits = 32'd2 << a_prec_i;
          s = '0;
          for (int unsigned j = 0; j < WBits; j++) begin
            word = active_d ? word1_q[(g*WBits + j)*Cols + c] : word0_q[(g*WBits + j)*Cols + c];
            cnt  = popcount(a_plane_i[g*GroupRows +: GroupRows] & word);
            if (j + 1 < wbits)       s = s + (TreeBits'(cnt) << j);
            else if (j + 1 == wbits) s = s - (TreeBits'(cnt) << j);
          end
          tree_q <= s;
        end
      end

      always_ff @(posedge clk_i) begin : b_acc
        logic [TreeBits:0] term, base, tsum;
        if (acc_en) begin
          term = {tree_q[TreeBits-1], tree_q};
          base = s1_first ? '0 : hi_q;
          tsum = s1_last ? base - term : base + term;
          hi_q <= {tsum[TreeBits], tsum[TreeBits:1]};
          lo_q <= (lo_q >> 1) | ((ABits-1)'(tsum[0]) << (ABits - 2));
          if (s1_last) out_q <= {tsum[TreeBits:1], tsum[0], lo_q};
        end
        // The scales travel with the result: the bank is still the operation's (a swap accepted
        // in this cycle takes effect after the edge), and it is not written before it swaps out.
        if (load_out) out_scale_q <= active_q ? scale1_q[I] : scale0_q[I];
      end

      assign r_data_o[I*OutBits +: OutBits] = out_q;
      assign r_scale_o[I*16 +: 16]          = out_scale_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q  <= 1'b0;
      s1_plane_q  <= '0;
      out_valid_q <= 1'b0;
    end else begin
      if (!stall) begin
        s1_valid_q <= a_fire;
        s1_plane_q <= plane_q;
      end
      out_valid_q <= load_out || (out_valid_q && !r_ready_i);
    end
  end

  assign r_valid_o = out_valid_q;
  assign bank_o    = active_q;
  assign idle_o    = first_plane && !s1_valid_q && !out_valid_q;

  // Assertions (simulation with --assert, and formal: Yosys defines SYNTHESIS unless -formal).
`ifndef SYNTHESIS
  // Immediate assertions in a clocked block (the form Verilator 5.006 runs with --assert and open
  // Yosys proves with -formal: no concurrent SVA, no action blocks; a failure names the label).
  // `x |=> y` is written `$past(x) -> y`, checked once a cycle has passed since reset.
  logic sva_past_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sva_past_q <= 1'b0;
    else         sva_past_q <= 1'b1;
  end
  // The result's copy for a_macro_r_stable, kept by hand: Verilator 5.006 generates code that does
  // not compile for $past/$stable of signals as wide as r_data_o (its issue 4824).
  logic [NSums*OutBits-1:0] sva_r_data_q;
  logic [NSums*16-1:0]      sva_r_scale_q;
  logic                     sva_r_hold_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sva_r_hold_q <= 1'b0;
    end else begin
      sva_r_hold_q  <= r_valid_o && !r_ready_i;
      sva_r_data_q  <= r_data_o;
      sva_r_scale_q <= r_scale_o;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // Writes go to the shadow bank: none lands in the cycle that bank becomes the active one;
      // a swap only on an accepted first plane; a stall only with a result waiting; idle only
      // with no operation in flight.
      a_macro_no_write_on_swap: assert (!swap_fire || !w_fire);
      a_macro_swap_first: assert (!swap_fire || (a_valid_i && a_ready_o && first_plane && a_swap_i));
      a_macro_stall: assert (!stall || (r_valid_o && !r_ready_i));
      a_macro_idle: assert (!idle_o || (!r_valid_o && plane_q == '0));
    end
    if (rst_ni && sva_past_q) begin
      // The active bank changes only by an accepted swap; a result stays until taken.
      a_macro_bank_swap: assert ($past(swap_fire) || $stable(active_q));
      a_macro_r_stable: assert (!sva_r_hold_q || (r_valid_o && r_data_o == sva_r_data_q && r_scale_o == sva_r_scale_q));
    end
  end
`endif
endmodule
