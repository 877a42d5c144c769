// SPDX-License-Identifier: Apache-2.0
// VF32, the arithmetic of the vector/special-function unit (docs/NUMERICS.md, "VF32"): constants
// and the input reading shared by its modules (rtl/vu/vf_*.sv). A value is a binary32 pattern; a
// subnormal reads as a signed zero and exponent 255 as +-MaxFinite, so after canon() every
// pattern is a signed zero or a normal number and [30:0] orders like the magnitude.
package vf_pkg;
  localparam logic [31:0] MaxFinite = 32'h7F7F_FFFF;  // what saturation gives
  localparam logic [31:0] One       = 32'h3F80_0000;
  localparam int          ExpMin    = -126;           // unbiased exponents of the normal range
  localparam int          ExpMax    = 127;
  localparam int          ExpBits   = 10;             // signed unbiased exponents inside a module

  // The pattern the input reads as.
  function automatic logic [31:0] canon(logic [31:0] x);
    if (x[30:23] == 8'd0)        canon = {x[31], 31'd0};
    else if (x[30:23] == 8'hFF)  canon = {x[31], MaxFinite[30:0]};
    else                         canon = x;
  endfunction

  // Of a canonical pattern: zero, the 24-bit significand (hidden bit set), the unbiased exponent.
  function automatic logic is_zero(logic [31:0] c);
    is_zero = (c[30:23] == 8'd0);
  endfunction
  function automatic logic [23:0] sig(logic [31:0] c);
    sig = {1'b1, c[22:0]};
  endfunction
  function automatic logic signed [ExpBits-1:0] exp_of(logic [31:0] c);
    exp_of = $signed({2'b00, c[30:23]}) - ExpBits'(127);
  endfunction
endpackage
