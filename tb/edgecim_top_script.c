/* SPDX-License-Identifier: Apache-2.0 */
/* The script of the top testbench: register reset values and read/write; GEMVs of corner and
 * random shapes (K, N from 1, odd sizes), every weight precision (2, 4, 8 bits up to MaxWBits),
 * batches up to MaxBatch, bias, accumulate, resident load/use, commands queued back to back, the
 * real layer shapes of SLMs; every descriptor error and an unmapped address. Each GEMV's matrix
 * is drawn in the host layout, converted to the device layout in DRAM (ecim_dev_from_host) and
 * its expected y computed by ecim_gemv_ref() on the host layout. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_gemv.h"
#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

enum {
  F_BIAS = EDGECIM_CMD_FLAGS_BIAS,
  F_ACCUM = EDGECIM_CMD_FLAGS_ACCUM,
  F_RES_LOAD = EDGECIM_CMD_FLAGS_RES_LOAD,
  F_RES_USE = EDGECIM_CMD_FLAGS_RES_USE
};

static uint32_t f_wbits(int w) { return (uint32_t)w << EDGECIM_CMD_FLAGS_WBITS_LSB; }
static uint32_t f_batch(int b) { return (uint32_t)(b - 1) << EDGECIM_CMD_FLAGS_BATCH_M1_LSB; }
static uint32_t f_res_base(int r) { return (uint32_t)r << EDGECIM_CMD_FLAGS_RES_BASE_LSB; }

void *tb_xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) {
    fprintf(stderr, "top_tb: out of memory (%zu bytes)\n", n);
    exit(2);
  }
  return p;
}

/* ------------------------------------------------------------------------------ actions */
action_t *tb_push_act(act_kind_t k) {
  if (tb.n_acts == tb.cap_acts) {
    tb.cap_acts = tb.cap_acts ? 2 * tb.cap_acts : 256;
    tb.acts = realloc(tb.acts, (size_t)tb.cap_acts * sizeof *tb.acts);
    if (!tb.acts) {
      fprintf(stderr, "top_tb: out of memory\n");
      exit(2);
    }
  }
  action_t *a = &tb.acts[tb.n_acts++];
  memset(a, 0, sizeof *a);
  a->kind = k;
  a->gemv = -1;
  return a;
}

void tb_wr(uint32_t addr, uint32_t val) {
  action_t *a = tb_push_act(A_WRITE);
  a->addr = addr;
  a->val = val;
}

void tb_rd_expect(uint32_t addr, uint32_t val, uint32_t mask, const char *what) {
  action_t *a = tb_push_act(A_READ);
  a->addr = addr;
  a->val = val;
  a->mask = mask;
  a->what = what;
}

/* ------------------------------------------------------------------------ DRAM buffers */
/* A group is the GEMVs in flight together; between groups every earlier buffer is dead, so
 * the heap starts again at the bottom when a group would not fit above the last one. */
void tb_begin_group(void) { tb.group_lo = tb.heap; }

uint32_t tb_alloc(uint32_t bytes) {
  uint32_t size = dram_cfg(tb.dram)->size;
  uint32_t gap = ECIM_ALIGN * tb_rng_below(&tb.rng, 3); /* vary the buffers' neighbours */
  uint32_t a = ((tb.heap + ECIM_ALIGN - 1) & ~(uint32_t)(ECIM_ALIGN - 1)) + gap;
  if ((uint64_t)a + bytes > size) {
    /* restart below the group: only legal if the group's own buffers stay clear */
    a = TB_HEAP_BASE + gap;
    if ((uint64_t)a + bytes > tb.group_lo || tb.heap < tb.group_lo) {
      fprintf(stderr, "top_tb: a group of GEMVs needs more than the %u bytes of DRAM\n", size);
      exit(2);
    }
    tb.group_lo = TB_HEAP_BASE; /* the group now starts at the bottom */
  }
  tb.heap = a + bytes;
  return a;
}

/* --------------------------------------------------------------------------- the data */
static uint16_t random_scale(int min_exp, int exp_span) {
  int e = min_exp + (int)tb_rng_below(&tb.rng, (uint32_t)exp_span);
  uint16_t h = (uint16_t)(e << 10 | tb_rng_below(&tb.rng, 1024));
  if (tb_rng_pct(&tb.rng, 2)) h = (uint16_t)tb_rng_below(&tb.rng, 1024);                     /* subnormal */
  if (tb_rng_pct(&tb.rng, 1)) h = (uint16_t)(0x7C00 | tb_rng_below(&tb.rng, 1024));          /* exponent 31 */
  if (tb_rng_pct(&tb.rng, 20)) h |= 0x8000;
  return h;
}

/* A random matrix in the host layout: weights in [-2^(w-1), 2^(w-1)-1] (3% the most negative),
 * zero beyond K; scales 2^-7 .. 2^0 with subnormals, exponent 31 and negatives. */
static uint8_t *random_matrix(int K, int N, int wbits) {
  int kp = (int)ecim_kp((uint64_t)K), lo = -(1 << (wbits - 1)), hi = (1 << (wbits - 1)) - 1;
  int8_t *vals = tb_xmalloc((size_t)kp);
  uint16_t *sc = tb_xmalloc(sizeof(uint16_t) * (size_t)(kp / ECIM_GROUP));
  uint8_t *host = tb_xmalloc(ecim_packed_bytes(K, N, wbits));
  for (int n = 0; n < N; n++) {
    for (int k = 0; k < kp; k++) {
      int v = tb_rng_range(&tb.rng, lo, hi);
      if (tb_rng_pct(&tb.rng, 3)) v = lo;
      vals[k] = (int8_t)(k < K ? v : 0);
    }
    for (int g = 0; g < kp / ECIM_GROUP; g++) sc[g] = random_scale(8, 8);
    ecim_fmt_pack_rows(vals, sc, K, 1, host, n, wbits);
  }
  free(vals);
  free(sc);
  return host;
}

/* One activation vector at dst (the accelerator's layout), its codes and scales in xq/xs (zero
 * beyond K up to the layout's kp, which xq and xs hold). */
