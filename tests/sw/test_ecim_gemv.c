/* SPDX-License-Identifier: Apache-2.0 */
/* ecim_gemv_fast must equal ecim_gemv_ref bit for bit on random and corner inputs.
 * Usage: test_ecim_gemv [seed]   (seed also from $SEED; speed: tests/sw/bench_gemv.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_gemv.h"
#include "rng.h"

enum { SC_RANDOM, SC_TYPICAL, SC_ZERO, SC_SUBNORMAL, SC_HUGE, SC_MIXED };

static uint16_t pick_scale(rng_t *r, int mode)
{
    if (mode == SC_MIXED) mode = (int)rng_below(r, 5);
    switch (mode) {
    case SC_TYPICAL: return (uint16_t)((rng_below(r, 2) << 15) | ((8 + rng_below(r, 12)) << 10) | rng_below(r, 1024));
    case SC_ZERO: return (uint16_t)(rng_below(r, 2) << 15);
    case SC_SUBNORMAL: return (uint16_t)((rng_below(r, 2) << 15) | rng_below(r, 1024));
    case SC_HUGE: return (uint16_t)((rng_below(r, 2) << 15) | ((28 + rng_below(r, 4)) << 10) | rng_below(r, 1024));
    default: return (uint16_t)rng_u64(r);
    }
}

typedef struct { int K, N, wbits, wmode, xmode, smode, accumulate, use_bias, extreme; } case_t;

static int run_case(uint64_t seed, const case_t *c)
{
    rng_t r;
    rng_seed(&r, seed);
    int kp = ecim_round_up(c->K, 32);
    size_t bytes = ecim_packed_bytes(c->K, c->N, c->wbits);
    uint8_t *w = malloc(bytes);
    int8_t *xq = calloc((size_t)kp, 1);
    uint16_t *xs = malloc((size_t)kp / 32 * 2);
    int64_t *bias = malloc((size_t)c->N * 8), *y0 = malloc((size_t)c->N * 8);
    int64_t *ya = malloc((size_t)c->N * 8), *yb = malloc((size_t)c->N * 8);
    /* Fill the stream, then overwrite scales: walk blocks to find scale rows. */
    for (size_t i = 0; i < bytes; i++)
        w[i] = c->wmode == 1 ? (c->wbits == 8 ? 0x80 : c->wbits == 4 ? 0x88 : 0xaa) : (uint8_t)rng_u64(&r);
    int rb = 32 * c->wbits / 8;
    for (int nb = 0; nb < ecim_round_up(c->N, 32) / 32; nb++)
        for (int kb = 0; kb * 128 < kp; kb++) {
            int rows;
            uint8_t *blk = w + ecim_block_offset(c->K, c->wbits, nb, kb, &rows);
            for (int i = 0; i < rows / 32 * 32; i++) {
                uint16_t s = pick_scale(&r, c->smode);
                blk[(size_t)rows * rb + 2 * i] = (uint8_t)s;
                blk[(size_t)rows * rb + 2 * i + 1] = (uint8_t)(s >> 8);
            }
        }
    for (int k = 0; k < c->K; k++) xq[k] = c->xmode == 1 ? -127 : (int8_t)(rng_below(&r, 255) - 127);
    for (int g = 0; g < kp / 32; g++) xs[g] = pick_scale(&r, c->smode);
    for (int n = 0; n < c->N; n++) {
        bias[n] = c->extreme ? (rng_below(&r, 2) ? INT64_MAX - (int64_t)rng_below(&r, 1000)
                                                 : INT64_MIN + (int64_t)rng_below(&r, 1000))
                             : (int64_t)(rng_u64(&r) >> 20) - (1ll << 43);
        y0[n] = c->extreme ? (int64_t)rng_u64(&r) : (int64_t)(rng_u64(&r) >> 24) - (1ll << 39);
    }
    memcpy(ya, y0, (size_t)c->N * 8);
    memcpy(yb, y0, (size_t)c->N * 8);
    const int64_t *b = c->use_bias ? bias : NULL;
    int fails = 0;
    if (ecim_gemv_ref(w, c->K, c->N, c->wbits, xq, xs, b, c->accumulate, ya) ||
        ecim_gemv_fast(w, c->K, c->N, c->wbits, xq, xs, b, c->accumulate, yb)) {
        printf("FAIL seed=%llu: gemv returned an error\n", (unsigned long long)seed);
        fails = 1;
    }
    for (int n = 0; n < c->N && !fails; n++)
        if (ya[n] != yb[n]) {
            printf("MISMATCH seed=%llu K=%d N=%d wbits=%d n=%d expected=%lld actual=%lld\n",
                   (unsigned long long)seed, c->K, c->N, c->wbits, n, (long long)ya[n], (long long)yb[n]);
            fails = 1;
        }
    free(w); free(xq); free(xs); free(bias); free(y0); free(ya); free(yb);
    return fails;
}

