/* SPDX-License-Identifier: Apache-2.0 */
/* Register abuse in the top co-simulation (issue 11, item 2): what software must not do, and what
 * the hardware does when it does (docs/REGISTERS.md, "Misuse"). Every access here runs on the RTL
 * and the C model at once and every output of every cycle is compared, so a read whose value is not
 * checked (mask 0) is still checked to be the same on both.
 *   - writes to every read-only register (ignored, no error; v3's HWCFG3 and LIST_DONE too), reads
 *     of the write-only CMD_PUSH and LIST_START (0: nothing pushed or started, no error), reads and
 *     writes of unmapped addresses (BAD_ADDRESS; reads return 0; a write changes nothing; the words
 *     0x78/0x7C a list descriptor has but the register file has not; 0x81 is not CMD_PUSH), the
 *     8-bit address bus (0x140 is 0x40);
 *   - the same descriptor pushed twice and three times, and twice in one command list (it runs each
 *     time: with ACCUM the second adds onto the first's y);
 *   - MEM_LIMIT lowered while commands are queued and running (they were checked when queued: they
 *     run and finish correctly), while a list waits for room in the queue (its next descriptor is
 *     checked when it is queued: refused, the list stops), a buffer ending exactly at MEM_LIMIT
 *     (accepted) or one byte past;
 *   - descriptors below MEM_LIMIT but past the DRAM behind the port (the accelerator cannot tell: the
 *     command runs to completion; the DRAM model reads zeros and drops writes, and reports each such
 *     beat, which this scenario expects and counts), and a command list there (its zero words are
 *     a GEMV with K = 0: ZERO_SIZE, the list stops);
 *   - two errors back to back (the first code is kept until CTRL.CLEAR_ERR), an error while
 *     commands are queued (they still run; a valid descriptor is still accepted while STATUS.ERROR
 *     is set), CLEAR_ERR with commands queued and while a list is fetched (clears ERR_CODE only;
 *     IRQ_STATUS.ERROR stays until written 1; CTRL is written whole, so CLEAR_ERR without IRQ_EN
 *     also clears IRQ_EN);
 *   - LIST_START while commands run (accepted: the list's descriptors queue behind them), while a
 *     list is fetched (LIST_BUSY; LIST_ADDR and LIST_COUNT rewritten meanwhile do not change the
 *     running list). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

#define ERR_MASK 0xFu
#define BUSY     (EDGECIM_STATUS_BUSY_MASK << EDGECIM_STATUS_BUSY_LSB)
#define ERROR    (EDGECIM_STATUS_ERROR_MASK << EDGECIM_STATUS_ERROR_LSB)
#define QCOUNT   (EDGECIM_STATUS_QUEUE_COUNT_MASK << EDGECIM_STATUS_QUEUE_COUNT_LSB)
#define IRQ_ERR  EDGECIM_IRQ_STATUS_ERROR
#define IRQ_DONE EDGECIM_IRQ_STATUS_DONE
#define IRQ_IDLE EDGECIM_IRQ_STATUS_IDLE
#define LIST     EDGECIM_STATUS_LIST

/* CMDS_DONE as the script stands: every GEMV, less the ones a refused list stopped, plus the
 * vector ops and the repeated pushes. */
static uint32_t cmds_expected(void) { return (uint32_t)(tb.n_gemvs - tb.not_run + tb.vops_run + tb.extra_cmds); }

static action_t *call(int (*fn)(const action_t *), int gemv, uint32_t val, const char *what) {
  action_t *a = tb_push_act(A_CALL);
  a->call = fn;
  a->gemv = gemv;
  a->val = val;
  a->what = what;
  return a;
}

static void clear_all(void) {
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_wr(EDGECIM_REG_IRQ_STATUS, IRQ_DONE | IRQ_ERR | IRQ_IDLE);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "error cleared");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, ~0u, "IRQ_STATUS cleared");
}

/* Programs a GEMV's descriptor (every word, as tb_program writes them) with some addresses replaced
 * (0: the GEMV's own), and pushes it `pushes` times. The GEMV's buffers are set up as usual (A_SETUP)
 * at its own addresses. */
static void program_at(int gi, uint32_t w, uint32_t x, uint32_t y, int pushes) {
  const gemv_t *g = &tb.gemvs[gi];
  uint32_t d[TB_DESC_WORDS];
  action_t *a = tb_push_act(A_SETUP);
  a->gemv = gi;
  tb_gemv_words(gi, d);
  d[0] = w ? w : g->w;
  d[1] = x ? x : g->x;
  d[2] = y ? y : g->y;
  tb_write_desc(d);
  a = tb_push_act(A_MARK);
  a->gemv = gi;
  for (int p = 0; p < pushes; p++) tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb.extra_cmds += pushes - 1;
}

