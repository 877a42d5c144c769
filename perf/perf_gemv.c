/* SPDX-License-Identifier: Apache-2.0 */
/* Analytic GEMV timing of an EdgeCIM build: every equation of the performance model's GEMV
 * time, calibrated against the cycle-exact C model by `make calibrate` (docs/PERF_MODEL.md).
 *
 * A command streams, in DRAM order, the activations (and scales) of its vectors, then per
 * output block [old y][bias] and its weight blocks; the router moves one port beat per cycle
 * into the tiles; output block nb belongs to tile nb mod NTiles; a tile computes one weight
 * block per B x max(ABits, MacroCols / PpuCols) cycles (one operation per vector: ABits
 * bit-planes, then the post-processor's MacroCols / PpuCols column groups, pipelined); the
 * writer writes each output block's y, one DRAM request per vector, one request at a time.
 *
 *   total = lead + body + tail
 *   lead  = START + latency + activation beats x cycles per read beat
 *   body  = max(DRAM: the other read beats x cycles per read beat + write beats x cycles per
 *                     beat + one block's compute,
 *               router: read beats (+ the bank handoff per block with one streaming macro),
 *               compute: the busiest tile, with the in-order router's head-of-line blocking,
 *               writer: its chain of requests, perf_gemv_writer.c)
 *   tail  = PPU_DRAIN + MacroCols / PpuCols + batch x (latency + beats + WRITE_GAP)
 * Reads are latency-bound when too few beats can be in flight (Little's law): the DMA's read
 * FIFO (credits) and the DRAM's request queue bound them. */
#include "perf_gemv.h"

#include "perf_gemv_int.h"

#include <math.h>
#include <stdio.h>

/* Calibrated constants (make calibrate: cycle-exact C model). */
#define START_CYCLES 4.0     /* push, queue, start, first request */
#define READ_PIPE 4.0        /* cycles a read beat spends beyond the DRAM latency (request, FIFO) */
#define HANDOFF_CYCLES 3.0   /* router wait per block for the bank swap, one streaming macro */
#define AHEAD_BLOCKS 1.75    /* blocks a tile takes ahead: 2 entries, the older leaves at its last vector */

static double dmax(double a, double b) { return a > b ? a : b; }

double perf_block_cycles(const ecim_hw_t *hw) {
  return dmax((double)hw->abits, (double)hw->macro_cols / hw->ppu_cols);
}

int perf_gemv_check(const ecim_hw_t *hw, const perf_cmd_t *c, char *err, size_t errlen) {
  const char *why = NULL;
  if (c->k < 1 || c->k > ECIM_MAX_K || c->k > hw->act_bytes) why = "K out of range";
  else if (c->n < 1 || c->n > ECIM_MAX_N) why = "N out of range";
  else if (!(c->wbits == 2 || c->wbits == 4 || c->wbits == 8) || c->wbits > hw->max_wbits) why = "precision not supported";
  else if (c->batch < 1 || c->batch > hw->max_batch ||
           (uint64_t)c->batch * ecim_kpad((uint64_t)c->k) > (uint64_t)hw->act_bytes) why = "batch does not fit";
  else if (c->resident && ecim_tile_blocks((uint64_t)c->k, (uint64_t)c->n, (uint64_t)hw->macro_rows,
                                           (uint64_t)hw->macro_cols, (uint64_t)hw->ntiles) > (uint64_t)hw->nres)
    why = "resident blocks beyond NRes";
  if (why && err) snprintf(err, errlen, "GEMV %dx%d W%d B%d: %s", c->k, c->n, c->wbits, c->batch, why);
  return why ? -1 : 0;
}

/* Bytes of the command's DRAM stream (the generated layout formulas of include/edgecim_hw.h). */
static void traffic(const ecim_hw_t *hw, const perf_cmd_t *c, perf_gemv_t *o) {
  uint64_t k = (uint64_t)c->k, n = (uint64_t)c->n, b = (uint64_t)c->batch;
  uint64_t rows = (uint64_t)hw->macro_rows, cols = (uint64_t)hw->macro_cols, nnb = ecim_n_nb(n, cols);
  uint64_t wb = (uint64_t)c->wbits;
  o->w_bytes = c->resident ? 0
               : c->full_blk ? (double)(nnb * ecim_full_colblock_bytes(k, rows, cols, wb))
                             : (double)ecim_w_bytes(k, n, rows, cols, wb);
  o->x_bytes = (double)ecim_x_bytes(k, b);
  o->y_bytes = (double)ecim_y_bytes(n, cols, b);
  o->yi_bytes = c->accum ? o->y_bytes : 0;
  o->b_bytes = c->bias ? (double)nnb * (double)(cols * 8) : 0;
  o->read_bytes = o->w_bytes + o->x_bytes + o->yi_bytes + o->b_bytes;
  o->blocks = (double)(nnb * ecim_n_kb(k, rows));
  o->tile_blocks = (double)ecim_tile_blocks(k, n, rows, cols, (uint64_t)hw->ntiles);
}

/* Cycles per port beat of the DRAM: its bandwidth, its random stalls. */
double perf_cycles_per_beat(const ecim_hw_t *hw, const perf_dram_t *d) {
  double bw = dmax(d->bytes_per_cycle, (double)hw->data_bytes / 1e6);
  return dmax((double)hw->data_bytes / bw, 1.0) / (1.0 - d->stall_pct / 100.0);
}

