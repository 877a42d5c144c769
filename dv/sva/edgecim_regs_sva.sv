// SPDX-License-Identifier: Apache-2.0
// Assertions inside edgecim_regs (bound in by dv/sva/edgecim_sva_bind.sv; simulation only).
module edgecim_regs_sva #(
  parameter int unsigned QueueDepth = 4,
  localparam int unsigned QAw       = $clog2(QueueDepth)
) (
  input logic                    clk_i,
  input logic                    rst_ni,
  input logic                    push,
  input logic [3:0]              push_err,
  input logic                    q_push,
  input logic                    q_pop,
  input logic [QAw:0]            q_count_q,
  input logic                    cmd_valid_o,
  input logic                    cmd_ready_i,
  input edgecim_pkg::gemv_desc_t cmd_desc_o,
  input logic                    err_q,
  input logic [3:0]              err_code_q,
  input logic                    wr,
  input logic [7:0]              mmio_addr_i,
  input logic [31:0]             mmio_wdata_i
);
  logic clear;
  assign clear = wr && mmio_addr_i == edgecim_reg_pkg::REG_CTRL &&
                 mmio_wdata_i[edgecim_reg_pkg::CTRL_CLEAR_ERR_LSB];

  // The command queue never over- or underflows, and a refused descriptor is never queued.
  a_q_count: assert property (@(posedge clk_i) disable iff (!rst_ni) 32'(q_count_q) <= QueueDepth)
    else $error("edgecim_regs: command queue count beyond its depth");
  a_q_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni) q_push |-> 32'(q_count_q) < QueueDepth)
    else $error("edgecim_regs: command queued into a full queue");
  a_q_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni) q_pop |-> q_count_q != '0)
    else $error("edgecim_regs: command taken from an empty queue");
  a_refused_not_queued: assert property (@(posedge clk_i) disable iff (!rst_ni)
      push && push_err != edgecim_reg_pkg::ERR_NONE |-> !q_push)
    else $error("edgecim_regs: a refused descriptor was queued");
  a_push_queued: assert property (@(posedge clk_i) disable iff (!rst_ni)
      push && push_err == edgecim_reg_pkg::ERR_NONE |-> q_push)
    else $error("edgecim_regs: an accepted descriptor was not queued");
  // The wide descriptor is checked by an immediate assertion in a clocked block against a registered
  // copy (the same meaning as `valid && !ready |=> valid && $stable(data)`): Verilator 5.006
  // generates uncompilable code for the sampled copies that concurrent assertions make of very
  // wide signals (its issue 4824).
  edgecim_pkg::gemv_desc_t desc_prev_q;
  logic                    desc_hold_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      desc_hold_q <= 1'b0;
    end else begin
      if (desc_hold_q) begin
        a_cmd_stable: assert (cmd_valid_o && cmd_desc_o == desc_prev_q)
          else $error("edgecim_regs: queued command changed or withdrawn before the sequencer took it");
      end
      desc_hold_q <= cmd_valid_o && !cmd_ready_i;
      desc_prev_q <= cmd_desc_o;
    end
  end

  // The queue head offered to the sequencer stays until taken.
  // STATUS.ERROR is set exactly while ERR_CODE holds a code; the first code is kept until CLEAR_ERR.
  a_err_code: assert property (@(posedge clk_i) disable iff (!rst_ni)
      err_q == (err_code_q != edgecim_reg_pkg::ERR_NONE))
    else $error("edgecim_regs: STATUS.ERROR and ERR_CODE disagree");
  a_err_kept: assert property (@(posedge clk_i) disable iff (!rst_ni)
      err_q && !clear |=> err_q && $stable(err_code_q))
    else $error("edgecim_regs: an error code was replaced or lost without CLEAR_ERR");
endmodule
