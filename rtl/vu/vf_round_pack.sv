// SPDX-License-Identifier: Apache-2.0
// The last step of every VF32 result (docs/NUMERICS.md, "VF32"): rounds a normalized significand
// to nearest, ties to even, from its round and sticky bits, then flushes a result below 2^-126 to
// a signed zero and saturates one above the largest finite to +-MaxFinite. The exponent range
// of the input is unbounded as far as its width goes, so rounding happens before the flush test.
module vf_round_pack (
  input  logic                               sign_i,
  input  logic signed [vf_pkg::ExpBits-1:0]  exp_i,     // unbiased exponent of sig_i[23]
  input  logic [23:0]                        sig_i,     // normalized: sig_i[23] = 1
  input  logic                               round_i,   // the bit below sig_i[0]
  input  logic                               sticky_i,  // any bit below round_i
  output logic [31:0]                        y_o
);
  logic                              up;
  logic [24:0]                       rounded;
  logic signed [vf_pkg::ExpBits-1:0] exp;
  logic [7:0]                        biased;
  logic                              unused_hidden;   // the leading 1, implicit in the result

  always_comb begin
    up      = round_i && (sticky_i || sig_i[0]);
    rounded = {1'b0, sig_i} + 25'(up);
    // A carry out of 24 bits leaves 2^24: the fraction bits are all zero, the exponent one more.
    exp     = exp_i + vf_pkg::ExpBits'(rounded[24]);
    biased  = 8'(exp + vf_pkg::ExpBits'(127));
    unused_hidden = rounded[23];
    y_o     = {sign_i, biased, rounded[22:0]};
    if (exp < vf_pkg::ExpBits'(vf_pkg::ExpMin))      y_o = {sign_i, 31'd0};
    else if (exp > vf_pkg::ExpBits'(vf_pkg::ExpMax)) y_o = {sign_i, vf_pkg::MaxFinite[30:0]};
  end
endmodule
