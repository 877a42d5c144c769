/* SPDX-License-Identifier: Apache-2.0 */
/* A fixed pool of host threads for the data-parallel parts of a decode step (GEMV column
 * blocks, attention heads, float rows).  Created once per run: a decode step makes ~100
 * parallel calls of a few tens of microseconds each, so workers spin briefly between calls
 * instead of sleeping, and sleep only when the pool idles.
 *
 * A job is a number of independent items; the threads claim them one at a time, so a thread
 * that the OS does not run (a loaded machine) delays a job by at most the item it holds
 * rather than by its whole share.  Callers make each item compute a fixed range of outputs
 * with the same code whichever thread runs it: results never depend on the number of threads
 * or on timing.  A NULL pool is a valid one-thread pool. */
#ifndef EDGECIM_TPOOL_H
#define EDGECIM_TPOOL_H

typedef struct tpool tpool_t;

/* fn(arg, item, tid): item in [0, n_items), tid in [0, threads) the thread running it (0 is
 * the caller of tpool_run), for per-thread scratch memory. */
typedef void (*tpool_fn)(void *arg, int item, int tid);

/* n_threads in total, the caller included.  NULL (the serial pool) for n_threads <= 1 or on
 * failure. */
tpool_t *tpool_create(int n_threads);
void     tpool_destroy(tpool_t *p);

/* Threads of the pool (1 for NULL). */
int tpool_threads(const tpool_t *p);

/* Runs fn for every item, the caller taking part, and returns when all are done.  Not
 * reentrant: fn must not call tpool_run on the same pool. */
void tpool_run(tpool_t *p, int n_items, tpool_fn fn, void *arg);

/* How many items to cut `count` units into on p: about 8 per thread for balance, at least
 * min_units each, and 1 for the serial pool. */
int tpool_items(const tpool_t *p, int count, int min_units);

/* [*lo, *hi) = item i of n of [0, count): contiguous, sizes differ by at most one. */
void tpool_range(int count, int i, int n, int *lo, int *hi);

/* The machine's online cores (sysconf), at least 1: the default thread count. */
int tpool_cores(void);

#endif
