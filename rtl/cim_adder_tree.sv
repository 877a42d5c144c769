// Gated adder tree of one (column, row group) of the CIM macro.
//
// Each of the N weights is gated by its activation bit and the N gated values are summed by a
// balanced binary tree (depth clog2(N)); N need not be a power of two (missing leaves are 0).
// Out is exact: N * min(w) >= -2^(OutBits-1) and N * max(w) < 2^(OutBits-1).
module cim_adder_tree #(
  parameter int unsigned N      = 32,
  parameter int unsigned InBits = 4,
  localparam int unsigned Levels  = (N > 1) ? $clog2(N) : 1,
  localparam int unsigned OutBits = InBits + Levels
) (
  input  logic [N*InBits-1:0]      w_i,     // weight r at [r*InBits +: InBits], two's complement
  input  logic [N-1:0]             gate_i,  // activation bit of each row
  output logic signed [OutBits-1:0] sum_o
);
  localparam int unsigned Leaves = 1 << Levels;

  // One node per slot (node i at [i*OutBits +: OutBits]); level l reuses slots [0, Leaves>>l).
  // Full OutBits width at every level: synthesis trims the unused upper bits of the lower levels
  // (their inputs are sign extended).
  logic [Leaves*OutBits-1:0] node;

  always_comb begin
    node = '0;
    for (int unsigned r = 0; r < N; r++) begin
      if (gate_i[r]) begin
        node[r*OutBits +: OutBits] = {{(OutBits - InBits){w_i[r*InBits + InBits - 1]}},
                                      w_i[r*InBits +: InBits]};
      end
    end
    for (int unsigned l = 1; l <= Levels; l++) begin
      for (int unsigned i = 0; i < (Leaves >> l); i++) begin
        node[i*OutBits +: OutBits] = node[2*i*OutBits +: OutBits] + node[(2*i+1)*OutBits +: OutBits];
      end
    end
  end

  assign sum_o = $signed(node[OutBits-1:0]);
endmodule
