/* SPDX-License-Identifier: Apache-2.0 */
/* The GEMV part of a decode step against its own DRAM roofline, on the cycle-exact C model
 * (make bench-gemv-part): every GEMV command of one token, the weight GEMVs (QKV, O, gate_up,
 * down per layer, the LM head) and the attention GEMVs over the INT8 KV caches (q.K and .V per
 * KV head and layer), each run once on a fresh C model of the design (perf_cm_gemv) and counted
 * as often as the step issues it. The whole-step measurement (make bench-models) has only the sum
 * of all GEMV cycles; this splits it, so the weight stream's own efficiency is visible apart from
 * the attention GEMVs, which are short commands whose start and drain latency dominate.
 *
 * A command is timed alone (push to idle), not behind the previous one in a list: the sum of
 * both parts is compared with the list's GEMV cycles in docs/results.md to bound that difference.
 * The command shapes are the analytic model's (perf_model.c, perf_step.c: batch 1 for the
 * weights, the query heads of a KV head as one batch for attention), the bytes the C model's DRAM
 * moved (reads, and the written beats at the port width).
 *
 * Usage: perf-gemv-part CONFIG CTX all|PRESET...   (CSV on stdout, one row per preset) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_cmodel.h"
#include "perf_model.h"

typedef struct {
  double cycles, bytes;
} part_t;

/* count x one command on the C model into p; 0 or -1 (message printed) */
static int run_cmd(const ecim_hw_t *e, const perf_dram_t *d, const perf_cmd_t *c, double count, part_t *p) {
  char err[256];
  perf_cm_result_t r;
  if (perf_gemv_check(e, c, err, sizeof err) || perf_cm_gemv(e, d, c, &r, err, sizeof err)) {
    fprintf(stderr, "perf-gemv-part: %dx%d W%d B%d: %s\n", c->k, c->n, c->wbits, c->batch, err);
    return -1;
  }
  p->cycles += count * (double)r.cycles;
  p->bytes += count * ((double)r.bytes_read + (double)r.beats_written * e->data_bytes);
  return 0;
}

/* The weight GEMVs of one decode token, as perf_model.c's gemv_sum issues them at batch 1. */
static int weight_part(const perf_hw_t *hw, const ecim_hw_t *e, const perf_dram_t *d, const perf_workload_t *wl,
                       part_t *p) {
  for (int s = 0; s < wl->n_shapes; s++) {
    const perf_shape_t *sh = &wl->shapes[s];
    int accum = sh->w == SLM_W_O || sh->w == SLM_W_DOWN, bias = wl->cfg->qkv_bias && sh->w == SLM_W_QKV;
    perf_cmd_t c = {sh->k, sh->n, perf_layer_wbits(hw, wl->cfg, sh->w), 1, bias, accum, 0, 0};
    if (run_cmd(e, d, &c, sh->count, p)) return -1;
  }
  return 0;
}

/* The attention GEMVs of one token at ctx cached positions, as perf_step.c's kv_gemv splits them. */
static int attn_part(const ecim_hw_t *e, const perf_dram_t *d, const slm_config_t *cfg, int ctx, part_t *p) {
  const int hd = cfg->head_dim, g = cfg->heads / cfg->kv_heads;
  const double times = (double)cfg->layers * cfg->kv_heads;
  const int shapes[2][3] = {{hd, ctx, 0}, {ctx, hd, 1}}; /* K, N, FULL_BLK: scores q.K, then .V */
  for (int i = 0; i < 2; i++) {
    const int k = shapes[i][0], fit = (int)((uint64_t)e->act_bytes / ecim_kpad((uint64_t)k));
    const int bmax = fit < (int)e->max_batch ? fit : (int)e->max_batch;
    if (bmax < 1) { fprintf(stderr, "perf-gemv-part: K %d does not fit the activation buffer\n", k); return -1; }
    for (int left = g; left > 0; left -= bmax) {
      perf_cmd_t c = {k, shapes[i][1], 8, left < bmax ? left : bmax, 0, 0, 0, shapes[i][2]};
      if (run_cmd(e, d, &c, times, p)) return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: perf-gemv-part CONFIG CTX all|PRESET...\n");
    return 2;
  }
  perf_hw_t hw;
  char err[512];
  perf_hw_default(&hw);
  if (perf_hw_load(&hw, argv[1], err, sizeof err) || perf_hw_validate(&hw, err, sizeof err)) {
    fprintf(stderr, "perf-gemv-part: %s\n", err);
    return 2;
  }
  const int ctx = atoi(argv[2]), all = !strcmp(argv[3], "all");
  if (ctx < 1) { fprintf(stderr, "perf-gemv-part: CTX %s is not a position count\n", argv[2]); return 2; }
  ecim_hw_t e;
  perf_dram_t d;
  perf_hw_ecim(&hw, &e);
  perf_hw_dram(&hw, &d);
  const char *named = ecim_hw_name(&e); /* the rows say which chip, as bench-models' do */
  printf("model,hw,dram_bytes_per_cycle,ctx,weight_gemv_cycles,weight_gemv_bytes,attn_gemv_cycles,attn_gemv_bytes,weight_share,attn_share\n");
  for (int i = 0; i < (all ? slm_n_presets : argc - 3); i++) {
    const char *name = all ? slm_presets[i].name : argv[3 + i];
    const slm_config_t *cfg = slm_preset_find(name);
    perf_workload_t wl;
    part_t w = {0, 0}, a = {0, 0};
    if (!cfg || perf_workload_build(cfg, &wl)) { fprintf(stderr, "perf-gemv-part: no preset %s\n", name); return 2; }
    if (weight_part(&hw, &e, &d, &wl, &w) || attn_part(&e, &d, cfg, ctx, &a)) return 1;
    printf("%s,%s,%.6g,%d,%.0f,%.0f,%.0f,%.0f,%.4f,%.4f\n", cfg->name, named ? named : "unnamed", d.bytes_per_cycle, ctx,
           w.cycles, w.bytes, a.cycles, a.bytes,
           w.bytes / d.bytes_per_cycle / w.cycles, a.bytes / d.bytes_per_cycle / a.cycles);
    fflush(stdout);
  }
  return 0;
}