static void random_x(int K, int lay, uint8_t *dst, int8_t *xq, uint16_t *xs) {
  int kp = (int)ecim_kp((uint64_t)K), half = 1 << (tb.cfg.abits - 1);
  int kl = (int)ecim_kp((uint64_t)lay);
  memset(xq, 0, (size_t)kl);
  memset(xs, 0, sizeof(uint16_t) * (size_t)(kl / ECIM_GROUP));
  int most_negative = tb_rng_pct(&tb.rng, 10);
  for (int k = 0; k < kp; k++)
    xq[k] = (int8_t)(k >= K ? 0 : most_negative ? -half : tb_rng_range(&tb.rng, -half, half - 1));
  for (int g = 0; g < kp / ECIM_GROUP; g++) {
    xs[g] = (uint16_t)((10 + tb_rng_below(&tb.rng, 6)) << 10 | tb_rng_below(&tb.rng, 1024));
    if (tb_rng_pct(&tb.rng, 2)) xs[g] |= 0x8000;
  }
  ecim_fmt_pack_x(xq, xs, K, dst);
}

static int64_t random_q(int shift) { return (int64_t)(tb_rng_next(&tb.rng) >> shift) - (int64_t)(1ULL << (63 - shift)); }

void tb_setup_gemv(gemv_t *g) {
  uint8_t *mem = dram_mem(tb.dram);
  int accum = (g->flags & F_ACCUM) != 0;
  int np = (int)(ecim_n_nb((uint64_t)g->N, (uint64_t)tb.geom.cols) * (uint64_t)tb.geom.cols);
  uint32_t y_stride = (uint32_t)ecim_y_stride((uint64_t)g->N, (uint64_t)tb.geom.cols);
  uint32_t x_stride = (uint32_t)ecim_x_stride((uint64_t)g->K);
  const uint8_t *host;
  int lay = g->lay_k; /* the K of the matrix in DRAM: the GEMV reads its first K rows */
  if (g->flags & F_RES_USE) {
    host = tb.gemvs[g->weights_of].host;
  } else {
    g->host = random_matrix(lay, g->N, g->wbits);
    host = g->host;
    if (g->w_stride) {
      uint64_t cb = ecim_colblock_bytes((uint64_t)lay, (uint64_t)tb.geom.rows, (uint64_t)tb.geom.cols, (uint64_t)g->wbits);
      uint8_t *packed = tb_xmalloc(ecim_dev_bytes(&tb.geom, lay, g->N, g->wbits));
      ecim_dev_from_host(&tb.geom, g->host, lay, g->N, g->wbits, packed);
      for (uint64_t nb = 0; nb < ecim_n_nb((uint64_t)g->N, (uint64_t)tb.geom.cols); nb++)
        memcpy(mem + g->w + nb * g->w_stride, packed + nb * cb, cb);
      free(packed);
    } else {
      ecim_dev_from_host(&tb.geom, g->host, lay, g->N, g->wbits, mem + g->w);
    }
  }
  int64_t *bias = NULL;
  if (g->flags & F_BIAS) {
    bias = tb_xmalloc(sizeof(int64_t) * (size_t)np);
    for (int n = 0; n < np; n++) {
      bias[n] = random_q(20);
      ecim_put_le64(mem + g->b + 8u * (uint32_t)n, bias[n]);
    }
  }
  int kp = (int)ecim_kp((uint64_t)lay); /* x beyond K is zero: the expected y over the layout's rows */
  int8_t *xq = tb_xmalloc((size_t)kp);
  uint16_t *xs = tb_xmalloc(sizeof(uint16_t) * (size_t)(kp / ECIM_GROUP));
  g->expect = tb_xmalloc(sizeof(int64_t) * (size_t)g->batch * (size_t)g->N);
  for (int b = 0; b < g->batch; b++) {
    random_x(g->K, lay, mem + g->x + (uint32_t)b * x_stride, xq, xs);
    uint8_t *y = mem + g->y + (uint32_t)b * y_stride;
    int64_t *e = g->expect + (size_t)b * (size_t)g->N;
    memset(y, TB_SENTINEL, y_stride);
    for (int n = 0; n < g->N; n++) {
      e[n] = accum ? random_q(16) : (int64_t)0x5A5A5A5A5A5A5A5AULL;
      ecim_put_le64(y + 8 * n, e[n]);
    }
    for (int p = 0; p < (g->pushes ? g->pushes : 1); p++) ecim_gemv_ref(host, lay, g->N, g->wbits, xq, xs, bias, accum, e);
  }
  memset(mem + g->y + (uint32_t)g->batch * y_stride, TB_SENTINEL, TB_GUARD);
  free(xq);
  free(xs);
  free(bias);
}

int tb_check_gemv(const gemv_t *g) {
  const uint8_t *mem = dram_mem(tb.dram);
  uint32_t y_stride = (uint32_t)ecim_y_stride((uint64_t)g->N, (uint64_t)tb.geom.cols);
  for (int b = 0; b < g->batch; b++) {
    const uint8_t *y = mem + g->y + (uint32_t)b * y_stride;
    for (int n = 0; n < g->N; n++) {
      int64_t v = ecim_get_le64(y + 8 * n), e = g->expect[(size_t)b * (size_t)g->N + (size_t)n];
      if (v != e) {
        printf("MISMATCH seed=%" PRIu64 " gemv=%d (%s, K=%d N=%d wbits=%d batch=%d flags=0x%x) vector %d y[%d] "
               "expected=%" PRId64 " actual=%" PRId64 " (golden ecim_gemv_ref vs RTL)\n",
               tb.opt.seed, (int)(g - tb.gemvs), g->name, g->K, g->N, g->wbits, g->batch, g->flags, b, n, e, v);
        return 1;
      }
    }
    /* the padding columns of the last output block and the guard after y are never written */
    uint32_t end = b + 1 == g->batch ? y_stride + TB_GUARD : y_stride;
    for (uint32_t i = 8u * (uint32_t)g->N; i < end; i++)
      if (y[i] != TB_SENTINEL) {
        printf("MISMATCH seed=%" PRIu64 " gemv=%d (%s, K=%d N=%d) vector %d: byte %u after y[N-1] written "
               "(0x%02x, expected untouched 0x%02x)\n",
               tb.opt.seed, (int)(g - tb.gemvs), g->name, g->K, g->N, b, i - 8u * (uint32_t)g->N, y[i], TB_SENTINEL);
        return 1;
      }
  }
  tb.checks += g->batch;
  return 0;
}

