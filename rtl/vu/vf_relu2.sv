// SPDX-License-Identifier: Apache-2.0
// VF32 squared ReLU: r * r with r = max(x, +0). For x = -0, r is -0 (equal values return the
// first operand) and the square +0.
module vf_relu2 (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0] r;

  vf_max u_max (
    .a_i (x_i),
    .b_i (32'd0),
    .y_o (r)
  );
  vf_mul u_square (
    .a_i (r),
    .b_i (r),
    .y_o (y_o)
  );
endmodule
