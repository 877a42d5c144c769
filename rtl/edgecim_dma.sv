// SPDX-License-Identifier: Apache-2.0
// DMA engine between the sequencer and the memory port, in port beats of DataBytes bytes.
//
// Memory port: one request channel (we, byte address, beats - 1), a write-data channel and a
// read-data channel, each valid/ready; read data returns in request order.
// Reads: a request is accepted only if its beats fit in the read FIFO together with every beat
// already requested and not yet popped (credits), so read data is never refused and up to
// FifoBeats beats are in flight to hide DRAM latency. Writes have priority on the request channel
// (they are short and rare: one per output block and vector).
module edgecim_dma #(
  parameter int unsigned DataBytes = edgecim_pkg::DataBytesDefault,
  parameter int unsigned FifoBeats = edgecim_pkg::FifoBeatsDefault,
  parameter int unsigned MaxBurst  = edgecim_pkg::MaxBurstDefault,
  localparam int unsigned DW        = DataBytes * 8,
  localparam int unsigned CntBits   = $clog2(FifoBeats + 1) + 1,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // Read requests (beats 1..MaxBurst) and read beats.
  input  logic                 rd_req_valid_i,
  output logic                 rd_req_ready_o,
  input  logic [31:0]          rd_req_addr_i,
  input  logic [BurstBits-1:0] rd_req_beats_i,
  output logic                 rd_valid_o,
  input  logic                 rd_pop_i,
  output logic [DW-1:0]        rd_data_o,
  // Write requests (beats 1..256) and write beats with byte strobes.
  input  logic                 wr_req_valid_i,
  output logic                 wr_req_ready_o,
  input  logic [31:0]          wr_req_addr_i,
  input  logic [8:0]           wr_req_beats_i,
  input  logic                 wr_valid_i,
  output logic                 wr_ready_o,
  input  logic [DW-1:0]        wr_data_i,
  input  logic [DataBytes-1:0] wr_strb_i,
  output logic                 wr_idle_o,
  output logic [CntBits-1:0]   inflight_o,       // read beats requested and not yet popped
  // Memory port.
  output logic                 mem_req_valid_o,
  input  logic                 mem_req_ready_i,
  output logic                 mem_req_we_o,
  output logic [31:0]          mem_req_addr_o,
  output logic [7:0]           mem_req_len_o,
  output logic                 mem_w_valid_o,
  input  logic                 mem_w_ready_i,
  output logic [DW-1:0]        mem_w_data_o,
  output logic [DataBytes-1:0] mem_w_strb_o,
  input  logic                 mem_r_valid_i,
  output logic                 mem_r_ready_o,
  input  logic [DW-1:0]        mem_r_data_i
);
  // ---------------------------------------------------------------------------------------------
  // Request channel: writes first; a read only with the credits for all its beats.
  // ---------------------------------------------------------------------------------------------
  logic                 w_busy_q;             // a write request is sending its data
  logic [8:0]           w_left_q;             // its beats still to send
  logic [CntBits-1:0]   inflight_q;           // beats requested, not yet popped
  logic                 credit_ok, wr_req_fire, rd_req_fire, w_fire;

  assign credit_ok      = 32'(inflight_q) + 32'(rd_req_beats_i) <= FifoBeats;
  assign inflight_o     = inflight_q;
  assign wr_req_ready_o = mem_req_ready_i && !w_busy_q;
  assign wr_req_fire    = wr_req_valid_i && wr_req_ready_o;
  assign rd_req_ready_o = mem_req_ready_i && !wr_req_valid_i && credit_ok;
  assign rd_req_fire    = rd_req_valid_i && rd_req_ready_o;

  assign mem_req_valid_o = (wr_req_valid_i && !w_busy_q) || (rd_req_valid_i && !wr_req_valid_i && credit_ok);
  assign mem_req_we_o    = wr_req_valid_i;
  assign mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;
  assign mem_req_len_o   = wr_req_valid_i ? 8'(wr_req_beats_i - 9'd1) : 8'(9'(rd_req_beats_i) - 9'd1);

  // ---------------------------------------------------------------------------------------------
  // Read data: beats into the FIFO (credits guarantee room)
  // ---------------------------------------------------------------------------------------------
  assign mem_r_ready_o = 1'b1;

  edgecim_fifo #(
    .Depth (FifoBeats),
    .Bits  (DW)
  ) u_fifo (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .push_i      (mem_r_valid_i),
    .push_data_i (mem_r_data_i),
    .pop_valid_o (rd_valid_o),
    .pop_i       (rd_pop_i),
    .pop_data_o  (rd_data_o)
  );

  // ---------------------------------------------------------------------------------------------
  // Write data: the writer's beats straight to the port while a write request is open.
  // ---------------------------------------------------------------------------------------------
  assign mem_w_valid_o = w_busy_q && wr_valid_i;
  assign mem_w_data_o  = wr_data_i;
  assign mem_w_strb_o  = wr_strb_i;
  assign wr_ready_o    = w_busy_q && mem_w_ready_i;
  assign w_fire        = mem_w_valid_o && mem_w_ready_i;
  assign wr_idle_o     = !w_busy_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_busy_q   <= 1'b0;
      w_left_q   <= '0;
      inflight_q <= '0;
    end else begin
      if (wr_req_fire) begin
        w_busy_q <= 1'b1;
        w_left_q <= wr_req_beats_i;
      end else if (w_fire) begin
        w_left_q <= w_left_q - 1'b1;
        if (w_left_q == 9'd1) w_busy_q <= 1'b0;
      end
      inflight_q <= inflight_q + (rd_req_fire ? CntBits'(rd_req_beats_i) : '0) - CntBits'(rd_pop_i);
    end
  end

  // Assertions (simulation with --assert, and formal: Yosys defines SYNTHESIS unless -formal).
`ifndef SYNTHESIS
  // Immediate assertions in a clocked block (the form Verilator 5.006 runs with --assert and open
  // Yosys proves with -formal: no concurrent SVA, no action blocks; a failure names the label).
  // `x |=> y` is written `$past(x) -> y`, checked once a cycle has passed since reset.
  logic sva_past_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sva_past_q <= 1'b0;
    else         sva_past_q <= 1'b1;
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // Credits: never more read beats in flight than the FIFO holds (read data is never refused);
      // a beat popped is there, a beat returned was requested; read requests of 1..MaxBurst beats.
      a_dma_credits: assert (32'(inflight_q) <= FifoBeats);
      a_dma_pop: assert (!rd_pop_i || rd_valid_o);
      a_dma_r_expected: assert (!mem_r_valid_i || inflight_q != '0);
      a_dma_rd_beats: assert (!rd_req_valid_i || (rd_req_beats_i != '0 && 32'(rd_req_beats_i) <= MaxBurst));
      a_dma_w_open: assert (!w_busy_q || w_left_q != '0);
    end
    if (rst_ni && sva_past_q) begin
      // The port: a write request and a write beat stay until taken; a waiting read request is
      // only ever replaced by a write (writes have priority).
      a_dma_wreq_hold: assert (!($past(mem_req_valid_o) && $past(mem_req_we_o) && !$past(mem_req_ready_i)) ||
                               (mem_req_valid_o && mem_req_we_o && $stable(mem_req_addr_o) && $stable(mem_req_len_o)));
      a_dma_rreq_hold: assert (!($past(mem_req_valid_o) && !$past(mem_req_ready_i)) || mem_req_valid_o);
      a_dma_w_hold: assert (!($past(mem_w_valid_o) && !$past(mem_w_ready_i)) || (mem_w_valid_o && $stable(mem_w_strb_o)));
    end
  end
`endif
endmodule
