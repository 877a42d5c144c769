// SPDX-License-Identifier: Apache-2.0
// VF32 e^x (docs/NUMERICS.md, "VF32", vf_exp): t = x * log2(e) (vf_mul); t < -126 -> +0,
// t >= 128 -> +max; else T = floor(t * 2^24), n = T >> 24, F = T mod 2^24 and
//   m = EXP2[F >> 18] + ((EXP2[(F >> 18) + 1] - EXP2[F >> 18]) * (F mod 2^18) >> 18),
// linear interpolation of 2^(F / 2^24) * 2^23 in 64 segments; the result is m * 2^(n - 23).
// m lies in [2^23, 2^24) and n in [-126, 127], so the result is always a normal number (the
// spec's carry and range rules are kept; they never fire).
module vf_exp (
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  localparam int unsigned TBits = 34;   // floor(t * 2^24) for |t| < 2^8, and a sign
  localparam logic signed [TBits-1:0] TAtLeast128 = 34'sh0_8000_0000;   // 128 * 2^24
  localparam logic signed [TBits-1:0] TBelow126   = -34'sh0_7E00_0000;  // -126 * 2^24

  logic [31:0]                       t;
  logic signed [vf_pkg::ExpBits-1:0] te, sh;
  logic [31:0]                       floor_mag;
  logic [23:0]                       tsig, below;
  logic signed [TBits-1:0]           tq;
  logic [5:0]                        idx;
  logic [17:0]                       fr, step;
  logic [24:0]                       lo, hi, m;
  logic signed [vf_pkg::ExpBits-1:0] n;
  logic                              huge;
  logic [31:0]                       packed_y;

  vf_mul u_scale (
    .a_i (x_i),
    .b_i (vf_tables_pkg::Log2E),
    .y_o (t)
  );

  // T = floor(t * 2^24); t * 2^24 = sig * 2^(te + 1). A negative t floors away from zero.
  always_comb begin
    te    = vf_pkg::exp_of(t);
    tsig  = vf_pkg::sig(t);
    sh    = te + vf_pkg::ExpBits'(1);
    huge  = !vf_pkg::is_zero(t) && (te >= vf_pkg::ExpBits'(8));   // |t| >= 256
    below = '0;
    if (sh >= 0) begin
      floor_mag = 32'(tsig) << sh[3:0];                            // sh <= 8 unless huge
    end else if (sh <= -vf_pkg::ExpBits'(25)) begin
      floor_mag = 32'(t[31]);                                      // 0 < |t * 2^24| < 1
    end else begin
      floor_mag = 32'(tsig) >> (-sh);
      below     = tsig & ((24'd1 << (-sh)) - 24'd1);
      if (t[31] && (below != '0)) floor_mag = floor_mag + 32'd1;
    end
    tq = t[31] ? -$signed(TBits'(floor_mag)) : $signed(TBits'(floor_mag));
    if (vf_pkg::is_zero(t)) tq = '0;
  end

  always_comb begin
    idx  = tq[23:18];
    fr   = tq[17:0];
    lo   = vf_tables_pkg::exp2_table(7'(idx));
    hi   = vf_tables_pkg::exp2_table(7'(idx) + 7'd1);
    step = 18'(hi - lo);                                           // < 2^18 (the generator checks)
    m    = lo + 25'((36'(step) * 36'(fr)) >> 18);
    n    = vf_pkg::ExpBits'(tq[TBits-1:24]);
  end

  vf_round_pack u_pack (
    .sign_i   (1'b0),
    .exp_i    (m[24] ? n + vf_pkg::ExpBits'(1) : n),
    .sig_i    (m[24] ? 24'h80_0000 : m[23:0]),
    .round_i  (1'b0),
    .sticky_i (1'b0),
    .y_o      (packed_y)
  );

  always_comb begin
    y_o = packed_y;
    if (tq >= TAtLeast128) y_o = vf_pkg::MaxFinite;
    if (tq < TBelow126)    y_o = 32'd0;
    if (huge)                    y_o = t[31] ? 32'd0 : vf_pkg::MaxFinite;
  end
endmodule
