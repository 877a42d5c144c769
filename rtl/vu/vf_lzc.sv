// SPDX-License-Identifier: Apache-2.0
// Leading-zero count of a Width-bit vector (Width for zero): the normalizing shift of the VF32
// modules that turn an integer or a difference into a significand.
module vf_lzc #(
  parameter int unsigned Width = 32,
  localparam int unsigned CntBits = $clog2(Width + 1)
) (
  input  logic [Width-1:0]   x_i,
  output logic [CntBits-1:0] count_o
);
  always_comb begin
    count_o = CntBits'(Width);
    // From the bottom up: the highest set bit is the last to assign.
    for (int unsigned i = 0; i < Width; i++) begin
      if (x_i[i]) count_o = CntBits'(Width - 1 - i);
    end
  end
endmodule
