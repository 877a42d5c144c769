// SPDX-License-Identifier: Apache-2.0
// Assertions inside cim_macro (bound in by dv/sva/edgecim_sva_bind.sv; simulation only).
module cim_macro_sva #(
  parameter int unsigned ABits   = 8,
  parameter int unsigned NBits   = 1,    // r_data_o bits
  parameter int unsigned NScBits = 16,   // r_scale_o bits
  localparam int unsigned PlaneAw = (ABits > 1) ? $clog2(ABits) : 1
) (
  input logic               clk_i,
  input logic               rst_ni,
  input logic               w_ready_o,
  input logic               a_valid_i,
  input logic               a_ready_o,
  input logic               first_plane,
  input logic               a_swap_i,
  input logic               swap_fire,
  input logic               w_fire,
  input logic               active_q,
  input logic [PlaneAw-1:0] plane_q,
  input logic               r_valid_o,
  input logic               r_ready_i,
  input logic [NBits-1:0]   r_data_o,
  input logic [NScBits-1:0] r_scale_o,
  input logic               stall,
  input logic               idle_o
);
  // Wide payloads are checked by an immediate assertion in a clocked block against a registered
  // copy (the same meaning as `valid && !ready |=> valid && $stable(data)`): Verilator 5.006
  // generates uncompilable code for the sampled copies that concurrent assertions make of very
  // wide signals (its issue 4824).
  logic [NBits-1:0]   r_data_prev_q;
  logic [NScBits-1:0] r_scale_prev_q;
  logic               r_hold_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r_hold_q <= 1'b0;
    end else begin
      if (r_hold_q) begin
        a_r_stable: assert (r_valid_o && r_data_o == r_data_prev_q && r_scale_o == r_scale_prev_q)
          else $error("cim_macro: result changed or withdrawn before it was taken");
      end
      r_hold_q       <= r_valid_o && !r_ready_i;
      r_data_prev_q  <= r_data_o;
      r_scale_prev_q <= r_scale_o;
    end
  end

  // No write lands in the cycle the banks swap (it would hit the bank becoming active).
  a_no_write_on_swap: assert property (@(posedge clk_i) disable iff (!rst_ni) swap_fire |-> !w_ready_o && !w_fire)
    else $error("cim_macro: write accepted in a swap cycle");
  a_write_ready: assert property (@(posedge clk_i) disable iff (!rst_ni) !swap_fire |-> w_ready_o)
    else $error("cim_macro: write port not ready outside a swap");
  // The active bank changes only by an accepted swap.
  a_bank_swap: assert property (@(posedge clk_i) disable iff (!rst_ni) !swap_fire |=> $stable(active_q))
    else $error("cim_macro: active bank changed without a swap");
  a_swap_first: assert property (@(posedge clk_i) disable iff (!rst_ni)
      swap_fire |-> a_valid_i && a_ready_o && first_plane && a_swap_i)
    else $error("cim_macro: swap not on an accepted first plane");
  // Results (their stability: above).
  a_stall_only_full: assert property (@(posedge clk_i) disable iff (!rst_ni) stall |-> r_valid_o && !r_ready_i)
    else $error("cim_macro: stalled with room for the result");
  a_idle: assert property (@(posedge clk_i) disable iff (!rst_ni) idle_o |-> !r_valid_o && plane_q == '0)
    else $error("cim_macro: idle with an operation in flight");
endmodule
