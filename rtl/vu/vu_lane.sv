// SPDX-License-Identifier: Apache-2.0
// One lane of the vector unit: the VF32 pipeline every compute kind runs through (VuPipe = 6
// stages, docs: cmodel/ecim_vu_exec.c says what each kind computes) and the lane accumulator.
// Stage k works in the k-th cycle after the row's bank read; the result leaves at stage 6. The
// units are shared by the kinds, each kind using the ones on its path:
//   P1: element conversions (Q39.24 -> VF32), M1 and M1b     x*x, x*P0, x*r_norm, RoPE products
//   P2: M2 -> A2, TOINT                                      GELU C1 + C2 x^2, x*P0 - max, RoPE
//                                                            sum, APPLY's weight; QCODES' code
//   P3: M3 -> EXP                                            GELU z; exp of the scores, of -x, -z
//   P4: A4 -> RECIP, MAX                                     the accumulators (and the lane
//                                                            tree of SCALAR); 1 + e, sigmoid
//   P5: M5a -> M5b                                           x * sigmoid, * up; p * 1/sum * vs
//   P6: the result y_o                                       (the unit converts and writes it)
// Each function is rounded as its C model rounds it (the same operand order, too).
module vu_lane (
  input  logic              clk_i,
  // The slot's kind and parameters (constant while a slot runs).
  input  vu_pkg::comp_e     comp_i,
  input  logic              qcodes_i,     // a QCODES slot: M1 = t * inv, the code at P2
  input  logic [1:0]        gate_i,       // VU_FLAGS.GATE
  input  logic              vscale_i,     // EXPOUT: times the V scale
  input  logic              es8_i,        // elements are Q39.24 (else VF32 bit patterns)
  input  logic [31:0]       p0_i,
  input  logic [31:0]       r_norm_i,
  input  logic [31:0]       m_max_i,
  input  logic [31:0]       inv_sum_i,
  // P1: this lane's operands as read from the banks.
  input  logic [63:0]       a_i,          // A element (T for QCODES)
  input  logic [63:0]       o_i,          // GATE: up (B); ROPE: the partner (D)
  input  logic [31:0]       w_i,          // APPLY: weight; EXPOUT: V scale (B, VF32)
  input  logic [31:0]       cs_i,         // ROPE: the pair's cos and sin (B)
  input  logic [31:0]       sn_i,
  input  logic              first_i,      // ROPE: the element is the first of its pair
  input  logic [31:0]       inv_i,        // QCODES: the group's inverse scale (0: zero scale)
  // The accumulator.
  input  logic              acc_init_i,   // start: acc := acc_init_val_i
  input  logic [31:0]       acc_init_val_i,
  input  logic              acc_en_i,     // P4: the element is valid (SS, MAX, EXPSUM)
  input  logic              tree_en_i,    // SCALAR: acc := op(acc, tree_b_i)
  input  logic              tree_max_i,
  input  logic [31:0]       tree_b_i,
  output logic [31:0]       acc_o,
  // Results.
  output logic [7:0]        q_o,          // P2: QCODES' code
  output logic [31:0]       y_o           // P6: the element's VF32 result
);
  localparam logic [31:0] Sign = 32'h8000_0000;

  typedef struct packed {
    logic [31:0] x;      // the element as VF32 (COPY's result: the raw pattern of a VF32 input)
    logic [31:0] up;     // GATE's up, ROPE's partner (VF32)
    logic [31:0] w;      // B as VF32
    logic [31:0] v1;     // M1
    logic [31:0] v;      // P2: M1b; later the ROPE/APPLY/COPY result or A2, then the exp, ...
    logic [31:0] e;      // P4 on: the exp
    logic [31:0] s;      // P5: the sigmoid
    logic        first;  // ROPE
    logic        inv0;   // QCODES: zero scale
  } stage_t;

  stage_t s2_q, s3_q, s4_q, s5_q;
  logic [31:0] y6_q, acc_q;

  logic gelu, silu, relu2, gate, exp_kind;
  assign gate     = comp_i == vu_pkg::CompGate;
  assign gelu     = gate && gate_i == edgecim_pkg::VuGateGelu;
  assign silu     = gate && gate_i == edgecim_pkg::VuGateSilu;
  assign relu2    = gate && gate_i == edgecim_pkg::VuGateRelu2;
  assign exp_kind = comp_i == vu_pkg::CompExpsum || comp_i == vu_pkg::CompExpout;

  // ---------------------------------------------------------------------------------- P1
  logic [31:0] qa, qo, x1, up1, relu, m1a, m1b, m1, m1bb, m1bo, m1b_y;
  vf_from_q24 u_cvt_a (.q_i (a_i), .y_o (qa));
  vf_from_q24 u_cvt_o (.q_i (o_i), .y_o (qo));
  assign x1  = (es8_i && !qcodes_i) ? qa : a_i[31:0];
  assign up1 = es8_i ? qo : o_i[31:0];
  vf_max u_relu (.a_i (x1), .b_i (32'd0), .y_o (relu));

  always_comb begin
    m1a  = x1;
    m1b  = x1;
    m1bb = first_i ? up1 : x1;
    m1bo = first_i ? sn_i : cs_i;
    case (comp_i)
      vu_pkg::CompMax, vu_pkg::CompExpsum, vu_pkg::CompExpout: m1b = p0_i;
      vu_pkg::CompApply: m1b = r_norm_i;
      vu_pkg::CompRope: begin
        m1a = first_i ? x1 : up1;
        m1b = first_i ? cs_i : sn_i;
      end
      vu_pkg::CompGate: begin
        if (relu2) begin
          m1a = relu;
          m1b = relu;
        end
      end
      default: ;
    endcase
    if (qcodes_i) m1b = inv_i;
  end
  vf_mul u_m1  (.a_i (m1a), .b_i (m1b), .y_o (m1));
  vf_mul u_m1b (.a_i (m1bb), .b_i (m1bo), .y_o (m1b_y));

  always_ff @(posedge clk_i) begin
    s2_q.x     <= x1;
    s2_q.up    <= up1;
    s2_q.w     <= w_i;
    s2_q.v1    <= m1;
    s2_q.v     <= m1b_y;
    s2_q.e     <= '0;
    s2_q.s     <= '0;
    s2_q.first <= first_i;
    s2_q.inv0  <= inv_i == '0;
  end

  // ---------------------------------------------------------------------------------- P2
  logic [31:0] m2a, m2b, m2, a2a, a2b, a2, v2;
  logic signed [31:0] code;
  vf_to_int u_toint (.x_i (s2_q.v1), .lo_i (-32'sd127), .hi_i (32'sd127), .n_o (code));
  assign q_o = s2_q.inv0 ? 8'd0 : code[7:0];

  assign m2a = gelu ? vf_tables_pkg::GeluC2 : s2_q.v1;
  assign m2b = gelu ? s2_q.v1 : s2_q.w;
  vf_mul u_m2 (.a_i (m2a), .b_i (m2b), .y_o (m2));
  always_comb begin
    a2a = s2_q.v1;
    a2b = s2_q.v;                                   // ROPE: p + q, or p - q for the first
    if (comp_i == vu_pkg::CompRope && s2_q.first) a2b = s2_q.v ^ Sign;
    if (exp_kind) a2b = m_max_i ^ Sign;             // x * P0 - max
    if (gelu) begin
      a2a = vf_tables_pkg::GeluC1;
      a2b = m2;
    end
  end
  vf_add u_a2 (.a_i (a2a), .b_i (a2b), .y_o (a2));
  always_comb begin
    case (comp_i)
      vu_pkg::CompApply: v2 = m2;
      vu_pkg::CompRope:  v2 = a2;
      vu_pkg::CompCopy:  v2 = s2_q.x;
      default:           v2 = a2;                   // EXPSUM/EXPOUT: the exponent; GELU: poly
    endcase
  end
  always_ff @(posedge clk_i) begin
    s3_q   <= s2_q;
    s3_q.v <= v2;
  end

  // ---------------------------------------------------------------------------------- P3
  logic [31:0] z, neg_in, neg_y, exp_in, e3;
  vf_mul u_m3 (.a_i (s3_q.x), .b_i (s3_q.v), .y_o (z));
  assign neg_in = gelu ? z : s3_q.x;
  vf_neg u_neg (.x_i (neg_in), .y_o (neg_y));
  assign exp_in = (silu || gelu) ? neg_y : s3_q.v;
  vf_exp u_exp (.x_i (exp_in), .y_o (e3));
  always_ff @(posedge clk_i) begin
    s4_q   <= s3_q;
    s4_q.e <= e3;
  end

  // ---------------------------------------------------------------------------------- P4
  logic [31:0] a4a, a4b, a4, mxb, mx, sig;
  always_comb begin
    a4a = acc_q;
    a4b = (comp_i == vu_pkg::CompSs) ? s4_q.v1 : s4_q.e;
    mxb = s4_q.v1;
    if (gate) begin
      a4a = vf_pkg::One;
      a4b = s4_q.e;
    end
    if (tree_en_i) begin
      a4a = acc_q;
      a4b = tree_b_i;
      mxb = tree_b_i;
    end
  end
  vf_add   u_a4    (.a_i (a4a), .b_i (a4b), .y_o (a4));
  vf_max   u_accmx (.a_i (acc_q), .b_i (mxb), .y_o (mx));
  vf_recip u_recip (.x_i (a4), .y_o (sig));

  always_ff @(posedge clk_i) begin
    if (acc_init_i) begin
      acc_q <= acc_init_val_i;
    end else if (tree_en_i) begin
      acc_q <= tree_max_i ? mx : a4;
    end else if (acc_en_i) begin
      if (comp_i == vu_pkg::CompMax) acc_q <= mx;
      else if (comp_i == vu_pkg::CompSs || comp_i == vu_pkg::CompExpsum) acc_q <= a4;
    end
  end
  assign acc_o = acc_q;

  always_ff @(posedge clk_i) begin
    s5_q   <= s4_q;
    s5_q.s <= sig;
  end

  // ---------------------------------------------------------------------------------- P5
  logic [31:0] m5aa, m5ab, m5a, m5ba, m5bb, m5b, y5;
  assign m5aa = gate ? s5_q.x : s5_q.e;
  assign m5ab = gate ? s5_q.s : inv_sum_i;
  vf_mul u_m5a (.a_i (m5aa), .b_i (m5ab), .y_o (m5a));
  assign m5ba = relu2 ? s5_q.v1 : m5a;
  assign m5bb = gate ? s5_q.up : s5_q.w;
  vf_mul u_m5b (.a_i (m5ba), .b_i (m5bb), .y_o (m5b));
  always_comb begin
    y5 = s5_q.v;
    if (gate) y5 = m5b;
    if (comp_i == vu_pkg::CompExpout) y5 = vscale_i ? m5b : m5a;
  end
  always_ff @(posedge clk_i) y6_q <= y5;

  // ---------------------------------------------------------------------------------- P6
  assign y_o = y6_q;

  logic unused;
  assign unused = ^{code[31:8], s5_q.first, s5_q.inv0, s5_q.w[0]};
endmodule
