// SPDX-License-Identifier: Apache-2.0
// Command-list fetcher: reads a list of 64-byte descriptors from DRAM, one fetch unit at a time
// (max(64, DataBytes) bytes: one descriptor, or one port beat holding several), and offers them in
// order to the register file, which checks and queues each as CMD_PUSH does (edgecim_regs).
//
// Its read requests share the DMA with the running command's (the top gives it priority). At most
// one fetch request is in flight, and `ahead` counts the beats requested before it and not yet
// popped: the FIFO head is the fetcher's beat when `ahead` is 0 (owns_head_o), and the running
// command does not see it.
module edgecim_list #(
  parameter int unsigned DataBytes = edgecim_pkg::DataBytesDefault,
  parameter int unsigned FifoBeats = edgecim_pkg::FifoBeatsDefault,
  parameter int unsigned MaxBurst  = edgecim_pkg::MaxBurstDefault,
  localparam int unsigned DW        = DataBytes * 8,
  localparam int unsigned UnitBytes = (DataBytes > edgecim_pkg::DescBytes) ? DataBytes : edgecim_pkg::DescBytes,
  localparam int unsigned UnitBeats = UnitBytes / DataBytes,
  localparam int unsigned PerUnit   = UnitBytes / edgecim_pkg::DescBytes,
  localparam int unsigned CntBits   = $clog2(FifoBeats + 1) + 1,
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1),
  localparam int unsigned UBits     = (PerUnit > 1) ? $clog2(PerUnit + 1) : 1,
  localparam int unsigned BtBits    = (UnitBeats > 1) ? $clog2(UnitBeats + 1) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // From the register file: LIST_START (checked), the verdict on the offered descriptor.
  input  logic                 start_i,
  input  logic [31:0]          start_addr_i,
  input  logic [31:0]          start_count_i,
  input  logic                 desc_taken_i,
  input  logic                 desc_refused_i,
  output logic                 active_o,
  output logic                 desc_valid_o,
  output logic [14*32-1:0]     desc_o,          // words 0 .. 13 of the offered descriptor
  // DMA.
  output logic                 rd_req_valid_o,
  input  logic                 rd_req_ready_i,
  output logic [31:0]          rd_req_addr_o,
  output logic [BurstBits-1:0] rd_req_beats_o,
  input  logic                 fifo_valid_i,    // the DMA's FIFO has a beat
  input  logic [DW-1:0]        rd_data_i,
  output logic                 rd_pop_o,
  output logic                 owns_head_o,
  input  logic [CntBits-1:0]   inflight_i,      // the DMA's beats in flight
  input  logic                 data_pop_i       // the running command popped a beat
);
  logic                 active_q, req_out_q;
  logic [31:0]          addr_q;
  logic [16:0]          left_q;
  logic [CntBits-1:0]   ahead_q;
  logic [BtBits-1:0]    beats_q;
  logic [UBits-1:0]     in_unit_q, have_q, next_q;
  logic [UnitBytes*8-1:0] buf_q;
  logic                 req_fire;

  assign active_o       = active_q;
  assign owns_head_o    = req_out_q && ahead_q == '0;
  assign rd_req_valid_o = active_q && !req_out_q && have_q == '0 && left_q != '0;
  assign rd_req_addr_o  = addr_q;
  assign rd_req_beats_o = BurstBits'(UnitBeats);
  assign rd_pop_o       = owns_head_o && fifo_valid_i;
  assign req_fire       = rd_req_valid_o && rd_req_ready_i;
  logic unused_count;  // LIST_COUNT above 2^16 - 1 is refused by LIST_START's checks
  assign unused_count = ^start_count_i[31:17];
  assign desc_valid_o   = active_q && next_q < have_q;
  assign desc_o         = buf_q[32'(next_q) * edgecim_pkg::DescBytes * 8 +: 14 * 32];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q  <= 1'b0;
      req_out_q <= 1'b0;
      addr_q    <= '0;
      left_q    <= '0;
      ahead_q   <= '0;
      beats_q   <= '0;
      in_unit_q <= '0;
      have_q    <= '0;
      next_q    <= '0;
    end else begin
      if (start_i) begin
        active_q <= 1'b1;
        addr_q   <= start_addr_i;
        left_q   <= 17'(start_count_i);
        have_q   <= '0;
        next_q   <= '0;
      end
      if (req_out_q && ahead_q != '0 && data_pop_i) ahead_q <= ahead_q - 1'b1;
      if (req_fire) begin
        req_out_q <= 1'b1;
        ahead_q   <= inflight_i - CntBits'(data_pop_i);
        beats_q   <= '0;
        in_unit_q <= (left_q < 17'(PerUnit)) ? UBits'(left_q) : UBits'(PerUnit);
        left_q    <= (left_q < 17'(PerUnit)) ? '0 : left_q - 17'(PerUnit);
        addr_q    <= addr_q + 32'(UnitBytes);
      end
      if (rd_pop_o) begin
        beats_q <= beats_q + 1'b1;
        if (32'(beats_q) + 1 == UnitBeats) begin
          req_out_q <= 1'b0;
          have_q    <= in_unit_q;
          next_q    <= '0;
        end
      end
      if (desc_refused_i) begin
        active_q <= 1'b0;
        have_q   <= '0;
        next_q   <= '0;
      end else if (desc_taken_i) begin
        if (next_q + 1'b1 == have_q) begin
          have_q <= '0;
          next_q <= '0;
          if (left_q == '0) active_q <= 1'b0;
        end else begin
          next_q <= next_q + 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rd_pop_o) buf_q[32'(beats_q) * DW +: DW] <= rd_data_i;
  end

  // Assertions (simulation with --assert, and formal: Yosys defines SYNTHESIS unless -formal).
`ifndef SYNTHESIS
  // Immediate assertions in a clocked block (the form Verilator 5.006 runs with --assert and open
  // Yosys proves with -formal: no concurrent SVA, no action blocks; a failure names the label).
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      // A verdict only on an offered descriptor, never two; one fetch in flight at most; the
      // fetcher and the running command never pop the same beat; no start while active.
      a_list_verdict: assert (!(desc_taken_i || desc_refused_i) || (desc_valid_o && !(desc_taken_i && desc_refused_i)));
      a_list_one_fetch: assert (!rd_req_valid_o || !req_out_q);
      a_list_pop_own: assert (!rd_pop_o || !data_pop_i);
      a_list_start_idle: assert (!start_i || !active_q);
    end
  end
`endif
endmodule