/* Waits for the commands first..last, expects `code` in ERR_CODE, clears it and checks their y. */
static void wait_check_err(int first, int last, int code, const char *what) {
  tb_push_act(A_WAIT_IDLE);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, (uint32_t)code, ~0u, what);
  clear_all();
  for (int gi = first; gi <= last; gi++) {
    action_t *a = tb_push_act(A_CHECK);
    a->gemv = gi;
  }
  tb.errors_checked++;
}

/* ------------------------------------------------------------------- read-only, write-only, unmapped */
static void read_only_and_unmapped(void) {
  const ecim_hw_t *c = &tb.cfg;
  static const uint32_t ro[] = {EDGECIM_REG_ID,        EDGECIM_REG_HWCFG,     EDGECIM_REG_HWCFG2,
                                EDGECIM_REG_HWCFG3,    EDGECIM_REG_STATUS,    EDGECIM_REG_ERR_CODE,
                                EDGECIM_REG_CMDS_DONE, EDGECIM_REG_CYCLES_LO, EDGECIM_REG_CYCLES_HI,
                                EDGECIM_REG_LIST_DONE};
  for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
    tb_wr(ro[i], 0xFFFFFFFFu);
    tb_wr(ro[i], 0);
  }
  tb_rd_expect(EDGECIM_REG_ID, EDGECIM_ID_VALUE, ~0u, "ID after writes");
  tb_rd_expect(EDGECIM_REG_HWCFG, ecim_hwcfg_pack(c), ~0u, "HWCFG after writes");
  tb_rd_expect(EDGECIM_REG_HWCFG2, ecim_hwcfg2_pack(c), ~0u, "HWCFG2 after writes");
  tb_rd_expect(EDGECIM_REG_HWCFG3, ecim_hwcfg3_pack(c), ~0u, "HWCFG3 after writes");
  tb_rd_expect(EDGECIM_REG_LIST_DONE, 0, 0, "LIST_DONE after writes (RTL = model)");
  tb_rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "STATUS after writes (idle, no error)");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "ERR_CODE after writes: a write does not set it");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, IRQ_ERR, "writes to read-only registers raise no error");
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, cmds_expected(), ~0u, "CMDS_DONE after writes");
  tb_rd_expect(EDGECIM_REG_CYCLES_LO, 0, 0, "CYCLES_LO runs on (RTL = model)");
  tb_rd_expect(EDGECIM_REG_CYCLES_HI, 0, ~0u, "CYCLES_HI: the latched high word, not the written one");
  /* ERR_CODE written while it holds an error: kept */
  tb_wr(EDGECIM_REG_CMD_K, 0);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb_wr(EDGECIM_REG_ERR_CODE, 0);
  tb_wr(EDGECIM_REG_STATUS, 0);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_ZERO_SIZE, ~0u, "ERR_CODE not cleared by a write to it");
  tb_rd_expect(EDGECIM_REG_STATUS, ERROR, ~0u, "STATUS.ERROR not cleared by a write to STATUS");
  clear_all();
  tb.errors_checked++;

  /* CMD_PUSH and LIST_START read 0 and do nothing: no command, no list, no error (a valid list
   * is programmed, so a start would show) */
  tb_wr(EDGECIM_REG_LIST_ADDR, TB_HEAP_BASE);
  tb_wr(EDGECIM_REG_LIST_COUNT, 1);
  tb_rd_expect(EDGECIM_REG_CMD_PUSH, 0, ~0u, "CMD_PUSH reads 0");
  tb_rd_expect(EDGECIM_REG_LIST_START, 0, ~0u, "LIST_START reads 0");
  tb_rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "a read of CMD_PUSH or LIST_START pushes and starts nothing");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, ~0u, "a read of CMD_PUSH or LIST_START raises nothing");
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, cmds_expected(), ~0u, "nothing ran");
  tb_wr(EDGECIM_REG_LIST_COUNT, 0);

  /* CTRL: only IRQ_EN is kept; CLEAR_ERR and the undefined bits read 0 */
  tb_wr(EDGECIM_REG_CTRL, 0xFFFFFFFFu);
  tb_rd_expect(EDGECIM_REG_CTRL, EDGECIM_CTRL_IRQ_EN, ~0u, "CTRL reads IRQ_EN only");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_rd_expect(EDGECIM_REG_CTRL, 0, ~0u, "CTRL is written whole: CLEAR_ERR alone clears IRQ_EN");
  /* IRQ_STATUS: writing 0 clears nothing, DONE alone leaves ERROR */
  tb_rd_expect(0x34, 0, ~0u, "unmapped 0x34 reads 0");
  tb_wr(EDGECIM_REG_IRQ_STATUS, 0);
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, IRQ_ERR, "IRQ_STATUS write of 0 clears nothing");
  tb_wr(EDGECIM_REG_IRQ_STATUS, IRQ_DONE);
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, ~0u, "IRQ_STATUS write 1 to DONE leaves ERROR");
  clear_all();

  /* unmapped reads: 0 and BAD_ADDRESS, each; the gap 0x30..0x3C, the descriptor words 14 and 15
   * (a list descriptor's, no register's), past KV_LIMIT, and unaligned */
  static const uint32_t gaps[] = {0x30, 0x3C, 0x78, 0x7C, 0xA4, 0xFC, 0x01, 0x42, 0x5F, 0x81, 0x8D};
  for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++) {
    tb_rd_expect(gaps[i], 0, ~0u, "unmapped address reads 0");
    tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, ~0u, "unmapped read: BAD_ADDRESS");
    tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, IRQ_ERR, "unmapped read: IRQ_STATUS.ERROR");
    clear_all();
    tb.errors_checked++;
  }
  /* unmapped writes change nothing (an unaligned one does not reach the register below it) */
  tb_wr(EDGECIM_REG_CMD_W_ADDR, 0x1000);
  tb_wr(EDGECIM_REG_CMD_W_ADDR + 1, 0xFFFFFFFFu);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, ~0u, "unmapped write: BAD_ADDRESS");
  tb_rd_expect(EDGECIM_REG_CMD_W_ADDR, 0x1000, ~0u, "unaligned write left CMD_W_ADDR alone");
  tb_wr(0xFC, 0xFFFFFFFFu);
  tb_wr(0x3C, 0xFFFFFFFFu);
  tb_wr(0x78, 0xFFFFFFFFu);
  tb_wr(EDGECIM_REG_CMD_PUSH + 1, 1);   /* not CMD_PUSH: nothing queued */
  tb_wr(EDGECIM_REG_LIST_START + 2, 1); /* not LIST_START: no list */
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, ~0u, "unmapped writes: first code kept");
  tb_rd_expect(EDGECIM_REG_MEM_LIMIT, dram_cfg(tb.dram)->size, ~0u, "unmapped writes left MEM_LIMIT alone");
  tb_rd_expect(EDGECIM_REG_STATUS, ERROR, ~0u, "unmapped writes pushed nothing");
  clear_all();
  tb.errors_checked++;
}

