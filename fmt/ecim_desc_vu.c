/* SPDX-License-Identifier: Apache-2.0 */
/* The register file's checks of a vector op (docs/VECTOR_UNIT.md, "Errors"): which words and
 * flags each op takes, the shapes the unit can run, alignment, ranges, the token and the KV
 * region. rtl/edgecim_desc_check.sv computes the same verdict. Every end fits 64 bits: the counts
 * and lengths are checked before the ranges. */
#include "ecim_desc.h"
#include "edgecim_regs.h"

#define VFLAG(f, name) ((f) >> EDGECIM_VU_FLAGS_##name##_LSB & EDGECIM_VU_FLAGS_##name##_MASK)
#define VBIT(name) (EDGECIM_VU_FLAGS_##name##_MASK << EDGECIM_VU_FLAGS_##name##_LSB)

/* Descriptor words an op uses (any other must be 0). */
enum { U_SRC1 = 1, U_STRIDE = 2, U_DSTRIDE = 4, U_P0 = 8, U_P1 = 16 };

typedef struct {
  unsigned words;  /* U_* */
  uint32_t flags;  /* VU_FLAGS bits it takes */
} vu_op_use_t;

static vu_op_use_t op_use(unsigned op) {
  const uint32_t fmt = VBIT(OUT_FMT), x = VBIT(X_F32);
  switch (op) {
    case ECIM_CMD_OP_EMBED: return (vu_op_use_t){U_STRIDE | U_P0, 0};
    case ECIM_CMD_OP_NORM: return (vu_op_use_t){U_SRC1 | U_STRIDE | U_DSTRIDE | U_P0 | U_P1, x | fmt};
    case ECIM_CMD_OP_ROPE: return (vu_op_use_t){U_SRC1 | U_STRIDE | U_DSTRIDE | U_P0 | U_P1, x | fmt | VBIT(NEOX)};
    case ECIM_CMD_OP_SOFTMAX: return (vu_op_use_t){U_SRC1 | U_P0, fmt | VBIT(LEN_POS) | VBIT(VSCALE)};
    case ECIM_CMD_OP_GATE: return (vu_op_use_t){U_SRC1 | U_STRIDE | U_DSTRIDE, x | fmt | VBIT(GATE)};
    case ECIM_CMD_OP_QUANT: return (vu_op_use_t){U_STRIDE | U_DSTRIDE, x | fmt | VBIT(CONCAT)};
    case ECIM_CMD_OP_KAPPEND: return (vu_op_use_t){U_STRIDE | U_DSTRIDE | U_P0, x | VBIT(QX_IN)};
    default: return (vu_op_use_t){U_SRC1 | U_STRIDE | U_DSTRIDE | U_P0 | U_P1, x}; /* VAPPEND */
  }
}

static int unused_word_set(const ecim_cand_t *c, unsigned use) {
  int src1_used = (use & U_SRC1) && !(c->op == ECIM_CMD_OP_SOFTMAX && !VFLAG(c->flags, VSCALE));
  int dstride_used = (use & U_DSTRIDE) && !VFLAG(c->flags, CONCAT);
  return (!src1_used && c->x_addr) || c->b_addr || (!(use & U_STRIDE) && c->stride) ||
         (!dstride_used && c->dstride) || (!(use & U_P0) && c->p0) || (!(use & U_P1) && c->p1) || c->p2 ||
         c->w_bytes;
}

static int bad_flags(const ecim_cand_t *c, uint32_t allowed) {
  unsigned fmt = VFLAG(c->flags, OUT_FMT);
  if (c->flags & ~allowed) return 1;
  if (fmt == 3 || VFLAG(c->flags, GATE) == 3) return 1;
  if (c->op == ECIM_CMD_OP_SOFTMAX && fmt != ECIM_VU_FMT_QX) return 1;
  if (VFLAG(c->flags, CONCAT) && fmt != ECIM_VU_FMT_QX) return 1;
  return VFLAG(c->flags, QX_IN) && VFLAG(c->flags, X_F32);
}

/* Bytes of one output segment. */
static uint64_t out_bytes(const ecim_cand_t *c, uint64_t len) {
  switch (VFLAG(c->flags, OUT_FMT)) {
    case ECIM_VU_FMT_Q24: return len * 8;
    case ECIM_VU_FMT_F32: return len * 4;
    default: return ecim_x_stride(len);
  }
}

static int qx_scales_fit(const ecim_hw_t *h, const ecim_cand_t *c, uint64_t len) {
  int qx = c->op == ECIM_CMD_OP_SOFTMAX || VFLAG(c->flags, OUT_FMT) == ECIM_VU_FMT_QX;
  if (c->op == ECIM_CMD_OP_KAPPEND || c->op == ECIM_CMD_OP_VAPPEND || c->op == ECIM_CMD_OP_EMBED) qx = 0;
  uint64_t total = VFLAG(c->flags, CONCAT) ? len * c->n : len;
  return !qx || ecim_kp(total) / 16 <= (uint64_t)h->vec_bank_bytes;
}

static int bad_shape(const ecim_hw_t *h, const ecim_cand_t *c) {
  uint64_t len = c->k, ce = ecim_chunk((uint64_t)h->vec_bank_bytes), lanes = (uint64_t)h->vec_lanes;
  if (c->n > ECIM_MAX_SEGS || !qx_scales_fit(h, c, len)) return 1;
  if (VFLAG(c->flags, CONCAT) && (len % 32 || len * c->n > ECIM_MAX_K)) return 1;
  switch (c->op) {
    case ECIM_CMD_OP_EMBED:
      return c->n != 1 || ecim_kp(len) / 16 > (uint64_t)h->vec_bank_bytes || c->stride < ecim_x_stride(len);
    case ECIM_CMD_OP_ROPE: return len % 2 || len > ce || (VFLAG(c->flags, NEOX) && len % (2 * lanes));
    case ECIM_CMD_OP_KAPPEND: return len % 32 || len > 256 || len > ce;
    case ECIM_CMD_OP_VAPPEND: return len > 256 || len > ce;
    default: return 0;
  }
}

