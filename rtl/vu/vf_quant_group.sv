// SPDX-License-Identifier: Apache-2.0
// Q8_0-style quantization of a group of activations (docs/NUMERICS.md, "VF32", vf_quant_group):
// the group's FP16 scale (vf_quant_scale), then q_i = to_int_rne(v_i * inv, -127, 127), or every
// q_i = 0 when the scale is zero. Codes are signed bytes, q_o[8i +: 8] for v_i.
module vf_quant_group #(
  parameter int unsigned GroupSize = 32
) (
  input  logic [GroupSize*32-1:0] v_i,
  output logic [GroupSize*8-1:0]  q_o,
  output logic [15:0]             s16_o
);
  logic [31:0] inv;
  logic        zero;

  vf_quant_scale #(
    .GroupSize (GroupSize)
  ) u_scale (
    .v_i    (v_i),
    .s16_o  (s16_o),
    .inv_o  (inv),
    .zero_o (zero)
  );

  for (genvar i = 0; i < GroupSize; i++) begin : g_code
    logic [31:0]        scaled;
    logic signed [31:0] code;

    vf_mul u_mul (
      .a_i (v_i[i*32 +: 32]),
      .b_i (inv),
      .y_o (scaled)
    );
    vf_to_int u_to_int (
      .x_i  (scaled),
      .lo_i (-32'sd127),
      .hi_i (32'sd127),
      .n_o  (code)
    );
    logic unused_code_high;   // the clamp to [-127, 127] leaves only the sign in these
    assign unused_code_high = ^code[31:8];
    assign q_o[i*8 +: 8] = zero ? 8'd0 : code[7:0];
  end
endmodule
