// Walks the read stream of one GEMV command, segment by segment, in DRAM order
// (docs/ARCHITECTURE.md, "The read stream"):
//   XQ (activations), XS (activation scales), then per output block nb:
//   YI (old y, with ACCUM), BI (bias, with BIAS), and one W segment per K block kb.
// Lengths are in 16-byte chunks. A W segment of a RES_USE command has length 0 (no traffic).
// The read requester and the router each run one walker: the same order on both sides.
module edgecim_seg_walker #(
  parameter int unsigned KbBits = 7,
  parameter int unsigned NbBits = 19
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              start_i,      // load the command below, go to XQ
  input  logic              advance_i,    // go to the next segment
  // Command (stable while running).
  input  logic [31:0]       w_addr_i, x_addr_i, y_addr_i, b_addr_i,
  input  logic [15:0]       k_i,          // K
  input  logic [15:0]       kp_i,         // K rounded up to 32
  input  logic [KbBits:0]   kbn_i,        // number of K blocks
  input  logic [NbBits-1:0] nbn_i,        // number of output blocks
  input  logic [23:0]       n_i,          // N
  input  logic              accum_i, bias_i, res_use_i,
  // Current segment.
  output logic              active_o,     // not past the end
  output edgecim_pkg::seg_kind_e kind_o,
  output logic [31:0]       addr_o,
  output logic [15:0]       len_o,        // chunks
  output logic [NbBits-1:0] nb_o,
  output logic [KbBits-1:0] kb_o,
  output logic [7:0]        rows_o,       // W: rows of the block (multiple of 32)
  output logic [7:0]        krows_o,      // W: rows below K (rows that take activations)
  output logic              first_kb_o, last_kb_o
);
  edgecim_pkg::seg_kind_e kind_q, kind_d, first_nb_seg;
  logic [NbBits-1:0] nb_q, nb_d;
  logic [KbBits-1:0] kb_q, kb_d;
  logic [31:0]       w_off_q, w_off_d;   // byte offset of the current W block
  logic [15:0]       krem;               // Kp - 128*kb
  logic [23:0]       nrem;               // N - 32*nb
  logic [5:0]        ycnt;               // outputs of this output block (1..32)
  logic [15:0]       ylen;               // chunks of old y / bias: two outputs per chunk

  assign krem = kp_i - 16'({kb_q, 7'd0});
  assign nrem = n_i - {nb_q, 5'd0};
  assign ycnt = (nrem > 24'd32) ? 6'd32 : nrem[5:0];
  assign rows_o  = (krem > 16'd128) ? 8'd128 : krem[7:0];
  assign krows_o = ((k_i - 16'({kb_q, 7'd0})) > 16'd128) ? 8'd128 : 8'(k_i - 16'({kb_q, 7'd0}));
  assign first_kb_o = (kb_q == '0);
  assign last_kb_o  = ({1'b0, kb_q} == kbn_i - 1'b1);
  assign ylen = (16'(ycnt) + 16'd1) >> 1;
  assign first_nb_seg = accum_i ? edgecim_pkg::SegKindYi : (bias_i ? edgecim_pkg::SegKindBi : edgecim_pkg::SegKindW);

  always_comb begin
    active_o = (kind_q != edgecim_pkg::SegKindEnd);
    kind_o   = kind_q;
    nb_o     = nb_q;
    kb_o     = kb_q;
    addr_o   = '0;
    len_o    = '0;
    unique case (kind_q)
      edgecim_pkg::SegKindXq: begin
        addr_o = x_addr_i;
        len_o  = kp_i >> 4;
      end
      edgecim_pkg::SegKindXs: begin
        addr_o = x_addr_i + 32'(kp_i);
        len_o  = (kp_i + 16'd255) >> 8;
      end
      edgecim_pkg::SegKindYi: begin
        addr_o = y_addr_i + 32'({nb_q, 8'd0});
        len_o  = ylen;
      end
      edgecim_pkg::SegKindBi: begin
        addr_o = b_addr_i + 32'({nb_q, 8'd0});
        len_o  = ylen;
      end
      edgecim_pkg::SegKindW: begin
        addr_o = w_addr_i + w_off_q;
        len_o  = res_use_i ? 16'd0 : 16'(rows_o) + (16'(rows_o) >> 3);
      end
      default: ;
    endcase
  end

  always_comb begin
    kind_d  = kind_q;
    nb_d    = nb_q;
    kb_d    = kb_q;
    w_off_d = w_off_q;
    if (start_i) begin
      kind_d  = edgecim_pkg::SegKindXq;
      nb_d    = '0;
      kb_d    = '0;
      w_off_d = '0;
    end else if (advance_i) begin
      unique case (kind_q)
        edgecim_pkg::SegKindXq: kind_d = edgecim_pkg::SegKindXs;
        edgecim_pkg::SegKindXs: kind_d = first_nb_seg;
        edgecim_pkg::SegKindYi: kind_d = bias_i ? edgecim_pkg::SegKindBi : edgecim_pkg::SegKindW;
        edgecim_pkg::SegKindBi: kind_d = edgecim_pkg::SegKindW;
        edgecim_pkg::SegKindW: begin
          w_off_d = w_off_q + 32'(len_o) * 32'd16;
          if (!last_kb_o) begin
            kb_d = kb_q + 1'b1;
          end else begin
            kb_d = '0;
            nb_d = nb_q + 1'b1;
            kind_d = (nb_q + 1'b1 == nbn_i) ? edgecim_pkg::SegKindEnd : first_nb_seg;
          end
        end
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      kind_q  <= edgecim_pkg::SegKindEnd;
      nb_q    <= '0;
      kb_q    <= '0;
      w_off_q <= '0;
    end else begin
      kind_q  <= kind_d;
      nb_q    <= nb_d;
      kb_q    <= kb_d;
      w_off_q <= w_off_d;
    end
  end
endmodule
