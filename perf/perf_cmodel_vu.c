/* SPDX-License-Identifier: Apache-2.0 */
/* One vector op on the cycle-exact C model: its descriptor and buffers as the firmware's step
 * list lays them out (docs/VECTOR_UNIT.md), the KV region for the appends. See perf_cmodel.h. */
#include <stdio.h>
#include <string.h>

#include "edgecim_regs.h"
#include "perf_cmodel.h"
#include "perf_vu.h"

static uint32_t r256(uint64_t b) { return (uint32_t)((b + 255) / 256 * 256); }
static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

/* Bytes of one output segment of LEN elements in format fmt. */
static uint64_t out_seg(int fmt, uint64_t len) {
  return fmt == ECIM_VU_FMT_Q24 ? len * 8 : fmt == ECIM_VU_FMT_F32 ? len * 4 : ecim_x_stride(len);
}

typedef struct {
  uint64_t at;
} alloc_t;
static uint32_t take(alloc_t *a, uint64_t bytes) {
  uint32_t r = (uint32_t)a->at;
  a->at += (bytes + 0xFFFF) / 0x10000 * 0x10000 + 0x10000; /* 64 KiB apart */
  return r;
}

int perf_cm_vop(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_vop_t *op, perf_cm_result_t *res,
                char *err, size_t errlen) {
  if (perf_vu_check(hw, op, err, errlen)) return -1;
  perf_cm_cmd_t c;
  memset(&c, 0, sizeof c);
  ecim_desc_t *d = &c.desc;
  alloc_t a = {0x10000};
  const uint64_t len = (uint64_t)op->len, n = (uint64_t)op->count, es = op->x_f32 ? 4 : 8;
  const uint64_t rows = (uint64_t)hw->macro_rows, cols = (uint64_t)hw->macro_cols, cap = (uint64_t)op->cap;
  d->op = (uint32_t)op->op;
  d->k = (uint32_t)len;
  d->n = (uint32_t)n;
  d->flags = (op->x_f32 ? EDGECIM_VU_FLAGS_X_F32 : 0) | (uint32_t)op->out_fmt << EDGECIM_VU_FLAGS_OUT_FMT_LSB;
  c.pos = (uint32_t)op->pos;
  switch (op->op) {
    case ECIM_CMD_OP_EMBED:
      d->flags = 0;
      d->stride = r256(ecim_x_stride(len));
      d->p0 = 4; /* vocabulary rows */
      d->w_addr = take(&a, 4 * (uint64_t)d->stride);
      d->y_addr = take(&a, len * 8);
      break;
    case ECIM_CMD_OP_NORM:
      d->stride = r256(len * es);
      d->dstride = r256(out_seg(op->out_fmt, len));
      d->p0 = f32_bits(1e-6f);
      d->p1 = f32_bits(1.0f / (float)len);
      d->w_addr = take(&a, n * d->stride);
      d->x_addr = take(&a, len * 4);
      d->y_addr = take(&a, n * d->dstride);
      break;
    case ECIM_CMD_OP_ROPE:
      d->stride = r256(len * es);
      d->dstride = r256(out_seg(op->out_fmt, len));
      d->p0 = (uint32_t)cap;
      d->p1 = r256(len * 4);
      d->w_addr = take(&a, n * d->stride);
      d->x_addr = take(&a, cap * d->p1);
      d->y_addr = take(&a, n * d->dstride);
      break;
    case ECIM_CMD_OP_SOFTMAX:
      d->flags = (uint32_t)ECIM_VU_FMT_QX << EDGECIM_VU_FLAGS_OUT_FMT_LSB | (op->vscale ? EDGECIM_VU_FLAGS_VSCALE : 0);
      d->p0 = f32_bits(0.125f);
      d->w_addr = take(&a, n * ecim_y_stride(len, cols));
      if (op->vscale) d->x_addr = take(&a, len * 4);
      d->y_addr = take(&a, n * ecim_x_stride(len));
      break;
    case ECIM_CMD_OP_GATE:
      d->stride = r256(len * es);
      d->dstride = r256(out_seg(op->out_fmt, len));
      d->w_addr = take(&a, n * d->stride);
      d->x_addr = take(&a, n * d->stride);
      d->y_addr = take(&a, n * d->dstride);
      break;
    case ECIM_CMD_OP_QUANT:
      d->stride = r256(len * es);
      d->w_addr = take(&a, n * d->stride);
      if (op->concat) {
        d->flags |= EDGECIM_VU_FLAGS_CONCAT;
        d->y_addr = take(&a, ecim_x_stride(len * n));
      } else {
        d->dstride = r256(out_seg(op->out_fmt, len));
        d->y_addr = take(&a, n * d->dstride);
      }
      break;
    case ECIM_CMD_OP_KAPPEND:
      d->flags = op->qx_in ? EDGECIM_VU_FLAGS_QX_IN : d->flags & EDGECIM_VU_FLAGS_X_F32;
      d->stride = op->qx_in ? r256(ecim_x_stride(len)) : r256(len * es);
      d->dstride = r256(ecim_kv_k_bytes(cap, len, rows, cols));
      d->p0 = (uint32_t)cap;
      d->w_addr = take(&a, n * d->stride);
      c.kv_base = (uint32_t)a.at;
      d->y_addr = take(&a, n * d->dstride);
      c.kv_limit = (uint32_t)a.at;
      break;
    default: /* VAPPEND */
      d->flags &= EDGECIM_VU_FLAGS_X_F32;
      d->stride = r256(len * es);
      d->dstride = r256(ecim_kv_v_bytes(cap, len, rows, cols));
      d->p0 = (uint32_t)cap;
      d->p1 = r256(cap * 4);
      d->w_addr = take(&a, n * d->stride);
      c.kv_base = (uint32_t)a.at;
      d->y_addr = take(&a, n * d->dstride);
      d->x_addr = take(&a, n * d->p1);
      c.kv_limit = (uint32_t)a.at;
      break;
  }
  if (a.at > UINT32_MAX) {
    snprintf(err, errlen, "vector op %d: buffers beyond 4 GiB", op->op);
    return -1;
  }
  c.mem_bytes = (uint32_t)a.at;
  return perf_cm_run(hw, dram, &c, res, err, errlen);
}