/* ----------------------------------------------------------------- the same descriptor pushed twice */
static void pushed_twice(void) {
  tb_begin_group();
  int g = tb_add_gemv(200, tb.cfg.macro_cols + 7, 0, 1, EDGECIM_CMD_FLAGS_BIAS | EDGECIM_CMD_FLAGS_ACCUM,
                      "pushed twice (bias + accumulate)", -1);
  tb.gemvs[g].pushes = 2; /* the expected y adds W x + b twice onto the old y */
  program_at(g, 0, 0, 0, 2);
  tb_wait_and_check(g, g);
  tb_begin_group();
  int h = tb_add_gemv(64, 40, 0, 1, 0, "pushed three times", -1);
  program_at(h, 0, 0, 0, 3);
  tb_wait_and_check(h, h);
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, cmds_expected(), ~0u, "every push counted");
  /* the same descriptor twice in one command list (with ACCUM: applied twice) */
  tb_begin_group();
  int l = tb_add_gemv(150, tb.cfg.macro_cols + 3, 0, 1, EDGECIM_CMD_FLAGS_ACCUM, "twice in a list (accumulate)", -1);
  tb.gemvs[l].pushes = 2;
  uint32_t list = tb_alloc(256);
  action_t *a = tb_push_act(A_SETUP);
  a->gemv = l;
  tb_poke_desc(list, l);
  tb_poke_desc(list + ECIM_DESC_BYTES, l);
  tb_wr(EDGECIM_REG_LIST_ADDR, list);
  tb_wr(EDGECIM_REG_LIST_COUNT, 2);
  a = tb_push_act(A_MARK);
  a->gemv = l;
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb.extra_cmds++;
  tb_wait_and_check(l, l);
  tb_rd_expect(EDGECIM_REG_LIST_DONE, 2, ~0u, "both list entries queued");
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, cmds_expected(), ~0u, "both list entries counted");
}

