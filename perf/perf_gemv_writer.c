/* SPDX-License-Identifier: Apache-2.0 */
/* The writer of a GEMV (tile_sequencer's y writer): one request per output block and vector,
 * one at a time, in the DRAM's single in-order queue with the reads. Commands with many small
 * output blocks (the attention scores q.K: N = ctx, K = head_dim) are bound by it. Three phases,
 * read off the cycle-exact C model:
 *   1. the reads stream freely and keep the DRAM queue full: each write waits behind the reads
 *      queued before it (`qc` per write);
 *   2. if the reads run `cap` output blocks ahead of the writer, the tiles' accumulator halves,
 *      banks and the read FIFO are full: the reads of a block are requested only when a tile
 *      frees a half, and each block costs its writes at latency (`lc`) plus the part of its
 *      reads that lands ahead of a write (`extra`);
 *   3. once the reads have ended, the remaining writes cost `lc` each. */
#include <math.h>

#include "perf_gemv_int.h"

static double dmax(double a, double b) { return a > b ? a : b; }

/* Read beats queued ahead of a write that enters a full DRAM queue: the queue's bursts of the
 * weight stream minus the head that just left (length-biased: a long burst frees the slot
 * more often), at most what the read FIFO's credits allow. With posted writes the write waits
 * only for a slot, the rest of the head burst (half a length-biased burst), when the queue is
 * full. */
static double reads_ahead(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c) {
  uint64_t kp = ((uint64_t)c->k + 31) / 32 * 32, rows = c->full_blk || kp > (uint64_t)hw->macro_rows ? (uint64_t)hw->macro_rows : kp;
  double bytes = (double)ecim_block_bytes(rows, (uint64_t)hw->macro_cols, (uint64_t)c->wbits);
  double beats = bytes / hw->data_bytes, mb = hw->max_burst;
  double full = floor(beats / mb), rest = beats - full * mb, n = full + (rest > 0);
  double mean = beats / n, biased = (full * mb * mb + rest * rest) / beats;
  double queued = fmin(d->queue_depth * mean, hw->fifo_beats - mean / 2);
  if (d->posted_writes) return queued > biased ? biased / 2 : 0;
  return dmax(0, queued - biased);
}

double perf_gemv_writer(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c, const perf_gemv_t *o,
                        double reads_end) {
  const double db = hw->data_bytes, cols = hw->macro_cols, b = c->batch, lat = perf_dram_write_latency(d);
  const double nnb = (double)ecim_n_nb((uint64_t)c->n, (uint64_t)hw->macro_cols), nw = nnb * b;
  const double cpb = perf_cycles_per_beat(hw, d), cpr = perf_cycles_per_read_beat(hw, d, c);
  const double vec = perf_block_cycles(hw), wbeats = ceil(cols * 8 / db);
  /* a write alone: its latency, then its beats (the token bucket holds two) */
  const double wt = 1 + dmax(wbeats - 1, (wbeats - 2) * cpb), lc = lat + wt;
  const double qc = (reads_ahead(hw, d, c) + wbeats) * cpb + 1;
  /* read cycles per output block; the first output block's y ready */
  const double rbc = (o->read_bytes - o->x_bytes) / db / nnb * cpr;
  const double ts = o->start_cycles, t0 = ts + rbc + b * (2 * vec - 1) + PPU_DRAIN + cols / hw->ppu_cols - 3;
  /* output blocks the reads can run ahead of the writer: the read FIFO, per tile its two
   * accumulator halves, its banks but the computing one, its queued operations (one per vector
   * and K block: OPQ_DEPTH / (batch x K blocks) output blocks; a batch-1 q.K with one K block
   * queues 4, the whole queue, which the C model shows: 29 blocks ahead on edge68, not 23) */
  const double nkb = (double)ecim_n_kb((uint64_t)c->k, (uint64_t)hw->macro_rows);
  const double cap = hw->fifo_beats * db / (o->read_bytes - o->x_bytes) * nnb +
                     hw->ntiles * (2 + hw->nmacros - 1 + OPQ_DEPTH / (b * nkb));
  const double rate = 1 / rbc - 1 / (b * qc); /* output blocks per cycle the reads gain */
  const double t_bp = rate > 0 ? (cap + ts / rbc - t0 / (b * qc)) / rate : INFINITY;
  if (reads_end <= t_bp) { /* phases 1 and 3 (continuous in every parameter: no jumps in a sweep) */
    /* a write per qc, or per output y as the reads deliver them; the drain writes the last block */
    /* the write under way when the reads end ends with them (a ramp over one write: continuous) */
    const double during = dmax(reads_end - t0, 0);
    const double n1 = during / dmax(qc, rbc / b) + fmin(1, during / lc);
    return reads_end + o->drain_cycles + dmax(0, nw - b - n1) * lc;
  }
  /* phase 2: a tile's freed half lets the next block's reads be requested after its compute;
   * they delay the first write requested after them */
  const double delta = b * vec + 1, k = ceil((delta - 1) / lc);
  const double extra = dmax(0, delta + rbc - (1 + k * lc));
  const double read1 = (t_bp - ts) / rbc;
  return t_bp + (nnb - read1) * (b * lc + extra) + cap * b * lc;
}