void tb_release_gemv(gemv_t *g) {
  free(g->expect);
  g->expect = NULL;
  if (!(g->flags & F_RES_LOAD)) { /* a resident matrix stays for the RES_USEs after it */
    free(g->host);
    g->host = NULL;
  }
}

/* ------------------------------------------------------------------------------ GEMVs */
/* flags: F_* plus f_res_base(); wflag: the CMD_FLAGS.WBITS field (0 = 4 bits); weights_of:
 * for RES_USE, the GEMV that loaded the resident macros. Returns the GEMV's index. */
static int add_gemv(int K, int N, int wflag, int batch, uint32_t flags, const char *name, int weights_of) {
  int wbits = wflag ? wflag : 4;
  uint32_t cols = (uint32_t)tb.geom.cols;
  uint32_t wbytes = (uint32_t)ecim_dev_bytes(&tb.geom, K, N, wbits);
  uint32_t xbytes = (uint32_t)ecim_x_bytes((uint64_t)K, (uint64_t)batch);
  uint32_t ybytes = (uint32_t)ecim_y_bytes((uint64_t)N, cols, (uint64_t)batch) + TB_GUARD;
  if (tb.n_gemvs == tb.cap_gemvs) {
    tb.cap_gemvs = tb.cap_gemvs ? 2 * tb.cap_gemvs : 64;
    tb.gemvs = realloc(tb.gemvs, (size_t)tb.cap_gemvs * sizeof *tb.gemvs);
    if (!tb.gemvs) {
      fprintf(stderr, "top_tb: out of memory\n");
      exit(2);
    }
  }
  gemv_t *g = &tb.gemvs[tb.n_gemvs];
  memset(g, 0, sizeof *g);
  g->K = K;
  g->N = N;
  g->wbits = wbits;
  g->batch = batch;
  g->flags = flags | f_wbits(wflag) | f_batch(batch);
  g->name = name;
  g->weights_of = weights_of;
  g->lay_k = K;
  g->w = (flags & F_RES_USE) ? 0xDEAD0001u : tb_alloc(wbytes);
  g->x = tb_alloc(xbytes);
  g->y = tb_alloc(ybytes);
  g->b = (flags & F_BIAS) ? tb_alloc((uint32_t)ecim_b_bytes((uint64_t)N, cols)) : 0;
  return tb.n_gemvs++;
}

/* Stages every descriptor word (the registers at CMD_W_ADDR .. CMD_W_BYTES). */
void tb_write_desc(const uint32_t w[TB_DESC_WORDS]) {
  for (int i = 0; i < TB_DESC_WORDS; i++) tb_wr(EDGECIM_REG_CMD_W_ADDR + 4u * (uint32_t)i, w[i]);
}

static void gemv_words(const gemv_t *g, uint32_t w[TB_DESC_WORDS]) {
  memset(w, 0, sizeof(uint32_t) * TB_DESC_WORDS);
  w[0] = g->w;
  w[1] = g->x;
  w[2] = g->y;
  w[3] = g->b;
  w[4] = (uint32_t)g->K - (g->flags & EDGECIM_CMD_FLAGS_K_POS ? g->pos : 0);
  w[5] = (uint32_t)g->N - (g->flags & EDGECIM_CMD_FLAGS_N_POS ? g->pos : 0);
  w[6] = g->flags;
  w[7] = ECIM_CMD_OP_GEMV;
  w[8] = g->w_stride;
  int packed = !(g->flags & (F_RES_USE | EDGECIM_CMD_FLAGS_FULL_BLK)) && !g->w_stride;
  if (packed && tb_rng_pct(&tb.rng, 50)) /* the packed size, checked by the device */
    w[13] = (uint32_t)ecim_dev_bytes(&tb.geom, g->K, g->N, g->wbits);
}

static void program(int gi) {
  const gemv_t *g = &tb.gemvs[gi];
  uint32_t w[TB_DESC_WORDS];
  action_t *a = tb_push_act(A_SETUP);
  a->gemv = gi;
  gemv_words(g, w);
  if (g->flags & (EDGECIM_CMD_FLAGS_K_POS | EDGECIM_CMD_FLAGS_N_POS)) tb_wr(EDGECIM_REG_TOKEN_POS, g->pos);
  tb_write_desc(w);
  a = tb_push_act(A_MARK);
  a->gemv = gi;
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
}

static void wait_and_check(int first, int last) {
  tb_push_act(A_WAIT_IDLE);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "no error after the commands");
  for (int gi = first; gi <= last; gi++) {
    action_t *a = tb_push_act(A_CHECK);
    a->gemv = gi;
  }
}

static int run_gemv(int K, int N, int wflag, int batch, uint32_t flags, const char *name) {
  tb_begin_group();
  int gi = add_gemv(K, N, wflag, batch, flags, name, -1);
  program(gi);
  wait_and_check(gi, gi);
  return gi;
}

/* The CMD_FLAGS.WBITS values this hardware takes: 0 (= 4), 2, 4 and, with MaxWBits 8, 8. */
static int random_wflag(void) {
  static const int w[] = {0, 2, 4, 8};
  return w[tb_rng_below(&tb.rng, tb.cfg.max_wbits >= 8 ? 4 : 3)];
}

/* The largest batch of K-input vectors (MaxBatch, and batch x roundup(K, 256) <= ActBytes). */
static int max_batch_for(int K) {
  int fit = (int)((uint64_t)tb.cfg.act_bytes / ecim_kpad((uint64_t)K));
  return fit < tb.cfg.max_batch ? fit : tb.cfg.max_batch;
}

static int random_batch(int K) {
  int m = max_batch_for(K);
  if (m <= 1 || !tb_rng_pct(&tb.rng, 30)) return 1;
  return tb_rng_pct(&tb.rng, 30) ? m : 2 + (int)tb_rng_below(&tb.rng, (uint32_t)m - 1);
}