/* ------------------------------------------------------------- MEM_LIMIT while commands are queued */
static uint32_t end_of(const gemv_t *g) {
  uint64_t rows = (uint64_t)tb.cfg.macro_rows, cols = (uint64_t)tb.cfg.macro_cols;
  uint64_t e = (uint64_t)g->x + ecim_x_bytes((uint64_t)g->K, (uint64_t)g->batch);
  uint64_t y = (uint64_t)g->y + ecim_y_bytes((uint64_t)g->N, cols, (uint64_t)g->batch);
  uint64_t w = (uint64_t)g->w + ecim_w_bytes((uint64_t)g->K, (uint64_t)g->N, rows, cols, (uint64_t)g->wbits);
  if (y > e) e = y;
  if (w > e) e = w;
  return (uint32_t)e;
}

static void mem_limit_while_queued(void) {
  uint32_t lim = dram_cfg(tb.dram)->size;
  tb_begin_group();
  int first = tb.n_gemvs;
  for (int j = 0; j < 3; j++) tb_program(tb_add_gemv(256, 64, 0, 1, 0, "queued, MEM_LIMIT lowered", -1));
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY | (2u << EDGECIM_STATUS_QUEUE_COUNT_LSB), BUSY | (2u << EDGECIM_STATUS_QUEUE_COUNT_LSB),
               "commands running and queued");
  tb_wr(EDGECIM_REG_MEM_LIMIT, 0);
  tb_rd_expect(EDGECIM_REG_MEM_LIMIT, 0, ~0u, "MEM_LIMIT lowered while commands run");
  tb_bad_desc(0x1000, 0x1000, 0x1000, 0, 16, 16, 0, EDGECIM_ERR_OUT_OF_RANGE, "push after MEM_LIMIT = 0");
  tb_wait_and_check(first, tb.n_gemvs - 1); /* the queued commands ran to completion, correctly */
  tb_wr(EDGECIM_REG_MEM_LIMIT, lim);

  /* each buffer (W, X, Y, bias) in turn ending exactly at MEM_LIMIT is accepted; one byte lower
   * and the descriptor is refused (the buffer is moved to the top of the heap) */
  static const char *const which[] = {"W ends at MEM_LIMIT", "X ends at MEM_LIMIT", "Y ends at MEM_LIMIT",
                                      "bias ends at MEM_LIMIT"};
  for (int b = 0; b < 4; b++) {
    tb_begin_group();
    int g = tb_add_gemv(300, 50, 0, 1, EDGECIM_CMD_FLAGS_BIAS, which[b], -1);
    gemv_t *gg = &tb.gemvs[g];
    uint32_t cols = (uint32_t)tb.cfg.macro_cols, end;
    if (b == 0) {
      uint32_t n = (uint32_t)ecim_dev_bytes(&tb.geom, gg->K, gg->N, gg->wbits);
      gg->w = tb_alloc(n), end = gg->w + n;
    } else if (b == 1) {
      uint32_t n = (uint32_t)ecim_x_bytes((uint64_t)gg->K, (uint64_t)gg->batch);
      gg->x = tb_alloc(n), end = gg->x + n;
    } else if (b == 2) {
      uint32_t n = (uint32_t)ecim_y_bytes((uint64_t)gg->N, cols, (uint64_t)gg->batch);
      gg->y = tb_alloc(n + TB_GUARD), end = gg->y + n; /* the guard after y is past MEM_LIMIT: never written */
    } else {
      uint32_t n = (uint32_t)ecim_b_bytes((uint64_t)gg->N, cols);
      gg->b = tb_alloc(n), end = gg->b + n;
    }
    tb_wr(EDGECIM_REG_MEM_LIMIT, end - 1);
    tb_bad_desc(gg->w, gg->x, gg->y, gg->b, 300, 50, EDGECIM_CMD_FLAGS_BIAS, EDGECIM_ERR_OUT_OF_RANGE,
                "a buffer one byte past MEM_LIMIT");
    tb_wr(EDGECIM_REG_MEM_LIMIT, end);
    tb_program(g);
    tb_wait_and_check(g, g);
    tb_wr(EDGECIM_REG_MEM_LIMIT, lim);
  }

  /* a command list ending exactly at MEM_LIMIT is started; one byte lower and LIST_START is
   * refused (its end: the descriptors rounded up to whole fetch units) */
  tb_begin_group();
  int lg0 = tb_add_gemv(96, 24, 0, 1, 0, "list ending at MEM_LIMIT", -1);
  uint32_t unit = (uint32_t)(tb.cfg.data_bytes > ECIM_DESC_BYTES ? tb.cfg.data_bytes : ECIM_DESC_BYTES);
  uint32_t l0 = tb_alloc(256);
  if (l0 < end_of(&tb.gemvs[lg0])) { /* the heap wrapped: the list is not the highest buffer */
    fprintf(stderr, "top_tb: the list-at-MEM_LIMIT case needs its list above its GEMV's buffers\n");
    exit(2);
  }
  action_t *sa = tb_push_act(A_SETUP);
  sa->gemv = lg0;
  tb_poke_desc(l0, lg0);
  tb_wr(EDGECIM_REG_LIST_ADDR, l0);
  tb_wr(EDGECIM_REG_LIST_COUNT, 1);
  tb_wr(EDGECIM_REG_MEM_LIMIT, l0 + unit - 1);
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_OUT_OF_RANGE, ~0u, "a list one byte past MEM_LIMIT");
  tb_rd_expect(EDGECIM_REG_STATUS, ERROR, ~0u, "no list started");
  clear_all();
  tb.errors_checked++;
  tb_wr(EDGECIM_REG_MEM_LIMIT, l0 + unit);
  sa = tb_push_act(A_MARK);
  sa->gemv = lg0;
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_wait_and_check(lg0, lg0);
  tb_rd_expect(EDGECIM_REG_LIST_DONE, 1, ~0u, "the list ending at MEM_LIMIT ran");
  tb_wr(EDGECIM_REG_MEM_LIMIT, lim);

  /* a list waiting for room in a full queue when MEM_LIMIT drops: its descriptor is checked when
   * it is queued, so it is refused (OUT_OF_RANGE) and the list stops; the queued commands run */
  tb_begin_group();
  first = tb.n_gemvs;
  int k0 = tb.max_k < 1024 ? tb.max_k : 1024;
  tb_program(tb_add_gemv(k0, 8 * tb.cfg.data_bytes, 0, 1, 0, "long, a list waits behind it", -1));
  for (int j = 0; j < tb.cfg.queue_depth; j++) tb_program(tb_add_gemv(256, 64, 0, 1, 0, "queue full, a list waits", -1));
  int last = tb.n_gemvs - 1;
  int lg = tb_add_gemv(64, 16, 0, 1, 0, "list entry refused: MEM_LIMIT lowered", -1);
  uint32_t list = tb_alloc(256);
  tb_poke_desc(list, lg);
  tb_poke_desc(list + ECIM_DESC_BYTES, lg);
  tb.not_run++;
  tb_wr(EDGECIM_REG_LIST_ADDR, list);
  tb_wr(EDGECIM_REG_LIST_COUNT, 2);
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY | LIST, BUSY | LIST | ERROR, "the list waits for room in the queue");
  tb_wr(EDGECIM_REG_MEM_LIMIT, 0x1000);
  wait_check_err(first, last, EDGECIM_ERR_OUT_OF_RANGE, "list entry checked against the lowered MEM_LIMIT");
  tb_rd_expect(EDGECIM_REG_LIST_DONE, 0, ~0u, "no list entry queued");
  tb_wr(EDGECIM_REG_MEM_LIMIT, lim);
}

