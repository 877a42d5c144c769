/* SPDX-License-Identifier: Apache-2.0 */
/* `make calibrate`: the analytic GEMV model (perf/perf_gemv.c) against the cycle-exact C model of
 * the top (perf/perf_cmodel.c; the C model equals the RTL cycle for cycle by the co-simulation
 * tests) on GEMVs that cover the chosen design, the widest port, compute-bound builds, DRAM
 * latency 200 and 400 cycles, the 151936-row LM head, K not a multiple of the macro rows,
 * batches 1, 4 and 16 and each precision. Prints the table; exit 1 if an error exceeds --max
 * percent (default 2). Usage: perf-calibrate [--max PCT] [--only SUBSTRING] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_calib_vu.h"
#include "perf_cmodel.h"
#include "perf_gemv.h"

typedef struct {
  const char *cfg;       /* a named configuration of include/edgecim_hw.h */
  const char *override;  /* "field=value ..." on top of it (a build only the DSE names), or NULL */
  double bw, latency, stall;
  perf_cmd_t cmd;
  const char *why;
  int outside;           /* outside the model's stated domain: printed, not held to the limit */
  int posted;            /* the DRAM posts writes (dram_cfg_t.posted_writes) */
} calib_case_t;

/* K x N, precision, batch, bias, accumulate */
#define G(k, n, w, b) {k, n, w, b, 0, 0, 0, 0}
#define GB(k, n, w, b) {k, n, w, b, 1, 0, 0, 0}
#define GA(k, n, w, b) {k, n, w, b, 0, 1, 0, 0}
#define GF(k, n, w, b) {k, n, w, b, 0, 0, 0, 1} /* a FULL_BLK matrix: the V cache */

