/* SPDX-License-Identifier: Apache-2.0 */
/* The decoder step on the device: the whole token as one command list (docs/VECTOR_UNIT.md, "A
 * decoder layer as commands"; docs/FIRMWARE.md, "The device step"). At load the firmware lays out
 * in device DRAM everything a token needs (the GEMV matrices the accelerator backend already holds,
 * norm weights as VF32, QKV biases as Q24, the embedding table as quantized rows, a RoPE table,
 * the KV caches, the activation buffers) and builds the list of one step; per token it writes
 * TOKEN_ID and TOKEN_POS, starts the list, waits for the device to be idle and reads the Q24
 * logits. Every descriptor is checked by the firmware before the device sees it (the device's own
 * checks, fmt/ecim_desc.h), so a context past the caches or a shape the device cannot run is a
 * message, not a device error. */
#ifndef EDGECIM_DEV_STEP_H
#define EDGECIM_DEV_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "accel_dev.h"
#include "forward.h"

/* Where a layer's data sits in device DRAM (0: the family has none). */
typedef struct {
    uint32_t attn_norm, ffn_norm, q_norm, k_norm, attn_sub_norm, ffn_sub_norm; /* VF32 */
    uint32_t qkv_bias;                                                         /* Q24 */
    uint32_t w_qkv, w_o, w_gate_up, w_down;                                    /* device layout */
    uint32_t kv;       /* the layer's first KV head block: [K cache][V cache][V scales] */
} dev_layer_t;

/* The activation buffers of a step. */
typedef struct {
    uint32_t resid;   /* the residual stream, Q24 (EMBED writes it, O and down accumulate) */
    uint32_t xn;      /* the input of the next GEMV, quantized (NORM, QUANT, GATE write it) */
    uint32_t qkv;     /* the QKV projection, Q24 */
    uint32_t qk32;    /* Qwen3: q and k heads after their norms, VF32 */
    uint32_t rq;      /* q and k heads after RoPE (or QUANT), quantized, one vector per head */
    uint32_t scores;  /* a KV head's query heads' scores, Q24 */
    uint32_t probs;   /* their probabilities times the V scales, quantized */
    uint32_t att;     /* the attention output per head, Q24 */
    uint32_t gu;      /* the gate_up projection, Q24 */
    uint32_t g32;     /* BitNet: the gated vector before its sub-norm, VF32 */
    uint32_t logits;  /* Q24 */
} dev_acts_t;

/* What each descriptor of the list is, for messages. */
typedef struct {
    int layer;        /* -1: embedding, final norm, LM head */
    const char *what;
} dev_cmd_info_t;

typedef struct {
    const forward_t *f;
    ecim_accel_t *acc;
    accel_dev_t dev;
    int cap;               /* positions of the KV caches and the RoPE table */
    int head_batch;        /* query heads per attention command (GQA group, or fewer) */
    uint32_t head_bytes;   /* one KV head block of a layer */
    uint32_t embed, rope, rope_stride, out_norm, w_lm_head, kv_base, kv_limit, list;
    dev_layer_t *layer;
    dev_acts_t a;
    ecim_desc_t *cmds;     /* the list as written to device DRAM */
    dev_cmd_info_t *info;
    int n_cmds, cap_cmds;
    uint64_t budget;       /* device cycles a whole list may take: past that, a timeout */
    uint64_t dram_bytes;   /* device DRAM the step added (besides the matrices) */
    int64_t *q24;          /* the logits as read */
    float *logits;         /* the last token's logits (dev_step_run with logits) */
    int timed;             /* the backend counts cycles */
    uint64_t last_cycles;  /* device cycles of the last token (timed backends) */
    /* of which running GEMVs and vector ops (devices with unit_cycles: the C model); the rest is
     * the list's own cost: descriptor fetch, queue hand-off, the driver's register accesses */
    uint64_t last_gemv_cycles, last_vu_cycles;
} dev_step_t;

/* The step of f's model (f initialized on an accelerator backend, whose matrices it reuses) with
 * caches of ctx positions. 0, or -1 with a message saying what does not fit or what the device
 * cannot run. */
int dev_step_init(dev_step_t *s, const forward_t *f, int ctx, char *err, size_t errlen);
/* Runs token at position pos. logits: read them into s->logits; 0 stops the list before the final
 * norm and the LM head (prompt tokens whose logits nobody reads). 0, or -1 with err. */
int dev_step_run(dev_step_t *s, int token, int pos, int logits, char *err, size_t errlen);
void dev_step_free(dev_step_t *s);

/* Commands of the final norm and the LM head: the list's tail. */
#define DEV_STEP_HEAD_CMDS 2

#endif