/* ---------------------------------------------------------------------- the scenarios */
static void bring_up(void) {
  const ecim_hw_t *c = &tb.cfg;
  uint32_t lim = dram_cfg(tb.dram)->size;
  tb_rd_expect(EDGECIM_REG_ID, EDGECIM_ID_VALUE, ~0u, "ID");
  tb_rd_expect(EDGECIM_REG_HWCFG, ecim_hwcfg_pack(c), ~0u, "HWCFG");
  tb_rd_expect(EDGECIM_REG_HWCFG2, ecim_hwcfg2_pack(c), ~0u, "HWCFG2");
  tb_rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "STATUS after reset");
  tb_rd_expect(EDGECIM_REG_MEM_LIMIT, c->mem_bytes, ~0u, "MEM_LIMIT reset value");
  tb_wr(EDGECIM_REG_MEM_LIMIT, lim);
  tb_rd_expect(EDGECIM_REG_MEM_LIMIT, lim, ~0u, "MEM_LIMIT write");
  for (uint32_t i = 0; i < TB_DESC_WORDS; i++) {
    uint32_t v = (uint32_t)tb_rng_next(&tb.rng), a = EDGECIM_REG_CMD_W_ADDR + 4 * i;
    tb_wr(a, v);
    tb_rd_expect(a, v, ~0u, "descriptor word read back");
  }
  static const uint32_t rw_regs[] = {EDGECIM_REG_LIST_ADDR, EDGECIM_REG_LIST_COUNT, EDGECIM_REG_TOKEN_ID,
                                     EDGECIM_REG_KV_BASE, EDGECIM_REG_KV_LIMIT};
  for (size_t i = 0; i < sizeof rw_regs / sizeof rw_regs[0]; i++) {
    uint32_t v = (uint32_t)tb_rng_next(&tb.rng);
    tb_wr(rw_regs[i], v);
    tb_rd_expect(rw_regs[i], v, ~0u, "list, token and KV register read back");
    tb_wr(rw_regs[i], 0);
  }
  tb_wr(EDGECIM_REG_TOKEN_POS, 0x12345);
  tb_rd_expect(EDGECIM_REG_TOKEN_POS, 0x2345, ~0u, "TOKEN_POS keeps 16 bits");
  tb_wr(EDGECIM_REG_TOKEN_POS, 0);
  tb_rd_expect(EDGECIM_REG_HWCFG3, ecim_hwcfg3_pack(c), ~0u, "HWCFG3");
  tb_wr(EDGECIM_REG_CTRL, 1);
  tb_rd_expect(EDGECIM_REG_CTRL, 1, ~0u, "CTRL.IRQ_EN");
}

static void corner_shapes(void) {
  const ecim_hw_t *c = &tb.cfg;
  int R = c->macro_rows, C = c->macro_cols;
  run_gemv(1, 1, 0, 1, 0, "K=1 N=1");
  run_gemv(32, 32, 0, 1, 0, "one group");
  run_gemv(R, C, 2, 1, F_BIAS, "one block, 2-bit, bias");
  run_gemv(R, C, 4, 1, 0, "one block, 4-bit");
  if (c->max_wbits >= 8) run_gemv(R, C, 8, 1, F_ACCUM, "one block, 8-bit, accumulate");
  run_gemv(200, 45, 0, 1, F_ACCUM, "accumulate");
  run_gemv(333, 77, 0, 1, F_BIAS | F_ACCUM, "bias + accumulate");
  run_gemv(R + 2, C + 1, 0, 1, 0, "partial blocks");
  run_gemv(R * 3 + 32, C * c->ntiles * 2 + 3, 2, 1, F_BIAS, "tiles wrap, 2-bit");
  /* batches: two vectors, the most the buffer holds, and MaxBatch of short vectors */
  int mb = max_batch_for(64);
  if (mb >= 2) run_gemv(64, C + 5, 0, 2, F_BIAS, "batch 2");
  if (mb >= 2) run_gemv(64, 3 * C - 1, c->max_wbits, mb, F_BIAS | F_ACCUM, "batch MaxBatch + bias + accumulate");
  int kb = c->act_bytes / 2 - 7;
  if (kb <= tb.max_k && max_batch_for(kb) >= 2) run_gemv(kb, 2 * C, 0, 2, 0, "batch 2 filling the buffer");
  run_gemv(tb.max_k, C / 2 + 1, 2, 1, 0, "K = the largest");
}

static void resident(void) {
  const ecim_hw_t *c = &tb.cfg;
  if (c->nres == 0) return;
  int blocks = c->nres > 1 ? 2 : 1; /* per tile */
  int K = c->macro_rows * blocks - 40, N = c->macro_cols * c->ntiles - 5;
  int wf = c->max_wbits >= 8 ? 8 : 4;
  tb_begin_group();
  int l = add_gemv(K, N, wf, 1, F_RES_LOAD, "resident load", -1);
  program(l);
  wait_and_check(l, l);
  run_gemv(300, 70, 0, 1, F_BIAS, "streaming between resident commands");
  tb_begin_group();
  int u = add_gemv(K, N, wf, 1, F_RES_USE, "resident use", l);
  program(u);
  wait_and_check(u, u);
  int mb = max_batch_for(K);
  tb_begin_group();
  int u2 = add_gemv(K, N, wf, mb > 3 ? 3 : mb, F_RES_USE | F_BIAS, "resident use, batch, bias", l);
  program(u2);
  wait_and_check(u2, u2);
  if (c->nres >= 2) { /* one block at RES_BASE NRes-1 */
    tb_begin_group();
    int l1 = add_gemv(c->macro_rows, c->macro_cols, 2, 1, F_RES_LOAD | f_res_base(c->nres - 1), "resident load at base", -1);
    program(l1);
    wait_and_check(l1, l1);
    tb_begin_group();
    int u1 = add_gemv(c->macro_rows, c->macro_cols, 2, 1, F_RES_USE | f_res_base(c->nres - 1), "resident use at base", l1);
    program(u1);
    wait_and_check(u1, u1);
  }
}

/* TOKEN_POS in K and N (attention over a cache of pos + 1 positions), and the V-cache layout:
 * FULL_BLK blocks with a column-block stride, laid out for a capacity the GEMV reads a prefix of. */
