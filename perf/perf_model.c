/* SPDX-License-Identifier: Apache-2.0 */
/* Decode-step and prefill evaluation. Equations: docs/PERF_MODEL.md. */
#include "perf_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perf_gemv.h"

const char *const perf_t_names[PERF_T_COUNT] = {"gemv_stream", "gemv_compute", "gemv_io",
                                                "gemv_overhead", "attention", "host_ops"};
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

/* Resident-weight policy: whole layers in order, then first-fit of the next layer's matrices,
 * then the LM head if every layer is resident and it fits. res[s] = resident matrices of shape s. */
static double assign_resident(const perf_hw_t *hw, const perf_workload_t *wl, int wbits,
                              const double *bytes, double *res) {
  for (int s = 0; s < wl->n_shapes; s++) res[s] = 0;
  double cap = perf_hw_macros(hw) * hw->resident_banks * perf_bank_bytes(hw, wbits);
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
  double dram, weight, resident, kv;
  double stream_t, compute_t;
} acc_t;

static void add_gemv(acc_t *a, const perf_hw_t *hw, const perf_gemv_t *g, double count,
                     int resident, int wbits, double vs) {
  const double cyc = 1e-6 / hw->clock_mhz * count;
  if (g->dram_bound) a->t[PERF_T_GEMV_STREAM] += g->body_cycles * cyc;
  else a->t[PERF_T_GEMV_COMPUTE] += g->body_cycles * cyc;
  a->stream_t += g->stream_cycles * cyc;
  a->compute_t += g->compute_cycles * cyc;
  a->t[PERF_T_GEMV_IO] += g->io_cycles * cyc;
  a->t[PERF_T_GEMV_OVERHEAD] += g->overhead_cycles * cyc;
  double wbytes = resident ? 0 : g->weight_bytes * g->passes;
  double dram = wbytes + g->x_bytes + g->y_bytes;
  a->dram += dram * count;
  a->weight += wbytes * count;
  if (resident) a->resident += g->weight_bytes * count;
  a->e[PERF_E_DRAM] += dram * 8 * hw->dram_pj_bit * 1e-12 * count;
  a->e[PERF_E_CIM] += g->macs * wbits * hw->abits * hw->mac_fj_bitop * 1e-15 * vs * count;
  /* buffers: weights written into macro banks; x written once and read by every column block;
   * outputs read out of the post-processing registers */
  double col_blocks = g->np / hw->cols;
  double buf_bits = 8 * (wbytes * hw->sram_wr_pj_bit + g->x_bytes * hw->sram_wr_pj_bit +
                         g->x_bytes * col_blocks * hw->sram_rd_pj_bit +
                         g->y_bytes * hw->sram_rd_pj_bit);
  a->e[PERF_E_BUFFER] += buf_bits * 1e-12 * vs * count;
  a->e[PERF_E_POSTPROC] += g->terms * hw->pp_pj_term * 1e-12 * vs * count;
}

/* Firmware ops: n ops with `ops` element operations and `bytes` of DRAM traffic (serial). */
static void add_host(acc_t *a, const perf_hw_t *hw, double n, double ops, double bytes) {
  a->t[PERF_T_HOST] += n * hw->host_op_ns * 1e-9 + ops / (hw->host_gops * 1e9) +
                       bytes / (hw->dram_gb_s * 1e9);
  a->e[PERF_E_HOST] += ops * hw->host_pj_op * 1e-12;
  a->e[PERF_E_DRAM] += bytes * 8 * hw->dram_pj_bit * 1e-12;
  a->dram += bytes;
}

/* Attention over `pos_sum` cached positions in total (summed over the tokens), n_issue ops. */
static void add_attention(acc_t *a, const perf_hw_t *hw, const perf_workload_t *wl,
                          double n_issue, double pos_sum) {
  double kv_bytes = wl->attn_layers * wl->kv_elems_per_pos * hw->kv_bits / 8.0 * pos_sum;
  double ops = wl->attn_layers * wl->attn_ops_per_pos * pos_sum;
  /* firmware streams K/V from DRAM while it computes: the slower of the two */
  a->t[PERF_T_ATTENTION] += n_issue * hw->host_op_ns * 1e-9 +
                            fmax(ops / (hw->host_gops * 1e9), kv_bytes / (hw->dram_gb_s * 1e9));
  a->e[PERF_E_HOST] += ops * hw->host_pj_op * 1e-12;
  a->e[PERF_E_DRAM] += kv_bytes * 8 * hw->dram_pj_bit * 1e-12;
  a->dram += kv_bytes;
  a->kv += kv_bytes;
}

