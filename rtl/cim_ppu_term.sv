// SPDX-License-Identifier: Apache-2.0
// One post-processing term (docs/NUMERICS.md), in two pipeline stages: the exact integer group
// sum S times the FP16 weight-group scale and the FP16 activation-group scale, as a Q39.24 int64,
// saturated:
//   stage 1:  P = S * (+-Mw) * (+-Mx),  sh = Ew + Ex - 26          (registered)
//   stage 2:  term = sat64(sh >= 0 ? P << sh : P >>> -sh)          (registered)
// FP16 has no special values here: M = e ? 1024 + m : m, E = e ? e : 1. The two stages split the
// multiply from the barrel shift (the longest paths of the post-processor). Each stage holds its
// register when its enable is low.
module cim_ppu_term #(
  parameter int unsigned SBits = 17
) (
  input  logic                    clk_i,
  input  logic                    en1_i,   // load stage 1 (s, scales -> product)
  input  logic                    en2_i,   // load stage 2 (product -> term)
  input  logic signed [SBits-1:0] s_i,
  input  logic [15:0]             w_scale_i,
  input  logic [15:0]             x_scale_i,
  output logic signed [63:0]      term_o
);
  localparam int unsigned PBits = SBits + 24;       // |S * Mw * Mx| < 2^(SBits-1+22)
  localparam int unsigned XBits = PBits + 34;       // room for the largest left shift (34)

  logic [10:0]             mw, mx;
  logic [5:0]              ew, ex;
  logic signed [PBits-1:0] p, p_q;
  logic signed [6:0]       sh, sh_q;
  logic signed [XBits-1:0] px, shifted;
  logic signed [63:0]      term;

  assign mw = (w_scale_i[14:10] != 5'd0) ? {1'b1, w_scale_i[9:0]} : {1'b0, w_scale_i[9:0]};
  assign mx = (x_scale_i[14:10] != 5'd0) ? {1'b1, x_scale_i[9:0]} : {1'b0, x_scale_i[9:0]};
  assign ew = (w_scale_i[14:10] != 5'd0) ? {1'b0, w_scale_i[14:10]} : 6'd1;
  assign ex = (x_scale_i[14:10] != 5'd0) ? {1'b0, x_scale_i[14:10]} : 6'd1;
  assign sh = $signed({1'b0, ew}) + $signed({1'b0, ex}) - 7'sd26;

  always_comb begin
    p = PBits'(s_i) * $signed({1'b0, mw}) * $signed({1'b0, mx});
    if (w_scale_i[15] ^ x_scale_i[15]) p = -p;
  end

  always_comb begin
    px = XBits'(p_q);
    if (sh_q >= 0) shifted = px <<< sh_q;
    else           shifted = px >>> (-sh_q);
    if (shifted > XBits'(64'sh7FFF_FFFF_FFFF_FFFF))      term = 64'sh7FFF_FFFF_FFFF_FFFF;
    else if (shifted < -XBits'(64'sh7FFF_FFFF_FFFF_FFFF)) term = 64'sh8000_0000_0000_0000;
    else                                                  term = shifted[63:0];
  end

  always_ff @(posedge clk_i) begin
    if (en1_i) begin
      p_q  <= p;
      sh_q <= sh;
    end
    if (en2_i) term_o <= term;
  end
endmodule
