/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim perf`, `edgecim dse`, `edgecim report`: option parsing and the perf/dse drivers. */
#include "perf_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_num.h"
#include "json.h"
#include "perf_opts.h"
#include "perf_area.h"
#include "perf_report.h"
#include "perf_output.h"
#include "version.h"

enum { CMD_PERF = 1, CMD_DSE = 2, CMD_REPORT = 4 };

static void usage(int cmd, FILE *f) {
  fprintf(f, "usage: edgecim %s [options]\n", cmd == CMD_PERF ? "perf" : cmd == CMD_DSE ? "dse" : "report");
  fprintf(f,
    "  --model NAME|all      model preset (default all)\n"
    "  --list-models         list the model presets and exit\n"
    "  --config FILE         hardware parameters, `key = value` lines\n"
    "  --set KEY=VALUE       override one parameter (repeatable; later wins)\n"
    "  --params              list the parameters (default, range, unit) and exit\n"
    "  --ctx N               cached positions of the decode step (default 512)\n"
    "  --prompt P            prompt tokens for time to first token (default 128)\n"
    "  -h, --help            this text\n");
  if (cmd == CMD_PERF)
    fprintf(f, "  --json                JSON instead of a table\n"
               "  --breakdown           latency and energy breakdown per model\n"
               "  --area-md             the area by module and the critical path as Markdown, and exit\n"
               "  --write-config FILE   write the resulting parameters as a config file\n");
  if (cmd & (CMD_DSE | CMD_REPORT))
    fprintf(f,
      "  --grid KEY=v1,v2,..|KEY=lo:hi[:step]  swept parameter (repeatable; replaces the default grid)\n"
      "  --area-max MM2        area budget, > 0 (default 50)\n"
      "  --power-max W         average decode power budget incl. DRAM (default 5; 0 = none)\n"
      "  --ttft-max S          time-to-first-token budget for --prompt tokens, worst model (default 5: the 3-4B models' 128-token prompt with the vector ops of every token; 0 = none)\n"
      "  --slack F             chosen = smallest area within F (0..1) of the best latency (default 0.02)\n"
      "  --threads N           worker threads, 1..64 (default 2)\n"
      "  --no-plots            skip gnuplot\n"
      "  --quiet               no progress on stderr\n");
  if (cmd == CMD_DSE)
    fprintf(f,
      "  --search grid|nsga2   exhaustive grid (default) or NSGA-II over the same grid values\n"
      "  --pop N --gens N --seed S   NSGA-II population (96), generations (60), seed (1)\n"
      "  --shard K/N           evaluate shard K of N (0-based) of the grid; writes OUT/shard-K-of-N.csv\n"
      "  --merge FILE...       merge shard files (same options as the shards) into the outputs\n"
      "  --out DIR             output directory (default build/perf/dse)\n");
  if (cmd == CMD_REPORT)
    fprintf(f,
      "  --out FILE            Markdown report (default docs/results.md)\n"
      "  --img DIR             SVG plots (default docs/img)\n"
      "  --work DIR            intermediate files (default build/perf/report)\n"
      "  --measured FILE       cycle-exact whole-model figures of make bench-models (default: those\n"
      "                        of the DSE's pick, perf/measured/models_NAME.csv): the report's headline\n");
}

static int need(int i, int argc, char **argv) {
  if (i + 1 >= argc) {
    fprintf(stderr, "edgecim: option %s needs a value\n", argv[i]);
    return 0;
  }
  return 1;
}

/* Numbers through the shared rules of util/cli_num.h; the bounds are what the model means:
 * positions up to 2^24, at most PERF_DSE_MAX_THREADS workers, an area budget > 0. */
#define POS_MAX (1 << 24)
static int int_opt(const char *a, const char *v, int lo, int hi, int *out) { return cli_int("edgecim", a, v, lo, hi, out); }
static int dbl_opt(const char *a, const char *v, double lo, double hi, int open, double *out) {
  return cli_double("edgecim", a, v, lo, hi, open, out);
}

/* "K/N" with 0 <= K < N. */
static int parse_shard(const char *s, int *k, int *n) {
  const char *end;
  long long a, b;
  if (cli_scan_llong(s, &end, &a) || *end != '/' || cli_scan_llong(end + 1, &end, &b) || *end ||
      b < 1 || b > 1000000 || a < 0 || a >= b) {
    fprintf(stderr, "edgecim: --shard: '%s' is not K/N with 0 <= K < N <= 1000000\n", s);
    return -1;
  }
  *k = (int)a;
  *n = (int)b;
  return 0;
}

/* Returns 0 ok, 1 help/list printed (exit 0), -1 error (exit 2). */
static int parse(int cmd, int argc, char **argv, perf_cli_t *o) {
  memset(o, 0, sizeof *o);
  perf_hw_default(&o->hw);
  o->model = "all";
  o->ctx = 512;
  o->prompt = 128;
  o->search = "grid";
  o->pop = 96;
  o->gens = 60;
  o->seed = 1;
  o->area_max = 50;
  o->power_max = 5;
  o->slack = 0.02;
  o->ttft_max = 5.0;
  o->threads = 2;
  o->plots = 1;
  o->out = cmd == CMD_REPORT ? "docs/results.md" : "build/perf/dse";
  o->img = "docs/img";
  o->work = "build/perf/report";
  o->measured = NULL; /* report: perf/measured/models_NAME.csv of the DSE's pick (perf_report.c) */
  char err[512];
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int dse = cmd & (CMD_DSE | CMD_REPORT);
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(cmd, stdout); return 1; }
    else if (!strcmp(a, "--params")) { /* (perf_hw_default above filled the build parameters in) */
      for (int k = 0; k < perf_n_params; k++)
        printf("%-22s %10g  [%g, %g]%s %s %s\n", perf_params[k].key, perf_params[k].def,
               perf_params[k].min, perf_params[k].max, perf_params[k].integer ? " int" : "",
               perf_params[k].unit, perf_params[k].help);
      return 1;
    } else if (!strcmp(a, "--list-models")) {
      for (int k = 0; k < slm_n_presets; k++)
        printf("%s%s\n", slm_presets[k].name, slm_is_int4_target(&slm_presets[k]) ? "" : " (WBits=2)");
      return 1;
    } else if (!strcmp(a, "--model")) { if (!need(i, argc, argv)) return -1; o->model = argv[++i]; }
    else if (!strcmp(a, "--config")) {
      if (!need(i, argc, argv)) return -1;
      if (perf_hw_load(&o->hw, argv[++i], err, sizeof err)) { fprintf(stderr, "edgecim: --config: %s\n", err); return -1; }
    } else if (!strcmp(a, "--set")) {
      if (!need(i, argc, argv)) return -1;
      if (perf_hw_set_kv(&o->hw, argv[++i], err, sizeof err)) { fprintf(stderr, "edgecim: --set: %s\n", err); return -1; }
    } else if (!strcmp(a, "--ctx")) { if (!need(i, argc, argv) || int_opt(a, argv[++i], 1, POS_MAX, &o->ctx)) return -1; }
    else if (!strcmp(a, "--prompt")) { if (!need(i, argc, argv) || int_opt(a, argv[++i], 0, POS_MAX, &o->prompt)) return -1; }
    else if (cmd == CMD_PERF && !strcmp(a, "--json")) o->json = 1;
    else if (cmd == CMD_PERF && !strcmp(a, "--breakdown")) o->breakdown = 1;
    else if (cmd == CMD_PERF && !strcmp(a, "--area-md")) o->area_md = 1;
    else if (cmd == CMD_PERF && !strcmp(a, "--write-config")) { if (!need(i, argc, argv)) return -1; o->write_cfg = argv[++i]; }
    else if (dse && !strcmp(a, "--grid")) {
      if (!need(i, argc, argv)) return -1;
      if (o->ngrid == PERF_CLI_MAX_LIST) { fprintf(stderr, "edgecim: too many --grid\n"); return -1; }
      o->grid[o->ngrid++] = argv[++i];
    } else if (dse && !strcmp(a, "--area-max")) { if (!need(i, argc, argv) || dbl_opt(a, argv[++i], 0, INFINITY, CLI_LO_OPEN, &o->area_max)) return -1; }
    else if (dse && !strcmp(a, "--power-max")) { if (!need(i, argc, argv) || dbl_opt(a, argv[++i], 0, INFINITY, CLI_CLOSED, &o->power_max)) return -1; }
    else if (dse && !strcmp(a, "--ttft-max")) { if (!need(i, argc, argv) || dbl_opt(a, argv[++i], 0, INFINITY, CLI_CLOSED, &o->ttft_max)) return -1; }
    else if (dse && !strcmp(a, "--slack")) { if (!need(i, argc, argv) || dbl_opt(a, argv[++i], 0, 1, CLI_CLOSED, &o->slack)) return -1; }
    else if (dse && !strcmp(a, "--threads")) { if (!need(i, argc, argv) || int_opt(a, argv[++i], 1, PERF_DSE_MAX_THREADS, &o->threads)) return -1; }
    else if (dse && !strcmp(a, "--no-plots")) o->plots = 0;
    else if (dse && !strcmp(a, "--quiet")) o->quiet = 1;
    else if (cmd == CMD_DSE && !strcmp(a, "--search")) {
      if (!need(i, argc, argv)) return -1;
      o->search = argv[++i];
      if (strcmp(o->search, "grid") && strcmp(o->search, "nsga2")) {
        fprintf(stderr, "edgecim: --search: '%s' is not grid or nsga2\n", o->search);
        return -1;
      }
    } else if (cmd == CMD_DSE && !strcmp(a, "--pop")) { if (!need(i, argc, argv) || int_opt(a, argv[++i], 4, 100000, &o->pop)) return -1; }
    else if (cmd == CMD_DSE && !strcmp(a, "--gens")) { if (!need(i, argc, argv) || int_opt(a, argv[++i], 0, 100000, &o->gens)) return -1; }
    else if (cmd == CMD_DSE && !strcmp(a, "--seed")) {
      uint64_t seed;
      if (!need(i, argc, argv) || cli_u64("edgecim", a, argv[++i], &seed)) return -1;
      o->seed = seed;
    } else if (cmd == CMD_DSE && !strcmp(a, "--shard")) {
      if (!need(i, argc, argv) || parse_shard(argv[++i], &o->shard_k, &o->shard_n)) return -1;
    } else if (cmd == CMD_DSE && !strcmp(a, "--merge")) {
      while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
        if (o->nmerge == PERF_CLI_MAX_LIST) { fprintf(stderr, "edgecim: too many --merge files\n"); return -1; }
        o->merge[o->nmerge++] = argv[++i];
      }
      if (!o->nmerge) { fprintf(stderr, "edgecim: --merge needs shard files\n"); return -1; }
    } else if (dse && !strcmp(a, "--out")) { if (!need(i, argc, argv)) return -1; o->out = argv[++i]; }
    else if (cmd == CMD_REPORT && !strcmp(a, "--img")) { if (!need(i, argc, argv)) return -1; o->img = argv[++i]; }
    else if (cmd == CMD_REPORT && !strcmp(a, "--work")) { if (!need(i, argc, argv)) return -1; o->work = argv[++i]; }
    else if (cmd == CMD_REPORT && !strcmp(a, "--measured")) { if (!need(i, argc, argv)) return -1; o->measured = argv[++i]; }
    else {
      fprintf(stderr, "edgecim: unknown option '%s'\n", a);
      usage(cmd, stderr);
      return -1;
    }
  }
  if (strcmp(o->model, "all") && !slm_preset_find(o->model)) {
    fprintf(stderr, "edgecim: unknown model '%s' (--list-models)\n", o->model);
    return -1;
  }
  if (perf_hw_validate(&o->hw, err, sizeof err)) { fprintf(stderr, "edgecim: %s\n", err); return -1; }
  return 0;
}

static void json_result(const char *name, const perf_hw_t *hw, const perf_result_t *r, int last) {
  const slm_config_t *c = slm_preset_find(name);
  printf("    {\"model\": ");
  json_write_cstr(stdout, name);
  printf(", \"layers\": %d", c ? c->layers : 0);
  printf(", \"tok_s\": %.6g, \"tok_j\": %.6g, \"tok_j_onchip\": %.6g, "
         "\"latency_s\": %.6g, \"energy_j\": %.6g, \"ttft_s\": %.6g, \"prefill_j\": %.6g, "
         "\"roofline_tok_s\": %.6g, \"roofline_share\": %.6g, \"bound\": \"%s\", \"power_w\": %.6g, "
         "\"dram_bytes\": %.6g, \"weight_bytes\": %.6g, \"resident_bytes\": %.6g, \"kv_bytes\": %.6g,\n"
         "     \"gemv_bytes\": %.6g, \"gemv_matrix_bytes\": %.6g,\n"
         "     \"latency_breakdown_s\": {", r->tok_s, r->tok_j, r->tok_j_onchip, r->time_s,
         r->energy_j, r->ttft_s, r->prefill_j, r->roofline_tok_s, r->roofline_share, r->bound,
         r->power_w, r->dram_bytes, r->weight_bytes, r->resident_bytes, r->kv_bytes, r->gemv_bytes,
         r->gemv_matrix_bytes);
  for (int t = 0; t < PERF_T_COUNT; t++) printf("%s\"%s\": %.6g", t ? ", " : "", perf_t_names[t], r->t_s[t]);
  printf("},\n     \"energy_breakdown_j\": {");
  for (int e = 0; e < PERF_E_COUNT; e++) printf("%s\"%s\": %.6g", e ? ", " : "", perf_e_names[e], r->e_j[e]);
  printf("},\n     \"op_cycles\": {");
  for (int k = 0; k < PERF_OP_COUNT; k++) printf("%s\"%s\": %.6g", k ? ", " : "", perf_op_names[k], r->op_cycles[k]);
  printf("}}%s\n", last ? "" : ",");
  (void)hw;
}

int edgecim_cmd_perf(int argc, char **argv) {
  perf_cli_t o;
  int rc = parse(CMD_PERF, argc, argv, &o);
  if (rc) return rc > 0 ? 0 : 2;
  perf_eval_opts_t opt = {o.ctx, o.prompt};
  if (o.write_cfg) {
    FILE *cf = fopen(o.write_cfg, "w");
    if (!cf) { fprintf(stderr, "edgecim: --write-config %s: %s\n", o.write_cfg, strerror(errno)); return 1; }
    fprintf(cf, "# EdgeCIM hardware parameters (edgecim perf --write-config); sources: docs/PERF_MODEL.md\n");
    perf_hw_write(&o.hw, cf);
    if (fclose(cf)) { fprintf(stderr, "edgecim: --write-config %s: %s\n", o.write_cfg, strerror(errno)); return 1; }
  }
  if (o.area_md) {
    perf_area_write(stdout, &o.hw, 1);
    return 0;
  }
  int first = 0, last = slm_n_presets;
  if (strcmp(o.model, "all")) {
    first = (int)(slm_preset_find(o.model) - slm_presets);
    last = first + 1;
  }
  if (o.json) {
    printf("{\n  \"version\": ");
    json_write_cstr(stdout, edgecim_version());
    printf(",\n  \"area_mm2\": %.6g,\n  \"area_breakdown_mm2\": {", perf_hw_area_mm2(&o.hw));
    perf_area_t ar;
    perf_area(&o.hw, &ar);
    for (int k = 0; k < PERF_A_COUNT; k++)
      printf("\"%s\": {\"logic\": %.6g, \"sram\": %.6g}, ", perf_a_names[k], ar.logic_mm2[k], ar.sram_mm2[k]);
    printf("\"base\": %.6g},\n  \"leakage_mw\": %.6g,\n  \"ctx\": %d,\n  \"prompt\": %d,\n  \"hw\": {",
           ar.base_mm2, perf_hw_leak_mw(&o.hw), o.ctx, o.prompt);
    for (int k = 0; k < perf_n_params; k++)
      printf("%s\"%s\": %g", k ? ", " : "", perf_params[k].key, perf_hw_get(&o.hw, &perf_params[k]));
    printf("},\n  \"models\": [\n");
  } else {
    printf("EdgeCIM design: %g tiles x %g macros of %gx%g, %g-byte port, %g MHz, DRAM %g GB/s, area %.2f mm2, "
           "leakage %.1f mW; decode at ctx %d, TTFT for a %d-token prompt (analytic model)\n",
           o.hw.ntiles, o.hw.nmacros, o.hw.macro_rows, o.hw.macro_cols, o.hw.data_bytes, o.hw.clock_mhz, o.hw.dram_gb_s, perf_hw_area_mm2(&o.hw),
           perf_hw_leak_mw(&o.hw), o.ctx, o.prompt);
    printf("%-16s %9s %8s %10s %9s %9s %6s %-7s %7s\n", "model", "tok/s", "tok/J", "tok/J-chip",
           "TTFT(ms)", "roof t/s", "share", "bound", "power W");
  }
  double s_ts = 0, s_tj = 0;
  int n4 = 0;
  for (int m = first; m < last; m++) {
    perf_workload_t wl;
    perf_result_t r;
    if (perf_workload_build(&slm_presets[m], &wl) || perf_evaluate(&o.hw, &wl, &opt, &r)) {
      fprintf(stderr, "edgecim: evaluation of %s failed\n", slm_presets[m].name);
      return 1;
    }
    if (slm_is_int4_target(&slm_presets[m])) { s_ts += r.tok_s; s_tj += r.tok_j; n4++; }
    if (o.json) { json_result(slm_presets[m].name, &o.hw, &r, m + 1 == last); continue; }
    printf("%-16s %9.2f %8.2f %10.1f %9.1f %9.2f %6.3f %-7s %7.2f\n", slm_presets[m].name, r.tok_s,
           r.tok_j, r.tok_j_onchip, r.ttft_s * 1e3, r.roofline_tok_s, r.roofline_share, r.bound, r.power_w);
    if (o.breakdown) {
      printf("    latency ms:");
      for (int t = 0; t < PERF_T_COUNT; t++) printf(" %s %.3f", perf_t_names[t], r.t_s[t] * 1e3);
      printf("\n    energy mJ: ");
      for (int e = 0; e < PERF_E_COUNT; e++) printf(" %s %.3f", perf_e_names[e], r.e_j[e] * 1e3);
      printf("\n    cycles (commands) per class:");
      for (int k = 0; k < PERF_OP_COUNT; k++)
        if (r.op_cycles[k] > 0) printf(" %s %.0f (%.0f)", perf_op_names[k], r.op_cycles[k], r.op_cmds[k]);
      printf("\n");
    }
  }
  if (o.json) printf("  ]\n}\n");
  else if (n4 > 1) printf("%-16s %9.2f %8.2f   (mean of the %d INT4 models; paper: 336.42 tok/s, 173.02 tok/J)\n",
                         "mean INT4", s_ts / n4, s_tj / n4, n4);
  if (!o.json) perf_area_write(stdout, &o.hw, 0); /* the area by module and the critical path */
  return 0;
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int edgecim_cmd_dse(int argc, char **argv) {
  perf_cli_t o;
  int rc = parse(CMD_DSE, argc, argv, &o);
  if (rc) return rc > 0 ? 0 : 2;
  static perf_dse_t d; /* large; not reentrant, one DSE per process call */
  if (perf_cli_setup_dse(&o, &d)) return 2;
  perf_points_t fronts[PERF_DSE_MAX_MODELS + 1];
  memset(fronts, 0, sizeof fronts);
  const int nf = perf_dse_nfronts(&d);
  perf_dse_stats_t st = {o.search, 0, 0, 0, strcmp(o.search, "nsga2") ? o.threads : 1, o.slack};
  const long long total = perf_dse_points(&d);
  double t0 = wall();
  rc = 0;
  if (o.nmerge) {
    char err[512];
    st.search = "grid (merged shards)";
    for (int i = 0; i < o.nmerge && !rc; i++)
      if (perf_dse_read_shard(&d, o.merge[i], fronts, &st.evaluated, &st.feasible, err, sizeof err)) {
        fprintf(stderr, "edgecim: %s\n", err);
        rc = 2;
      }
    for (int f = 0; f < nf && !rc; f++) fronts[f].n = perf_pareto_filter(fronts[f].p, fronts[f].n);
    if (!rc && st.evaluated != total)
      fprintf(stderr, "edgecim: warning: the shards cover %lld of %lld design points\n", st.evaluated, total);
  } else if (!strcmp(o.search, "nsga2")) {
    st.feasible = perf_dse_nsga2(&d, o.pop, o.gens, o.seed, fronts, &st.evaluated);
    if (st.feasible < 0) rc = 1;
  } else {
    long long lo = 0, hi = total;
    if (o.shard_n) perf_dse_shard_range(total, o.shard_k, o.shard_n, &lo, &hi);
    st.feasible = perf_dse_grid(&d, lo, hi, fronts, &st.evaluated);
    if (st.feasible < 0) rc = 1;
  }
  st.seconds = wall() - t0;
  if (!rc && !o.nmerge) {
    printf("dse: %s, %lld design points x %d models in %.3f s: %.4g points x models per second "
           "(%d threads), %lld feasible\n", st.search, st.evaluated, d.nmodels, st.seconds,
           st.evaluated * (double)d.nmodels / (st.seconds > 0 ? st.seconds : 1e-9), st.threads, st.feasible);
  }
  if (!rc && o.shard_n) {
    char path[1100];
    if (perf_mkdir_p(o.out, "--out", o.out)) rc = 1;
    snprintf(path, sizeof path, "%s/shard-%d-of-%d.csv", o.out, o.shard_k, o.shard_n);
    if (!rc && perf_dse_write_shard(&d, path, o.shard_k, o.shard_n, fronts, st.evaluated, st.feasible)) {
      fprintf(stderr, "edgecim: cannot write %s: %s\n", path, strerror(errno));
      rc = 1;
    }
    if (!rc) printf("dse: shard %d/%d written to %s\n", o.shard_k, o.shard_n, path);
  } else if (!rc) {
    int pick = perf_dse_pick(&fronts[0], o.slack);
    if (perf_dse_write_outputs(&d, fronts, pick, &st, o.out, o.plots)) rc = 1;
    for (int f = 0; f < nf && !rc; f++) printf("front %-16s %5d points\n", perf_dse_front_name(&d, f), fronts[f].n);
    if (!rc && pick >= 0) {
      char desc[512];
      perf_dse_describe(&d, fronts[0].p[pick].idx, desc, sizeof desc);
      printf("chosen: %s: %.3f ms/token, %.3f mJ/token, %.2f mm2 (%s/chosen.cfg)\n", desc,
             fronts[0].p[pick].obj[0] * 1e3, fronts[0].p[pick].obj[1] * 1e3, fronts[0].p[pick].obj[2], o.out);
    } else if (!rc) printf("chosen: none (no feasible design under the constraints)\n");
    if (!rc) printf("dse: outputs in %s (pareto.csv, pareto.json, dse.md, chosen.cfg%s)\n", o.out,
                    o.plots && perf_have_gnuplot() ? ", pareto.svg, chosen.svg" : "");
  }
  for (int f = 0; f < nf; f++) perf_points_free(&fronts[f]);
  return rc;
}

int edgecim_cmd_report(int argc, char **argv) {
  perf_cli_t o;
  int rc = parse(CMD_REPORT, argc, argv, &o);
  if (rc) return rc > 0 ? 0 : 2;
  return perf_report_run(&o) ? 1 : 0;
}