/* -------------------------------------------------------- below MEM_LIMIT, beyond the DRAM behind it */
static int oor_begin(const action_t *a) {
  tb.oor_ok = 1;
  tb.oor_beats = 0;
  return 0;
}

static int oor_end(const action_t *a) {
  long beats = tb.oor_beats;
  tb.oor_ok = 0;
  tb.oor_beats = 0;
  if (beats != (long)a->val) {
    printf("MISMATCH seed=%" PRIu64 " %s: %ld DRAM beats beyond the memory, expected %u\n", tb.opt.seed, a->what,
           beats, a->val);
    return 1;
  }
  return 0;
}

/* The reads beyond the memory return zeros: W = 0 gives y = 0 (plus the bias, with no weights). */
static int expect_zero_y(const action_t *a) {
  gemv_t *g = &tb.gemvs[a->gemv];
  memset(g->expect, 0, sizeof(int64_t) * (size_t)g->batch * (size_t)g->N);
  return 0;
}

/* The writes beyond the memory are dropped, and the GEMV's own y buffer was never the target. */
static int expect_y_untouched(const action_t *a) {
  const gemv_t *g = &tb.gemvs[a->gemv];
  const uint8_t *y = dram_mem(tb.dram) + g->y;
  uint32_t bytes = (uint32_t)ecim_y_bytes((uint64_t)g->N, (uint64_t)tb.cfg.macro_cols, (uint64_t)g->batch);
  uint32_t stride = (uint32_t)ecim_y_stride((uint64_t)g->N, (uint64_t)tb.cfg.macro_cols);
  for (uint32_t i = 0; i < bytes; i++) /* as tb_setup_gemv left it: y[n] = 0x5A.., the padding 0xA5 */
    if (y[i] != (i % stride < 8u * (uint32_t)g->N ? 0x5A : TB_SENTINEL)) {
      printf("MISMATCH seed=%" PRIu64 " %s: y byte %u written\n", tb.opt.seed, a->what, i);
      return 1;
    }
  tb_release_gemv(&tb.gemvs[a->gemv]);
  return 0;
}

