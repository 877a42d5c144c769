// SPDX-License-Identifier: Apache-2.0
// VF32 maximum of the values read, exact; equal values (-0 and +0 included) return a.
module vf_max (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);
  logic lt;

  vf_lt u_lt (
    .a_i  (a_i),
    .b_i  (b_i),
    .lt_o (lt)
  );

  assign y_o = lt ? vf_pkg::canon(b_i) : vf_pkg::canon(a_i);
endmodule
