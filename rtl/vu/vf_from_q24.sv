// SPDX-License-Identifier: Apache-2.0
// Q39.24 (the GEMV output, signed 64-bit with 24 fraction bits) to VF32: v * 2^-24, correctly
// rounded. |v| < 2^63 + 1 and the smallest step 2^-24 keep every result in the normal range.
module vf_from_q24 (
  input  logic [63:0] q_i,
  output logic [31:0] y_o
);
  logic [63:0]                       mag, norm;
  logic [6:0]                        lz;
  logic signed [vf_pkg::ExpBits-1:0] exp;
  logic [31:0]                       packed_y;

  assign mag = q_i[63] ? 64'(-q_i) : q_i;   // -(-2^63) = 2^63 as an unsigned magnitude

  vf_lzc #(
    .Width (64)
  ) u_lzc (
    .x_i     (mag),
    .count_o (lz)
  );

  always_comb begin
    norm = mag << lz;
    exp  = vf_pkg::ExpBits'(63 - 24) - vf_pkg::ExpBits'(lz);   // bit 63 - lz has weight 2^(39 - lz)
  end

  vf_round_pack u_round (
    .sign_i   (q_i[63]),
    .exp_i    (exp),
    .sig_i    (norm[63:40]),
    .round_i  (norm[39]),
    .sticky_i (|norm[38:0]),
    .y_o      (packed_y)
  );

  assign y_o = (q_i == '0) ? 32'd0 : packed_y;
endmodule
