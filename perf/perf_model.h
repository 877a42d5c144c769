/* SPDX-License-Identifier: Apache-2.0 */
/* Chip-level performance and energy model: one decode step (and a prefill) of an SLM on an
 * EdgeCIM design. Workloads come from sw/slm_plan (the firmware's op list), summarised once per
 * model so that one evaluation costs O(distinct GEMV shapes). */
#ifndef PERF_MODEL_H
#define PERF_MODEL_H

#include "perf_hw.h"
#include "perf_step.h"
#include "slm_config.h"
#include "slm_plan.h"

typedef struct {
  slm_weight_t w;
  int k, n;
  int count; /* matrices of this shape per decode step (layers, or 1 for the LM head) */
} perf_shape_t;

/* Per-model workload summary, built once from slm_plan_decode(). */
typedef struct {
  const slm_config_t *cfg;
  int n_shapes;
  perf_shape_t shapes[SLM_W_COUNT]; /* QKV, O, GATE_UP, DOWN (per layer), LM_HEAD */
  /* Non-GEMV firmware work, in element operations (docs/PERF_MODEL.md table) */
  double host_ops_tok, host_n_tok;   /* per token, repeated per prompt token in prefill */
  double host_ops_tail, host_n_tail; /* once per step (final norm, quant, sample) */
  double attn_ops_per_pos;           /* one layer's attention per cached position */
  int attn_layers;
  double kv_elems_per_pos;           /* one layer's K+V elements per position */
  double embed_bytes;                /* one FP16 embedding row per token */
  double params_linear;
} perf_workload_t;

int perf_workload_build(const slm_config_t *cfg, perf_workload_t *wl); /* 0 or -1 */

enum { PERF_T_GEMV_STREAM, PERF_T_GEMV_COMPUTE, PERF_T_GEMV_IO, PERF_T_GEMV_OVERHEAD,
       PERF_T_ATTENTION, PERF_T_VECTOR, PERF_T_LIST, PERF_T_HOST, PERF_T_COUNT };
enum { PERF_E_DRAM, PERF_E_CIM, PERF_E_BUFFER, PERF_E_POSTPROC, PERF_E_HOST, PERF_E_LEAK,
       PERF_E_COUNT };
extern const char *const perf_t_names[PERF_T_COUNT];
extern const char *const perf_e_names[PERF_E_COUNT];

typedef struct {
  int ctx;         /* cached positions attended by the decode step (>= 1) */
  int prompt;      /* prompt tokens for time to first token; 0 = skip prefill */
} perf_eval_opts_t;

typedef struct {
  /* decode step */
  double t_s[PERF_T_COUNT], time_s;   /* latency breakdown, sums to time_s */
  double e_j[PERF_E_COUNT], energy_j; /* energy breakdown, sums to energy_j */
  double dram_bytes, weight_bytes, resident_bytes, kv_bytes;
  /* the GEMV commands' own traffic (weight and attention GEMVs): every byte they move through the
   * port (reads and writes), and of those the matrices streamed (weights and KV caches): the
   * numerators of the GEMV part's roofline (make bench-models) */
  double gemv_bytes, gemv_matrix_bytes;
  double tok_s, tok_j, tok_j_onchip;  /* tok_j_onchip: DRAM energy excluded */
  double roofline_tok_s;              /* dram_gb_s / dram_bytes of this step */
  double roofline_share;              /* tok_s / roofline_tok_s (<= 1) */
  double power_w;                     /* average power during decode, DRAM included */
  double area_mm2;
  const char *bound;                  /* "DRAM", "compute" or "vector" (vector ops + attention) */
  double op_cycles[PERF_OP_COUNT], op_cmds[PERF_OP_COUNT]; /* cycles and commands per class (perf_step.h) */
  /* prefill */
  double ttft_s, prefill_j;
} perf_result_t;

/* Evaluates one design on one workload. Returns 0, or -1 for a design that cannot run it (a
 * layer's precision above MaxWBits, K beyond the activation buffer; hw should pass
 * perf_hw_validate). */
int perf_evaluate(const perf_hw_t *hw, const perf_workload_t *wl, const perf_eval_opts_t *opt,
                  perf_result_t *r);

/* Streamed-weight DRAM bytes per decode step (packed weights + KV + vectors) for a platform
 * with no resident weights: the denominator of a platform's DRAM roofline. */
double perf_bytes_per_token(const perf_hw_t *hw, const perf_workload_t *wl, int ctx);

/* Weight bits of a model on hw (hw->wbits, else the model's), and of one of its layer kinds
 * (wbits_attn / wbits_ffn / wbits_lm_head when set). */
int perf_model_wbits(const perf_hw_t *hw, const slm_config_t *cfg);
int perf_layer_wbits(const perf_hw_t *hw, const slm_config_t *cfg, slm_weight_t w);

#endif
