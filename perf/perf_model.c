/* SPDX-License-Identifier: Apache-2.0 */
/* Decode-step and prefill evaluation. Equations: docs/PERF_MODEL.md. */
#include "perf_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perf_gemv.h"
#include "perf_step.h"
#include "edgecim_hw.h"

const char *const perf_t_names[PERF_T_COUNT] = {"gemv_stream", "gemv_compute", "gemv_io",
                                                "gemv_overhead", "attention", "vector_ops", "cmd_list",
                                                "host_sample"};
const char *const perf_e_names[PERF_E_COUNT] = {"dram", "cim", "buffers", "postproc",
                                                "host_ops", "leakage"};

/* Firmware element operations per vector element of each non-GEMV op (assumed; a MAC counts as
 * 2, exp/div as 4). ATTENTION is priced per cached position separately. */
static double host_ops_per_elem(slm_op_kind_t k) {
  switch (k) {
    case SLM_OP_EMBED: return 1;
    case SLM_OP_RMSNORM: return 4;
    case SLM_OP_QUANT_ACT: return 5;
    case SLM_OP_QKV_BIAS: return 1;
    case SLM_OP_QK_NORM: return 4;
    case SLM_OP_ROPE: return 4;
    case SLM_OP_KV_WRITE: return 1;
    case SLM_OP_ATTENTION: return 2; /* final 1/sum scaling of the output */
    case SLM_OP_ADD: return 1;
    case SLM_OP_SILU_MUL: return 8;
    case SLM_OP_RELU2_MUL: return 3;
    case SLM_OP_SAMPLE: return 2;
    case SLM_OP_GEMV: return 1; /* Q39.24 -> float conversion of each output */
    default: return 0;
  }
}

int perf_model_wbits(const perf_hw_t *hw, const slm_config_t *cfg) {
  return hw->wbits > 0 ? (int)hw->wbits : cfg->wbits;
}

int perf_layer_wbits(const perf_hw_t *hw, const slm_config_t *cfg, slm_weight_t w) {
  double kind = w == SLM_W_LM_HEAD ? hw->wbits_lm_head : (w == SLM_W_QKV || w == SLM_W_O) ? hw->wbits_attn : hw->wbits_ffn;
  return kind > 0 ? (int)kind : perf_model_wbits(hw, cfg);
}

int perf_workload_build(const slm_config_t *cfg, perf_workload_t *wl) {
  memset(wl, 0, sizeof *wl);
  wl->cfg = cfg;
  int n = slm_plan_decode(cfg, 0, NULL, 0);
  if (n <= 0) return -1;
  slm_op_t *ops = calloc((size_t)n, sizeof *ops);
  if (!ops || slm_plan_decode(cfg, 0, ops, n) != n) {
    free(ops);
    return -1;
  }
  for (int i = 0; i < n; i++) {
    const slm_op_t *op = &ops[i];
    int tail = op->layer < 0 && op->kind != SLM_OP_EMBED;
    double *ops_acc = tail ? &wl->host_ops_tail : &wl->host_ops_tok;
    double *n_acc = tail ? &wl->host_n_tail : &wl->host_n_tok;
    if (op->kind == SLM_OP_GEMV) {
      int s = 0;
      while (s < wl->n_shapes && !(wl->shapes[s].w == op->weight && wl->shapes[s].k == op->k &&
                                   wl->shapes[s].n == op->n))
        s++;
      if (s == wl->n_shapes) {
        if (s == SLM_W_COUNT) { free(ops); return -1; }
        wl->shapes[wl->n_shapes++] = (perf_shape_t){op->weight, op->k, op->n, 0};
      }
      wl->shapes[s].count++;
      wl->params_linear += (double)op->k * op->n;
      *ops_acc += host_ops_per_elem(op->kind) * op->n; /* output conversion, no extra op */
      continue;
    }
    if (op->kind == SLM_OP_ATTENTION) {
      wl->attn_layers++;
      wl->attn_ops_per_pos = op->heads * (4.0 * op->head_dim + 6.0);
      wl->kv_elems_per_pos = 2.0 * op->kv_heads * op->head_dim;
      *ops_acc += host_ops_per_elem(op->kind) * op->len; /* issue cost is in attention time */
      continue;
    }
    if (op->kind == SLM_OP_EMBED) wl->embed_bytes = 2.0 * op->len;
    *ops_acc += host_ops_per_elem(op->kind) * op->len;
    *n_acc += 1;
  }
  free(ops);
  return 0;
}

