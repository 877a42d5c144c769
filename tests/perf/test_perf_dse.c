/* SPDX-License-Identifier: Apache-2.0 */
/* DSE tests: the Pareto filter against brute force (with ties), grid fronts with no dominated
 * point and equal to the brute-force front, thread-count independence, shard + merge equal to
 * the unsharded run, NSGA-II never beating the exact front, signature check on merge, and the
 * firmware's device-step rules (slm/slm_fit.c) filtering designs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_dse.h"
#include "slm_fit.h"

static int failures, checks;
#define CHECK(cond, ...)                                       \
  do {                                                         \
    checks++;                                                  \
    if (!(cond) && ++failures <= 30) {                         \
      printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);   \
      printf(__VA_ARGS__);                                     \
      printf("\n");                                            \
    }                                                          \
  } while (0)

static unsigned long long rng = 99;
static int irand(int n) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (int)((rng >> 33) % (unsigned)n);
}

static int same_obj(const perf_point_t *a, const perf_point_t *b) {
  return !memcmp(a->obj, b->obj, sizeof a->obj);
}

/* Brute force: in[] non-dominated, duplicates resolved to the smallest idx. */
static int brute_keep(const perf_point_t *in, int n, int i) {
  for (int j = 0; j < n; j++) {
    if (j == i) continue;
    if (perf_dominates(in[j].obj, in[i].obj)) return 0;
    if (same_obj(&in[j], &in[i]) && in[j].idx < in[i].idx) return 0;
  }
  return 1;
}

static void check_front_exact(const perf_point_t *all, int n, const perf_point_t *front, int nf,
                              const char *what) {
  int want = 0;
  for (int i = 0; i < n; i++) {
    if (!brute_keep(all, n, i)) continue;
    want++;
    int found = 0;
    for (int k = 0; k < nf && !found; k++) found = front[k].idx == all[i].idx && same_obj(&front[k], &all[i]);
    CHECK(found, "%s: non-dominated point idx %lld missing", what, all[i].idx);
  }
  CHECK(nf == want, "%s: front has %d points, brute force %d", what, nf, want);
  for (int a = 0; a < nf; a++)
    for (int b = 0; b < nf; b++)
      CHECK(a == b || !perf_dominates(front[a].obj, front[b].obj), "%s: front point dominated", what);
}

static void test_filter(void) {
  for (int trial = 0; trial < 50; trial++) {
    int n = 1 + irand(800), range = 2 + irand(30);
    perf_point_t *all = malloc((size_t)n * sizeof *all), *f = malloc((size_t)n * sizeof *f);
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < PERF_NOBJ; o++) all[i].obj[o] = irand(range);
      all[i].idx = irand(1000);
    }
    memcpy(f, all, (size_t)n * sizeof *f);
    int nf = perf_pareto_filter(f, n);
    check_front_exact(all, n, f, nf, "filter");
    /* order independence */
    for (int i = n - 1; i > 0; i--) { int j = irand(i + 1); perf_point_t t = all[i]; all[i] = all[j]; all[j] = t; }
    perf_point_t *g = malloc((size_t)n * sizeof *g);
    memcpy(g, all, (size_t)n * sizeof *g);
    int ng = perf_pareto_filter(g, n);
    CHECK(ng == nf && !memcmp(f, g, (size_t)nf * sizeof *f), "filter depends on input order");
    free(all); free(f); free(g);
  }
}

static void setup(perf_dse_t *d, int all_models) {
  perf_hw_t hw;
  perf_hw_default(&hw);
  perf_dse_init(d, &hw);
  char err[256];
  const char *g[] = {"ntiles=1,2,4,8", "nmacros=1:8", "clock_mhz=100:500:100",
                     "nres=0,2", "data_bytes=16,64"};
  for (int i = 0; i < 5; i++)
    if (perf_dse_add_dim(d, g[i], err, sizeof err)) { printf("grid: %s\n", err); exit(1); }
  d->area_max = 12;
  d->power_max_w = 2.9;
  d->ttft_max_s = 4; /* the 13-model grid: 192 of 640 points feasible */
  d->eval.prompt = 64;
  d->eval.ctx = 300;
  for (int m = 0; m < slm_n_presets; m++)
    if (all_models || m == 1) perf_dse_add_model(d, &slm_presets[m]);
}

static int same_fronts(const perf_dse_t *d, const perf_points_t *a, const perf_points_t *b) {
  for (int f = 0; f < perf_dse_nfronts(d); f++)
    if (a[f].n != b[f].n || (a[f].n && memcmp(a[f].p, b[f].p, (size_t)a[f].n * sizeof *a[f].p))) return 0;
  return 1;
}

static void free_all(perf_points_t *v) {
  for (int f = 0; f <= PERF_DSE_MAX_MODELS; f++) perf_points_free(&v[f]);
}

