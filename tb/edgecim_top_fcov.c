/* SPDX-License-Identifier: Apache-2.0 */
/* Functional coverage of the top co-simulation (issue 11, item 4): bins counted by the scoreboard
 * and printed in the summary, each with its count; a bin that stays at 0 is listed as missing.
 * Bins: GEMV shapes (K and N classes), weight precisions 2/4/8, batch sizes, command flags, every
 * error code seen in ERR_CODE, queue states, memory-port backpressure, bank swaps under
 * backpressure (from the C model's state, which mirrors the RTL's register for register). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ecim_top_int.h"
#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

enum {
  B_K1, B_K_LT_GROUP, B_K_GROUP, B_K_LT_BLOCK, B_K_BLOCK, B_K_MULTI_PARTIAL, B_K_MULTI_EXACT, B_K_MAX,
  B_N1, B_N_LT_BLOCK, B_N_BLOCK, B_N_MULTI_PARTIAL, B_N_MULTI_EXACT, B_N_WRAP_TILES,
  B_W2, B_W4_DEFAULT, B_W4, B_W8,
  B_BATCH1, B_BATCH2, B_BATCH_MID, B_BATCH_MAX, B_BATCH_BUFFER,
  B_PLAIN, B_BIAS, B_ACCUM, B_BIAS_ACCUM, B_RES_LOAD, B_RES_USE, B_RES_BASE,
  B_ERR_FIRST, /* + code - 1, codes 1..10 */
  B_Q_BUSY_PUSH = B_ERR_FIRST + 10, B_Q_FULL, B_IRQ,
  B_RREQ_WAIT, B_WREQ_WAIT, B_W_WAIT, B_WR_PREEMPTS_RD, B_R_BURST_MAX,
  B_SWAP, B_SWAP_PPU_BUSY, B_SWAP_OPQ_FULL, B_SWAP_ROUTER_WAITS,
  NBINS
};

static const char *const bin_name[NBINS] = {
    [B_K1] = "K=1", [B_K_LT_GROUP] = "K<32 (part of a group)", [B_K_GROUP] = "K=32 (one group)",
    [B_K_LT_BLOCK] = "K<rows (part of a block)", [B_K_BLOCK] = "K=rows (one block)",
    [B_K_MULTI_PARTIAL] = "K>rows, last block partial", [B_K_MULTI_EXACT] = "K>rows, whole blocks",
    [B_K_MAX] = "K=the largest", [B_N1] = "N=1", [B_N_LT_BLOCK] = "N<cols", [B_N_BLOCK] = "N=cols",
    [B_N_MULTI_PARTIAL] = "N>cols, last block partial", [B_N_MULTI_EXACT] = "N>cols, whole blocks",
    [B_N_WRAP_TILES] = "N>cols x NTiles (tiles wrap)", [B_W2] = "2-bit weights", [B_W4_DEFAULT] = "WBITS=0 (4-bit)",
    [B_W4] = "4-bit weights", [B_W8] = "8-bit weights", [B_BATCH1] = "batch 1", [B_BATCH2] = "batch 2",
    [B_BATCH_MID] = "batch 3..MaxBatch-1", [B_BATCH_MAX] = "batch MaxBatch",
    [B_BATCH_BUFFER] = "batch filling the buffer", [B_PLAIN] = "no flags", [B_BIAS] = "BIAS", [B_ACCUM] = "ACCUM",
    [B_BIAS_ACCUM] = "BIAS+ACCUM", [B_RES_LOAD] = "RES_LOAD", [B_RES_USE] = "RES_USE", [B_RES_BASE] = "RES_BASE>0",
    [B_ERR_FIRST + 0] = "error ZERO_SIZE", [B_ERR_FIRST + 1] = "error MISALIGNED",
    [B_ERR_FIRST + 2] = "error OUT_OF_RANGE", [B_ERR_FIRST + 3] = "error QUEUE_OVERFLOW",
    [B_ERR_FIRST + 4] = "error TOO_LARGE", [B_ERR_FIRST + 5] = "error RESIDENT_RANGE",
    [B_ERR_FIRST + 6] = "error BAD_FLAGS", [B_ERR_FIRST + 7] = "error BAD_ADDRESS",
    [B_ERR_FIRST + 8] = "error BAD_PRECISION", [B_ERR_FIRST + 9] = "error BAD_BATCH",
    [B_Q_BUSY_PUSH] = "command pushed while busy", [B_Q_FULL] = "queue full (STATUS)", [B_IRQ] = "irq rising edges",
    [B_RREQ_WAIT] = "read request waits (cycles)", [B_WREQ_WAIT] = "write request waits (cycles)",
    [B_W_WAIT] = "write beat waits (cycles)", [B_WR_PREEMPTS_RD] = "write replaces a waiting read",
    [B_R_BURST_MAX] = "read bursts of MaxBurst beats", [B_SWAP] = "bank swaps",
    [B_SWAP_PPU_BUSY] = "swap while the PPU is busy", [B_SWAP_OPQ_FULL] = "swap with results queued for the PPU",
    [B_SWAP_ROUTER_WAITS] = "swap while the router waits on it",
};