int main(int argc, char **argv)
{
    uint64_t seed = getenv("SEED") ? strtoull(getenv("SEED"), NULL, 0) : 1;
    for (int i = 1; i < argc; i++) {
        seed = strtoull(argv[i], NULL, 0);
    }
    printf("test_ecim_gemv seed=%llu\n", (unsigned long long)seed);
    static const case_t corners[] = {
        /* K, N, wbits, wmode(1 = most negative), xmode(1 = -127), smode, acc, bias, extreme */
        {128, 32, 4, 1, 1, SC_HUGE, 0, 0, 0},      {256, 64, 4, 1, 1, SC_TYPICAL, 1, 1, 0},
        {32, 32, 4, 0, 0, SC_ZERO, 1, 1, 0},       {96, 40, 4, 0, 0, SC_SUBNORMAL, 0, 1, 0},
        {1, 1, 4, 0, 0, SC_MIXED, 1, 1, 0},        {1, 33, 4, 1, 1, SC_HUGE, 0, 0, 0},
        {200, 1, 4, 0, 0, SC_MIXED, 0, 1, 0},      {300, 70, 4, 0, 0, SC_HUGE, 1, 1, 1},
        {160, 50, 4, 0, 1, SC_RANDOM, 1, 1, 1},    {513, 97, 4, 0, 0, SC_TYPICAL, 0, 0, 0},
        {128, 32, 8, 1, 1, SC_HUGE, 0, 0, 0},      {77, 45, 8, 0, 0, SC_MIXED, 1, 1, 0},
        {128, 32, 2, 1, 1, SC_HUGE, 0, 0, 0},      {99, 31, 2, 0, 0, SC_MIXED, 1, 1, 1},
    };
    int fails = 0, n = 0;
    static const char *const level_names[] = {"portable C", "AVX2", "AVX-512"};
    for (int simd = 2; simd >= 0; simd--) {
        int level = ecim_gemv_set_simd(simd);
        if (level != simd) continue; /* this CPU has no such level: nothing new to test */
        printf("fast path: %s\n", level_names[level]);
        for (size_t i = 0; i < sizeof corners / sizeof corners[0]; i++, n++)
            fails += run_case(seed * 1000 + i, &corners[i]);
        rng_t r;
        rng_seed(&r, seed);
        for (int i = 0; i < 300; i++, n++) {
            static const int wb[3] = {4, 4, 8};
            case_t c = {1 + (int)rng_below(&r, 700), 1 + (int)rng_below(&r, 150),
                        i % 17 == 0 ? 2 : wb[rng_below(&r, 3)], rng_below(&r, 8) == 0,
                        rng_below(&r, 8) == 0, (int)rng_below(&r, 6), (int)rng_below(&r, 2),
                        (int)rng_below(&r, 2), rng_below(&r, 10) == 0};
            uint64_t s = rng_u64(&r);
            if (run_case(s, &c)) { fails++; printf("  (random case %d, case seed %llu)\n", i, (unsigned long long)s); }
        }
        /* Long K with model-like scales: the SIMD paths sum many groups' terms in double. */
        for (int i = 0; i < 30; i++, n++) {
            case_t c = {1 + (int)rng_below(&r, 6000), 1 + (int)rng_below(&r, 80), 4, 0, i % 5 == 0,
                        SC_TYPICAL, (int)rng_below(&r, 2), (int)rng_below(&r, 2), 0};
            uint64_t s = rng_u64(&r);
            if (run_case(s, &c)) { fails++; printf("  (long case %d, case seed %llu)\n", i, (unsigned long long)s); }
        }
    }
#if defined(__GNUC__) && defined(__x86_64__)
    /* A CPU with AVX2 (AVX-512) must get those kernels: a build that compiled them out (the
     * layout guard of ecim_gemv.c no longer true) would otherwise pass on portable C alone. */
    int has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
    int has_avx512 = has_avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                     __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni") &&
                     __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512dq");
    int best = ecim_gemv_set_simd(2), want = has_avx512 ? 2 : has_avx2 ? 1 : 0;
    if (best != want) {
        printf("FAIL: the CPU has %s but ecim_gemv_fast runs %s\n", level_names[want], level_names[best]);
        fails++;
    }
#endif
    printf("%d cases, %d mismatching\n", n, fails);
    return fails != 0;
}
