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
  char *f[20];
  int n = 0;
  buf[strcspn(buf, "\r\n")] = 0;
  for (char *s = buf; n < 20 && s;) { /* comma-separated fields */
    f[n++] = s;
    if ((s = strchr(s, ','))) *s++ = 0;
  }
  if (n != 15 && n != 19) return -1; /* 19: with the GEMV part's bytes and roofline shares */
  snprintf(r->model, sizeof r->model, "%s", f[0]);
  snprintf(r->type, sizeof r->type, "%s", f[1]);
  snprintf(r->hw, sizeof r->hw, "%s", f[2]);
  double v[16];
  for (int i = 0; i < n - 3; i++) {
    char *end;
    v[i] = strtod(f[3 + i], &end);
    if (end == f[3 + i] || !isfinite(v[i])) return -1;
  }
  r->bw = v[0], r->clock_mhz = v[1], r->ctx = (int)v[2], r->commands = (int)v[3], r->cycles = v[4];
  r->gemv_cycles = v[5], r->vu_cycles = v[6], r->tok_s = v[7], r->analytic_tok_s = v[8];
  r->roofline_tok_s = v[9], r->share = v[10], r->error_pct = v[11];
  r->gemv_share = n == 19 ? v[14] : NAN;
  r->gemv_matrix_share = n == 19 ? v[15] : NAN;
  r->weight_gemv_cycles = r->weight_share = r->attn_gemv_cycles = r->attn_share = NAN;
  return r->cycles > 0 && r->tok_s > 0 ? 0 : -1;
}

/* One row of gemv_part_NAME.csv (model,hw,bytes per cycle,ctx,weight cycles,bytes,attention
 * cycles,bytes,weight share,attention share) into the bench-models row of its model; 0, or -1 if
 * it is malformed or of another chip, bandwidth or context. */
static int parse_part(char *line, perf_measured_t *rows, int n) {
  char *f[10];
  int nf = 0;
  line[strcspn(line, "\r\n")] = 0;
  for (char *s = line; nf < 10 && s;) {
    f[nf++] = s;
    if ((s = strchr(s, ','))) *s++ = 0;
  }
  if (nf != 10) return -1;
  double v[8];
  for (int i = 0; i < 8; i++) {
    char *end;
    v[i] = strtod(f[2 + i], &end);
    if (end == f[2 + i] || !isfinite(v[i])) return -1;
  }
  for (int i = 0; i < n; i++) {
    perf_measured_t *r = &rows[i];
    if (strcmp(r->model, f[0])) continue;
    if (strcmp(r->hw, f[1]) || fabs(r->bw - v[0]) > 1e-3 || r->ctx != (int)v[1]) return -1;
    r->weight_gemv_cycles = v[2], r->attn_gemv_cycles = v[4], r->weight_share = v[6], r->attn_share = v[7];
  }
  return 0;
}

/* The GEMV split beside path (models_NAME.csv -> gemv_part_NAME.csv): 0 (also when absent), or -1. */
static int load_part(const char *path, perf_measured_t *rows, int n, char *err, size_t errlen) {
  char part[600];
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (strncmp(base, "models_", 7)) return 0;
  snprintf(part, sizeof part, "%.*sgemv_part_%s", (int)(base - path), path, base + 7);
  FILE *f = fopen(part, "r");
  if (!f) return 0;
  char line[512];
  int lineno = 0, rc = 0;
  while (!rc && fgets(line, sizeof line, f))
    if (++lineno > 1 && parse_part(line, rows, n)) {
      snprintf(err, errlen, "%s:%d: not a bench-gemv-part row of this design and context", part, lineno);
      rc = -1;
    }
  fclose(f);
  return rc;
}

/* One section names one chip: rows of another configuration, bandwidth, clock or context are refused. */
static int same_design(const perf_measured_t *a, const perf_measured_t *b) {
  return !strcmp(a->hw, b->hw) && a->bw == b->bw && a->clock_mhz == b->clock_mhz && a->ctx == b->ctx;
}

