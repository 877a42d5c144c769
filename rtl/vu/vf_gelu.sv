// SPDX-License-Identifier: Apache-2.0
// VF32 GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) = x * sigmoid(z) with
// z = x * (C1 + C2 * x^2), C1 = 2 sqrt(2/pi), C2 = C1 * 0.044715 (the nearest VF32 of each).
module vf_gelu (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0] x2, c2x2, poly, z, s;

  vf_mul u_square (
    .a_i (x_i),
    .b_i (x_i),
    .y_o (x2)
  );
  vf_mul u_cubic (
    .a_i (vf_tables_pkg::GeluC2),
    .b_i (x2),
    .y_o (c2x2)
  );
  vf_add u_poly (
    .a_i (vf_tables_pkg::GeluC1),
    .b_i (c2x2),
    .y_o (poly)
  );
  vf_mul u_z (
    .a_i (x_i),
    .b_i (poly),
    .y_o (z)
  );
  vf_sigmoid u_sigmoid (
    .x_i (z),
    .y_o (s)
  );
  vf_mul u_gate (
    .a_i (x_i),
    .b_i (s),
    .y_o (y_o)
  );
endmodule
