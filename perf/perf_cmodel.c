/* SPDX-License-Identifier: Apache-2.0 */
/* One GEMV on the cycle-exact C model: see perf_cmodel.h. */
#include "perf_cmodel.h"

#include <stdio.h>
#include <string.h>

#include "dram_model.h"
#include "edgecim_model.h"
#include "edgecim_regs.h"

#define CMD_WORDS 14 /* the descriptor registers CMD_W_ADDR .. CMD_W_BYTES */
#define REGION(bytes) (((bytes) + 0xFFFFu) & ~(uint64_t)0xFFFFu) /* 64 KiB apart: aligned */

static uint32_t cmd_flags(const perf_cmd_t *c) {
  uint32_t f = (uint32_t)c->wbits << EDGECIM_CMD_FLAGS_WBITS_LSB |
               (uint32_t)(c->batch - 1) << EDGECIM_CMD_FLAGS_BATCH_M1_LSB;
  if (c->bias) f |= EDGECIM_CMD_FLAGS_BIAS;
  if (c->accum) f |= EDGECIM_CMD_FLAGS_ACCUM;
  if (c->resident) f |= EDGECIM_CMD_FLAGS_RES_USE;
  if (c->full_blk) f |= EDGECIM_CMD_FLAGS_FULL_BLK;
  return f;
}

/* The descriptor's buffers one after the other from 64 KiB; returns the DRAM size they need. */
static uint64_t place(const ecim_hw_t *hw, const perf_cmd_t *c, uint32_t addr[4]) {
  uint64_t k = (uint64_t)c->k, n = (uint64_t)c->n, cols = (uint64_t)hw->macro_cols;
  uint64_t rows = (uint64_t)hw->macro_rows, wb = (uint64_t)c->wbits;
  uint64_t w = c->full_blk ? ecim_n_nb(n, cols) * ecim_full_colblock_bytes(k, rows, cols, wb) : ecim_w_bytes(k, n, rows, cols, wb);
  uint64_t sizes[4] = {w,
                       ecim_x_bytes(k, (uint64_t)c->batch), ecim_y_bytes(n, cols, (uint64_t)c->batch),
                       ecim_b_bytes(n, cols)};
  uint64_t at = 0x10000;
  for (int i = 0; i < 4; i++) {
    addr[i] = (uint32_t)at;
    at += REGION(sizes[i]);
  }
  return at;
}

static int mmio_write(ecim_top_t *t, dram_model_t *d, uint32_t addr, uint32_t v) {
  return ecim_top_run_cycle(t, d, 1, 1, addr, v, NULL);
}

/* Writes the setup registers and the descriptor, pushes it and counts the cycles until idle. */
static int run(ecim_top_t *t, dram_model_t *d, const perf_cm_cmd_t *c, perf_cm_result_t *res, char *err,
               size_t errlen) {
  uint32_t w[ECIM_DESC_WORDS];
  ecim_desc_to_words(&c->desc, w);
  int rc = mmio_write(t, d, EDGECIM_REG_MEM_LIMIT, c->mem_bytes);
  if (c->kv_limit) {
    rc |= mmio_write(t, d, EDGECIM_REG_KV_BASE, c->kv_base);
    rc |= mmio_write(t, d, EDGECIM_REG_KV_LIMIT, c->kv_limit);
  }
  rc |= mmio_write(t, d, EDGECIM_REG_TOKEN_POS, c->pos);
  rc |= mmio_write(t, d, EDGECIM_REG_TOKEN_ID, c->token);
  for (int i = 0; i < CMD_WORDS; i++) rc |= mmio_write(t, d, EDGECIM_REG_CMD_W_ADDR + 4u * (uint32_t)i, w[i]);
  dram_stats_t s0 = dram_stats(d);
  rc |= mmio_write(t, d, EDGECIM_REG_CMD_PUSH, 1);
  ecim_top_out_t o;
  uint64_t cyc = 0;
  do {
    rc |= ecim_top_run_cycle(t, d, 0, 0, 0, 0, &o);
    cyc++;
  } while (!rc && (o.busy || o.mem.req_valid || cyc < 3) && cyc < (UINT64_C(1) << 34));
  uint32_t code = 0;
  ecim_top_run_cycle(t, d, 1, 0, EDGECIM_REG_ERR_CODE, 0, NULL);
  ecim_top_run_cycle(t, d, 0, 0, 0, 0, &o);
  code = o.mmio_rdata & 0xF;
  if (rc || code) {
    snprintf(err, errlen, "C model: %s", rc ? dram_error(d) : "descriptor refused");
    if (code) snprintf(err, errlen, "C model: descriptor refused with error code %u", code);
    return -1;
  }
  dram_stats_t s1 = dram_stats(d);
  res->cycles = cyc;
  res->bytes_read = s1.bytes_read - s0.bytes_read;
  res->beats_written = s1.beats_written - s0.beats_written;
  return 0;
}

int perf_cm_run(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cm_cmd_t *cmd, perf_cm_result_t *res,
                char *err, size_t errlen) {
  if (ecim_hw_check(hw, err, errlen)) return -1;
  dram_cfg_t dc = {cmd->mem_bytes, hw->data_bytes, dram->bytes_per_cycle, (int)dram->latency,
                   (int)dram->stall_pct, dram->queue_depth, 1, dram->posted_writes};
  if (dram_cfg_check(&dc, err, errlen)) return -1;
  ecim_top_t *t = ecim_top_new(hw);
  dram_model_t *d = dram_new(&dc);
  int rc = -1;
  if (!t || !d) snprintf(err, errlen, "C model: out of memory");
  else rc = run(t, d, cmd, res, err, errlen);
  ecim_top_free(t);
  dram_free(d);
  return rc;
}

int perf_cm_gemv(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cmd_t *cmd, perf_cm_result_t *res,
                 char *err, size_t errlen) {
  uint32_t addr[4];
  uint64_t size = place(hw, cmd, addr);
  if (size > UINT32_MAX - 0xFFFFu) {
    snprintf(err, errlen, "GEMV %dx%d needs %llu bytes of DRAM (more than 4 GiB)", cmd->k, cmd->n,
             (unsigned long long)size);
    return -1;
  }
  perf_cm_cmd_t c = {{0}, (uint32_t)size, 0, 0, 0, 0};
  c.desc.w_addr = addr[0];
  c.desc.x_addr = addr[1];
  c.desc.y_addr = addr[2];
  c.desc.b_addr = addr[3];
  c.desc.k = (uint32_t)cmd->k;
  c.desc.n = (uint32_t)cmd->n;
  c.desc.flags = cmd_flags(cmd);
  return perf_cm_run(hw, dram, &c, res, err, errlen);
}
