// Co-simulation testbench of cim_macro. All stimulus and checking is in C (tb/cim_macro_tb.c,
// through tb/cim_macro_dpi.c): once per clock edge this module hands the DUT's outputs to C and
// drives the inputs C returns. The clock and reset come from the C++ harness (sim/).
module tb_cim_macro #(
  parameter int unsigned Rows      = 128,
  parameter int unsigned Cols      = 32,
  parameter int unsigned GroupRows = 32,
  parameter int unsigned WBits     = 4,
  parameter int unsigned ABits     = 8
) (
  input logic clk_i,
  input logic rst_ni
);
  localparam int unsigned NSums   = (Rows / GroupRows) * Cols;
  localparam int unsigned RowAw   = (Rows > 1) ? $clog2(Rows) : 1;
  localparam int unsigned OutBits = WBits + ((GroupRows > 1) ? $clog2(GroupRows) : 1) + ABits;

  import "DPI-C" function int cim_tb_init_dpi(input int rows, input int cols, input int group_rows,
                                              input int wbits, input int abits);
  import "DPI-C" function int cim_tb_cycle_dpi(
    input  bit                       in_reset,
    input  bit                       w_ready,
    input  bit                       a_ready,
    input  bit                       r_valid,
    input  bit [NSums*OutBits-1:0]   r_data,
    input  bit                       bank,
    input  bit                       idle,
    output bit                       w_valid,
    output int                       w_row,
    output bit [Cols*WBits-1:0]      w_data,
    output bit                       a_valid,
    output bit [Rows-1:0]            a_plane,
    output bit                       a_swap,
    output bit                       r_ready
  );
  import "DPI-C" function void cim_tb_finish(input int status);

  logic                     w_valid_q, a_valid_q, a_swap_q, r_ready_q;
  logic [RowAw-1:0]         w_row_q;
  logic [Cols*WBits-1:0]    w_data_q;
  logic [Rows-1:0]          a_plane_q;
  logic                     w_ready, a_ready, r_valid, bank, idle;
  logic [NSums*OutBits-1:0] r_data;

  cim_macro #(
    .Rows      (Rows),
    .Cols      (Cols),
    .GroupRows (GroupRows),
    .WBits     (WBits),
    .ABits     (ABits)
  ) u_dut (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .w_valid_i (w_valid_q),
    .w_ready_o (w_ready),
    .w_row_i   (w_row_q),
    .w_data_i  (w_data_q),
    .a_valid_i (a_valid_q),
    .a_ready_o (a_ready),
    .a_plane_i (a_plane_q),
    .a_swap_i  (a_swap_q),
    .r_valid_o (r_valid),
    .r_ready_i (r_ready_q),
    .r_data_o  (r_data),
    .bank_o    (bank),
    .idle_o    (idle)
  );

  initial begin
    if (cim_tb_init_dpi(Rows, Cols, GroupRows, WBits, ABits) != 0) cim_tb_finish(2);
  end

  always_ff @(posedge clk_i) begin
    bit                  wv, av, as, rr;
    int                  wr, st;
    bit [Cols*WBits-1:0] wd;
    bit [Rows-1:0]       ap;
    st = cim_tb_cycle_dpi(!rst_ni, w_ready, a_ready, r_valid, r_data, bank, idle,
                          wv, wr, wd, av, ap, as, rr);
    w_valid_q <= wv;
    w_row_q   <= RowAw'(wr);
    w_data_q  <= wd;
    a_valid_q <= av;
    a_plane_q <= ap;
    a_swap_q  <= as;
    r_ready_q <= rr;
    if (st != 0) cim_tb_finish(st);
  end
endmodule
