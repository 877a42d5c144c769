/* SPDX-License-Identifier: Apache-2.0 */
/* Design-space exploration: grid sweep or NSGA-II over hardware parameters, under area / power
 * / time-to-first-token constraints at a given DRAM bandwidth, keeping the Pareto fronts of
 * (decode latency, energy per token, area) for the mean over the models and for each model. */
#ifndef PERF_DSE_H
#define PERF_DSE_H

#include <stdio.h>

#include "perf_hw.h"
#include "perf_model.h"
#include "perf_pareto.h"

#define PERF_DSE_MAX_DIMS 16
#define PERF_DSE_MAX_VALS 512
#define PERF_DSE_MAX_MODELS 16
#define PERF_DSE_MAX_THREADS 64

typedef struct {
  const perf_param_t *param;
  int nv;
  double v[PERF_DSE_MAX_VALS];
} perf_dim_t;

typedef struct {
  perf_hw_t base;                 /* fixed parameters (incl. dram_gb_s) */
  int ndims;
  perf_dim_t dims[PERF_DSE_MAX_DIMS];
  int nmodels;
  const slm_config_t *models[PERF_DSE_MAX_MODELS];
  perf_workload_t wl[PERF_DSE_MAX_MODELS];
  perf_eval_opts_t eval;          /* ctx of the decode step; prompt for the TTFT constraint */
  double area_max, power_max_w, ttft_max_s; /* <= 0: unconstrained */
  int threads, progress;
} perf_dse_t;

/* Front 0 is the mean over the models ("mean"), or the single model's; fronts 1..nmodels are
 * per model when there are several. */
static inline int perf_dse_nfronts(const perf_dse_t *d) { return d->nmodels > 1 ? d->nmodels + 1 : 1; }
const char *perf_dse_front_name(const perf_dse_t *d, int f);

void perf_dse_init(perf_dse_t *d, const perf_hw_t *base);
/* Adds a swept dimension "key=v1,v2,..." or "key=lo:hi[:step]"; replaces an existing one.
 * 0 or -1 with err. */
int perf_dse_add_dim(perf_dse_t *d, const char *spec, char *err, size_t errlen);
void perf_dse_default_grid(perf_dse_t *d);
int perf_dse_add_model(perf_dse_t *d, const slm_config_t *cfg); /* 0 or -1 */
long long perf_dse_points(const perf_dse_t *d);
void perf_dse_decode(const perf_dse_t *d, long long idx, perf_hw_t *hw);
/* Hash of everything that defines the space and the objectives (shards must agree). */
unsigned long long perf_dse_signature(const perf_dse_t *d);

/* Evaluates design idx: obj[f*3 + {0,1,2}] for each front. Returns 1 if feasible, 0 if it
 * violates a constraint (violation > 0 written if non-NULL), -1 if the design is invalid. */
int perf_dse_eval(const perf_dse_t *d, const perf_hw_t *hw, double *obj, double *violation);

/* Grid sweep over points [first, last) with d->threads threads; fronts[f] receive the Pareto
 * points. Returns feasible point count, or -1 on error. */
long long perf_dse_grid(const perf_dse_t *d, long long first, long long last,
                        perf_points_t *fronts, long long *evaluated);
/* NSGA-II (constrained domination) over the same discrete space; fronts[] receive the Pareto
 * front of every feasible point evaluated. */
long long perf_dse_nsga2(const perf_dse_t *d, int pop, int gens, unsigned long long seed,
                         perf_points_t *fronts, long long *evaluated);

/* Chosen design on a front: the smallest area within `slack` (e.g. 0.02) of the best latency;
 * ties by energy. Returns the index into front, or -1 if empty. */
int perf_dse_pick(const perf_points_t *front, double slack);

/* Shard files: raw fronts with the space signature; merge checks it. */
int perf_dse_write_shard(const perf_dse_t *d, const char *path, int k, int n,
                         const perf_points_t *fronts, long long evaluated, long long feasible);
/* Appends the shard's points to fronts[] and adds its counts to *evaluated / *feasible. */
int perf_dse_read_shard(const perf_dse_t *d, const char *path, perf_points_t *fronts,
                        long long *evaluated, long long *feasible, char *err, size_t errlen);
/* Shard k of n covers [first, last). */
void perf_dse_shard_range(long long total, int k, int n, long long *first, long long *last);

#endif
