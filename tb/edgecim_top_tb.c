/* Co-simulation testbench of edgecim_top (see edgecim_top_tb.h).
 *
 * The test is a script of actions run in order, one MMIO access per cycle at most:
 * register reset values and read/write; GEMVs of random shapes (K, N from 1 to max_dim, odd
 * sizes), of the real layer shapes of SLMs, with bias, accumulate, resident load/use, queued
 * back to back; every descriptor error and an unmapped address. Each GEMV's matrix, vectors and
 * expected y are prepared in C (the DRAM backdoor); the command is programmed over MMIO; the test
 * waits for STATUS.BUSY to drop and compares y with ecim_gemv_ref(). The RTL and the C model are
 * compared on every output of every cycle. */
#include "edgecim_top_tb.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_gemv.h"
#include "edgecim_regs.h"
#include "tb_rng.h"

/* Command flags (CMD_FLAGS, include/edgecim_regs.h). */
enum {
  F_BIAS = EDGECIM_CMD_FLAGS_BIAS, F_ACCUM = EDGECIM_CMD_FLAGS_ACCUM, F_RES_LOAD = EDGECIM_CMD_FLAGS_RES_LOAD,
  F_RES_USE = EDGECIM_CMD_FLAGS_RES_USE
};

typedef enum { A_WRITE, A_READ, A_WAIT_IDLE, A_SETUP, A_CHECK, A_MARK } act_kind_t;

typedef struct {
  act_kind_t kind;
  uint32_t addr, val, mask; /* A_READ: expect (rdata & mask) == val */
  int gemv;                 /* A_SETUP / A_CHECK / A_MARK: index into gemvs */
  const char *what;
} action_t;

typedef struct {
  int K, N, flags, res_base;
  uint32_t w, x, y, b;
  const char *name;
  int64_t *expect;
  uint64_t start_cycle, end_cycle, bytes;
} gemv_t;

static struct {
  top_tb_opts_t opt;
  ecim_hw_t cfg;
  ecim_top_t *model;
  dram_model_t *dram;
  tb_rng_t rng;
  int status;
  uint64_t cycle;
  action_t *acts;
  int n_acts, cap_acts, pc;
  gemv_t *gemvs;
  int n_gemvs, cap_gemvs;
  uint32_t heap;        /* DRAM bump allocator */
  ecim_top_in_t in;     /* inputs driven this cycle */
  int pending_read;     /* steps until the read in flight (read_act) returns its data */
  action_t read_act;
  int wait_phase;
  uint64_t wait_start, last_progress;
  long checks, outputs_compared, reg_checks, errors_checked;
  uint64_t dram_bytes_at_start;
} tb;

void top_tb_set_options(const top_tb_opts_t *o) { tb.opt = *o; }
int top_tb_status(void) { return tb.status; }

static int fail(void) {
  if (tb.model) ecim_top_debug(tb.model, stdout);
  fflush(stdout);
  tb.status = TOP_TB_FAIL;
  return TOP_TB_FAIL;
}