static void test_grid(const char *tmpdir, int all_models) {
  static perf_dse_t d;
  setup(&d, all_models);
  const long long total = perf_dse_points(&d);
  const int nf = perf_dse_nfronts(&d);
  perf_points_t ref[PERF_DSE_MAX_MODELS + 1] = {{0}}, other[PERF_DSE_MAX_MODELS + 1] = {{0}};
  long long ev = 0;
  d.threads = 2;
  long long feas = perf_dse_grid(&d, 0, total, ref, &ev);
  CHECK(feas > 0 && feas < total && ev == total, "grid: %lld feasible of %lld (constraints must bite)", feas, total);

  /* brute force over every design, every front */
  double obj[(PERF_DSE_MAX_MODELS + 1) * 3];
  perf_point_t *all[PERF_DSE_MAX_MODELS + 1];
  int n = 0;
  for (int f = 0; f < nf; f++) all[f] = malloc((size_t)total * sizeof **all);
  for (long long i = 0; i < total; i++) {
    perf_hw_t hw;
    perf_dse_decode(&d, i, &hw);
    double v;
    int ok = perf_dse_eval(&d, &hw, obj, &v);
    CHECK(ok != 0 || v > 0, "infeasible without violation");
    if (ok != 1) continue;
    CHECK(hw.ntiles * hw.nmacros > 0 && perf_hw_area_mm2(&hw) <= d.area_max, "feasible over area");
    for (int f = 0; f < nf; f++) all[f][n] = (perf_point_t){{obj[f * 3], obj[f * 3 + 1], obj[f * 3 + 2]}, i};
    n++;
  }
  CHECK(n == feas, "feasible count %d != %lld", n, feas);
  for (int f = 0; f < nf; f++) {
    char what[64];
    snprintf(what, sizeof what, "grid front %s", perf_dse_front_name(&d, f));
    check_front_exact(all[f], n, ref[f].p, ref[f].n, what);
  }

  /* one thread gives the same fronts */
  d.threads = 1;
  perf_dse_grid(&d, 0, total, other, NULL);
  CHECK(same_fronts(&d, ref, other), "1 thread != 2 threads");
  free_all(other);

  /* shards 0..2 of 3 through files, merged, equal the unsharded fronts */
  d.threads = 2;
  for (int k = 0; k < 3; k++) {
    perf_points_t part[PERF_DSE_MAX_MODELS + 1] = {{0}};
    long long lo, hi;
    perf_dse_shard_range(total, k, 3, &lo, &hi);
    long long pev = 0, pfe = perf_dse_grid(&d, lo, hi, part, &pev);
    char path[512];
    snprintf(path, sizeof path, "%s/shard%d.csv", tmpdir, k);
    CHECK(perf_dse_write_shard(&d, path, k, 3, part, pev, pfe) == 0, "write shard");
    free_all(part);
  }
  char err[512];
  long long mev = 0, mfe = 0;
  for (int k = 0; k < 3; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s/shard%d.csv", tmpdir, k);
    CHECK(perf_dse_read_shard(&d, path, other, &mev, &mfe, err, sizeof err) == 0, "read shard: %s", err);
  }
  CHECK(mev == total && mfe == feas, "merged counts %lld/%lld != %lld/%lld", mev, mfe, total, feas);
  for (int f = 0; f < nf; f++) other[f].n = perf_pareto_filter(other[f].p, other[f].n);
  CHECK(same_fronts(&d, ref, other), "shard+merge != unsharded");
  free_all(other);

  /* a shard from other options is refused */
  d.area_max = 13;
  char path[512];
  snprintf(path, sizeof path, "%s/shard0.csv", tmpdir);
  CHECK(perf_dse_read_shard(&d, path, other, NULL, NULL, err, sizeof err) == -1 && strstr(err, "different options"),
        "signature mismatch not detected: %s", err);
  d.area_max = 12;
  free_all(other);

  /* NSGA-II: feasible, mutually non-dominated, never dominating the exact front */
  long long nev = 0;
  CHECK(perf_dse_nsga2(&d, 24, 15, 7, other, &nev) > 0, "nsga2 found nothing feasible");
  for (int f = 0; f < nf; f++) {
    for (int a = 0; a < other[f].n; a++) {
      for (int b = 0; b < other[f].n; b++)
        CHECK(a == b || !perf_dominates(other[f].p[a].obj, other[f].p[b].obj), "nsga2 front dominated");
      for (int b = 0; b < ref[f].n; b++)
        CHECK(!perf_dominates(other[f].p[a].obj, ref[f].p[b].obj), "nsga2 point beats the exact front");
    }
  }
  int hits = 0;
  for (int a = 0; a < other[0].n; a++)
    for (int b = 0; b < ref[0].n; b++) hits += other[0].p[a].idx == ref[0].p[b].idx;
  CHECK(hits > 0, "nsga2 reached no point of the exact front");
  printf("grid %s: %lld points, %lld feasible, front %d; nsga2 %lld evals, front %d (%d exact)\n",
         all_models ? "13 models" : "1 model", total, feas, ref[0].n, nev, other[0].n, hits);
  /* the pick is on the front and within slack of the best latency */
  int p = perf_dse_pick(&ref[0], 0.02);
  double best = INFINITY;
  for (int i = 0; i < ref[0].n; i++) best = fmin(best, ref[0].p[i].obj[0]);
  CHECK(p >= 0 && ref[0].p[p].obj[0] <= best * 1.02, "pick");
  free_all(other);
  free_all(ref);
  for (int f = 0; f < nf; f++) free(all[f]);
}

