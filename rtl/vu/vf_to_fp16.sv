// SPDX-License-Identifier: Apache-2.0
// VF32 to the accelerator's FP16 reading: to nearest, ties to even, on its grid (step
// 2^(E - 25), subnormals of step 2^-24 included), saturated at +-(2 - 2^-10) * 2^16 = 131008;
// a zero keeps its sign. The exponent field is max(e + 15, 1); the significand loses
// field - e - 2 bits (13 for a normal). The rounded count of steps includes the 1024 of a normal
// and is added to (field - 1) * 1024, so a carry (to 2048, or from a subnormal to 1024) lands on
// the next exponent by itself; past 0x7FFF it saturates.
module vf_to_fp16 (
  input  logic [31:0] x_i,
  output logic [15:0] h_o
);
  logic [31:0]                       c;
  logic signed [vf_pkg::ExpBits-1:0] e, field, shift;
  logic [24:0]                       q;
  logic [15:0]                       bits;
  logic                              unused_q_high;   // the count of steps is at most 2048

  always_comb begin
    c     = vf_pkg::canon(x_i);
    e     = vf_pkg::exp_of(c);
    field = (e + vf_pkg::ExpBits'(15) < vf_pkg::ExpBits'(1)) ? vf_pkg::ExpBits'(1) : e + vf_pkg::ExpBits'(15);
    shift = field - e - vf_pkg::ExpBits'(2);
  end

  vf_rshift_rne #(
    .Width     (24),
    .ShiftBits (vf_pkg::ExpBits)
  ) u_rshift (
    .x_i     (vf_pkg::sig(c)),
    .shift_i (shift),
    .y_o     (q)
  );

  always_comb begin
    unused_q_high = ^q[24:16];
    bits = {field[5:0], 10'd0} - 16'd1024 + q[15:0];   // field <= 31 here (else saturated)
    h_o  = {c[31], bits[14:0]};
    if (bits > 16'h7FFF || e > vf_pkg::ExpBits'(16)) h_o = {c[31], 15'h7FFF};
    if (vf_pkg::is_zero(c))                          h_o = {c[31], 15'd0};
  end
endmodule
