/* SPDX-License-Identifier: Apache-2.0 */
/* Functional coverage of the top co-simulation (issue 11, item 4): bins counted by the scoreboard
 * and printed in the summary, each with its count; a bin that stays at 0 is listed as MISSING and
 * the last line is the figure (bins hit of the bins that apply to this configuration).
 * Bins: the commands that started (GEMV and every vector op, from the queue as the C model pops it),
 * GEMV shapes (K and N classes), weight precisions 2/4/8, batch sizes, command flags (incl. v3's
 * K_POS, N_POS, FULL_BLK, KV_W, strided W), every error code latched in ERR_CODE, the command-list
 * paths (started, run to the end, stopped by a refused descriptor, more than one fetch unit,
 * refused at LIST_START, CMD_PUSH and LIST_START while a list runs), queue states, memory-port
 * backpressure, bank swaps under backpressure (from the C model's state, which mirrors the RTL's
 * register for register). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ecim_top_int.h"
#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

#define N_OPS (ECIM_CMD_OP_VAPPEND + 1)
#define N_ERRS (EDGECIM_ERR_COUNT - 1) /* codes 1 .. EDGECIM_ERR_COUNT-1 */

enum {
  B_OP_FIRST, /* + CMD_OP: a command of that kind started */
  B_K1 = B_OP_FIRST + N_OPS, B_K_LT_GROUP, B_K_GROUP, B_K_LT_BLOCK, B_K_BLOCK, B_K_MULTI_PARTIAL, B_K_MULTI_EXACT, B_K_MAX,
  B_N1, B_N_LT_BLOCK, B_N_BLOCK, B_N_MULTI_PARTIAL, B_N_MULTI_EXACT, B_N_WRAP_TILES,
  B_W2, B_W4_DEFAULT, B_W4, B_W8,
  B_BATCH1, B_BATCH2, B_BATCH_MID, B_BATCH_MAX, B_BATCH_BUFFER,
  B_PLAIN, B_BIAS, B_ACCUM, B_BIAS_ACCUM, B_RES_LOAD, B_RES_USE, B_RES_BASE,
  B_K_POS, B_N_POS, B_FULL_BLK, B_KV_W, B_STRIDED,
  B_ERR_FIRST, /* + code - 1 */
  B_LIST_STARTED = B_ERR_FIRST + N_ERRS, B_LIST_DONE, B_LIST_STOPPED, B_LIST_ONE, B_LIST_UNITS, B_LIST_REFUSED,
  B_LIST_PUSH_BUSY, B_LIST_START_BUSY, B_LIST_CMD_AFTER,
  B_Q_BUSY_PUSH, B_Q_FULL, B_IRQ,
  B_RREQ_WAIT, B_WREQ_WAIT, B_W_WAIT, B_WR_PREEMPTS_RD, B_R_BURST_MAX,
  B_SWAP, B_SWAP_PPU_BUSY, B_SWAP_OPQ_FULL, B_SWAP_ROUTER_WAITS,
  NBINS
};

static const char *const op_name[N_OPS] = {"GEMV", "EMBED", "NORM", "ROPE", "SOFTMAX", "GATE", "QUANT", "KAPPEND", "VAPPEND"};

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
    [B_K_POS] = "K_POS (K + TOKEN_POS)", [B_N_POS] = "N_POS (N + TOKEN_POS)", [B_FULL_BLK] = "FULL_BLK",
    [B_KV_W] = "KV_W (weights in the KV region)", [B_STRIDED] = "CMD_STRIDE (strided W)",
    [B_LIST_STARTED] = "list: started", [B_LIST_DONE] = "list: ran to the end",
    [B_LIST_STOPPED] = "list: stopped by a refused descriptor", [B_LIST_ONE] = "list: one descriptor",
    [B_LIST_UNITS] = "list: more than one fetch unit", [B_LIST_REFUSED] = "list: LIST_START refused",
    [B_LIST_PUSH_BUSY] = "list: CMD_PUSH while fetched", [B_LIST_START_BUSY] = "list: LIST_START while fetched",
    [B_LIST_CMD_AFTER] = "list: command started while fetched",
    [B_Q_BUSY_PUSH] = "command pushed while busy", [B_Q_FULL] = "queue full (STATUS)", [B_IRQ] = "irq rising edges",
    [B_RREQ_WAIT] = "read request waits (cycles)", [B_WREQ_WAIT] = "write request waits (cycles)",
    [B_W_WAIT] = "write beat waits (cycles)", [B_WR_PREEMPTS_RD] = "write replaces a waiting read",
    [B_R_BURST_MAX] = "read bursts of MaxBurst beats", [B_SWAP] = "bank swaps",
    [B_SWAP_PPU_BUSY] = "swap while the PPU is busy", [B_SWAP_OPQ_FULL] = "swap with results queued for the PPU",
    [B_SWAP_ROUTER_WAITS] = "swap while the router waits on it",
};

static long bins[NBINS];
static int busy_seen, prev_rd_wait, prev_irq, prev_err, prev_list, list_fetches, start_pending;
static unsigned prev_q_rd;
static uint32_t prev_list_addr;
static ecim_cmd_desc_t head; /* the queue head as it stood last cycle */
static int head_valid;

static const char *name_of(int b, char *buf, size_t n) {
  if (b < B_OP_FIRST + N_OPS) {
    snprintf(buf, n, "command %s started", op_name[b - B_OP_FIRST]);
    return buf;
  }
  if (b >= B_ERR_FIRST && b < B_ERR_FIRST + N_ERRS) {
    snprintf(buf, n, "error %s", edgecim_err_name((unsigned)(b - B_ERR_FIRST + 1)));
    return buf;
  }
  return bin_name[b];
}