static void pos_and_strided(void) {
  const ecim_hw_t *c = &tb.cfg;
  int R = c->macro_rows, C = c->macro_cols;
  for (int i = 0; i < 6; i++) {
    int pos = (int)tb_rng_below(&tb.rng, 700), wf = random_wflag();
    int cap = (pos + 1 + (int)tb_rng_below(&tb.rng, 300) + R - 1) / R * R; /* a whole number of blocks */
    int kv_n = 1 + (int)tb_rng_below(&tb.rng, 2 * C), batch = random_batch(pos + 1);
    if (pos + 1 > tb.max_k || cap > tb.max_k) continue;
    /* scores: an output per position (N = 1 + pos) */
    tb_begin_group();
    int s = add_gemv(64, pos + 1, wf, batch, EDGECIM_CMD_FLAGS_N_POS, "N = 1 + TOKEN_POS", -1);
    tb.gemvs[s].pos = (uint32_t)pos;
    program(s);
    wait_and_check(s, s);
    /* V^T: an input per position (K = 1 + pos), full blocks, strided column blocks */
    uint32_t cb = (uint32_t)ecim_full_colblock_bytes((uint64_t)cap, (uint64_t)R, (uint64_t)C, (uint64_t)(wf ? wf : 4));
    uint32_t stride = cb + ECIM_ALIGN * tb_rng_below(&tb.rng, 3);
    tb_begin_group();
    int v = add_gemv(pos + 1, kv_n, wf, random_batch(pos + 1),
                     EDGECIM_CMD_FLAGS_K_POS | EDGECIM_CMD_FLAGS_FULL_BLK | (uint32_t)tb_rng_below(&tb.rng, 4),
                     "K = 1 + TOKEN_POS, FULL_BLK", -1);
    gemv_t *g = &tb.gemvs[v];
    g->pos = (uint32_t)pos;
    g->lay_k = cap;
    g->w_stride = stride;
    g->w = tb_alloc(stride * (uint32_t)ecim_n_nb((uint64_t)kv_n, (uint64_t)C));
    program(v);
    wait_and_check(v, v);
  }
}

/* Stages g's descriptor in DRAM at addr (a command list entry). */
static void poke_desc(uint32_t addr, const gemv_t *g) {
  uint32_t w[TB_DESC_WORDS];
  gemv_words(g, w);
  for (int i = 0; i < ECIM_DESC_BYTES / 4; i++) {
    action_t *a = tb_push_act(A_POKE);
    a->addr = addr + 4u * (uint32_t)i;
    a->val = i < TB_DESC_WORDS ? w[i] : 0;
  }
}

/* A command list of n GEMVs; with bad_at >= 0 the descriptor there is refused with its error and
 * the list stops: the GEMVs before it run, the ones after it never start. */
static void command_list(int n, int bad_at) {
  tb_begin_group();
  uint32_t list = tb_alloc((uint32_t)ecim_round_up(n * ECIM_DESC_BYTES, ECIM_MAX_PORT));
  int first = tb.n_gemvs;
  for (int j = 0; j < n; j++) {
    int K = 1 + (int)tb_rng_below(&tb.rng, 500);
    int gi = add_gemv(K, 1 + (int)tb_rng_below(&tb.rng, 200), random_wflag(), random_batch(K), tb_rng_below(&tb.rng, 4),
                      j == bad_at ? "list: refused" : "list", -1);
    if (j == bad_at) tb.gemvs[gi].flags |= 0x100000; /* an undefined flag */
    action_t *a = tb_push_act(A_SETUP);
    a->gemv = gi;
    poke_desc(list + (uint32_t)j * ECIM_DESC_BYTES, &tb.gemvs[gi]);
  }
  tb_wr(EDGECIM_REG_LIST_ADDR, list);
  tb_wr(EDGECIM_REG_LIST_COUNT, (uint32_t)n);
  action_t *a = tb_push_act(A_MARK);
  a->gemv = first;
  tb_wr(EDGECIM_REG_LIST_START, 1);
  if (bad_at < 0 && n > 2) {
    tb_wr(EDGECIM_REG_CMD_PUSH, 1);
    tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_LIST_BUSY, ~0u, "CMD_PUSH while a list is fetched");
    tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
    tb_wr(EDGECIM_REG_LIST_START, 1);
    tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_LIST_BUSY, ~0u, "LIST_START while a list is fetched");
    tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
    tb.errors_checked += 2;
  }
  tb_push_act(A_WAIT_IDLE);
  int ran = bad_at < 0 ? n : bad_at;
  tb_rd_expect(EDGECIM_REG_LIST_DONE, (uint32_t)ran, ~0u, "LIST_DONE: the descriptors queued");
  if (bad_at >= 0) {
    tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_FLAGS, ~0u, "the refused list descriptor's error");
    tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
    tb.errors_checked++;
  } else {
    tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "no error after the list");
  }
  for (int j = 0; j < ran; j++) {
    action_t *ck = tb_push_act(A_CHECK);
    ck->gemv = first + j;
  }
  tb.not_run += n - ran;
}

static void real_shapes(void) {
  static const struct {
    int K, N;
    uint32_t flags;
    const char *name;
  } real[] = {
      {896, 1152, F_BIAS, "qwen2.5-0.5b qkv (bias)"}, {896, 896, 0, "qwen2.5-0.5b o"},
      {896, 9728, 0, "qwen2.5-0.5b gate_up"},        {4864, 896, 0, "qwen2.5-0.5b down"},
      {1024, 4096, 0, "qwen3-0.6b qkv"},             {2048, 1024, 0, "qwen3-0.6b o"},
      {3072, 1024, 0, "qwen3-0.6b down"},            {2048, 3072, 0, "llama3.2-1b qkv"},
  };
  for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
    if (real[i].K <= tb.max_k) run_gemv(real[i].K, real[i].N, (int)(i % 3) * 2, 1, real[i].flags, real[i].name);
}