/* A design that cannot run some model's device step is no design: 4-bit macros hold no 8-bit KV
 * cache, a context past ActBytes is refused; phi3.5-mini's head_dim 96 with NeoX RoPE runs at
 * every lane count (the firmware makes the pairs adjacent where 2 x VecLanes does not divide 96). */
static void test_step_fit(void) {
  perf_dse_t *d = calloc(1, sizeof *d);
  perf_hw_t hw;
  perf_hw_default(&hw);
  hw.data_bytes = 256;
  perf_dse_init(d, &hw);
  d->eval.ctx = 512;
  d->eval.prompt = 0;
  int phi = -1;
  for (int m = 0; m < slm_n_presets; m++)
    if (!strcmp(slm_presets[m].name, "phi3.5-mini")) phi = m;
  CHECK(phi >= 0, "phi3.5-mini preset");
  if (phi < 0) { free(d); return; }
  perf_dse_add_model(d, &slm_presets[phi]);
  double obj[3 * (PERF_DSE_MAX_MODELS + 1)], v;
  char why[256];
  ecim_hw_t e;
  for (int lanes = 1; lanes <= 32; lanes *= 2) {
    hw.vec_lanes = lanes;
    perf_hw_ecim(&hw, &e);
    int runs = slm_step_unsupported(&e, &slm_presets[phi], 512, why, sizeof why) == NULL;
    CHECK(runs, "phi3.5-mini at %d lanes: %s", lanes, runs ? "runs" : why);
    CHECK((perf_dse_eval(d, &hw, obj, &v) >= 0) == runs, "dse point at %d lanes: %s", lanes, runs ? "runs" : why);
  }
  hw.max_wbits = 4;
  perf_hw_ecim(&hw, &e);
  CHECK(slm_step_unsupported(&e, &slm_presets[phi], 512, why, sizeof why) != NULL && strstr(why, "MaxWBits"),
        "4-bit macros: the 8-bit KV caches must be refused");
  CHECK(perf_dse_eval(d, &hw, obj, &v) == -1, "dse point with 4-bit macros must be refused");
  hw.max_wbits = 8;
  hw.vec_lanes = 8;
  d->eval.ctx = 4096;
  hw.act_bytes = 2048;
  hw.max_batch = 1;
  CHECK(perf_dse_eval(d, &hw, obj, &v) == -1, "ctx 4096 with ActBytes 2048 must be refused");
  hw.act_bytes = 8192;
  CHECK(perf_dse_eval(d, &hw, obj, &v) >= 0, "ctx 4096 with ActBytes 8192 must run");
  free(d);
}

int main(int argc, char **argv) {
  const char *tmp = argc > 1 ? argv[1] : "build/perf/test-dse";
  char cmd[600];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", tmp);
  if (system(cmd)) return 1;
  test_filter();
  test_step_fit();
  test_grid(tmp, 0);
  test_grid(tmp, 1);
  char err[256];
  perf_dse_t *d = calloc(1, sizeof *d);
  perf_hw_t hw;
  perf_hw_default(&hw);
  perf_dse_init(d, &hw);
  CHECK(perf_dse_add_dim(d, "ntiles=1:0", err, sizeof err) == -1 && strstr(err, "bad range"), "%s", err);
  CHECK(perf_dse_add_dim(d, "ntiles=1.5", err, sizeof err) == -1 && strstr(err, "integer"), "%s", err);
  CHECK(perf_dse_add_dim(d, "nope=1", err, sizeof err) == -1 && strstr(err, "unknown parameter"), "%s", err);
  CHECK(perf_dse_add_dim(d, "ntiles=2,x", err, sizeof err) == -1 && strstr(err, "not a number"), "%s", err);
  free(d);
  printf("%s: %d checks, %d failure(s)\n", failures ? "FAIL" : "PASS", checks, failures);
  return failures ? 1 : 0;
}
