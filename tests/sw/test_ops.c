/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware ops against straightforward double-precision references: RMSNorm, RoPE (normal and
 * NeoX pairing, frequency divisors), Llama-3 frequency factors, GQA attention, SiLU/ReLU^2
 * gating, embedding lookup; and the SIMD kernels of sw/vec.h against the plain C code: bit for
 * bit where they claim to be exact (activation quantization, argmax, Q39.24 -> float).
 * Usage: test_ops [seed] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ops.h"
#include "quant.h"
#include "rng.h"
#include "vec.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static void near(const char *what, const float *got, const double *want, int n, double tol)
{
    for (int i = 0; i < n; i++)
        if (fabs(got[i] - want[i]) > tol * (1 + fabs(want[i]))) {
            CHECK(0, "%s[%d] = %.7g, expected %.7g", what, i, got[i], want[i]);
            return;
        }
}

static void test_rope(rng_t *r)
{
    enum { D = 16, H = 3 };
    float x[H * D], y[H * D];
    double want[H * D];
    float ff[D / 2];
    for (int i = 0; i < H * D; i++) x[i] = (float)rng_normal(r);
    for (int i = 0; i < D / 2; i++) ff[i] = (float)(1 << (i % 4));
    for (int neox = 0; neox < 2; neox++)
        for (int use_ff = 0; use_ff < 2; use_ff++) {
            int pos = 7;
            double theta = 10000;
            memcpy(y, x, sizeof x);
            op_rope(y, H, D, pos, theta, neox, use_ff ? ff : NULL);
            for (int h = 0; h < H; h++)
                for (int i = 0; i < D / 2; i++) {
                    int a = h * D + (neox ? i : 2 * i), b = h * D + (neox ? i + D / 2 : 2 * i + 1);
                    double ang = pos * pow(theta, -2.0 * i / D) / (use_ff ? ff[i] : 1);
                    want[a] = x[a] * cos(ang) - x[b] * sin(ang);
                    want[b] = x[a] * sin(ang) + x[b] * cos(ang);
                }
            char what[64];
            snprintf(what, sizeof what, "rope(neox=%d,ff=%d)", neox, use_ff);
            near(what, y, want, H * D, 1e-5);
        }
    memcpy(y, x, sizeof x);
    op_rope(y, H, D, 0, 10000, 0, NULL);
    CHECK(!memcmp(x, y, sizeof x), "rope at position 0 must be the identity");

    slm_config_t c = *slm_preset_find("llama3.2-1b");
    float f[32];
    model_llama3_freq_factors(&c, f);
    CHECK(f[0] == 1.0f && f[31] == 32.0f, "llama3 factors: first %g (1), last %g (32)", f[0], f[31]);
    for (int i = 1; i < 32; i++) CHECK(f[i] >= f[i - 1] && f[i] >= 1 && f[i] <= 32, "llama3 factor %d = %g", i, f[i]);
}

static void test_attention(rng_t *r)
{
    enum { HEADS = 4, KV = 2, D = 8, CTX = 5 };
    float q[HEADS * D], k[CTX * KV * D], v[CTX * KV * D], out[HEADS * D], scratch[CTX];
    double want[HEADS * D];
    for (int i = 0; i < HEADS * D; i++) q[i] = (float)rng_normal(r);
    for (int i = 0; i < CTX * KV * D; i++) { k[i] = (float)rng_normal(r); v[i] = (float)rng_normal(r); }
    op_attention(out, q, k, v, CTX, HEADS, KV, D, scratch);
    for (int h = 0; h < HEADS; h++) {
        int kh = h / (HEADS / KV);
        double s[CTX], mx = -1e300, sum = 0;
        for (int t = 0; t < CTX; t++) {
            s[t] = 0;
            for (int i = 0; i < D; i++) s[t] += (double)q[h * D + i] * k[t * KV * D + kh * D + i];
            s[t] /= sqrt((double)D);
            mx = fmax(mx, s[t]);
        }
        for (int t = 0; t < CTX; t++) sum += s[t] = exp(s[t] - mx);
        for (int i = 0; i < D; i++) {
            want[h * D + i] = 0;
            for (int t = 0; t < CTX; t++) want[h * D + i] += s[t] / sum * v[t * KV * D + kh * D + i];
        }
    }
    near("attention", out, want, HEADS * D, 1e-5);
    op_attention(out, q, k, v, 1, HEADS, KV, D, scratch); /* one position: the value itself */
    for (int h = 0; h < HEADS; h++)
        for (int i = 0; i < D; i++) want[h * D + i] = v[(h / 2) * D + i];
    near("attention ctx=1", out, want, HEADS * D, 1e-6);
}

