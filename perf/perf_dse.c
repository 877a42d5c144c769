/* SPDX-License-Identifier: Apache-2.0 */
/* Grid sweep and NSGA-II over the hardware parameters. One evaluation costs O(models x GEMV
 * shapes): the workloads are summarised once (perf_workload_build). */
#include "perf_dse.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slm_fit.h"

const char *perf_dse_front_name(const perf_dse_t *d, int f) {
  if (d->nmodels == 1) return d->models[0]->name;
  return f == 0 ? "mean" : d->models[f - 1]->name;
}

void perf_dse_init(perf_dse_t *d, const perf_hw_t *base) {
  memset(d, 0, sizeof *d);
  d->base = *base;
  d->eval.ctx = 512;
  d->threads = 2;
}

static int find_dim(const perf_dse_t *d, const perf_param_t *p) {
  for (int i = 0; i < d->ndims; i++)
    if (d->dims[i].param == p) return i;
  return -1;
}

int perf_dse_add_dim(perf_dse_t *d, const char *spec, char *err, size_t errlen) {
  char buf[4096];
  if (strlen(spec) >= sizeof buf) { snprintf(err, errlen, "grid spec too long"); return -1; }
  strcpy(buf, spec);
  char *eq = strchr(buf, '=');
  if (!eq) { snprintf(err, errlen, "grid '%s': expected key=v1,v2,... or key=lo:hi[:step]", spec); return -1; }
  *eq = 0;
  const perf_param_t *p = perf_param_find(buf);
  if (!p) { snprintf(err, errlen, "grid: unknown parameter '%s'", buf); return -1; }
  perf_dim_t dim = {.param = p};
  char *vals = eq + 1;
  if (strchr(vals, ':')) {
    double lo, hi, step = 1;
    int n = sscanf(vals, "%lf:%lf:%lf", &lo, &hi, &step);
    if (n < 2 || step <= 0 || hi < lo) {
      snprintf(err, errlen, "grid '%s': bad range (lo:hi[:step], step > 0)", spec);
      return -1;
    }
    for (double v = lo; v <= hi + 1e-9 * fabs(hi); v = lo + step * dim.nv) {
      if (dim.nv == PERF_DSE_MAX_VALS) { snprintf(err, errlen, "grid '%s': more than %d values", spec, PERF_DSE_MAX_VALS); return -1; }
      dim.v[dim.nv++] = v;
    }
  } else {
    for (char *tok = strtok(vals, ","); tok; tok = strtok(NULL, ",")) {
      char *end;
      double v = strtod(tok, &end);
      if (end == tok || *end) { snprintf(err, errlen, "grid '%s': '%s' is not a number", spec, tok); return -1; }
      if (dim.nv == PERF_DSE_MAX_VALS) { snprintf(err, errlen, "grid '%s': more than %d values", spec, PERF_DSE_MAX_VALS); return -1; }
      dim.v[dim.nv++] = v;
    }
  }
  if (dim.nv == 0) { snprintf(err, errlen, "grid '%s': no values", spec); return -1; }
  for (int i = 0; i < dim.nv; i++) {
    char why[256];
    if (!(dim.v[i] == dim.v[i]) || perf_param_check(p, dim.v[i], why, sizeof why)) { /* NaN too */
      snprintf(err, errlen, "grid '%s': value %g invalid for %s (range [%g, %g]%s%s)", spec, dim.v[i], p->key,
               p->min, p->max, p->integer ? ", integer" : "", p->hw ? ", legal values of hw/edgecim_hw.json" : "");
      return -1;
    }
  }
  int at = find_dim(d, p);
  if (at < 0) {
    if (d->ndims == PERF_DSE_MAX_DIMS) { snprintf(err, errlen, "too many grid dimensions"); return -1; }
    at = d->ndims++;
  }
  d->dims[at] = dim;
  return 0;
}

/* The default axes: the build parameters the brief's DSE explores (port width, macro geometry,
 * post-processor width, vector lanes, tiles, macros), each over its legal values from
 * include/edgecim_hw.h (tiles and macros sampled at 1, 2, 4, 8, 16; NSGA-II in the report
 * covers 1..16), and the clock. Every point is then checked by ecim_hw_check() (perf_hw_validate):
 * one that breaks a rule across parameters is not a design and is skipped. */
