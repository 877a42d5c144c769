/* SPDX-License-Identifier: Apache-2.0 */
/* Options shared by `edgecim perf`, `dse` and `report` (parsed in perf/perf_cli.c, used by
 * perf/perf_report.c) and the DSE problem they describe (perf/perf_opts.c).  Below both the CLI
 * and the report: perf_opts <- perf_report <- perf_cli. */
#ifndef PERF_OPTS_H
#define PERF_OPTS_H

#include "perf_dse.h"

#define PERF_CLI_MAX_LIST 64

typedef struct {
  perf_hw_t hw;
  const char *model;             /* preset name or "all" */
  int ctx, prompt;
  int json, breakdown;
  int ngrid;
  const char *grid[PERF_CLI_MAX_LIST];
  const char *search;            /* grid | nsga2 */
  int pop, gens;
  unsigned long long seed;
  double area_max, power_max, ttft_max, slack;
  int threads, shard_k, shard_n, quiet, plots;
  int nmerge;
  const char *merge[PERF_CLI_MAX_LIST];
  const char *out, *img, *work;
  const char *measured;          /* report: the cycle-exact whole-model figures (bench-models CSV) */
  const char *write_cfg;         /* perf: write the parameters as a config file */
} perf_cli_t;

/* Builds the DSE problem from the options (grid, models, constraints). 0 or -1 (message printed). */
int perf_cli_setup_dse(const perf_cli_t *o, perf_dse_t *d);

#endif
