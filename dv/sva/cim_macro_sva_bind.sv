// SPDX-License-Identifier: Apache-2.0
// Binds cim_macro_sva into every cim_macro (simulation only; the macro co-simulation and the top's).
bind cim_macro cim_macro_sva #(.ABits(ABits), .NBits(NSums * OutBits), .NScBits(NSums * 16)) u_sva (
  .clk_i, .rst_ni, .w_ready_o, .a_valid_i, .a_ready_o, .first_plane, .a_swap_i, .swap_fire, .w_fire, .active_q, .plane_q, .r_valid_o,
  .r_ready_i, .r_data_o, .r_scale_o, .stall, .idle_o);