static void random_cases(void) {
  const ecim_hw_t *c = &tb.cfg;
  for (int i = 0; i < tb.opt.random_cases; i++) {
    if (tb_rng_pct(&tb.rng, 30)) { /* 2 .. QueueDepth commands queued back to back */
      int n = 2 + (int)tb_rng_below(&tb.rng, (uint32_t)c->queue_depth - 1), first = tb.n_gemvs;
      tb_begin_group();
      for (int j = 0; j < n; j++) {
        int K = 1 + (int)tb_rng_below(&tb.rng, 400);
        program(add_gemv(K, 1 + (int)tb_rng_below(&tb.rng, 200), random_wflag(), random_batch(K),
                         tb_rng_below(&tb.rng, 4), "queued", -1));
      }
      wait_and_check(first, tb.n_gemvs - 1);
    } else {
      int big = tb_rng_pct(&tb.rng, 25);
      int K = 1 + (int)tb_rng_below(&tb.rng, (uint32_t)(big ? tb.opt.max_dim : 300));
      int N = 1 + (int)tb_rng_below(&tb.rng, (uint32_t)(big ? tb.opt.max_dim : 300));
      if (K > tb.max_k) K = tb.max_k;
      run_gemv(K, N, random_wflag(), random_batch(K), tb_rng_below(&tb.rng, 4), "random");
    }
  }
}

/* A bad descriptor: pushed, refused with `code`, nothing runs; then the error is cleared. */
void tb_bad_words(const uint32_t w[TB_DESC_WORDS], int code, const char *what) {
  tb_write_desc(w);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, (uint32_t)code, ~0u, what);
  tb_rd_expect(EDGECIM_REG_STATUS, EDGECIM_STATUS_ERROR, EDGECIM_STATUS_ERROR, "STATUS.ERROR set");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, EDGECIM_IRQ_STATUS_ERROR, EDGECIM_IRQ_STATUS_ERROR, "IRQ_STATUS.ERROR set");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_wr(EDGECIM_REG_IRQ_STATUS, EDGECIM_IRQ_STATUS_DONE | EDGECIM_IRQ_STATUS_ERROR | EDGECIM_IRQ_STATUS_IDLE);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "error cleared");
  tb.errors_checked++;
}

/* A bad GEMV descriptor (the other words 0). */
static void bad_desc(uint32_t w, uint32_t x, uint32_t y, uint32_t b, uint32_t k, uint32_t n, uint32_t flags,
                     int code, const char *what) {
  uint32_t d[TB_DESC_WORDS] = {w, x, y, b, k, n, flags, ECIM_CMD_OP_GEMV};
  tb_bad_words(d, code, what);
}