/* The models the configuration could not run, as bench-models says why. */
static char skipped[PERF_MEASURED_MAX][256];
static int n_skipped;

int perf_measured_load(const char *path, perf_measured_t *rows, int max, char *err, size_t errlen) {
  n_skipped = 0;
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
    if (line[0] == '#') { /* "# model: not run on hw: why" */
      if (n_skipped < PERF_MEASURED_MAX) snprintf(skipped[n_skipped++], sizeof skipped[0], "%.250s", line + 2);
      continue;
    }
    if (n >= max) { snprintf(err, errlen, "%s: more than %d rows", path, max); rc = -1; break; }
    if (parse_row(line, &rows[n])) { snprintf(err, errlen, "%s:%d: not a bench-models row", path, lineno); rc = -1; break; }
    if (n && !same_design(&rows[0], &rows[n])) {
      snprintf(err, errlen, "%s:%d: %s at %g B/cycle, %g MHz, ctx %d, not the first row's design", path, lineno,
               rows[n].hw, rows[n].bw, rows[n].clock_mhz, rows[n].ctx);
      rc = -1;
      break;
    }
    n++;
  }
  fclose(f);
  if (!rc) rc = load_part(path, rows, n, err, errlen);
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

/* A share as a table cell: "n/a" for files that do not have it. */
static const char *pct(double v, char *buf, size_t len) {
  if (isfinite(v)) snprintf(buf, len, "%.1f%%", 100 * v);
  else snprintf(buf, len, "n/a");
  return buf;
}

static const char *lowest(double v, char *buf, size_t len) {
  if (isfinite(v)) snprintf(buf, len, "lowest %.1f%%", 100 * v);
  else buf[0] = 0;
  return buf;
}

