// SPDX-License-Identifier: Apache-2.0
// The vector unit's side of the DMA (cmodel/ecim_vu.c, ecim_vu_comb/ecim_vu_clock): the engines of
// the LOAD, STORE/SSTORE and SCATTER slots, in port beats of DataBytes.
//   LOAD:    up to two regions, requested in bursts of at most MaxBurst beats (the first region,
//            then the second); each beat popped is written into its bank word (A and D at once
//            for RoPE's pair; the row registers take only the region's bytes).
//   STORE:   a bank region to DRAM in requests of at most 256 beats; a region that starts inside
//            a beat (a CONCAT output) is realigned: beat k takes bank words k - 1 and k. A beat
//            is sent from the cycle after the slot's entry on (the bank read takes a cycle).
//   SCATTER: single-beat writes (vu_scatter), each a request, then its beat.
// The counters are 0 at a slot's entry: every slot end clears them.
module vu_dma #(
  parameter int unsigned DataBytes    = edgecim_pkg::DataBytesDefault,
  parameter int unsigned MaxBurst     = edgecim_pkg::MaxBurstDefault,
  parameter int unsigned VecBankBytes = edgecim_pkg::VecBankBytesDefault,
  localparam int unsigned DW          = DataBytes * 8,
  localparam int unsigned BurstBits   = $clog2(MaxBurst + 1),
  localparam int unsigned BankWords   = VecBankBytes / DataBytes,
  localparam int unsigned Aw          = $clog2(BankWords)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  vu_pkg::slot_t        slot_i,
  input  logic                 exec_i,       // the unit runs slot_i (and it is enabled)
  input  logic                 entry_i,
  input  logic                 slot_end_i,   // the slot ends this cycle (any kind)
  output logic                 done_o,       // this engine's slot ends this cycle
  // DMA.
  output logic                 rd_req_valid_o,
  input  logic                 rd_req_ready_i,
  output logic [31:0]          rd_req_addr_o,
  output logic [BurstBits-1:0] rd_req_beats_o,
  input  logic                 rd_valid_i,
  output logic                 rd_pop_o,
  input  logic [DW-1:0]        rd_data_i,
  output logic                 wr_req_valid_o,
  input  logic                 wr_req_ready_i,
  output logic [31:0]          wr_req_addr_o,
  output logic [8:0]           wr_req_beats_o,
  output logic                 wr_valid_o,
  input  logic                 wr_ready_i,
  output logic [DW-1:0]        wr_data_o,
  output logic [DataBytes-1:0] wr_strb_o,
  // Loads into the banks (the popped beat, rd_data_i) and the row registers.
  output logic                 ld_a_en_o,
  output logic                 ld_b_en_o,
  output logic                 ld_d_en_o,
  output logic [Aw-1:0]        ld_addr_o,
  output logic                 rq_ld_en_o,
  output logic [255:0]         rq_ld_be_o,
  output logic [2047:0]        rq_ld_data_o,
  output logic                 rs_ld_en_o,
  output logic [15:0]          rs_ld_be_o,
  // Store reads of the slot's bank (data the cycle after).
  output logic                 st_rd_en_o,
  output logic [Aw-1:0]        st_rd_addr_o,
  input  logic [DW-1:0]        st_rd_data_i,
  // Scatter writes (vu_scatter): write sc_idx_o.
  output logic [15:0]          sc_idx_o,
  input  logic [31:0]          sc_addr_i,
  input  logic [DW-1:0]        sc_data_i,
  input  logic [DataBytes-1:0] sc_strb_i
);
  localparam int unsigned DbLog = $clog2(DataBytes);

  logic load, store, scatter;
  assign load    = exec_i && slot_i.kind == vu_pkg::SlotLoad;
  assign store   = exec_i && (slot_i.kind == vu_pkg::SlotStore || slot_i.kind == vu_pkg::SlotSstore);
  assign scatter = exec_i && slot_i.kind == vu_pkg::SlotScatter;

  logic [15:0] ld_req_q, ld_got_q, st_sent_q, st_req_q, sc_idx_q;
  logic [8:0]  st_burst_q;
  logic        sc_beat_q;
  logic [DW-1:0] prev_q;

  // ------------------------------------------------------------------ LOAD
  logic [31:0] w0, w1, w, req, got, left, k, nb;
  logic        second, first_region, rd_fire;
  vu_pkg::region_t rg;
  always_comb begin
    w0     = (slot_i.r0.bank == vu_pkg::BankNone) ? 32'd0 : (slot_i.r0.bytes + 32'(DataBytes - 1)) >> DbLog;
    w1     = (slot_i.r1.bank == vu_pkg::BankNone) ? 32'd0 : (slot_i.r1.bytes + 32'(DataBytes - 1)) >> DbLog;
    w      = w0 + w1;
    req    = 32'(ld_req_q);
    got    = 32'(ld_got_q);
    second = req >= w0;
    left   = (second ? w : w0) - req;
    rd_req_valid_o = load && req < w;
    rd_req_beats_o = (left > 32'(MaxBurst)) ? BurstBits'(MaxBurst) : BurstBits'(left);
    rd_req_addr_o  = second ? slot_i.r1.addr + (req - w0) * 32'(DataBytes) : slot_i.r0.addr + req * 32'(DataBytes);
    rd_pop_o = load && rd_valid_i && got < w;

    // The popped beat: word k of its region.
    first_region = got < w0;
    rg = first_region ? slot_i.r0 : slot_i.r1;
    k  = first_region ? got : got - w0;
    nb = rg.bytes - k * 32'(DataBytes);
    if (nb > 32'(DataBytes)) nb = 32'(DataBytes);
    ld_addr_o  = Aw'(k);
    ld_a_en_o  = rd_pop_o && (rg.bank == vu_pkg::BankA || rg.bank == vu_pkg::BankAd);
    ld_b_en_o  = rd_pop_o && rg.bank == vu_pkg::BankB;
    ld_d_en_o  = rd_pop_o && (rg.bank == vu_pkg::BankD || rg.bank == vu_pkg::BankAd);
    rq_ld_en_o = rd_pop_o && rg.bank == vu_pkg::BankRq;
    rs_ld_en_o = rd_pop_o && rg.bank == vu_pkg::BankRs;
    for (int unsigned b = 0; b < 256; b++) rq_ld_be_o[b] = 32'(b) >= k * 32'(DataBytes) && 32'(b) < k * 32'(DataBytes) + nb;
    for (int unsigned b = 0; b < 16; b++) rs_ld_be_o[b] = 32'(b) < nb;
    rq_ld_data_o = 2048'(rd_data_i) << (k * 32'(DW));
  end

  // Apart from the block above: the request's beats must not wait for the DMA's ready.
  assign rd_fire = rd_req_valid_o && rd_req_ready_i;

  // ------------------------------------------------------------------ STORE
  logic [31:0] beats, sent, req_left, off, src;
  logic [2*DW-1:0] pair;
  logic [DW-1:0]   aligned;
  logic            unused_pair;
  assign unused_pair = ^{pair[2*DW-1:DW], rg.addr};
  logic            wr_fire, wr_req_fire;
  always_comb begin
    off      = slot_i.r0.addr & 32'(DataBytes - 1);
    beats    = (off + slot_i.r0.bytes + 32'(DataBytes - 1)) >> DbLog;
    sent     = 32'(st_sent_q);
    req_left = beats - 32'(st_req_q);
    // Beat `sent`: bank word `sent` (read the cycle before), and the word before it.
    pair    = {st_rd_data_i, prev_q} >> ((32'(DataBytes) - off) << 3);
    aligned = pair[DW-1:0];
    for (int unsigned b = 0; b < DataBytes; b++) begin
      src = sent * 32'(DataBytes) + 32'(b) - off;
      if ((sent != 32'd0 || 32'(b) >= off) && src < slot_i.r0.bytes) begin
        wr_strb_o[b]       = 1'b1;
        wr_data_o[b*8 +: 8] = aligned[b*8 +: 8];
      end else begin
        wr_strb_o[b]       = 1'b0;
        wr_data_o[b*8 +: 8] = 8'd0;
      end
    end
    wr_req_valid_o = store && req_left != 32'd0 && st_burst_q == 9'd0;
    wr_req_beats_o = (req_left > 32'd256) ? 9'd256 : 9'(req_left);
    wr_req_addr_o  = (slot_i.r0.addr & ~32'(DataBytes - 1)) + 32'(st_req_q) * 32'(DataBytes);
    wr_valid_o     = store && st_burst_q != 9'd0;
    if (scatter) begin
      wr_req_valid_o = !sc_beat_q;
      wr_req_beats_o = 9'd1;
      wr_req_addr_o  = sc_addr_i;
      wr_valid_o     = sc_beat_q;
      wr_data_o      = sc_data_i;
      wr_strb_o      = sc_strb_i;
    end
    wr_fire     = wr_valid_o && wr_ready_i;
    wr_req_fire = wr_req_valid_o && wr_req_ready_i;
    st_rd_en_o   = store && (entry_i || wr_fire);
    st_rd_addr_o = entry_i ? '0 : Aw'(sent + 32'd1);
  end
  assign sc_idx_o = sc_idx_q;

  always_comb begin
    done_o = 1'b0;
    if (load)    done_o = rd_pop_o && got + 32'd1 == w;
    if (store)   done_o = wr_fire && sent + 32'd1 == beats;
    if (scatter) done_o = wr_fire && 32'(sc_idx_q) + 32'd1 == 32'(slot_i.n);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ld_req_q   <= '0;
      ld_got_q   <= '0;
      st_sent_q  <= '0;
      st_req_q   <= '0;
      st_burst_q <= '0;
      sc_idx_q   <= '0;
      sc_beat_q  <= 1'b0;
    end else if (slot_end_i) begin
      ld_req_q   <= '0;
      ld_got_q   <= '0;
      st_sent_q  <= '0;
      st_req_q   <= '0;
      st_burst_q <= '0;
      sc_idx_q   <= '0;
      sc_beat_q  <= 1'b0;
    end else begin
      if (load) begin
        if (rd_fire) ld_req_q <= ld_req_q + 16'(rd_req_beats_o);
        if (rd_pop_o) ld_got_q <= ld_got_q + 16'd1;
      end
      if (store) begin
        if (wr_req_fire) begin
          st_req_q   <= st_req_q + 16'(wr_req_beats_o);
          st_burst_q <= wr_req_beats_o;
        end
        if (wr_fire) begin
          st_sent_q  <= st_sent_q + 16'd1;
          st_burst_q <= st_burst_q - 9'd1;
        end
      end
      if (scatter) begin
        if (wr_req_fire) sc_beat_q <= 1'b1;
        if (wr_fire) begin
          sc_beat_q <= 1'b0;
          sc_idx_q  <= sc_idx_q + 16'd1;
        end
      end
    end
  end

  // The word before the beat's (a realigned store): none at the entry.
  always_ff @(posedge clk_i) begin
    if (store && entry_i) prev_q <= '0;
    else if (store && wr_fire) prev_q <= st_rd_data_i;
  end
endmodule
