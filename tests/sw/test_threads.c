/* SPDX-License-Identifier: Apache-2.0 */
/* Host threads must not change a single bit:
 *   - the thread pool runs every item exactly once per job, job after job, on valid thread ids;
 *   - the cmodel-functional backend on 1 .. 5 threads gives the golden model's int64 outputs
 *     (ecim_gemv_ref), for shapes whose column blocks do not split evenly (or number fewer
 *     than the threads), with bias and accumulate, INT4/INT8/INT2, a batch of one and of 3;
 *   - whole decode steps (accelerator and float engines) give identical logits on 1 and 3
 *     threads, on a tiny Qwen2.5-shaped model, and so does a prefill of more tokens than one
 *     batch takes, equal to the steps.
 * Usage: test_threads WORKDIR [seed] */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accel.h"
#include "ecim_gemv.h"
#include "forward.h"
#include "mkmodel.h"
#include "model.h"
#include "rng.h"
#include "tpool.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

enum { MAX_ITEMS = 50 };

typedef struct {
    atomic_int hits[MAX_ITEMS];
    atomic_int bad_tid;
    int threads;
    int job;
    int seen[MAX_ITEMS]; /* job number each item last saw */
} count_job_t;

static void count_item(void *arg, int i, int tid)
{
    count_job_t *j = arg;
    if (tid < 0 || tid >= j->threads) atomic_fetch_add(&j->bad_tid, 1);
    atomic_fetch_add(&j->hits[i], 1);
    j->seen[i] = j->job;
}

static void test_pool(void)
{
    CHECK(tpool_threads(NULL) == 1, "a NULL pool has one thread");
    CHECK(tpool_cores() >= 1, "tpool_cores() = %d", tpool_cores());
    for (int n = 1; n <= 5; n++) {
        tpool_t *p = tpool_create(n);
        CHECK((n == 1) == (p == NULL) && tpool_threads(p) == n, "tpool_create(%d): %d threads", n, tpool_threads(p));
        count_job_t j;
        memset(&j, 0, sizeof j);
        for (int k = 0; k < MAX_ITEMS; k++) atomic_init(&j.hits[k], 0);
        atomic_init(&j.bad_tid, 0);
        j.threads = n;
        enum { JOBS = 3000 };
        long want[MAX_ITEMS] = {0};
        int stale = 0;
        for (j.job = 1; j.job <= JOBS; j.job++) {
            int items = j.job % MAX_ITEMS; /* 0 .. 49 items, back to back */
            tpool_run(p, items, count_item, &j);
            for (int i = 0; i < items; i++) {
                want[i]++;
                stale += j.seen[i] != j.job; /* done before tpool_run returned */
            }
        }
        for (int i = 0; i < MAX_ITEMS; i++)
            CHECK(atomic_load(&j.hits[i]) == want[i], "%d threads: item %d ran %d times, expected %ld", n, i,
                  atomic_load(&j.hits[i]), want[i]);
        CHECK(stale == 0 && atomic_load(&j.bad_tid) == 0, "%d threads: %d items finished late, %d bad thread ids", n,
              stale, atomic_load(&j.bad_tid));
        tpool_destroy(p);
    }
    /* items cover [0, count) exactly, in order */
    for (int count = 0; count < 40; count++)
        for (int n = 1; n <= 7; n++) {
            int next = 0;
            for (int i = 0; i < n; i++) {
                int lo, hi;
                tpool_range(count, i, n, &lo, &hi);
                CHECK(lo == next && hi >= lo && hi - lo <= count / n + 1, "item %d/%d of %d: [%d, %d)", i, n, count, lo, hi);
                next = hi;
            }
            CHECK(next == count, "items of %d on %d threads end at %d", count, n, next);
        }
    tpool_t *p = tpool_create(3);
    CHECK(tpool_items(NULL, 100, 1) == 1 && tpool_items(p, 100, 1) == 24 && tpool_items(p, 100, 10) == 10 &&
          tpool_items(p, 5, 10) == 1 && tpool_items(p, 0, 1) == 0, "tpool_items");
    tpool_destroy(p);
}

static void random_matrix(rng_t *r, int K, int N, int wbits, uint8_t *w, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++) w[i] = (uint8_t)rng_u64(r);
    int kp = ecim_round_up(K, 32);
    for (int nb = 0; nb < ecim_round_up(N, 32) / 32; nb++) /* model-like scales */
        for (int kb = 0; kb * 128 < kp; kb++) {
            int rows;
            uint8_t *blk = w + ecim_block_offset(K, wbits, nb, kb, &rows);
            for (int i = 0; i < rows; i++)
                ecim_put_le16(blk + (size_t)rows * ecim_row_bytes(wbits) + 2 * i,
                              (uint16_t)((rng_below(r, 2) << 15) | ((7 + rng_below(r, 6)) << 10) | rng_below(r, 1024)));
        }
}

