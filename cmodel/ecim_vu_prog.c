/* SPDX-License-Identifier: Apache-2.0 */
/* The programs of the vector unit's ops (docs/VECTOR_UNIT.md): for every segment, pass and
 * chunk, a fixed list of slots, each enabled or not by the position. rtl/vu_prog.sv computes the
 * same slot for the same position. */
#include "ecim_top_int.h"
#include "ecim_vu.h"

#define VFLAG(f, name) ((f) >> EDGECIM_VU_FLAGS_##name##_LSB & EDGECIM_VU_FLAGS_##name##_MASK)

enum { MAX_PASSES = 3, MAX_SLOTS = 6 };

typedef struct {
  int passes;
  int n[MAX_PASSES];
  vu_slot_kind_t k[MAX_PASSES][MAX_SLOTS];
} vu_prog_t;

/* The quantization slots, the output store and the scale store of a quantized output. */
#define QSS VS_QSCALE, VS_QCODES, VS_STORE, VS_SSTORE
static const vu_prog_t PROG[ECIM_CMD_OP_VAPPEND + 1] = {
    [ECIM_CMD_OP_EMBED] = {1, {3}, {{VS_LOAD, VS_COMPUTE, VS_STORE}}},
    [ECIM_CMD_OP_NORM] = {2, {3, 6}, {{VS_LOAD, VS_COMPUTE, VS_SCALAR}, {VS_LOAD, VS_COMPUTE, QSS}}},
    [ECIM_CMD_OP_ROPE] = {1, {6}, {{VS_LOAD, VS_COMPUTE, QSS}}},
    [ECIM_CMD_OP_SOFTMAX] = {3,
                             {3, 3, 6},
                             {{VS_LOAD, VS_COMPUTE, VS_SCALAR}, {VS_LOAD, VS_COMPUTE, VS_SCALAR}, {VS_LOAD, VS_COMPUTE, QSS}}},
    [ECIM_CMD_OP_GATE] = {1, {6}, {{VS_LOAD, VS_COMPUTE, QSS}}},
    [ECIM_CMD_OP_QUANT] = {1, {6}, {{VS_LOAD, VS_COMPUTE, QSS}}},
    [ECIM_CMD_OP_KAPPEND] = {1, {5}, {{VS_LOAD, VS_COMPUTE, VS_QSCALE, VS_QCODES, VS_SCATTER}}},
    [ECIM_CMD_OP_VAPPEND] = {2, {5, 3}, {{VS_LOAD, VS_COMPUTE, VS_QSCALE, VS_QCODES, VS_SCATTER}, {VS_LOAD, VS_COMPUTE, VS_STORE}}},
};

vu_cmd_t ecim_vu_command(const ecim_hw_t *h, const ecim_cmd_desc_t *d) {
  vu_cmd_t c;
  c.op = (int)d->op;
  c.src0 = d->w_addr;
  c.src1 = d->x_addr;
  c.dst = d->y_addr;
  c.stride = d->stride;
  c.dstride = d->dstride;
  c.p0 = d->p0;
  c.p1 = d->p1;
  c.flags = d->flags;
  c.len = d->k;
  c.count = d->n;
  c.pos = d->pos;
  c.token = d->token;
  c.ce = (unsigned)ecim_chunk((uint64_t)h->vec_bank_bytes);
  c.nch = (c.len + c.ce - 1) / c.ce;
  return c;
}

static unsigned esize(const vu_cmd_t *c) { return VFLAG(c->flags, X_F32) ? 4u : 8u; }
static int out_fmt(const vu_cmd_t *c) {
  if (c->op == ECIM_CMD_OP_SOFTMAX) return ECIM_VU_FMT_QX;
  if (c->op == ECIM_CMD_OP_EMBED) return ECIM_VU_FMT_Q24;
  return (int)VFLAG(c->flags, OUT_FMT);
}
static int qx_out(const vu_cmd_t *c) {
  return c->op != ECIM_CMD_OP_KAPPEND && c->op != ECIM_CMD_OP_VAPPEND && out_fmt(c) == ECIM_VU_FMT_QX;
}

/* Chunks of a pass: one for the ops whose segment fits a chunk, the column blocks of the V
 * cache in VAPPEND's second pass. */
static unsigned chunks(const ecim_hw_t *h, const vu_cmd_t *c, unsigned pass) {
  switch (c->op) {
    case ECIM_CMD_OP_ROPE:
    case ECIM_CMD_OP_KAPPEND: return 1;
    case ECIM_CMD_OP_VAPPEND: return pass == 0 ? 1 : (unsigned)ecim_n_nb(c->len, (uint64_t)h->macro_cols);
    default: return c->nch;
  }
}

/* Where segment s starts, in the input and in the output. */
static uint32_t seg_src(const ecim_hw_t *h, const vu_cmd_t *c, unsigned s) {
  if (c->op == ECIM_CMD_OP_SOFTMAX) return c->src0 + s * (uint32_t)ecim_y_stride(c->len, (uint64_t)h->macro_cols);
  return c->src0 + s * c->stride;
}
static uint32_t seg_dst(const vu_cmd_t *c, unsigned s) {
  if (c->op == ECIM_CMD_OP_SOFTMAX) return c->dst + s * (uint32_t)ecim_x_stride(c->len);
  if (VFLAG(c->flags, CONCAT)) return c->dst;
  return c->dst + s * c->dstride;
}

