/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the vector-op and attention terms (perf_vu.c, perf_gemv.c with FULL_BLK)
 * against the cycle-exact C model: every op of a decoder layer of Qwen2.5-0.5B, Llama-3.2-1B
 * and Qwen3-0.6B as docs/VECTOR_UNIT.md lays the step out, attention at ctx 1, 512 and 4096, on
 * the chosen design (edge68) and on builds with other lanes, banks and ports. */
#include "perf_calib_vu.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf_cmodel.h"
#include "perf_vu.h"

typedef struct {
  const char *cfg;
  double bw, latency;
} calib_hw_t;

static const calib_hw_t HWS[] = {
  {"edge68", 194.3, 35},  /* 68 GB/s at 350 MHz, 100 ns */
  {"default", 16, 40},    /* 2 lanes, 4 KiB banks, 16-byte port */
  {"odd", 48, 60},        /* 8 lanes, 2 KiB banks (256-element chunks), 64-byte port below its width */
};

typedef struct {
  const char *model;
  int hidden, heads, kv_heads, head_dim, inter, qk_norm;
} calib_model_t;

static const calib_model_t MODELS[] = {
  {"qwen2.5-0.5b", 896, 14, 2, 64, 4864, 0},
  {"llama3.2-1b", 2048, 32, 8, 64, 8192, 0},
  {"qwen3-0.6b", 1024, 16, 8, 128, 3072, 1},
};

static const int CTX[] = {1, 512, 4096};

static double worst, n_cases, worst_gemv, n_gemv;
static int failed;

/* gemv: an attention GEMV, printed with its bound and not held to the limit (its regime, many
 * small output blocks written by a serial writer, is outside the GEMV model's stated domain). */
static void report(const char *what, const char *cfg, double cm, double an, const char *bound) {
  double e = 100.0 * (an - cm) / cm;
  if (bound) worst_gemv = fmax(worst_gemv, fabs(e)), n_gemv++;
  else worst = fmax(worst, fabs(e)), n_cases++;
  printf("| %s | %s | %.0f | %.0f | %+.2f%% | %s |\n", what, cfg, cm, an, e, bound ? bound : "vector op (held)");
  fflush(stdout);
}

static void vop(const ecim_hw_t *hw, const perf_dram_t *d, const char *cfg, const char *what, perf_vop_t op,
                const char *only) {
  if (only && !strstr(what, only) && !strstr(cfg, only)) return;
  char err[256];
  perf_cm_result_t r;
  if (perf_vu_check(hw, &op, err, sizeof err) || perf_cm_vop(hw, d, &op, &r, err, sizeof err)) {
    printf("| %s | %s | error: %s | | | |\n", what, cfg, err);
    failed = 1;
    return;
  }
  report(what, cfg, (double)r.cycles, perf_vu_cycles(hw, d, &op), NULL);
}

static void gemv(const ecim_hw_t *hw, const perf_dram_t *d, const char *cfg, const char *what, perf_cmd_t c,
                 const char *only) {
  if (only && !strstr(what, only) && !strstr(cfg, only)) return;
  char err[256];
  perf_cm_result_t r;
  if (perf_gemv_check(hw, &c, err, sizeof err) || perf_cm_gemv(hw, d, &c, &r, err, sizeof err)) {
    printf("| %s | %s | error: %s | | | |\n", what, cfg, err);
    failed = 1;
    return;
  }
  perf_gemv_t t;
  perf_gemv_timing(hw, d, &c, &t);
  report(what, cfg, (double)r.cycles, t.total_cycles, t.bound);
}

#define OP(o, l, n, ...) ((perf_vop_t){.op = ECIM_CMD_OP_##o, .len = (l), .count = (n), __VA_ARGS__})