static void beyond_dram(void) {
  const ecim_hw_t *c = &tb.cfg;
  uint32_t size = dram_cfg(tb.dram)->size, lim = size;
  uint32_t beyond = size + 0x100000u; /* 1 MiB past the end of the DRAM model */
  tb_wr(EDGECIM_REG_MEM_LIMIT, 2 * size);
  /* weights beyond the DRAM: every weight beat reads zeros */
  tb_begin_group();
  int g = tb_add_gemv(c->macro_rows + 40, c->macro_cols * c->ntiles + 3, 0, 1, 0, "weights beyond the DRAM", -1);
  gemv_t *gw = &tb.gemvs[g];
  uint32_t wbeats = (uint32_t)(ecim_dev_bytes(&tb.geom, gw->K, gw->N, gw->wbits) / (size_t)c->data_bytes);
  call(oor_begin, g, 0, "weights beyond the DRAM");
  program_at(g, beyond, 0, 0, 1);
  call(expect_zero_y, g, 0, "weights beyond the DRAM: y = 0");
  tb_wait_and_check(g, g);
  call(oor_end, g, wbeats, "weights beyond the DRAM");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "no error: the accelerator cannot see it");

  /* y beyond the DRAM: every y beat is dropped; the command completes */
  tb_begin_group();
  int h = tb_add_gemv(100, 2 * c->macro_cols + 1, 0, 2 <= c->max_batch ? 2 : 1, 0, "y beyond the DRAM", -1);
  gemv_t *gy = &tb.gemvs[h];
  uint32_t yb = (uint32_t)ecim_n_nb((uint64_t)gy->N, (uint64_t)c->macro_cols);
  uint32_t ybeats = (uint32_t)gy->batch *
                    ((yb - 1) * (uint32_t)(c->macro_cols * 8 / c->data_bytes) +
                     ((uint32_t)(gy->N - (int)(yb - 1) * c->macro_cols) * 8 + (uint32_t)c->data_bytes - 1) /
                         (uint32_t)c->data_bytes);
  call(oor_begin, h, 0, "y beyond the DRAM");
  program_at(h, 0, 0, beyond + 0x10000u, 1);
  tb_push_act(A_WAIT_IDLE);
  call(oor_end, h, ybeats, "y beyond the DRAM");
  call(expect_y_untouched, h, 0, "y beyond the DRAM: own y untouched");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "no error");

  /* a command list beyond the DRAM: one fetch unit of zeros, whose first descriptor is a GEMV with
   * K = 0 (ZERO_SIZE); the list stops there, nothing is queued */
  uint32_t unit = (uint32_t)(c->data_bytes > ECIM_DESC_BYTES ? c->data_bytes : ECIM_DESC_BYTES);
  call(oor_begin, -1, 0, "a list beyond the DRAM");
  tb_wr(EDGECIM_REG_LIST_ADDR, beyond + 0x20000u);
  tb_wr(EDGECIM_REG_LIST_COUNT, 3);
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_push_act(A_WAIT_IDLE);
  call(oor_end, -1, unit / (uint32_t)c->data_bytes, "a list beyond the DRAM");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_ZERO_SIZE, ~0u, "a list beyond the DRAM: zeros are K = 0");
  tb_rd_expect(EDGECIM_REG_LIST_DONE, 0, ~0u, "a list beyond the DRAM: nothing queued");
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, cmds_expected(), ~0u, "a list beyond the DRAM: nothing ran");
  clear_all();
  tb.errors_checked++;
  tb_wr(EDGECIM_REG_MEM_LIMIT, lim);
}

