// SPDX-License-Identifier: Apache-2.0
// The scale of a Q8_0-style activation group (docs/NUMERICS.md, "VF32", vf_quant_group): amax =
// max |v_i|, s16 = to_fp16(amax * INV127) and the multiplier inv = recip(from_fp16(s16)) of the
// codes. zero_o: s16 is a zero, every code of the group is 0.
module vf_quant_scale #(
  parameter int unsigned GroupSize = 32
) (
  input  logic [GroupSize*32-1:0] v_i,
  output logic [15:0]             s16_o,
  output logic [31:0]             inv_o,
  output logic                    zero_o
);
  logic [31:0] amax, scaled, s32;

  // |v_i| are canonical non-negative patterns, which order like their values (and equal values
  // have equal patterns): the maximum is an unsigned maximum, in any order.
  always_comb begin
    amax = '0;
    for (int unsigned i = 0; i < GroupSize; i++) begin
      logic [31:0] a;
      a = vf_pkg::canon(v_i[i*32 +: 32]);
      a[31] = 1'b0;
      if (a > amax) amax = a;
    end
  end

  vf_mul u_scale (
    .a_i (amax),
    .b_i (vf_tables_pkg::Inv127),
    .y_o (scaled)
  );
  vf_to_fp16 u_to_fp16 (
    .x_i (scaled),
    .h_o (s16_o)
  );
  vf_from_fp16 u_from_fp16 (
    .h_i (s16_o),
    .y_o (s32)
  );
  vf_recip u_recip (
    .x_i (s32),
    .y_o (inv_o)
  );

  assign zero_o = (s16_o[14:0] == 15'd0);
endmodule
