// SPDX-License-Identifier: Apache-2.0
// VF32 absolute value, exact: the value read, sign cleared.
module vf_abs (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  assign y_o = vf_pkg::canon(x_i) & 32'h7FFF_FFFF;
endmodule