/* ------------------------------------------------------------------------ errors in a row, CLEAR_ERR */
static void errors_in_a_row(void) {
  uint32_t b0 = 0x1000;
  /* two refused descriptors back to back: the first code stays */
  tb_wr(EDGECIM_REG_CMD_W_ADDR, b0);
  tb_wr(EDGECIM_REG_CMD_X_ADDR, b0);
  tb_wr(EDGECIM_REG_CMD_Y_ADDR, b0);
  tb_wr(EDGECIM_REG_CMD_FLAGS, 0);
  tb_wr(EDGECIM_REG_CMD_N, 16);
  tb_wr(EDGECIM_REG_CMD_K, 0);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);         /* ZERO_SIZE */
  tb_wr(EDGECIM_REG_CMD_K, 16);
  tb_wr(EDGECIM_REG_CMD_W_ADDR, b0 + 16);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);         /* MISALIGNED, the very next cycle after its write */
  tb_rd_expect(0xF0, 0, ~0u, "and an unmapped read");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_ZERO_SIZE, ~0u, "two errors: the first code kept");
  tb_rd_expect(EDGECIM_REG_STATUS, ERROR, ~0u, "STATUS.ERROR, nothing queued");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "CLEAR_ERR");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, IRQ_ERR, "CLEAR_ERR leaves IRQ_STATUS.ERROR");
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);         /* the same bad descriptor again: now its own code */
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_MISALIGNED, ~0u, "after CLEAR_ERR the next error is kept");
  clear_all();
  tb.errors_checked += 3;

  /* an error, then valid commands (accepted while STATUS.ERROR is set), a queue overflow (code
   * not replacing the first), CLEAR_ERR while they are queued: they all run correctly */
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_IRQ_EN);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1); /* still the misaligned descriptor */
  tb_begin_group();
  int first = tb.n_gemvs, n = tb.cfg.queue_depth + 1;
  /* one runs (long enough for the queue to stay full meanwhile), QueueDepth wait */
  int k0 = tb.max_k < 1024 ? tb.max_k : 1024;
  tb_program(tb_add_gemv(k0, 8 * tb.cfg.data_bytes, 0, 1, 0, "long, queued while ERROR", -1));
  for (int j = 1; j < n; j++)
    tb_program(tb_add_gemv(128 + 64 * j, 48, 0, 1, j & 1 ? EDGECIM_CMD_FLAGS_BIAS : 0, "queued while ERROR", -1));
  tb_wr(EDGECIM_REG_CMD_PUSH, 1); /* the last descriptor again: the queue is full */
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_MISALIGNED, ~0u, "first code kept over QUEUE_OVERFLOW");
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY | ERROR, BUSY | ERROR, "busy with an error held");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR | EDGECIM_CTRL_IRQ_EN);
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY, BUSY | ERROR, "CLEAR_ERR with commands queued: still busy, no error");
  tb_rd_expect(EDGECIM_REG_CTRL, EDGECIM_CTRL_IRQ_EN, ~0u, "CLEAR_ERR | IRQ_EN keeps IRQ_EN");
  tb_wr(EDGECIM_REG_CMD_PUSH, 1); /* full queue again: QUEUE_OVERFLOW is now the code */
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_QUEUE_OVERFLOW, ~0u, "QUEUE_OVERFLOW after CLEAR_ERR");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR | EDGECIM_CTRL_IRQ_EN);
  tb_wait_and_check(first, tb.n_gemvs - 1);
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_DONE | IRQ_ERR | IRQ_IDLE, ~0u, "DONE, ERROR and IDLE all pending");
  clear_all();
  tb_wr(EDGECIM_REG_CTRL, 0);
  tb.errors_checked += 2;
}

/* v3's errors in a row: a vector-op word in a GEMV (BAD_OP), then CMD_PUSH and LIST_START while a
 * list is fetched (LIST_BUSY, not kept over BAD_OP), CLEAR_ERR while the list is fetched (it goes
 * on), then LIST_BUSY is the code; an undefined CMD_OP and a wrong CMD_W_BYTES back to back. */
