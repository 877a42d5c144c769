// SPDX-License-Identifier: Apache-2.0
// VF32 multiplication, correctly rounded (docs/NUMERICS.md, "VF32"): the exact 48-bit product of
// the significands, normalized by at most one bit, rounded once. The exponent sum spans
// [-252, 254] before the flush/saturation of vf_round_pack. A zero factor gives a zero with the
// sign of the product.
module vf_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);
  logic [31:0]                       ca, cb, packed_y;
  logic [47:0]                       prod;
  logic [23:0]                       sig;
  logic                              round, sticky, sign;
  logic signed [vf_pkg::ExpBits-1:0] exp;

  always_comb begin
    ca   = vf_pkg::canon(a_i);
    cb   = vf_pkg::canon(b_i);
    sign = ca[31] ^ cb[31];
    prod = vf_pkg::sig(ca) * vf_pkg::sig(cb);   // in [2^46, 2^48)
    exp  = vf_pkg::exp_of(ca) + vf_pkg::exp_of(cb);
    if (prod[47]) begin
      sig    = prod[47:24];
      round  = prod[23];
      sticky = |prod[22:0];
      exp    = exp + vf_pkg::ExpBits'(1);
    end else begin
      sig    = prod[46:23];
      round  = prod[22];
      sticky = |prod[21:0];
    end
  end

  vf_round_pack u_round (
    .sign_i   (sign),
    .exp_i    (exp),
    .sig_i    (sig),
    .round_i  (round),
    .sticky_i (sticky),
    .y_o      (packed_y)
  );

  assign y_o = (vf_pkg::is_zero(ca) || vf_pkg::is_zero(cb)) ? {sign, 31'd0} : packed_y;
endmodule
