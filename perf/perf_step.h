/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator's part of a decode step besides the weight GEMVs: every vector op of the step
 * (docs/VECTOR_UNIT.md, "A decoder layer as commands") timed by perf_vu.c, the attention GEMVs
 * over the INT8 KV caches (scores q.K with N = ctx, .V with K = ctx in full blocks, batched over
 * the query heads of each KV head) timed by perf_gemv.c, and the command list that chains them. */
#ifndef PERF_STEP_H
#define PERF_STEP_H

#include "edgecim_hw.h"
#include "perf_gemv.h"
#include "slm_config.h"

/* Command classes of a step, the same as the C model's statistic (cmodel/edgecim_model.h,
 * ECIM_OPC_*: EDGECIM_OP_CYCLES=1 prints it), so that the two can be set side by side: the list
 * start, weight GEMVs, attention q.K and .V GEMVs, then each vector op by its CMD_OP. */
enum {
  PERF_OP_LIST, PERF_OP_GEMV_W, PERF_OP_GEMV_QK, PERF_OP_GEMV_V,
  PERF_OP_VU0, /* + CMD_OP - 1 */
  PERF_OP_COUNT = PERF_OP_VU0 + ECIM_CMD_OP_VAPPEND
};
extern const char *const perf_op_names[PERF_OP_COUNT];

typedef struct {
  double vu_cycles;     /* vector ops except SOFTMAX */
  double attn_cycles;   /* attention GEMVs + SOFTMAX */
  double list_cycles;   /* command list: descriptor fetches on the port and the list start */
  double vu_bytes, attn_bytes, kv_bytes, list_bytes; /* DRAM traffic (kv: the caches streamed) */
  double attn_gemv_bytes; /* of attn_bytes, what the attention GEMVs move (SOFTMAX's left out) */
  double cmds;          /* commands of the step (GEMVs included) */
  double op_cycles[PERF_OP_COUNT], op_cmds[PERF_OP_COUNT]; /* per class (weight GEMVs: perf_model.c) */
} perf_step_t;

/* One decode step at ctx cached positions (prefill: ctx_sum over `tokens` steps, the vector ops
 * and appends per token). 0, or -1 if the build cannot run one of the ops. */
int perf_step_eval(const ecim_hw_t *hw, const perf_dram_t *d, const slm_config_t *cfg, int tokens, double ctx_sum,
                   perf_step_t *out);

#endif
