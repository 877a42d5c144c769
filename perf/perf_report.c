/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim report`: DSE of the chip over the 13 models, the chosen design's figures beside the
 * published edge platforms and the EdgeCIM paper, written to docs/results.md with gnuplot SVGs. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perf_area.h"
#include "perf_baselines.h"
#include "perf_opts.h"
#include "perf_report.h"
#include "perf_report_measured.h"
#include "perf_gemv.h"
#include "perf_output.h"
#include "version.h"

#define NM 13
static const double sweep_bw[] = {25.6, 34.1, 51.2, 68, 102.4, 136.5, 204.8, 273, 409.6, 546};
#define NBW ((int)(sizeof sweep_bw / sizeof sweep_bw[0]))

typedef struct {
  double bw, mean_ts, mean_tj, area, mean_roof;
  char desc[256];
} bw_row_t;

static perf_points_t g_fronts[PERF_DSE_MAX_MODELS + 1];
static perf_dse_t g_dse;
static perf_measured_t g_meas[PERF_MEASURED_MAX]; /* make bench-models' rows */
static int g_nmeas;

static void free_fronts(void) {
  for (int f = 0; f <= PERF_DSE_MAX_MODELS; f++) perf_points_free(&g_fronts[f]);
}

/* Runs the grid DSE of g_dse; returns the chosen index on front 0 or -1. */
static int run_dse(double slack, long long *feasible, double *secs) {
  free_fronts();
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  long long ev = 0;
  *feasible = perf_dse_grid(&g_dse, 0, perf_dse_points(&g_dse), g_fronts, &ev);
  clock_gettime(CLOCK_MONOTONIC, &b);
  *secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
  if (*feasible < 0) return -1;
  return perf_dse_pick(&g_fronts[0], slack);
}

/* Best design of the grid at DRAM bandwidth bw (same constraints, no power cap). */
static int best_at(double bw, double slack, perf_hw_t *hw, char *desc, size_t dlen) {
  perf_dse_t saved = g_dse;
  g_dse.base.dram_gb_s = bw;
  g_dse.power_max_w = 0;
  g_dse.progress = 0;
  long long feasible;
  double secs;
  int p = run_dse(slack, &feasible, &secs);
  if (p >= 0) {
    perf_dse_decode(&g_dse, g_fronts[0].p[p].idx, hw);
    if (desc) perf_dse_describe(&g_dse, g_fronts[0].p[p].idx, desc, dlen);
  }
  g_dse = saved;
  return p >= 0 ? 0 : -1;
}

static int eval_all(const perf_hw_t *hw, const perf_eval_opts_t *opt, perf_result_t *r) {
  for (int m = 0; m < NM; m++) {
    perf_workload_t wl;
    if (perf_workload_build(&slm_presets[m], &wl) || perf_evaluate(hw, &wl, opt, &r[m])) return -1;
  }
  return 0;
}

static void int4_means(const perf_result_t *r, double *ts, double *tj, double *tjc) {
  double a = 0, b = 0, c = 0;
  int n = 0;
  for (int m = 0; m < NM; m++) {
    if (!slm_is_int4_target(&slm_presets[m])) continue;
    a += r[m].tok_s; b += r[m].tok_j; c += r[m].tok_j_onchip; n++;
  }
  *ts = a / n; *tj = b / n;
  if (tjc) *tjc = c / n;
}

static int model_index(const char *name) {
  const slm_config_t *c = slm_preset_find(name);
  return c ? (int)(c - slm_presets) : -1;
}

static double bytes_per_token(const perf_hw_t *hw, int m, int ctx) {
  perf_workload_t wl;
  perf_workload_build(&slm_presets[m], &wl);
  return perf_bytes_per_token(hw, &wl, ctx);
}

static int plots(const perf_cli_t *o, const perf_result_t *r, const bw_row_t *bw, int nbw,
                 const char *img_rel) {
  char dat[1100], gp[1100], svg[1100];
  snprintf(svg, sizeof svg, "%s/pareto_fronts.svg", o->img);
  if (perf_plot_fronts(&g_dse, g_fronts, o->work, svg,
                       "EdgeCIM DSE Pareto fronts per model (decode latency vs energy per token; colour = area mm^2)"))
    return -1;
  snprintf(dat, sizeof dat, "%s/models.dat", o->work);
  FILE *f = fopen(dat, "w");
  if (!f) return -1;
  fprintf(f, "# model tok_s roofline_tok_s tok_j tok_j_onchip\n");
  for (int m = 0; m < NM; m++)
    fprintf(f, "%s %.4g %.4g %.4g %.4g\n", slm_presets[m].name, r[m].tok_s, r[m].roofline_tok_s,
            r[m].tok_j, r[m].tok_j_onchip);
  fclose(f);
  snprintf(gp, sizeof gp, "%s/bars.gp", o->work);
  f = fopen(gp, "w");
  if (!f) return -1;
  fprintf(f,
    "set terminal svg size 1000,480 dynamic font 'Helvetica,11' background rgb 'white'\n"
    "set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
    "set xtics rotate by -35 nomirror\nset grid ytics\nset key top right opaque box\n"
    "set output '%s/tok_s.svg'\nset title 'Decode tokens/s of the chosen design (DRAM %g GB/s, ctx %d)'\n"
    "set ylabel 'tokens/s'\nset yrange [0:%g]\n"
    "plot '%s' using 2:xtic(1) title 'EdgeCIM model (chosen design)' lc rgb '#1f77b4', "
    "'' using 3 title 'DRAM roofline at this bandwidth' lc rgb '#bbbbbb', "
    "%g with lines lw 2 dt 2 lc rgb '#d62728' title 'paper average (336.42)'\n"
    "set output '%s/tok_j.svg'\nset title 'Tokens/J of the chosen design (with and without DRAM energy)'\n"
    "set ylabel 'tokens/J'\nset logscale y\nset yrange [1:*]\n"
    "plot '%s' using 4:xtic(1) title 'tokens/J incl. DRAM' lc rgb '#2ca02c', "
    "'' using 5 title 'tokens/J on-chip only' lc rgb '#98df8a', "
    "%g with lines lw 2 dt 2 lc rgb '#d62728' title 'paper average (173.02)'\n",
    o->img, o->hw.dram_gb_s, o->ctx, PAPER_AVG_TOK_S * 1.6, dat, PAPER_AVG_TOK_S, o->img, dat, PAPER_AVG_TOK_J);
  fclose(f);
  if (perf_run_gnuplot(gp)) return -1;
  snprintf(dat, sizeof dat, "%s/bw.dat", o->work);
  f = fopen(dat, "w");
  if (!f) return -1;
  for (int i = 0; i < nbw; i++) fprintf(f, "%g %.4g %.4g %.4g %.4g\n", bw[i].bw, bw[i].mean_ts, bw[i].mean_tj, bw[i].area, bw[i].mean_roof);
  fclose(f);
  snprintf(gp, sizeof gp, "%s/bw.gp", o->work);
  f = fopen(gp, "w");
  if (!f) return -1;
  fprintf(f,
    "set terminal svg size 800,450 dynamic font 'Helvetica,11' background rgb 'white'\n"
    "set output '%s/bw_sweep.svg'\nset title 'Mean over the 12 INT4 models, best design per DRAM bandwidth'\n"
    "set xlabel 'DRAM bandwidth (GB/s)'\nset ylabel 'tokens/s'\nset y2label 'tokens/J'\n"
    "set ytics nomirror\nset y2tics\nset grid\nset key top left\nset logscale x\n"
    "set yrange [0:*]\nset y2range [0:200]\n"
    "plot '%s' using 1:2 with linespoints lw 2 pt 7 title 'tokens/s', "
    "'' using 1:5 with lines lw 1 lc rgb '#888888' title 'tokens/s at the DRAM roofline', "
    "'' using 1:3 axes x1y2 with linespoints lw 2 pt 5 title 'tokens/J', "
    "%g with lines dt 2 lw 2 lc rgb '#d62728' title 'paper 336.42 tokens/s', "
    "%g axes x1y2 with lines dt 3 lw 2 lc rgb '#9467bd' title 'paper 173.02 tokens/J'\n",
    o->img, dat, PAPER_AVG_TOK_S, PAPER_AVG_TOK_J);
  fclose(f);
  (void)img_rel;
  return perf_run_gnuplot(gp);
}

/* The bench-models rows of path into g_meas: 0, or -1 with the message printed. */
static int load_measured(const char *path) {
  char err[256];
  if ((g_nmeas = perf_measured_load(path, g_meas, PERF_MEASURED_MAX, err, sizeof err)) >= 0) return 0;
  fprintf(stderr, "report: --measured %s\n", err);
  return -1;
}

/* Whether the cycle-exact section measured the chip this summary describes: the same named
 * configuration, clock and bandwidth, or which other one (its figures are then not this design's). */
static void measured_vs_pick(FILE *f, const perf_hw_t *hw, const char *named, const char *path) {
  if (g_nmeas <= 0) {
    fprintf(f, "No cycle-exact figures of it (`%s` is missing: `make bench-models BENCH_HW=%s`).\n", path,
            named ? named : "NAME");
    return;
  }
  const perf_measured_t *m = &g_meas[0];
  const double gb_s = m->bw * m->clock_mhz / 1e3;
  if (named && !strcmp(m->hw, named) && fabs(m->clock_mhz - hw->clock_mhz) < 1e-6 && fabs(gb_s - hw->dram_gb_s) < 0.05)
    fprintf(f, "The cycle-exact section above measures this design (`%s` at %.0f MHz, %g bytes/cycle, rows in `%s`).\n",
            m->hw, m->clock_mhz, m->bw, path);
  else
    fprintf(f, "The cycle-exact section above measures **another design**, `%s` at %.0f MHz and %.1f GB/s (`%s`), "
            "not this one.\n", m->hw, m->clock_mhz, gb_s, path);
}

/* Path of the image dir relative to the report's directory (docs/results.md + docs/img -> img). */
/* Area by module and the critical path of the chosen design (issue 13 part 6): the Yosys cells of
 * the synthesized design (perf/area_cells.txt), the table of perf_area_write(). Its own section so
 * the report can carry it wherever the rest of the report moves. */
static void report_area_and_critical_path(FILE *f, const perf_hw_t *hw) {
  ecim_hw_t e;
  perf_hw_ecim(hw, &e);
  const char *name = ecim_hw_name(&e);
  fprintf(f, "\n## Area by module and critical path (chosen design%s%s%s, 65 nm)\n\n"
             "Logic: Yosys 0.23 cells of the synthesized RTL (`make area-synth area-path area-cells`, counts in "
             "`perf/area_cells.txt`) in NAND2 gate equivalents at `nand2_um2` = %g um2; SRAM: the storage bits each "
             "module holds at `sram_um2_bit` = %g um2 per 6T bit-cell over `sram_array_eff` = %g (sources: "
             "[PERF_MODEL.md](PERF_MODEL.md), area section).\n\n",
          name ? " `" : "", name ? name : "", name ? "`" : "", hw->nand2_um2, hw->sram_um2_bit, hw->sram_array_eff);
  perf_area_write(f, hw, 1);
}

static void rel_img(const char *out, const char *img, char *buf, size_t len) {
  const char *slash = strrchr(out, '/');
  size_t dl = slash ? (size_t)(slash - out) : 0;
  if (dl && strncmp(img, out, dl) == 0 && img[dl] == '/') snprintf(buf, len, "%s", img + dl + 1);
  else snprintf(buf, len, "%s", img);
}

int perf_report_run(const perf_cli_t *o_in) {
  perf_cli_t o = *o_in;
  o.model = "all";
  char out_dir[1024];
  snprintf(out_dir, sizeof out_dir, "%s", o.out);
  char *slash = strrchr(out_dir, '/');
  if (slash) *slash = 0;
  /* the report's own directory first: a bad --out leaves nothing else behind */
  if ((slash && slash != out_dir && perf_mkdir_p(out_dir, "--out", o.out)) || perf_mkdir_p(o.work, "--work", o.work) ||
      perf_mkdir_p(o.img, "--img", o.img))
    return -1;
  /* the cycle-exact rows of --measured first: a bad file stops the report before any work (the
   * default, the rows of the DSE's pick, is known only after the DSE: load_measured below) */
  if (o.measured && load_measured(o.measured)) return -1;
  if (o.plots && !perf_have_gnuplot()) { /* before anything is written: no report without its plots */
    fprintf(stderr, "report: gnuplot not found on PATH (make deps installs it; apt-get install gnuplot-nox), or "
                    "pass --no-plots\n");
    return -1;
  }
  if (perf_cli_setup_dse(&o, &g_dse)) return -1;
  long long feasible;
  double secs;
  if (!o.quiet)
    fprintf(stderr, "report: DSE at %g GB/s over %lld design points x %d models\n", o.hw.dram_gb_s,
            perf_dse_points(&g_dse), g_dse.nmodels);
  int pick = run_dse(o.slack, &feasible, &secs);
  if (pick < 0) { fprintf(stderr, "report: no feasible design under the constraints\n"); free_fronts(); return -1; }
  const long long chosen_idx = g_fronts[0].p[pick].idx;
  perf_hw_t hw;
  perf_dse_decode(&g_dse, chosen_idx, &hw);
  /* The pick is a design only if the RTL is built as it: one of hw/edgecim_hw.json's named
   * configurations (the one source of make, FuseSoC, the C model and the firmware). */
  ecim_hw_t pick_hw;
  perf_hw_ecim(&hw, &pick_hw);
  const char *named = ecim_hw_name(&pick_hw);
  char meas_path[300]; /* by default the cycle-exact section measures the pick itself */
  if (!o.measured) {
    snprintf(meas_path, sizeof meas_path, "perf/measured/models_%s.csv", named ? named : "NAME");
    o.measured = meas_path;
    g_nmeas = 0; /* an unnamed pick has no RTL build, so no cycle-exact rows */
    if (named && load_measured(o.measured)) { free_fronts(); return -1; }
  }
  char desc[512], dse_dir[1100];
  perf_dse_describe(&g_dse, chosen_idx, desc, sizeof desc);
  snprintf(dse_dir, sizeof dse_dir, "%s/dse", o.work);
  perf_dse_stats_t st = {"grid", perf_dse_points(&g_dse), feasible, secs, o.threads, o.slack};
  if (perf_dse_write_outputs(&g_dse, g_fronts, pick, &st, dse_dir, 0)) { free_fronts(); return -1; }

  /* NSGA-II cross-check over a much finer space than the grid */
  static perf_dse_t fine;
  char fine_desc[512] = "none";
  double fine_obj[3] = {0, 0, 0};
  long long fine_ev = 0, fine_pts = 0;
  {
    static const char *const specs[] = {"ntiles=1:16", "nmacros=1:16", "clock_mhz=50:500:5", "nres=0:8",
                                        "data_bytes=16,32,64,128,256", "macro_rows=128,256", "macro_cols=32,64",
                                        "ppu_cols=1,2,4,8,16", "max_batch=1:16", "act_bytes=16384,32768,65536",
                                        "vec_lanes=1,2,4,8,16,32"};
    char err[256];
    fine = g_dse;
    fine.ndims = 0;
    fine.progress = 0;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) perf_dse_add_dim(&fine, specs[i], err, sizeof err);
    fine_pts = perf_dse_points(&fine);
    perf_points_t ff[PERF_DSE_MAX_MODELS + 1];
    memset(ff, 0, sizeof ff);
    if (perf_dse_nsga2(&fine, 128, 100, 1, ff, &fine_ev) > 0) {
      int p = perf_dse_pick(&ff[0], o.slack);
      if (p >= 0) {
        perf_dse_describe(&fine, ff[0].p[p].idx, fine_desc, sizeof fine_desc);
        memcpy(fine_obj, ff[0].p[p].obj, sizeof fine_obj);
      }
    }
    for (int f = 0; f <= PERF_DSE_MAX_MODELS; f++) perf_points_free(&ff[f]);
  }

  perf_eval_opts_t opt = {o.ctx, o.prompt};
  perf_result_t r[NM];
  if (eval_all(&hw, &opt, r)) { free_fronts(); return -1; }
  double mts, mtj, mtjc;
  int4_means(r, &mts, &mtj, &mtjc);

  /* Best design per DRAM bandwidth (no power cap: DRAM power grows with bandwidth). */
  bw_row_t bw[NBW];
  perf_points_t saved_fronts[PERF_DSE_MAX_MODELS + 1];
  memcpy(saved_fronts, g_fronts, sizeof g_fronts);
  memset(g_fronts, 0, sizeof g_fronts);
  for (int i = 0; i < NBW; i++) {
    perf_hw_t h;
    bw[i].bw = sweep_bw[i];
    if (best_at(sweep_bw[i], o.slack, &h, bw[i].desc, sizeof bw[i].desc)) {
      bw[i].mean_ts = bw[i].mean_tj = bw[i].area = bw[i].mean_roof = NAN;
      strcpy(bw[i].desc, "none");
      continue;
    }
    perf_result_t rr[NM];
    eval_all(&h, &opt, rr);
    int4_means(rr, &bw[i].mean_ts, &bw[i].mean_tj, NULL);
    bw[i].area = perf_hw_area_mm2(&h);
    bw[i].mean_roof = 0;
    for (int m = 0; m < NM; m++)
      if (slm_is_int4_target(&slm_presets[m])) bw[i].mean_roof += rr[m].roofline_tok_s / 12;
  }
  /* designs at the platforms' bandwidths, for the equal-bandwidth comparison */
  perf_hw_t plat_hw[32];
  char plat_desc[32][256];
  for (int i = 0; i < perf_n_baselines && i < 32; i++)
    if (best_at(perf_baselines[i].dram_gb_s, o.slack, &plat_hw[i], plat_desc[i], sizeof plat_desc[i])) {
      plat_hw[i] = hw;
      plat_hw[i].dram_gb_s = perf_baselines[i].dram_gb_s;
      snprintf(plat_desc[i], sizeof plat_desc[i], "chosen design");
    }
  free_fronts();
  memcpy(g_fronts, saved_fronts, sizeof g_fronts);

  char img_rel[512];
  rel_img(o.out, o.img, img_rel, sizeof img_rel);
  int have_plots = o.plots && perf_have_gnuplot();
  if (have_plots && plots(&o, r, bw, NBW, img_rel)) { fprintf(stderr, "report: plotting failed\n"); have_plots = 0; }

  FILE *f = fopen(o.out, "w");
  if (!f) { fprintf(stderr, "edgecim: --out %s: %s\n", o.out, strerror(errno)); free_fronts(); return -1; }
  fprintf(f, "# EdgeCIM results\n\n"
          "Generated by `make report` (`edgecim report`, EdgeCIM %s) from the performance model in `perf/` "
          "(equations and sources of every constant: [PERF_MODEL.md](PERF_MODEL.md)). "
          "The first section's EdgeCIM figures come from the **cycle-exact C model** of the chosen hardware configuration; "
          "every figure after it comes from the **analytic model** (source: analytic model, unless a row says otherwise), not silicon; "
          "its GEMV timing `perf_gemv_timing` is calibrated against the cycle-exact C model of the v2 RTL (`make calibrate`, table in PERF_MODEL.md; the C model equals the RTL cycle for cycle by test).\n\n",
          edgecim_version());
  {
    double cts, ctj;
    perf_report_measured(f, o.measured, g_meas, g_nmeas, o.ctx, &cts, &ctj);
  }
  fprintf(f, "## Summary (analytic model)\n\n");
  char named_txt[400];
  if (named)
    snprintf(named_txt, sizeof named_txt, "the named hardware configuration **%s** of hw/edgecim_hw.json "
             "(`make lint LINT_CFGS=%s`, `make sim-top HW=%s`, `edgecim run --backend cmodel --hw %s`)",
             named, named, named, named);
  else
    snprintf(named_txt, sizeof named_txt, "**not a named hardware configuration**: add its parameters to "
             "hw/edgecim_hw.json (scripts/gen_hw.py) and lint it before quoting it");
  if (!named) fprintf(stderr, "report: warning: the DSE's pick is not a named hardware configuration\n");
  fprintf(f, "- Chosen design (DSE over %lld points x %d models, %lld feasible: every point one the RTL's "
          "parameter checks accept and the firmware runs every model's device step on; smallest area within "
          "%.0f%% of the best mean decode latency; area <= %g mm2, power <= %g W): `%s`, "
          "%.0f MHz, DRAM %g GB/s, **%.1f mm2**, leakage %.0f mW (`%s/chosen.cfg`): %s. ",
          perf_dse_points(&g_dse), g_dse.nmodels, st.feasible, o.slack * 100, o.area_max, o.power_max,
          desc, hw.clock_mhz, hw.dram_gb_s, perf_hw_area_mm2(&hw), perf_hw_leak_mw(&hw), dse_dir, named_txt);
  measured_vs_pick(f, &hw, named, o.measured);
  fprintf(f, "- Cross-check: NSGA-II (population 128, 100 generations, %lld evaluations) over a "
          "%.1e-point finer space picks `%s`: %.2f ms/token, %.2f mJ/token, %.1f mm2 (grid pick: "
          "%.2f ms, %.2f mJ, %.1f mm2).\n", fine_ev, (double)fine_pts, fine_desc, fine_obj[0] * 1e3,
          fine_obj[1] * 1e3, fine_obj[2], g_fronts[0].p[pick].obj[0] * 1e3,
          g_fronts[0].p[pick].obj[1] * 1e3, g_fronts[0].p[pick].obj[2]);
  fprintf(f, "- Mean over the 12 INT4 models, decode at %d cached positions: **%.1f tokens/s** "
          "(paper: %.2f, %.1f%% of it) and **%.1f tokens/J** incl. DRAM (paper: %.2f, %.1f%%); "
          "on-chip energy only: %.0f tokens/J.\n",
          o.ctx, mts, PAPER_AVG_TOK_S, 100 * mts / PAPER_AVG_TOK_S, mtj, PAPER_AVG_TOK_J,
          100 * mtj / PAPER_AVG_TOK_J, mtjc);
  int reach = -1;
  for (int i = 0; i < NBW; i++) if (reach < 0 && bw[i].mean_ts >= PAPER_AVG_TOK_S) reach = i;
  if (reach > 0) {
    double x0 = bw[reach - 1].bw, x1 = bw[reach].bw, y0 = bw[reach - 1].mean_ts, y1 = bw[reach].mean_ts;
    double need = x0 + (PAPER_AVG_TOK_S - y0) * (x1 - x0) / (y1 - y0);
    fprintf(f, "- Decode is DRAM-bound: with the best design per bandwidth, the paper's 336.42 tokens/s "
            "average needs about **%.0f GB/s** of DRAM bandwidth in this model (%.1fx the %g GB/s used here).\n",
            need, need / hw.dram_gb_s, hw.dram_gb_s);
  } else if (reach < 0)
    fprintf(f, "- Decode is DRAM-bound: with the best design per bandwidth, the paper's 336.42 tokens/s "
            "average is not reached even at %g GB/s in this model (table at the end).\n", sweep_bw[NBW - 1]);
  {
    double inv = 0; /* mean over INT4 models of 1/bytes per token */
    for (int m = 0; m < NM; m++)
      if (slm_is_int4_target(&slm_presets[m])) inv += 1.0 / r[m].dram_bytes;
    inv /= 12;
    fprintf(f, "- Even an ideal accelerator running every INT4 model exactly at its DRAM roofline needs "
            "**%.0f GB/s** for a 336.42 tokens/s mean (%.1fx the %g GB/s here); the vector unit's ops, "
            "which run between the GEMVs, keep a real design below its roofline (breakdown below).\n",
            PAPER_AVG_TOK_S / inv / 1e9, PAPER_AVG_TOK_S / inv / 1e9 / hw.dram_gb_s, hw.dram_gb_s);
  }
  double dram_only = 0;
  int n4 = 0;
  for (int m = 0; m < NM; m++)
    if (slm_is_int4_target(&slm_presets[m])) { dram_only += 1.0 / r[m].e_j[PERF_E_DRAM]; n4++; }
  /* DRAM energy per bit at which the INT4 mean reaches the paper's tokens/J (bisection) */
  double lo_pj = 0, hi_pj = hw.dram_pj_bit, tj_lo;
  {
    perf_hw_t h = hw;
    perf_result_t rr[NM];
    double ts, tj;
    h.dram_pj_bit = 0;
    eval_all(&h, &opt, rr);
    int4_means(rr, &ts, &tj_lo, NULL);
    for (int it = 0; it < 50 && tj_lo > PAPER_AVG_TOK_J; it++) {
      h.dram_pj_bit = 0.5 * (lo_pj + hi_pj);
      eval_all(&h, &opt, rr);
      int4_means(rr, &ts, &tj, NULL);
      if (tj > PAPER_AVG_TOK_J) lo_pj = h.dram_pj_bit; else hi_pj = h.dram_pj_bit;
    }
  }
  fprintf(f, "- Energy: at %g pJ/bit the DRAM traffic alone caps the INT4 mean at %.1f tokens/J. "
          "The paper's 173.02 tokens/J needs DRAM at <= **%.2f pJ/bit** in this model (%s), "
          "or DRAM energy left out of the count.\n",
          hw.dram_pj_bit, dram_only / n4, lo_pj,
          tj_lo > PAPER_AVG_TOK_J ? "well below LPDDR4/5's 4-8 pJ/bit" : "unreachable even at 0 pJ/bit");
  {
    perf_hw_t h = hw;
    perf_result_t rr[NM];
    double ts8, tj8;
    h.kv_bits = 8;
    eval_all(&h, &opt, rr);
    int4_means(rr, &ts8, &tj8, NULL);
    fprintf(f, "- With an 8-bit KV cache (`kv_bits=8`) instead of FP16: %.1f tokens/s, %.2f tokens/J (INT4 mean).\n\n",
            ts8, tj8);
  }

  fprintf(f, "## Per model (chosen design, DRAM %g GB/s, decode at ctx %d, TTFT for %d prompt tokens)\n\n",
          hw.dram_gb_s, o.ctx, o.prompt);
  fprintf(f, "| model | WBits | tokens/s | DRAM roofline tok/s | share | bound | tokens/J | tokens/J on-chip | TTFT (ms) | power (W) | MB/token |\n"
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
  for (int m = 0; m < NM; m++)
    fprintf(f, "| %s | %d | %.1f | %.1f | %.1f%% | %s | %.2f | %.0f | %.0f | %.2f | %.1f |\n",
            slm_presets[m].name, perf_model_wbits(&hw, &slm_presets[m]), r[m].tok_s, r[m].roofline_tok_s,
            100 * r[m].roofline_share, r[m].bound, r[m].tok_j, r[m].tok_j_onchip, r[m].ttft_s * 1e3,
            r[m].power_w, r[m].dram_bytes / 1e6);
  fprintf(f, "| **mean of 12 INT4** | 4 | **%.1f** | | | | **%.2f** | %.0f | | | |\n", mts, mtj, mtjc);
  fprintf(f, "| paper average (%s) | 4 | %.2f | | | | %.2f | | | | |\n\n", PAPER_REF, PAPER_AVG_TOK_S, PAPER_AVG_TOK_J);
  if (have_plots)
    fprintf(f, "![tokens/s](%s/tok_s.svg)\n\n![tokens/J](%s/tok_j.svg)\n\n", img_rel, img_rel);

  fprintf(f, "## Latency and energy breakdown (chosen design, %% of the decode step)\n\n| model |");
  for (int t = 0; t < PERF_T_COUNT; t++) fprintf(f, " t:%s |", perf_t_names[t]);
  for (int e = 0; e < PERF_E_COUNT; e++) fprintf(f, " E:%s |", perf_e_names[e]);
  fprintf(f, "\n|---|");
  for (int k = 0; k < PERF_T_COUNT + PERF_E_COUNT; k++) fprintf(f, "---:|");
  fprintf(f, "\n");
  for (int m = 0; m < NM; m++) {
    fprintf(f, "| %s |", slm_presets[m].name);
    for (int t = 0; t < PERF_T_COUNT; t++) fprintf(f, " %.1f |", 100 * r[m].t_s[t] / r[m].time_s);
    for (int e = 0; e < PERF_E_COUNT; e++) fprintf(f, " %.1f |", 100 * r[m].e_j[e] / r[m].energy_j);
    fprintf(f, "\n");
  }

  report_area_and_critical_path(f, &hw);

  fprintf(f, "\n## Against published edge platforms, at equal DRAM bandwidth\n\n"
          "Published rows transcribed into `perf/perf_baselines.c`. Roofline = platform DRAM bandwidth / "
          "bytes per decode step (packed INT4 weights at 4.5 bits incl. FP16 group scales, FP16 KV at ctx %d, "
          "vectors). EdgeCIM = the best design of the same DSE at the platform's bandwidth (no power cap; "
          "design in the last column).\n\n", o.ctx);
  fprintf(f, "| platform | GB/s | model | runtime | published tok/s | platform roofline tok/s | published share | EdgeCIM tok/s | EdgeCIM share | speedup | source | EdgeCIM design |\n"
             "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
  double orin_lo = 1e9, orin_hi = 0;
  for (int i = 0; i < perf_n_baselines; i++) {
    const perf_baseline_t *b = &perf_baselines[i];
    int m = model_index(b->model);
    if (m < 0) continue;
    perf_hw_t h = i < 32 ? plat_hw[i] : hw;
    perf_workload_t wl;
    perf_result_t rr;
    perf_workload_build(&slm_presets[m], &wl);
    perf_evaluate(&h, &wl, &opt, &rr);
    double roof = b->dram_gb_s * 1e9 / bytes_per_token(&h, m, o.ctx);
    fprintf(f, "| %s | %g | %s | %s | %.2f | %.1f | %.0f%% | %.1f | %.0f%% | %.2fx | %s | `%s` |\n", b->platform,
            b->dram_gb_s, b->model, b->runtime, b->tok_s, roof, 100 * b->tok_s / roof, rr.tok_s,
            100 * rr.roofline_share, rr.tok_s / b->tok_s, b->source, i < 32 ? plat_desc[i] : "chosen design");
    if (!strncmp(b->platform, "jetson-orin-nano", 16)) {
      orin_lo = fmin(orin_lo, 100 * b->tok_s / roof);
      orin_hi = fmax(orin_hi, 100 * b->tok_s / roof);
    }
  }
  /* Paper claims */
  {
    int m1 = model_index("llama3.2-1b"), m3 = model_index("llama3.2-3b");
    perf_hw_t h = hw;
    double b1 = bytes_per_token(&h, m1, o.ctx), b3 = bytes_per_token(&h, m3, o.ctx);
    double orin_roof = 68e9 / b1;
    double sa_claim = PAPER_SPEEDUP_SA8255P * 14.02;
    fprintf(f, "\n### The paper's speedup claims\n\n"
            "- %.2fx vs SA8255P on llama3.2-3b (SA8255P: 14.02 tok/s at 76.8 GB/s) means %.1f tok/s. "
            "One llama3.2-3b decode step moves %.2f GB, so that rate needs >= **%.0f GB/s** of DRAM "
            "bandwidth (%.1fx the SA8255P's); at 76.8 GB/s the roofline is %.1f tok/s, i.e. at most "
            "%.2fx over the published SA8255P figure, whatever the accelerator.\n",
            PAPER_SPEEDUP_SA8255P, sa_claim, b3 / 1e9, sa_claim * b3 / 1e9, sa_claim * b3 / 76.8e9,
            76.8e9 / b3, 76.8e9 / b3 / 14.02);
    fprintf(f, "- %.1fx vs Jetson Orin Nano on llama3.2-1b: no Orin Nano llama3.2-1b figure is in the "
            "baseline table. At Orin Nano's 68 GB/s the llama3.2-1b roofline is %.1f tok/s, so %.1fx at "
            "equal bandwidth would require Orin Nano to run at <= %.1f%% of its roofline; the published "
            "Orin Nano rows above run at %.0f-%.0f%% of theirs. Our chosen design at 68 GB/s: %.1f tok/s "
            "(%.2fx of a hypothetical Orin Nano at the mean of those shares).\n",
            PAPER_SPEEDUP_ORIN_NANO, orin_roof, PAPER_SPEEDUP_ORIN_NANO, 100 / PAPER_SPEEDUP_ORIN_NANO,
            orin_lo, orin_hi, r[m1].tok_s, r[m1].tok_s / (orin_roof * (orin_lo + orin_hi) / 200));
    fprintf(f, "- Conclusion: the paper's speedups are not equal-bandwidth figures; at equal DRAM "
            "bandwidth a DRAM-bound accelerator can gain only the platform's distance to its roofline "
            "(the speedup column above).\n");
  }
  /* BitNet */
  {
    int mb = model_index("bitnet-b1.58-2b");
    double bytes = bytes_per_token(&hw, mb, o.ctx);
    perf_workload_t wl;
    perf_workload_build(&slm_presets[mb], &wl);
    double wbytes = 0, blk = (double)ecim_block_bytes((uint64_t)hw.macro_rows, (uint64_t)hw.macro_cols, 2);
    for (int s = 0; s < wl.n_shapes; s++)
      wbytes += (double)ecim_w_bytes((uint64_t)wl.shapes[s].k, (uint64_t)wl.shapes[s].n, (uint64_t)hw.macro_rows,
                                     (uint64_t)hw.macro_cols, 2) * wl.shapes[s].count;
    fprintf(f, "\n## BitNet b1.58 2B at WBits=2\n\n"
            "| design | tokens/s | tokens/J | note |\n|---|---:|---:|---|\n"
            "| EdgeCIM chosen design, %g GB/s (analytic model) | %.1f | %.2f | weights streamed: %.0f MB/token (2-bit + FP16 group scales) |\n"
            "| TOM (%s) | %.0f | - | ternary weights in on-chip ROM-SRAM: no weight traffic |\n\n"
            "Streaming BitNet's weights at TOM's rate would need %.0f GB/s; matching it means keeping the "
            "%.0f MB of packed weights resident on chip, i.e. about %.0f resident macros of %.0f B "
            "(NRes is at most 15 per tile and 16 tiles: 240 macros): out of reach for SRAM CIM at 65 nm (TOM uses dense ROM).\n",
            hw.dram_gb_s, r[mb].tok_s, r[mb].tok_j, bytes / 1e6, TOM_REF, TOM_BITNET2B_TOK_S,
            TOM_BITNET2B_TOK_S * bytes / 1e9, wbytes / 1e6, wbytes / blk, blk);
  }
  fprintf(f, "\n## Best design per DRAM bandwidth (mean of the 12 INT4 models; no power cap)\n\n"
             "| DRAM GB/s | tokens/s | roofline tokens/s | tokens/J | area mm2 | design |\n|---:|---:|---:|---:|---:|---|\n");
  for (int i = 0; i < NBW; i++)
    fprintf(f, "| %g | %.1f | %.1f | %.2f | %.1f | `%s` |\n", bw[i].bw, bw[i].mean_ts, bw[i].mean_roof, bw[i].mean_tj, bw[i].area, bw[i].desc);
  if (have_plots)
    fprintf(f, "\n![bandwidth sweep](%s/bw_sweep.svg)\n\n![Pareto fronts](%s/pareto_fronts.svg)\n", img_rel, img_rel);
  else
    fprintf(f, "\n(Plots skipped: gnuplot was not available when this report was generated.)\n");
  fprintf(f, "\n## Reproduce\n\n```\nmake bench-models bench-gemv-part BENCH_HW=%s   # the cycle-exact section, "
          "before make report\nmake report\n# or: edgecim report --set dram_gb_s=%g --ctx %d --prompt %d\n"
          "edgecim dse --out build/perf/dse        # full DSE outputs: pareto.csv/json, dse.md, pareto.svg\n"
          "edgecim perf --config %s/chosen.cfg --breakdown   # the pick\n```\n", named ? named : "NAME", o.hw.dram_gb_s,
          o.ctx, o.prompt, dse_dir);
  int rc = fclose(f);
  free_fronts();
  printf("report: %s written (chosen: %s; INT4 mean %.1f tok/s, %.2f tok/J)\n", o.out, desc, mts, mtj);
  return rc ? -1 : 0;
}