static int misaligned(const ecim_cand_t *c, unsigned use) {
  uint32_t m = ECIM_ALIGN - 1, a = c->w_addr | c->y_addr | c->stride | c->dstride;
  if (use & U_SRC1) a |= c->x_addr;
  if (c->op == ECIM_CMD_OP_ROPE || c->op == ECIM_CMD_OP_VAPPEND) a |= c->p1;
  return (a & m) != 0;
}

/* The end of `count` segments of `seg` bytes each, `stride` apart, from base. */
static uint64_t segs_end(uint32_t base, uint64_t count, uint64_t stride, uint64_t seg) {
  return (uint64_t)base + (count - 1) * stride + seg;
}

static int out_of_range(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c) {
  uint64_t len = c->k, n = c->n, es = VFLAG(c->flags, X_F32) ? 4 : 8, cols = (uint64_t)h->macro_cols;
  uint64_t src_end, dst_end = 0, src1_end = 0;
  switch (c->op) {
    case ECIM_CMD_OP_EMBED:
      src_end = (uint64_t)c->w_addr + (uint64_t)c->token * c->stride + ecim_x_stride(len);
      dst_end = (uint64_t)c->y_addr + len * 8;
      break;
    case ECIM_CMD_OP_SOFTMAX:
      src_end = (uint64_t)c->w_addr + n * ecim_y_stride(len, cols);
      dst_end = (uint64_t)c->y_addr + n * ecim_x_stride(len);
      if (VFLAG(c->flags, VSCALE)) src1_end = (uint64_t)c->x_addr + len * 4;
      break;
    case ECIM_CMD_OP_KAPPEND: /* the caches are checked against the KV region */
      src_end = segs_end(c->w_addr, n, c->stride, VFLAG(c->flags, QX_IN) ? ecim_x_stride(len) : len * es);
      break;
    case ECIM_CMD_OP_VAPPEND: src_end = segs_end(c->w_addr, n, c->stride, len * es); break;
    default:
      src_end = segs_end(c->w_addr, n, c->stride, len * es);
      dst_end = VFLAG(c->flags, CONCAT) ? (uint64_t)c->y_addr + ecim_x_stride(len * n)
                                         : segs_end(c->y_addr, n, c->dstride, out_bytes(c, len));
      if (c->op == ECIM_CMD_OP_NORM) src1_end = (uint64_t)c->x_addr + len * 4;
      if (c->op == ECIM_CMD_OP_GATE) src1_end = segs_end(c->x_addr, n, c->stride, len * es);
      if (c->op == ECIM_CMD_OP_ROPE) src1_end = (uint64_t)c->x_addr + (uint64_t)c->pos * c->p1 + len * 4;
      break;
  }
  return src_end > x->mem_limit || dst_end > x->mem_limit || src1_end > x->mem_limit;
}

/* [lo, hi) lies inside a KV region that is set up. */
static int in_kv(const ecim_check_ctx_t *x, uint64_t lo, uint64_t hi) {
  return x->kv_base < x->kv_limit && x->kv_limit <= x->mem_limit && lo >= x->kv_base && hi <= x->kv_limit;
}

/* The appends write only inside the KV region, and only below the capacity P0; RoPE's table has
 * P0 rows. */
static int kv_range(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c) {
  uint64_t len = c->k, n = c->n, cap = c->p0, rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  if (c->op == ECIM_CMD_OP_ROPE) return c->pos >= cap;
  if (c->op == ECIM_CMD_OP_KAPPEND)
    return c->pos >= cap || !in_kv(x, c->y_addr, segs_end(c->y_addr, n, c->dstride, ecim_kv_k_bytes(cap, len, rows, cols)));
  if (c->op == ECIM_CMD_OP_VAPPEND)
    return c->pos >= cap || !in_kv(x, c->y_addr, segs_end(c->y_addr, n, c->dstride, ecim_kv_v_bytes(cap, len, rows, cols))) ||
           !in_kv(x, c->x_addr, segs_end(c->x_addr, n, c->p1, cap * 4));
  return 0;
}

int ecim_vu_shape_error(const ecim_hw_t *h, const ecim_cand_t *c) { return bad_shape(h, c); }

int ecim_vu_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c) {
  vu_op_use_t u = op_use(c->op);
  if (unused_word_set(c, u.words)) return EDGECIM_ERR_BAD_OP;
  if (bad_flags(c, u.flags)) return EDGECIM_ERR_BAD_FLAGS;
  if (c->k == 0 || c->n == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (c->k > ECIM_MAX_K) return EDGECIM_ERR_TOO_LARGE;
  if (bad_shape(h, c)) return EDGECIM_ERR_VU_SHAPE;
  if (misaligned(c, u.words)) return EDGECIM_ERR_MISALIGNED;
  if (c->op == ECIM_CMD_OP_EMBED && c->token >= c->p0) return EDGECIM_ERR_BAD_TOKEN;
  if (out_of_range(h, x, c)) return EDGECIM_ERR_OUT_OF_RANGE;
  if (kv_range(h, x, c)) return EDGECIM_ERR_KV_RANGE;
  return EDGECIM_ERR_NONE;
}