/* One activation vector and a Q39.24 vector of N (bias or old y). */
static void random_x(rng_t *r, int K, int8_t *xq, uint16_t *xs)
{
    int kp = ecim_round_up(K, 32);
    for (int k = 0; k < kp; k++) xq[k] = k < K ? (int8_t)(rng_below(r, 255) - 127) : 0;
    for (int g = 0; g < kp / 32; g++) xs[g] = (uint16_t)(((8 + rng_below(r, 6)) << 10) | rng_below(r, 1024));
}

static void random_q24(rng_t *r, int N, int64_t *v)
{
    for (int n = 0; n < N; n++) v[n] = (int64_t)(rng_u64(r) >> 24) - (1ll << 39);
}

/* Vector b of batch for ecim_gemv_ref: its own slices of the batched arguments. */
static void ref_batch(const uint8_t *w, int K, int N, int wbits, int batch, const int8_t *xq, const uint16_t *xs,
                      const int64_t *bias, int accumulate, int64_t *y)
{
    int kp = ecim_round_up(K, 32);
    for (int b = 0; b < batch; b++)
        ecim_gemv_ref(w, K, N, wbits, xq + (size_t)b * kp, xs + (size_t)b * (kp / 32), bias, accumulate, y + (size_t)b * N);
}

static void test_backend(uint64_t seed)
{
    enum { BATCH = 3 };
    rng_t r;
    rng_seed(&r, seed);
    static const int shapes[][2] = {{896, 1152}, {4864, 896}, {64, 32}, {100, 33}, {896, 100}, {32, 1}, {300, 250}};
    ecim_accel_t a;
    if (accel_create("cmodel-functional", &a) != ACCEL_OK || !a.set_pool) {
        CHECK(0, "cmodel-functional must exist and take a pool");
        return;
    }
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int wbits = 2; wbits <= 8; wbits *= 2) {
            int K = shapes[s][0], N = shapes[s][1], kp = ecim_round_up(K, 32);
            size_t bytes = ecim_packed_bytes(K, N, wbits), yb = (size_t)BATCH * N * 8;
            uint8_t *w = malloc(bytes);
            int8_t *xq = malloc((size_t)BATCH * kp);
            uint16_t *xs = malloc((size_t)BATCH * kp / 32 * 2);
            int64_t *bias = malloc((size_t)N * 8), *y0 = malloc(yb), *want = malloc(yb), *got = malloc(yb);
            random_matrix(&r, K, N, wbits, w, bytes);
            for (int b = 0; b < BATCH; b++) random_x(&r, K, xq + (size_t)b * kp, xs + (size_t)b * (kp / 32));
            random_q24(&r, N, bias);
            random_q24(&r, BATCH * N, y0);
            uint64_t h;
            CHECK(a.load_matrix(a.ctx, w, K, N, wbits, &h) == ACCEL_OK, "load %dx%d", K, N);
            for (int mode = 0; mode < 3; mode++) { /* plain, bias, bias + accumulate */
                const int64_t *bp = mode ? bias : NULL;
                memcpy(want, y0, yb);
                ref_batch(w, K, N, wbits, BATCH, xq, xs, bp, mode == 2, want);
                for (int t = 1; t <= 5; t++) {
                    int batch = t == 1 ? 1 : BATCH; /* a batch of one, then the whole batch */
                    tpool_t *p = tpool_create(t);
                    a.set_pool(a.ctx, p);
                    memcpy(got, y0, yb);
                    int rc = a.gemv(a.ctx, h, batch, xq, xs, bp, mode == 2, got);
                    a.set_pool(a.ctx, NULL);
                    tpool_destroy(p);
                    int bad = -1;
                    for (int n = 0; n < batch * N && bad < 0; n++)
                        if (got[n] != want[n]) bad = n;
                    CHECK(rc == ACCEL_OK && bad < 0,
                          "seed=%llu K=%d N=%d wbits=%d mode=%d threads=%d batch=%d: rc %d, output %d is %lld, golden %lld",
                          (unsigned long long)seed, K, N, wbits, mode, t, batch, rc, bad,
                          bad < 0 ? 0 : (long long)got[bad], bad < 0 ? 0 : (long long)want[bad]);
                }
            }
            free(w); free(xq); free(xs); free(bias); free(y0); free(want); free(got);
        }
    a.destroy(a.ctx);
}

/* Logits of `steps` greedy steps on `threads` threads, engine acc (NULL: float); toks (may be
 * NULL) gets the tokens fed. */
