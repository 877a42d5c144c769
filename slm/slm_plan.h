/* SPDX-License-Identifier: Apache-2.0 */
/* The ordered operations of one SLM decode step: exactly what the firmware executes, and the
 * workload the performance model (perf/) prices. */
#ifndef SLM_PLAN_H
#define SLM_PLAN_H

#include "slm_config.h"

typedef enum {
  SLM_OP_EMBED,     /* look up row `token` of the embedding table; len = hidden */
  SLM_OP_RMSNORM,   /* RMSNorm of a len-vector (norm field says which one) */
  SLM_OP_QUANT_ACT, /* quantize len = k floats to INT8 + FP16 group scales (NUMERICS.md) */
  SLM_OP_GEMV,      /* y[n] = W[n][k] x[k] on the accelerator; weight field says which matrix */
  SLM_OP_QKV_BIAS,  /* add the q/k/v bias, len = (heads + 2*kv_heads)*head_dim (Qwen2.5) */
  SLM_OP_QK_NORM,   /* per-head RMSNorm of q and k: len = (heads + kv_heads)*head_dim, in
                       groups of head_dim (Qwen3) */
  SLM_OP_ROPE,      /* rotate q and k at position pos: len = (heads + kv_heads)*head_dim */
  SLM_OP_KV_WRITE,  /* append k and v to the layer's cache at pos: len = 2*kv_heads*head_dim */
  SLM_OP_ATTENTION, /* softmax(q K^T / sqrt(d)) V over ctx = pos+1 cached positions, GQA;
                       len = heads*head_dim (output) */
  SLM_OP_ADD,       /* residual add, len = hidden */
  SLM_OP_SILU_MUL,  /* silu(gate) * up, len = intermediate (input is the fused 2*len vector) */
  SLM_OP_RELU2_MUL, /* relu(gate)^2 * up, len = intermediate (BitNet) */
  SLM_OP_SAMPLE,    /* pick the next token from len = vocab logits */
  SLM_OP_KIND_COUNT
} slm_op_kind_t;

/* GEMV weight matrices. Fused on the accelerator for every architecture: QKV = [q; k; v]
 * (N = (heads + 2*kv_heads)*head_dim), GATE_UP = [gate; up] (N = 2*intermediate). */
typedef enum {
  SLM_W_NONE = -1,
  SLM_W_QKV = 0,
  SLM_W_O,
  SLM_W_GATE_UP,
  SLM_W_DOWN,
  SLM_W_LM_HEAD, /* with tie_embeddings this is the embedding table */
  SLM_W_COUNT
} slm_weight_t;

/* Which RMSNorm an SLM_OP_RMSNORM is. */
typedef enum {
  SLM_NORM_NONE,
  SLM_NORM_ATTN,     /* input_layernorm */
  SLM_NORM_ATTN_SUB, /* BitNet: attn_sub_norm, before the O projection (len = heads*head_dim) */
  SLM_NORM_FFN,      /* post_attention_layernorm */
  SLM_NORM_FFN_SUB,  /* BitNet: ffn_sub_norm, before the down projection (len = intermediate) */
  SLM_NORM_FINAL     /* model.norm */
} slm_norm_t;

enum { SLM_OPF_BIAS = 1u << 0 }; /* reserved for a GEMV with a fused bias (not used yet: the
                                    qkv bias is its own SLM_OP_QKV_BIAS op) */

typedef struct {
  slm_op_kind_t kind;
  int layer;           /* 0 .. layers-1, or -1 for EMBED, final norm, LM head, SAMPLE */
  slm_weight_t weight; /* GEMV only, else SLM_W_NONE */
  slm_norm_t norm;     /* RMSNORM only, else SLM_NORM_NONE */
  int k, n;            /* GEMV: inputs, outputs; else 0 */
  int len;             /* vector length the op touches (GEMV: n) */
  int ctx;             /* ATTENTION and KV_WRITE: positions in the cache after the write (pos+1) */
  int heads, kv_heads, head_dim; /* ATTENTION, ROPE, QK_NORM, KV_WRITE */
  unsigned flags;      /* SLM_OPF_* */
} slm_op_t;

/* Error codes (negative returns). */
enum { SLM_PLAN_EINVAL = -1 };

/* Number of ops of one decode step of cfg (independent of pos). */
int slm_plan_count(const slm_config_t *cfg);

/* Fills ops[0..count-1] with the decode step at position pos (0-based: the token being
 * processed is the pos-th one; attention covers ctx = pos+1 positions).
 * Returns the op count. If max_ops is smaller than that count (ops may be NULL with max_ops 0),
 * nothing is written and the needed count is returned: callers check `ret > max_ops`.
 * Returns SLM_PLAN_EINVAL (< 0) for a NULL cfg, a negative pos or an inconsistent config. */
int slm_plan_decode(const slm_config_t *cfg, int pos, slm_op_t *ops, int max_ops);

/* Prefill of P prompt tokens is modelled as the same op list with every GEMV batched over the
 * P tokens: each weight matrix is read from DRAM once per batch and its P GEMVs run back to back
 * on the resident block (compute is P times the decode GEMV's; weight traffic is that of one).
 * Non-GEMV ops run P times; the attention of token t covers t+1 positions. See
 * docs/PERF_MODEL.md. The firmware runs it so (sw/forward.c forward_prefill, batches of up to 32
 * tokens), but only the last prompt token goes through the final norm and the LM head. */

/* Upper-case name of an op kind ("GEMV", "RMSNORM", ...), "?" when out of range. */
const char *slm_op_name(slm_op_kind_t kind);
/* Name of a weight matrix ("QKV", "O", "GATE_UP", "DOWN", "LM_HEAD"), "-" for SLM_W_NONE. */
const char *slm_weight_name(slm_weight_t w);

#endif
