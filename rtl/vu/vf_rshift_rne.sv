// SPDX-License-Identifier: Apache-2.0
// x / 2^shift rounded to the nearest integer, ties to even: the right shifts of the VF32
// conversions to fixed point, integers and FP16. Any shift from 0 up: from Width + 1 on the
// quotient is below 1/2 and the result 0, so the shift is clamped there.
module vf_rshift_rne #(
  parameter int unsigned Width     = 24,
  parameter int unsigned ShiftBits = 8,
  localparam int unsigned OutBits  = Width + 1   // x rounded up may carry into one more bit
) (
  input  logic [Width-1:0]     x_i,
  input  logic [ShiftBits-1:0] shift_i,
  output logic [OutBits-1:0]   y_o
);
  localparam int unsigned Frac = Width + 1;      // room for every bit shifted out, and one more
  localparam int unsigned Wide = Width + Frac;

  logic [Wide-1:0] shifted;
  logic [Width-1:0] q;
  logic            round, sticky;

  always_comb begin
    if (32'(shift_i) > Frac) shifted = {x_i, Frac'(0)} >> Frac;
    else                     shifted = {x_i, Frac'(0)} >> shift_i;
    q      = shifted[Wide-1:Frac];
    round  = shifted[Frac-1];
    sticky = |shifted[Frac-2:0];
    y_o    = {1'b0, q} + OutBits'(round && (sticky || q[0]));
  end
endmodule