void perf_report_measured(FILE *f, const char *path, const perf_measured_t *rows, int n, int ctx, double *mean_ts,
                          double *mean_tj) {
  *mean_ts = *mean_tj = 0;
  if (n <= 0) {
    fprintf(f, "## Cycle-exact whole-model decode\n\nNo cycle-exact figures (`%s` is missing: run "
               "`make bench-models BENCH_HW=NAME` for the named configuration NAME): every EdgeCIM figure of this report is analytic.\n\n", path);
    return;
  }
  const perf_measured_t *m0 = &rows[0];
  perf_hw_t hwv, *hw = &hwv; /* the named configuration at the measured clock and bandwidth */
  perf_hw_default(hw);
  const ecim_hw_t *e = ecim_hw_find(m0->hw);
  if (e) perf_hw_from_ecim(hw, e);
  const double gb_s = m0->bw * m0->clock_mhz / 1e3;
  hw->clock_mhz = m0->clock_mhz;
  hw->dram_gb_s = gb_s;
  fprintf(f, "## Cycle-exact whole-model decode (the chip that is simulated: `%s`, %.1f GB/s, %.0f MHz)\n\n"
             "Source: **cycle-exact C model** (`cmodel/`, equal to the RTL cycle for cycle by test), "
             "`make bench-models` (scripts/bench_models.sh, rows in `%s`): every preset at full width "
             "(`edgecim mkmodel --vocab full`, random weights, Q4_0; BitNet TQ2_0 at WBits 2), one "
             "token of the device step (the whole token as one command list: GEMVs, vector unit, "
             "attention over the INT8 KV cache) at position %d, simulated at 2 and 4 layers (SmolLM3: 4 "
             "and 8) and extrapolated over the model's identical layers (exact to 10 cycles in 1.9 million "
             "on all 24 layers of Qwen2.5-0.5B on edge68), on the named hardware configuration "
             "`%s` with DRAM at %g bytes/cycle (%.1f GB/s) and a %.0f MHz clock: every cycle count and "
             "tokens/s of this table is cycle-exact. tokens/J: the energy "
             "model's per-token energy with its leakage over the measured time. Analytic: `edgecim perf` "
             "for the same design; error = analytic vs cycle-exact. share: cycle-exact tokens/s over the "
             "DRAM roofline of all the token's bytes. GEMV roofline: the GEMV commands' own share, the bytes "
             "they move (weights, KV caches, activations, outputs: the analytic model's counts of the "
             "layout) at %g bytes/cycle over their cycle-exact cycles; weight / attention GEMVs: that part "
             "split (`make bench-gemv-part`, `gemv_part_*.csv` beside the rows: every GEMV command of the "
             "token alone on the C model, its DRAM's bytes over its cycles; the weight GEMVs stream "
             "the matrices, the attention GEMVs are short commands over the KV caches).\n\n",
          m0->hw, gb_s, m0->clock_mhz, path, m0->ctx - 1, m0->hw, m0->bw, gb_s, m0->clock_mhz, m0->bw);
  fprintf(f, "| model | weights | commands | cycles/token | GEMV | vector unit | tokens/s | tokens/J | "
             "analytic tokens/s | error | DRAM roofline tokens/s | share | GEMV share of its roofline | "
             "weight GEMVs | attention GEMVs |\n"
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  int n4 = 0;
  double worst = 0, gworst = INFINITY, wworst = INFINITY, split_err = -1;
  for (int i = 0; i < n; i++) {
    const perf_measured_t *m = &rows[i];
    double tj = 1 / token_j(hw, m, ctx);
    char gs[32], ws[32], as[32];
    fprintf(f, "| %s | %s | %d | %.0f | %.1f%% | %.1f%% | %.1f | %.2f | %.1f | %+.2f%% | %.1f | %.1f%% | %s | %s | %s |\n",
            m->model, m->type, m->commands, m->cycles, 100 * m->gemv_cycles / m->cycles, 100 * m->vu_cycles / m->cycles,
            m->tok_s, tj, m->analytic_tok_s, m->error_pct, m->roofline_tok_s, 100 * m->share,
            pct(m->gemv_share, gs, sizeof gs), pct(m->weight_share, ws, sizeof ws), pct(m->attn_share, as, sizeof as));
    if (isfinite(m->weight_gemv_cycles)) /* the split's commands alone vs the same commands in the list */
      split_err = fmax(split_err, fabs(m->weight_gemv_cycles + m->attn_gemv_cycles - m->gemv_cycles) / m->gemv_cycles);
    worst = fmax(worst, fabs(m->error_pct));
    const slm_config_t *c = slm_preset_find(m->model);
    if (c && slm_is_int4_target(c)) {
      *mean_ts += m->tok_s; *mean_tj += tj; n4++;
      if (isfinite(m->gemv_share)) gworst = fmin(gworst, m->gemv_share);
      if (isfinite(m->weight_share)) wworst = fmin(wworst, m->weight_share);
    }
  }
  if (n4) { *mean_ts /= n4; *mean_tj /= n4; }
  /* the bar: the GEMVs of every INT4 preset at >= 97% of their roofline */
  char gl[40], wl[40];
  fprintf(f, "| **mean of %d INT4** | | | | | | **%.1f** | **%.2f** | | worst %.2f%% | | | %s | %s | |\n\n", n4, *mean_ts,
          *mean_tj, worst, lowest(gworst, gl, sizeof gl), lowest(wworst, wl, sizeof wl));
  if (split_err >= 0)
    fprintf(f, "The split's commands, each timed alone, add up to the GEMV cycles of the whole-token list within "
               "%.2f%% on every row.\n\n", 100 * split_err);
  for (int i = 0; i < n_skipped; i++) fprintf(f, "- %s", skipped[i]);
  if (n_skipped) fprintf(f, "\n");
  fprintf(f, "The vector unit runs between the GEMVs (one command at a time), so its share of each "
             "token is time the weight stream stands still: the gap to the DRAM roofline.\n\n");
}
