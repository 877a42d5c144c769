// SPDX-License-Identifier: Apache-2.0
// Formal harness of edgecim_regs (make formal, edgecim_regs.sby): the register file with every
// input free (MMIO, the queue's consumer, done, the list fetcher's descriptors) except for what
// the fetcher guarantees: it offers a descriptor only while a list is active, and is active only
// after a start. The properties are the assertions inside rtl/edgecim_regs.sv (`ifndef SYNTHESIS:
// the queue never over- or underflows, a refused descriptor is never queued, CMD_PUSH and the list
// never queue together, STATUS.ERROR iff ERR_CODE != 0, the first error code is kept until
// CLEAR_ERR and an error is latched the next cycle, every read answered the next cycle, the queue
// head stays until taken), proven for every input sequence by k-induction.
module edgecim_regs_fv (
  input logic              clk_i,
  input logic              rst_ni,
  input logic              mmio_valid_i,
  input logic              mmio_write_i,
  input logic [7:0]        mmio_addr_i,
  input logic [31:0]       mmio_wdata_i,
  input logic              cmd_ready_i,
  input logic              busy_i,
  input logic              done_i,
  input logic              list_desc_valid_i,
  input logic [14*32-1:0]  list_desc_i
);
  logic list_start, list_active_q, cmd_valid;
  logic unused;
  logic [31:0] list_addr, list_count, rdata;
  logic rvalid, irq, ready, taken, refused;
  edgecim_pkg::cmd_desc_t desc;

  edgecim_regs #(.QueueDepth(4)) dut (
    .clk_i, .rst_ni, .mmio_valid_i, .mmio_ready_o(ready), .mmio_write_i, .mmio_addr_i, .mmio_wdata_i,
    .mmio_rvalid_o(rvalid), .mmio_rdata_o(rdata), .irq_o(irq),
    .cmd_valid_o(cmd_valid), .cmd_ready_i, .cmd_desc_o(desc), .busy_i, .done_i,
    .list_start_o(list_start), .list_addr_o(list_addr), .list_count_o(list_count),
    .list_active_i(list_active_q), .list_desc_valid_i, .list_desc_i,
    .list_taken_o(taken), .list_refused_o(refused));

  // The fetcher, as far as the register file can tell: active from a start to a refusal (or any
  // time later: it ends when its descriptors are queued).
  logic end_any;
  assign end_any = list_desc_valid_i && taken && mmio_wdata_i[0];  // a free choice: the last one
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                   list_active_q <= 1'b0;
    else if (list_start)           list_active_q <= 1'b1;
    else if (refused || end_any)   list_active_q <= 1'b0;
  end
  always_comb begin
    assume (!list_desc_valid_i || list_active_q);
  end

  // Reset in the first cycle.
  logic init_q = 1'b1;
  always_ff @(posedge clk_i) init_q <= 1'b0;
  always_comb begin
    if (init_q) assume (!rst_ni);
  end
  assign unused = ^{list_addr, list_count, rdata, rvalid, irq, ready, desc, cmd_valid};
endmodule