/* The mean read burst of the weight stream (bursts do not cross a block). */
static double weight_burst(const ecim_hw_t *hw, const perf_cmd_t *c) {
  uint64_t rows = (uint64_t)hw->macro_rows, cols = (uint64_t)hw->macro_cols, db = (uint64_t)hw->data_bytes;
  double blk_beats = (double)(ecim_block_bytes(rows, cols, (uint64_t)c->wbits) / db);
  return blk_beats / ceil(blk_beats / hw->max_burst);
}

/* Cycles per read beat: the DRAM's rate, or Little's law on the beats that can be in flight
 * (the read FIFO's credits, the DRAM's queue of bursts). */
double perf_cycles_per_read_beat(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c) {
  double burst = weight_burst(hw, c), cpb = perf_cycles_per_beat(hw, d);
  /* a DRAM queue slot is held from the request to its last beat; a FIFO credit from the
   * request until the beat arrives (the router pops it at once while the DRAM is the limit) */
  double queue = (d->latency + READ_PIPE + burst * cpb) / (d->queue_depth * burst);
  double fifo = (d->latency + READ_PIPE) / (hw->fifo_beats - burst / 2);
  return dmax(cpb, dmax(queue, fifo));
}

/* The busiest tile's compute with the in-order router: output blocks go round-robin to the
 * tiles, a tile takes at most `ahead` blocks beyond the one it computes, so a tile whose output
 * block has more K blocks than that holds the router (and the other tiles) until it catches
 * up. Per round of t tiles: max(one tile's blocks, t x the blocks it cannot buffer). */
static double compute_cycles(const ecim_hw_t *hw, const perf_cmd_t *c, double blk) {
  double nkb = (double)ecim_n_kb((uint64_t)c->k, (uint64_t)hw->macro_rows);
  double nnb = (double)ecim_n_nb((uint64_t)c->n, (uint64_t)hw->macro_cols), t = hw->ntiles;
  /* two entries; when the post-processor is the slower stage, the operation queue's ops too */
  double ahead = hw->nmacros > 1 ? AHEAD_BLOCKS : 1.0;
  if (hw->macro_cols / hw->ppu_cols > hw->abits)
    ahead += fmin(OPQ_DEPTH, hw->nmacros) / c->batch;
  double rounds = floor(nnb / t), rest = nnb - rounds * t;
  double full = dmax(nkb, t * dmax(nkb - ahead, 0)) * blk;
  double part = rest > 0 ? dmax(nkb, rest * dmax(nkb - ahead, 0)) * blk : 0;
  return rounds * full + part;
}

void perf_gemv_timing(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c, perf_gemv_t *o) {
  traffic(hw, c, o);
  const double db = hw->data_bytes, cols = hw->macro_cols, b = c->batch;
  const double nnb = (double)ecim_n_nb((uint64_t)c->n, (uint64_t)hw->macro_cols);
  const double cpb = perf_cycles_per_beat(hw, d), cpr = perf_cycles_per_read_beat(hw, d, c);
  const double blk = b * perf_block_cycles(hw); /* one weight block, all vectors */
  const double last_cols = c->n - (nnb - 1) * cols;
  const double wbeats = ceil(cols * 8 / db), last_wbeats = ceil(last_cols * 8 / db);
  const double write_beats = b * ((nnb - 1) * wbeats + last_wbeats);
  const double x_beats = o->x_bytes / db, rest_beats = (o->read_bytes - o->x_bytes) / db;
  const double handoff = hw->nmacros == 1 && !c->resident ? o->blocks * HANDOFF_CYCLES : 0;
  o->dram_cycles = rest_beats * cpr + (write_beats - b * last_wbeats) * cpb + blk;
  o->compute_cycles = compute_cycles(hw, c, blk);
  const double router = rest_beats + handoff + blk;
  o->body_cycles = dmax(dmax(o->dram_cycles, router), o->compute_cycles);
  o->bound = o->body_cycles == o->compute_cycles ? "compute" : "DRAM";
  o->start_cycles = START_CYCLES + d->latency + x_beats * cpr;
  o->drain_cycles = PPU_DRAIN + cols / hw->ppu_cols + b * (perf_dram_write_latency(d) + last_wbeats * cpb + WRITE_GAP);
  o->total_cycles = o->start_cycles + o->body_cycles + o->drain_cycles;
  /* the writer's chain of requests (perf_gemv_writer.c) when it ends later */
  const double reads_end = o->start_cycles + dmax(dmax(rest_beats * cpr, router), o->compute_cycles);
  o->write_cycles = perf_gemv_writer(hw, d, c, o, reads_end) - o->start_cycles - o->drain_cycles;
  if (o->write_cycles > o->body_cycles) {
    o->body_cycles = o->write_cycles;
    o->bound = "writes";
    o->total_cycles = o->start_cycles + o->body_cycles + o->drain_cycles;
  }
}

double perf_gemv_cycles(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c) {
  perf_gemv_t t;
  perf_gemv_timing(hw, d, c, &t);
  return t.total_cycles;
}
