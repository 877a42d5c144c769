/* SPDX-License-Identifier: Apache-2.0 */
/* Register abuse in the top co-simulation (issue 11, item 2): what software must not do, and what
 * the hardware does when it does (docs/REGISTERS.md, "Misuse"). Every access here runs on the RTL
 * and the C model at once and every output of every cycle is compared, so a read whose value is not
 * checked (mask 0) is still checked to be the same on both.
 *   - writes to every read-only register (ignored, no error), a read of write-only CMD_PUSH (0, no
 *     push, no error), reads and writes of unmapped addresses (BAD_ADDRESS; reads return 0; a write
 *     changes nothing), the 8-bit address bus (0x140 is 0x40);
 *   - the same descriptor pushed twice (it runs twice: with ACCUM the second adds onto the first's y);
 *   - MEM_LIMIT lowered while commands are queued and running (they were checked when pushed: they
 *     run and finish correctly), a buffer ending exactly at MEM_LIMIT (accepted) or one byte past;
 *   - descriptors below MEM_LIMIT but past the DRAM behind the port (the accelerator cannot tell: the
 *     command runs to completion; the DRAM model reads zeros and drops writes, and reports each such
 *     beat, which this scenario expects and counts);
 *   - two errors back to back (the first code is kept until CTRL.CLEAR_ERR), an error while
 *     commands are queued (they still run; a valid descriptor is still accepted while STATUS.ERROR
 *     is set), CLEAR_ERR with commands queued (clears ERR_CODE only; IRQ_STATUS.ERROR stays until
 *     written 1; CTRL is written whole, so CLEAR_ERR without IRQ_EN also clears IRQ_EN). */
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
  tb_wr(EDGECIM_REG_IRQ_STATUS, IRQ_DONE | IRQ_ERR);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "error cleared");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, ~0u, "IRQ_STATUS cleared");
}

/* Programs a GEMV's descriptor with some addresses replaced (0: the GEMV's own), and pushes it
 * `pushes` times. The GEMV's buffers are set up as usual (A_SETUP) at its own addresses. */
static void program_at(int gi, uint32_t w, uint32_t x, uint32_t y, int pushes) {
  const gemv_t *g = &tb.gemvs[gi];
  action_t *a = tb_push_act(A_SETUP);
  a->gemv = gi;
  tb_wr(EDGECIM_REG_CMD_W_ADDR, w ? w : g->w);
  tb_wr(EDGECIM_REG_CMD_X_ADDR, x ? x : g->x);
  tb_wr(EDGECIM_REG_CMD_Y_ADDR, y ? y : g->y);
  tb_wr(EDGECIM_REG_CMD_B_ADDR, g->b);
  tb_wr(EDGECIM_REG_CMD_K, (uint32_t)g->K);
  tb_wr(EDGECIM_REG_CMD_N, (uint32_t)g->N);
  tb_wr(EDGECIM_REG_CMD_FLAGS, g->flags);
  a = tb_push_act(A_MARK);
  a->gemv = gi;
  for (int p = 0; p < pushes; p++) tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb.extra_cmds += pushes - 1;
}