static long bins[NBINS];
static int busy_seen, prev_rd_wait, prev_irq;

static int applies(int b) {
  const ecim_hw_t *c = &tb.cfg;
  if (b == B_W8) return c->max_wbits >= 8;
  if (b == B_RES_LOAD || b == B_RES_USE) return c->nres > 0;
  if (b == B_RES_BASE) return c->nres > 1;
  if (b == B_BATCH2 || b == B_BATCH_MAX || b == B_BATCH_BUFFER) return c->max_batch >= 2;
  if (b == B_BATCH_MID) return c->max_batch >= 4;
  return 1;
}

void tb_fcov_gemv(const gemv_t *g) {
  const ecim_hw_t *c = &tb.cfg;
  int R = c->macro_rows, C = c->macro_cols;
  uint32_t f = g->flags;
  if (g->K == 1) bins[B_K1]++;
  else if (g->K < 32) bins[B_K_LT_GROUP]++;
  else if (g->K == 32) bins[B_K_GROUP]++;
  else if (g->K < R) bins[B_K_LT_BLOCK]++;
  else if (g->K == R) bins[B_K_BLOCK]++;
  else if (g->K % R) bins[B_K_MULTI_PARTIAL]++;
  else bins[B_K_MULTI_EXACT]++;
  if (g->K == tb.max_k) bins[B_K_MAX]++;
  if (g->N == 1) bins[B_N1]++;
  else if (g->N < C) bins[B_N_LT_BLOCK]++;
  else if (g->N == C) bins[B_N_BLOCK]++;
  else if (g->N % C) bins[B_N_MULTI_PARTIAL]++;
  else bins[B_N_MULTI_EXACT]++;
  if (g->N > C * c->ntiles) bins[B_N_WRAP_TILES]++;
  unsigned wf = (f >> EDGECIM_CMD_FLAGS_WBITS_LSB) & EDGECIM_CMD_FLAGS_WBITS_MASK;
  bins[wf == 0 ? B_W4_DEFAULT : g->wbits == 2 ? B_W2 : g->wbits == 4 ? B_W4 : B_W8]++;
  int fit = (int)((uint64_t)c->act_bytes / ecim_kpad((uint64_t)g->K));
  if (g->batch == 1) bins[B_BATCH1]++;
  else if (g->batch == 2) bins[B_BATCH2]++;
  else if (g->batch < c->max_batch) bins[B_BATCH_MID]++;
  if (g->batch == c->max_batch) bins[B_BATCH_MAX]++;
  if (g->batch > 1 && g->batch == fit) bins[B_BATCH_BUFFER]++;
  int bias = (f & EDGECIM_CMD_FLAGS_BIAS) != 0, accum = (f & EDGECIM_CMD_FLAGS_ACCUM) != 0;
  bins[bias && accum ? B_BIAS_ACCUM : bias ? B_BIAS : accum ? B_ACCUM : B_PLAIN]++;
  if (f & EDGECIM_CMD_FLAGS_RES_LOAD) bins[B_RES_LOAD]++;
  if (f & EDGECIM_CMD_FLAGS_RES_USE) bins[B_RES_USE]++;
  if ((f >> EDGECIM_CMD_FLAGS_RES_BASE_LSB) & EDGECIM_CMD_FLAGS_RES_BASE_MASK) bins[B_RES_BASE]++;
}