static void layer(const ecim_hw_t *hw, const perf_dram_t *d, const char *cfg, const calib_model_t *m,
                  const char *only) {
  char w[160];
  const int qx = ECIM_VU_FMT_QX, g = m->heads / m->kv_heads, hd = m->head_dim, cap = 4096;
#define NAME(...) (snprintf(w, sizeof w, __VA_ARGS__), w)
  vop(hw, d, cfg, NAME("%s EMBED %d", m->model, m->hidden), OP(EMBED, m->hidden, 1, .out_fmt = 0), only);
  vop(hw, d, cfg, NAME("%s NORM %d -> QX", m->model, m->hidden), OP(NORM, m->hidden, 1, .out_fmt = qx), only);
  if (m->qk_norm)
    vop(hw, d, cfg, NAME("%s q/k NORM %d x %d -> F32", m->model, m->heads + m->kv_heads, hd),
        OP(NORM, hd, m->heads + m->kv_heads, .out_fmt = ECIM_VU_FMT_F32), only);
  vop(hw, d, cfg, NAME("%s ROPE %d x %d -> QX", m->model, m->heads + m->kv_heads, hd),
      OP(ROPE, hd, m->heads + m->kv_heads, .out_fmt = qx, .x_f32 = m->qk_norm, .pos = 511, .cap = cap), only);
  vop(hw, d, cfg, NAME("%s KAPPEND %d x %d", m->model, m->kv_heads, hd),
      OP(KAPPEND, hd, m->kv_heads, .qx_in = 1, .pos = 511, .cap = cap), only);
  vop(hw, d, cfg, NAME("%s VAPPEND %d x %d pos 511", m->model, m->kv_heads, hd),
      OP(VAPPEND, hd, m->kv_heads, .pos = 511, .cap = cap), only);
  vop(hw, d, cfg, NAME("%s VAPPEND %d x %d pos 512 (group start)", m->model, m->kv_heads, hd),
      OP(VAPPEND, hd, m->kv_heads, .pos = 512, .cap = cap), only);
  for (int i = 0; i < 3; i++) {
    const int ctx = CTX[i];
    /* the batch of one command: the query heads of a KV head that fit the activation buffer */
    const int fit = (int)((uint64_t)hw->act_bytes / ecim_kpad((uint64_t)ctx)), gb = g < fit ? g : fit;
    perf_cmd_t qk = {hd, ctx, 8, g, 0, 0, 0, 0}, pv = {ctx, hd, 8, gb, 0, 0, 0, 1};
    gemv(hw, d, cfg, NAME("%s ctx %d: q.K GEMV %dx%d W8 B%d", m->model, ctx, hd, ctx, g), qk, only);
    vop(hw, d, cfg, NAME("%s ctx %d: SOFTMAX %d x %d", m->model, ctx, g, ctx), OP(SOFTMAX, ctx, g, .vscale = 1), only);
    gemv(hw, d, cfg, NAME("%s ctx %d: .V GEMV %dx%d W8 B%d full blocks", m->model, ctx, ctx, hd, gb), pv, only);
  }
  vop(hw, d, cfg, NAME("%s QUANT %d x %d concat", m->model, m->heads, hd),
      OP(QUANT, hd, m->heads, .out_fmt = qx, .concat = 1), only);
  vop(hw, d, cfg, NAME("%s GATE SiLU %d -> QX", m->model, m->inter), OP(GATE, m->inter, 1, .out_fmt = qx), only);
#undef NAME
}

double perf_calib_vu(const char *only) {
  worst = n_cases = 0;
  failed = 0;
  printf("\n| vector op / attention GEMV | configuration | cycle-exact C model | analytic model | error | term |\n");
  printf("| --- | --- | ---: | ---: | ---: | --- |\n");
  for (size_t h = 0; h < sizeof HWS / sizeof HWS[0]; h++) {
    const ecim_hw_t *hw = ecim_hw_find(HWS[h].cfg);
    perf_dram_t d = {HWS[h].bw, HWS[h].latency, 0, 8};
    if (!hw) { printf("| no configuration %s | | | | |\n", HWS[h].cfg); failed = 1; continue; }
    for (size_t m = 0; m < sizeof MODELS / sizeof MODELS[0]; m++) layer(hw, &d, HWS[h].cfg, &MODELS[m], only);
  }
  printf("\n%.0f vector ops, worst error %.2f%%; %.0f attention GEMVs (not held), worst error %.2f%%\n", n_cases,
         worst, n_gemv, worst_gemv);
  return failed ? -1 : worst;
}
