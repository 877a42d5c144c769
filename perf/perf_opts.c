/* SPDX-License-Identifier: Apache-2.0 */
/* The DSE problem described by the shared options of perf/dse/report (perf_opts.h). */
#include "perf_opts.h"

#include <stdio.h>
#include <string.h>

#include "slm_config.h"

int perf_cli_setup_dse(const perf_cli_t *o, perf_dse_t *d) {
  char err[512];
  perf_dse_init(d, &o->hw);
  d->eval.ctx = o->ctx;
  d->eval.prompt = o->ttft_max > 0 ? o->prompt : 0;
  d->area_max = o->area_max;
  d->power_max_w = o->power_max;
  d->ttft_max_s = o->ttft_max;
  d->threads = o->threads;
  d->progress = !o->quiet;
  if (o->ngrid == 0) perf_dse_default_grid(d);
  for (int i = 0; i < o->ngrid; i++)
    if (perf_dse_add_dim(d, o->grid[i], err, sizeof err)) { fprintf(stderr, "edgecim: %s\n", err); return -1; }
  for (int m = 0; m < slm_n_presets; m++) {
    if (strcmp(o->model, "all") && strcmp(o->model, slm_presets[m].name)) continue;
    if (perf_dse_add_model(d, &slm_presets[m])) { fprintf(stderr, "edgecim: cannot add %s\n", slm_presets[m].name); return -1; }
  }
  return 0;
}
