// SPDX-License-Identifier: Apache-2.0
// VF32 addition, correctly rounded (docs/NUMERICS.md, "VF32"). The smaller magnitude is aligned
// to the larger one with three extra bits (guard, round, sticky: the sticky bit is the OR of all
// that is shifted past it). That is exact enough for one rounding: a difference needs more than
// one bit of left normalization only when the exponents differ by at most one, and then nothing
// was shifted out. An exact zero sum is +0 unless both addends are -0.
module vf_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);
  localparam int unsigned FieldBits = 27;                 // significand, guard, round, sticky
  localparam int unsigned SumBits   = FieldBits + 1;      // and the carry of an addition

  logic [31:0]                       ca, cb, larger, smaller;
  logic [7:0]                        diff;
  logic [FieldBits-1:0]              larger_f, smaller_f, smaller_full;
  logic                              lost;
  logic [SumBits-1:0]                sum, norm;
  logic [$clog2(SumBits+1)-1:0]      lz;
  logic signed [vf_pkg::ExpBits-1:0] exp;
  logic [31:0]                       packed_y;

  always_comb begin
    ca = vf_pkg::canon(a_i);
    cb = vf_pkg::canon(b_i);
    // Canonical magnitudes order like their patterns: the larger one is the reference.
    if (cb[30:0] > ca[30:0]) begin
      larger   = cb;
      smaller = ca;
    end else begin
      larger   = ca;
      smaller = cb;
    end
    diff  = larger[30:23] - smaller[30:23];
    larger_f = vf_pkg::is_zero(larger) ? '0 : {vf_pkg::sig(larger), 3'b000};
    smaller_full = vf_pkg::is_zero(smaller) ? '0 : {vf_pkg::sig(smaller), 3'b000};
    if (diff >= 8'(FieldBits)) begin
      smaller_f = '0;
      lost    = |smaller_full;
    end else begin
      smaller_f = smaller_full >> diff;
      lost    = |(smaller_full & ((FieldBits'(1) << diff) - FieldBits'(1)));
    end
    smaller_f[0] = smaller_f[0] | lost;
    if (larger[31] ^ smaller[31]) sum = {1'b0, larger_f} - {1'b0, smaller_f};
    else                     sum = {1'b0, larger_f} + {1'b0, smaller_f};
  end

  vf_lzc #(
    .Width (SumBits)
  ) u_lzc (
    .x_i     (sum),
    .count_o (lz)
  );

  always_comb begin
    norm = sum << lz;   // leading bit at SumBits - 1
    // sum's leading bit is at 27 - lz for a significand whose leading bit was at 26: exponent
    // of the reference + 1 - lz.
    exp  = vf_pkg::exp_of(larger) + vf_pkg::ExpBits'(1) - vf_pkg::ExpBits'(lz);
  end

  vf_round_pack u_round (
    .sign_i   (larger[31]),
    .exp_i    (exp),
    .sig_i    (norm[SumBits-1 -: 24]),
    .round_i  (norm[SumBits-25]),
    .sticky_i (|norm[SumBits-26:0]),
    .y_o      (packed_y)
  );

  // Both zero or an exact cancellation: -0 only for -0 + -0.
  assign y_o = (sum == '0) ? {ca[31] & cb[31], 31'd0} : packed_y;
endmodule
