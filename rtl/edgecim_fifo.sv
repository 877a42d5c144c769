// SPDX-License-Identifier: Apache-2.0
// First-word-fall-through FIFO over a single-port-write, single-port-read SRAM (edgecim_sram:
// read data one cycle after the read), with a 2-entry output queue of flops in front of it.
//
// The oldest entries are in the output queue, the rest in the SRAM. A push goes straight into the
// output queue when the SRAM holds nothing and no SRAM read is in flight; otherwise into the
// SRAM. The SRAM is read into the output queue whenever the queue will have room when the data
// arrives. Full rate in both directions: one push and one pop per cycle, no bubble. Depth is the
// SRAM's; the queue adds 2. Overflow is the writer's responsibility (the DMA's credits).
module edgecim_fifo #(
  parameter int unsigned Depth = 64,   // SRAM entries (a power of two)
  parameter int unsigned Bits  = 128,
  localparam int unsigned Aw   = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            push_i,
  input  logic [Bits-1:0] push_data_i,
  output logic            pop_valid_o,
  input  logic            pop_i,        // only while pop_valid_o
  output logic [Bits-1:0] pop_data_o
);
  logic [Aw:0]     sram_cnt_q, sram_cnt_d;
  logic [Aw-1:0]   wptr_q, rptr_q;
  logic            rd_pend_q;           // an SRAM read issued last cycle: its data arrives now
  logic [1:0]      oq_cnt_q, oq_cnt_d;
  logic [Bits-1:0] oq_q [2];
  logic [Bits-1:0] sram_rdata;
  logic            rd, bypass, to_sram;
  logic [1:0]      oq_left, room;

  assign pop_valid_o = (oq_cnt_q != 2'd0);
  assign pop_data_o  = oq_q[0];

  // Free output-queue slots once this cycle's pop and arrival are done.
  assign oq_left = oq_cnt_q - 2'(pop_i);
  assign room    = 2'd2 - oq_left - 2'(rd_pend_q);
  assign rd      = (sram_cnt_q != '0) && (room != 2'd0);
  assign bypass  = push_i && (sram_cnt_q == '0) && !rd_pend_q && (room != 2'd0);
  assign to_sram = push_i && !bypass;

  edgecim_sram #(
    .Words (Depth),
    .Bits  (Bits)
  ) u_sram (
    .clk_i     (clk_i),
    .wr_en_i   (to_sram),
    .wr_addr_i (wptr_q),
    .wr_data_i (push_data_i),
    .rd_en_i   (rd),
    .rd_addr_i (rptr_q),
    .rd_data_o (sram_rdata)
  );

  always_comb begin
    sram_cnt_d = sram_cnt_q + (Aw+1)'(to_sram) - (Aw+1)'(rd);
    oq_cnt_d   = oq_left + 2'(rd_pend_q) + 2'(bypass);
  end

  // Output queue: shift on a pop, then append the SRAM data (older) and the bypassed push.
  always_ff @(posedge clk_i) begin
    logic [Bits-1:0] q0, q1;
    q0 = pop_i ? oq_q[1] : oq_q[0];
    q1 = oq_q[1];
    if (rd_pend_q) begin
      if (oq_left == 2'd0) q0 = sram_rdata;
      else                 q1 = sram_rdata;
    end
    if (bypass) begin
      if (oq_left + 2'(rd_pend_q) == 2'd0) q0 = push_data_i;
      else                                 q1 = push_data_i;
    end
    oq_q[0] <= q0;
    oq_q[1] <= q1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sram_cnt_q <= '0;
      wptr_q     <= '0;
      rptr_q     <= '0;
      rd_pend_q  <= 1'b0;
      oq_cnt_q   <= '0;
    end else begin
      sram_cnt_q <= sram_cnt_d;
      oq_cnt_q   <= oq_cnt_d;
      rd_pend_q  <= rd;
      if (to_sram) wptr_q <= wptr_q + 1'b1;
      if (rd)      rptr_q <= rptr_q + 1'b1;
    end
  end

  // Assertions (simulation with --assert, and formal: Yosys defines SYNTHESIS unless -formal).
`ifndef SYNTHESIS
  // Immediate assertions in a clocked block (the form Verilator 5.006 runs with --assert and open
  // Yosys proves with -formal: no concurrent SVA, no action blocks; a failure names the label).
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // The SRAM never takes a push when full, a pop only takes an entry that is there, the
      // output queue never holds more than 2, and a push never overtakes older entries.
      a_fifo_overflow: assert (32'(sram_cnt_d) <= Depth);
      a_fifo_underflow: assert (!pop_i || pop_valid_o);
      a_fifo_oq: assert (oq_cnt_q <= 2'd2 && 32'(oq_left) + 32'(rd_pend_q) + 32'(bypass) <= 2);
      a_fifo_order: assert (!bypass || (sram_cnt_q == '0 && !rd_pend_q));
    end
  end
`endif
endmodule
