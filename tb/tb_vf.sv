// SPDX-License-Identifier: Apache-2.0
// Co-simulation testbench of the VF32 modules (rtl/vu/). All stimulus and checking is in C
// (tb/vf_tb.c, through tb/vf_dpi.c): at every clock edge this module hands the results of every
// module to C and registers the inputs C returns for the next cycle. The modules are
// combinational, so each result belongs to the inputs of the cycle before. One lane per function
// in the order of tb/vf_tb.h; every lane has the same operand slots (a: 64 bits, b and c: 32),
// and a function reads those it has.
module tb_vf (
  input logic clk_i,
  input logic rst_ni
);
  localparam int unsigned LAdd = 0, LSub = 1, LMul = 2, LNeg = 3, LAbs = 4, LMax = 5, LLt = 6;
  localparam int unsigned LFromQ24 = 7, LToQ24 = 8, LToInt = 9, LFromFp16 = 10, LToFp16 = 11;
  localparam int unsigned LExp = 12, LRecip = 13, LRsqrt = 14, LSigmoid = 15, LSilu = 16;
  localparam int unsigned LGelu = 17, LRelu2 = 18;
  localparam int unsigned NLanes = 19;
  localparam int unsigned Group  = 32;

  import "DPI-C" function int vf_tb_init_dpi(input int nlanes, input int group);
  import "DPI-C" function int vf_tb_cycle_dpi(
    input  bit [NLanes*64-1:0] res,
    input  bit [Group*8-1:0]   q,
    input  int                 s16,
    output bit [NLanes*64-1:0] a,
    output bit [NLanes*32-1:0] b,
    output bit [NLanes*32-1:0] c,
    output bit [Group*32-1:0]  v
  );
  import "DPI-C" function void vf_tb_finish(input int status);

  logic [NLanes*64-1:0] a_q, res;
  logic [NLanes*32-1:0] b_q, c_q;
  logic [Group*32-1:0]  v_q;
  logic [Group*8-1:0]   q;
  logic [15:0]          s16;

  // The operand slots of lane l.
  function automatic logic [31:0] a32(logic [NLanes*64-1:0] a, int unsigned l);
    a32 = a[l*64 +: 32];
  endfunction

  // Binary and unary functions of binary32 values: result in the low 32 bits of the lane.
  vf_add u_add (.a_i (a32(a_q, LAdd)), .b_i (b_q[LAdd*32 +: 32]), .y_o (res[LAdd*64 +: 32]));
  vf_sub u_sub (.a_i (a32(a_q, LSub)), .b_i (b_q[LSub*32 +: 32]), .y_o (res[LSub*64 +: 32]));
  vf_mul u_mul (.a_i (a32(a_q, LMul)), .b_i (b_q[LMul*32 +: 32]), .y_o (res[LMul*64 +: 32]));
  vf_max u_max (.a_i (a32(a_q, LMax)), .b_i (b_q[LMax*32 +: 32]), .y_o (res[LMax*64 +: 32]));
  vf_lt  u_lt  (.a_i (a32(a_q, LLt)),  .b_i (b_q[LLt*32 +: 32]),  .lt_o (res[LLt*64]));
  vf_neg     u_neg     (.x_i (a32(a_q, LNeg)),     .y_o (res[LNeg*64 +: 32]));
  vf_abs     u_abs     (.x_i (a32(a_q, LAbs)),     .y_o (res[LAbs*64 +: 32]));
  vf_exp     u_exp     (.x_i (a32(a_q, LExp)),     .y_o (res[LExp*64 +: 32]));
  vf_recip   u_recip   (.x_i (a32(a_q, LRecip)),   .y_o (res[LRecip*64 +: 32]));
  vf_rsqrt   u_rsqrt   (.x_i (a32(a_q, LRsqrt)),   .y_o (res[LRsqrt*64 +: 32]));
  vf_sigmoid u_sigmoid (.x_i (a32(a_q, LSigmoid)), .y_o (res[LSigmoid*64 +: 32]));
  vf_silu    u_silu    (.x_i (a32(a_q, LSilu)),    .y_o (res[LSilu*64 +: 32]));
  vf_gelu    u_gelu    (.x_i (a32(a_q, LGelu)),    .y_o (res[LGelu*64 +: 32]));
  vf_relu2   u_relu2   (.x_i (a32(a_q, LRelu2)),   .y_o (res[LRelu2*64 +: 32]));

  // Conversions.
  vf_from_q24  u_from_q24  (.q_i (a_q[LFromQ24*64 +: 64]), .y_o (res[LFromQ24*64 +: 32]));
  vf_to_q24    u_to_q24    (.x_i (a32(a_q, LToQ24)), .q_o (res[LToQ24*64 +: 64]));
  vf_to_int    u_to_int    (.x_i (a32(a_q, LToInt)), .lo_i (b_q[LToInt*32 +: 32]), .hi_i (c_q[LToInt*32 +: 32]),
                            .n_o (res[LToInt*64 +: 32]));
  vf_from_fp16 u_from_fp16 (.h_i (a_q[LFromFp16*64 +: 16]), .y_o (res[LFromFp16*64 +: 32]));
  vf_to_fp16   u_to_fp16   (.x_i (a32(a_q, LToFp16)), .h_o (res[LToFp16*64 +: 16]));

  // The unused high parts of the result slots.
  for (genvar l = 0; l < NLanes; l++) begin : g_res_high
    if (l == LLt) begin : g_bit
      assign res[l*64+1 +: 63] = '0;
    end else if (l == LToFp16) begin : g_half
      assign res[l*64+16 +: 48] = '0;
    end else if (l != LToQ24) begin : g_word
      assign res[l*64+32 +: 32] = '0;
    end
  end

  vf_quant_group #(
    .GroupSize (Group)
  ) u_quant (
    .v_i   (v_q),
    .q_o   (q),
    .s16_o (s16)
  );

  initial begin
    if (vf_tb_init_dpi(NLanes, Group) != 0) vf_tb_finish(2);
  end

  always_ff @(posedge clk_i) begin
    bit [NLanes*64-1:0] a;
    bit [NLanes*32-1:0] b, c;
    bit [Group*32-1:0]  v;
    int                 st;
    st = vf_tb_cycle_dpi(res, q, 32'(s16), a, b, c, v);
    a_q <= a;
    b_q <= b;
    c_q <= c;
    v_q <= v;
    if (st != 0) vf_tb_finish(st);
  end
endmodule