static void size_and_flag_errors(void) {
  const ecim_hw_t *c = &tb.cfg;
  uint32_t b0 = 0x1000, R = (uint32_t)c->macro_rows, C = (uint32_t)c->macro_cols;
  bad_desc(b0, b0, b0, 0, 0, 10, 0, EDGECIM_ERR_ZERO_SIZE, "K = 0");
  bad_desc(b0, b0, b0, 0, 10, 0, 0, EDGECIM_ERR_ZERO_SIZE, "N = 0");
  bad_desc(b0, b0, b0, 0, (uint32_t)tb.max_k + 1, 10, 0, EDGECIM_ERR_TOO_LARGE, "K > min(ActBytes, MaxK)");
  bad_desc(b0, b0, b0, 0, 0x10000, 10, 0, EDGECIM_ERR_TOO_LARGE, "K = 2^16 (the queued K is 16 bits)");
  bad_desc(b0, b0, b0, 0, 10, 0x1000000, 0, EDGECIM_ERR_TOO_LARGE, "N >= 2^24");
  bad_desc(b0, b0, b0, 0, 10, 10, F_RES_LOAD | F_RES_USE, EDGECIM_ERR_BAD_FLAGS, "RES_LOAD with RES_USE");
  bad_desc(b0, b0, b0, 0, 10, 10, 0x100000, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 20");
  bad_desc(b0, b0, b0, 0, 10, 10, F_RES_LOAD | EDGECIM_CMD_FLAGS_KV_W, EDGECIM_ERR_BAD_FLAGS, "KV_W with RES_LOAD");
  bad_desc(b0, b0, b0, 0, 10, 10, 0x10000000, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 28");
  bad_desc(b0, b0, b0, 0, 10, 10, f_wbits(3), EDGECIM_ERR_BAD_PRECISION, "WBITS = 3");
  bad_desc(b0, b0, b0, 0, 10, 10, f_wbits(1), EDGECIM_ERR_BAD_PRECISION, "WBITS = 1");
  bad_desc(b0, b0, b0, 0, 10, 10, f_wbits(15), EDGECIM_ERR_BAD_PRECISION, "WBITS = 15");
  if (c->max_wbits < 8) bad_desc(b0, b0, b0, 0, 10, 10, f_wbits(8), EDGECIM_ERR_BAD_PRECISION, "WBITS = 8 > MaxWBits");
  if (c->max_batch < 16)
    bad_desc(b0, b0, b0, 0, 10, 10, f_batch(c->max_batch + 1), EDGECIM_ERR_BAD_BATCH, "batch > MaxBatch");
  if (c->max_batch >= 2)
    bad_desc(b0, b0, b0, 0, (uint32_t)c->act_bytes / 2 + 1, 10, f_batch(2), EDGECIM_ERR_BAD_BATCH,
             "batch x roundup(K, 256) > ActBytes");
  bad_desc(b0, b0, b0, 0, R * (uint32_t)(c->nres + 1), C, F_RES_LOAD, EDGECIM_ERR_RESIDENT_RANGE,
           "resident blocks beyond NRes");
  bad_desc(b0, b0, b0, 0, 10, 10, F_RES_LOAD | f_res_base(c->nres), EDGECIM_ERR_RESIDENT_RANGE, "RES_BASE = NRes");
}

/* The words and flags v3 added to a GEMV descriptor. */
static void gemv_v3_errors(void) {
  const ecim_hw_t *c = &tb.cfg;
  uint32_t b0 = 0x1000, lim = dram_cfg(tb.dram)->size, cb = (uint32_t)ecim_colblock_bytes(300, (uint64_t)c->macro_rows,
                                                                                     (uint64_t)c->macro_cols, 4);
  uint32_t d[TB_DESC_WORDS] = {b0, b0, b0, 0, 300, 70, 0, ECIM_CMD_OP_GEMV};
  for (int w = 9; w <= 12; w++) { /* DSTRIDE, P0, P1, P2 */
    uint32_t e[TB_DESC_WORDS];
    memcpy(e, d, sizeof e);
    e[w] = 256;
    tb_bad_words(e, EDGECIM_ERR_BAD_OP, "a vector-op word in a GEMV");
  }
  d[7] = 9;
  tb_bad_words(d, EDGECIM_ERR_BAD_OP, "CMD_OP 9 (undefined)");
  d[7] = 15;
  tb_bad_words(d, EDGECIM_ERR_BAD_OP, "CMD_OP 15 (undefined)");
  d[7] = ECIM_CMD_OP_GEMV;
  d[13] = (uint32_t)ecim_dev_bytes(&tb.geom, 300, 70, 4) + 256;
  tb_bad_words(d, EDGECIM_ERR_BAD_WSIZE, "CMD_W_BYTES not the packed size");
  d[13] = 0;
  d[8] = cb + 128;
  tb_bad_words(d, EDGECIM_ERR_MISALIGNED, "W stride not a multiple of 256");
  d[8] = cb - 256;
  tb_bad_words(d, EDGECIM_ERR_BAD_WSIZE, "W stride below the column block");
  d[8] = lim;
  tb_bad_words(d, EDGECIM_ERR_OUT_OF_RANGE, "W stride past MEM_LIMIT");
  d[8] = 0;
  d[6] = EDGECIM_CMD_FLAGS_KV_W;
  tb_bad_words(d, EDGECIM_ERR_KV_RANGE, "KV_W without a KV region");
  tb_wr(EDGECIM_REG_KV_BASE, 0x100000);
  tb_wr(EDGECIM_REG_KV_LIMIT, 0x200000);
  tb_bad_words(d, EDGECIM_ERR_KV_RANGE, "KV_W outside the KV region");
  d[6] = 0;
  d[0] = 0x100000 - 256;
  tb_bad_words(d, EDGECIM_ERR_KV_OVERLAP, "weights overlapping the KV region");
  tb_wr(EDGECIM_REG_KV_LIMIT, lim + 256);
  d[0] = 0x100000;
  d[6] = EDGECIM_CMD_FLAGS_KV_W;
  tb_bad_words(d, EDGECIM_ERR_KV_RANGE, "a KV region past MEM_LIMIT");
  tb_wr(EDGECIM_REG_KV_BASE, 0);
  tb_wr(EDGECIM_REG_KV_LIMIT, 0);
  d[0] = b0;
  d[6] = EDGECIM_CMD_FLAGS_K_POS;
  d[4] = (uint32_t)tb.max_k;
  tb_wr(EDGECIM_REG_TOKEN_POS, 1);
  tb_bad_words(d, EDGECIM_ERR_TOO_LARGE, "K + TOKEN_POS > the largest K");
  d[4] = 0;
  tb_wr(EDGECIM_REG_TOKEN_POS, 0);
  tb_bad_words(d, EDGECIM_ERR_ZERO_SIZE, "K + TOKEN_POS = 0");
  d[4] = 300;
  d[6] = EDGECIM_CMD_FLAGS_N_POS;
  d[5] = 0xFFFFFF;
  tb_wr(EDGECIM_REG_TOKEN_POS, 1);
  tb_bad_words(d, EDGECIM_ERR_TOO_LARGE, "N + TOKEN_POS >= 2^24");
  tb_wr(EDGECIM_REG_TOKEN_POS, 0);
}

/* LIST_START's own errors, and CMD_PUSH / LIST_START while a list runs. */
static void list_errors(void) {
  uint32_t lim = dram_cfg(tb.dram)->size;
  static const struct { uint32_t addr, count; int code; const char *what; } e[] = {
      {0x1000, 0, EDGECIM_ERR_ZERO_SIZE, "LIST_COUNT = 0"},
      {0x1000, 0x10000, EDGECIM_ERR_TOO_LARGE, "LIST_COUNT >= 2^16"},
      {0x1040, 2, EDGECIM_ERR_MISALIGNED, "LIST_ADDR not a multiple of 256"},
      {0, 0, EDGECIM_ERR_OUT_OF_RANGE, "the list past MEM_LIMIT"},
  };
  for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
    tb_wr(EDGECIM_REG_LIST_ADDR, e[i].addr ? e[i].addr : lim - 256);
    tb_wr(EDGECIM_REG_LIST_COUNT, e[i].addr ? e[i].count : 5);
    tb_wr(EDGECIM_REG_LIST_START, 1);
    tb_rd_expect(EDGECIM_REG_ERR_CODE, (uint32_t)e[i].code, ~0u, e[i].what);
    tb_rd_expect(EDGECIM_REG_STATUS, 0, EDGECIM_STATUS_LIST, "no list started");
    tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
    tb.errors_checked++;
  }
}

static void address_errors(void) {
  uint32_t b0 = 0x1000, lim = dram_cfg(tb.dram)->size;
  bad_desc(b0 + 128, b0, b0, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "W not a multiple of 256");
  bad_desc(b0, b0 + 64, b0, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "X not a multiple of 256");
  bad_desc(b0, b0, b0 + 8, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "Y not a multiple of 256");
  bad_desc(b0, b0, b0, b0 + 16, 10, 10, F_BIAS, EDGECIM_ERR_MISALIGNED, "bias not a multiple of 256");
  bad_desc(lim - 256, b0, b0, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "W beyond MEM_LIMIT");
  bad_desc(b0, lim - 256, b0, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "X beyond MEM_LIMIT");
  bad_desc(b0, lim - 512, b0, 0, 64, 64, f_batch(2), EDGECIM_ERR_OUT_OF_RANGE, "second vector of X beyond MEM_LIMIT");
  bad_desc(b0, b0, lim - 256, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "Y beyond MEM_LIMIT");
  bad_desc(b0, b0, b0, lim - 256, 64, 64, F_BIAS, EDGECIM_ERR_OUT_OF_RANGE, "bias beyond MEM_LIMIT");
  bad_desc(0xFFFFFF00u, b0, b0, 0, (uint32_t)tb.max_k, 0xFFFFFF, 0, EDGECIM_ERR_OUT_OF_RANGE,
           "W end beyond 2^32 (no wrap-around)");
  /* an unmapped address: refused with BAD_ADDRESS, reads 0 */
  tb_rd_expect(0xFC, 0, ~0u, "unmapped address reads 0");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, ~0u, "unmapped address");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb.errors_checked++;
}

