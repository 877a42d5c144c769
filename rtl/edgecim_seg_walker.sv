// SPDX-License-Identifier: Apache-2.0
// Walks the read stream of one GEMV command, segment by segment, in DRAM order
// (docs/ARCHITECTURE.md, "The read stream"):
//   for every vector b: XQ (activations), XS (activation scales);
//   then per output block nb: YI for every vector b (with ACCUM), BI (with BIAS), and one W
//   segment per weight block kb.
// Lengths are in port beats; every segment starts on a 256-byte boundary and is a whole number of
// beats, so a beat never spans two segments. A W segment of a RES_USE command has length 0.
// The read requester and the router each run one walker: the same order on both sides.
module edgecim_seg_walker #(
  parameter int unsigned KbBits = 8,
  parameter int unsigned NbBits = 19,
  parameter int unsigned BBits  = 4,
  parameter int unsigned BeatBytes = 16   // DataBytes: a power of two
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 start_i,       // go to the first segment of the command below
  input  logic                 advance_i,     // go to the next segment
  // Command, and its layout in beats (stable while running; computed by the sequencer).
  input  logic [31:0]          w_addr_i, x_addr_i, y_addr_i, b_addr_i,
  input  logic                 accum_i, bias_i, res_use_i,
  input  logic [BBits-1:0]     last_b_i,      // vectors - 1
  input  logic [KbBits-1:0]    last_kb_i,     // weight blocks along K - 1
  input  logic [NbBits-1:0]    last_nb_i,     // output blocks - 1
  input  logic [15:0]          xq_beats_i, xs_beats_i, yblk_beats_i,
  input  logic [15:0]          blk_beats_i,   // beats of a full weight block
  input  logic [15:0]          last_blk_beats_i,
  input  logic [31:0]          y_stride_i,
  input  logic [31:0]          nb_stride_i,   // bytes from one output block of W to the next
  input  logic [15:0]          yblk_bytes_i,  // bytes of one output block of y or bias
  // Current segment.
  output logic                 active_o,      // not past the end
  output edgecim_pkg::seg_kind_e kind_o,
  output logic [31:0]          addr_o,
  output logic [15:0]          len_o,         // beats
  output logic [BBits-1:0]     b_o,
  output logic [NbBits-1:0]    nb_o,
  output logic [KbBits-1:0]    kb_o,
  output logic                 first_kb_o, last_kb_o
);
  localparam int unsigned BeatShift = $clog2(BeatBytes);
  edgecim_pkg::seg_kind_e kind_q, kind_d, first_nb_seg;
  logic [BBits-1:0]  b_q, b_d;
  logic [NbBits-1:0] nb_q, nb_d;
  logic [KbBits-1:0] kb_q, kb_d;
  logic [31:0]       x_off_q, x_off_d;   // byte offset of the current X segment
  logic [31:0]       y_off_q, y_off_d;   // nb * yblk_bytes: the output block's offset in y and bias
  logic [31:0]       yb_off_q, yb_off_d; // b * y_stride: the vector's offset in y
  logic [31:0]       w_off_q, w_off_d;   // byte offset of the current weight block
  logic [31:0]       w_nb_q, w_nb_d;     // byte offset of the current output block's first weight block
  logic              last_b, last_kb, last_nb;

  assign last_b     = (b_q == last_b_i);
  assign last_kb    = (kb_q == last_kb_i);
  assign last_nb    = (nb_q == last_nb_i);
  assign first_kb_o = (kb_q == '0);
  assign last_kb_o  = last_kb;
  assign first_nb_seg = accum_i ? edgecim_pkg::SegKindYi :
                        (bias_i ? edgecim_pkg::SegKindBi : edgecim_pkg::SegKindW);

  always_comb begin
    active_o = (kind_q != edgecim_pkg::SegKindEnd);
    kind_o   = kind_q;
    b_o      = b_q;
    nb_o     = nb_q;
    kb_o     = kb_q;
    addr_o   = '0;
    len_o    = '0;
    unique case (kind_q)
      edgecim_pkg::SegKindXq: begin
        addr_o = x_addr_i + x_off_q;
        len_o  = xq_beats_i;
      end
      edgecim_pkg::SegKindXs: begin
        addr_o = x_addr_i + x_off_q;
        len_o  = xs_beats_i;
      end
      edgecim_pkg::SegKindYi: begin
        addr_o = y_addr_i + yb_off_q + y_off_q;
        len_o  = yblk_beats_i;
      end
      edgecim_pkg::SegKindBi: begin
        addr_o = b_addr_i + y_off_q;
        len_o  = yblk_beats_i;
      end
      edgecim_pkg::SegKindW: begin
        addr_o = w_addr_i + w_off_q;
        len_o  = res_use_i ? 16'd0 : (last_kb ? last_blk_beats_i : blk_beats_i);
      end
      default: ;
    endcase
  end

  always_comb begin
    kind_d   = kind_q;
    b_d      = b_q;
    nb_d     = nb_q;
    kb_d     = kb_q;
    x_off_d  = x_off_q;
    y_off_d  = y_off_q;
    yb_off_d = yb_off_q;
    w_off_d  = w_off_q;
    w_nb_d   = w_nb_q;
    if (start_i) begin
      kind_d   = edgecim_pkg::SegKindXq;
      b_d      = '0;
      nb_d     = '0;
      kb_d     = '0;
      x_off_d  = '0;
      y_off_d  = '0;
      yb_off_d = '0;
      w_off_d  = '0;
      w_nb_d   = '0;
    end else if (advance_i) begin
      unique case (kind_q)
        edgecim_pkg::SegKindXq: begin
          kind_d  = edgecim_pkg::SegKindXs;
          x_off_d = x_off_q + (32'(xq_beats_i) << BeatShift);
        end
        edgecim_pkg::SegKindXs: begin
          x_off_d = x_off_q + (32'(xs_beats_i) << BeatShift);
          if (last_b) begin
            b_d    = '0;
            kind_d = first_nb_seg;
          end else begin
            b_d    = b_q + 1'b1;
            kind_d = edgecim_pkg::SegKindXq;
          end
        end
        edgecim_pkg::SegKindYi: begin
          if (last_b) begin
            b_d      = '0;
            yb_off_d = '0;
            kind_d   = bias_i ? edgecim_pkg::SegKindBi : edgecim_pkg::SegKindW;
          end else begin
            b_d      = b_q + 1'b1;
            yb_off_d = yb_off_q + y_stride_i;
          end
        end
        edgecim_pkg::SegKindBi: kind_d = edgecim_pkg::SegKindW;
        edgecim_pkg::SegKindW: begin
          w_off_d = w_off_q + (32'(len_o) << BeatShift);
          if (!last_kb) begin
            kb_d = kb_q + 1'b1;
          end else begin
            kb_d    = '0;
            nb_d    = nb_q + 1'b1;
            w_nb_d  = w_nb_q + nb_stride_i;  // packed after this output block, or strided
            w_off_d = w_nb_d;
            y_off_d = y_off_q + 32'(yblk_bytes_i);
            kind_d  = last_nb ? edgecim_pkg::SegKindEnd : first_nb_seg;
          end
        end
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      kind_q   <= edgecim_pkg::SegKindEnd;
      b_q      <= '0;
      nb_q     <= '0;
      kb_q     <= '0;
      x_off_q  <= '0;
      y_off_q  <= '0;
      yb_off_q <= '0;
      w_off_q  <= '0;
      w_nb_q   <= '0;
    end else begin
      kind_q   <= kind_d;
      b_q      <= b_d;
      nb_q     <= nb_d;
      kb_q     <= kb_d;
      x_off_q  <= x_off_d;
      y_off_q  <= y_off_d;
      yb_off_q <= yb_off_d;
      w_off_q  <= w_off_d;
      w_nb_q   <= w_nb_d;
    end
  end
endmodule