static float *run_steps_toks(const model_t *m, const char *backend, int threads, int steps, int *toks)
{
    char err[512];
    ecim_accel_t a;
    if (backend && accel_create(backend, &a) != ACCEL_OK) return NULL;
    forward_t f;
    if (forward_init(&f, m, backend ? &a : NULL, steps, 0, err, sizeof err)) {
        printf("forward_init: %s\n", err);
        if (backend) a.destroy(a.ctx);
        return NULL;
    }
    int got = forward_set_threads(&f, threads);
    CHECK(got == threads, "forward_set_threads(%d) gave %d", threads, got);
    float *logits = malloc((size_t)steps * m->cfg.vocab * sizeof *logits);
    int tok = 1;
    for (int pos = 0; pos < steps && logits; pos++) {
        if (toks) toks[pos] = tok;
        if (forward_step(&f, tok, pos, NULL, NULL, err, sizeof err)) {
            printf("forward_step: %s\n", err);
            free(logits);
            logits = NULL;
            break;
        }
        memcpy(logits + (size_t)pos * m->cfg.vocab, f.logits, (size_t)m->cfg.vocab * sizeof *logits);
        tok = op_argmax(f.logits, m->cfg.vocab);
    }
    forward_free(&f);
    if (backend) a.destroy(a.ctx);
    return logits;
}

static float *run_steps(const model_t *m, const char *backend, int threads, int steps)
{
    return run_steps_toks(m, backend, threads, steps, NULL);
}

/* The last logits of a prefill of n tokens (several batches of FORWARD_MAX_BATCH) on threads. */
static float *run_prefill(const model_t *m, const char *backend, int threads, const int *toks, int n)
{
    char err[512];
    ecim_accel_t a;
    if (backend && accel_create(backend, &a) != ACCEL_OK) return NULL;
    forward_t f;
    float *logits = NULL;
    if (forward_init(&f, m, backend ? &a : NULL, n, 0, err, sizeof err) == 0) {
        forward_set_threads(&f, threads);
        if (forward_prefill(&f, toks, n, 0, NULL, NULL, err, sizeof err) == 0 &&
            (logits = malloc((size_t)m->cfg.vocab * sizeof *logits)))
            memcpy(logits, f.logits, (size_t)m->cfg.vocab * sizeof *logits);
        else
            printf("forward_prefill: %s\n", err);
        forward_free(&f);
    }
    if (backend) a.destroy(a.ctx);
    return logits;
}

/* A prompt longer than one batch: its prefill on 1 and 3 threads gives the last step's logits. */
static void test_long_prefill(const model_t *m, const char *backend)
{
    enum { N = FORWARD_MAX_BATCH + 9 };
    int toks[N];
    const char *name = backend ? backend : "float";
    float *steps = run_steps_toks(m, backend, 1, N, toks);
    float *one = steps ? run_prefill(m, backend, 1, toks, N) : NULL, *three = one ? run_prefill(m, backend, 3, toks, N) : NULL;
    size_t v = (size_t)m->cfg.vocab;
    CHECK(three && !memcmp(one, steps + (N - 1) * v, v * sizeof *one) && !memcmp(three, one, v * sizeof *one),
          "%s: a prefill of %d tokens (two batches) on 1 and 3 threads differs from %d steps", name, N, N);
    free(steps), free(one), free(three);
}

static void test_forward(const char *wd, uint64_t seed)
{
    slm_config_t c = *slm_preset_find("qwen2.5-0.5b");
    c.hidden = 128;
    c.intermediate = 320;
    c.layers = 2;
    c.heads = 6; /* 6 heads on 3 threads, 2 kv heads */
    c.kv_heads = 2;
    c.head_dim = 32;
    c.vocab = 700;
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/threads.gguf", wd);
    if (mkmodel_write(&c, GGML_TYPE_Q4_0, seed, path, 0, err, sizeof err)) {
        CHECK(0, "mkmodel: %s", err);
        return;
    }
    model_t m;
    if (model_load(&m, path, err, sizeof err)) {
        CHECK(0, "load: %s", err);
        return;
    }
    enum { STEPS = 6 };
    static const char *const engines[] = {"cmodel-functional", NULL};
    for (int e = 0; e < 2; e++) {
        float *one = run_steps(&m, engines[e], 1, STEPS), *three = run_steps(&m, engines[e], 3, STEPS);
        CHECK(one && three, "%s: the runs failed", engines[e] ? engines[e] : "float");
        if (one && three)
            CHECK(!memcmp(one, three, (size_t)STEPS * c.vocab * sizeof *one),
                  "%s: logits on 3 threads differ from 1 thread", engines[e] ? engines[e] : "float");
        free(one);
        free(three);
        test_long_prefill(&m, engines[e]);
    }
    model_free(&m);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_threads WORKDIR [seed]\n");
        return 2;
    }
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    printf("test_threads seed=%llu\n", (unsigned long long)seed);
    mkdir(argv[1], 0755);
    test_pool();
    test_backend(seed);
    test_forward(argv[1], seed);
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
