// SPDX-License-Identifier: Apache-2.0
// VF32 subtraction: a + (-b), correctly rounded (the sign flip commutes with reading b).
module vf_sub (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);
  vf_add u_add (
    .a_i (a_i),
    .b_i ({~b_i[31], b_i[30:0]}),
    .y_o (y_o)
  );
endmodule