static const calib_case_t CASES[] = {
  /* the chosen design at 68 GB/s and 350 MHz (194.3 B/cycle, 100 ns = 35 cycles) */
  {"edge68", NULL, 194.3, 35, 0, GB(896, 1152, 4, 1), "chosen: qwen2.5-0.5b qkv + bias", 0},
  {"edge68", NULL, 194.3, 35, 0, G(896, 896, 4, 1), "chosen: qwen2.5-0.5b o", 0},
  {"edge68", NULL, 194.3, 35, 0, G(896, 9728, 4, 1), "chosen: qwen2.5-0.5b gate_up", 0},
  {"edge68", NULL, 194.3, 35, 0, G(4864, 896, 4, 1), "chosen: qwen2.5-0.5b down", 0},
  {"edge68", NULL, 194.3, 35, 0, G(896, 151936, 4, 1), "chosen: qwen2.5-0.5b LM head", 0},
  {"edge68", NULL, 194.3, 35, 0, G(2048, 3072, 4, 1), "chosen: llama3.2-1b qkv", 0},
  {"edge68", NULL, 194.3, 35, 0, G(8192, 2048, 4, 1), "chosen: llama3.2-1b down", 0},
  {"edge68", NULL, 194.3, 35, 0, G(2560, 2560, 2, 1), "chosen: bitnet-2b o, W2", 0},
  {"edge68", NULL, 194.3, 35, 0, G(1024, 4096, 8, 1), "chosen: qwen3-0.6b qkv, W8", 0},
  {"edge68", NULL, 194.3, 35, 0, G(4864, 896, 4, 4), "chosen: down, batch 4", 0},
  {"edge68", NULL, 194.3, 35, 0, G(4864, 896, 4, 13), "chosen: down, batch 13", 0},
  {"edge68", NULL, 194.3, 35, 5, G(2048, 8192, 4, 1), "chosen: llama3.2-1b gate_up, 5% stalls", 1},
  {"edge68", NULL, 194.3, 140, 0, G(896, 4864, 4, 1), "chosen: 400 ns DRAM", 1},
  /* the widest port at full bandwidth */
  {"wide", NULL, 256, 40, 0, G(896, 9728, 4, 1), "widest port: gate_up", 0},
  {"wide", NULL, 256, 40, 0, G(4864, 896, 8, 1), "widest port: down, W8", 0},
  {"wide", NULL, 256, 40, 0, G(1000, 3000, 2, 1), "widest port: K=1000 (not a multiple of 256), W2", 1},
  {"wide", NULL, 256, 200, 0, G(2048, 2048, 4, 1), "widest port, latency 200", 1},
  {"wide", NULL, 256, 400, 0, G(3072, 3072, 4, 1), "widest port, latency 400", 1},
  /* compute-bound: batches on a fast port */
  {"wide", NULL, 256, 40, 0, G(4096, 1024, 2, 16), "compute-bound: W2, batch 16", 0},
  {"wide", NULL, 256, 40, 0, G(4096, 1024, 2, 8), "compute-bound: W2, batch 8", 0},
  {"wide", "ntiles=1", 256, 40, 0, G(8192, 512, 4, 4), "compute-bound: one tile, batch 4", 0},
  {"wide", "ntiles=4 ppu_cols=2", 256, 40, 0, G(4864, 896, 4, 1), "compute-bound: a slow post-processor (32 cycles)", 0},
  {"odd", NULL, 64, 40, 0, G(2048, 1024, 2, 8), "compute-bound: 3 x 5 macros, W2, batch 8", 0},
  /* DRAM latency 200 and 400 cycles, the read FIFO and the DRAM queue as the limit */
  {"default", NULL, 16, 200, 0, G(896, 4864, 4, 1), "default, latency 200", 0},
  {"default", NULL, 16, 400, 0, G(2048, 2048, 8, 1), "default, latency 400, W8", 1},
  {"quad", NULL, 32, 200, 0, G(1536, 1536, 4, 1), "quad, latency 200", 0},
  {"odd", NULL, 64, 400, 0, G(1024, 3072, 4, 1), "odd, latency 400", 1},
  {"quad", NULL, 32, 400, 0, G(4864, 896, 4, 1), "quad, latency 400", 0},
  {"odd", NULL, 64, 400, 0, G(4864, 896, 4, 1), "odd, latency 400, down", 0},
  {"default", NULL, 8, 400, 0, G(2048, 2048, 4, 1), "default at 8 B/cycle, latency 400", 0},
  {"default", NULL, 16, 400, 0, G(896, 4864, 2, 1), "default, latency 400, W2", 0},
  /* the LM head */
  {"default", NULL, 16, 40, 0, G(896, 151936, 4, 1), "default: LM head 151936 x 896", 0},
  {"odd", NULL, 48, 100, 0, G(896, 151936, 2, 1), "odd: LM head at 48 B/cycle, W2", 1},
  /* K not a multiple of the macro rows, bias, accumulate, batches */
  {"default", NULL, 16, 40, 0, GB(1000, 1000, 4, 1), "default: K=1000, bias", 0},
  {"default", NULL, 12, 40, 0, GA(3000, 700, 8, 4), "default: K=3000, accumulate, batch 4", 0},
  {"default", NULL, 16, 40, 0, G(4864, 896, 2, 3), "default: W2, batch 3", 0},
  {"quad", NULL, 32, 40, 0, G(4864, 896, 4, 1), "quad: one streaming macro per tile", 0},
  {"narrow", NULL, 16, 40, 0, G(4096, 1024, 4, 1), "narrow: 1 tile x 1 macro, PpuCols 1", 0},
  {"odd", NULL, 64, 40, 0, G(2000, 3000, 8, 1), "odd: K=2000, W8", 0},
  /* attention over the KV cache of the device step (perf_step.c kv_gemv): qwen2.5-0.5b, 7 query
   * heads per KV head, head_dim 64, INT8 caches, at ctx 512 and 4096 */
  {"edge68", NULL, 194.3, 35, 0, G(64, 512, 8, 7), "attention: q.K^T, qwen2.5-0.5b, ctx 512", 0},
  {"edge68", NULL, 194.3, 35, 0, GF(512, 64, 8, 7), "attention: p.V, qwen2.5-0.5b, ctx 512", 0},
  {"edge68", NULL, 194.3, 35, 0, G(64, 4096, 8, 7), "attention: q.K^T, qwen2.5-0.5b, ctx 4096", 0},
  {"edge68", NULL, 194.3, 35, 0, GF(4096, 64, 8, 7), "attention: p.V, qwen2.5-0.5b, ctx 4096", 0},
  /* one query head per KV head (smollm2-1.7b, phi3.5-mini: MHA), batch 1 (the per-op split of
   * the whole step, EDGECIM_OP_CYCLES, gives the same cycles in the list): at ctx 4096 -1.97%
   * since the writer's back-pressure counts the whole operation queue (-5.9% before); at ctx
   * 512 -2.9%, the first writes behind full DRAM queues; printed, not held */
  {"edge68", NULL, 194.3, 35, 0, G(64, 512, 8, 1), "attention: q.K^T, smollm2-1.7b, ctx 512", 1},
  {"edge68", NULL, 194.3, 35, 0, G(64, 4096, 8, 1), "attention: q.K^T, smollm2-1.7b, ctx 4096", 1},
  /* a DRAM that posts writes (a write buffer takes the data at once: dram_cfg_t.posted_writes),
   * the chosen design dse68 (400 MHz, 170 B/cycle, 100 ns = 40 cycles): the write-bound attention
   * GEMVs, weights, a batch. Outside the domain: the compute-bound attention GEMVs of one block's
   * K at ctx 512 and g 8 (-8%, -13%; -0.1%, -7.8% with writes waiting the latency: their start and
   * their last block's writes, a few hundred cycles a command), and latency-bound reads (+2.1%:
   * a posted write no longer holds a queue slot for the latency, which the read term assumes) */
  {"dse68", NULL, 170, 40, 0, G(64, 512, 8, 8), "posted writes: q.K^T, tinyllama (g 8), ctx 512", 1, 1},
  {"dse68", NULL, 170, 40, 0, GF(512, 64, 8, 8), "posted writes: p.V, tinyllama (g 8), ctx 512", 1, 1},
  {"dse68", NULL, 170, 40, 0, G(64, 4096, 8, 8), "posted writes: q.K^T, tinyllama (g 8), ctx 4096", 0, 1},
  {"dse68", NULL, 170, 40, 0, GF(4096, 64, 8, 4), "posted writes: p.V, g 4, ctx 4096", 0, 1},
  {"dse68", NULL, 170, 40, 0, G(128, 512, 8, 2), "posted writes: q.K^T, qwen3-0.6b (g 2), ctx 512", 0, 1},
  {"dse68", NULL, 170, 40, 0, GF(512, 128, 8, 2), "posted writes: p.V, qwen3-0.6b (g 2), ctx 512", 0, 1},
  {"dse68", NULL, 170, 40, 0, G(96, 512, 8, 1), "posted writes: q.K^T, phi3.5-mini (MHA), ctx 512", 0, 1},
  {"dse68", NULL, 170, 40, 0, G(64, 2048, 8, 7), "posted writes: q.K^T, qwen2.5-0.5b (g 7), ctx 2048", 0, 1},
  {"dse68", NULL, 170, 40, 0, G(896, 4864, 4, 1), "posted writes: qwen2.5-0.5b gate", 0, 1},
  {"dse68", NULL, 170, 40, 0, G(2048, 2048, 4, 4), "posted writes: llama3.2-1b o, batch 4", 0, 1},
  {"default", NULL, 16, 200, 0, G(896, 4864, 4, 1), "posted writes: default, latency 200", 1, 1},
};
#define N_CASES ((int)(sizeof CASES / sizeof CASES[0]))