static void add_legal_dim(perf_dse_t *d, const char *key, int sampled) {
  static const long long samples[] = {1, 2, 4, 8, 16};
  const perf_param_t *p = perf_param_find(key);
  perf_dim_t dim = {.param = p};
  for (long long v = p->hw->min; v <= p->hw->max && dim.nv < PERF_DSE_MAX_VALS; v++) {
    int in_sample = !sampled;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) in_sample |= samples[i] == v;
    if (in_sample && ecim_hw_param_legal(p->hw, v)) dim.v[dim.nv++] = (double)v;
  }
  int at = find_dim(d, p);
  if (at < 0) at = d->ndims++;
  d->dims[at] = dim;
}

void perf_dse_default_grid(perf_dse_t *d) {
  /* vec_lanes is an axis (the vector unit's lanes set attention and the vector ops, 15-30% of a
   * step at 2 lanes); vec_bank_bytes only with --grid (x 6 points; the default 4096 holds the
   * appends of head_dim <= 256 and the softmax scales of ctx <= 32768). */
  static const char *const all[] = {"data_bytes", "macro_rows", "macro_cols", "ppu_cols", "vec_lanes"};
  /* max_batch only with --grid: the decode step is batch 1, it only bounds ActBytes (x 5 points) */
  static const char *const sampled[] = {"ntiles", "nmacros"};
  for (size_t i = 0; i < sizeof sampled / sizeof sampled[0]; i++) add_legal_dim(d, sampled[i], 1);
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) add_legal_dim(d, all[i], 0);
  char err[256];
  if (perf_dse_add_dim(d, "clock_mhz=200:500:50", err, sizeof err)) abort(); /* a static spec */
}

int perf_dse_add_model(perf_dse_t *d, const slm_config_t *cfg) {
  if (d->nmodels == PERF_DSE_MAX_MODELS) return -1;
  if (perf_workload_build(cfg, &d->wl[d->nmodels])) return -1;
  d->models[d->nmodels++] = cfg;
  return 0;
}

long long perf_dse_points(const perf_dse_t *d) {
  long long n = 1;
  for (int i = 0; i < d->ndims; i++) n *= d->dims[i].nv;
  return n;
}

/* Mixed radix, last dimension fastest. */
void perf_dse_decode(const perf_dse_t *d, long long idx, perf_hw_t *hw) {
  *hw = d->base;
  for (int i = d->ndims - 1; i >= 0; i--) {
    const perf_dim_t *dim = &d->dims[i];
    perf_hw_put(hw, dim->param, dim->v[idx % dim->nv]);
    idx /= dim->nv;
  }
}

static unsigned long long fnv(unsigned long long h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) { h ^= c[i]; h *= 1099511628211ULL; }
  return h;
}

unsigned long long perf_dse_signature(const perf_dse_t *d) {
  unsigned long long h = 14695981039346656037ULL;
  char buf[128];
  for (int i = 0; i < perf_n_params; i++) {
    int n = snprintf(buf, sizeof buf, "%s=%.17g;", perf_params[i].key, perf_hw_get(&d->base, &perf_params[i]));
    h = fnv(h, buf, (size_t)n);
  }
  for (int i = 0; i < d->ndims; i++) {
    h = fnv(h, d->dims[i].param->key, strlen(d->dims[i].param->key));
    for (int j = 0; j < d->dims[i].nv; j++) {
      int n = snprintf(buf, sizeof buf, ",%.17g", d->dims[i].v[j]);
      h = fnv(h, buf, (size_t)n);
    }
  }
  for (int i = 0; i < d->nmodels; i++) h = fnv(h, d->models[i]->name, strlen(d->models[i]->name) + 1);
  int n = snprintf(buf, sizeof buf, "ctx=%d prompt=%d area=%.17g power=%.17g ttft=%.17g", d->eval.ctx,
                   d->eval.prompt, d->area_max, d->power_max_w, d->ttft_max_s);
  return fnv(h, buf, (size_t)n);
}

