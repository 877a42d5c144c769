// SPDX-License-Identifier: Apache-2.0
// Co-simulation testbench of cim_macro. All stimulus and checking is in C (tb/cim_macro_tb.c,
// through tb/cim_macro_dpi.c): once per clock edge this module hands the DUT's outputs to C and
// drives the inputs C returns. The clock and reset come from the C++ harness (sim/).
module tb_cim_macro #(
  parameter int unsigned Rows      = 128,
  parameter int unsigned Cols      = 32,
  parameter int unsigned GroupRows = 32,
  parameter int unsigned WBits     = 4,
  parameter int unsigned ABits     = 8,
  parameter int unsigned WrBits    = 128
) (
  input logic clk_i,
  input logic rst_ni
);
  localparam int unsigned NSums   = (Rows / GroupRows) * Cols;
  localparam int unsigned NWords  = NSums * WBits;
  localparam int unsigned IdxBits = (NWords > 1) ? $clog2(NWords) : 1;
  localparam int unsigned OutBits = WBits + ((GroupRows > 1) ? $clog2(GroupRows) : 1) + ABits;

  import "DPI-C" function int cim_tb_init_dpi(input int rows, input int cols, input int group_rows,
                                              input int wbits, input int abits, input int wr_bits);
  import "DPI-C" function int cim_tb_cycle_dpi(
    input  bit                       in_reset,
    input  bit                       w_ready,
    input  bit                       a_ready,
    input  bit                       r_valid,
    input  bit [NSums*OutBits-1:0]   r_data,
    input  bit [NSums*16-1:0]        r_scale,
    input  bit                       bank,
    input  bit                       idle,
    output bit                       w_valid,
    output bit                       w_kind,
    output int                       w_idx,
    output bit [WrBits-1:0]          w_data,
    output bit                       a_valid,
    output bit [Rows-1:0]            a_plane,
    output bit                       a_swap,
    output int                       a_prec,
    output bit                       r_ready
  );
  import "DPI-C" function void cim_tb_finish(input int status);

  logic                     w_valid_q, w_kind_q, a_valid_q, a_swap_q, r_ready_q;
  logic [IdxBits-1:0]       w_idx_q;
  logic [WrBits-1:0]        w_data_q;
  logic [Rows-1:0]          a_plane_q;
  logic [1:0]               a_prec_q;
  logic                     w_ready, a_ready, r_valid, bank, idle;
  logic [NSums*OutBits-1:0] r_data;
  logic [NSums*16-1:0]      r_scale;

  cim_macro #(
    .Rows      (Rows),
    .Cols      (Cols),
    .GroupRows (GroupRows),
    .WBits     (WBits),
    .ABits     (ABits),
    .WrBits    (WrBits)
  ) u_dut (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .w_valid_i (w_valid_q),
    .w_ready_o (w_ready),
    .w_kind_i  (w_kind_q),
    .w_idx_i   (w_idx_q),
    .w_data_i  (w_data_q),
    .a_valid_i (a_valid_q),
    .a_ready_o (a_ready),
    .a_plane_i (a_plane_q),
    .a_swap_i  (a_swap_q),
    .a_prec_i  (a_prec_q),
    .r_valid_o (r_valid),
    .r_ready_i (r_ready_q),
    .r_data_o  (r_data),
    .r_scale_o (r_scale),
    .bank_o    (bank),
    .idle_o    (idle)
  );

  initial begin
    if (cim_tb_init_dpi(Rows, Cols, GroupRows, WBits, ABits, WrBits) != 0) cim_tb_finish(2);
  end

  always_ff @(posedge clk_i) begin
    bit              wv, wk, av, as, rr;
    int              wi, ap_prec, st;
    bit [WrBits-1:0] wd;
    bit [Rows-1:0]   ap;
    st = cim_tb_cycle_dpi(!rst_ni, w_ready, a_ready, r_valid, r_data, r_scale, bank, idle,
                          wv, wk, wi, wd, av, ap, as, ap_prec, rr);
    w_valid_q <= wv;
    w_kind_q  <= wk;
    w_idx_q   <= IdxBits'(wi);
    w_data_q  <= wd;
    a_valid_q <= av;
    a_plane_q <= ap;
    a_swap_q  <= as;
    a_prec_q  <= 2'(ap_prec);
    r_ready_q <= rr;
    if (st != 0) cim_tb_finish(st);
  end
endmodule