/* Resident-weight policy over the NRes resident macros of each tile (a matrix needs
 * ecim_tile_blocks() of them per tile): whole layers in order, then first-fit of the next
 * layer's matrices, then the LM head if every layer is resident and it fits.
 * res[s] = resident matrices of shape s. */
static double assign_resident(const perf_hw_t *hw, const perf_workload_t *wl, const double *bytes, double *res) {
  for (int s = 0; s < wl->n_shapes; s++) res[s] = 0;
  double cap = hw->nres;
  if (cap <= 0) return 0;
  double layer = 0;
  int layers = wl->cfg->layers, lm = -1;
  for (int s = 0; s < wl->n_shapes; s++) {
    if (wl->shapes[s].w == SLM_W_LM_HEAD) lm = s;
    else layer += bytes[s] * wl->shapes[s].count / layers;
  }
  double full = floor(cap / layer);
  if (full > layers) full = layers;
  double left = cap - full * layer, used = full * layer;
  for (int s = 0; s < wl->n_shapes; s++) {
    if (s == lm) continue;
    res[s] = full * wl->shapes[s].count / layers;
    if (full < layers && bytes[s] <= left) { res[s] += 1; left -= bytes[s]; used += bytes[s]; }
  }
  if (lm >= 0 && full == layers && bytes[lm] <= left) { res[lm] = 1; used += bytes[lm]; }
  return used;
}

typedef struct {
  double t[PERF_T_COUNT], e[PERF_E_COUNT - 1]; /* leakage added by the caller */
  double dram, weight, resident, kv, gemv, gemv_matrix;
  double stream_t, compute_t;
  int invalid;                /* a layer the build cannot run (precision, K, resident blocks) */
  double op_cycles[PERF_OP_COUNT], op_cmds[PERF_OP_COUNT];
} acc_t;

/* One matrix applied to `batch` vectors: commands of at most MaxBatch vectors that fit the
 * activation buffer, each timed by perf_gemv_timing(); summed into g (cycles and bytes). */
typedef struct {
  double cycles, body, start_drain, write_bound_body, dram_bound, passes;
  double w_bytes, x_bytes, y_bytes, read_bytes, macs, terms, col_blocks;
} gemv_sum_t;

static int gemv_sum(const perf_hw_t *hw, const perf_shape_t *sh, int wbits, int resident, int batch, gemv_sum_t *g,
                    int qkv_bias) {
  ecim_hw_t e;
  perf_dram_t d;
  perf_hw_ecim(hw, &e);
  perf_hw_dram(hw, &d);
  memset(g, 0, sizeof *g);
  int fit = (int)((uint64_t)e.act_bytes / ecim_kpad((uint64_t)sh->k)), bmax = fit < e.max_batch ? fit : e.max_batch;
  if (bmax < 1) return -1;
  /* the full commands are alike: time one of them and the rest, if any */
  const int full = batch / bmax, rest = batch % bmax;
  for (int pass = 0; pass < 2; pass++) {
    int n = pass ? rest : full, b = pass ? rest : bmax;
    if (n == 0) continue;
    /* the residual adds are the O and down projections' ACCUM; Qwen2.5's QKV bias is BIAS */
    int accum = sh->w == SLM_W_O || sh->w == SLM_W_DOWN, bias = qkv_bias && sh->w == SLM_W_QKV;
    perf_cmd_t c = {sh->k, sh->n, wbits, b, bias, accum, resident, 0};
    if (perf_gemv_check(&e, &c, NULL, 0)) return -1;
    perf_gemv_t t;
    perf_gemv_timing(&e, &d, &c, &t);
    g->cycles += n * t.total_cycles;
    g->body += n * t.body_cycles;
    g->start_drain += n * (t.start_cycles + t.drain_cycles);
    if (!strcmp(t.bound, "writes")) g->write_bound_body += n * t.body_cycles;
    else if (!strcmp(t.bound, "DRAM")) g->dram_bound += n * t.body_cycles;
    g->w_bytes += n * t.w_bytes;
    g->x_bytes += n * t.x_bytes;
    g->y_bytes += n * t.y_bytes;
    g->read_bytes += n * t.read_bytes;
    g->passes += n;
  }
  g->col_blocks = (double)ecim_n_nb((uint64_t)sh->n, (uint64_t)e.macro_cols);
  g->macs = (double)ecim_kp((uint64_t)sh->k) * g->col_blocks * e.macro_cols * batch;
  g->terms = g->macs / ECIM_GROUP_ROWS;
  return 0;
}

