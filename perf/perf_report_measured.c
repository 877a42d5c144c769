/* SPDX-License-Identifier: Apache-2.0 */
/* The report's cycle-exact section (perf_report_measured.h). */
#include "perf_report_measured.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perf_model.h"
#include "slm_config.h"

static int parse_row(const char *line, perf_measured_t *r) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", line);
  char *f[16];
  int n = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  for (char *s = buf; n < 16 && s;) { /* comma-separated fields */
    f[n++] = s;
    if ((s = strchr(s, ','))) *s++ = 0;
  }
  if (n < 15) return -1;
  snprintf(r->model, sizeof r->model, "%s", f[0]);
  snprintf(r->type, sizeof r->type, "%s", f[1]);
  snprintf(r->hw, sizeof r->hw, "%s", f[2]);
  double v[12];
  for (int i = 0; i < 12; i++) {
    char *end;
    v[i] = strtod(f[3 + i], &end);
    if (end == f[3 + i] || !isfinite(v[i])) return -1;
  }
  r->bw = v[0], r->clock_mhz = v[1], r->ctx = (int)v[2], r->commands = (int)v[3], r->cycles = v[4];
  r->gemv_cycles = v[5], r->vu_cycles = v[6], r->tok_s = v[7], r->analytic_tok_s = v[8];
  r->roofline_tok_s = v[9], r->share = v[10], r->error_pct = v[11];
  return r->cycles > 0 && r->tok_s > 0 ? 0 : -1;
}

int perf_measured_load(const char *path, perf_measured_t *rows, int max, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    if (errno == ENOENT) return 0;
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  char line[512];
  int n = 0, lineno = 0, rc = 0;
  while (fgets(line, sizeof line, f)) {
    if (++lineno == 1) continue; /* header */
    if (n >= max) { snprintf(err, errlen, "%s: more than %d rows", path, max); rc = -1; break; }
    if (parse_row(line, &rows[n])) { snprintf(err, errlen, "%s:%d: not a bench-models row", path, lineno); rc = -1; break; }
    n++;
  }
  fclose(f);
  return rc ? -1 : n;
}

/* Energy of one token at the measured time: the model's dynamic energy plus leakage over it. */
static double token_j(const perf_hw_t *hw, const perf_measured_t *m, int ctx) {
  const slm_config_t *c = slm_preset_find(m->model);
  perf_workload_t wl;
  perf_result_t r;
  perf_eval_opts_t opt = {ctx, 128};
  if (!c || perf_workload_build(c, &wl) || perf_evaluate(hw, &wl, &opt, &r)) return NAN;
  double t = m->cycles / (m->clock_mhz * 1e6);
  return r.energy_j - r.e_j[PERF_E_LEAK] + r.e_j[PERF_E_LEAK] / r.time_s * t;
}

void perf_report_measured(FILE *f, const char *path, const perf_measured_t *rows, int n, int ctx, double *mean_ts,
                          double *mean_tj) {
  *mean_ts = *mean_tj = 0;
  if (n <= 0) {
    fprintf(f, "## Cycle-exact whole-model decode\n\nNo cycle-exact figures (`%s` is missing: run "
               "`make bench-models`): every EdgeCIM figure of this report is analytic.\n\n", path);
    return;
  }
  const perf_measured_t *m0 = &rows[0];
  perf_hw_t hwv, *hw = &hwv; /* the named configuration at the measured clock and bandwidth */
  perf_hw_default(hw);
  const ecim_hw_t *e = ecim_hw_find(m0->hw);
  if (e) perf_hw_from_ecim(hw, e);
  hw->clock_mhz = m0->clock_mhz;
  hw->dram_gb_s = m0->bw * m0->clock_mhz / 1e3;
  fprintf(f, "## Cycle-exact whole-model decode (the chip that is simulated)\n\n"
             "Source: **cycle-exact C model** (`cmodel/`, equal to the RTL cycle for cycle by test), "
             "`make bench-models` (scripts/bench_models.sh, rows in `%s`): every preset at full width "
             "(`edgecim mkmodel --vocab full`, random weights, Q4_0; BitNet TQ2_0 at WBits 2), one "
             "token of the device step (the whole token as one command list: GEMVs, vector unit, "
             "attention over the INT8 KV cache) at position %d, simulated at 2 and 4 layers (SmolLM3: 4 "
             "and 8) and extrapolated over the model's identical layers (exact to 10 cycles in 1.9 million "
             "on all 24 layers of Qwen2.5-0.5B), on the named hardware configuration "
             "`%s` with DRAM at %.0f bytes/cycle (%.1f GB/s) and a %.0f MHz clock. tokens/J: the energy "
             "model's per-token energy with its leakage over the measured time. Analytic: `edgecim perf` "
             "for the same design; error = analytic vs cycle-exact.\n\n",
          path, m0->ctx - 1, m0->hw, m0->bw, m0->bw * m0->clock_mhz / 1e3, m0->clock_mhz);
  fprintf(f, "| model | weights | commands | cycles/token | GEMV | vector unit | tokens/s | tokens/J | "
             "analytic tokens/s | error | DRAM roofline tokens/s | share |\n"
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  int n4 = 0;
  double worst = 0;
  for (int i = 0; i < n; i++) {
    const perf_measured_t *m = &rows[i];
    double tj = 1 / token_j(hw, m, ctx);
    fprintf(f, "| %s | %s | %d | %.0f | %.1f%% | %.1f%% | %.1f | %.2f | %.1f | %+.2f%% | %.1f | %.1f%% |\n", m->model,
            m->type, m->commands, m->cycles, 100 * m->gemv_cycles / m->cycles, 100 * m->vu_cycles / m->cycles,
            m->tok_s, tj, m->analytic_tok_s, m->error_pct, m->roofline_tok_s, 100 * m->share);
    worst = fmax(worst, fabs(m->error_pct));
    const slm_config_t *c = slm_preset_find(m->model);
    if (c && slm_is_int4_target(c)) { *mean_ts += m->tok_s; *mean_tj += tj; n4++; }
  }
  if (n4) { *mean_ts /= n4; *mean_tj /= n4; }
  fprintf(f, "| **mean of %d INT4** | | | | | | **%.1f** | **%.2f** | | worst %.2f%% | | |\n\n", n4, *mean_ts,
          *mean_tj, worst);
  fprintf(f, "The vector unit runs between the GEMVs (one command at a time), so its share of each "
             "token is time the weight stream stands still: the gap to the DRAM roofline.\n\n");
}
