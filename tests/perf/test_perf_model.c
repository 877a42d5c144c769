/* SPDX-License-Identifier: Apache-2.0 */
/* Invariants of the performance/energy model (perf/): monotonic in DRAM bandwidth, energy and
 * latency conservation, resident weights, DRAM roofline, parameter totals, GEMV timing, and
 * the area model against the synthesized cells (perf/area_cells.txt), and (--config-only DIR)
 * config-file / --set error messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_area.h"
#include "perf_cmodel.h"
#include "perf_dse.h"
#include "perf_gemv.h"
#include "perf_hw.h"
#include "perf_model.h"

static int failures, checks;
#define CHECK(cond, ...)                                     \
  do {                                                       \
    checks++;                                                \
    if (!(cond)) {                                           \
      if (++failures <= 30) {                                \
        printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
        printf(__VA_ARGS__);                                 \
        printf("\n");                                        \
      }                                                      \
    }                                                        \
  } while (0)

static unsigned long long rng = 12345;
static double urand(void) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (rng >> 11) * (1.0 / 9007199254740992.0);
}

/* A random legal design (structure, clock, DRAM) around the defaults: redrawn until
 * ecim_hw_check() accepts its build parameters and every preset runs on it. */
static void random_hw(perf_hw_t *hw) {
  static const double ports[] = {16, 32, 64, 128, 256};
  char err[256];
  do {
    perf_hw_default(hw);
    hw->ntiles = 1 + (int)(urand() * 16);
    hw->nmacros = 1 + (int)(urand() * 8);
    hw->nres = urand() < 0.3 ? (int)(urand() * 8) : 0;
    hw->data_bytes = ports[(int)(urand() * 5)];
    hw->macro_rows = urand() < 0.5 ? 128 : 256;
    hw->macro_cols = urand() < 0.5 ? 32 : 64;
    hw->ppu_cols = 1 << (int)(urand() * 4);
    hw->act_bytes = 65536;
    hw->clock_max_mhz = 1000;
    hw->clock_mhz = 50 + urand() * 900;
    hw->dram_gb_s = 4 + urand() * 400;
    hw->dram_latency_ns = urand() * 300;
    hw->kv_bits = urand() < 0.5 ? 8 : 16;
    hw->abits = urand() < 0.2 ? 4 : 8;
  } while (perf_hw_validate(hw, err, sizeof err));
}

