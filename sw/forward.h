/* SPDX-License-Identifier: Apache-2.0 */
/* Decode steps of a model, executed op by op from the plan of sw/slm_plan.h so that the
 * performance model prices exactly what the firmware does.  Several tokens (a prompt) run as
 * one batch: each op of the plan for every token, every GEMV one batched accelerator call.
 * Two engines:
 *   accelerator: every GEMV goes through an ecim_accel_t backend (packed INT4 weights, INT8
 *                activations quantized by the firmware, Q39.24 outputs);
 *   float:       the same model with float32 weights dequantized from the GGUF file, no
 *                quantization of activations: the reference.
 * q/k/v are fused into one GEMV ([q; k; v] rows) and gate/up into one ([gate; up]) for every
 * architecture; Phi-3 stores them fused already. */
#ifndef EDGECIM_FORWARD_H
#define EDGECIM_FORWARD_H

#include <stdint.h>

#include "accel.h"
#include "model.h"
#include "ops.h"
#include "slm_plan.h"

typedef struct {
    double host_s[SLM_OP_KIND_COUNT];      /* host time per op kind */
    long calls[SLM_OP_KIND_COUNT];          /* ops run: one per op of the plan and batch */
    double gemv_host_s[SLM_W_COUNT];        /* GEMV host time per weight kind */
    uint64_t gemv_cycles[SLM_W_COUNT];      /* device cycles per weight kind (if timed) */
    long gemv_calls[SLM_W_COUNT];           /* GEMV calls (a batch is one) */
    long gemv_vectors[SLM_W_COUNT];         /* vectors through them */
    int cycles_valid;                       /* the backend reports cycles */
    long steps;
} fwd_stats_t;

typedef struct {
    const model_t *m;
    const slm_config_t *c;
    ecim_accel_t *acc;      /* NULL: float engine */
    int wbits, max_ctx;     /* wbits: the float tensors' precision (quant_tensor_wbits) */
    int batch_cap;          /* tokens of one batch: min(FORWARD_MAX_BATCH, max_ctx) */
    int threads;            /* host threads (forward_set_threads) */
    struct tpool *pool;     /* their pool (owned); NULL: one thread */
    int n_weights;          /* 4 per layer + LM head */
    uint64_t *handle;       /* accelerator matrices */
    float **fw;             /* float engine: [N][K] */
    int *wK, *wN;
    int *wbits_w;           /* the precision each matrix runs at (per layer: a Q4_K_M file mixes) */
    float **norm_attn, **norm_ffn, **norm_q, **norm_k, **norm_attn_sub, **norm_ffn_sub, **bias_qkv;
    float *norm_out;
    /* qk_adjacent: q and k are loaded with NeoX pairs made adjacent (sw/rope_pairs.h), for a vector
     * unit whose lane pairing cannot reach x[i + d/2]; rope_neox: the pairing the step's RoPE
     * applies to them (the model's, or 0 then) */
    int qk_adjacent, rope_neox;
    /* per token of a batch (batch_cap of each, one after the other): */
    float *x, *xb, *qkv, *att, *hb, *tmp;   /* hidden, hidden, qkv, q, 2 x ff, hidden floats */
    int8_t *xq;                              /* GEMV inputs: Kp codes and Kp/32 scales per token */
    uint16_t *xs;
    int64_t *y64;                            /* GEMV outputs: N per token (y64_cap in all) */
    size_t y64_cap;
    float *vlogits, *vlogits_buf;            /* verifying: the logits of every token */
    size_t vlogits_cap;
    float *logits, *scratch, *kcache, *vcache;
    slm_op_t *ops;
    int ops_cap;
    fwd_stats_t st;
} forward_t;

/* acc NULL = float engine.  verbose 1: packing progress on stderr; 2: instead one line per
 * weight tensor, bit for bit or requantized with its relative RMS error.  0 or -1 with err. */
int  forward_init(forward_t *f, const model_t *m, ecim_accel_t *acc, int max_ctx, int verbose,
                  char *err, size_t errlen);
void forward_free(forward_t *f);

/* Runs the host-side work of later steps on n_threads threads (the caller's included): GEMV
 * column blocks on backends that compute on the host (cmodel-functional), float GEMV rows,
 * attention heads.  One pool for the whole run, freed by forward_free.  Results are the same
 * for every thread count.  Returns the threads now in use (1 if no pool could be made). */
int  forward_set_threads(forward_t *f, int n_threads);

/* Device cycles of every GEMV so far (0 on an untimed backend). */
uint64_t forward_gemv_cycles(const forward_t *f);

/* Tokens of one batch at most: the per-token buffers of forward_t hold that many. */
#define FORWARD_MAX_BATCH 32

/* Runs the plan of position pos for input token; f->logits holds the vocab logits after it.
 * sampler NULL: the SAMPLE op is skipped (next untouched).  0 or -1 with err. */
int forward_step(forward_t *f, int token, int pos, sampler_t *sampler, int *next, char *err,
                 size_t errlen);

/* The n tokens tokens[0..n-1] at positions pos .. pos+n-1 (a prompt), in batches of up to
 * batch_cap tokens: the layers' ops run for every token of a batch, each GEMV as one batched
 * accelerator call (the device reads each matrix once per command, not once per token).  Only
 * the last token goes through the final norm, the LM head and SAMPLE: f->logits and *next are
 * those of tokens[n-1], and they and the KV cache are bit-identical to n forward_step calls.
 * forward_step is this with n = 1.  0 or -1 with err. */
int forward_prefill(forward_t *f, const int *tokens, int n, int pos, sampler_t *sampler, int *next,
                    char *err, size_t errlen);

/* Verification of draft tokens (speculative decoding): tokens[0..n-1] at positions pos..
 * pos+n-1 as one batch (n <= batch_cap: every GEMV, the LM head included, reads its matrix
 * once), every token through the head; argmax[b] is the greedy next token after tokens[b],
 * bit-identical to what forward_step would sample greedily there.  The KV cache of those
 * positions is written; positions of rejected drafts are overwritten by later steps.  0 or -1. */
int forward_verify(forward_t *f, const int *tokens, int n, int pos, int *argmax, char *err, size_t errlen);

/* An early-exit draft step (self-speculative decoding): token at pos through the first n_layers
 * layers, the final norm and the LM head; *next is its greedy next token.  It writes the KV
 * cache of those layers at pos with what the full model writes there for the same token, so the
 * target's cache stays valid.  0 or -1 with err. */
int forward_draft(forward_t *f, int n_layers, int token, int pos, int *next, char *err, size_t errlen);

#endif