static void test_elementwise(rng_t *r)
{
    enum { N = 40 };
    float x[N], w[N], y[N], gu[2 * N];
    double want[N], ss = 0;
    for (int i = 0; i < N; i++) { x[i] = (float)rng_normal(r); w[i] = (float)rng_normal(r); ss += (double)x[i] * x[i]; }
    op_rmsnorm(y, x, w, N, 1e-6f);
    for (int i = 0; i < N; i++) want[i] = x[i] / sqrt(ss / N + 1e-6) * w[i];
    near("rmsnorm", y, want, N, 1e-5);
    for (int i = 0; i < 2 * N; i++) gu[i] = (float)rng_normal(r) * 3;
    op_silu_mul(y, gu, N);
    for (int i = 0; i < N; i++) want[i] = gu[i] / (1 + exp(-gu[i])) * gu[N + i];
    near("silu_mul", y, want, N, 1e-5);
    op_relu2_mul(y, gu, N);
    for (int i = 0; i < N; i++) want[i] = (gu[i] > 0 ? gu[i] * gu[i] : 0) * gu[N + i];
    near("relu2_mul", y, want, N, 1e-5);
    float h[2 * 8];
    for (int i = 0; i < 16; i++) h[i] = (float)rng_normal(r);
    float hw[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    op_head_rmsnorm(h, hw, 2, 8, 0);
    for (int k = 0; k < 2; k++) {
        double s = 0;
        for (int i = 0; i < 8; i++) s += h[k * 8 + i] * h[k * 8 + i];
        CHECK(fabs(s / 8 - 1) < 1e-5, "head %d rms after norm: %g", k, sqrt(s / 8));
    }
}

static void test_embed(rng_t *r)
{
    enum { D = 32, V = 5 };
    float src[D * V], out[D];
    uint8_t q[V * 34];
    for (int i = 0; i < D * V; i++) src[i] = (float)rng_normal(r);
    quantize_row(GGML_TYPE_Q8_0, src, q, D * V);
    gguf_tensor_t t = {.name = "emb", .n_dims = 2, .ne = {D, V, 1, 1}, .type = GGML_TYPE_Q8_0,
                       .nbytes = sizeof q, .data = q};
    CHECK(op_embed(&t, 3, out) == 0, "embed");
    float want[D];
    dequantize_row(GGML_TYPE_Q8_0, q + 3 * 34, want, D);
    CHECK(!memcmp(out, want, sizeof want), "embed row 3");
    CHECK(op_embed(&t, V, out) != 0 && op_embed(&t, -1, out) != 0, "embed out of range must fail");
}

/* A vector whose groups exercise every case of the activation quantizer. */
static void quant_input(rng_t *r, float *x, int K)
{
    for (int k0 = 0; k0 < K; k0 += 32) {
        int kind = (int)rng_below(r, 10), n = K - k0 < 32 ? K - k0 : 32;
        float scale = (float)ldexp(1.0, (int)rng_below(r, 40) - 20);
        for (int i = 0; i < n; i++) {
            float *v = &x[k0 + i];
            switch (kind) {
            case 0: *v = 0; break;                                                      /* amax 0 */
            case 1: *v = (float)rng_normal(r) * 1e-9f; break;                          /* scale underflows */
            case 2: *v = (float)rng_normal(r) * 1e10f; break;                          /* scale clamped */
            case 3: /* amax 127/128 makes the scale exactly 2^-7: every q an exact tie */
                *v = i == 0 ? 127 * 0.0078125f : (float)(((int)rng_below(r, 253) - 126) + 0.5) * 0.0078125f;
                break;
            case 4: *v = i == 3 ? NAN : (float)rng_normal(r); break;
            case 5: *v = i == 5 ? (rng_below(r, 2) ? INFINITY : -INFINITY) : (float)rng_normal(r); break;
            case 6: *v = i % 2 ? -0.0f : (float)rng_normal(r) * 1e-6f; break;
            default: *v = (float)rng_normal(r) * scale; break;
            }
        }
    }
}

static void test_vec_exact(rng_t *r)
{
    enum { KMAX = 5000 };
    float *x = malloc(KMAX * sizeof *x);
    int8_t qa[KMAX + 32], qb[KMAX + 32];
    uint16_t sa[KMAX / 32 + 1], sb[KMAX / 32 + 1];
    for (int it = 0; it < 400; it++) {
        int K = it < 40 ? it + 1 : 1 + (int)rng_below(r, KMAX), kp = (K + 31) / 32 * 32;
        quant_input(r, x, K);
        quantize_activations(x, K, qa, sa);
        vec_quantize_activations(x, K, qb, sb);
        int bad = -1;
        for (int k = 0; k < kp && bad < 0; k++)
            if (qa[k] != qb[k]) bad = k;
        CHECK(bad < 0, "vec_quantize_activations K=%d: q[%d] = %d, reference %d (x = %g)", K, bad,
              bad < 0 ? 0 : qb[bad], bad < 0 ? 0 : qa[bad], bad < 0 || bad >= K ? 0.0 : x[bad]);
        CHECK(!memcmp(sa, sb, (size_t)kp / 32 * 2), "vec_quantize_activations K=%d: scales differ", K);
    }
    /* argmax: the first index of the maximum; a NaN never wins unless it is at 0 */
    for (int it = 0; it < 300; it++) {
        int n = it < 20 ? it : 1 + (int)rng_below(r, KMAX);
        for (int i = 0; i < n; i++) x[i] = (float)(rng_below(r, it % 3 ? 1000 : 5)) - 500; /* ties */
        if (n && it % 7 == 0) x[rng_below(r, (uint32_t)n)] = NAN;
        if (n && it % 11 == 0) x[0] = NAN;
        if (n && it % 13 == 0) for (int i = 0; i < n; i++) x[i] = i % 2 ? -0.0f : 0.0f;
        if (n && it % 17 == 0) for (int i = 0; i < n; i++) x[i] = -INFINITY;
        int want = 0;
        for (int i = 1; i < n; i++)
            if (x[i] > x[want]) want = i;
        CHECK(vec_argmax(x, n) == want && op_argmax(x, n) == want, "argmax n=%d: %d, expected %d", n, vec_argmax(x, n), want);
    }
    /* Q39.24 -> float */
    int64_t acc[67];
    float ya[67];
    for (int i = 0; i < 67; i++) acc[i] = i < 3 ? (i == 0 ? INT64_MAX : i == 1 ? INT64_MIN : 0) : (int64_t)rng_u64(r) >> rng_below(r, 60);
    vec_q24_to_float(acc, ya, 67);
    for (int i = 0; i < 67; i++)
        CHECK(ya[i] == (float)((double)acc[i] * (1.0 / (1 << 24))), "q24[%d] of %lld: %g", i, (long long)acc[i], ya[i]);
    free(x);
}

static void test_vec_float(rng_t *r)
{
    enum { N = 203 };
    float a[N], b[N], y[N], y2[N], g[N], u[N];
    for (int simd = 1; simd >= 0; simd--) {
        vec_set_simd(simd);
        for (int n = 0; n <= N; n += 29) {
            double want = 0;
            for (int i = 0; i < n; i++) {
                a[i] = (float)rng_normal(r);
                b[i] = (float)rng_normal(r);
                want += (double)a[i] * b[i];
            }
            CHECK(fabs(vec_dot(a, b, n) - want) < 1e-5 * (n + 1), "vec_dot n=%d simd=%d: %g, expected %g", n, simd,
                  vec_dot(a, b, n), want);
            for (int i = 0; i < n; i++) y[i] = y2[i] = (float)rng_normal(r);
            vec_axpy(y, 0.75f, a, n);
            for (int i = 0; i < n; i++) CHECK(fabsf(y[i] - (y2[i] + 0.75f * a[i])) < 1e-6f, "vec_axpy[%d]", i);
        }
        double want[N];
        for (int i = 0; i < N; i++) {
            g[i] = i < 8 ? (float[]){-100, -88, -87.5f, -30, 0, 30, 88, 100}[i] : (float)rng_normal(r) * 8;
            u[i] = (float)rng_normal(r);
            want[i] = g[i] / (1 + exp(-(double)g[i])) * u[i];
        }
        vec_silu_mul(y, g, u, N);
        near(simd ? "vec_silu_mul (SIMD)" : "vec_silu_mul (C)", y, want, N, 2e-6);
        double ss = 0, es = 0;
        for (int i = 0; i < N; i++) {
            y[i] = -2 * fabsf(g[i]) - 0.5f; /* exp of -0.5 .. -200.5: down to underflow */
            ss += (double)g[i] * g[i];
            es += want[i] = exp((double)y[i] + 0.5);
        }
        double got = vec_exp_shift(y, -0.5f, N);
        near(simd ? "vec_exp_shift (SIMD)" : "vec_exp_shift (C)", y, want, N, 2e-6);
        CHECK(fabs(got - es) < 1e-6 * es, "vec_exp_shift sum %g, expected %g", got, es);
        CHECK(fabs(vec_sumsq(g, N) - ss) < 1e-9 * ss, "vec_sumsq %g, expected %g", vec_sumsq(g, N), ss);
    }
    vec_set_simd(1);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    printf("test_ops seed=%llu\n", (unsigned long long)seed);
    rng_t r;
    rng_seed(&r, seed);
    test_rope(&r);
    test_attention(&r);
    test_elementwise(&r);
    test_embed(&r);
    test_vec_exact(&r);
    test_vec_float(&r);
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
