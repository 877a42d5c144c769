/* SPDX-License-Identifier: Apache-2.0 */
/* Decoder configurations of the EdgeCIM target small language models (SLMs).
 *
 * One source of truth for the workload shared by the firmware (sw/) and the performance model
 * (perf/). Values are transcribed from the models' published config.json files (see the
 * project's shared/data/slm_configs.csv); they are compiled in, nothing is read at run time. */
#ifndef SLM_CONFIG_H
#define SLM_CONFIG_H

typedef enum {
  SLM_ARCH_LLAMA,   /* TinyLlama, Llama 3.2, SmolLM2 */
  SLM_ARCH_QWEN2,   /* Qwen2.5: bias on q/k/v projections */
  SLM_ARCH_QWEN3,   /* Qwen3: per-head RMSNorm on q and k */
  SLM_ARCH_PHI3,    /* Phi-3.5: fused qkv_proj / gate_up_proj tensors, longrope */
  SLM_ARCH_SMOLLM3, /* SmolLM3: no RoPE on every nope_interval-th layer */
  SLM_ARCH_BITNET   /* BitNet b1.58: ternary weights, ReLU^2, extra sub-layer norms */
} slm_arch_t;

typedef enum { SLM_ACT_SILU, SLM_ACT_RELU2 } slm_act_t;

typedef struct {
  const char *name;
  slm_arch_t arch;
  int hidden, intermediate, layers, heads, kv_heads, head_dim, vocab, tie_embeddings, max_pos;
  double rope_theta, rms_eps;
  slm_act_t act;
  int qkv_bias;      /* 1: bias added after the q/k/v projections (Qwen2.5) */
  int qk_norm;       /* 1: per-head RMSNorm on q and k before RoPE (Qwen3) */
  int fused_qkv;     /* 1: the checkpoint stores qkv_proj / gate_up_proj fused (Phi-3.5) */
  int nope_interval; /* >0: layers l with (l+1) % nope_interval == 0 skip RoPE (SmolLM3: 4) */
  /* RoPE scaling. Llama 3: factor, original max position, low/high frequency factors.
   * Phi-3.5 longrope: only rope_orig_max_pos (4096) is given; its per-dimension short/long
   * factor lists are not represented here (factor 0 = none stored). 0 = no scaling. */
  double rope_scale_factor;
  int rope_orig_max_pos;
  double rope_low_freq_factor, rope_high_freq_factor;
  int wbits;         /* weight bits on the accelerator: 4 (INT4), 2 for BitNet (ternary) */
} slm_config_t;

extern const slm_config_t slm_presets[];
extern const int slm_n_presets; /* 13; the first 12 are the INT4 targets (all but BitNet) */

/* NULL if no preset has that name (exact match). */
const slm_config_t *slm_preset_find(const char *name);

/* 1 if the preset is one of the 12 INT4 targets (wbits == 4), the set the paper averages. */
int slm_is_int4_target(const slm_config_t *cfg);

/* 1 if layer l applies RoPE (0 on SmolLM3's no-RoPE layers). */
int slm_layer_has_rope(const slm_config_t *cfg, int layer);

/* Parameter counts. Linear = all GEMV weights of one decode step (q,k,v,o,gate,up,down per
 * layer + LM head). Total = the checkpoint's parameter count: linear + input embedding when
 * untied + norm weights + q/k/v biases. */
long long slm_linear_params(const slm_config_t *cfg);
long long slm_total_params(const slm_config_t *cfg);

#endif