/* The region of V^T (segment s, output block nb) holding the bit-plane words of TOKEN_POS's
 * group: 8 planes x MacroCols words. */
uint32_t ecim_vu_v_block(const ecim_hw_t *h, const vu_cmd_t *c, unsigned s, unsigned nb) {
  uint64_t rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  uint64_t nb_stride = ecim_full_colblock_bytes(c->p0, rows, cols, 8);
  return (uint32_t)(c->dst + s * c->dstride + nb * nb_stride + (c->pos / rows) * ecim_block_bytes(rows, cols, 8));
}
uint32_t ecim_vu_v_region(const ecim_hw_t *h, const vu_cmd_t *c, unsigned s, unsigned nb) {
  unsigned gl = (c->pos % (unsigned)h->macro_rows) / 32;
  return ecim_vu_v_block(h, c, s, nb) + gl * 8u * (unsigned)h->macro_cols * 4u;
}

static vu_region_t region(int bank, uint32_t addr, uint32_t bytes, int en) {
  vu_region_t r = {addr, bytes, en ? bank : VB_NONE, 0};
  return r;
}

/* The output store of a chunk. */
static vu_region_t out_store(const vu_cmd_t *c, unsigned s, unsigned ch, unsigned n) {
  uint32_t d = seg_dst(c, s), e0 = ch * c->ce;
  switch (out_fmt(c)) {
    case ECIM_VU_FMT_Q24: return region(VB_C, d + e0 * 8, n * 8, 1);
    case ECIM_VU_FMT_F32: return region(VB_T, d + e0 * 4, n * 4, 1);
    default: return region(VB_C, d + (VFLAG(c->flags, CONCAT) ? s * c->len : 0) + e0, n, 1);
  }
}

/* The scale store of a QX output: per segment, or once for a CONCAT vector. */
static vu_region_t scale_store(const vu_cmd_t *c, unsigned s, int last_chunk) {
  if (VFLAG(c->flags, CONCAT)) {
    uint64_t k = (uint64_t)c->len * c->count;
    return region(VB_D, c->dst + (uint32_t)ecim_kpad(k), (uint32_t)(ecim_kp(k) / 16),
                  last_chunk && s + 1 == c->count);
  }
  return region(VB_D, seg_dst(c, s) + (uint32_t)ecim_kpad(c->len), (uint32_t)(ecim_kp(c->len) / 16),
                last_chunk && qx_out(c));
}

static vu_slot_t load_slot(const ecim_hw_t *h, const vu_cmd_t *c, const vu_pc_t *pc, unsigned n) {
  vu_slot_t sl = {0};
  unsigned s = pc->seg, ch = pc->chunk, es = esize(c), e0 = ch * c->ce;
  uint32_t src = seg_src(h, c, s);
  int multi = c->nch > 1;
  sl.kind = VS_LOAD;
  sl.r[0] = region(VB_A, src + e0 * es, n * es, 1);
  sl.r[1] = region(VB_B, 0, 0, 0);
  switch (c->op) {
    case ECIM_CMD_OP_EMBED: {
      uint32_t row = c->src0 + c->token * c->stride;
      sl.r[0] = region(VB_A, row + e0, n, 1);
      sl.r[1] = region(VB_B, row + (uint32_t)ecim_kpad(c->len), (uint32_t)(ecim_kp(c->len) / 16), ch == 0);
      break;
    }
    case ECIM_CMD_OP_NORM:
      if (pc->pass == 1) {
        sl.r[0].bank = multi ? VB_A : VB_NONE;
        sl.r[1] = region(VB_B, c->src1 + e0 * 4, n * 4, multi || s == 0);
      }
      break;
    case ECIM_CMD_OP_ROPE:
      sl.r[0] = region(VB_AD, src, c->len * es, 1);
      sl.r[1] = region(VB_B, c->src1 + c->pos * c->p1, c->len * 4, s == 0);
      break;
    case ECIM_CMD_OP_SOFTMAX:
      if (pc->pass > 0) sl.r[0].bank = multi ? VB_A : VB_NONE;
      if (pc->pass == 2) sl.r[1] = region(VB_B, c->src1 + e0 * 4, n * 4, VFLAG(c->flags, VSCALE) && (multi || s == 0));
      break;
    case ECIM_CMD_OP_GATE: sl.r[1] = region(VB_B, c->src1 + s * c->stride + e0 * es, n * es, 1); break;
    case ECIM_CMD_OP_KAPPEND:
      if (VFLAG(c->flags, QX_IN)) {
        sl.r[0] = region(VB_RQ, src, c->len, 1);
        sl.r[1] = region(VB_RS, src + (uint32_t)ecim_kpad(c->len), c->len / 16, 1);
      }
      break;
    case ECIM_CMD_OP_VAPPEND:
      if (pc->pass == 1) sl.r[0] = region(VB_A, ecim_vu_v_region(h, c, s, ch), 8u * (unsigned)h->macro_cols * 4u, 1);
      break;
    default: break;
  }
  sl.enabled = sl.r[0].bank != VB_NONE || sl.r[1].bank != VB_NONE;
  return sl;
}

