/* SPDX-License-Identifier: Apache-2.0 */
/* Host GEMV benchmark (figures, not pass/fail):
 *   1. the machine's memory read bandwidth on 1 .. T threads (a 512 MiB stream);
 *   2. the functional GEMV kernel on one in-cache INT4 matrix, at every SIMD level;
 *   3. the GEMVs of one decode step of a preset (default qwen2.5-0.5b: every layer's matrices
 *      and the LM head, as packed INT4 in host memory, so they stream from DRAM) through the
 *      cmodel-functional backend on 1 .. T threads: GB/s of weights, against (1).
 * Usage: bench_gemv [--preset NAME] [--threads T] [--quick]   (T default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"
#include "ecim_gemv.h"
#include "rng.h"
#include "slm_config.h"
#include "tpool.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* -------------------------------------------------------------- memory bandwidth */

typedef struct {
    const uint64_t *p;
    size_t n; /* words */
    uint64_t sum[64];
} stream_job_t;

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx2"))) static uint64_t sum_avx2(const uint64_t *p, size_t n)
{
    __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
    for (size_t i = 0; i + 16 <= n; i += 16) {
        a = _mm256_add_epi64(a, _mm256_loadu_si256((const __m256i *)(const void *)(p + i)));
        b = _mm256_add_epi64(b, _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 4)));
        c = _mm256_add_epi64(c, _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 8)));
        d = _mm256_add_epi64(d, _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 12)));
    }
    uint64_t s[4];
    _mm256_storeu_si256((__m256i *)(void *)s, _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d)));
    return s[0] + s[1] + s[2] + s[3];
}
#endif

static uint64_t sum_words(const uint64_t *p, size_t n)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return sum_avx2(p, n);
#endif
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        a += p[i];
        b += p[i + 1];
        c += p[i + 2];
        d += p[i + 3];
    }
    return a + b + c + d;
}

/* Item i: the i-th MiB. */
static void stream_item(void *arg, int i, int tid)
{
    stream_job_t *j = arg;
    j->sum[tid % 64] += sum_words(j->p + (size_t)i * (1 << 17), (size_t)1 << 17);
}

/* Best of reps streams of bytes through the pool. */
static double bandwidth(tpool_t *pool, const uint64_t *p, size_t bytes, int reps)
{
    stream_job_t j = {.p = p, .n = bytes / 8};
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        tpool_run(pool, (int)(bytes >> 20), stream_item, &j);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    if (j.sum[0] == 42) printf(" "); /* keep the sums alive */
    return bytes / best * 1e-9;
}

/* ------------------------------------------------------------------- matrices */

/* A packed INT4 matrix with uniform random weights and scales like a real model's
 * (|w_scale| ~ 2^-7 .. 2^-5): the fast path's common case. */
static uint8_t *random_matrix(rng_t *r, int K, int N, size_t *bytes)
{
    *bytes = ecim_packed_bytes(K, N, 4);
    uint8_t *w = malloc(*bytes);
    if (!w) return NULL;
    for (size_t i = 0; i < *bytes; i++) w[i] = (uint8_t)rng_u64(r);
    int kp = ecim_round_up(K, 32);
    for (int nb = 0; nb < ecim_round_up(N, 32) / 32; nb++)
        for (int kb = 0; kb * 128 < kp; kb++) {
            int rows;
            uint8_t *blk = w + ecim_block_offset(K, 4, nb, kb, &rows);
            for (int i = 0; i < rows; i++) { /* rows / 32 scale rows of 32 columns */
                uint16_t s = (uint16_t)((rng_below(r, 2) << 15) | ((8 + rng_below(r, 3)) << 10) | rng_below(r, 1024));
                ecim_put_le16(blk + (size_t)rows * 16 + 2 * i, s);
            }
        }
    return w;
}

static void random_x(rng_t *r, int K, int8_t *xq, uint16_t *xs)
{
    int kp = ecim_round_up(K, 32);
    for (int k = 0; k < kp; k++) xq[k] = k < K ? (int8_t)(rng_below(r, 255) - 127) : 0;
    for (int g = 0; g < kp / 32; g++) xs[g] = (uint16_t)(((9 + rng_below(r, 4)) << 10) | rng_below(r, 1024));
}

/* ------------------------------------------------------------------ benchmarks */

static void bench_kernel(rng_t *r, int quick)
{
    enum { K = 896, N = 4864 };
    size_t bytes;
    uint8_t *w = random_matrix(r, K, N, &bytes);
    int8_t xq[K];
    uint16_t xs[K / 32];
    int64_t *y = malloc((size_t)N * 8);
    random_x(r, K, xq, xs);
    static const char *const names[] = {"portable", "AVX2", "AVX-512"};
    printf("bench-gemv: kernel %dx%d INT4 in cache (%.1f MB), one thread:", K, N, bytes / 1e6);
    double t0 = now();
    int reps = 0;
    while (now() - t0 < (quick ? 0.2 : 1.0)) { ecim_gemv_ref(w, K, N, 4, xq, xs, NULL, 0, y); reps++; }
    printf(" ref %.2f ms", (now() - t0) / reps * 1e3);
    for (int level = 0; level <= 2; level++) {
        if (ecim_gemv_set_simd(level) != level) continue;
        double best = 1e30;
        for (int k = 0; k < (quick ? 3 : 10); k++) {
            t0 = now();
            reps = 0;
            while (now() - t0 < 0.1) { ecim_gemv_fast(w, K, N, 4, xq, xs, NULL, 0, y); reps++; }
            double dt = (now() - t0) / reps;
            if (dt < best) best = dt;
        }
        printf(", %s %.3f ms (%.1f GB/s)", names[level], best * 1e3, bytes / best * 1e-9);
    }
    printf("\n");
    ecim_gemv_set_simd(2);
    free(w);
    free(y);
}