static void add_gemv(acc_t *a, const perf_hw_t *hw, const gemv_sum_t *g, double count, int resident, int wbits,
                     double vs) {
  const double cyc = 1e-6 / hw->clock_mhz * count;
  a->t[PERF_T_GEMV_STREAM] += g->dram_bound * cyc;
  a->t[PERF_T_GEMV_COMPUTE] += (g->body - g->dram_bound - g->write_bound_body) * cyc;
  a->t[PERF_T_GEMV_IO] += g->write_bound_body * cyc;
  a->t[PERF_T_GEMV_OVERHEAD] += g->start_drain * cyc;
  a->op_cycles[PERF_OP_GEMV_W] += g->cycles * count;
  a->op_cmds[PERF_OP_GEMV_W] += g->passes * count;
  a->stream_t += g->dram_bound * cyc;
  a->compute_t += (g->body - g->dram_bound) * cyc;
  double dram = g->w_bytes + g->x_bytes + g->y_bytes;
  a->dram += dram * count;
  a->weight += g->w_bytes * count;
  a->gemv += (g->read_bytes + g->y_bytes) * count; /* with the old y (ACCUM) and bias reads */
  a->gemv_matrix += g->w_bytes * count;
  (void)resident; /* a resident command streams no weights (w_bytes 0); run_step adds what stays */
  a->e[PERF_E_DRAM] += dram * 8 * hw->dram_pj_bit * 1e-12 * count;
  a->e[PERF_E_CIM] += g->macs * wbits * hw->abits * hw->mac_fj_bitop * 1e-15 * vs * count;
  /* buffers: weights written into macro banks; x written once and read by every column block;
   * outputs read out of the accumulators */
  double buf_bits = 8 * (g->w_bytes * hw->sram_wr_pj_bit + g->x_bytes * hw->sram_wr_pj_bit +
                         g->x_bytes * g->col_blocks * hw->sram_rd_pj_bit + g->y_bytes * hw->sram_rd_pj_bit);
  a->e[PERF_E_BUFFER] += buf_bits * 1e-12 * vs * count;
  a->e[PERF_E_POSTPROC] += g->terms * hw->pp_pj_term * 1e-12 * vs * count;
}

/* The host's part: the per-token list start and interrupt (host_op_ns each) and the sampling of
 * the logits (its element ops at host_gops). */
static void add_host(acc_t *a, const perf_hw_t *hw, double n, double ops) {
  a->t[PERF_T_HOST] += n * hw->host_op_ns * 1e-9 + ops / (hw->host_gops * 1e9);
  a->e[PERF_E_HOST] += ops * hw->host_pj_op * 1e-12;
}

/* The vector unit, the attention GEMVs and the command list (perf_step.c); their element
 * operations cost host_pj_op each (VF32 arithmetic), their bytes the DRAM energy. */
static void add_step(acc_t *a, const perf_hw_t *hw, const perf_workload_t *wl, int tokens, double ctx_sum,
                     double vs) {
  ecim_hw_t e;
  perf_dram_t d;
  perf_hw_ecim(hw, &e);
  perf_hw_dram(hw, &d);
  perf_step_t st;
  if (perf_step_eval(&e, &d, wl->cfg, tokens, ctx_sum, &st)) { a->invalid = 1; return; }
  const double cyc = 1e-6 / hw->clock_mhz;
  a->t[PERF_T_VECTOR] += st.vu_cycles * cyc;
  a->t[PERF_T_ATTENTION] += st.attn_cycles * cyc;
  a->t[PERF_T_LIST] += st.list_cycles * cyc;
  for (int k = 0; k < PERF_OP_COUNT; k++) a->op_cycles[k] += st.op_cycles[k], a->op_cmds[k] += st.op_cmds[k];
  const double bytes = st.vu_bytes + st.attn_bytes + st.list_bytes;
  const double ops = wl->host_ops_tok * tokens + wl->attn_layers * wl->attn_ops_per_pos * ctx_sum;
  a->e[PERF_E_HOST] += ops * hw->host_pj_op * 1e-12 * vs;
  a->e[PERF_E_DRAM] += bytes * 8 * hw->dram_pj_bit * 1e-12;
  a->dram += bytes;
  a->kv += st.kv_bytes;
  a->gemv += st.attn_gemv_bytes;
  a->gemv_matrix += st.kv_bytes;
}

