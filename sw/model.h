/* SPDX-License-Identifier: Apache-2.0 */
/* A decoder model loaded from a GGUF file: configuration (sw/slm_config.h form) from the
 * `<arch>.*` keys, tensor views by llama.cpp names, shapes validated, and the tokenizer. */
#ifndef EDGECIM_MODEL_H
#define EDGECIM_MODEL_H

#include "gguf.h"
#include "slm_config.h"
#include "tokenizer.h"

typedef struct {
    const gguf_tensor_t *attn_norm, *ffn_norm;
    const gguf_tensor_t *wq, *wk, *wv, *wqkv;   /* wqkv: Phi-3 fused [q; k; v] */
    const gguf_tensor_t *bq, *bk, *bv;          /* Qwen2 biases (NULL if absent) */
    const gguf_tensor_t *q_norm, *k_norm;       /* Qwen3 per-head norms */
    const gguf_tensor_t *wo;
    const gguf_tensor_t *gate, *up, *down;      /* Phi-3: gate NULL, up is [gate; up] */
    const gguf_tensor_t *attn_sub_norm, *ffn_sub_norm; /* BitNet */
} model_layer_t;

typedef struct {
    gguf_file_t file;
    slm_config_t cfg;          /* cfg.name points at name[] */
    char name[64], arch[32];
    int rope_neox;             /* 1: rotate (x[i], x[i + d/2]) (NeoX), 0: (x[2i], x[2i+1]) */
    float *rope_freq_factors;  /* head_dim/2 divisors of the RoPE frequencies, or NULL */
    const gguf_tensor_t *tok_embd, *output_norm, *output; /* output == tok_embd when tied */
    model_layer_t *layers;
    tokenizer_t tok;
} model_t;

/* 0, or -1 with "file: what is wrong" in err. */
int  model_load(model_t *m, const char *path, char *err, size_t errlen);
void model_free(model_t *m);

/* Architecture name <-> enum ("llama", "qwen2", "qwen3", "phi3", "smollm3", "bitnet"). */
const char *model_arch_name(slm_arch_t a);
int model_arch_from_name(const char *s, slm_arch_t *a);

/* Llama-3 RoPE frequency divisors for a config with rope_scale_factor > 0 (out: head_dim/2). */
void model_llama3_freq_factors(const slm_config_t *c, float *out);

#endif
