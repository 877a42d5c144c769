// SPDX-License-Identifier: Apache-2.0
// Co-simulation testbench of the vector unit (edgecim_vu) alone. All stimulus and checking is in
// C (tb/edgecim_vu_tb.c, through tb/edgecim_vu_dpi.c): at every clock edge this module hands the
// unit's outputs to C and registers the inputs C returns (the descriptor at the queue head, the
// DMA's handshakes and read beat) for the next cycle. The clock and reset come from the C++
// harness (sim/sim_edgecim_vu.cpp).
// The parameters come as -G flags or, in hierarchical builds, as defines (tb/tb_edgecim_top.sv).
`ifdef TB_HW
  `define TB_P(name) `TB_``name
`else
  `define TB_P(name) edgecim_pkg::name``Default
`endif
module tb_edgecim_vu #(
  parameter int unsigned DataBytes    = `TB_P(DataBytes),
  parameter int unsigned VecLanes     = `TB_P(VecLanes),
  parameter int unsigned VecBankBytes = `TB_P(VecBankBytes),
  parameter int unsigned MaxBurst     = `TB_P(MaxBurst),
  parameter int unsigned MacroRows    = `TB_P(MacroRows),
  parameter int unsigned MacroCols    = `TB_P(MacroCols),
  // The other build parameters of edgecim_top (named configurations pass them all).
  parameter int unsigned NTiles       = `TB_P(NTiles),
  parameter int unsigned NMacros      = `TB_P(NMacros),
  parameter int unsigned NRes         = `TB_P(NRes),
  parameter int unsigned MaxWBits     = `TB_P(MaxWBits),
  parameter int unsigned ABits        = `TB_P(ABits),
  parameter int unsigned PpuCols      = `TB_P(PpuCols),
  parameter int unsigned ActBytes     = `TB_P(ActBytes),
  parameter int unsigned MaxBatch     = `TB_P(MaxBatch),
  parameter int unsigned FifoBeats    = `TB_P(FifoBeats),
  parameter int unsigned QueueDepth   = `TB_P(QueueDepth),
  parameter logic [31:0] MemBytes     = `TB_P(MemBytes)
) (
  input logic clk_i,
  input logic rst_ni
);
`undef TB_P
  localparam int unsigned DW        = DataBytes * 8;
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1);
  localparam int unsigned CmdBits   = $bits(edgecim_pkg::cmd_desc_t);

  import "DPI-C" function int vu_tb_init_dpi(input int data_bytes, input int vec_lanes, input int vec_bank_bytes,
                                             input int max_burst, input int macro_rows, input int macro_cols,
                                             input int cmd_bits);
  import "DPI-C" function int vu_tb_cycle_dpi(
    input  bit                 in_reset,
    input  bit                 start,
    input  bit                 done,
    input  bit                 busy,
    input  bit                 rd_req_valid,
    input  int                 rd_req_addr,
    input  int                 rd_req_beats,
    input  bit                 rd_pop,
    input  bit                 wr_req_valid,
    input  int                 wr_req_addr,
    input  int                 wr_req_beats,
    input  bit                 wr_valid,
    input  bit [DW-1:0]        wr_data,
    input  bit [DataBytes-1:0] wr_strb,
    output bit                 cmd_valid,
    output bit [CmdBits-1:0]   cmd,
    output bit                 rd_req_ready,
    output bit                 rd_valid,
    output bit [DW-1:0]        rd_data,
    output bit                 wr_req_ready,
    output bit                 wr_ready,
    output bit                 wr_idle
  );
  import "DPI-C" function void vu_tb_finish(input int status);

  logic                   cmd_valid_q, rd_req_ready_q, rd_valid_q, wr_req_ready_q, wr_ready_q, wr_idle_q;
  edgecim_pkg::cmd_desc_t cmd_q;
  logic [DW-1:0]          rd_data_q, wr_data;
  logic                   start, done, busy, rd_req_valid, rd_pop, wr_req_valid, wr_valid;
  logic [31:0]            rd_req_addr, wr_req_addr;
  logic [BurstBits-1:0]   rd_req_beats;
  logic [8:0]             wr_req_beats;
  logic [DataBytes-1:0]   wr_strb;

  edgecim_vu #(
    .DataBytes    (DataBytes),
    .VecLanes     (VecLanes),
    .VecBankBytes (VecBankBytes),
    .MaxBurst     (MaxBurst),
    .MacroRows    (MacroRows),
    .MacroCols    (MacroCols)
  ) u_dut (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cmd_valid_i    (cmd_valid_q),
    .cmd_i          (cmd_q),
    .start_o        (start),
    .done_o         (done),
    .busy_o         (busy),
    .rd_req_valid_o (rd_req_valid),
    .rd_req_ready_i (rd_req_ready_q),
    .rd_req_addr_o  (rd_req_addr),
    .rd_req_beats_o (rd_req_beats),
    .rd_valid_i     (rd_valid_q),
    .rd_pop_o       (rd_pop),
    .rd_data_i      (rd_data_q),
    .wr_req_valid_o (wr_req_valid),
    .wr_req_ready_i (wr_req_ready_q),
    .wr_req_addr_o  (wr_req_addr),
    .wr_req_beats_o (wr_req_beats),
    .wr_valid_o     (wr_valid),
    .wr_ready_i     (wr_ready_q),
    .wr_data_o      (wr_data),
    .wr_strb_o      (wr_strb),
    .wr_idle_i      (wr_idle_q)
  );

  initial begin
    if (vu_tb_init_dpi(DataBytes, VecLanes, VecBankBytes, MaxBurst, MacroRows, MacroCols, CmdBits) != 0)
      vu_tb_finish(2);
  end

  always_ff @(posedge clk_i) begin
    bit               cv, rrr, rv, wrr, wr, wi;
    bit [CmdBits-1:0] c;
    bit [DW-1:0]      rd;
    int               st;
    st = vu_tb_cycle_dpi(!rst_ni, start, done, busy, rd_req_valid, rd_req_addr, 32'(rd_req_beats), rd_pop,
                         wr_req_valid, wr_req_addr, 32'(wr_req_beats), wr_valid, wr_data, wr_strb,
                         cv, c, rrr, rv, rd, wrr, wr, wi);
    cmd_valid_q    <= cv;
    cmd_q          <= edgecim_pkg::cmd_desc_t'(c);
    rd_req_ready_q <= rrr;
    rd_valid_q     <= rv;
    rd_data_q      <= rd;
    wr_req_ready_q <= wrr;
    wr_ready_q     <= wr;
    wr_idle_q      <= wi;
    if (st != 0) vu_tb_finish(st);
  end

  logic unused_params;
  assign unused_params = ^{NTiles, NMacros, NRes, MaxWBits, ABits, PpuCols, ActBytes, MaxBatch, FifoBeats,
                           QueueDepth, MemBytes};
endmodule