static void queue_overflow(void) {
  uint32_t b0 = 0x1000;
  int first = tb.n_gemvs;
  tb_begin_group();
  for (int j = 0; j < tb.cfg.queue_depth + 1; j++) program(add_gemv(256, 64, 0, 1, 0, "queue fill", -1));
  bad_desc(b0, b0, b0, 0, 64, 64, 0, EDGECIM_ERR_QUEUE_OVERFLOW, "push with a full queue");
  wait_and_check(first, tb.n_gemvs - 1);
}

/* Cases the random shapes miss, each the only one known to kill a mutant of make mutate
 * (docs/VERIFICATION.md); last in the script, so they change nothing of the cases before them. */
static void margins(void) {
  const ecim_hw_t *c = &tb.cfg;
  int R = c->macro_rows, C = c->macro_cols;
  /* A one-group K, 2-bit weights and a batch of 2 over many column blocks: writing y back takes
   * longer than loading and computing a block, so the PPU waits for a drain with a result of
   * each vector in both macros: 4 operations queued for it, the op queue full (cim_tile.sv
   * opq_room) while the next entry waits. */
  if (max_batch_for(32) >= 2) run_gemv(32, 32 * C, 2, 2, 0, "op queue full (PPU waiting for a drain)");
  /* A long batch per block and short 2-bit blocks: the next block is loaded while two are queued
   * and the sequencer offers it to a full block queue (cim_tile.sv blk_ready_o). */
  int mb = max_batch_for(4 * R);
  if (mb >= 2 && 4 * R <= tb.max_k) run_gemv(4 * R, C, 2, mb < 16 ? mb : 16, 0, "block queue full (batch, 2-bit)");
  if (tb.opt.vu) tb_vu_margins();
}

static void build_script(void) {
  bring_up();
  corner_shapes();
  resident();
  pos_and_strided();
  command_list(1, -1);
  command_list(2 + (int)tb_rng_below(&tb.rng, 12), -1);
  command_list(5, 2);
  if (tb.opt.vu) tb_vu_scenarios();
  if (tb.opt.real_shapes) real_shapes();
  random_cases();
  tb_coverage_scenario(); /* edgecim_top_fcov.c */
  if (tb.opt.errors) {
    size_and_flag_errors();
    gemv_v3_errors();
    list_errors();
    if (tb.opt.vu) tb_vu_errors();
    address_errors();
    queue_overflow();
    tb_abuse_scenario(); /* edgecim_top_abuse.c */
    run_gemv(100, 50, 0, 1, F_BIAS, "after errors"); /* the hardware still works after every error */
  }
  margins();
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, (uint32_t)(tb.n_gemvs - tb.not_run + tb.vops_run + tb.extra_cmds), ~0u,
               "CMDS_DONE counts every command run");
}

/* Only the listed shapes, "KxN[:wW][:bB]" separated by commas (benchmark and calibration). */
static int build_shapes(const char *list) {
  const char *p = list;
  tb_wr(EDGECIM_REG_MEM_LIMIT, dram_cfg(tb.dram)->size);
  while (*p) {
    char *end;
    long K = strtol(p, &end, 10), N = 0, w = 0, b = 1;
    if (end == p || *end != 'x') return -1;
    p = end + 1;
    N = strtol(p, &end, 10);
    if (end == p) return -1;
    while (*end == ':') {
      char kind = end[1];
      p = end + 2;
      long v = strtol(p, &end, 10);
      if (end == p || (kind != 'w' && kind != 'b')) return -1;
      if (kind == 'w') w = v;
      else b = v;
    }
    if (*end && *end != ',') return -1;
    p = *end ? end + 1 : end;
    if (K < 1 || K > tb.max_k || N < 1 || N > ECIM_MAX_N) return -1;
    if ((w != 0 && w != 2 && w != 4 && w != 8) || w > tb.cfg.max_wbits || b < 1 || b > max_batch_for((int)K))
      return -1;
    run_gemv((int)K, (int)N, (int)w, (int)b, 0, "shape");
  }
  return tb.n_gemvs ? 0 : -1;
}

/* Exported building blocks (edgecim_top_tb_int.h). */
int tb_add_gemv(int K, int N, int wflag, int batch, uint32_t flags, const char *name, int weights_of) {
  return add_gemv(K, N, wflag, batch, flags, name, weights_of);
}
void tb_program(int gi) { program(gi); }
void tb_gemv_words(int gi, uint32_t w[TB_DESC_WORDS]) { gemv_words(&tb.gemvs[gi], w); }
void tb_poke_desc(uint32_t addr, int gi) { poke_desc(addr, &tb.gemvs[gi]); }
void tb_wait_and_check(int first, int last) { wait_and_check(first, last); }
void tb_bad_desc(uint32_t w, uint32_t x, uint32_t y, uint32_t b, uint32_t k, uint32_t n, uint32_t flags, int code,
                 const char *what) {
  bad_desc(w, x, y, b, k, n, flags, code, what);
}

int tb_build(void) {
  if (!tb.opt.shapes) {
    build_script();
    return 0;
  }
  if (build_shapes(tb.opt.shapes) == 0) return 0;
  fprintf(stderr,
          "top_tb: bad --shapes '%s' (want KxN[:wW][:bB][,...] with 1 <= K <= %d, 1 <= N < 2^24, W one of 2, 4%s, "
          "1 <= B <= MaxBatch %d and B x roundup(K, 256) <= ActBytes %d)\n",
          tb.opt.shapes, tb.max_k, tb.cfg.max_wbits >= 8 ? ", 8" : "", tb.cfg.max_batch, tb.cfg.act_bytes);
  return -1;
}