/* ----------------------------------------------------------------------------------------- */
/* Script building                                                                            */
/* ----------------------------------------------------------------------------------------- */
static action_t *push_act(act_kind_t k) {
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

static void wr(uint32_t addr, uint32_t val) {
  action_t *a = push_act(A_WRITE);
  a->addr = addr;
  a->val = val;
}

static void rd_expect(uint32_t addr, uint32_t val, uint32_t mask, const char *what) {
  action_t *a = push_act(A_READ);
  a->addr = addr;
  a->val = val;
  a->mask = mask;
  a->what = what;
}

static uint32_t alloc(uint32_t bytes) {
  uint32_t a = (tb.heap + 15u) & ~15u;
  a += 16u * tb_rng_below(&tb.rng, 4); /* vary the alignment of the buffers' neighbours */
  tb.heap = a + bytes;
  return a;
}

static int gemv_fits(uint32_t need) { return (uint64_t)tb.heap + need + 4096 < dram_cfg(tb.dram)->size; }

/* Prepares a GEMV's buffers in DRAM (backdoor) and its expected y. */
static void setup_gemv(gemv_t *g) {
  uint8_t *mem = dram_mem(tb.dram);
  int kp = ecim_round_up(g->K, 32);
  size_t wbytes = ecim_packed_bytes(g->K, g->N, 4);
  /* packed weights: random nibbles, zero in the padding (k >= K or n >= N), random FP16 scales */
  if (!(g->flags & EDGECIM_CMD_FLAGS_RES_USE)) {
    for (int nb = 0; nb < ecim_round_up(g->N, 32) / 32; nb++) {
      for (int kb = 0; kb < (kp + 127) / 128; kb++) {
        int rows = 0;
        size_t off = ecim_block_offset(g->K, 4, nb, kb, &rows);
        uint8_t *blk = mem + g->w + off;
        for (int r = 0; r < rows; r++)
          for (int c = 0; c < 32; c++) {
            int k = kb * 128 + r, n = nb * 32 + c;
            int v = (k < g->K && n < g->N) ? (int)tb_rng_below(&tb.rng, 16) : 0;
            if (tb_rng_pct(&tb.rng, 3)) v = 8; /* most negative weight */
            if (k >= g->K || n >= g->N) v = 0;
            uint8_t *p = blk + r * 16 + c / 2;
            *p = (uint8_t)((c & 1) ? ((*p & 0x0F) | v << 4) : ((*p & 0xF0) | v));
          }
        uint8_t *sc = blk + rows * 16;
        for (int gi = 0; gi < rows / 32; gi++)
          for (int c = 0; c < 32; c++) {
            int n = nb * 32 + c;
            uint16_t h = 0;
            if (n < g->N) {
              int e = 8 + (int)tb_rng_below(&tb.rng, 8); /* scales 2^-7 .. 2^0 */
              h = (uint16_t)(e << 10 | tb_rng_below(&tb.rng, 1024));
              if (tb_rng_pct(&tb.rng, 2)) h = (uint16_t)tb_rng_below(&tb.rng, 1024); /* subnormal */
              if (tb_rng_pct(&tb.rng, 20)) h |= 0x8000;
            }
            sc[(gi * 32 + c) * 2] = (uint8_t)h;
            sc[(gi * 32 + c) * 2 + 1] = (uint8_t)(h >> 8);
          }
      }
    }
  }
  (void)wbytes;
  /* activations: int8 (zero beyond K), FP16 scales per group */
  int8_t *xq = (int8_t *)(mem + g->x);
  uint16_t *xs = malloc(sizeof(uint16_t) * (size_t)(kp / 32));
  for (int k = 0; k < kp; k++) xq[k] = k < g->K ? (int8_t)tb_rng_range(&tb.rng, -128, 127) : 0;
  if (tb_rng_pct(&tb.rng, 10))
    for (int k = 0; k < g->K; k++) xq[k] = -128; /* most negative activations */
  for (int i = 0; i < kp / 32; i++) {
    xs[i] = (uint16_t)((10 + tb_rng_below(&tb.rng, 6)) << 10 | tb_rng_below(&tb.rng, 1024));
    mem[g->x + (uint32_t)kp + 2u * (uint32_t)i] = (uint8_t)xs[i];
    mem[g->x + (uint32_t)kp + 2u * (uint32_t)i + 1] = (uint8_t)(xs[i] >> 8);
  }
  /* bias and old y */
  int64_t *bias = NULL;
  g->expect = calloc((size_t)g->N, sizeof(int64_t));
  if (g->flags & EDGECIM_CMD_FLAGS_BIAS) {
    bias = malloc(sizeof(int64_t) * (size_t)g->N);
    for (int n = 0; n < g->N; n++) {
      bias[n] = (int64_t)(tb_rng_next(&tb.rng) >> 20) - (1LL << 43);
      memcpy(mem + g->b + 8u * (uint32_t)n, &bias[n], 8);
    }
  }
  for (int n = 0; n < g->N; n++) {
    int64_t old = (g->flags & EDGECIM_CMD_FLAGS_ACCUM) ? (int64_t)(tb_rng_next(&tb.rng) >> 16) - (1LL << 47) : (int64_t)0x5A5A5A5A5A5A5A5AULL;
    memcpy(mem + g->y + 8u * (uint32_t)n, &old, 8);
    g->expect[n] = old;
  }
  ecim_gemv_ref(mem + g->w, g->K, g->N, 4, xq, xs, bias, (g->flags & EDGECIM_CMD_FLAGS_ACCUM) != 0, g->expect);
  free(xs);
  free(bias);
}

/* RES_USE reuses the matrix of the previous RES_LOAD: same w address, expected y computed from it. */
static int add_gemv(int K, int N, int flags, int res_base, const char *name, int same_w_as) {
  int kp = ecim_round_up(K, 32);
  uint32_t wbytes = (uint32_t)ecim_packed_bytes(K, N, 4);
  uint32_t xbytes = (uint32_t)kp + 16u * (uint32_t)((kp + 255) / 256);
  uint32_t ybytes = 16u * (uint32_t)((N + 1) / 2);
  if (!gemv_fits((same_w_as >= 0 ? 0 : wbytes) + xbytes + 2 * ybytes + 256)) return -1;
  if (tb.n_gemvs == tb.cap_gemvs) {
    tb.cap_gemvs = tb.cap_gemvs ? 2 * tb.cap_gemvs : 64;
    tb.gemvs = realloc(tb.gemvs, (size_t)tb.cap_gemvs * sizeof *tb.gemvs);
  }
  gemv_t *g = &tb.gemvs[tb.n_gemvs];
  memset(g, 0, sizeof *g);
  g->K = K;
  g->N = N;
  g->flags = flags | (res_base << EDGECIM_CMD_FLAGS_RES_BASE_LSB);
  g->res_base = res_base;
  g->name = name;
  g->w = same_w_as >= 0 ? tb.gemvs[same_w_as].w : alloc(wbytes);
  g->x = alloc(xbytes);
  g->y = alloc(ybytes);
  g->b = (flags & EDGECIM_CMD_FLAGS_BIAS) ? alloc(ybytes) : 0;
  return tb.n_gemvs++;
}

static void program(int gi) {
  const gemv_t *g = &tb.gemvs[gi];
  action_t *a = push_act(A_SETUP);
  a->gemv = gi;
  wr(EDGECIM_REG_CMD_W_ADDR, g->w);
  wr(EDGECIM_REG_CMD_X_ADDR, g->x);
  wr(EDGECIM_REG_CMD_Y_ADDR, g->y);
  wr(EDGECIM_REG_CMD_B_ADDR, g->b);
  wr(EDGECIM_REG_CMD_K, (uint32_t)g->K);
  wr(EDGECIM_REG_CMD_N, (uint32_t)g->N);
  wr(EDGECIM_REG_CMD_FLAGS, (uint32_t)g->flags);
  a = push_act(A_MARK);
  a->gemv = gi;
  wr(EDGECIM_REG_CMD_PUSH, 1);
}

static void wait_and_check(int first, int last) {
  push_act(A_WAIT_IDLE);
  rd_expect(EDGECIM_REG_ERR_CODE, 0, 0xF, "no error after GEMV");
  for (int gi = first; gi <= last; gi++) {
    action_t *a = push_act(A_CHECK);
    a->gemv = gi;
  }
}

static void run_gemv(int K, int N, int flags, int res_base, const char *name) {
  int gi = add_gemv(K, N, flags, res_base, name, -1);
  if (gi < 0) return;
  program(gi);
  wait_and_check(gi, gi);
}

/* A bad descriptor: pushed, refused with `code`, nothing runs; then the error is cleared. */
static void bad_desc(uint32_t w, uint32_t x, uint32_t y, uint32_t b, uint32_t k, uint32_t n, uint32_t flags,
                     int code, const char *what) {
  wr(EDGECIM_REG_CMD_W_ADDR, w);
  wr(EDGECIM_REG_CMD_X_ADDR, x);
  wr(EDGECIM_REG_CMD_Y_ADDR, y);
  wr(EDGECIM_REG_CMD_B_ADDR, b);
  wr(EDGECIM_REG_CMD_K, k);
  wr(EDGECIM_REG_CMD_N, n);
  wr(EDGECIM_REG_CMD_FLAGS, flags);
  wr(EDGECIM_REG_CMD_PUSH, 1);
  rd_expect(EDGECIM_REG_ERR_CODE, (uint32_t)code, 0xF, what);
  rd_expect(EDGECIM_REG_STATUS, 2, 2, "STATUS.ERROR set");
  rd_expect(EDGECIM_REG_IRQ_STATUS, 2, 2, "IRQ_STATUS.ERROR set");
  wr(EDGECIM_REG_CTRL, 2);
  wr(EDGECIM_REG_IRQ_STATUS, 3);
  rd_expect(EDGECIM_REG_ERR_CODE, 0, 0xF, "error cleared");
  tb.errors_checked++;
}

/* Only the listed shapes, e.g. "896x896,4864x896": for the benchmark and the calibration. */
static int build_shapes(const char *list) {
  const char *p = list;
  while (*p) {
    char *end;
    long K = strtol(p, &end, 10);
    if (end == p || *end != 'x') return -1;
    p = end + 1;
    long N = strtol(p, &end, 10);
    if (end == p || K < 1 || K > tb.cfg.maxk || N < 1 || N > ECIM_MAX_N) return -1;
    p = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') return -1;
    run_gemv((int)K, (int)N, 0, 0, "shape");
  }
  return tb.n_gemvs ? 0 : -1;
}

static void build_script(void) {
  const ecim_hw_t *c = &tb.cfg;
  uint32_t hwcfg = ecim_hwcfg_pack(c);
  uint32_t lim = dram_cfg(tb.dram)->size;
  /* bring-up: reset values, read/write */
  rd_expect(EDGECIM_REG_ID, EDGECIM_ID_VALUE, ~0u, "ID");
  rd_expect(EDGECIM_REG_HWCFG, hwcfg, ~0u, "HWCFG");
  rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "STATUS after reset");
  rd_expect(EDGECIM_REG_MEM_LIMIT, c->mem_bytes, ~0u, "MEM_LIMIT reset value");
  wr(EDGECIM_REG_MEM_LIMIT, lim);
  rd_expect(EDGECIM_REG_MEM_LIMIT, lim, ~0u, "MEM_LIMIT write");
  static const uint32_t cmd_regs[] = {EDGECIM_REG_CMD_W_ADDR, EDGECIM_REG_CMD_X_ADDR, EDGECIM_REG_CMD_Y_ADDR,
                                      EDGECIM_REG_CMD_B_ADDR, EDGECIM_REG_CMD_K,      EDGECIM_REG_CMD_N,
                                      EDGECIM_REG_CMD_FLAGS};
  for (size_t i = 0; i < sizeof cmd_regs / sizeof cmd_regs[0]; i++) {
    uint32_t v = (uint32_t)tb_rng_next(&tb.rng);
    wr(cmd_regs[i], v);
    rd_expect(cmd_regs[i], v, ~0u, "descriptor register read back");
  }
  wr(EDGECIM_REG_CTRL, 1);
  rd_expect(EDGECIM_REG_CTRL, 1, ~0u, "CTRL.IRQ_EN");

  /* corner shapes first: K=1, N=1, a single block, partial blocks, flags */
  run_gemv(1, 1, 0, 0, "K=1 N=1");
  run_gemv(32, 32, 0, 0, "one group");
  run_gemv(128, 32, F_BIAS, 0, "one block + bias");
  run_gemv(200, 45, F_ACCUM, 0, "accumulate");
  run_gemv(333, 77, F_BIAS | F_ACCUM, 0, "bias + accumulate");
  run_gemv(130, 33, 0, 0, "partial blocks");

  /* resident: load into resident macros, then reuse without weight traffic */
  if (c->nres > 0) {
    int maxblk = c->nres; /* per tile */
    int K = 128 * (maxblk > 1 ? 2 : 1) - 40, N = 32 * c->ntiles - 5;
    int l = add_gemv(K, N, F_RES_LOAD, 0, "resident load", -1);
    if (l >= 0) {
      program(l);
      wait_and_check(l, l);
      int u = add_gemv(K, N, F_RES_USE, 0, "resident use", l);
      if (u >= 0) {
        program(u);
        wait_and_check(u, u);
        int u2 = add_gemv(K, N, F_RES_USE | F_BIAS, 0, "resident use + bias", l);
        if (u2 >= 0) {
          program(u2);
          wait_and_check(u2, u2);
        }
      }
    }
  }

  /* real layer shapes: Qwen2.5-0.5B, Qwen3-0.6B, Llama-3.2-1B (one of each projection kind) */
  if (tb.opt.real_shapes) {
    static const struct { int K, N, flags; const char *name; } real[] = {
        {896, 1152, F_BIAS, "qwen2.5-0.5b qkv (bias)"}, {896, 896, 0, "qwen2.5-0.5b o"},
        {896, 9728, 0, "qwen2.5-0.5b gate_up"},    {4864, 896, 0, "qwen2.5-0.5b down"},
        {1024, 4096, 0, "qwen3-0.6b qkv"},         {2048, 1024, 0, "qwen3-0.6b o"},
        {3072, 1024, 0, "qwen3-0.6b down"},        {2048, 3072, 0, "llama3.2-1b qkv"},
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
      if (real[i].K <= c->maxk) run_gemv(real[i].K, real[i].N, real[i].flags, 0, real[i].name);
  }

  /* random shapes, some queued back to back */
  for (int i = 0; i < tb.opt.random_cases; i++) {
    int big = tb_rng_pct(&tb.rng, 25);
    int K = 1 + (int)tb_rng_below(&tb.rng, (uint32_t)(big ? tb.opt.max_dim : 300));
    int N = 1 + (int)tb_rng_below(&tb.rng, (uint32_t)(big ? tb.opt.max_dim : 300));
    if (K > c->maxk) K = c->maxk;
    int flags = (int)tb_rng_below(&tb.rng, 4); /* any of F_BIAS | F_ACCUM */
    if (tb_rng_pct(&tb.rng, 30)) {
      int n = 2 + (int)tb_rng_below(&tb.rng, (uint32_t)c->queue_depth - 1);
      int first = tb.n_gemvs, last = -1;
      for (int j = 0; j < n; j++) {
        int gi = add_gemv(1 + (int)tb_rng_below(&tb.rng, 400), 1 + (int)tb_rng_below(&tb.rng, 200),
                          (int)tb_rng_below(&tb.rng, 4), 0, "queued", -1);
        if (gi < 0) break;
        last = gi;
        program(gi);
      }
      if (last >= 0) wait_and_check(first, last);
    } else {
      run_gemv(K, N, flags, 0, "random");
    }
  }

  /* error paths */
  if (tb.opt.errors) {
    uint32_t b0 = 0x1000;
    bad_desc(b0, b0, b0, 0, 0, 10, 0, EDGECIM_ERR_ZERO_SIZE, "K = 0");
    bad_desc(b0, b0, b0, 0, 10, 0, 0, EDGECIM_ERR_ZERO_SIZE, "N = 0");
    bad_desc(b0, b0, b0, 0, (uint32_t)c->maxk + 1, 10, 0, EDGECIM_ERR_TOO_LARGE, "K > MaxK");
    bad_desc(b0, b0, b0, 0, 10, 0x1000000, 0, EDGECIM_ERR_TOO_LARGE, "N >= 2^24");
    bad_desc(b0 + 8, b0, b0, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "misaligned W");
    bad_desc(b0, b0 + 4, b0, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "misaligned X");
    bad_desc(b0, b0, b0 + 1, 0, 10, 10, 0, EDGECIM_ERR_MISALIGNED, "misaligned Y");
    bad_desc(b0, b0, b0, b0 + 2, 10, 10, F_BIAS, EDGECIM_ERR_MISALIGNED, "misaligned bias");
    bad_desc(lim - 16, b0, b0, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "W beyond MEM_LIMIT");
    bad_desc(b0, lim - 32, b0, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "X beyond MEM_LIMIT");
    bad_desc(b0, b0, lim - 16, 0, 64, 64, 0, EDGECIM_ERR_OUT_OF_RANGE, "Y beyond MEM_LIMIT");
    bad_desc(b0, b0, b0, lim - 16, 64, 64, F_BIAS, EDGECIM_ERR_OUT_OF_RANGE, "bias beyond MEM_LIMIT");
    bad_desc(0xFFFFFFF0u, b0, b0, 0, 16384 < c->maxk ? 16384 : c->maxk, 0xFFFFFF, 0, EDGECIM_ERR_OUT_OF_RANGE,
             "W end beyond 2^32 (no wrap-around)");
    bad_desc(b0, b0, b0, 0, 10, 10, F_RES_LOAD | F_RES_USE, EDGECIM_ERR_BAD_FLAGS, "RES_LOAD with RES_USE");
    bad_desc(b0, b0, b0, 0, 10, 10, 0x10000, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit");
    bad_desc(b0, b0, b0, 0, 10, 10, 0x20, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 5");
    bad_desc(b0, b0, b0, 0, 128 * 4, 32, F_RES_LOAD, EDGECIM_ERR_RESIDENT_RANGE, "resident blocks beyond NRes");
    bad_desc(b0, b0, b0, 0, 10, 10, F_RES_LOAD | ((uint32_t)c->nres << EDGECIM_CMD_FLAGS_RES_BASE_LSB), EDGECIM_ERR_RESIDENT_RANGE, "RES_BASE = NRes");
    /* an unmapped address: refused with BAD_ADDRESS, reads 0 */
    rd_expect(0xFC, 0, ~0u, "unmapped address reads 0");
    rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, 0xF, "unmapped address");
    wr(EDGECIM_REG_CTRL, 2);
    tb.errors_checked++;
    /* queue overflow: queue_depth long commands fill the queue behind a running one */
    int first = tb.n_gemvs, last = -1;
    for (int j = 0; j < c->queue_depth + 1; j++) {
      int gi = add_gemv(256, 64, 0, 0, "queue fill", -1);
      if (gi < 0) break;
      last = gi;
      program(gi);
    }
    if (last >= 0) {
      bad_desc(b0, b0, b0, 0, 64, 64, 0, EDGECIM_ERR_QUEUE_OVERFLOW, "push with a full queue");
      wait_and_check(first, last);
    }
    /* the hardware still works after every error */
    run_gemv(100, 50, F_BIAS, 0, "after errors");
  }
  rd_expect(EDGECIM_REG_CMDS_DONE, (uint32_t)tb.n_gemvs, ~0u, "CMDS_DONE counts every GEMV");
}

int top_tb_init(const ecim_hw_t *cfg) {
  char err[160];
  if (ecim_hw_check(cfg, err, sizeof err)) {
    fprintf(stderr, "top_tb: %s\n", err);
    return -1;
  }
  tb.cfg = *cfg;
  dram_cfg_t dc = {64u << 20, cfg->data_bytes, tb.opt.bw > 0 ? tb.opt.bw : cfg->data_bytes,
                   tb.opt.latency > 0 ? tb.opt.latency : 40, tb.opt.stall_pct, 8, tb.opt.seed};
  if (dram_cfg_check(&dc, err, sizeof err)) {
    fprintf(stderr, "top_tb: %s\n", err);
    return -1;
  }
  tb.model = ecim_top_new(cfg);
  tb.dram = dram_new(&dc);
  if (!tb.model || !tb.dram) {
    fprintf(stderr, "top_tb: out of memory\n");
    return -1;
  }
  tb.rng.s = tb.opt.seed;
  tb.heap = 0x10000;
  tb.read_act.kind = A_MARK; /* no read in flight */
  if (tb.opt.max_dim <= 0) tb.opt.max_dim = 2048;
  if (tb.opt.shapes) {
    wr(EDGECIM_REG_MEM_LIMIT, dc.size);
    if (build_shapes(tb.opt.shapes)) {
      fprintf(stderr, "top_tb: bad --shapes '%s' (want KxN[,KxN...], K <= %d, N < 2^24, fitting in %u bytes)\n",
              tb.opt.shapes, cfg->maxk, dc.size);
      return -1;
    }
  } else {
    build_script();
  }
  printf("edgecim_top co-simulation: NTiles=%d NMacros=%d NRes=%d MaxK=%d DataBytes=%d seed=%" PRIu64
         " gemvs=%d dram: %.1f B/cycle, latency %d, stalls %d%%\n",
         cfg->ntiles, cfg->nmacros, cfg->nres, cfg->maxk, cfg->data_bytes, tb.opt.seed, tb.n_gemvs, dc.bytes_per_cycle,
         dc.latency, dc.stall_pct);
  return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Per cycle                                                                                   */
/* ----------------------------------------------------------------------------------------- */
static const char *action_str(void) {
  static char s[160];
  int i = tb.pc < tb.n_acts ? tb.pc : tb.n_acts - 1;
  int g = -1;
  for (int j = i; j >= 0 && g < 0; j--) g = tb.acts[j].gemv; /* the GEMV this part of the script is about */
  if (g >= 0)
    snprintf(s, sizeof s, "action %d, gemv %d (%s, K=%d N=%d flags=0x%x)", i, g, tb.gemvs[g].name, tb.gemvs[g].K,
             tb.gemvs[g].N, tb.gemvs[g].flags);
  else
    snprintf(s, sizeof s, "action %d (register bring-up)", i);
  return s;
}

static int mismatch(const char *sig, uint64_t exp, uint64_t act) {
  printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " signal=%s expected=0x%" PRIx64 " actual=0x%" PRIx64
         " (C model vs RTL; %s)\n",
         tb.opt.seed, tb.cycle, sig, exp, act, action_str());
  return 1;
}

static int compare(const top_tb_dut_t *d, const ecim_top_out_t *m) {
  tb.outputs_compared++;
  if (d->mmio_rvalid != m->mmio_rvalid) return mismatch("mmio_rvalid", (uint64_t)m->mmio_rvalid, (uint64_t)d->mmio_rvalid);
  if (m->mmio_rvalid && d->mmio_rdata != m->mmio_rdata) return mismatch("mmio_rdata", m->mmio_rdata, d->mmio_rdata);
  if (d->irq != m->irq) return mismatch("irq", (uint64_t)m->irq, (uint64_t)d->irq);
  if (d->mem.req_valid != m->mem.req_valid) return mismatch("mem_req_valid", (uint64_t)m->mem.req_valid, (uint64_t)d->mem.req_valid);
  if (m->mem.req_valid) {
    if (d->mem.req_we != m->mem.req_we) return mismatch("mem_req_we", (uint64_t)m->mem.req_we, (uint64_t)d->mem.req_we);
    if (d->mem.req_addr != m->mem.req_addr) return mismatch("mem_req_addr", m->mem.req_addr, d->mem.req_addr);
    if (d->mem.req_len != m->mem.req_len) return mismatch("mem_req_len", (uint64_t)m->mem.req_len, (uint64_t)d->mem.req_len);
  }
  if (d->mem.w_valid != m->mem.w_valid) return mismatch("mem_w_valid", (uint64_t)m->mem.w_valid, (uint64_t)d->mem.w_valid);
  if (m->mem.w_valid) {
    if (d->mem.w_strb != m->mem.w_strb) return mismatch("mem_w_strb", m->mem.w_strb, d->mem.w_strb);
    for (int i = 0; i < tb.cfg.data_bytes; i++)
      if ((m->mem.w_strb >> i & 1) && d->w_data[i] != m->w_data[i]) {
        char s[32];
        snprintf(s, sizeof s, "mem_w_data byte %d", i);
        return mismatch(s, m->w_data[i], d->w_data[i]);
      }
  }
  if (d->mem.r_ready != m->mem.r_ready) return mismatch("mem_r_ready", (uint64_t)m->mem.r_ready, (uint64_t)d->mem.r_ready);
  return 0;
}

static int check_gemv(const gemv_t *g) {
  const uint8_t *mem = dram_mem(tb.dram);
  for (int n = 0; n < g->N; n++) {
    int64_t v;
    memcpy(&v, mem + g->y + 8u * (uint32_t)n, 8);
    if (v != g->expect[n]) {
      printf("MISMATCH seed=%" PRIu64 " gemv=%d (%s, K=%d N=%d flags=0x%x) y[%d] expected=%" PRId64 " actual=%" PRId64
             " (golden ecim_gemv_ref vs RTL)\n",
             tb.opt.seed, (int)(g - tb.gemvs), g->name, g->K, g->N, g->flags, n, g->expect[n], v);
      return 1;
    }
  }
  /* the word after y is never written (strobes) */
  tb.checks++;
  return 0;
}

static void report_gemv(gemv_t *g) {
  if (!tb.opt.bench) return;
  uint64_t cyc = g->end_cycle - g->start_cycle;
  double util = cyc ? (double)g->bytes / ((double)cyc * tb.cfg.data_bytes) : 0;
  printf("BENCH %-26s K=%5d N=%6d cycles=%9" PRIu64 " bytes=%10" PRIu64 " port-utilization=%.1f%%\n", g->name, g->K, g->N,
         cyc, g->bytes, 100.0 * util);
  fflush(stdout);
}

/* Runs actions until one needs a cycle of MMIO or waiting; fills tb.in's mmio fields. */
static int next_action(const top_tb_dut_t *d) {
  tb.in.mmio_valid = tb.in.mmio_write = 0;
  tb.in.mmio_addr = tb.in.mmio_wdata = 0;
  if (tb.pending_read && --tb.pending_read) return 0; /* the DUT samples the read this cycle */
  if (tb.read_act.kind != A_MARK) {
    /* the read issued two steps ago returns now (driven next cycle, answered the one after) */
    action_t done_act = tb.read_act;
    tb.read_act.kind = A_MARK;
    if (!d->mmio_rvalid) return mismatch("mmio_rvalid after a read", 1, 0), fail();
    if (done_act.kind == A_READ && done_act.mask && (d->mmio_rdata & done_act.mask) != done_act.val) {
      printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " register 0x%02x (%s): expected 0x%08x (mask 0x%08x) actual 0x%08x\n",
             tb.opt.seed, tb.cycle, done_act.addr, done_act.what, done_act.val, done_act.mask, d->mmio_rdata);
      return fail();
    }
    if (done_act.kind == A_READ) tb.reg_checks++;
    if (done_act.kind == A_WAIT_IDLE && !(d->mmio_rdata & 1)) tb.pc++; /* STATUS.BUSY dropped */
  }
  while (tb.pc < tb.n_acts) {
    action_t *a = &tb.acts[tb.pc];
    switch (a->kind) {
      case A_SETUP:
        setup_gemv(&tb.gemvs[a->gemv]);
        tb.pc++;
        continue;
      case A_MARK: {
        gemv_t *g = &tb.gemvs[a->gemv];
        g->start_cycle = tb.cycle + 1;
        dram_stats_t s = dram_stats(tb.dram);
        g->bytes = s.bytes_read + s.beats_written * (uint64_t)tb.cfg.data_bytes;
        tb.pc++;
        continue;
      }
      case A_CHECK: {
        gemv_t *g = &tb.gemvs[a->gemv];
        if (check_gemv(g)) return fail();
        report_gemv(g);
        free(g->expect);
        g->expect = NULL;
        tb.pc++;
        continue;
      }
      case A_WRITE:
        tb.in.mmio_valid = tb.in.mmio_write = 1;
        tb.in.mmio_addr = a->addr;
        tb.in.mmio_wdata = a->val;
        tb.pc++;
        return 0;
      case A_READ:
        tb.in.mmio_valid = 1;
        tb.in.mmio_addr = a->addr;
        tb.pending_read = 2;
        tb.read_act = *a;
        tb.pc++;
        return 0;
      case A_WAIT_IDLE:
        /* poll STATUS every 8 cycles; tb.pc advances when BUSY reads 0 */
        if (tb.cycle % 8 == 0) {
          tb.in.mmio_valid = 1;
          tb.in.mmio_addr = EDGECIM_REG_STATUS;
          tb.pending_read = 2;
          tb.read_act = *a;
        }
        return 0;
    }
  }
  return 0;
}

int top_tb_step(int in_reset, const top_tb_dut_t *dut, top_tb_drive_t *next) {
  if (in_reset || tb.status != TOP_TB_RUN) {
    if (in_reset) {
      ecim_top_reset(tb.model);
      memset(&tb.in, 0, sizeof tb.in);
      dram_out(tb.dram, &tb.in.mem);
    }
    *next = tb.in;
    return tb.status;
  }
  ecim_top_out_t mo;
  ecim_top_eval(tb.model, &tb.in, &mo);
  if (compare(dut, &mo)) return fail();
  ecim_top_clock(tb.model, &tb.in);
  top_tb_dut_t dd = *dut;
  dd.mem.w_data = dut->w_data;
  if (dram_clock(tb.dram, &dd.mem)) {
    printf("FAIL seed=%" PRIu64 ": %s\n", tb.opt.seed, dram_error(tb.dram));
    return fail();
  }
  tb.cycle++;
  int before = tb.pc;
  if (next_action(dut) == TOP_TB_FAIL) return TOP_TB_FAIL;
  if (tb.pc != before) tb.last_progress = tb.cycle;
  /* figures: a GEMV ends when the accelerator goes idle (exact for GEMVs run alone) */
  for (int gi = 0; gi < tb.n_gemvs; gi++) {
    gemv_t *g = &tb.gemvs[gi];
    if (g->start_cycle && !g->end_cycle && mo.mem.req_valid == 0 && !mo.busy && tb.cycle > g->start_cycle + 2) {
      dram_stats_t s = dram_stats(tb.dram);
      g->end_cycle = tb.cycle;
      g->bytes = s.bytes_read + s.beats_written * (uint64_t)tb.cfg.data_bytes - g->bytes;
    }
  }
  if (tb.pc >= tb.n_acts && tb.read_act.kind == A_MARK) {
    tb.status = TOP_TB_PASS;
    *next = tb.in;
    return tb.status;
  }
  if (tb.cycle - tb.last_progress > 20000000) {
    printf("FAIL seed=%" PRIu64 " cycle=%" PRIu64 ": no progress for 20M cycles at action %d (hang)\n", tb.opt.seed,
           tb.cycle, tb.pc);
    return fail();
  }
  dram_out(tb.dram, &tb.in.mem);
  *next = tb.in;
  return TOP_TB_RUN;
}

void top_tb_summary(double host_seconds) {
  dram_stats_t s = dram_stats(tb.dram);
  printf("config      NTiles=%d NMacros=%d NRes=%d DataBytes=%d\n", tb.cfg.ntiles, tb.cfg.nmacros, tb.cfg.nres,
         tb.cfg.data_bytes);
  printf("seed        %" PRIu64 "\n", tb.opt.seed);
  printf("gemvs       %d run, %ld y vectors compared with the golden model, %ld register checks, %ld error paths\n",
         tb.n_gemvs, tb.checks, tb.reg_checks, tb.errors_checked);
  printf("cycles      %" PRIu64 " simulated, every output compared with the C model (%ld cycles)\n", tb.cycle,
         tb.outputs_compared);
  printf("dram        %" PRIu64 " bytes read, %" PRIu64 " written, port busy %.1f%% of cycles\n", s.bytes_read,
         s.bytes_written, s.cycles ? 100.0 * (double)s.busy_cycles / (double)s.cycles : 0.0);
  if (host_seconds > 0)
    printf("speed       %.0f simulated cycles/s (%.2f s host CPU)\n", (double)tb.cycle / host_seconds, host_seconds);
  printf("mismatches  %d\n", tb.status == TOP_TB_FAIL ? 1 : 0);
  printf("result      %s\n", tb.status == TOP_TB_PASS ? "PASS" : "FAIL");
}
