/* SPDX-License-Identifier: Apache-2.0 */
/* The op list of one decode step. Kept in one function so the firmware and the performance
 * model cannot disagree on what a token costs. */
#include "slm_plan.h"

#include <stddef.h>

const char *slm_op_name(slm_op_kind_t kind) {
  static const char *const names[SLM_OP_KIND_COUNT] = {
    "EMBED", "RMSNORM", "QUANT_ACT", "GEMV", "QKV_BIAS", "QK_NORM", "ROPE",
    "KV_WRITE", "ATTENTION", "ADD", "SILU_MUL", "RELU2_MUL", "SAMPLE"};
  return ((unsigned)kind < SLM_OP_KIND_COUNT) ? names[kind] : "?";
}

const char *slm_weight_name(slm_weight_t w) {
  static const char *const names[SLM_W_COUNT] = {"QKV", "O", "GATE_UP", "DOWN", "LM_HEAD"};
  return ((unsigned)w < SLM_W_COUNT) ? names[w] : "-";
}

typedef struct {
  slm_op_t *ops;
  int max, count;
} plan_out_t;

static slm_op_t *emit(plan_out_t *o, slm_op_kind_t kind, int layer, int len) {
  slm_op_t *op = NULL;
  if (o->count < o->max) {
    op = &o->ops[o->count];
    *op = (slm_op_t){.kind = kind, .layer = layer, .weight = SLM_W_NONE,
                     .norm = SLM_NORM_NONE, .len = len};
  }
  o->count++;
  return op;
}

static void emit_norm(plan_out_t *o, int layer, slm_norm_t which, int len) {
  slm_op_t *op = emit(o, SLM_OP_RMSNORM, layer, len);
  if (op) op->norm = which;
}

/* QUANT_ACT of the GEMV input, then the GEMV itself. */
static void emit_gemv(plan_out_t *o, int layer, slm_weight_t w, int k, int n) {
  emit(o, SLM_OP_QUANT_ACT, layer, k);
  slm_op_t *op = emit(o, SLM_OP_GEMV, layer, n);
  if (op) {
    op->weight = w;
    op->k = k;
    op->n = n;
  }
}

static void set_heads(slm_op_t *op, const slm_config_t *c, int ctx) {
  if (!op) return;
  op->heads = c->heads;
  op->kv_heads = c->kv_heads;
  op->head_dim = c->head_dim;
  op->ctx = ctx;
}

static void plan_layer(plan_out_t *o, const slm_config_t *c, int l, int ctx) {
  const int qd = c->heads * c->head_dim, kvd = c->kv_heads * c->head_dim;
  const int bitnet = c->arch == SLM_ARCH_BITNET;

  emit_norm(o, l, SLM_NORM_ATTN, c->hidden);
  emit_gemv(o, l, SLM_W_QKV, c->hidden, qd + 2 * kvd);
  if (c->qkv_bias) emit(o, SLM_OP_QKV_BIAS, l, qd + 2 * kvd);
  if (c->qk_norm) set_heads(emit(o, SLM_OP_QK_NORM, l, qd + kvd), c, 0);
  if (slm_layer_has_rope(c, l)) set_heads(emit(o, SLM_OP_ROPE, l, qd + kvd), c, 0);
  set_heads(emit(o, SLM_OP_KV_WRITE, l, 2 * kvd), c, ctx);
  set_heads(emit(o, SLM_OP_ATTENTION, l, qd), c, ctx);
  if (bitnet) emit_norm(o, l, SLM_NORM_ATTN_SUB, qd);
  emit_gemv(o, l, SLM_W_O, qd, c->hidden);
  emit(o, SLM_OP_ADD, l, c->hidden);

  emit_norm(o, l, SLM_NORM_FFN, c->hidden);
  emit_gemv(o, l, SLM_W_GATE_UP, c->hidden, 2 * c->intermediate);
  emit(o, c->act == SLM_ACT_RELU2 ? SLM_OP_RELU2_MUL : SLM_OP_SILU_MUL, l, c->intermediate);
  if (bitnet) emit_norm(o, l, SLM_NORM_FFN_SUB, c->intermediate);
  emit_gemv(o, l, SLM_W_DOWN, c->intermediate, c->hidden);
  emit(o, SLM_OP_ADD, l, c->hidden);
}

static int plan_fill(const slm_config_t *c, int pos, slm_op_t *ops, int max_ops) {
  plan_out_t o = {ops, max_ops, 0};
  emit(&o, SLM_OP_EMBED, -1, c->hidden);
  for (int l = 0; l < c->layers; l++) plan_layer(&o, c, l, pos + 1);
  emit_norm(&o, -1, SLM_NORM_FINAL, c->hidden);
  emit_gemv(&o, -1, SLM_W_LM_HEAD, c->hidden, c->vocab);
  emit(&o, SLM_OP_SAMPLE, -1, c->vocab);
  return o.count;
}

static int config_ok(const slm_config_t *c) {
  return c && c->hidden > 0 && c->intermediate > 0 && c->layers > 0 && c->heads > 0 &&
         c->kv_heads > 0 && c->heads % c->kv_heads == 0 && c->head_dim > 0 && c->vocab > 0;
}

int slm_plan_count(const slm_config_t *cfg) {
  if (!config_ok(cfg)) return SLM_PLAN_EINVAL;
  return plan_fill(cfg, 0, NULL, 0);
}

int slm_plan_decode(const slm_config_t *cfg, int pos, slm_op_t *ops, int max_ops) {
  if (!config_ok(cfg) || pos < 0 || max_ops < 0 || (max_ops > 0 && !ops)) return SLM_PLAN_EINVAL;
  int need = plan_fill(cfg, pos, NULL, 0);
  if (need > max_ops) return need;
  return plan_fill(cfg, pos, ops, max_ops);
}