/* The named configuration with "field=value" overrides (the DSE builds any legal one). */
static int build(const calib_case_t *c, ecim_hw_t *hw, char *err, size_t errlen) {
  const ecim_hw_t *base = ecim_hw_find(c->cfg);
  if (!base) {
    snprintf(err, errlen, "no configuration '%s' in include/edgecim_hw.h", c->cfg);
    return -1;
  }
  *hw = *base;
  if (c->override) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", c->override);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
      char *eq = strchr(tok, '=');
      const ecim_hw_param_t *p = eq ? (*eq = 0, ecim_hw_param_find(tok)) : NULL;
      if (!p) {
        snprintf(err, errlen, "bad override '%s'", c->override);
        return -1;
      }
      ecim_hw_put(hw, p, atoll(eq + 1));
    }
  }
  return ecim_hw_check(hw, err, errlen);
}

int main(int argc, char **argv) {
  double max_pct = 2.0;
  const char *only = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--max") && i + 1 < argc) max_pct = atof(argv[++i]);
    else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else {
      fprintf(stderr, "usage: %s [--max PERCENT] [--only SUBSTRING]\n", argv[0]);
      return 2;
    }
  }
  printf("| GEMV (K x N, WBits, batch) | configuration | DRAM B/cycle, latency, stalls | cycle-exact C model | analytic model | bound | error | domain |\n");
  printf("| --- | --- | --- | ---: | ---: | --- | ---: | --- |\n");
  double worst = 0, worst_out = 0;
  int n = 0, n_out = 0, failed = 0;
  for (int i = 0; i < N_CASES; i++) {
    const calib_case_t *c = &CASES[i];
    if (only && !strstr(c->why, only) && !strstr(c->cfg, only)) continue;
    ecim_hw_t hw;
    char err[256];
    perf_dram_t d = {c->bw, c->latency, c->stall, 8, c->posted};
    perf_cm_result_t r;
    if (build(c, &hw, err, sizeof err) || perf_gemv_check(&hw, &c->cmd, err, sizeof err) ||
        perf_cm_gemv(&hw, &d, &c->cmd, &r, err, sizeof err)) {
      printf("| %s | %s | error: %s | | | | | |\n", c->why, c->cfg, err);
      failed = 1;
      continue;
    }
    perf_gemv_t g;
    perf_gemv_timing(&hw, &d, &c->cmd, &g);
    double e = 100.0 * (g.total_cycles - (double)r.cycles) / (double)r.cycles;
    if (c->outside) worst_out = fmax(worst_out, fabs(e)), n_out++;
    else worst = fmax(worst, fabs(e)), n++;
    printf("| %dx%d W%d B%d%s%s (%s) | %s%s%s | %.1f, %.0f, %.0f%%%s | %llu | %.0f | %s | %+.2f%% | %s |\n", c->cmd.k,
           c->cmd.n, c->cmd.wbits, c->cmd.batch, c->cmd.bias ? " bias" : "", c->cmd.accum ? " accum" : "", c->why,
           c->cfg, c->override ? " + " : "", c->override ? c->override : "", c->bw, c->latency, c->stall, c->posted ? ", posted" : "",
           (unsigned long long)r.cycles, g.total_cycles, g.bound, e, c->outside ? "outside" : "yes");
    fflush(stdout);
  }
  printf("\n%d GEMVs in the model's domain, worst error %.2f%% (limit %.1f%%): %s\n", n, worst, max_pct,
         worst <= max_pct && !failed ? "PASS" : "FAIL");
  if (n_out) printf("%d GEMVs outside it (docs/PERF_MODEL.md, Domain), worst error %.2f%%\n", n_out, worst_out);
  double vu = perf_calib_vu(only);
  if (vu < 0) failed = 1;
  printf("vector ops and attention: worst error %.2f%% (limit %.1f%%): %s\n", vu, max_pct,
         vu >= 0 && vu <= max_pct ? "PASS" : "FAIL");
  int ok = worst <= max_pct && vu >= 0 && vu <= max_pct && !failed;
  printf("make calibrate: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
