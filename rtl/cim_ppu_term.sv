// One post-processing term (docs/NUMERICS.md): the exact integer group sum S times the FP16
// weight-group scale and the FP16 activation-group scale, as a Q39.24 int64, saturated:
//   P = S * (+-Mw) * (+-Mx), sh = Ew + Ex - 26, term = sh >= 0 ? P << sh : P >>> -sh.
// FP16 has no special values here: M = e ? 1024 + m : m, E = e ? e : 1.
module cim_ppu_term #(
  parameter int unsigned SBits = 17
) (
  input  logic signed [SBits-1:0] s_i,
  input  logic [15:0]             w_scale_i,
  input  logic [15:0]             x_scale_i,
  output logic signed [63:0]      term_o
);
  localparam int unsigned PBits = SBits + 24;       // |S * Mw * Mx| < 2^(SBits-1+22)
  localparam int unsigned XBits = PBits + 34;       // room for the largest left shift (34)

  logic [10:0]             mw, mx;
  logic [5:0]              ew, ex;
  logic signed [PBits-1:0] p;
  logic signed [XBits-1:0] px, shifted;
  logic signed [6:0]       sh;

  assign mw = (w_scale_i[14:10] != 5'd0) ? {1'b1, w_scale_i[9:0]} : {1'b0, w_scale_i[9:0]};
  assign mx = (x_scale_i[14:10] != 5'd0) ? {1'b1, x_scale_i[9:0]} : {1'b0, x_scale_i[9:0]};
  assign ew = (w_scale_i[14:10] != 5'd0) ? {1'b0, w_scale_i[14:10]} : 6'd1;
  assign ex = (x_scale_i[14:10] != 5'd0) ? {1'b0, x_scale_i[14:10]} : 6'd1;
  assign sh = $signed({1'b0, ew}) + $signed({1'b0, ex}) - 7'sd26;

  always_comb begin
    p = PBits'(s_i) * $signed({1'b0, mw}) * $signed({1'b0, mx});
    if (w_scale_i[15] ^ x_scale_i[15]) p = -p;
    px = XBits'(p);
    if (sh >= 0) shifted = px <<< sh;
    else         shifted = px >>> (-sh);
    if (shifted > XBits'(64'sh7FFF_FFFF_FFFF_FFFF))      term_o = 64'sh7FFF_FFFF_FFFF_FFFF;
    else if (shifted < -XBits'(64'sh7FFF_FFFF_FFFF_FFFF)) term_o = 64'sh8000_0000_0000_0000;
    else                                                  term_o = shifted[63:0];
  end
endmodule
