// SPDX-License-Identifier: Apache-2.0
// VF32 negation, exact: the value read, with the other sign (so never an Inf or a subnormal out).
module vf_neg (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  logic [31:0] c;
  assign c   = vf_pkg::canon(x_i);
  assign y_o = {~c[31], c[30:0]};
endmodule
