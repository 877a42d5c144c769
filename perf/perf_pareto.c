/* SPDX-License-Identifier: Apache-2.0 */
/* 3-objective Pareto filter: sort by the first objective, then sweep keeping the 2-D staircase
 * of (obj1, obj2) of the points seen so far. A point is dominated (or equal) iff some earlier
 * point has obj1 <= and obj2 <= its own, which the staircase answers by binary search. */
#include "perf_pareto.h"

#include <stdlib.h>
#include <string.h>

int perf_dominates(const double *a, const double *b) {
  int strict = 0;
  for (int i = 0; i < PERF_NOBJ; i++) {
    if (a[i] > b[i]) return 0;
    if (a[i] < b[i]) strict = 1;
  }
  return strict;
}

static int cmp_point(const void *pa, const void *pb) {
  const perf_point_t *a = pa, *b = pb;
  for (int i = 0; i < PERF_NOBJ; i++) {
    if (a->obj[i] < b->obj[i]) return -1;
    if (a->obj[i] > b->obj[i]) return 1;
  }
  return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct { double e, a; } step_t; /* staircase: e ascending, a strictly descending */

/* first index with s[i].e > e */
static int upper(const step_t *s, int n, double e) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (s[mid].e <= e) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* first index with s[i].e >= e */
static int lower(const step_t *s, int n, double e) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (s[mid].e < e) lo = mid + 1; else hi = mid;
  }
  return lo;
}

int perf_pareto_filter(perf_point_t *pts, int n) {
  if (n <= 0) return 0;
  qsort(pts, (size_t)n, sizeof *pts, cmp_point);
  step_t *st = malloc((size_t)n * sizeof *st);
  if (!st) return -1;
  int ns = 0, kept = 0;
  for (int i = 0; i < n; i++) {
    double e = pts[i].obj[1], a = pts[i].obj[2];
    int u = upper(st, ns, e);
    if (u > 0 && st[u - 1].a <= a) continue; /* dominated or equal */
    int lo = lower(st, ns, e), hi = lo;
    while (hi < ns && st[hi].a >= a) hi++; /* now dominated in (e, a) */
    memmove(st + lo + 1, st + hi, (size_t)(ns - hi) * sizeof *st);
    st[lo] = (step_t){e, a};
    ns += 1 - (hi - lo);
    pts[kept++] = pts[i];
  }
  free(st);
  return kept;
}

int perf_points_push(perf_points_t *v, const perf_point_t *pt) {
  if (v->n == v->cap) {
    int cap = v->cap ? 2 * v->cap : 1024;
    perf_point_t *p = realloc(v->p, (size_t)cap * sizeof *p);
    if (!p) return -1;
    v->p = p;
    v->cap = cap;
  }
  v->p[v->n++] = *pt;
  return 0;
}

int perf_points_append(perf_points_t *v, const perf_points_t *w) {
  for (int i = 0; i < w->n; i++)
    if (perf_points_push(v, &w->p[i])) return -1;
  return 0;
}

void perf_points_free(perf_points_t *v) {
  free(v->p);
  memset(v, 0, sizeof *v);
}