/* One step of `batch` tokens: decode (batch 1, positions ctx) or prefill (batch P). */
static void run_step(acc_t *a, const perf_hw_t *hw, const perf_workload_t *wl, int batch,
                     double ctx_sum) {
  memset(a, 0, sizeof *a);
  const int wbits = perf_model_wbits(hw, wl->cfg);
  const double vdd = perf_hw_vdd(hw) / hw->vdd_nom, vs = vdd * vdd;
  double bytes[SLM_W_COUNT], res[SLM_W_COUNT];
  for (int s = 0; s < wl->n_shapes; s++)
    bytes[s] = perf_packed_bytes(hw, wl->shapes[s].k, wl->shapes[s].n, wbits);
  assign_resident(hw, wl, wbits, bytes, res);
  for (int s = 0; s < wl->n_shapes; s++) {
    const perf_shape_t *sh = &wl->shapes[s];
    int b = sh->w == SLM_W_LM_HEAD ? 1 : batch; /* only the last prompt token needs logits */
    perf_gemv_t g;
    if (res[s] < sh->count) {
      perf_gemv_timing(hw, sh->k, sh->n, wbits, 0, b, &g);
      add_gemv(a, hw, &g, sh->count - res[s], 0, wbits, vs);
    }
    if (res[s] > 0) {
      perf_gemv_timing(hw, sh->k, sh->n, wbits, 1, b, &g);
      add_gemv(a, hw, &g, res[s], 1, wbits, vs);
    }
  }
  const double kv_write = wl->attn_layers * wl->kv_elems_per_pos * hw->kv_bits / 8.0;
  add_host(a, hw, wl->host_n_tok * batch, wl->host_ops_tok * batch,
           (wl->embed_bytes + kv_write) * batch);
  a->kv += kv_write * batch;
  add_host(a, hw, wl->host_n_tail, wl->host_ops_tail, 0);
  add_attention(a, hw, wl, (double)wl->attn_layers * batch, ctx_sum);
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
  memcpy(r->t_s, a.t, sizeof a.t);
  r->time_s = sum(r->t_s, PERF_T_COUNT);
  memcpy(r->e_j, a.e, sizeof a.e);
  r->e_j[PERF_E_LEAK] = leak_w * r->time_s;
  r->energy_j = sum(r->e_j, PERF_E_COUNT);
  r->dram_bytes = a.dram;
  r->weight_bytes = a.weight;
  r->resident_bytes = a.resident;
  r->kv_bytes = a.kv;
  r->tok_s = 1.0 / r->time_s;
  r->tok_j = 1.0 / r->energy_j;
  r->tok_j_onchip = 1.0 / (r->energy_j - r->e_j[PERF_E_DRAM]);
  r->roofline_tok_s = hw->dram_gb_s * 1e9 / r->dram_bytes;
  r->roofline_share = r->tok_s / r->roofline_tok_s;
  r->power_w = r->energy_j / r->time_s;
  r->area_mm2 = perf_hw_area_mm2(hw);
  double host = r->t_s[PERF_T_ATTENTION] + r->t_s[PERF_T_HOST];
  r->bound = host > 0.5 * r->time_s ? "host" : a.stream_t >= a.compute_t ? "DRAM" : "compute";
  if (opt->prompt > 0) {
    double p = opt->prompt;
    run_step(&a, hw, wl, opt->prompt, p * (p + 1) / 2);
    r->ttft_s = sum(a.t, PERF_T_COUNT);
    r->prefill_j = sum(a.e, PERF_E_COUNT - 1) + leak_w * r->ttft_s;
  }
  return 0;
}

double perf_bytes_per_token(const perf_hw_t *hw, const perf_workload_t *wl, int ctx) {
  perf_hw_t h = *hw;
  h.resident_banks = 0;
  acc_t a;
  run_step(&a, &h, wl, 1, ctx);
  return a.dram;
}
