/* SPDX-License-Identifier: Apache-2.0 */
/* Analytic timing of one GEMV command on an EdgeCIM build (ecim_hw_t, include/edgecim_hw.h)
 * behind a DRAM: every timing equation of the performance model is in perf/perf_gemv.c, and
 * `make calibrate` checks them against the cycle-exact C model (docs/PERF_MODEL.md). */
#ifndef PERF_GEMV_H
#define PERF_GEMV_H

#include <stddef.h>

#include "edgecim_hw.h"

/* The DRAM at the accelerator's clock (the cmodel/dram_model.h parameters). */
typedef struct {
  double bytes_per_cycle; /* bandwidth, at most the port (DataBytes) */
  double latency;         /* cycles from a request to its first beat */
  double stall_pct;       /* percent of cycles that move no beat (refresh, conflicts) */
  int queue_depth;        /* requests the DRAM queues (8 in the models) */
  int posted_writes;      /* 1: a write's first beat skips the latency (dram_cfg_t.posted_writes) */
} perf_dram_t;

/* Cycles from a write request to its first beat: the latency, or 1 when writes are posted. */
static inline double perf_dram_write_latency(const perf_dram_t *d) { return d->posted_writes ? 1.0 : d->latency; }

/* One command (CMD_FLAGS): y[b] = W x[b] (+ bias) (+ old y[b]) for b < batch. */
typedef struct {
  int k, n, wbits, batch; /* wbits 2, 4 or 8 */
  int bias, accum;
  int resident;           /* RES_USE: the weights are in the resident macros, none streamed */
  int full_blk;           /* FULL_BLK: every weight block MacroRows rows (the V cache: rows past K masked) */
} perf_cmd_t;

typedef struct {
  /* DRAM traffic (bytes, from the generated layout formulas) */
  double w_bytes, x_bytes, y_bytes, yi_bytes, b_bytes, read_bytes;
  double blocks, tile_blocks;  /* weight blocks of the command, of the busiest tile */
  /* steady-state cycles of each resource for the whole command; the slowest one sets the pace */
  double dram_cycles;          /* read beats at the effective read rate, plus the write beats */
  double compute_cycles;       /* busiest tile: blocks x batch x max(ABits, MacroCols / PpuCols) */
  double write_cycles;         /* the writer: one serialized request per output block and vector */
  double body_cycles;          /* max of the three */
  double start_cycles, drain_cycles;
  double total_cycles;
  const char *bound;           /* "DRAM", "compute" or "writes" */
} perf_gemv_t;

/* 0, or -1 with a message if the command is not one hw runs (the descriptor checks). */
int perf_gemv_check(const ecim_hw_t *hw, const perf_cmd_t *cmd, char *err, size_t errlen);

/* Cycles of cmd on hw (cmd must pass perf_gemv_check). */
void perf_gemv_timing(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cmd_t *cmd, perf_gemv_t *out);
double perf_gemv_cycles(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cmd_t *cmd);

/* Macro cycles of one weight block per activation vector (docs/ARCHITECTURE.md, Timing). */
double perf_block_cycles(const ecim_hw_t *hw);

#endif
