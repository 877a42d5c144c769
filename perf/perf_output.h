/* SPDX-License-Identifier: Apache-2.0 */
/* Writers for DSE results (CSV, JSON, Markdown, gnuplot SVG) and the gnuplot helper. */
#ifndef PERF_OUTPUT_H
#define PERF_OUTPUT_H

#include <stdio.h>

#include "perf_dse.h"

typedef struct {
  const char *search;        /* "grid" or "nsga2" */
  long long evaluated, feasible;
  double seconds;
  int threads;
  double slack;
} perf_dse_stats_t;

/* 1 if gnuplot is on PATH. */
int perf_have_gnuplot(void);
/* Runs `gnuplot script`; 0 on success. If gnuplot is missing, says so on stderr and returns 1. */
int perf_run_gnuplot(const char *script);

/* Writes dir/pareto.csv, dir/pareto.json, dir/dse.md, dir/chosen.cfg and (plots != 0, gnuplot
 * present) dir/pareto.svg. pick = index of the chosen design on fronts[0] (-1: none).
 * Returns 0, or -1 on an I/O error. */
int perf_dse_write_outputs(const perf_dse_t *d, const perf_points_t *fronts, int pick,
                           const perf_dse_stats_t *st, const char *dir, int plots);
/* Pareto fronts of every front in one multiplot SVG (latency vs energy, colour = area). */
int perf_plot_fronts(const perf_dse_t *d, const perf_points_t *fronts, const char *work,
                     const char *svg, const char *title);

/* "key=value key=value" of the swept parameters of design idx. */
void perf_dse_describe(const perf_dse_t *d, long long idx, char *buf, size_t len);
/* mkdir -p dir.  0, or -1 after "edgecim: FLAG VALUE: cannot create directory PART: reason" on
 * stderr: PART is the level that failed (dir or a parent), FLAG VALUE the option that asked
 * for dir (flag NULL: none). */
int perf_mkdir_p(const char *dir, const char *flag, const char *value);

#endif