static void v3_errors_in_a_row(void) {
  uint32_t b0 = 0x1000;
  uint32_t d[TB_DESC_WORDS] = {b0, b0, b0, 0, 300, 70, 0, ECIM_CMD_OP_GEMV};
  d[10] = 5; /* P0 in a GEMV */
  tb_write_desc(d);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  d[10] = 0;
  d[7] = 12; /* an undefined op */
  tb_write_desc(d);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  d[7] = ECIM_CMD_OP_GEMV;
  d[13] = 256; /* not the packed size */
  tb_write_desc(d);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_OP, ~0u, "BAD_OP, BAD_OP, BAD_WSIZE: the first kept");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_WSIZE, ~0u, "after CLEAR_ERR: BAD_WSIZE");
  tb_rd_expect(EDGECIM_REG_STATUS, ERROR, ~0u, "nothing queued");
  clear_all();
  tb.errors_checked += 3;

  /* a list of 4 while an error is held (it runs), a CMD_PUSH and a LIST_START during its fetch
   * (LIST_BUSY does not replace the held code), CLEAR_ERR during the fetch (the list goes on),
   * LIST_ADDR and LIST_COUNT rewritten during the fetch (the running list is not affected) */
  tb_rd_expect(0xA8, 0, ~0u, "an unmapped read: BAD_ADDRESS held");
  tb_begin_group();
  int n = 4, first = tb.n_gemvs;
  uint32_t list = tb_alloc((uint32_t)ecim_round_up(n * ECIM_DESC_BYTES, ECIM_MAX_PORT));
  for (int j = 0; j < n; j++) {
    int gi = tb_add_gemv(200 + 50 * j, 60, 0, 1, j & 1 ? EDGECIM_CMD_FLAGS_BIAS : 0, "list while errors", -1);
    action_t *a = tb_push_act(A_SETUP);
    a->gemv = gi;
    tb_poke_desc(list + (uint32_t)j * ECIM_DESC_BYTES, gi);
  }
  tb_wr(EDGECIM_REG_LIST_ADDR, list);
  tb_wr(EDGECIM_REG_LIST_COUNT, (uint32_t)n);
  action_t *a = tb_push_act(A_MARK);
  a->gemv = first;
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb_wr(EDGECIM_REG_LIST_ADDR, TB_HEAP_BASE);
  tb_wr(EDGECIM_REG_LIST_COUNT, 1);
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_BAD_ADDRESS, ~0u, "LIST_BUSY twice: the held code stays");
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY | LIST | ERROR, BUSY | LIST | ERROR, "the list runs with an error held");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_rd_expect(EDGECIM_REG_STATUS, BUSY | LIST, BUSY | LIST | ERROR, "CLEAR_ERR during the fetch: it goes on");
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, EDGECIM_ERR_LIST_BUSY, ~0u, "LIST_START while fetched: LIST_BUSY");
  tb_push_act(A_WAIT_IDLE);
  tb_rd_expect(EDGECIM_REG_LIST_DONE, (uint32_t)n, ~0u, "the whole first list queued");
  tb_rd_expect(EDGECIM_REG_LIST_COUNT, 1, ~0u, "LIST_COUNT as rewritten");
  clear_all();
  for (int gi = first; gi < first + n; gi++) {
    action_t *ck = tb_push_act(A_CHECK);
    ck->gemv = gi;
  }
  tb.errors_checked += 3;
}

/* LIST_START while commands pushed with CMD_PUSH run and are queued: accepted, the list's
 * descriptors queue behind them and everything runs in order; a CMD_PUSH after the list ends is
 * accepted again. */
static void list_while_busy(void) {
  tb_begin_group();
  int first = tb.n_gemvs, n = 3;
  tb_program(tb_add_gemv(400, 80, 0, 1, 0, "pushed, then a list", -1));
  tb_program(tb_add_gemv(100, 30, 0, 1, EDGECIM_CMD_FLAGS_BIAS, "pushed, then a list", -1));
  uint32_t list = tb_alloc(256);
  int l0 = tb.n_gemvs;
  for (int j = 0; j < n; j++) {
    int gi = tb_add_gemv(64 + 32 * j, 20 + j, 0, 1, 0, "list behind pushed commands", -1);
    action_t *a = tb_push_act(A_SETUP);
    a->gemv = gi;
    tb_poke_desc(list + (uint32_t)j * ECIM_DESC_BYTES, gi);
  }
  tb_wr(EDGECIM_REG_LIST_ADDR, list);
  tb_wr(EDGECIM_REG_LIST_COUNT, (uint32_t)n);
  action_t *a = tb_push_act(A_MARK);
  a->gemv = l0;
  tb_wr(EDGECIM_REG_LIST_START, 1);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "LIST_START while commands run: accepted");
  tb_push_act(A_WAIT_IDLE);
  tb_rd_expect(EDGECIM_REG_LIST_DONE, (uint32_t)n, ~0u, "the list queued behind");
  tb_program(tb_add_gemv(50, 10, 0, 1, 0, "pushed after the list", -1));
  tb_wait_and_check(first, tb.n_gemvs - 1);
}

void tb_abuse_scenario(void) {
  read_only_and_unmapped();
  pushed_twice();
  mem_limit_while_queued();
  beyond_dram();
  errors_in_a_row();
  v3_errors_in_a_row();
  list_while_busy();
  /* the 8-bit MMIO address: 0x140 is CMD_W_ADDR (0x40) */
  tb_wr(0x100 | EDGECIM_REG_CMD_W_ADDR, 0x12345600u);
  tb_rd_expect(EDGECIM_REG_CMD_W_ADDR, 0x12345600u, ~0u, "the register file decodes addr[7:0]");
}
