/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware operations; see ops.h. */
#include "ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quant.h"
#include "vec.h"

int op_embed(const gguf_tensor_t *emb, int token, float *out)
{
    if (token < 0 || (uint64_t)token >= emb->ne[1]) return -1;
    const uint8_t *row = emb->data + gguf_type_size(emb->type, (uint64_t)token * emb->ne[0]);
    return dequantize_row(emb->type, row, out, (size_t)emb->ne[0]);
}

void op_rmsnorm(float *out, const float *x, const float *w, int n, float eps)
{
    float scale = (float)(1.0 / sqrt(vec_sumsq(x, n) / n + eps));
    for (int i = 0; i < n; i++) out[i] = x[i] * scale * w[i];
}

void op_head_rmsnorm(float *x, const float *w, int n_heads, int head_dim, float eps)
{
    for (int h = 0; h < n_heads; h++) op_rmsnorm(x + (size_t)h * head_dim, x + (size_t)h * head_dim, w, head_dim, eps);
}

void op_rope_cos_sin(int pos, int i, int head_dim, double theta, const float *freq_factors, float *c, float *s)
{
    double freq = pow(theta, -2.0 * i / head_dim);
    if (freq_factors) freq /= freq_factors[i];
    double a = pos * freq;
    *c = (float)cos(a);
    *s = (float)sin(a);
}

void op_rope(float *x, int n_heads, int head_dim, int pos, double theta, int neox,
             const float *freq_factors)
{
    int half = head_dim / 2;
    for (int i = 0; i < half; i++) {
        float c, s;
        op_rope_cos_sin(pos, i, head_dim, theta, freq_factors, &c, &s);
        for (int h = 0; h < n_heads; h++) {
            float *v = x + (size_t)h * head_dim;
            int i0 = neox ? i : 2 * i, i1 = neox ? i + half : 2 * i + 1;
            float x0 = v[i0], x1 = v[i1];
            v[i0] = x0 * c - x1 * s;
            v[i1] = x0 * s + x1 * c;
        }
    }
}

void op_add(float *x, const float *b, int n)
{
    for (int i = 0; i < n; i++) x[i] += b[i];
}

void op_softmax(float *x, int n)
{
    float mx = -INFINITY;
    for (int i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx; /* NaNs ignored, as by fmaxf */
    double sum = vec_exp_shift(x, mx, n);
    for (int i = 0; i < n; i++) x[i] = (float)(x[i] / sum);
}

void op_attention(float *out, const float *q, const float *kcache, const float *vcache, int ctx,
                  int heads, int kv_heads, int head_dim, float *scratch)
{
    op_attention_heads(out, q, kcache, vcache, ctx, heads, kv_heads, head_dim, 0, heads, scratch);
}

void op_attention_heads(float *out, const float *q, const float *kcache, const float *vcache, int ctx,
                        int heads, int kv_heads, int head_dim, int h0, int h1, float *scratch)
{
    int group = heads / kv_heads, kvd = kv_heads * head_dim;
    float scale = 1.0f / sqrtf((float)head_dim);
    for (int h = h0; h < h1; h++) {
        const float *qh = q + (size_t)h * head_dim;
        int kh = h / group;
        for (int t = 0; t < ctx; t++)
            scratch[t] = vec_dot(qh, kcache + (size_t)t * kvd + (size_t)kh * head_dim, head_dim) * scale;
        op_softmax(scratch, ctx);
        float *o = out + (size_t)h * head_dim;
        memset(o, 0, (size_t)head_dim * sizeof *o);
        for (int t = 0; t < ctx; t++) vec_axpy(o, scratch[t], vcache + (size_t)t * kvd + (size_t)kh * head_dim, head_dim);
    }
}

void op_silu_mul(float *out, const float *gu, int n) { vec_silu_mul(out, gu, gu + n, n); }

void op_relu2_mul(float *out, const float *gu, int n)
{
    for (int i = 0; i < n; i++) {
        float g = gu[i] > 0 ? gu[i] : 0;
        out[i] = g * g * gu[n + i];
    }
}

int op_argmax(const float *x, int n) { return vec_argmax(x, n); }

int sampler_init(sampler_t *s, int vocab, float temp, int top_k, float top_p, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->temp = temp;
    s->top_k = top_k;
    s->top_p = top_p;
    rng_seed(&s->rng, seed);
    s->probs = malloc((size_t)vocab * sizeof *s->probs);
    s->idx = malloc((size_t)vocab * sizeof *s->idx);
    return s->probs && s->idx ? 0 : -1;
}

void sampler_free(sampler_t *s)
{
    free(s->probs);
    free(s->idx);
    s->probs = NULL;
    s->idx = NULL;
}

static const float *g_sort_probs; /* qsort has no context argument in C11 */

static int by_prob_desc(const void *a, const void *b)
{
    float x = g_sort_probs[*(const int *)a], y = g_sort_probs[*(const int *)b];
    if (x != y) return x < y ? 1 : -1;
    return *(const int *)a - *(const int *)b; /* ties: lower id first (deterministic) */
}

int op_sample(sampler_t *s, const float *logits, int n)
{
    if (s->temp <= 0) return op_argmax(logits, n);
    for (int i = 0; i < n; i++) {
        s->probs[i] = logits[i] / s->temp;
        s->idx[i] = i;
    }
    op_softmax(s->probs, n);
    g_sort_probs = s->probs;
    qsort(s->idx, (size_t)n, sizeof *s->idx, by_prob_desc);
    int keep = n;
    if (s->top_k > 0 && s->top_k < keep) keep = s->top_k;
    if (s->top_p > 0 && s->top_p < 1) {
        double cum = 0;
        for (int i = 0; i < keep; i++) {
            cum += s->probs[s->idx[i]];
            if (cum >= s->top_p) {
                keep = i + 1;
                break;
            }
        }
    }
    double total = 0;
    for (int i = 0; i < keep; i++) total += s->probs[s->idx[i]];
    double r = rng_unit(&s->rng) * total, cum = 0;
    for (int i = 0; i < keep; i++) {
        cum += s->probs[s->idx[i]];
        if (r < cum) return s->idx[i];
    }
    return s->idx[keep - 1];
}
