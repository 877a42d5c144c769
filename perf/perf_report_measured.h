/* SPDX-License-Identifier: Apache-2.0 */
/* The report's cycle-exact section: the whole-model decode figures that `make bench-models`
 * (scripts/bench_models.sh) measured on the cycle-exact C model, one row per preset, with the
 * energy of each token from the energy model at the measured time. */
#ifndef PERF_REPORT_MEASURED_H
#define PERF_REPORT_MEASURED_H

#include <stddef.h>
#include <stdio.h>

#include "perf_hw.h"

#define PERF_MEASURED_MAX 32

typedef struct {
  char model[48], type[16], hw[32];
  double bw, clock_mhz;
  int ctx, commands;
  double cycles, gemv_cycles, vu_cycles, tok_s, analytic_tok_s, roofline_tok_s, share, error_pct;
  /* the GEMV part against its own roofline (bytes the GEMVs move / bytes per cycle / GEMV cycles;
   * matrix: the weights and KV caches alone); NAN in a file written before bench-models had them */
  double gemv_share, gemv_matrix_share;
  /* that GEMV part split (make bench-gemv-part: each GEMV command alone on the C model): the weight
   * GEMVs' and the attention GEMVs' cycles and roofline shares; NAN without that file's row */
  double weight_gemv_cycles, weight_share, attn_gemv_cycles, attn_share;
} perf_measured_t;

/* Reads the CSV (header + rows); the row count, or -1 with a message (a missing file is 0 rows
 * and no message: the report then says the figures are analytic only). Every row must be of one
 * hardware configuration, bandwidth, clock and context: the section names them once. The split
 * of the GEMV part comes from gemv_part_NAME.csv beside a models_NAME.csv, if it is there. */
int perf_measured_load(const char *path, perf_measured_t *rows, int max, char *err, size_t errlen);

/* Writes the section to f: the table, the INT4 means (tokens/s and tokens/J: the energy model's
 * per-token energy with its leakage over the measured time), and the analytic model's error.
 * The energy constants are the defaults, on the rows' named configuration, clock and bandwidth.
 * Sets *mean_ts, *mean_tj (0 when no INT4 rows). */
void perf_report_measured(FILE *f, const char *path, const perf_measured_t *rows, int n, int ctx, double *mean_ts,
                          double *mean_tj);

#endif
