// SPDX-License-Identifier: Apache-2.0
// The accelerator's FP16 reading (docs/NUMERICS.md, "FP16 scales"): (-1)^s * M * 2^(E - 25),
// M = e ? 1024 + m : m, E = e ? e : 1, exponent 31 ordinary, subnormals values; to VF32, exact
// (at most 11 significant bits, magnitudes in [2^-24, 131008]). A zero keeps its sign.
module vf_from_fp16 (
  input  logic [15:0] h_i,
  output logic [31:0] y_o
);
  logic [10:0] mant;
  logic [9:0]  frac;
  logic        unused_hidden;   // the leading 1, implicit in the result
  logic [3:0]  lz;
  logic [5:0]  e;
  logic [7:0]  biased;

  always_comb begin
    mant = (h_i[14:10] != 5'd0) ? {1'b1, h_i[9:0]} : {1'b0, h_i[9:0]};
    e    = (h_i[14:10] != 5'd0) ? {1'b0, h_i[14:10]} : 6'd1;
  end

  vf_lzc #(
    .Width (11)
  ) u_lzc (
    .x_i     (mant),
    .count_o (lz)
  );

  always_comb begin
    {unused_hidden, frac} = mant << lz;
    // The leading bit 10 - lz weighs 2^(10 - lz + E - 25); biased by 127: E + 112 - lz.
    biased = 8'(e) + 8'd112 - 8'(lz);
    y_o    = {h_i[15], biased, frac, 13'd0};
    if (mant == 11'd0) y_o = {h_i[15], 31'd0};
  end
endmodule