static vu_compute_t compute_kind(const vu_cmd_t *c, unsigned pass) {
  switch (c->op) {
    case ECIM_CMD_OP_EMBED: return VC_EMBED;
    case ECIM_CMD_OP_NORM: return pass == 0 ? VC_SS : VC_APPLY;
    case ECIM_CMD_OP_ROPE: return VC_ROPE;
    case ECIM_CMD_OP_SOFTMAX: return pass == 0 ? VC_MAX : pass == 1 ? VC_EXPSUM : VC_EXPOUT;
    case ECIM_CMD_OP_GATE: return VC_GATE;
    case ECIM_CMD_OP_VAPPEND: return pass == 0 ? VC_COPY : VC_VMOD;
    default: return VC_COPY;
  }
}

/* Appends quantize into the row registers (VAPPEND: one scale for the row). */
static int to_rows(const vu_cmd_t *c) { return c->op == ECIM_CMD_OP_KAPPEND || c->op == ECIM_CMD_OP_VAPPEND; }

vu_slot_t ecim_vu_slot(const ecim_hw_t *h, const vu_cmd_t *c, const vu_pc_t *pc) {
  const vu_prog_t *p = &PROG[c->op];
  vu_slot_t sl = {0};
  unsigned s = pc->seg, ch = pc->chunk, pass = pc->pass;
  int last_chunk = ch + 1 == chunks(h, c, pass), qx_in = c->op == ECIM_CMD_OP_KAPPEND && VFLAG(c->flags, QX_IN);
  unsigned n = c->len - ch * c->ce;
  if (n > c->ce) n = c->ce;
  if (chunks(h, c, pass) == 1 && c->op != ECIM_CMD_OP_VAPPEND) n = c->len;
  sl.kind = p->k[pass][pc->slot];
  sl.enabled = 1;
  sl.elem0 = ch * c->ce;
  sl.r[0].bank = sl.r[1].bank = VB_NONE;
  switch (sl.kind) {
    case VS_LOAD: {
      vu_slot_t l = load_slot(h, c, pc, n);
      return l;
    }
    case VS_COMPUTE:
      sl.compute = compute_kind(c, pass);
      sl.first = ch == 0;
      sl.out = to_rows(c) ? ECIM_VU_FMT_QX : out_fmt(c);
      sl.row_mode = c->op == ECIM_CMD_OP_VAPPEND;
      sl.n = sl.compute == VC_VMOD ? 8u * (unsigned)h->macro_cols : n;
      sl.enabled = !qx_in;
      break;
    case VS_SCALAR:
      sl.compute = c->op == ECIM_CMD_OP_NORM ? VC_RSQRT : pass == 0 ? VC_MAX : VC_RECIP;
      sl.enabled = last_chunk;
      break;
    case VS_QSCALE:
    case VS_QCODES:
      sl.n = sl.kind == VS_QSCALE ? (n + 31) / 32 : n;
      sl.row_mode = c->op == ECIM_CMD_OP_VAPPEND;
      sl.out = to_rows(c);
      sl.scale_off = (VFLAG(c->flags, CONCAT) ? s * c->len : 0) / 32 + ch * c->ce / 32;
      sl.enabled = to_rows(c) ? !qx_in : qx_out(c);
      break;
    case VS_STORE:
      if (c->op == ECIM_CMD_OP_VAPPEND)
        sl.r[0] = region(VB_T, ecim_vu_v_region(h, c, s, ch), 8u * (unsigned)h->macro_cols * 4u, 1);
      else
        sl.r[0] = out_store(c, s, ch, n);
      break;
    case VS_SSTORE:
      sl.r[0] = scale_store(c, s, last_chunk);
      sl.enabled = sl.r[0].bank != VB_NONE;
      break;
    case VS_SCATTER: {
      unsigned cols = (unsigned)h->macro_cols, db = (unsigned)h->data_bytes;
      unsigned per_nb = 2 * cols > db ? 2 * cols / db : 1;
      sl.scatter = c->op == ECIM_CMD_OP_KAPPEND ? VX_KWORDS : VX_VSCALE;
      sl.n = sl.scatter == VX_KWORDS ? c->len / 32 * 9
                                     : 1 + (c->pos % 32 == 0 ? (unsigned)ecim_n_nb(c->len, cols) * per_nb : 0);
      break;
    }
    default: break;
  }
  return sl;
}

int ecim_vu_advance(const ecim_hw_t *h, const vu_cmd_t *c, vu_pc_t *pc) {
  const vu_prog_t *p = &PROG[c->op];
  if (++pc->slot < (unsigned)p->n[pc->pass]) return 0;
  pc->slot = 0;
  if (++pc->chunk < chunks(h, c, pc->pass)) return 0;
  pc->chunk = 0;
  if (++pc->pass < (unsigned)p->passes) return 0;
  pc->pass = 0;
  return ++pc->seg >= c->count;
}
