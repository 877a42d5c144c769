// SPDX-License-Identifier: Apache-2.0
// Gate-level stand-in for edgecim_vu in tb_edgecim_vu (make gl-vu): the same ports and
// parameters around edgecim_vu_net, the Yosys netlist of edgecim_vu synthesized for one
// configuration (its parameters are already applied: these only keep the testbench unchanged).
/* verilator lint_off UNUSEDPARAM */
module edgecim_vu #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned VecLanes     = edgecim_pkg::VecLanesDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  parameter int unsigned MaxBurst     = edgecim_pkg::MaxBurstDefault,
  parameter int unsigned MacroRows    = edgecim_pkg::MacroRowsDefault,
  parameter int unsigned MacroCols    = edgecim_pkg::MacroColsDefault,
  localparam int unsigned DW          = DataBytes * 8,
  localparam int unsigned BurstBits   = $clog2(MaxBurst + 1)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   cmd_valid_i,
  input  edgecim_pkg::cmd_desc_t cmd_i,
  output logic                   start_o,
  output logic                   done_o,
  output logic                   busy_o,
  output logic                   rd_req_valid_o,
  input  logic                   rd_req_ready_i,
  output logic [31:0]            rd_req_addr_o,
  output logic [BurstBits-1:0]   rd_req_beats_o,
  input  logic                   rd_valid_i,
  output logic                   rd_pop_o,
  input  logic [DW-1:0]          rd_data_i,
  output logic                   wr_req_valid_o,
  input  logic                   wr_req_ready_i,
  output logic [31:0]            wr_req_addr_o,
  output logic [8:0]             wr_req_beats_o,
  output logic                   wr_valid_o,
  input  logic                   wr_ready_i,
  output logic [DW-1:0]          wr_data_o,
  output logic [DataBytes-1:0]   wr_strb_o,
  input  logic                   wr_idle_i
);
  edgecim_vu_net u_net (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cmd_valid_i    (cmd_valid_i),
    .cmd_i          (cmd_i),
    .start_o        (start_o),
    .done_o         (done_o),
    .busy_o         (busy_o),
    .rd_req_valid_o (rd_req_valid_o),
    .rd_req_ready_i (rd_req_ready_i),
    .rd_req_addr_o  (rd_req_addr_o),
    .rd_req_beats_o (rd_req_beats_o),
    .rd_valid_i     (rd_valid_i),
    .rd_pop_o       (rd_pop_o),
    .rd_data_i      (rd_data_i),
    .wr_req_valid_o (wr_req_valid_o),
    .wr_req_ready_i (wr_req_ready_i),
    .wr_req_addr_o  (wr_req_addr_o),
    .wr_req_beats_o (wr_req_beats_o),
    .wr_valid_o     (wr_valid_o),
    .wr_ready_i     (wr_ready_i),
    .wr_data_o      (wr_data_o),
    .wr_strb_o      (wr_strb_o),
    .wr_idle_i      (wr_idle_i)
  );
endmodule
