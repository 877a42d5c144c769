/* SPDX-License-Identifier: Apache-2.0 */
/* The vector ops, attention GEMVs and command list of a decode step: see perf_step.h. A prefill
 * of `tokens` steps is timed at the mean context (attention is linear in ctx but for the
 * per-command constants). */
#include "perf_step.h"

#include <math.h>
#include <string.h>

#include "perf_vu.h"

typedef struct {
  const ecim_hw_t *hw;
  const perf_dram_t *d;
  perf_step_t *o;
  int bad;
} step_t;

const char *const perf_op_names[PERF_OP_COUNT] = {"list", "gemv_w", "gemv_qk", "gemv_v", "embed", "norm", "rope",
                                                  "softmax", "gate", "quant", "kappend", "vappend"};

#define OP(o, l, n, ...) ((perf_vop_t){.op = ECIM_CMD_OP_##o, .len = (l), .count = (n), __VA_ARGS__})

/* times `times` of one vector op, into the attention or the vector-op term */
static void vop(step_t *s, perf_vop_t op, double times, int attention) {
  if (times <= 0) return;
  if (perf_vu_check(s->hw, &op, NULL, 0)) { s->bad = 1; return; }
  double c = perf_vu_cycles(s->hw, s->d, &op) * times, b = perf_vu_bytes(s->hw, &op) * times;
  if (attention) s->o->attn_cycles += c, s->o->attn_bytes += b;
  else s->o->vu_cycles += c, s->o->vu_bytes += b;
  s->o->cmds += times;
  s->o->op_cycles[PERF_OP_VU0 + op.op - 1] += c;
  s->o->op_cmds[PERF_OP_VU0 + op.op - 1] += times;
}

/* `times` of a batch-g GEMV over the KV cache, split into commands whose vectors fit the buffer */
static void kv_gemv(step_t *s, int k, int n, int g, int full_blk, double times) {
  const int fit = (int)((uint64_t)s->hw->act_bytes / ecim_kpad((uint64_t)k));
  const int bmax = fit < s->hw->max_batch ? fit : s->hw->max_batch;
  if (bmax < 1) { s->bad = 1; return; }
  for (int left = g; left > 0; left -= bmax) {
    perf_cmd_t c = {k, n, 8, left < bmax ? left : bmax, 0, 0, 0, full_blk};
    if (perf_gemv_check(s->hw, &c, NULL, 0)) { s->bad = 1; return; }
    perf_gemv_t t;
    perf_gemv_timing(s->hw, s->d, &c, &t);
    s->o->attn_cycles += t.total_cycles * times;
    s->o->attn_bytes += t.read_bytes * times + t.y_bytes * times;
    s->o->attn_gemv_bytes += t.read_bytes * times + t.y_bytes * times;
    s->o->kv_bytes += t.w_bytes * times;
    s->o->cmds += times;
    s->o->op_cycles[full_blk ? PERF_OP_GEMV_V : PERF_OP_GEMV_QK] += t.total_cycles * times;
    s->o->op_cmds[full_blk ? PERF_OP_GEMV_V : PERF_OP_GEMV_QK] += times;
  }
}

int perf_step_eval(const ecim_hw_t *hw, const perf_dram_t *d, const slm_config_t *cfg, int tokens, double ctx_sum,
                   perf_step_t *o) {
  memset(o, 0, sizeof *o);
  step_t s = {hw, d, o, 0};
  const int qx = ECIM_VU_FMT_QX, f32 = ECIM_VU_FMT_F32, hd = cfg->head_dim, h = cfg->heads, kv = cfg->kv_heads;
  const int g = h / kv, bitnet = cfg->arch == SLM_ARCH_BITNET;
  const int ctx = (int)fmax(1, round(ctx_sum / tokens)), pos = ctx - 1, cap = ctx + 1;
  int rope_layers = 0;
  for (int l = 0; l < cfg->layers; l++) rope_layers += slm_layer_has_rope(cfg, l);
  const double t = tokens, L = cfg->layers * t;
  vop(&s, OP(EMBED, cfg->hidden, 1), t, 0);
  vop(&s, OP(NORM, cfg->hidden, 1, .out_fmt = qx), 2 * L, 0); /* attention and FFN norms */
  if (cfg->qk_norm) { /* two commands, as the firmware emits them: the q heads, then the k heads */
    vop(&s, OP(NORM, hd, h, .out_fmt = f32), L, 0);
    vop(&s, OP(NORM, hd, kv, .out_fmt = f32), L, 0);
  }
  vop(&s, OP(ROPE, hd, h + kv, .out_fmt = qx, .x_f32 = cfg->qk_norm, .pos = pos, .cap = cap), rope_layers * t, 0);
  vop(&s, OP(QUANT, hd, h + kv, .out_fmt = qx, .x_f32 = cfg->qk_norm), (cfg->layers - rope_layers) * t, 0);
  vop(&s, OP(KAPPEND, hd, kv, .qx_in = 1, .pos = pos, .cap = cap), L, 0);
  vop(&s, OP(VAPPEND, hd, kv, .pos = pos, .cap = cap), L, 0);
  /* attention per KV head: scores, softmax with the V scales, the weighted sum */
  kv_gemv(&s, hd, ctx, g, 0, L * kv);
  vop(&s, OP(SOFTMAX, ctx, g, .vscale = 1), L * kv, 1);
  kv_gemv(&s, ctx, hd, g, 1, L * kv);
  /* heads -> one QX vector for O (BitNet: its sub-norm does it), gating -> QX for down */
  if (bitnet) vop(&s, OP(NORM, h * hd, 1, .out_fmt = qx), L, 0);
  else vop(&s, OP(QUANT, hd, h, .out_fmt = qx, .concat = 1), L, 0);
  vop(&s, OP(GATE, cfg->intermediate, 1, .out_fmt = bitnet ? f32 : qx), L, 0);
  if (bitnet) vop(&s, OP(NORM, cfg->intermediate, 1, .out_fmt = qx, .x_f32 = 1), L, 0);
  vop(&s, OP(NORM, cfg->hidden, 1, .out_fmt = qx), 1, 0); /* the final norm, once */
  /* the weight GEMVs are commands of the list too: QKV, O, gate_up, down per layer, the LM head */
  o->cmds += 4 * L + 1;
  /* the fetcher reads each 64-byte descriptor through the port ahead of the running command:
   * its beats take the port from the step; one DRAM latency to start the list */
  const double db = hw->data_bytes, cpb = fmax(1.0, db / fmax(d->bytes_per_cycle, 1e-6));
  o->list_bytes = o->cmds * 64;
  o->list_cycles = d->latency + ceil(o->list_bytes / db) * cpb;
  o->op_cycles[PERF_OP_LIST] = o->list_cycles;
  return s.bad ? -1 : 0;
}
