/* SPDX-License-Identifier: Apache-2.0 */
/* Thread pool; see tpool.h.
 *
 * One 64-bit atomic, claim = generation << 32 | next item, publishes a job and hands out its
 * items: a thread takes item i by a compare-and-swap that also checks the generation, so a
 * worker that wakes late can never take an item of a later job.  The caller counts finished
 * items and, when all are, closes the job (index CLOSED) and returns; only then does it write
 * the next job's fn/arg/count, which a worker reads only after a successful claim of an item
 * of the current job.
 *
 * Idle workers spin on the generation (with a pause hint, yielding the core now and then so
 * that a loaded machine is not starved) for up to SPIN_NS, then sleep on a condition
 * variable. */
#include "tpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* How long an idle worker spins before sleeping: longer than the gaps between the parallel
 * ops of a decode step, shorter than anything a user would notice as a busy core. */
#define SPIN_NS 2000000L
/* Pauses between yields of the core while spinning. */
#define SPINS_PER_YIELD 2000
/* The item index of a finished job: above any item count. */
#define CLOSED 0xffffffffu

struct tpool {
    int n;
    pthread_t *tid;
    tpool_fn fn;
    void *arg;
    atomic_uint_least64_t claim; /* generation << 32 | next item */
    atomic_int n_items;
    atomic_int done;     /* items finished in the current job */
    atomic_int sleepers; /* workers blocked on cv */
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

typedef struct {
    tpool_t *p;
    int tid;
} worker_arg_t;

static inline void cpu_relax(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#endif
}

static long mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static uint32_t generation(tpool_t *p) { return (uint32_t)(atomic_load(&p->claim) >> 32); }

/* Runs items of job gen until none is left (or the job is over). */
static void run_items(tpool_t *p, uint32_t gen, int tid)
{
    for (;;) {
        uint_least64_t c = atomic_load(&p->claim);
        if ((uint32_t)(c >> 32) != gen || (uint32_t)c >= (uint32_t)atomic_load(&p->n_items)) return;
        if (!atomic_compare_exchange_weak(&p->claim, &c, c + 1)) continue;
        p->fn(p->arg, (int)(uint32_t)c, tid);
        atomic_fetch_add(&p->done, 1);
    }
}

/* Waits until the generation differs from seen; returns the new one. */
static uint32_t wait_job(tpool_t *p, uint32_t seen)
{
    long t0 = mono_ns();
    for (long i = 1;; i++) {
        uint32_t g = generation(p);
        if (g != seen) return g;
        cpu_relax();
        if (i % SPINS_PER_YIELD == 0) {
            if (mono_ns() - t0 > SPIN_NS) break;
            sched_yield();
        }
    }
    /* Sleep.  sleepers is raised before the generation is read again, and tpool_run bumps the
     * generation before it reads sleepers: one of the two sees the other (sequentially
     * consistent atomics), and the check under the mutex cannot miss the broadcast. */
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add(&p->sleepers, 1);
    uint32_t g;
    while ((g = generation(p)) == seen) pthread_cond_wait(&p->cv, &p->mu);
    atomic_fetch_sub(&p->sleepers, 1);
    pthread_mutex_unlock(&p->mu);
    return g;
}

static void *worker(void *varg)
{
    worker_arg_t *wa = varg;
    tpool_t *p = wa->p;
    int tid = wa->tid;
    free(wa);
    uint32_t seen = 0; /* the pool starts at generation 0: the first job is never missed */
    for (;;) {
        seen = wait_job(p, seen);
        if (atomic_load(&p->stop)) return NULL;
        run_items(p, seen, tid);
    }
}

/* Starts generation gen (items as set) and wakes sleeping workers. */
static void publish(tpool_t *p, uint32_t gen)
{
    atomic_store(&p->claim, (uint_least64_t)gen << 32);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static void stop_workers(tpool_t *p, int started)
{
    atomic_store(&p->stop, 1);
    atomic_store(&p->n_items, 0);
    publish(p, generation(p) + 1);
    for (int i = 0; i < started; i++) pthread_join(p->tid[i], NULL);
}

tpool_t *tpool_create(int n_threads)
{
    if (n_threads <= 1) return NULL;
    tpool_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n = n_threads;
    p->tid = calloc((size_t)n_threads - 1, sizeof *p->tid);
    if (!p->tid || pthread_mutex_init(&p->mu, NULL)) {
        free(p->tid);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->cv, NULL);
    atomic_init(&p->claim, 0);
    atomic_init(&p->n_items, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->stop, 0);
    for (int i = 0; i < n_threads - 1; i++) {
        worker_arg_t *wa = malloc(sizeof *wa);
        if (wa) *wa = (worker_arg_t){p, i + 1};
        if (!wa || pthread_create(&p->tid[i], NULL, worker, wa)) {
            free(wa);
            stop_workers(p, i);
            pthread_cond_destroy(&p->cv);
            pthread_mutex_destroy(&p->mu);
            free(p->tid);
            free(p);
            return NULL;
        }
    }
    return p;
}

void tpool_destroy(tpool_t *p)
{
    if (!p) return;
    stop_workers(p, p->n - 1);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->tid);
    free(p);
}

int tpool_threads(const tpool_t *p) { return p ? p->n : 1; }

void tpool_run(tpool_t *p, int n_items, tpool_fn fn, void *arg)
{
    if (n_items <= 0) return;
    if (!p || n_items == 1) {
        for (int i = 0; i < n_items; i++) fn(arg, i, 0);
        return;
    }
    p->fn = fn;
    p->arg = arg;
    atomic_store(&p->n_items, n_items);
    atomic_store(&p->done, 0);
    uint32_t gen = generation(p) + 1;
    publish(p, gen); /* seq_cst: fn, arg and the counts are visible to whoever sees gen */
    run_items(p, gen, 0);
    for (long i = 1; atomic_load(&p->done) < n_items; i++) {
        cpu_relax();
        if (i % SPINS_PER_YIELD == 0) sched_yield(); /* a worker holding an item lost its core */
    }
    /* Close the job before the next one changes n_items: a late worker that read the claim
     * before this store fails its compare-and-swap, one that reads it after sees no item. */
    atomic_store(&p->claim, (uint_least64_t)gen << 32 | CLOSED);
}

int tpool_items(const tpool_t *p, int count, int min_units)
{
    if (!p || count <= 0) return count > 0;
    int n = 8 * p->n, most = min_units > 0 ? count / min_units : count;
    if (n > most) n = most;
    return n >= 1 ? n : 1;
}

void tpool_range(int count, int i, int n, int *lo, int *hi)
{
    *lo = (int)((long long)count * i / n);
    *hi = (int)((long long)count * (i + 1) / n);
}

int tpool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}
