// SPDX-License-Identifier: Apache-2.0
// The scalars of the reductions (SCALAR slots, cmodel/ecim_vu_exec.c scalar()): the lanes fold
// their accumulators into lane 0 in the slot's first log2(VecLanes) cycles (vu_lanes); in the
// slot's last cycle this unit turns the total into the scalar the next pass uses:
//   NORM:    r_norm = rsqrt(total * P1 + P0)   (P1 = 1/LEN, P0 = eps)
//   SOFTMAX: m_max = the maximum (pass 0), inv_sum = recip(the sum) (pass 1).
module vu_scalar (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  vu_pkg::slot_t slot_i,
  input  logic          exec_i,      // the unit runs slot_i (and it is enabled)
  input  logic [15:0]   cyc_i,
  input  logic [31:0]   acc0_i,      // lane 0's accumulator: the total once the tree is done
  input  logic [31:0]   p0_i,
  input  logic [31:0]   p1_i,
  output logic [31:0]   r_norm_o,
  output logic [31:0]   m_max_o,
  output logic [31:0]   inv_sum_o
);
  logic [31:0] scaled, sum, rsqrt, recip;
  logic        last;
  assign last = exec_i && slot_i.kind == vu_pkg::SlotScalar && cyc_i == 16'(edgecim_pkg::VuPipe - 1);

  vf_mul   u_mul   (.a_i (acc0_i), .b_i (p1_i), .y_o (scaled));
  vf_add   u_add   (.a_i (scaled), .b_i (p0_i), .y_o (sum));
  vf_rsqrt u_rsqrt (.x_i (sum), .y_o (rsqrt));
  vf_recip u_recip (.x_i (acc0_i), .y_o (recip));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r_norm_o  <= '0;
      m_max_o   <= '0;
      inv_sum_o <= '0;
    end else if (last) begin
      case (slot_i.compute)
        vu_pkg::CompRsqrt: r_norm_o <= rsqrt;
        vu_pkg::CompMax:   m_max_o <= acc0_i;
        default:           inv_sum_o <= recip;
      endcase
    end
  end
endmodule