typedef struct {
    int K, N, count; /* count: matrices of this shape in one step */
} shape_t;

/* The GEMVs of one decode step of c (q/k/v and gate/up fused, as the firmware runs them). */
static int step_shapes(const slm_config_t *c, shape_t s[5])
{
    int qd = c->heads * c->head_dim, kvd = c->kv_heads * c->head_dim;
    s[0] = (shape_t){c->hidden, qd + 2 * kvd, c->layers};
    s[1] = (shape_t){qd, c->hidden, c->layers};
    s[2] = (shape_t){c->hidden, 2 * c->intermediate, c->layers};
    s[3] = (shape_t){c->intermediate, c->hidden, c->layers};
    s[4] = (shape_t){c->hidden, c->vocab, 1};
    return 5;
}

static int bench_step(rng_t *r, const slm_config_t *c, int max_threads, int quick, double bw1)
{
    shape_t sh[5];
    int ns = step_shapes(c, sh), total = 0, maxk = 0, maxn = 0;
    for (int i = 0; i < ns; i++) {
        total += sh[i].count;
        if (sh[i].K > maxk) maxk = sh[i].K;
        if (sh[i].N > maxn) maxn = sh[i].N;
    }
    ecim_accel_t a;
    if (accel_create("cmodel-functional", &a) != ACCEL_OK) return -1;
    uint64_t *h = malloc((size_t)total * sizeof *h);
    int8_t *xq = malloc((size_t)ecim_round_up(maxk, 32));
    uint16_t *xs = malloc((size_t)ecim_round_up(maxk, 32) / 32 * 2);
    int64_t *y = malloc((size_t)maxn * 8);
    double bytes = 0;
    int m = 0;
    /* layer by layer, as a step reads them: no matrix is still in cache when it comes again */
    for (int l = 0; l < c->layers + 1; l++)
        for (int i = 0; i < ns; i++) {
            if ((l == c->layers) != (i == 4)) continue;
            size_t b;
            uint8_t *w = random_matrix(r, sh[i].K, sh[i].N, &b);
            if (!w || a.load_matrix(a.ctx, w, sh[i].K, sh[i].N, 4, &h[m]) != ACCEL_OK) return -1;
            free(w);
            m++;
            bytes += (double)b;
        }
    random_x(r, maxk, xq, xs);
    printf("bench-gemv: the GEMVs of one %s decode step (%d matrices, %.0f MB packed INT4, from DRAM), "
           "cmodel-functional:\n", c->name, m, bytes / 1e6);
    for (int t = 1; t <= max_threads; t++) {
        tpool_t *pool = tpool_create(t);
        a.set_pool(a.ctx, pool);
        double st[15];
        int runs = quick ? 5 : 15;
        for (int k = 0; k < runs; k++) {
            double t0 = now();
            for (int i = 0; i < m; i++) a.gemv(a.ctx, h[i], 1, xq, xs, NULL, 0, y);
            st[k] = now() - t0;
        }
        for (int i = 1; i < runs; i++) /* insertion sort for the median */
            for (int j = i; j > 0 && st[j] < st[j - 1]; j--) {
                double x = st[j];
                st[j] = st[j - 1];
                st[j - 1] = x;
            }
        double med = st[runs / 2];
        printf("bench-gemv:   %d thread%s: median %.2f ms per step, %.1f GB/s (%.0f%% of the 1-thread "
               "memory bandwidth), best %.2f ms\n", tpool_threads(pool), t > 1 ? "s" : " ", med * 1e3,
               bytes / med * 1e-9, 100 * bytes / med * 1e-9 / bw1, st[0] * 1e3);
        a.set_pool(a.ctx, NULL);
        tpool_destroy(pool);
    }
    a.destroy(a.ctx);
    free(h); free(xq); free(xs); free(y);
    return 0;
}

int main(int argc, char **argv)
{
    const char *preset = "qwen2.5-0.5b";
    int max_threads = 2, quick = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--preset") && i + 1 < argc) preset = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) max_threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--quick")) quick = 1;
        else {
            fprintf(stderr, "usage: bench_gemv [--preset NAME] [--threads T] [--quick]\n");
            return 2;
        }
    }
    const slm_config_t *c = slm_preset_find(preset);
    if (!c || max_threads < 1) {
        fprintf(stderr, "bench_gemv: unknown preset '%s' or bad thread count\n", preset);
        return 2;
    }
    rng_t r;
    rng_seed(&r, 7);
    size_t sbytes = (size_t)512 << 20;
    uint64_t *buf = malloc(sbytes);
    if (!buf) return 1;
    memset(buf, 1, sbytes);
    double bw1 = 0;
    printf("bench-gemv: memory read bandwidth (512 MiB, best of 5):");
    for (int t = 1; t <= max_threads; t++) {
        tpool_t *pool = tpool_create(t);
        double bw = bandwidth(pool, buf, sbytes, 5);
        if (t == 1) bw1 = bw;
        printf("%s %d thread%s %.1f GB/s", t > 1 ? "," : "", tpool_threads(pool), t > 1 ? "s" : "", bw);
        tpool_destroy(pool);
    }
    printf("\n");
    free(buf);
    bench_kernel(&r, quick);
    return bench_step(&r, c, max_threads, quick, bw1) ? 1 : 0;
}