void tb_fcov_read(uint32_t addr, uint32_t data) {
  if (addr == EDGECIM_REG_ERR_CODE && data >= 1 && data <= 10) bins[B_ERR_FIRST + (int)data - 1]++;
  if (addr == EDGECIM_REG_STATUS) {
    unsigned q = (data >> EDGECIM_STATUS_QUEUE_COUNT_LSB) & EDGECIM_STATUS_QUEUE_COUNT_MASK;
    if (q == (unsigned)tb.cfg.queue_depth) bins[B_Q_FULL]++;
  }
}

void tb_fcov_cycle(const top_tb_dut_t *d, const ecim_top_in_t *in) {
  if (in->mmio_valid && in->mmio_write && in->mmio_addr == EDGECIM_REG_CMD_PUSH && busy_seen) bins[B_Q_BUSY_PUSH]++;
  if (d->irq && !prev_irq) bins[B_IRQ]++;
  prev_irq = d->irq;
  int rd_wait = d->mem.req_valid && !d->mem.req_we && !in->mem.req_ready;
  if (rd_wait) bins[B_RREQ_WAIT]++;
  if (d->mem.req_valid && d->mem.req_we && !in->mem.req_ready) bins[B_WREQ_WAIT]++;
  if (d->mem.req_valid && d->mem.req_we && prev_rd_wait) bins[B_WR_PREEMPTS_RD]++;
  if (d->mem.req_valid && in->mem.req_ready && !d->mem.req_we && d->mem.req_len + 1 == tb.cfg.max_burst) bins[B_R_BURST_MAX]++;
  if (d->mem.w_valid && !in->mem.w_ready) bins[B_W_WAIT]++;
  prev_rd_wait = rd_wait;
  /* bank swaps: a tile's first plane with a swap, as the model's state stands this cycle */
  const ecim_top_t *t = tb.model;
  busy_seen = t->seq.run || t->q_count;
  for (int i = 0; i < tb.cfg.ntiles; i++) {
    const ecim_tile_t *tl = &t->tile[i];
    if (!(tl->pl_active && tl->bit == 0 && tl->pl_swap)) continue;
    bins[B_SWAP]++;
    if (tl->ppu.ir_valid) bins[B_SWAP_PPU_BUSY]++;
    if (tl->opq_count >= 1) bins[B_SWAP_OPQ_FULL]++;
    if (tl->pend & (1u << tl->pl_op.macro) && t->seq.run && t->seq.wb.kind == ECIM_SEG_KIND_W) bins[B_SWAP_ROUTER_WAITS]++;
  }
}

void tb_fcov_summary(void) {
  int missing = 0, total = 0;
  printf("functional  coverage bins (count):\n");
  for (int b = 0; b < NBINS; b++) {
    if (!applies(b)) continue;
    total++;
    printf("  %-36s %10ld%s\n", bin_name[b], bins[b], bins[b] ? "" : "  MISSING");
    missing += bins[b] == 0;
  }
  printf("functional  %d of %d bins hit\n", total - missing, total);
}

/* GEMVs that close gaps the bins and the line/toggle coverage showed (docs/COVERAGE.md). */
static void run_one(int K, int N, int wflag, int batch, uint32_t flags, const char *name) {
  tb_begin_group();
  int g = tb_add_gemv(K, N, wflag, batch, flags, name, -1);
  tb_program(g);
  tb_wait_and_check(g, g);
}

void tb_coverage_scenario(void) {
  const ecim_hw_t *c = &tb.cfg;
  run_one(17, 3, 2, 1, 0, "coverage: K < 32");
  run_one(31, c->macro_cols * c->ntiles, 4, 3 <= c->max_batch ? 3 : 1, EDGECIM_CMD_FLAGS_ACCUM,
          "coverage: K < 32, N = cols x NTiles, batch 3");
}
