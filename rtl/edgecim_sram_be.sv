// SPDX-License-Identifier: Apache-2.0
// Single-port-write, single-port-read synchronous SRAM with byte enables (behavioural), in the
// style of edgecim_sram: read data appears the cycle after rd_en_i and holds until the next
// read; a write stores the bytes whose enable is set. Synthesis treats it as a memory macro.
module edgecim_sram_be #(
  parameter int unsigned Words = 128,
  parameter int unsigned Bytes = 16,
  localparam int unsigned Aw   = (Words > 1) ? $clog2(Words) : 1
) (
  input  logic               clk_i,
  input  logic               wr_en_i,
  input  logic [Aw-1:0]      wr_addr_i,
  input  logic [Bytes-1:0]   wr_be_i,
  input  logic [Bytes*8-1:0] wr_data_i,
  input  logic               rd_en_i,
  input  logic [Aw-1:0]      rd_addr_i,
  output logic [Bytes*8-1:0] rd_data_o
);
  logic [Bytes*8-1:0] mem [Words];
  logic [Bytes*8-1:0] bit_en;

  for (genvar b = 0; b < Bytes; b++) begin : g_be
    assign bit_en[b*8 +: 8] = {8{wr_be_i[b]}};
  end

  always_ff @(posedge clk_i) begin
    if (wr_en_i) mem[wr_addr_i] <= (mem[wr_addr_i] & ~bit_en) | (wr_data_i & bit_en);
    if (rd_en_i) rd_data_o <= mem[rd_addr_i];
  end
endmodule
