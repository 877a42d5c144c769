// SPDX-License-Identifier: Apache-2.0
// VF32 logistic sigmoid: recip(1 + exp(-x)), each step rounded as its module does.
module vf_sigmoid (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0] neg_x, e, denom;

  vf_neg u_neg (
    .x_i (x_i),
    .y_o (neg_x)
  );
  vf_exp u_exp (
    .x_i (neg_x),
    .y_o (e)
  );
  vf_add u_add (
    .a_i (vf_pkg::One),
    .b_i (e),
    .y_o (denom)
  );
  vf_recip u_recip (
    .x_i (denom),
    .y_o (y_o)
  );
endmodule
