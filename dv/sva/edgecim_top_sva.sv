// SPDX-License-Identifier: Apache-2.0
// Assertions on the ports of edgecim_top (bound in by dv/sva/edgecim_sva_bind.sv; simulation only:
// never part of the RTL file lists, so never synthesized). docs/VERIFICATION.md lists them all.
// Being 2-state, Verilator makes the $isunknown checks hold trivially; and matter only in a 4-state
// simulator; the Verilator evidence for "no X after reset" is the co-simulation run with every
// flop that has no reset randomized (make sva-xinit).
module edgecim_top_sva #(
  parameter int unsigned DataBytes = 16,
  parameter int unsigned MaxBurst  = 16,
  localparam int unsigned DW       = DataBytes * 8
) (
  input logic                 clk_i,
  input logic                 rst_ni,
  input logic                 mmio_valid_i,
  input logic                 mmio_write_i,
  input logic                 mmio_ready_o,
  input logic                 mmio_rvalid_o,
  input logic [31:0]          mmio_rdata_o,
  input logic                 irq_o,
  input logic                 mem_req_valid_o,
  input logic                 mem_req_ready_i,
  input logic                 mem_req_we_o,
  input logic [31:0]          mem_req_addr_o,
  input logic [7:0]           mem_req_len_o,
  input logic                 mem_w_valid_o,
  input logic                 mem_w_ready_i,
  input logic [DW-1:0]        mem_w_data_o,
  input logic [DataBytes-1:0] mem_w_strb_o,
  input logic                 mem_r_ready_o
);
  // Wide payloads are checked by an immediate assertion in a clocked block against a registered
  // copy (the same meaning as `valid && !ready |=> valid && $stable(data)`): Verilator 5.006
  // generates uncompilable code for the sampled copies that concurrent assertions make of very
  // wide signals (its issue 4824).
  logic [DW-1:0]        w_data_prev_q;
  logic [DataBytes-1:0] w_strb_prev_q;
  logic                 w_hold_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_hold_q <= 1'b0;
    end else begin
      if (w_hold_q) begin
        a_mem_w_stable: assert (mem_w_valid_o && mem_w_data_o == w_data_prev_q && mem_w_strb_o == w_strb_prev_q)
          else $error("edgecim_top: write beat changed or withdrawn before it was accepted");
      end
      w_hold_q      <= mem_w_valid_o && !mem_w_ready_i;
      w_data_prev_q <= mem_w_data_o;
      w_strb_prev_q <= mem_w_strb_o;
    end
  end

  // Cycles since reset (the co-simulation's cycle numbers, for the messages).
  logic [63:0] cycle_q;
  always_ff @(posedge clk_i or negedge rst_ni) cycle_q <= !rst_ni ? '0 : cycle_q + 1'b1;

  // Memory port, request channel. A write request, once offered, stays until taken, unchanged.
  // A read request stays unchanged until taken, or until a write request replaces it: the DMA
  // gives writes priority even over a read already offered (edgecim_dma.sv), which a strict
  // valid/ready port (AXI) forbids; `define EDGECIM_SVA_STRICT_MEM_REQ checks the strict rule
  // (it fails today: docs/VERIFICATION.md, "Findings").
  a_mem_wreq_stable: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o && mem_req_we_o && !mem_req_ready_i |=> mem_req_valid_o && mem_req_we_o &&
      $stable(mem_req_addr_o) && $stable(mem_req_len_o))
    else $error("edgecim_top: write request changed or withdrawn before it was accepted (cycle %0d)", cycle_q);
  a_mem_rreq_stable: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o && !mem_req_we_o && !mem_req_ready_i |=> mem_req_valid_o &&
      (mem_req_we_o || ($stable(mem_req_addr_o) && $stable(mem_req_len_o))))
    else $error("edgecim_top: read request changed or withdrawn before it was accepted (cycle %0d)", cycle_q);
`ifdef EDGECIM_SVA_STRICT_MEM_REQ
  a_mem_req_stable: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o && !mem_req_ready_i |=> mem_req_valid_o &&
      $stable(mem_req_we_o) && $stable(mem_req_addr_o) && $stable(mem_req_len_o))
    else $error("edgecim_top: memory request changed before it was accepted (cycle %0d: now we %0d addr 0x%08x len %0d; before we %0d addr 0x%08x len %0d)",
                cycle_q, mem_req_we_o, mem_req_addr_o, mem_req_len_o, $past(mem_req_we_o), $past(mem_req_addr_o), $past(mem_req_len_o));
`endif
  // A read burst is 1..MaxBurst beats, every request is aligned to a beat.
  a_mem_req_len: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o && !mem_req_we_o |-> 32'(mem_req_len_o) < MaxBurst)
    else $error("edgecim_top: read burst longer than MaxBurst");
  a_mem_req_align: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mem_req_valid_o |-> (mem_req_addr_o & 32'(DataBytes - 1)) == '0)
    else $error("edgecim_top: memory request not aligned to a beat");
  // Write data channel (its stability: above): a beat has at least one byte.
  a_mem_w_strb: assert property (@(posedge clk_i) disable iff (!rst_ni) mem_w_valid_o |-> mem_w_strb_o != '0)
    else $error("edgecim_top: write beat with no byte enabled");
  // Read data is never refused (the DMA's credits), MMIO is always ready, a read answers next cycle.
  a_mem_r_ready: assert property (@(posedge clk_i) disable iff (!rst_ni) mem_r_ready_o)
    else $error("edgecim_top: read data refused");
  a_mmio_ready: assert property (@(posedge clk_i) disable iff (!rst_ni) mmio_ready_o)
    else $error("edgecim_top: MMIO not ready");
  a_mmio_rvalid: assert property (@(posedge clk_i) disable iff (!rst_ni)
      mmio_valid_i && !mmio_write_i |=> mmio_rvalid_o)
    else $error("edgecim_top: MMIO read not answered the next cycle");
  a_mmio_no_spurious: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !(mmio_valid_i && !mmio_write_i) |=> !mmio_rvalid_o)
    else $error("edgecim_top: MMIO read data without a read");
  // No unknown on the outputs after reset (4-state simulators).
  a_no_x: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !$isunknown({mmio_ready_o, mmio_rvalid_o, irq_o, mem_req_valid_o, mem_w_valid_o, mem_r_ready_o}) &&
      (!mmio_rvalid_o || !$isunknown(mmio_rdata_o)) &&
      (!mem_req_valid_o || !$isunknown({mem_req_we_o, mem_req_addr_o, mem_req_len_o})) &&
      (!mem_w_valid_o || !$isunknown(mem_w_strb_o)))
    else $error("edgecim_top: unknown value on an output");
endmodule
