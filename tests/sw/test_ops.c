/* Firmware ops against straightforward double-precision references: RMSNorm, RoPE (normal and
 * NeoX pairing, frequency divisors), Llama-3 frequency factors, GQA attention, SiLU/ReLU^2
 * gating, embedding lookup.  Usage: test_ops [seed] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ops.h"
#include "quant.h"
#include "rng.h"

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
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
