/* SPDX-License-Identifier: Apache-2.0 */
/* Invariants of the performance/energy model (perf/): monotonic in DRAM bandwidth, energy and
 * latency conservation, resident weights, DRAM roofline, parameter totals, GEMV timing, and
 * (--config-only DIR) config-file / --set error messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A random valid design (structure, clock, buffers, DRAM) around the defaults. */
static void random_hw(perf_hw_t *hw) {
  perf_hw_default(hw);
  hw->tiles = 1 + (int)(urand() * 32);
  hw->macros_per_tile = 1 + (int)(urand() * 16);
  hw->clock_max_mhz = 1000;
  hw->clock_mhz = 50 + urand() * 900;
  hw->resident_banks = urand() < 0.3 ? (int)(urand() * 8) : 0;
  hw->xbuf_kb = 1 + (int)(urand() * 128);
  hw->dram_gb_s = 4 + urand() * 400;
  hw->dram_latency_ns = urand() * 300;
  hw->kv_bits = urand() < 0.5 ? 8 : 16;
  hw->abits = urand() < 0.2 ? 4 : 8;
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

static void test_resident(void) {
  perf_hw_t hw;
  perf_hw_default(&hw);
  perf_eval_opts_t opt = {256, 0};
  for (int m = 0; m < slm_n_presets; m++) {
    perf_workload_t wl;
    perf_workload_build(&slm_presets[m], &wl);
    perf_result_t s, p, a;
    hw.resident_banks = 0;
    perf_evaluate(&hw, &wl, &opt, &s);
    CHECK(s.resident_bytes == 0 && s.weight_bytes > 0, "%s streamed", slm_presets[m].name);
    hw.resident_banks = 8; /* 1024 macros x 8 banks = 18.9 MB: some layers resident */
    hw.tiles = 64;
    hw.macros_per_tile = 16;
    perf_evaluate(&hw, &wl, &opt, &p);
    CHECK(p.resident_bytes > 0 && p.weight_bytes > 0, "%s: partly resident", slm_presets[m].name);
    CHECK(rel(s.dram_bytes - p.dram_bytes, p.resident_bytes) < 1e-9,
          "%s resident bytes %.6g not removed from DRAM traffic (%.6g -> %.6g)", slm_presets[m].name,
          p.resident_bytes, s.dram_bytes, p.dram_bytes);
    CHECK(rel(s.weight_bytes, p.weight_bytes + p.resident_bytes) < 1e-9, "%s weight split", slm_presets[m].name);
    perf_result_t q; /* same design without resident banks: must stream more, not be faster */
    hw.resident_banks = 0;
    perf_evaluate(&hw, &wl, &opt, &q);
    CHECK(p.tok_s >= q.tok_s, "%s resident slower", slm_presets[m].name);
    hw.resident_banks = 64;
    hw.tiles = 256;
    hw.macros_per_tile = 64; /* 16384 macros x 64 banks: everything fits */
    perf_evaluate(&hw, &wl, &opt, &a);
    CHECK(a.weight_bytes == 0 && rel(a.resident_bytes, s.weight_bytes) < 1e-9,
          "%s all resident: %.6g B still streamed", slm_presets[m].name, a.weight_bytes);
    CHECK(rel(a.dram_bytes, s.dram_bytes - s.weight_bytes) < 1e-9, "%s all resident DRAM %.6g != %.6g",
          slm_presets[m].name, a.dram_bytes, s.dram_bytes - s.weight_bytes);
    hw.tiles = 8;
    hw.macros_per_tile = 4;
  }
}

static void test_gemv(void) {
  perf_hw_t hw;
  perf_hw_default(&hw);
  const double bpc = perf_hw_dram_bytes_per_cycle(&hw);
  /* 18 bytes per 32 INT4 weights */
  CHECK(perf_packed_bytes(&hw, 2048, 2048, 4) == 2048.0 * 2048 / 32 * 18, "packed INT4 bytes");
  CHECK(perf_packed_bytes(&hw, 100, 40, 4) == 64.0 * 128 / 32 * 18, "padding to 32");
  CHECK(perf_bank_bytes(&hw, 4) == 2048 + 256 && perf_bank_bytes(&hw, 2) == 1024 + 256, "bank bytes");
  double prev = 0;
  for (int k = 32; k <= 16384; k *= 2) {
    double c = perf_gemv_cycles(&hw, k, 4096, 0), cr = perf_gemv_cycles(&hw, k, 4096, 1);
    CHECK(c >= perf_packed_bytes(&hw, k, 4096, 4) / bpc, "K=%d streamed faster than DRAM", k);
    CHECK(cr < c, "K=%d resident not faster", k);
    CHECK(c > prev, "K=%d not increasing", k);
    prev = c;
  }
  perf_gemv_t g;
  perf_gemv_timing(&hw, 2048, 2048, 4, 0, 1, &g);
  CHECK(rel(g.total_cycles, g.overhead_cycles + g.io_cycles + g.body_cycles) < 1e-12, "gemv sum");
  CHECK(g.dram_bound && g.passes == 1, "2048x2048 decode is DRAM-bound");
  /* compute-bound when resident: ceil(blocks/macros) * abits */
  perf_gemv_timing(&hw, 2048, 2048, 4, 1, 1, &g);
  CHECK(g.compute_cycles == ceil(64.0 * 16 / 32) * 8 && !g.dram_bound && g.stream_cycles == 0, "resident compute");
  /* batching: compute scales with the batch, weights stream once per pass */
  perf_gemv_timing(&hw, 2048, 2048, 4, 0, 64, &g);
  CHECK(g.compute_cycles == 64 * ceil(64.0 * 16 / 32) * 8, "batch compute");
  CHECK(g.passes == ceil(64 / floor(hw.xbuf_kb * 1024 / (2048 * 1.0625))), "passes %g", g.passes);
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

static int test_config(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
  if (system(cmd)) { printf("cannot create %s\n", dir); return 1; }
  char path[512], err[512];
  snprintf(path, sizeof path, "%s/good.cfg", dir);
  write_file(path, "# comment\n\ntiles = 16   # trailing comment\nclock_mhz=250\n  dram_gb_s = 102.4\n");
  perf_hw_t hw;
  perf_hw_default(&hw);
  CHECK(perf_hw_load(&hw, path, err, sizeof err) == 0, "good file: %s", err);
  CHECK(hw.tiles == 16 && hw.clock_mhz == 250 && hw.dram_gb_s == 102.4, "values loaded");
  /* a written config round-trips */
  snprintf(path, sizeof path, "%s/roundtrip.cfg", dir);
  FILE *f = fopen(path, "w");
  hw.resident_banks = 3;
  perf_hw_write(&hw, f);
  fclose(f);
  perf_hw_t back;
  perf_hw_default(&back);
  CHECK(perf_hw_load(&back, path, err, sizeof err) == 0 && memcmp(&back, &hw, sizeof hw) == 0, "round trip: %s", err);
  CHECK(perf_hw_load(&back, "perf/configs/default.cfg", err, sizeof err) == 0, "perf/configs/default.cfg: %s", err);

  expect_load_error(dir, "unknown.cfg", "tiles = 4\ntile = 4\n", "unknown.cfg:2: unknown parameter 'tile'");
  expect_load_error(dir, "nan.cfg", "clock_mhz = fast\n", "nan.cfg:1: parameter 'clock_mhz': 'fast' is not a number");
  expect_load_error(dir, "range.cfg", "\n\ndram_gb_s = -5\n", "range.cfg:3: parameter 'dram_gb_s': -5 out of range");
  expect_load_error(dir, "int.cfg", "tiles = 2.5\n", "int.cfg:1: parameter 'tiles': '2.5' is not an integer");
  expect_load_error(dir, "noeq.cfg", "tiles 4\n", "noeq.cfg:1: expected 'key = value'");
  expect_load_error(dir, "empty.cfg", "tiles =\n", "empty.cfg:1: parameter 'tiles': missing value");
  expect_load_error(dir, "trail.cfg", "tiles = 4x\n", "'4x' is not a number");
  CHECK(perf_hw_load(&hw, "/nonexistent/x.cfg", err, sizeof err) == -1 && strstr(err, "cannot open"), "missing file: %s", err);
  perf_hw_default(&hw);
  CHECK(perf_hw_set_kv(&hw, "abits", err, sizeof err) == -1 && strstr(err, "expected key=value"), "--set no '=': %s", err);
  CHECK(perf_hw_set_kv(&hw, "abits=9", err, sizeof err) == 0 && hw.abits == 9, "--set ok");
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

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--config-only")) {
    test_doc(argv[3]);
    return test_config(argv[2]);
  }
  test_presets_workloads();
  test_gemv();
  test_invariants_random();
  test_monotonic_bandwidth();
  test_resident();
  printf("%s: %d checks, %d failure(s)\n", failures ? "FAIL" : "PASS", checks, failures);
  return failures ? 1 : 0;
}