/* One step of `batch` tokens: decode (batch 1, positions ctx) or prefill (batch P). */
static void run_step(acc_t *a, const perf_hw_t *hw, const perf_workload_t *wl, int batch,
                     double ctx_sum) {
  memset(a, 0, sizeof *a);
  const double vdd = perf_hw_vdd(hw) / hw->vdd_nom, vs = vdd * vdd;
  double blocks[SLM_W_COUNT], res[SLM_W_COUNT];
  for (int s = 0; s < wl->n_shapes; s++)
    blocks[s] = (double)ecim_tile_blocks((uint64_t)wl->shapes[s].k, (uint64_t)wl->shapes[s].n,
                                         (uint64_t)hw->macro_rows, (uint64_t)hw->macro_cols, (uint64_t)hw->ntiles);
  assign_resident(hw, wl, blocks, res);
  for (int s = 0; s < wl->n_shapes; s++) {
    const perf_shape_t *sh = &wl->shapes[s];
    const int wbits = perf_layer_wbits(hw, wl->cfg, sh->w);
    int b = sh->w == SLM_W_LM_HEAD ? 1 : batch; /* only the last prompt token needs logits */
    gemv_sum_t g;
    if (res[s] < sh->count) {
      if (gemv_sum(hw, sh, wbits, 0, b, &g, wl->cfg->qkv_bias)) a->invalid = 1;
      else add_gemv(a, hw, &g, sh->count - res[s], 0, wbits, vs);
    }
    if (res[s] > 0) {
      gemv_sum_t gs; /* streamed figures: the bytes that stay on chip */
      if (gemv_sum(hw, sh, wbits, 1, b, &g, wl->cfg->qkv_bias) || gemv_sum(hw, sh, wbits, 0, b, &gs, wl->cfg->qkv_bias)) a->invalid = 1;
      else {
        add_gemv(a, hw, &g, res[s], 1, wbits, vs);
        a->resident += gs.w_bytes * res[s];
      }
    }
  }
  add_step(a, hw, wl, batch, ctx_sum, vs);
  add_host(a, hw, 1, wl->host_ops_tail);
}

static double sum(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  return s;
}

int perf_evaluate(const perf_hw_t *hw, const perf_workload_t *wl, const perf_eval_opts_t *opt,
                  perf_result_t *r) {
  memset(r, 0, sizeof *r);
  if (!wl->cfg || opt->ctx < 1 || opt->prompt < 0) return -1;
  const double leak_w = perf_hw_leak_mw(hw) * 1e-3;
  acc_t a;
  run_step(&a, hw, wl, 1, opt->ctx);
  if (a.invalid) return -1;
  memcpy(r->t_s, a.t, sizeof a.t);
  r->time_s = sum(r->t_s, PERF_T_COUNT);
  memcpy(r->e_j, a.e, sizeof a.e);
  r->e_j[PERF_E_LEAK] = leak_w * r->time_s;
  r->energy_j = sum(r->e_j, PERF_E_COUNT);
  r->dram_bytes = a.dram;
  r->weight_bytes = a.weight;
  r->resident_bytes = a.resident;
  r->kv_bytes = a.kv;
  r->gemv_bytes = a.gemv;
  r->gemv_matrix_bytes = a.gemv_matrix;
  r->tok_s = 1.0 / r->time_s;
  r->tok_j = 1.0 / r->energy_j;
  r->tok_j_onchip = 1.0 / (r->energy_j - r->e_j[PERF_E_DRAM]);
  r->roofline_tok_s = hw->dram_gb_s * 1e9 / r->dram_bytes;
  r->roofline_share = r->tok_s / r->roofline_tok_s;
  r->power_w = r->energy_j / r->time_s;
  r->area_mm2 = perf_hw_area_mm2(hw);
  memcpy(r->op_cycles, a.op_cycles, sizeof a.op_cycles);
  memcpy(r->op_cmds, a.op_cmds, sizeof a.op_cmds);
  double vec = r->t_s[PERF_T_ATTENTION] + r->t_s[PERF_T_VECTOR] + r->t_s[PERF_T_HOST];
  r->bound = vec > 0.5 * r->time_s ? "vector" : a.stream_t >= a.compute_t ? "DRAM" : "compute";
  if (opt->prompt > 0) {
    double p = opt->prompt;
    run_step(&a, hw, wl, opt->prompt, p * (p + 1) / 2);
    if (a.invalid) return -1;
    r->ttft_s = sum(a.t, PERF_T_COUNT);
    r->prefill_j = sum(a.e, PERF_E_COUNT - 1) + leak_w * r->ttft_s;
  }
  return 0;
}

double perf_bytes_per_token(const perf_hw_t *hw, const perf_workload_t *wl, int ctx) {
  perf_hw_t h = *hw;
  h.nres = 0;
  acc_t a;
  run_step(&a, &h, wl, 1, ctx);
  return a.dram;
}
