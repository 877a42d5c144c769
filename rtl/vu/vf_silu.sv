// SPDX-License-Identifier: Apache-2.0
// VF32 SiLU (swish): x * sigmoid(x).
module vf_silu (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0] s;

  vf_sigmoid u_sigmoid (
    .x_i (x_i),
    .y_o (s)
  );
  vf_mul u_mul (
    .a_i (x_i),
    .b_i (s),
    .y_o (y_o)
  );
endmodule
