// Digital SRAM compute-in-memory macro.
//
// Rows x Cols signed WBits-bit weights in two banks (ping-pong). The write port fills the shadow
// bank one row per cycle while the active bank computes. An operation is ABits activation
// bit-planes (Rows bits each, LSB first, two's complement: the last plane is subtracted), one
// per cycle. Per column and per group of GroupRows rows, a gated adder tree sums the weights
// whose activation bit is 1; a bit-serial shift-accumulate turns the ABits tree sums into the
// exact signed dot product of the group. Result: NGroups x Cols sums of OutBits bits.
//
// Pipeline: plane accepted (tree) -> tree register -> accumulator -> result register.
// Throughput: one operation every ABits cycles, back to back. Latency: the result is valid
// ABits + 1 cycles after the first plane is accepted. docs/ARCHITECTURE.md has the details.
//
// Bank rules (the active bank is never written):
// - a_swap_i is sampled with the first plane of an operation: the banks swap before that
//   operation reads its weights, so the operation uses the freshly loaded bank;
// - the write port always writes the shadow bank; in a cycle where a swap is accepted it is not
//   ready (the write lands one cycle later, in the new shadow bank);
// - a write to a row >= Rows is accepted and dropped.
module cim_macro #(
  parameter int unsigned Rows      = 128,
  parameter int unsigned Cols      = 32,
  parameter int unsigned GroupRows = 32,
  parameter int unsigned WBits     = 4,
  parameter int unsigned ABits     = 8,
  localparam int unsigned NGroups  = Rows / GroupRows,
  localparam int unsigned NSums    = NGroups * Cols,
  localparam int unsigned RowAw    = (Rows > 1) ? $clog2(Rows) : 1,
  localparam int unsigned TreeBits = WBits + ((GroupRows > 1) ? $clog2(GroupRows) : 1),
  localparam int unsigned OutBits  = TreeBits + ABits,
  localparam int unsigned PlaneAw  = (ABits > 1) ? $clog2(ABits) : 1
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // Weight write port: one row of Cols weights (column c at [c*WBits +: WBits]).
  input  logic                      w_valid_i,
  output logic                      w_ready_o,
  input  logic [RowAw-1:0]          w_row_i,
  input  logic [Cols*WBits-1:0]     w_data_i,
  // Activation bit-planes (row r at bit r).
  input  logic                      a_valid_i,
  output logic                      a_ready_o,
  input  logic [Rows-1:0]           a_plane_i,
  input  logic                      a_swap_i,
  // Results: sum of (group g, column c) at [(g*Cols + c)*OutBits +: OutBits].
  output logic                      r_valid_o,
  input  logic                      r_ready_i,
  output logic [NSums*OutBits-1:0]  r_data_o,
  // Status.
  output logic                      bank_o,   // index of the active bank
  output logic                      idle_o    // no operation in flight
);
`ifndef SYNTHESIS
  initial begin
    if (GroupRows == 0 || Rows % GroupRows != 0) $fatal(1, "cim_macro: Rows must be a multiple of GroupRows");
    if (WBits < 2 || WBits > 16) $fatal(1, "cim_macro: WBits must be in 2..16");
    if (ABits < 2 || ABits > 16) $fatal(1, "cim_macro: ABits must be in 2..16");
  end
`endif

  // ---------------------------------------------------------------------------------------------
  // Weight banks
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned RowBits = Cols * WBits;
  logic [RowBits-1:0]              bank0_q [Rows];
  logic [RowBits-1:0]              bank1_q [Rows];
  logic                            active_q, active_d;
  logic [PlaneAw-1:0]              plane_q, plane_d;
  logic                            a_fire, swap_fire, w_fire, first_plane, stall;

  assign first_plane = (plane_q == '0);
  assign a_ready_o   = !stall;
  assign a_fire      = a_valid_i && a_ready_o;
  assign swap_fire   = a_fire && first_plane && a_swap_i;
  assign w_ready_o   = !swap_fire;
  assign w_fire      = w_valid_i && w_ready_o;
  assign active_d    = active_q ^ swap_fire;

  always_comb begin
    plane_d = plane_q;
    if (a_fire) begin
      plane_d = (plane_q == PlaneAw'(ABits - 1)) ? '0 : plane_q + 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
      plane_q  <= '0;
    end else begin
      active_q <= active_d;
      plane_q  <= plane_d;
    end
  end

  // SRAM array: not reset. w_fire implies no swap this cycle, so ~active_q is the shadow bank.
  always_ff @(posedge clk_i) begin
    if (w_fire && (32'(w_row_i) < Rows)) begin
      if (active_q) bank0_q[w_row_i] <= w_data_i;
      else          bank1_q[w_row_i] <= w_data_i;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 0: gated adder trees over the active bank (the one after a swap of this cycle)
  // ---------------------------------------------------------------------------------------------
  logic [RowBits-1:0]       act_w [Rows];
  logic [NSums*TreeBits-1:0] tree_sum;

  for (genvar r = 0; r < Rows; r++) begin : g_act_row
    assign act_w[r] = active_d ? bank1_q[r] : bank0_q[r];
  end

  for (genvar g = 0; g < NGroups; g++) begin : g_group
    for (genvar c = 0; c < Cols; c++) begin : g_col
      logic [GroupRows*WBits-1:0] w_col;
      for (genvar r = 0; r < GroupRows; r++) begin : g_row
        assign w_col[r*WBits +: WBits] = act_w[g*GroupRows + r][c*WBits +: WBits];
      end
      cim_adder_tree #(
        .N      (GroupRows),
        .InBits (WBits)
      ) u_tree (
        .w_i    (w_col),
        .gate_i (a_plane_i[g*GroupRows +: GroupRows]),
        .sum_o  (tree_sum[(g*Cols + c)*TreeBits +: TreeBits])
      );
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Stage 1: tree register. Stage 2: bit-serial shift-accumulate.
  // ---------------------------------------------------------------------------------------------
  // The partial sum after planes 0..b is H * 2^(b+1) + L with L's b+1 low bits final: each plane
  // adds +-S to H, the LSB of the result drops into L, H shifts right. No barrel shifter.
  logic                           s1_valid_q;
  logic [PlaneAw-1:0]             s1_plane_q;
  logic [NSums*TreeBits-1:0]      s1_tree_q;
  logic [NSums*(TreeBits+1)-1:0]  hi_q, hi_d;
  logic [NSums*ABits-1:0]         lo_q, lo_d;
  logic [NSums*OutBits-1:0]       out_q, out_d;
  logic                           out_valid_q, out_valid_d;
  logic                           s1_first, s1_last, load_out;
  logic [TreeBits:0]              term, base, tsum;
  logic [ABits-1:1]               lo;  // bit 0 of lo_q is shifted out: not read

  assign s1_first = (s1_plane_q == '0);
  assign s1_last  = (s1_plane_q == PlaneAw'(ABits - 1));
  // The pipeline holds only when a finished sum cannot move into a full, unread result register.
  assign stall    = s1_valid_q && s1_last && out_valid_q && !r_ready_i;
  assign load_out = s1_valid_q && s1_last && !stall;

  always_comb begin
    hi_d = hi_q;
    lo_d = lo_q;
    out_d = out_q;
    term = '0;
    base = '0;
    tsum = '0;
    lo = '0;
    if (s1_valid_q && !stall) begin
      for (int unsigned i = 0; i < NSums; i++) begin
        term = {s1_tree_q[i*TreeBits + TreeBits - 1], s1_tree_q[i*TreeBits +: TreeBits]};
        base = s1_first ? '0 : hi_q[i*(TreeBits+1) +: TreeBits+1];
        tsum = s1_last ? base - term : base + term;
        lo   = lo_q[i*ABits + 1 +: ABits - 1];
        hi_d[i*(TreeBits+1) +: TreeBits+1] = {tsum[TreeBits], tsum[TreeBits:1]};
        lo_d[i*ABits +: ABits]             = {tsum[0], lo[ABits-1:1]};
        out_d[i*OutBits +: OutBits]        = {tsum[TreeBits:1], tsum[0], lo[ABits-1:1]};
      end
    end
  end

  assign out_valid_d = load_out || (out_valid_q && !r_ready_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q  <= 1'b0;
      s1_plane_q  <= '0;
      out_valid_q <= 1'b0;
    end else begin
      if (!stall) begin
        s1_valid_q <= a_fire;
        s1_plane_q <= plane_q;
      end
      out_valid_q <= out_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (a_fire) s1_tree_q <= tree_sum;
    hi_q <= hi_d;
    lo_q <= lo_d;
    if (load_out) out_q <= out_d;
  end

  assign r_valid_o = out_valid_q;
  assign r_data_o  = out_q;
  assign bank_o    = active_q;
  assign idle_o    = first_plane && !s1_valid_q && !out_valid_q;
endmodule
