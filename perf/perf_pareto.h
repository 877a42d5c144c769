/* SPDX-License-Identifier: Apache-2.0 */
/* Pareto fronts of (latency, energy, area) points, all minimised. */
#ifndef PERF_PARETO_H
#define PERF_PARETO_H

#define PERF_NOBJ 3

typedef struct {
  double obj[PERF_NOBJ];
  long long idx; /* design index in the DSE space */
} perf_point_t;

/* a dominates b: <= in every objective and < in at least one. */
int perf_dominates(const double *a, const double *b);

/* Keeps the non-dominated points of pts[0..n-1] in place; among points with identical
 * objectives only the one with the smallest idx is kept. The result is sorted by
 * (obj[0], obj[1], obj[2], idx), so equal inputs give byte-identical outputs whatever their
 * order. O(n log n) for 3 objectives (sort + 2-D staircase). Returns the kept count. */
int perf_pareto_filter(perf_point_t *pts, int n);

/* Growable list of points. */
typedef struct {
  perf_point_t *p;
  int n, cap;
} perf_points_t;
int perf_points_push(perf_points_t *v, const perf_point_t *pt); /* 0 or -1 (out of memory) */
int perf_points_append(perf_points_t *v, const perf_points_t *w);
void perf_points_free(perf_points_t *v);

#endif