int perf_dse_eval(const perf_dse_t *d, const perf_hw_t *hw, double *obj, double *violation) {
  char err[128];
  if (perf_hw_validate(hw, err, sizeof err)) return -1;
  /* The firmware's rules too (slm/slm_fit.c, the device step's own check): a design that cannot
   * run some model's whole step on the device (head_dim vs 2 x VecLanes for NeoX RoPE, the
   * appends' chunk, the context vs ActBytes and the softmax bank, MaxWBits for the KV caches)
   * is not a design for this model set. */
  ecim_hw_t e;
  perf_hw_ecim(hw, &e);
  const int ctx = d->eval.ctx > d->eval.prompt ? d->eval.ctx : d->eval.prompt;
  for (int m = 0; m < d->nmodels; m++)
    if (slm_step_unsupported(&e, d->models[m], ctx, err, sizeof err)) return -1;
  perf_eval_opts_t opt = d->eval;
  if (d->ttft_max_s <= 0) opt.prompt = 0;
  const int nf = perf_dse_nfronts(d), multi = nf > 1;
  double lat = 0, en = 0, pmax = 0, tmax = 0, area = perf_hw_area_mm2(hw);
  for (int m = 0; m < d->nmodels; m++) {
    perf_result_t r;
    if (perf_evaluate(hw, &d->wl[m], &opt, &r)) return -1;
    lat += r.time_s;
    en += r.energy_j;
    if (r.power_w > pmax) pmax = r.power_w;
    if (r.ttft_s > tmax) tmax = r.ttft_s;
    if (multi) {
      double *o = obj + (m + 1) * PERF_NOBJ;
      o[0] = r.time_s; o[1] = r.energy_j; o[2] = area;
    }
  }
  obj[0] = lat / d->nmodels;
  obj[1] = en / d->nmodels;
  obj[2] = area;
  double v = 0;
  if (d->area_max > 0 && area > d->area_max) v += area / d->area_max - 1;
  if (d->power_max_w > 0 && pmax > d->power_max_w) v += pmax / d->power_max_w - 1;
  if (d->ttft_max_s > 0 && tmax > d->ttft_max_s) v += tmax / d->ttft_max_s - 1;
  if (violation) *violation = v;
  return v > 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- grid sweep */

enum { CHUNK = 2048 };

typedef struct {
  const perf_dse_t *d;
  long long first, last;
  atomic_llong next_chunk, done, feasible;
  atomic_int failed;
} grid_job_t;

typedef struct {
  grid_job_t *job;
  perf_points_t fronts[PERF_DSE_MAX_MODELS + 1];
  int limit[PERF_DSE_MAX_MODELS + 1];
} grid_worker_t;

static int prune(perf_points_t *v, int *limit) {
  int n = perf_pareto_filter(v->p, v->n);
  if (n < 0) return -1;
  v->n = n;
  *limit = n * 4 > 65536 ? n * 4 : 65536;
  return 0;
}

static void *grid_worker(void *arg) {
  grid_worker_t *w = arg;
  grid_job_t *job = w->job;
  const perf_dse_t *d = job->d;
  const int nf = perf_dse_nfronts(d);
  double obj[(PERF_DSE_MAX_MODELS + 1) * PERF_NOBJ];
  for (int f = 0; f < nf; f++) w->limit[f] = 65536;
  for (;;) {
    long long c = atomic_fetch_add(&job->next_chunk, 1);
    long long lo = job->first + c * CHUNK;
    if (lo >= job->last || atomic_load(&job->failed)) break;
    long long hi = lo + CHUNK < job->last ? lo + CHUNK : job->last, feas = 0;
    for (long long i = lo; i < hi; i++) {
      perf_hw_t hw;
      perf_dse_decode(d, i, &hw);
      if (perf_dse_eval(d, &hw, obj, NULL) != 1) continue;
      feas++;
      for (int f = 0; f < nf; f++) {
        perf_point_t pt = {{obj[f * 3], obj[f * 3 + 1], obj[f * 3 + 2]}, i};
        if (perf_points_push(&w->fronts[f], &pt) ||
            (w->fronts[f].n >= w->limit[f] && prune(&w->fronts[f], &w->limit[f]))) {
          atomic_store(&job->failed, 1);
          return NULL;
        }
      }
    }
    atomic_fetch_add(&job->done, hi - lo);
    atomic_fetch_add(&job->feasible, feas);
  }
  return NULL;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

long long perf_dse_grid(const perf_dse_t *d, long long first, long long last,
                        perf_points_t *fronts, long long *evaluated) {
  const int nf = perf_dse_nfronts(d);
  int nt = d->threads < 1 ? 1 : d->threads > PERF_DSE_MAX_THREADS ? PERF_DSE_MAX_THREADS : d->threads;
  grid_job_t job = {.d = d, .first = first, .last = last};
  atomic_init(&job.next_chunk, 0);
  atomic_init(&job.done, 0);
  atomic_init(&job.feasible, 0);
  atomic_init(&job.failed, 0);
  grid_worker_t *w = calloc((size_t)nt, sizeof *w);
  pthread_t *th = calloc((size_t)nt, sizeof *th);
  if (!w || !th) { free(w); free(th); return -1; }
  int started = 0;
  for (int t = 0; t < nt; t++) {
    w[t].job = &job;
    if (pthread_create(&th[t], NULL, grid_worker, &w[t])) break;
    started++;
  }
  if (started == 0) grid_worker(&w[0]); /* no threads available: run inline */
  const double t0 = now_s();
  double last_print = t0;
  const long long total = last - first;
  while (started > 0 && atomic_load(&job.done) < total && !atomic_load(&job.failed)) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    double t = now_s();
    if (d->progress && t - last_print >= 1.0) {
      long long dn = atomic_load(&job.done);
      fprintf(stderr, "dse: %5.1f%% (%lld/%lld points, %.0f points/s)\n", 100.0 * dn / total, dn,
              total, dn / (t - t0));
      last_print = t;
    }
  }
  for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
  int failed = atomic_load(&job.failed);
  for (int f = 0; f < nf; f++) {
    for (int t = 0; t < nt; t++) {
      if (!failed && perf_points_append(&fronts[f], &w[t].fronts[f])) failed = 1;
      perf_points_free(&w[t].fronts[f]);
    }
    int n = failed ? -1 : perf_pareto_filter(fronts[f].p, fronts[f].n);
    if (n < 0) failed = 1; else fronts[f].n = n;
  }
  free(w);
  free(th);
  if (d->progress)
    fprintf(stderr, "dse: %lld points x %d models in %.2f s\n", total, d->nmodels, now_s() - t0);
  if (evaluated) *evaluated = total;
  return failed ? -1 : atomic_load(&job.feasible);
}

/* ---------------------------------------------------------------- NSGA-II */

typedef struct {
  int gene[PERF_DSE_MAX_DIMS];
  double obj[PERF_NOBJ], viol;
  int feasible, rank;
  double crowd;
  long long idx;
} indiv_t;

static unsigned long long rng_next(unsigned long long *s) { /* splitmix64 */
  unsigned long long z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static int rng_int(unsigned long long *s, int n) { return (int)(rng_next(s) % (unsigned)n); }
static double rng_unit(unsigned long long *s) { return (rng_next(s) >> 11) * (1.0 / 9007199254740992.0); }

typedef struct {
  const perf_dse_t *d;
  perf_points_t *fronts;
  long long evaluated, feasible;
  int failed;
} nsga_ctx_t;

static void nsga_eval(nsga_ctx_t *c, indiv_t *x) {
  const perf_dse_t *d = c->d;
  long long idx = 0;
  for (int i = 0; i < d->ndims; i++) idx = idx * d->dims[i].nv + x->gene[i];
  x->idx = idx;
  perf_hw_t hw;
  perf_dse_decode(d, idx, &hw);
  double obj[(PERF_DSE_MAX_MODELS + 1) * PERF_NOBJ], v = 0;
  int ok = perf_dse_eval(d, &hw, obj, &v);
  c->evaluated++;
  x->feasible = ok == 1;
  x->viol = ok < 0 ? 1e30 : v;
  memcpy(x->obj, obj, sizeof x->obj);
  if (ok != 1) return;
  c->feasible++;
  for (int f = 0; f < perf_dse_nfronts(d); f++) {
    perf_point_t pt = {{obj[f * 3], obj[f * 3 + 1], obj[f * 3 + 2]}, idx};
    if (perf_points_push(&c->fronts[f], &pt)) c->failed = 1;
  }
}

/* Constrained domination (Deb 2002). */
static int cdom(const indiv_t *a, const indiv_t *b) {
  if (a->feasible != b->feasible) return a->feasible;
  if (!a->feasible) return a->viol < b->viol;
  return perf_dominates(a->obj, b->obj);
}

static void sort_and_crowd(indiv_t *p, int n) {
  int *cnt = calloc((size_t)n, sizeof *cnt), *order = malloc((size_t)n * sizeof *order);
  char *done = calloc((size_t)n, 1);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if (i != j && cdom(&p[j], &p[i])) cnt[i]++;
  int assigned = 0;
  for (int rank = 0; assigned < n; rank++) {
    int m = 0;
    for (int i = 0; i < n; i++)
      if (!done[i] && cnt[i] == 0) order[m++] = i;
    for (int k = 0; k < m; k++) { done[order[k]] = 1; p[order[k]].rank = rank; p[order[k]].crowd = 0; }
    for (int k = 0; k < m; k++)
      for (int j = 0; j < n; j++)
        if (!done[j] && cdom(&p[order[k]], &p[j])) cnt[j]--;
    /* crowding distance within this rank */
    for (int o = 0; o < PERF_NOBJ && m > 0; o++) {
      for (int a = 1; a < m; a++) /* insertion sort by objective o */
        for (int b = a; b > 0 && p[order[b]].obj[o] < p[order[b - 1]].obj[o]; b--) {
          int t = order[b]; order[b] = order[b - 1]; order[b - 1] = t;
        }
      double lo = p[order[0]].obj[o], hi = p[order[m - 1]].obj[o];
      p[order[0]].crowd = p[order[m - 1]].crowd = INFINITY;
      for (int k = 1; k + 1 < m; k++)
        if (hi > lo) p[order[k]].crowd += (p[order[k + 1]].obj[o] - p[order[k - 1]].obj[o]) / (hi - lo);
    }
    assigned += m;
  }
  free(cnt); free(order); free(done);
}

static int better(const indiv_t *a, const indiv_t *b) {
  return a->rank < b->rank || (a->rank == b->rank && a->crowd > b->crowd);
}

static int cmp_indiv(const void *pa, const void *pb) {
  const indiv_t *a = pa, *b = pb;
  if (better(a, b)) return -1;
  if (better(b, a)) return 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

long long perf_dse_nsga2(const perf_dse_t *d, int pop, int gens, unsigned long long seed,
                         perf_points_t *fronts, long long *evaluated) {
  if (pop < 4) pop = 4;
  pop += pop & 1;
  indiv_t *all = calloc((size_t)pop * 2, sizeof *all);
  if (!all) return -1;
  nsga_ctx_t c = {d, fronts, 0, 0, 0};
  unsigned long long s = seed ? seed : 1;
  for (int i = 0; i < pop; i++) {
    for (int g = 0; g < d->ndims; g++) all[i].gene[g] = rng_int(&s, d->dims[g].nv);
    nsga_eval(&c, &all[i]);
  }
  sort_and_crowd(all, pop);
  const double pm = d->ndims ? 1.0 / d->ndims : 1;
  for (int gen = 0; gen < gens && !c.failed; gen++) {
    for (int i = 0; i < pop; i += 2) {
      indiv_t *par[2];
      for (int k = 0; k < 2; k++) { /* binary tournaments */
        indiv_t *a = &all[rng_int(&s, pop)], *b = &all[rng_int(&s, pop)];
        par[k] = better(a, b) ? a : b;
      }
      indiv_t *ch = &all[pop + i];
      for (int k = 0; k < 2; k++) {
        indiv_t *x = &ch[k];
        memset(x, 0, sizeof *x);
        int cross = rng_unit(&s) < 0.9;
        for (int g = 0; g < d->ndims; g++) {
          x->gene[g] = (cross && rng_unit(&s) < 0.5) ? par[1 - k]->gene[g] : par[k]->gene[g];
          if (rng_unit(&s) < pm) { /* mutation: a step of +-1..2, or anywhere 1 in 4 */
            int nv = d->dims[g].nv;
            if (rng_unit(&s) < 0.25) x->gene[g] = rng_int(&s, nv);
            else {
              int step = 1 + rng_int(&s, 2);
              x->gene[g] += rng_unit(&s) < 0.5 ? -step : step;
              if (x->gene[g] < 0) x->gene[g] = 0;
              if (x->gene[g] >= nv) x->gene[g] = nv - 1;
            }
          }
        }
        nsga_eval(&c, x);
      }
    }
    sort_and_crowd(all, 2 * pop);
    qsort(all, (size_t)pop * 2, sizeof *all, cmp_indiv);
    for (int f = 0; f < perf_dse_nfronts(d) && !c.failed; f++) {
      int n = perf_pareto_filter(fronts[f].p, fronts[f].n);
      if (n < 0) c.failed = 1; else fronts[f].n = n;
    }
    if (d->progress && (gen + 1) % 10 == 0)
      fprintf(stderr, "nsga2: generation %d/%d, %lld evaluated, front %d\n", gen + 1, gens,
              c.evaluated, fronts[0].n);
  }
  for (int f = 0; f < perf_dse_nfronts(d) && !c.failed; f++) {
    int n = perf_pareto_filter(fronts[f].p, fronts[f].n);
    if (n < 0) c.failed = 1; else fronts[f].n = n;
  }
  free(all);
  if (evaluated) *evaluated = c.evaluated;
  return c.failed ? -1 : c.feasible;
}

/* ---------------------------------------------------------------- pick, shards */

int perf_dse_pick(const perf_points_t *front, double slack) {
  int best = -1;
  double lmin = INFINITY;
  for (int i = 0; i < front->n; i++) lmin = fmin(lmin, front->p[i].obj[0]);
  for (int i = 0; i < front->n; i++) {
    const perf_point_t *p = &front->p[i];
    if (p->obj[0] > lmin * (1 + slack)) continue;
    if (best < 0 || p->obj[2] < front->p[best].obj[2] ||
        (p->obj[2] == front->p[best].obj[2] && p->obj[1] < front->p[best].obj[1]))
      best = i;
  }
  return best;
}

void perf_dse_shard_range(long long total, int k, int n, long long *first, long long *last) {
  *first = total * k / n;
  *last = total * (k + 1) / n;
}

int perf_dse_write_shard(const perf_dse_t *d, const char *path, int k, int n,
                         const perf_points_t *fronts, long long evaluated, long long feasible) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "# edgecim-dse-shard 1 signature=%016llx shard=%d/%d fronts=%d\n",
          perf_dse_signature(d), k, n, perf_dse_nfronts(d));
  fprintf(f, "# evaluated=%lld feasible=%lld\n", evaluated, feasible);
  fprintf(f, "front,idx,latency_s,energy_j,area_mm2\n");
  for (int fr = 0; fr < perf_dse_nfronts(d); fr++)
    for (int i = 0; i < fronts[fr].n; i++) {
      const perf_point_t *p = &fronts[fr].p[i];
      fprintf(f, "%d,%lld,%.17g,%.17g,%.17g\n", fr, p->idx, p->obj[0], p->obj[1], p->obj[2]);
    }
  return fclose(f) ? -1 : 0;
}

int perf_dse_read_shard(const perf_dse_t *d, const char *path, perf_points_t *fronts,
                        long long *evaluated, long long *feasible, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
  char line[512];
  unsigned long long sig = 0;
  int nf = 0, lineno = 0, rc = 0;
  if (!fgets(line, sizeof line, f) ||
      sscanf(line, "# edgecim-dse-shard 1 signature=%llx shard=%*d/%*d fronts=%d", &sig, &nf) != 2) {
    snprintf(err, errlen, "%s: not an edgecim dse shard file", path);
    fclose(f);
    return -1;
  }
  lineno = 1;
  if (sig != perf_dse_signature(d) || nf != perf_dse_nfronts(d)) {
    snprintf(err, errlen, "%s: shard was produced with different options (grid, --set, models, "
             "constraints); rerun --merge with the same options as the shards", path);
    fclose(f);
    return -1;
  }
  while (fgets(line, sizeof line, f)) {
    lineno++;
    long long ev, fe;
    if (sscanf(line, "# evaluated=%lld feasible=%lld", &ev, &fe) == 2) {
      if (evaluated) *evaluated += ev;
      if (feasible) *feasible += fe;
      continue;
    }
    if (line[0] == '#' || strncmp(line, "front,", 6) == 0) continue;
    int fr;
    perf_point_t p;
    if (sscanf(line, "%d,%lld,%lf,%lf,%lf", &fr, &p.idx, &p.obj[0], &p.obj[1], &p.obj[2]) != 5 ||
        fr < 0 || fr >= nf || p.idx < 0 || p.idx >= perf_dse_points(d)) {
      snprintf(err, errlen, "%s:%d: malformed point", path, lineno);
      rc = -1;
      break;
    }
    if (perf_points_push(&fronts[fr], &p)) { snprintf(err, errlen, "out of memory"); rc = -1; break; }
  }
  fclose(f);
  return rc;
}
