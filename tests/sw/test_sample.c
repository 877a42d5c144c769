/* SPDX-License-Identifier: Apache-2.0 */
/* Sampling: greedy is argmax; a seed reproduces the same draws; top-k / top-p restrict the
 * candidates; temperature-1 frequencies follow the softmax.  Usage: test_sample [seed] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "rng.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    printf("test_sample seed=%llu\n", (unsigned long long)seed);
    enum { V = 1000 };
    static float logits[V];
    rng_t r;
    rng_seed(&r, seed);
    for (int i = 0; i < V; i++) logits[i] = (float)(2 * rng_normal(&r));
    int am = op_argmax(logits, V);
    sampler_t g, a, b, c, k1, p0;
    sampler_init(&g, V, 0, 0, 1, seed);
    sampler_init(&a, V, 0.8f, 40, 0.95f, seed);
    sampler_init(&b, V, 0.8f, 40, 0.95f, seed);
    sampler_init(&c, V, 0.8f, 40, 0.95f, seed + 1);
    sampler_init(&k1, V, 1.0f, 1, 1, seed);
    sampler_init(&p0, V, 1.0f, 0, 1e-6f, seed);
    int differ = 0;
    for (int i = 0; i < 300; i++) {
        CHECK(op_sample(&g, logits, V) == am, "greedy != argmax");
        int x = op_sample(&a, logits, V), y = op_sample(&b, logits, V), z = op_sample(&c, logits, V);
        CHECK(x == y, "draw %d: same seed gave %d and %d", i, x, y);
        differ += x != z;
        CHECK(op_sample(&k1, logits, V) == am, "top-k 1 != argmax");
        CHECK(op_sample(&p0, logits, V) == am, "tiny top-p != argmax");
    }
    CHECK(differ > 0, "another seed never changed a draw");
    /* frequencies: logits ln1, ln2, ln4 -> 1/7, 2/7, 4/7; top-k 2 never draws the first */
    float l3[3] = {0.0f, logf(2), logf(4)};
    sampler_t t1, t2;
    sampler_init(&t1, 3, 1.0f, 0, 1, seed);
    sampler_init(&t2, 3, 1.0f, 2, 1, seed);
    int cnt[3] = {0}, n = 20000, bad_k = 0;
    for (int i = 0; i < n; i++) {
        cnt[op_sample(&t1, l3, 3)]++;
        bad_k += op_sample(&t2, l3, 3) == 0;
    }
    for (int i = 0; i < 3; i++) {
        double want = (1 << i) / 7.0, got = (double)cnt[i] / n;
        printf("p[%d] = %.4f (softmax %.4f)\n", i, got, want);
        CHECK(fabs(got - want) < 0.015, "frequency of %d: %.4f vs %.4f", i, got, want);
    }
    CHECK(bad_k == 0, "top-k 2 drew the excluded token %d times", bad_k);
    sampler_free(&g); sampler_free(&a); sampler_free(&b); sampler_free(&c);
    sampler_free(&k1); sampler_free(&p0); sampler_free(&t1); sampler_free(&t2);
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
