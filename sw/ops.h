/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware operations of a decode step other than the GEMVs (which run on the accelerator).
 * Float32 throughout; each is one function so the cost accounting can time it. */
#ifndef EDGECIM_OPS_H
#define EDGECIM_OPS_H

#include <stdint.h>

#include "gguf.h"
#include "rng.h"

/* out[d] = row `token` of a [d, vocab] embedding tensor (any supported type). 0 / -1. */
int  op_embed(const gguf_tensor_t *emb, int token, float *out);
/* out = x / sqrt(mean(x^2) + eps) * w (out may alias x). */
void op_rmsnorm(float *out, const float *x, const float *w, int n, float eps);
/* The same per head: n_heads vectors of head_dim (Qwen3 q/k norm). */
void op_head_rmsnorm(float *x, const float *w, int n_heads, int head_dim, float eps);
/* Rotates n_heads vectors of head_dim at position pos.  neox: pairs (i, i + d/2) else
 * (2i, 2i+1); freq_factors (d/2 divisors, Llama-3 scaling) may be NULL. */
void op_rope(float *x, int n_heads, int head_dim, int pos, double theta, int neox,
             const float *freq_factors);
/* The rotation of pair i at position pos that op_rope applies: its cosine and sine (the device
 * step's RoPE table holds these). */
void op_rope_cos_sin(int pos, int i, int head_dim, double theta, const float *freq_factors, float *c, float *s);
/* x[i] += b[i]. */
void op_add(float *x, const float *b, int n);
/* out = softmax(q K^T / sqrt(d)) V over ctx cached positions, GQA (head h reads kv head
 * h / (heads / kv_heads)).  kcache/vcache: [ctx][kv_heads * head_dim]; scratch: ctx floats. */
void op_attention(float *out, const float *q, const float *kcache, const float *vcache, int ctx,
                  int heads, int kv_heads, int head_dim, float *scratch);
/* The same for heads [h0, h1) only (threads split attention by heads); scratch: ctx floats. */
void op_attention_heads(float *out, const float *q, const float *kcache, const float *vcache, int ctx,
                        int heads, int kv_heads, int head_dim, int h0, int h1, float *scratch);
/* out[i] = silu(gu[i]) * gu[n + i]  (gu = [gate; up]); out may alias gu. */
void op_silu_mul(float *out, const float *gu, int n);
/* out[i] = relu(gu[i])^2 * gu[n + i] (BitNet). */
void op_relu2_mul(float *out, const float *gu, int n);
/* In-place softmax. */
void op_softmax(float *x, int n);

/* Sampling: greedy when temp <= 0, else temperature, then top-k (0 = off), then top-p
 * (>= 1 = off), drawn with the seeded generator. */
typedef struct {
    float temp;
    int top_k;
    float top_p;
    rng_t rng;
    float *probs; /* scratch, vocab entries */
    int *idx;
} sampler_t;

int  sampler_init(sampler_t *s, int vocab, float temp, int top_k, float top_p, uint64_t seed);
void sampler_free(sampler_t *s);
int  op_sample(sampler_t *s, const float *logits, int n);
int  op_argmax(const float *x, int n);

#endif