static int applies(int b) {
  const ecim_hw_t *c = &tb.cfg;
  if (b > B_OP_FIRST && b < B_OP_FIRST + N_OPS) return tb.opt.vu;
  if (b == B_W8) return c->max_wbits >= 8;
  if (b == B_RES_LOAD || b == B_RES_USE) return c->nres > 0;
  if (b == B_RES_BASE) return c->nres > 1;
  if (b == B_BATCH2 || b == B_BATCH_MAX || b == B_BATCH_BUFFER) return c->max_batch >= 2;
  if (b == B_BATCH_MID) return c->max_batch >= 4;
  if (b >= B_ERR_FIRST && b < B_ERR_FIRST + N_ERRS) {
    int code = b - B_ERR_FIRST + 1;
    if ((code == EDGECIM_ERR_VU_SHAPE || code == EDGECIM_ERR_BAD_TOKEN) && !tb.opt.vu) return 0;
    return tb.opt.errors;
  }
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
  if (f & EDGECIM_CMD_FLAGS_K_POS) bins[B_K_POS]++;
  if (f & EDGECIM_CMD_FLAGS_N_POS) bins[B_N_POS]++;
  if (f & EDGECIM_CMD_FLAGS_FULL_BLK) bins[B_FULL_BLK]++;
  if (f & EDGECIM_CMD_FLAGS_KV_W) bins[B_KV_W]++;
  if (g->w_stride) bins[B_STRIDED]++;
}

void tb_fcov_read(uint32_t addr, uint32_t data) {
  if (addr == EDGECIM_REG_STATUS) {
    unsigned q = (data >> EDGECIM_STATUS_QUEUE_COUNT_LSB) & EDGECIM_STATUS_QUEUE_COUNT_MASK;
    if (q == (unsigned)tb.cfg.queue_depth) bins[B_Q_FULL]++;
  }
}

/* The model's state before this cycle's edge: the commands that started (the queue's read pointer
 * moved past the head seen last cycle), the error latched, the command list's life. */
static void model_bins(const ecim_top_t *t, const ecim_top_in_t *in) {
  const ecim_regs_t *r = &t->r;
  if (r->q_rd != prev_q_rd && head_valid && head.op < N_OPS) bins[B_OP_FIRST + (int)head.op]++;
  if (r->q_rd != prev_q_rd && t->list.active && prev_list) bins[B_LIST_CMD_AFTER]++;
  prev_q_rd = r->q_rd;
  head_valid = r->q_count != 0;
  if (head_valid) head = r->qmem[r->q_rd];
  if (r->err && !prev_err && r->err_code >= 1 && r->err_code <= N_ERRS) bins[B_ERR_FIRST + r->err_code - 1]++;
  prev_err = r->err;
  if (start_pending) { /* LIST_START written last cycle: did the fetcher start? */
    bins[t->list.active ? B_LIST_STARTED : B_LIST_REFUSED]++;
    if (t->list.active && r->list_count == 1) bins[B_LIST_ONE]++;
    list_fetches = 0;
    prev_list_addr = t->list.addr;
    start_pending = 0;
  }
  if (t->list.active && t->list.addr != prev_list_addr) list_fetches++, prev_list_addr = t->list.addr;
  if (prev_list && !t->list.active) {
    bins[r->list_done == r->list_count ? B_LIST_DONE : B_LIST_STOPPED]++;
    if (list_fetches > 1) bins[B_LIST_UNITS]++;
  }
  prev_list = t->list.active;
  int wr = in->mmio_valid && in->mmio_write;
  if (wr && in->mmio_addr == EDGECIM_REG_LIST_START) {
    if (t->list.active) bins[B_LIST_START_BUSY]++;
    else start_pending = 1;
  }
  if (wr && in->mmio_addr == EDGECIM_REG_CMD_PUSH && t->list.active) bins[B_LIST_PUSH_BUSY]++;
}

void tb_fcov_cycle(const top_tb_dut_t *d, const ecim_top_in_t *in) {
  model_bins(tb.model, in);
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
  busy_seen = t->seq.run || t->vu.run || t->r.q_count || t->list.active;
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
  char buf[64];
  printf("functional  coverage bins (count):\n");
  for (int b = 0; b < NBINS; b++) {
    if (!applies(b)) continue;
    total++;
    printf("  %-40s %10ld%s\n", name_of(b, buf, sizeof buf), bins[b], bins[b] ? "" : "  MISSING");
    missing += bins[b] == 0;
  }
  printf("functional  %d of %d bins hit (%.1f%%)\n", total - missing, total,
         total ? 100.0 * (double)(total - missing) / (double)total : 0.0);
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
  /* a KV_W GEMV: the weights are the KV region (a K cache read as a matrix) */
  tb_begin_group();
  int g = tb_add_gemv(c->macro_rows + 16, 2 * c->macro_cols - 3, 0, 1, EDGECIM_CMD_FLAGS_KV_W, "coverage: KV_W", -1);
  uint32_t wb = (uint32_t)ecim_dev_bytes(&tb.geom, tb.gemvs[g].K, tb.gemvs[g].N, tb.gemvs[g].wbits);
  tb_wr(EDGECIM_REG_KV_BASE, tb.gemvs[g].w);
  tb_wr(EDGECIM_REG_KV_LIMIT, tb.gemvs[g].w + (uint32_t)ecim_round_up(wb, ECIM_ALIGN));
  tb_program(g);
  tb_wait_and_check(g, g);
  tb_wr(EDGECIM_REG_KV_BASE, 0);
  tb_wr(EDGECIM_REG_KV_LIMIT, 0);
}
