// SPDX-License-Identifier: Apache-2.0
// VF32 1/x (docs/NUMERICS.md, "VF32", vf_recip): with x = (-1)^s * M * 2^(e - 23),
//   r = RECIP[i] - ((RECIP[i] - RECIP[i + 1]) * (M mod 2^16) >> 16),  i = (M >> 16) mod 128,
// linear interpolation of 2^24 / (M / 2^23) in 128 segments. r lies in (2^23, 2^24]; r = 2^24
// only for M = 2^23, where 1/x = 2^-e exactly; else 1/x = r * 2^(-e - 24) with exponent -e - 1.
// +-0 -> +-max; results below 2^-126 flush (x >= 2^126 but a power of two).
module vf_recip (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0]                       c, packed_y;
  logic [24:0]                       hi, lo, r;
  logic [16:0]                       step;
  logic signed [vf_pkg::ExpBits-1:0] exp;

  always_comb begin
    c    = vf_pkg::canon(x_i);
    hi   = vf_tables_pkg::recip_table({1'b0, c[22:16]});
    lo   = vf_tables_pkg::recip_table({1'b0, c[22:16]} + 8'd1);
    step = 17'(hi - lo);                                            // < 2^17 (the generator checks)
    r    = hi - 25'((33'(step) * 33'(c[15:0])) >> 16);
    exp  = -vf_pkg::exp_of(c) - (r[24] ? vf_pkg::ExpBits'(0) : vf_pkg::ExpBits'(1));
  end

  vf_round_pack u_pack (
    .sign_i   (c[31]),
    .exp_i    (exp),
    .sig_i    (r[24] ? 24'h80_0000 : r[23:0]),
    .round_i  (1'b0),
    .sticky_i (1'b0),
    .y_o      (packed_y)
  );

  assign y_o = vf_pkg::is_zero(c) ? {c[31], vf_pkg::MaxFinite[30:0]} : packed_y;
endmodule
