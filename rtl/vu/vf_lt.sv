// SPDX-License-Identifier: Apache-2.0
// VF32 comparison a < b of the values read, exact; -0 and +0 are equal. Canonical patterns are
// sign and magnitude, and their magnitudes order like [30:0].
module vf_lt (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic        lt_o
);
  logic [31:0] ca, cb;
  logic        both_zero;

  always_comb begin
    ca        = vf_pkg::canon(a_i);
    cb        = vf_pkg::canon(b_i);
    both_zero = vf_pkg::is_zero(ca) && vf_pkg::is_zero(cb);
    if (ca[31] != cb[31]) lt_o = ca[31] && !both_zero;   // negative < positive, but -0 == +0
    else if (ca[31])      lt_o = ca[30:0] > cb[30:0];    // both negative
    else                  lt_o = ca[30:0] < cb[30:0];
  end
endmodule
