// SPDX-License-Identifier: Apache-2.0
// VF32 to Q39.24: round(f * 2^24) to nearest, ties to even, saturated to the int64 range.
// f * 2^24 = sig * 2^(e + 1): a left shift up to 39, or a rounding right shift; from e + 1 = 40
// on |f * 2^24| >= 2^63 saturates (-2^63 exactly is the saturated value too).
module vf_to_q24 (
  input  logic [31:0] x_i,
  output logic [63:0] q_o
);
  logic [31:0]                       c;
  logic signed [vf_pkg::ExpBits-1:0] sh;
  logic [24:0]                       right;
  logic [63:0]                       mag;

  always_comb begin
    c  = vf_pkg::canon(x_i);
    sh = vf_pkg::exp_of(c) + vf_pkg::ExpBits'(1);
  end

  vf_rshift_rne #(
    .Width     (24),
    .ShiftBits (vf_pkg::ExpBits)
  ) u_rshift (
    .x_i     (vf_pkg::sig(c)),
    .shift_i (vf_pkg::ExpBits'(-sh)),
    .y_o     (right)
  );

  always_comb begin
    if (sh >= 0) mag = 64'(vf_pkg::sig(c)) << sh[5:0];
    else         mag = 64'(right);
    q_o = c[31] ? -mag : mag;
    if (sh >= vf_pkg::ExpBits'(40)) q_o = c[31] ? 64'h8000_0000_0000_0000 : 64'h7FFF_FFFF_FFFF_FFFF;
    if (vf_pkg::is_zero(c))         q_o = '0;
  end
endmodule
