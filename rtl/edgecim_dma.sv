// DMA engine between the sequencer (16-byte chunks) and the memory port (DataBytes beats).
//
// Memory port: one request channel (we, byte address, beats - 1), a write-data channel and a
// read-data channel, each valid/ready; read data returns in request order.
// Reads: a request is accepted only if its chunks fit in the chunk FIFO together with every
// chunk already requested and not yet popped (credits), so read data is never refused and the
// port can keep many bursts in flight to hide DRAM latency. Writes have priority on the request
// channel (they are short and rare: one per 32 outputs).
module edgecim_dma #(
  parameter int unsigned DataBytes  = edgecim_pkg::DataBytesDefault,   // memory port width
  parameter int unsigned FifoChunks = edgecim_pkg::FifoChunksDefault,  // read-data FIFO, 16-byte chunks
  parameter int unsigned MaxBurst   = edgecim_pkg::MaxBurstDefault,    // largest read request, chunks
  localparam int unsigned DW        = DataBytes * 8,
  localparam int unsigned BeatsPerChunk = 16 / DataBytes,
  localparam int unsigned FifoAw    = $clog2(FifoChunks),
  localparam int unsigned BurstBits = $clog2(MaxBurst + 1)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // Read requests and read chunks.
  input  logic                 rd_req_valid_i,
  output logic                 rd_req_ready_o,
  input  logic [31:0]          rd_req_addr_i,
  input  logic [BurstBits-1:0] rd_req_chunks_i,
  output logic                 rd_valid_o,
  input  logic                 rd_ready_i,
  output logic [127:0]         rd_data_o,
  // Write requests (bytes: multiple of 8, at most 256) and write chunks.
  input  logic                 wr_req_valid_i,
  output logic                 wr_req_ready_o,
  input  logic [31:0]          wr_req_addr_i,
  input  logic [8:0]           wr_req_bytes_i,
  input  logic                 wr_valid_i,
  output logic                 wr_ready_o,
  input  logic [127:0]         wr_data_i,
  output logic                 wr_idle_o,
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
  // The legal parameter values are checked once, in edgecim_top (edgecim_cfg_check).

  // ---------------------------------------------------------------------------------------------
  // Request channel
  // ---------------------------------------------------------------------------------------------
  logic                 w_busy_q, w_busy_d;      // a write request is sending its data
  logic [8:0]           w_beats_q, w_beats_d;    // beats still to send
  logic [8:0]           w_last_bytes_q;          // bytes of the last beat
  logic [FifoAw:0]      inflight_q, inflight_d;  // chunks requested, not yet popped
  logic                 wr_req_fire, rd_req_fire, pop;
  logic [8:0]           wr_beats;

  assign wr_beats       = (wr_req_bytes_i + 9'(DataBytes - 1)) >> $clog2(DataBytes);
  assign wr_req_ready_o = mem_req_ready_i && !w_busy_q;
  assign wr_req_fire    = wr_req_valid_i && wr_req_ready_o;
  assign rd_req_ready_o = mem_req_ready_i && !wr_req_valid_i &&
                          (32'(inflight_q) + 32'(rd_req_chunks_i) <= FifoChunks);
  assign rd_req_fire    = rd_req_valid_i && rd_req_ready_o;

  always_comb begin
    mem_req_valid_o = wr_req_valid_i && !w_busy_q || rd_req_valid_i && !wr_req_valid_i &&
                      (32'(inflight_q) + 32'(rd_req_chunks_i) <= FifoChunks);
    mem_req_we_o    = wr_req_valid_i;
    mem_req_addr_o  = wr_req_valid_i ? wr_req_addr_i : rd_req_addr_i;
    mem_req_len_o   = wr_req_valid_i ? 8'(wr_beats - 9'd1)
                                     : 8'(32'(rd_req_chunks_i) * BeatsPerChunk - 1);
  end

  // ---------------------------------------------------------------------------------------------
  // Read data: beats -> chunks -> FIFO
  // ---------------------------------------------------------------------------------------------
  logic [127:0]      fifo_q [FifoChunks];
  logic [FifoAw:0]   wptr_q, rptr_q;
  logic [127:0]      chunk;
  logic              chunk_valid;

  assign mem_r_ready_o = 1'b1;  // credits guarantee room

  if (BeatsPerChunk == 1) begin : g_rd16
    assign chunk       = mem_r_data_i;
    assign chunk_valid = mem_r_valid_i;
  end else begin : g_rd8
    logic [63:0] low_q;
    logic        half_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni)            half_q <= 1'b0;
      else if (mem_r_valid_i) half_q <= !half_q;
    end
    always_ff @(posedge clk_i) begin
      if (mem_r_valid_i && !half_q) low_q <= mem_r_data_i[63:0];
    end
    assign chunk       = {mem_r_data_i[63:0], low_q};
    assign chunk_valid = mem_r_valid_i && half_q;
  end

  assign rd_valid_o = (wptr_q != rptr_q);
  assign rd_data_o  = fifo_q[rptr_q[FifoAw-1:0]];
  assign pop        = rd_valid_o && rd_ready_i;

  always_ff @(posedge clk_i) begin
    if (chunk_valid) fifo_q[wptr_q[FifoAw-1:0]] <= chunk;
  end

  always_comb begin
    inflight_d = inflight_q;
    if (rd_req_fire) inflight_d = inflight_d + (FifoAw+1)'(rd_req_chunks_i);
    if (pop)         inflight_d = inflight_d - 1'b1;
  end

  // ---------------------------------------------------------------------------------------------
  // Write data: chunks -> beats
  // ---------------------------------------------------------------------------------------------
  logic w_half_q, w_half_d;  // DataBytes = 8: the high half of the chunk is next
  logic w_last;

  assign w_last       = (w_beats_q == 9'd1);
  assign mem_w_valid_o = w_busy_q && wr_valid_i;
  always_comb begin
    mem_w_data_o = wr_data_i[DW-1:0];
    if (BeatsPerChunk == 2 && w_half_q) mem_w_data_o = wr_data_i[127:128-DW];
    mem_w_strb_o = '1;
    if (w_last && w_last_bytes_q != 9'(DataBytes)) mem_w_strb_o = DataBytes'((1 << 8) - 1);
  end
  // A chunk is taken after its last beat (or the request's last beat).
  assign wr_ready_o = w_busy_q && mem_w_ready_i &&
                      (BeatsPerChunk == 1 || w_half_q || w_last);

  always_comb begin
    w_busy_d  = w_busy_q;
    w_beats_d = w_beats_q;
    w_half_d  = w_half_q;
    if (wr_req_fire) begin
      w_busy_d  = 1'b1;
      w_beats_d = wr_beats;
      w_half_d  = 1'b0;
    end else if (mem_w_valid_o && mem_w_ready_i) begin
      w_beats_d = w_beats_q - 1'b1;
      w_half_d  = (BeatsPerChunk == 2) && !w_half_q;
      if (w_last) w_busy_d = 1'b0;
    end
  end
  assign wr_idle_o = !w_busy_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_busy_q       <= 1'b0;
      w_beats_q      <= '0;
      w_half_q       <= 1'b0;
      w_last_bytes_q <= '0;
      inflight_q     <= '0;
      wptr_q         <= '0;
      rptr_q         <= '0;
    end else begin
      w_busy_q   <= w_busy_d;
      w_beats_q  <= w_beats_d;
      w_half_q   <= w_half_d;
      inflight_q <= inflight_d;
      if (wr_req_fire) begin
        w_last_bytes_q <= (wr_req_bytes_i[$clog2(DataBytes)-1:0] == '0) ? 9'(DataBytes)
                                                                        : 9'(wr_req_bytes_i[$clog2(DataBytes)-1:0]);
      end
      if (chunk_valid) wptr_q <= wptr_q + 1'b1;
      if (pop)         rptr_q <= rptr_q + 1'b1;
    end
  end
endmodule
