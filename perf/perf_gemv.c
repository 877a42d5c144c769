/* SPDX-License-Identifier: Apache-2.0 */
/* GEMV timing model of one tile-sequencer command. The calibration point against the RTL.
 *
 * Hardware picture (DEVELOPERS.md, NUMERICS.md): the packed matrix streams from DRAM block by
 * block (rows x cols weights + their FP16 scales) into the shadow bank of a macro, one
 * write_bytes_per_cycle row per cycle, while the active banks compute; a block computes in
 * abits cycles (bit-serial INT8 activations). Blocks are spread over all tiles*macros macros.
 *
 *   stream  = weight_bytes / min(dram_bytes_per_cycle, macros * write_bytes_per_cycle)
 *   compute = ceil(blocks / macros) * abits * batch
 *   body    = max(stream, compute)                      (double buffering overlaps them)
 *   io      = (x_bytes + y_bytes) / dram_bytes_per_cycle
 *   fill    = dram_latency + one block's load (streamed) + abits
 *   total   = gemv_cmd_cycles + fill_extra_cycles + fill + io + body
 * Resident weights skip the stream and its block-load fill. A batch of B vectors (prefill) is
 * split into sub-batches whose inputs fit in the tile's input buffer; each sub-batch streams the
 * weights once. An input vector larger than the buffer is re-fetched for every wave of column
 * blocks (decode of very wide K on a tiny buffer). */
#include "perf_gemv.h"

#include <math.h>

static double round_up(double v, double m) { return ceil(v / m) * m; }

double perf_bank_bytes(const perf_hw_t *hw, int wbits) {
  return hw->rows * hw->cols * wbits / 8.0 + (hw->rows / hw->group_rows) * hw->cols * 2.0;
}

double perf_packed_bytes(const perf_hw_t *hw, int K, int N, int wbits) {
  double kp = round_up(K, 32), np = round_up(N, hw->cols);
  double row_bytes = hw->cols * wbits / 8.0;
  /* per column block: Kp rows of weights + Kp/group_rows scale rows of cols FP16 */
  return (np / hw->cols) * (kp * row_bytes + (kp / hw->group_rows) * hw->cols * 2.0);
}

void perf_gemv_timing(const perf_hw_t *hw, int K, int N, int wbits, int resident, int batch,
                      perf_gemv_t *o) {
  const double macros = perf_hw_macros(hw);
  const double dram_bpc = perf_hw_dram_bytes_per_cycle(hw);
  const double kp = round_up(K, 32), np = round_up(N, hw->cols);
  const double col_blocks = np / hw->cols, row_blocks = ceil(kp / hw->rows);
  const double x_one = kp * 1.0625; /* Kp INT8 + Kp/32 FP16 scales */
  const double xbuf = hw->xbuf_kb * 1024.0;
  if (batch < 1) batch = 1;

  o->kp = kp;
  o->np = np;
  o->blocks = col_blocks * row_blocks;
  o->weight_bytes = perf_packed_bytes(hw, K, N, wbits);
  o->macs = np * kp * batch;
  o->terms = np * kp / hw->group_rows * batch;

  /* Sub-batches whose input vectors fit in the buffer; an x that does not fit at all is
   * re-read once per wave of column blocks. */
  double per_pass = floor(xbuf / x_one), x_refetch = 1;
  if (per_pass < 1) {
    per_pass = 1;
    x_refetch = ceil(col_blocks / macros);
  }
  if (per_pass > batch) per_pass = batch;
  o->passes = ceil(batch / per_pass);
  o->x_bytes = x_one * x_refetch * batch;
  o->y_bytes = 8.0 * N * batch;

  const double block_bytes = perf_bank_bytes(hw, wbits);
  const double dram_lat = hw->dram_latency_ns * hw->clock_mhz * 1e-3;
  /* Calibrated against the RTL (make calibrate, docs/PERF_MODEL.md "Calibration"):
   * - reads are latency-bound when too few bytes can be in flight (Little's law; the request /
   *   response pipeline adds 8 cycles to the DRAM latency);
   * - with one streaming macro per tile the router waits block_handoff_cycles per block for the
   *   macro's bank swap: a bubble only when the DRAM is as fast as the router. */
  const double dram_eff = fmin(dram_bpc, hw->dram_inflight_bytes / (dram_lat + 8.0));
  double router_bpc = macros * hw->write_bytes_per_cycle;
  if (hw->macros_per_tile <= 1) {
    double chunks = block_bytes / hw->write_bytes_per_cycle;
    router_bpc = hw->write_bytes_per_cycle * chunks / (chunks + hw->block_handoff_cycles);
  }
  const double wr_bpc = fmin(dram_eff, router_bpc);
  const double stream_one = resident ? 0 : o->weight_bytes / wr_bpc;
  const double waves = ceil(o->blocks / macros);
  o->stream_cycles = stream_one * o->passes;
  o->compute_cycles = waves * hw->abits * batch;
  /* full passes of per_pass vectors plus the remainder pass */
  double full = floor(batch / per_pass), rest = batch - full * per_pass;
  o->body_cycles = full * fmax(stream_one, waves * hw->abits * per_pass);
  if (rest > 0) o->body_cycles += fmax(stream_one, waves * hw->abits * rest);
  o->dram_bound = o->stream_cycles >= o->compute_cycles;

  o->io_cycles = (o->x_bytes + o->y_bytes) / dram_eff;
  const double fill_block = resident ? 0 : fmin(block_bytes, o->weight_bytes) /
                                               fmin(dram_bpc, hw->write_bytes_per_cycle);
  const double fill = dram_lat + fill_block + hw->abits + hw->fill_extra_cycles;
  o->overhead_cycles = (hw->gemv_cmd_cycles + fill) * o->passes;
  o->total_cycles = o->overhead_cycles + o->io_cycles + o->body_cycles;
}

double perf_gemv_cycles(const perf_hw_t *hw, int K, int N, int resident) {
  perf_gemv_t t;
  perf_gemv_timing(hw, K, N, hw->wbits > 0 ? (int)hw->wbits : 4, resident, 1, &t);
  return t.total_cycles;
}
