// SPDX-License-Identifier: Apache-2.0
// Single-port-write, single-port-read synchronous SRAM (behavioural). Read data appears the
// cycle after rd_en_i and holds until the next read. Synthesis treats it as a memory macro from
// a memory compiler (see syn/): its bits are not counted as logic cells.
module edgecim_sram #(
  parameter int unsigned Words = 128,
  parameter int unsigned Bits  = 128,
  localparam int unsigned Aw   = (Words > 1) ? $clog2(Words) : 1
) (
  input  logic            clk_i,
  input  logic            wr_en_i,
  input  logic [Aw-1:0]   wr_addr_i,
  input  logic [Bits-1:0] wr_data_i,
  input  logic            rd_en_i,
  input  logic [Aw-1:0]   rd_addr_i,
  output logic [Bits-1:0] rd_data_o
);
  logic [Bits-1:0] mem [Words];

  always_ff @(posedge clk_i) begin
    if (wr_en_i) mem[wr_addr_i] <= wr_data_i;
    if (rd_en_i) rd_data_o <= mem[rd_addr_i];
  end
endmodule
