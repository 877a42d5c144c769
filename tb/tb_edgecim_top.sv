// SPDX-License-Identifier: Apache-2.0
// Co-simulation testbench of edgecim_top. All stimulus and checking is in C (tb/edgecim_top_tb.c,
// through tb/edgecim_top_dpi.c): once per clock edge this module hands the DUT's outputs to C and
// drives the MMIO and memory-port inputs C returns (the memory is cmodel/dram_model.c).
// A named configuration of hw/edgecim_hw.json: mk/hwcfg.mk passes its -G flags (HW_PARAMS_<name>),
// or, in the hierarchical builds of mk/rtl.mk, the same as defines (hw_defines: TB_HW and
// TB_<Param>=value): Verilator 5.006 hands a top's -G overrides on to every hierarchy block,
// which refuses parameters it does not have.
`ifdef TB_HW
  `define TB_P(name) `TB_``name
`else
  `define TB_P(name) edgecim_pkg::name``Default
`endif
module tb_edgecim_top #(
  parameter int unsigned NTiles     = `TB_P(NTiles),
  parameter int unsigned NMacros    = `TB_P(NMacros),
  parameter int unsigned NRes       = `TB_P(NRes),
  parameter int unsigned MaxWBits   = `TB_P(MaxWBits),
  parameter int unsigned ABits      = `TB_P(ABits),
  parameter int unsigned DataBytes  = `TB_P(DataBytes),
  parameter int unsigned MacroRows  = `TB_P(MacroRows),
  parameter int unsigned MacroCols  = `TB_P(MacroCols),
  parameter int unsigned PpuCols    = `TB_P(PpuCols),
  parameter int unsigned ActBytes   = `TB_P(ActBytes),
  parameter int unsigned MaxBatch   = `TB_P(MaxBatch),
  parameter int unsigned FifoBeats  = `TB_P(FifoBeats),
  parameter int unsigned MaxBurst   = `TB_P(MaxBurst),
  parameter int unsigned VecLanes   = `TB_P(VecLanes),
  parameter int unsigned VecBankBytes = `TB_P(VecBankBytes),
  parameter int unsigned QueueDepth = `TB_P(QueueDepth),
  parameter logic [31:0] MemBytes   = `TB_P(MemBytes)
) (
  input logic clk_i,
  input logic rst_ni
);
`undef TB_P
  localparam int unsigned DW = DataBytes * 8;

  // The configuration in the field order of ecim_hw_t (include/edgecim_hw.h).
  import "DPI-C" function int top_tb_init_dpi(input int ntiles, input int nmacros, input int nres, input int max_wbits, input int abits, input int data_bytes, input int macro_rows, input int macro_cols, input int ppu_cols, input int act_bytes, input int max_batch, input int fifo_beats, input int max_burst, input int vec_lanes, input int vec_bank_bytes, input int queue_depth, input int mem_bytes);
  import "DPI-C" function int top_tb_cycle_dpi(
    input  bit                 in_reset,
    input  bit                 mmio_rvalid,
    input  int                 mmio_rdata,
    input  bit                 irq,
    input  bit                 req_valid,
    input  bit                 req_we,
    input  int                 req_addr,
    input  int                 req_len,
    input  bit                 w_valid,
    input  bit [DW-1:0]        w_data,
    input  bit [DataBytes-1:0] w_strb,
    input  bit                 r_ready,
    output bit                 mmio_valid,
    output bit                 mmio_write,
    output int                 mmio_addr,
    output int                 mmio_wdata,
    output bit                 req_ready,
    output bit                 w_ready,
    output bit                 r_valid,
    output bit [DW-1:0]        r_data
  );
  import "DPI-C" function void top_tb_finish(input int status);

  logic                 mmio_valid_q, mmio_write_q, req_ready_q, w_ready_q, r_valid_q;
  logic [7:0]           mmio_addr_q;
  logic [31:0]          mmio_wdata_q;
  logic [DW-1:0]        r_data_q;
  logic                 mmio_ready, mmio_rvalid, irq;
  logic [31:0]          mmio_rdata;
  logic                 req_valid, req_we, w_valid, r_ready;
  logic [31:0]          req_addr;
  logic [7:0]           req_len;
  logic [DW-1:0]        w_data;
  logic [DataBytes-1:0] w_strb;

  edgecim_top #(
    .NTiles     (NTiles),
    .NMacros    (NMacros),
    .NRes       (NRes),
    .MaxWBits   (MaxWBits),
    .ABits      (ABits),
    .DataBytes  (DataBytes),
    .MacroRows  (MacroRows),
    .MacroCols  (MacroCols),
    .PpuCols    (PpuCols),
    .ActBytes   (ActBytes),
    .MaxBatch   (MaxBatch),
    .FifoBeats  (FifoBeats),
    .MaxBurst   (MaxBurst),
    .VecLanes   (VecLanes),
    .VecBankBytes (VecBankBytes),
    .QueueDepth (QueueDepth),
    .MemBytes   (MemBytes)
  ) u_dut (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .mmio_valid_i    (mmio_valid_q),
    .mmio_ready_o    (mmio_ready),
    .mmio_write_i    (mmio_write_q),
    .mmio_addr_i     (mmio_addr_q),
    .mmio_wdata_i    (mmio_wdata_q),
    .mmio_rvalid_o   (mmio_rvalid),
    .mmio_rdata_o    (mmio_rdata),
    .irq_o           (irq),
    .mem_req_valid_o (req_valid),
    .mem_req_ready_i (req_ready_q),
    .mem_req_we_o    (req_we),
    .mem_req_addr_o  (req_addr),
    .mem_req_len_o   (req_len),
    .mem_w_valid_o   (w_valid),
    .mem_w_ready_i   (w_ready_q),
    .mem_w_data_o    (w_data),
    .mem_w_strb_o    (w_strb),
    .mem_r_valid_i   (r_valid_q),
    .mem_r_ready_o   (r_ready),
    .mem_r_data_i    (r_data_q)
  );

  initial begin
    if (top_tb_init_dpi(NTiles, NMacros, NRes, MaxWBits, ABits, DataBytes, MacroRows, MacroCols, PpuCols, ActBytes, MaxBatch, FifoBeats, MaxBurst, VecLanes, VecBankBytes, QueueDepth, MemBytes) != 0) top_tb_finish(2);
  end

  always_ff @(posedge clk_i) begin
    bit          mv, mw, rq, wrd, rv;
    int          ma, md, st;
    bit [DW-1:0] rd;
    st = top_tb_cycle_dpi(!rst_ni, mmio_rvalid, mmio_rdata, irq, req_valid, req_we, req_addr,
                          {24'd0, req_len}, w_valid, w_data, w_strb, r_ready,
                          mv, mw, ma, md, rq, wrd, rv, rd);
    mmio_valid_q <= mv;
    mmio_write_q <= mw;
    mmio_addr_q  <= ma[7:0];
    mmio_wdata_q <= md;
    req_ready_q  <= rq;
    w_ready_q    <= wrd;
    r_valid_q    <= rv;
    r_data_q     <= rd;
    if (st != 0) top_tb_finish(st);
  end

  // mmio_ready is always 1 (documented); the C side checks rvalid/rdata.
  logic unused_ready;
  assign unused_ready = mmio_ready;
endmodule
