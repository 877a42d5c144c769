/* SPDX-License-Identifier: Apache-2.0 */
/* GEMV timing of the tile sequencer. All timing equations live in perf/perf_gemv.c so that the
 * lead can calibrate them against the RTL sequencer in one place (docs/PERF_MODEL.md). */
#ifndef PERF_GEMV_H
#define PERF_GEMV_H

#include "perf_hw.h"

typedef struct {
  /* geometry */
  double kp, np;          /* K, N rounded up to 32 */
  double blocks;          /* (Np/cols) * ceil(Kp/rows) */
  double weight_bytes;    /* packed bytes (NUMERICS.md layout; 18 B per 32 INT4 weights) */
  double x_bytes, y_bytes;/* DRAM traffic of the input vector(s) and Q39.24 outputs */
  double macs;            /* Np*Kp*batch MACs executed by the macros */
  double terms;           /* post-processing group terms: Np*Kp/group_rows*batch */
  double passes;          /* times the weights are streamed (sub-batches of a batched GEMV) */
  /* cycles; total = overhead + io + body */
  double stream_cycles;   /* weight stream (0 if resident) */
  double compute_cycles;  /* bit-serial compute of all blocks */
  double body_cycles;     /* max(stream, compute), summed over passes */
  double io_cycles;       /* x load + y write-back */
  double overhead_cycles; /* command + pipeline fill (DRAM latency + one block) */
  double total_cycles;
  int dram_bound;         /* stream_cycles >= compute_cycles */
} perf_gemv_t;

/* Cycles of one GEMV y[N] = W[N][K] x[K] (batch 1) on the hardware; resident = weights already
 * in the macros' resident banks (no weight stream). wbits from hw (0 means 4). */
double perf_gemv_cycles(const perf_hw_t *hw, int K, int N, int resident);

/* The full breakdown for `batch` input vectors sharing one weight stream (prefill) and an
 * explicit weight width. perf_gemv_cycles() is this with batch 1. */
void perf_gemv_timing(const perf_hw_t *hw, int K, int N, int wbits, int resident, int batch,
                      perf_gemv_t *out);

/* Packed bytes of W[N][K] at wbits on this macro shape (scale rows per group of 32 outputs). */
double perf_packed_bytes(const perf_hw_t *hw, int K, int N, int wbits);
/* Bytes of one full bank: rows*cols*wbits/8 + (rows/group_rows)*cols*2. */
double perf_bank_bytes(const perf_hw_t *hw, int wbits);

#endif
