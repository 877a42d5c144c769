// SPDX-License-Identifier: Apache-2.0
// VF32 to a clamped integer: round(f) to nearest, ties to even, then below lo_i -> lo_i, then
// above hi_i -> hi_i (so hi_i wins when lo_i > hi_i). The quantizer uses lo = -127, hi = 127.
// |f| >= 2^31 stands beyond every int32 bound (as +-2^32) before the clamp.
module vf_to_int (
  input  logic [31:0]        x_i,
  input  logic signed [31:0] lo_i,
  input  logic signed [31:0] hi_i,
  output logic signed [31:0] n_o
);
  localparam int unsigned RBits = 34;   // +-2^32

  logic [31:0]                       c;
  logic signed [vf_pkg::ExpBits-1:0] sh;
  logic [24:0]                       right;
  logic [RBits-1:0]                  mag;
  logic signed [RBits-1:0]           r;

  always_comb begin
    c  = vf_pkg::canon(x_i);
    sh = vf_pkg::exp_of(c) - vf_pkg::ExpBits'(23);   // f = sig * 2^(e - 23)
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
    if (sh >= vf_pkg::ExpBits'(8)) mag = RBits'(64'h1_0000_0000);   // e >= 31
    else if (sh >= 0)              mag = RBits'(vf_pkg::sig(c)) << sh[2:0];
    else                           mag = RBits'(right);
    r = c[31] ? -$signed(mag) : $signed(mag);
    if (vf_pkg::is_zero(c)) r = '0;
    if (r < RBits'(lo_i)) r = RBits'(lo_i);
    if (r > RBits'(hi_i)) r = RBits'(hi_i);
    n_o = r[31:0];
  end
endmodule
