// SPDX-License-Identifier: Apache-2.0
// VF32 1/sqrt(x) (docs/NUMERICS.md, "VF32", vf_rsqrt). x = M * 2^(e - 23) = m' * 2^(e - p) with
// p = e mod 2 and m' = M * 2^(p - 23) in [1, 4): an odd exponent reads its binade as [2, 4) of
// the even one below. With S = p ? RSQRT1 : RSQRT0 (2^24 / sqrt(m') at 64 points of each half),
//   r = S[i] - ((S[i] - S[i + 1]) * (M mod 2^17) >> 17),  i = (M >> 17) mod 64,
// and 1/sqrt(x) = r * 2^-24 * 2^(-(e - p) / 2). r lies in (2^23, 2^24], r = 2^24 only for p = 0
// and M = 2^23 (x = 4^k: 2^-k exactly, exponent -(e - p) / 2); else the exponent is
// -(e - p) / 2 - 1. The result exponent stays in [-64, 63]: no flush, no saturation.
// x <= 0 (-0 and +0 included) -> +max.
module vf_rsqrt (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0]                       c, packed_y;
  logic                              odd;
  logic [24:0]                       hi, lo, r;
  logic [16:0]                       step;
  logic signed [vf_pkg::ExpBits-1:0] e, half, exp;

  always_comb begin
    c    = vf_pkg::canon(x_i);
    e    = vf_pkg::exp_of(c);
    odd  = e[0];                                                    // two's complement: -1 is odd
    hi   = odd ? vf_tables_pkg::rsqrt1_table({1'b0, c[22:17]})
               : vf_tables_pkg::rsqrt0_table({1'b0, c[22:17]});
    lo   = odd ? vf_tables_pkg::rsqrt1_table({1'b0, c[22:17]} + 7'd1)
               : vf_tables_pkg::rsqrt0_table({1'b0, c[22:17]} + 7'd1);
    step = 17'(hi - lo);                                            // < 2^17 (the generator checks)
    r    = hi - 25'((34'(step) * 34'(c[16:0])) >> 17);
    half = $signed(e - vf_pkg::ExpBits'(odd)) >>> 1;                      // exact: e - p is even
    exp  = -half - (r[24] ? vf_pkg::ExpBits'(0) : vf_pkg::ExpBits'(1));
  end

  vf_round_pack u_pack (
    .sign_i   (1'b0),
    .exp_i    (exp),
    .sig_i    (r[24] ? 24'h80_0000 : r[23:0]),
    .round_i  (1'b0),
    .sticky_i (1'b0),
    .y_o      (packed_y)
  );

  assign y_o = (vf_pkg::is_zero(c) || c[31]) ? vf_pkg::MaxFinite : packed_y;
endmodule