static double rel(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

static void check_result(const perf_hw_t *hw, const perf_workload_t *wl, const perf_result_t *r) {
  const char *name = wl->cfg->name;
  double ts = 0, es = 0;
  for (int t = 0; t < PERF_T_COUNT; t++) {
    CHECK(r->t_s[t] >= 0, "%s latency component %s < 0", name, perf_t_names[t]);
    ts += r->t_s[t];
  }
  for (int e = 0; e < PERF_E_COUNT; e++) {
    CHECK(r->e_j[e] >= 0, "%s energy component %s < 0", name, perf_e_names[e]);
    es += r->e_j[e];
  }
  CHECK(rel(ts, r->time_s) < 1e-12, "%s latency breakdown %.17g != total %.17g", name, ts, r->time_s);
  CHECK(rel(es, r->energy_j) < 1e-12, "%s energy breakdown %.17g != total %.17g", name, es, r->energy_j);
  /* DRAM energy is exactly the DRAM bytes moved at dram_pj_bit (byte/energy conservation) */
  CHECK(rel(r->e_j[PERF_E_DRAM], r->dram_bytes * 8 * hw->dram_pj_bit * 1e-12) < 1e-9,
        "%s DRAM energy %.6g J != bytes %.6g x %g pJ/bit", name, r->e_j[PERF_E_DRAM], r->dram_bytes, hw->dram_pj_bit);
  CHECK(rel(r->e_j[PERF_E_LEAK], perf_hw_leak_mw(hw) * 1e-3 * r->time_s) < 1e-9, "%s leakage", name);
  /* never above the DRAM roofline of the bytes it moves */
  CHECK(r->tok_s <= r->roofline_tok_s * (1 + 1e-12), "%s %.6g tok/s above roofline %.6g", name, r->tok_s, r->roofline_tok_s);
  CHECK(r->dram_bytes / (hw->dram_gb_s * 1e9) <= r->time_s * (1 + 1e-12), "%s moves bytes faster than DRAM", name);
  /* independent roofline from the parameter count: streamed weights need >= wbits/8 + 2/32
   * bytes per parameter (4.5 bits for INT4) */
  int wb = perf_model_wbits(hw, wl->cfg);
  double min_bytes = (slm_linear_params(wl->cfg) * (wb / 8.0 + 2.0 / 32)) - r->resident_bytes;
  CHECK(r->tok_s <= hw->dram_gb_s * 1e9 / min_bytes * (1 + 1e-12), "%s above the parameter roofline", name);
  CHECK(r->tok_j <= 1 / r->e_j[PERF_E_DRAM] + 1e-9, "%s tok/J above DRAM-energy ceiling", name);
  CHECK(r->roofline_share > 0 && r->roofline_share <= 1 + 1e-12, "%s share %g", name, r->roofline_share);
}

static void test_presets_workloads(void) {
  for (int m = 0; m < slm_n_presets; m++) {
    perf_workload_t wl;
    CHECK(perf_workload_build(&slm_presets[m], &wl) == 0, "build %s", slm_presets[m].name);
    double p = 0;
    for (int s = 0; s < wl.n_shapes; s++) p += (double)wl.shapes[s].k * wl.shapes[s].n * wl.shapes[s].count;
    CHECK(p == (double)slm_linear_params(&slm_presets[m]) && wl.params_linear == p,
          "%s GEMV params %.0f != linear params %lld", slm_presets[m].name, p, slm_linear_params(&slm_presets[m]));
    CHECK(wl.n_shapes == 5 && wl.attn_layers == slm_presets[m].layers, "%s shapes", slm_presets[m].name);
  }
}

static void test_invariants_random(void) {
  perf_workload_t wl[32];
  for (int m = 0; m < slm_n_presets; m++) perf_workload_build(&slm_presets[m], &wl[m]);
  for (int it = 0; it < 300; it++) {
    perf_hw_t hw;
    random_hw(&hw);
    char err[256];
    CHECK(perf_hw_validate(&hw, err, sizeof err) == 0, "random design invalid: %s", err);
    perf_eval_opts_t opt = {1 + (int)(urand() * 4096), (int)(urand() * 256)};
    for (int m = 0; m < slm_n_presets; m++) {
      perf_result_t r;
      CHECK(perf_evaluate(&hw, &wl[m], &opt, &r) == 0, "evaluate");
      check_result(&hw, &wl[m], &r);
      if (opt.prompt > 0) CHECK(r.ttft_s > 0 && r.prefill_j > 0, "%s prefill", slm_presets[m].name);
    }
  }
}

static void test_monotonic_bandwidth(void) {
  for (int d = 0; d < 20; d++) {
    perf_hw_t hw;
    random_hw(&hw);
    perf_eval_opts_t opt = {512, 64};
    for (int m = 0; m < slm_n_presets; m++) {
      perf_workload_t wl;
      perf_workload_build(&slm_presets[m], &wl);
      double prev = 0, prev_ttft = INFINITY;
      for (double bw = 1; bw <= 2000; bw *= 1.25) {
        hw.dram_gb_s = bw;
        perf_result_t r;
        perf_evaluate(&hw, &wl, &opt, &r);
        CHECK(r.tok_s >= prev * (1 - 1e-12), "%s tok/s fell from %.6g to %.6g at %g GB/s", slm_presets[m].name, prev, r.tok_s, bw);
        CHECK(r.ttft_s <= prev_ttft * (1 + 1e-12), "%s TTFT rose at %g GB/s", slm_presets[m].name, bw);
        prev = r.tok_s;
        prev_ttft = r.ttft_s;
      }
    }
  }
}

/* The analytic model against the cycle-exact C model on a few GEMVs of the calibrated domain
 * (the same reference as make calibrate, on shapes small enough for a test), and its basic laws. */
static void test_gemv(void) {
  static const struct { const char *cfg; double bw, lat; perf_cmd_t c; } cases[] = {
    {"default", 16, 40, {896, 1152, 4, 1, 1, 0, 0, 0}},
    {"default", 12, 40, {1000, 300, 8, 4, 0, 1, 0, 0}},
    {"quad", 32, 200, {1536, 768, 4, 1, 0, 0, 0, 0}},
    {"odd", 64, 40, {2000, 600, 2, 1, 0, 0, 0, 0}},
    {"edge68", 194.3, 35, {896, 4864, 4, 1, 0, 0, 0, 0}},
    {"wide", 256, 40, {4096, 256, 2, 16, 0, 0, 0, 0}}, /* compute-bound */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const ecim_hw_t *h = ecim_hw_find(cases[i].cfg);
    perf_dram_t d = {cases[i].bw, cases[i].lat, 0, 8};
    perf_cm_result_t r;
    char err[256];
    CHECK(h && perf_cm_gemv(h, &d, &cases[i].c, &r, err, sizeof err) == 0, "C model run %zu: %s", i, err);
    if (!h) continue;
    perf_gemv_t g;
    perf_gemv_timing(h, &d, &cases[i].c, &g);
    double e = (g.total_cycles - (double)r.cycles) / (double)r.cycles;
    printf("  %-8s %5dx%-5d W%d B%-2d: C model %8llu cycles, analytic %9.0f (%+.2f%%, %s)\n", cases[i].cfg,
           cases[i].c.k, cases[i].c.n, cases[i].c.wbits, cases[i].c.batch, (unsigned long long)r.cycles,
           g.total_cycles, 100 * e, g.bound);
    CHECK(fabs(e) <= 0.02, "%s %dx%d: analytic %.0f vs C model %llu cycles (%+.2f%%)", cases[i].cfg, cases[i].c.k,
          cases[i].c.n, g.total_cycles, (unsigned long long)r.cycles, 100 * e);
    /* the bytes it streams are the generated layout's, and the C model's */
    CHECK(g.read_bytes == (double)r.bytes_read, "%s: read bytes %.0f vs C model %llu", cases[i].cfg, g.read_bytes,
          (unsigned long long)r.bytes_read);
    CHECK(g.total_cycles >= g.read_bytes / d.bytes_per_cycle, "%s: faster than the DRAM", cases[i].cfg);
  }
  /* a command the build cannot run is refused */
  const ecim_hw_t *n = ecim_hw_find("narrow");
  perf_cmd_t w8 = {256, 64, 8, 1, 0, 0, 0, 0}, big = {8192, 64, 4, 1, 0, 0, 0, 0}, batch = {1024, 64, 4, 5, 0, 0, 0, 0};
  CHECK(perf_gemv_check(n, &w8, NULL, 0) == -1 && perf_gemv_check(n, &big, NULL, 0) == -1 &&
        perf_gemv_check(n, &batch, NULL, 0) == -1, "narrow refuses W8, K > ActBytes, batch > MaxBatch");
  /* the block figure the ARCHITECTURE.md states */
  CHECK(perf_block_cycles(ecim_hw_find("default")) == 8 && perf_block_cycles(n) == 32, "block cycles");
}

/* Every design the default DSE grid proposes and evaluates is one ecim_hw_check() accepts. */
static void test_dse_legal(void) {
  static perf_dse_t d;
  perf_hw_t base;
  perf_hw_default(&base);
  perf_dse_init(&d, &base);
  perf_dse_default_grid(&d);
  perf_dse_add_model(&d, slm_preset_find("qwen2.5-0.5b"));
  long long n = perf_dse_points(&d), ok = 0, bad = 0;
  for (long long i = 0; i < n; i += 37) {
    perf_hw_t hw;
    ecim_hw_t e;
    char err[256];
    double obj[3 * (PERF_DSE_MAX_MODELS + 1)];
    perf_dse_decode(&d, i, &hw);
    perf_hw_ecim(&hw, &e);
    int legal = ecim_hw_check(&e, err, sizeof err) == 0;
    int r = perf_dse_eval(&d, &hw, obj, NULL);
    CHECK(legal || r == -1, "point %lld: an illegal build was evaluated (%s)", i, err);
    for (int k = 0; k < d.ndims; k++)
      CHECK(!d.dims[k].param->hw || ecim_hw_param_legal(d.dims[k].param->hw, (long long)perf_hw_get(&hw, d.dims[k].param)),
            "axis %s value not legal", d.dims[k].param->key);
    ok += legal;
    bad += !legal;
  }
  printf("  DSE grid: %lld points, sampled %lld legal and %lld illegal (refused)\n", n, ok, bad);
  CHECK(ok > 0 && bad > 0, "the sample has both");
  char err[256];
  CHECK(perf_dse_add_dim(&d, "data_bytes=16,48", err, sizeof err) == -1 && strstr(err, "legal"), "48-byte port: %s", err);
  CHECK(perf_dse_add_dim(&d, "macro_rows=192", err, sizeof err) == -1, "192 rows refused");
}

/* ------------------------------------------------------------ config parsing */

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

static void expect_load_error(const char *dir, const char *name, const char *text, const char *want) {
  char path[512], err[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (write_file(path, text)) { CHECK(0, "cannot write %s", path); return; }
  perf_hw_t hw;
  perf_hw_default(&hw);
  int rc = perf_hw_load(&hw, path, err, sizeof err);
  CHECK(rc == -1, "%s loaded although invalid", name);
  CHECK(strstr(err, want) != NULL, "%s: error '%s' lacks '%s'", name, err, want);
  printf("  %s -> %s\n", name, err);
}

/* A checked-in config is the named configuration it says it is: its build parameters are exactly
 * that entry of hw/edgecim_hw.json (what the RTL and the C model build, what bench-models runs
 * the config's analytic figures beside), at the clock and DRAM bandwidth it is measured at. */
static void expect_named_config(const char *path, const char *name, double clock_mhz, double dram_gb_s) {
  perf_hw_t hw;
  char err[512];
  perf_hw_default(&hw);
  CHECK(perf_hw_load(&hw, path, err, sizeof err) == 0 && perf_hw_validate(&hw, err, sizeof err) == 0, "%s: %s", path, err);
  ecim_hw_t e;
  perf_hw_ecim(&hw, &e);
  const char *got = ecim_hw_name(&e);
  CHECK(got && !strcmp(got, name), "%s: its build parameters are %s, not %s's", path, got ? got : "no named configuration",
        name);
  CHECK(hw.clock_mhz == clock_mhz && hw.dram_gb_s == dram_gb_s, "%s: %g MHz, %g GB/s (want %g, %g)", path, hw.clock_mhz,
        hw.dram_gb_s, clock_mhz, dram_gb_s);
  printf("  %s = %s at %g MHz, %g GB/s (%.1f B/cycle)\n", path, name, hw.clock_mhz, hw.dram_gb_s,
         perf_hw_dram_bytes_per_cycle(&hw));
}

static int test_config(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
  if (system(cmd)) { printf("cannot create %s\n", dir); return 1; }
  char path[512], err[512];
  snprintf(path, sizeof path, "%s/good.cfg", dir);
  write_file(path, "# comment\n\nntiles = 16   # trailing comment\nclock_mhz=250\n  dram_gb_s = 102.4\n");
  perf_hw_t hw;
  perf_hw_default(&hw);
  CHECK(perf_hw_load(&hw, path, err, sizeof err) == 0, "good file: %s", err);
  CHECK(hw.ntiles == 16 && hw.clock_mhz == 250 && hw.dram_gb_s == 102.4, "values loaded");
  /* a written config round-trips */
  snprintf(path, sizeof path, "%s/roundtrip.cfg", dir);
  FILE *f = fopen(path, "w");
  hw.nres = 3;
  perf_hw_write(&hw, f);
  fclose(f);
  perf_hw_t back;
  perf_hw_default(&back);
  CHECK(perf_hw_load(&back, path, err, sizeof err) == 0 && memcmp(&back, &hw, sizeof hw) == 0, "round trip: %s", err);
  CHECK(perf_hw_load(&back, "perf/configs/default.cfg", err, sizeof err) == 0, "perf/configs/default.cfg: %s", err);
  expect_named_config("perf/configs/chosen.cfg", "edge68", 350, 68);
  expect_named_config("perf/configs/dse68.cfg", "dse68", 400, 68); /* 170 B/cycle: make bench-models */

  expect_load_error(dir, "unknown.cfg", "ntiles = 4\ntile = 4\n", "unknown.cfg:2: unknown parameter 'tile'");
  expect_load_error(dir, "nan.cfg", "clock_mhz = fast\n", "nan.cfg:1: parameter 'clock_mhz': 'fast' is not a number");
  expect_load_error(dir, "range.cfg", "\n\ndram_gb_s = -5\n", "range.cfg:3: parameter 'dram_gb_s': -5 out of range");
  expect_load_error(dir, "int.cfg", "ntiles = 2.5\n", "int.cfg:1: parameter 'ntiles': '2.5' is not an integer");
  expect_load_error(dir, "noeq.cfg", "ntiles 4\n", "noeq.cfg:1: expected 'key = value'");
  expect_load_error(dir, "empty.cfg", "ntiles =\n", "empty.cfg:1: parameter 'ntiles': missing value");
  expect_load_error(dir, "trail.cfg", "ntiles = 4x\n", "'4x' is not a number");
  CHECK(perf_hw_load(&hw, "/nonexistent/x.cfg", err, sizeof err) == -1 && strstr(err, "cannot open"), "missing file: %s", err);
  perf_hw_default(&hw);
  CHECK(perf_hw_set_kv(&hw, "abits", err, sizeof err) == -1 && strstr(err, "expected key=value"), "--set no '=': %s", err);
  CHECK(perf_hw_set_kv(&hw, "abits=4", err, sizeof err) == 0 && hw.abits == 4, "--set ok");
  CHECK(perf_hw_set_kv(&hw, "abits=6", err, sizeof err) == -1 && strstr(err, "legal"), "--set abits=6: %s", err);
  hw.clock_mhz = 900;
  CHECK(perf_hw_validate(&hw, err, sizeof err) == -1 && strstr(err, "clock_max_mhz"), "validate clock: %s", err);
  printf("%s: %d checks, %d failure(s)\n", failures ? "FAIL" : "PASS", checks, failures);
  return failures ? 1 : 0;
}

/* Every parameter is documented with its source in docs/PERF_MODEL.md. */
static void test_doc(const char *path) {
  FILE *f = fopen(path, "r");
  CHECK(f != NULL, "cannot open %s", path);
  if (!f) return;
  static char doc[1 << 18];
  size_t n = fread(doc, 1, sizeof doc - 1, f);
  doc[n] = 0;
  fclose(f);
  for (int i = 0; i < perf_n_params; i++) {
    char key[64];
    snprintf(key, sizeof key, "`%s`", perf_params[i].key);
    CHECK(strstr(doc, key) != NULL, "%s does not document %s", path, key);
  }
}

/* The area model (perf/perf_area.c) against its source, perf/area_cells.txt (the header must be
 * regenerated from it), for edge68 (the one synthesized configuration, the design chosen before
 * dse68): exactly its own synthesized cells, a macro logic term from a law that reproduces every
 * macro synthesis, a vector-unit term, its paths. */
static void test_area(void) {
  FILE *f = fopen("perf/area_cells.txt", "r");
  CHECK(f != NULL, "perf/area_cells.txt: cannot read (run from the repository root)");
  if (!f) return;
  char line[512];
  double top_ge[PERF_A_COUNT] = {0}, vu_ge = 0, macro_ge[16] = {0};
  int macro_rc[16][2], nmac = 0, npath = 0, max_depth = 0, nppu = 0;
  double ppu_lanes[8], ppu_ge[8];
  static const char *const keys[PERF_A_COUNT] = {"macro", "ppu", "tile", "seq", "dma", "regs", "vu"};
  while (fgets(line, sizeof line, f)) {
    char cfg[64], src[64], mod[64], part[16], from[256], to[256];
    double inst, ge, ff, ffge;
    int depth, r, c;
    if (line[0] == '#') continue;
    if (sscanf(line, "path %63s %63s %d %255s %255s", cfg, mod, &depth, from, to) == 5) {
      if (!strcmp(cfg, "edge68")) npath++, max_depth = depth > max_depth ? depth : max_depth;
      continue;
    }
    if (sscanf(line, "%63s %63s %63s %15s %lf %lf %lf %lf", cfg, src, mod, part, &inst, &ge, &ff, &ffge) != 8) continue;
    if (strcmp(cfg, "edge68")) continue;
    for (int i = 0; i < PERF_A_COUNT; i++)
      if (!strcmp(part, keys[i]) && (!strcmp(src, "top") || !strcmp(src, "ppu"))) top_ge[i] += ge;
    int db;
    if (sscanf(src, "ppu-%d", &db) == 1 && nppu < 8) ppu_lanes[nppu] = fmax(8, db / 8.0), ppu_ge[nppu++] = ge;
    if (!strcmp(src, "vu")) vu_ge += ge;
    if (sscanf(src, "macro-%dx%d", &r, &c) == 2 && nmac < 16) {
      macro_rc[nmac][0] = r, macro_rc[nmac][1] = c, macro_ge[nmac] = ge;
      nmac++;
    }
  }
  fclose(f);
  perf_hw_t hw;
  perf_hw_default(&hw);
  perf_hw_from_ecim(&hw, ecim_hw_find("edge68"));
  perf_area_t a;
  perf_area(&hw, &a);
  CHECK(a.cells_exact && !strcmp(a.cells_of, "edge68"), "edge68 takes its own cells, not %s's", a.cells_of);
  if (top_ge[PERF_A_PPU] == 0 && nppu == 0) { /* not synthesized yet (make area-synth HW=edge68 AREA_PARTS=ppu:64) */
    printf("  area: the post-processor of edge68 is not in perf/area_cells.txt: its logic is 0\n");
    CHECK(a.logic_ge[PERF_A_PPU] == 0 && a.ppu_points == 0, "no post-processor synthesis, yet %.0f GE", a.logic_ge[PERF_A_PPU]);
    top_ge[PERF_A_PPU] = -1; /* skipped below */
  } else if (top_ge[PERF_A_PPU] == 0) { /* post-processors synthesized at narrower ports only: their law */
    CHECK(nppu >= 1 && a.ppu_points == nppu, "edge68: %d narrower post-processor syntheses (%d in the law)", nppu, a.ppu_points);
    for (int k = 0; k < nppu; k++)
      CHECK(rel(a.ppu_a + a.ppu_b * ppu_lanes[k], ppu_ge[k]) < 0.05, "post-processor law at %g lanes: %.0f vs %.0f GE",
            ppu_lanes[k], a.ppu_a + a.ppu_b * ppu_lanes[k], ppu_ge[k]);
    top_ge[PERF_A_PPU] = a.ppu_a + a.ppu_b * 32; /* edge68: 32 lanes (its 256-byte port) */
    CHECK(a.ppu_b > 0, "post-processor logic grows with the lanes");
  }
  for (int i = 0; i < PERF_A_COUNT; i++) {
    if (i == PERF_A_MACRO || top_ge[i] < 0) continue;
    double want = i == PERF_A_VU && vu_ge > 0 ? vu_ge : top_ge[i];
    CHECK(want > 0, "edge68: no %s cells in perf/area_cells.txt", perf_a_names[i]);
    CHECK(rel(a.logic_ge[i], want) < 1e-6, "edge68 %s: %.1f GE in the model, %.1f in perf/area_cells.txt "
          "(make area-header)", perf_a_names[i], a.logic_ge[i], want);
  }
  CHECK(a.vu_exact, "edge68: the vector unit of its own lanes and banks");
  /* the macro law: at least two geometries, each reproduced within 5% */
  CHECK(nmac >= 2 && a.macro_points == nmac, "edge68: %d macro syntheses (%d in the law), want >= 2", nmac, a.macro_points);
  for (int k = 0; k < nmac; k++) {
    double rr = macro_rc[k][0], cc = macro_rc[k][1];
    double bank = 2 * (rr * cc * 8 + rr / ECIM_GROUP_ROWS * cc * 16) * 8.0;
    double law = a.macro_a + a.macro_b * rr * cc;
    CHECK(rel(law, macro_ge[k] - bank) < 0.05, "macro %gx%g: law %.0f GE vs synthesized logic %.0f", rr, cc, law,
          macro_ge[k] - bank);
  }
  CHECK(a.logic_ge[PERF_A_MACRO] > 0 && a.macro_b > 0, "edge68: macro logic %.0f GE", a.logic_ge[PERF_A_MACRO]);
  /* the weight banks dominate a macro: their bit-cells, 2 banks x (8 bit-planes + FP16 scales per group) */
  CHECK(rel(a.sram_bits[PERF_A_MACRO], 4 * 2 * (256.0 * 64 * 8 + 8 * 64 * 16)) < 1e-12, "edge68 weight bits");
  CHECK(rel(a.sram_bits[PERF_A_VU], 5 * 16384 * 8 + 64 * 32) < 1e-12, "edge68 vector-unit bank bits");
  double sum = a.base_mm2;
  for (int i = 0; i < PERF_A_COUNT; i++) sum += a.logic_mm2[i] + a.sram_mm2[i];
  CHECK(rel(sum, a.total_mm2) < 1e-12 && rel(perf_hw_area_mm2(&hw), a.total_mm2) < 1e-12, "area parts sum");
  /* scaling: more tiles, lanes or macro rows cost area; a larger GE or bit-cell costs area */
  perf_hw_t h2 = hw;
  h2.ntiles = 4;
  CHECK(perf_hw_area_mm2(&h2) > a.total_mm2, "4 tiles not larger than 2");
  h2 = hw;
  h2.vec_lanes = 8;
  perf_area_t a2;
  perf_area(&h2, &a2);
  CHECK(a2.logic_ge[PERF_A_VU] < a.logic_ge[PERF_A_VU] && a2.logic_ge[PERF_A_VU] > 0,
        "8 lanes: %.0f GE, not below 32 lanes' %.0f", a2.logic_ge[PERF_A_VU], a.logic_ge[PERF_A_VU]);
  h2 = hw;
  h2.macro_rows = 512;
  perf_area(&h2, &a2);
  CHECK(a2.logic_ge[PERF_A_MACRO] > a.logic_ge[PERF_A_MACRO] && a2.sram_bits[PERF_A_MACRO] > a.sram_bits[PERF_A_MACRO],
        "512-row macros not larger");
  /* the critical path of edge68 (the only configuration with recorded paths) */
  const perf_path_t *p = perf_crit_path("edge68");
  CHECK(npath > 0 && p && p->depth == max_depth, "edge68: deepest path %d in perf/area_cells.txt, %d in the model",
        max_depth, p ? p->depth : -1);
  if (p) {
    double ns = perf_path_ns(&hw, p->depth);
    CHECK(rel(ns, (p->depth * hw.cell_fo4 + hw.seq_fo4) * hw.fo4_ps * 1e-3) < 1e-12 && ns > perf_path_ns(&hw, p->depth - 1),
          "path delay");
  }
  CHECK(perf_crit_path("no-such-config") == NULL, "a configuration without paths");
}

/* The vector-op terms against the cycle-exact C model: a few ops of a real layer (make calibrate
 * runs 102), within 2%; a shape the unit cannot run is refused. */
static void test_vu(void) {
  static const struct { const char *cfg; double bw, lat; perf_vop_t op; } cases[] = {
    {"edge68", 194.3, 35, {ECIM_CMD_OP_NORM, 896, 1, 0, ECIM_VU_FMT_QX, 0, 0, 0, 0, 0}},
    {"edge68", 194.3, 35, {ECIM_CMD_OP_SOFTMAX, 4096, 7, 0, ECIM_VU_FMT_QX, 1, 0, 0, 0, 0}},
    {"default", 16, 40, {ECIM_CMD_OP_ROPE, 64, 16, 0, ECIM_VU_FMT_QX, 0, 0, 0, 511, 4096}},
    {"odd", 48, 60, {ECIM_CMD_OP_VAPPEND, 64, 2, 0, 0, 0, 0, 0, 512, 4096}},
  };
  char err[256];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const ecim_hw_t *hw = ecim_hw_find(cases[i].cfg);
    perf_dram_t d = {cases[i].bw, cases[i].lat, 0, 8};
    perf_cm_result_t r;
    int rc = perf_cm_vop(hw, &d, &cases[i].op, &r, err, sizeof err);
    CHECK(rc == 0, "vector op %d on %s: %s", cases[i].op.op, cases[i].cfg, err);
    if (rc) continue;
    double an = perf_vu_cycles(hw, &d, &cases[i].op);
    CHECK(rel(an, (double)r.cycles) <= 0.02, "vector op %d on %s: analytic %.0f vs C model %llu", cases[i].op.op,
          cases[i].cfg, an, (unsigned long long)r.cycles);
  }
  perf_vop_t rope = {ECIM_CMD_OP_ROPE, 4096, 1, 0, ECIM_VU_FMT_QX, 0, 0, 0, 0, 8}; /* longer than a chunk */
  CHECK(perf_vu_check(ecim_hw_find("default"), &rope, err, sizeof err) == -1 && strstr(err, "VU_SHAPE"), "%s", err);
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--config-only")) {
    test_doc(argv[3]);
    return test_config(argv[2]);
  }
  test_presets_workloads();
  test_gemv();
  test_vu();
  test_area();
  test_dse_legal();
  test_invariants_random();
  test_monotonic_bandwidth();
  printf("%s: %d checks, %d failure(s)\n", failures ? "FAIL" : "PASS", checks, failures);
  return failures ? 1 : 0;
}