/* ------------------------------------------------------------------- read-only, write-only, unmapped */
static void read_only_and_unmapped(void) {
  const ecim_hw_t *c = &tb.cfg;
  static const uint32_t ro[] = {EDGECIM_REG_ID,        EDGECIM_REG_HWCFG,     EDGECIM_REG_HWCFG2,
                                EDGECIM_REG_STATUS,    EDGECIM_REG_ERR_CODE,  EDGECIM_REG_CMDS_DONE,
                                EDGECIM_REG_CYCLES_LO, EDGECIM_REG_CYCLES_HI};
  for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
    tb_wr(ro[i], 0xFFFFFFFFu);
    tb_wr(ro[i], 0);
  }
  tb_rd_expect(EDGECIM_REG_ID, EDGECIM_ID_VALUE, ~0u, "ID after writes");
  tb_rd_expect(EDGECIM_REG_HWCFG, ecim_hwcfg_pack(c), ~0u, "HWCFG after writes");
  tb_rd_expect(EDGECIM_REG_HWCFG2, ecim_hwcfg2_pack(c), ~0u, "HWCFG2 after writes");
  tb_rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "STATUS after writes (idle, no error)");
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, "ERR_CODE after writes: a write does not set it");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, IRQ_ERR, "writes to read-only registers raise no error");
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, (uint32_t)(tb.n_gemvs + tb.extra_cmds), ~0u, "CMDS_DONE after writes");
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

  /* CMD_PUSH reads 0 and does nothing: no command, no error */
  tb_rd_expect(EDGECIM_REG_CMD_PUSH, 0, ~0u, "CMD_PUSH reads 0");
  tb_rd_expect(EDGECIM_REG_STATUS, 0, ~0u, "a read of CMD_PUSH pushes nothing");
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, 0, ~0u, "a read of CMD_PUSH raises nothing");

  /* CTRL: only IRQ_EN is kept; CLEAR_ERR and the undefined bits read 0 */
  tb_wr(EDGECIM_REG_CTRL, 0xFFFFFFFFu);
  tb_rd_expect(EDGECIM_REG_CTRL, EDGECIM_CTRL_IRQ_EN, ~0u, "CTRL reads IRQ_EN only");
  tb_wr(EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR);
  tb_rd_expect(EDGECIM_REG_CTRL, 0, ~0u, "CTRL is written whole: CLEAR_ERR alone clears IRQ_EN");
  /* IRQ_STATUS: writing 0 clears nothing, DONE alone leaves ERROR */
  tb_rd_expect(0x30, 0, ~0u, "unmapped 0x30 reads 0");
  tb_wr(EDGECIM_REG_IRQ_STATUS, 0);
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, IRQ_ERR, "IRQ_STATUS write of 0 clears nothing");
  tb_wr(EDGECIM_REG_IRQ_STATUS, IRQ_DONE);
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_ERR, ~0u, "IRQ_STATUS write 1 to DONE leaves ERROR");
  clear_all();

  /* unmapped reads: 0 and BAD_ADDRESS, each; the gap 0x2C..0x3C, past CMD_PUSH, and unaligned */
  static const uint32_t gaps[] = {0x2C, 0x3C, 0x60, 0x80, 0xFC, 0x01, 0x42, 0x5F};
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
  tb_rd_expect(EDGECIM_REG_CMDS_DONE, (uint32_t)(tb.n_gemvs + tb.extra_cmds), ~0u, "every push counted");
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

  /* a buffer ending exactly at MEM_LIMIT is accepted; one byte lower and it is refused */
  tb_begin_group();
  int g = tb_add_gemv(300, 50, 0, 1, 0, "ends at MEM_LIMIT", -1);
  uint32_t end = end_of(&tb.gemvs[g]);
  tb_wr(EDGECIM_REG_MEM_LIMIT, end - 1);
  tb_bad_desc(tb.gemvs[g].w, tb.gemvs[g].x, tb.gemvs[g].y, 0, 300, 50, 0, EDGECIM_ERR_OUT_OF_RANGE,
              "a buffer one byte past MEM_LIMIT");
  tb_wr(EDGECIM_REG_MEM_LIMIT, end);
  tb_program(g);
  tb_wait_and_check(g, g);
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
  tb_rd_expect(EDGECIM_REG_IRQ_STATUS, IRQ_DONE | IRQ_ERR, ~0u, "DONE and ERROR both pending");
  clear_all();
  tb_wr(EDGECIM_REG_CTRL, 0);
  tb.errors_checked += 2;
}

void tb_abuse_scenario(void) {
  read_only_and_unmapped();
  pushed_twice();
  mem_limit_while_queued();
  beyond_dram();
  errors_in_a_row();
  /* the 8-bit MMIO address: 0x140 is CMD_W_ADDR (0x40) */
  tb_wr(0x100 | EDGECIM_REG_CMD_W_ADDR, 0x12345600u);
  tb_rd_expect(EDGECIM_REG_CMD_W_ADDR, 0x12345600u, ~0u, "the register file decodes addr[7:0]");
}
