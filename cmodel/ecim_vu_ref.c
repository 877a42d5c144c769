/* SPDX-License-Identifier: Apache-2.0 */
/* The vector ops as functions on memory: see ecim_vu_ref.h. Each op reads its inputs whole,
 * computes, and writes exactly the bytes the op defines (nothing else: not the padding of a
 * quantized vector, not the parts of a cache word that belong to other positions). */
#include "ecim_vu_ref.h"

#include <stdlib.h>
#include <string.h>

#include "ecim_fmt.h"
#include "ecim_vf.h"

#define VFLAG(f, name) ((f) >> EDGECIM_VU_FLAGS_##name##_LSB & EDGECIM_VU_FLAGS_##name##_MASK)
#define VF_NEG_MAX 0xFF7FFFFFu
#define VF_INV127 0x3C010204u
#define FP16_ONE 0x3C00u

typedef struct {
  const ecim_hw_t *h;
  const ecim_cmd_desc_t *d;
  const ecim_mem_t *m;
  unsigned len, count, lanes;
} op_t;

/* ----------------------------------------------------------------------------- memory */
static void rd(const op_t *o, uint32_t a, void *dst, size_t n) { o->m->read(o->m->ctx, a, dst, n); }
static void wr(const op_t *o, uint32_t a, const void *src, size_t n) { o->m->write(o->m->ctx, a, src, n); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t rd32(const op_t *o, uint32_t a) {
  uint8_t b[4];
  rd(o, a, b, 4);
  return get32(b);
}
static void wr32(const op_t *o, uint32_t a, uint32_t v) {
  uint8_t b[4];
  put32(b, v);
  wr(o, a, b, 4);
}
static void wr16(const op_t *o, uint32_t a, uint16_t v) {
  uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  wr(o, a, b, 2);
}

static void *xcalloc(size_t n, size_t s) {
  void *p = calloc(n ? n : 1, s);
  if (!p) abort(); /* the reference has no failure path of its own: a test machine out of memory */
  return p;
}

/* n elements at a as VF32: Q39.24 int64 (f32 == 0) or VF32. */
static uint32_t *load_vec(const op_t *o, uint32_t a, unsigned n, int f32) {
  uint32_t *v = xcalloc(n, sizeof *v);
  uint8_t *b = xcalloc(n, 8);
  rd(o, a, b, (size_t)n * (f32 ? 4 : 8));
  for (unsigned i = 0; i < n; i++) v[i] = f32 ? get32(b + 4 * (size_t)i) : vf_from_q24(ecim_get_le64(b + 8 * (size_t)i));
  free(b);
  return v;
}

/* --------------------------------------------------------------------------- reductions */
/* The unit's order: lane l = i mod VecLanes adds its elements in order, then the lanes combine in
 * pairs at distance 1, 2, 4, ... */
static uint32_t lane_reduce(const op_t *o, const uint32_t *v, unsigned n, uint32_t init,
                            uint32_t (*op)(uint32_t, uint32_t)) {
  uint32_t acc[32];
  for (unsigned l = 0; l < o->lanes; l++) acc[l] = init;
  for (unsigned i = 0; i < n; i++) acc[i % o->lanes] = op(acc[i % o->lanes], v[i]);
  for (unsigned step = 1; step < o->lanes; step *= 2)
    for (unsigned l = 0; l + step < o->lanes; l += 2 * step) acc[l] = op(acc[l], acc[l + step]);
  return acc[0];
}

/* ---------------------------------------------------------------------------- quantizing */
static uint16_t qscale(uint32_t amax, uint32_t *inv) {
  uint16_t s16 = vf_to_fp16(vf_mul(amax, VF_INV127));
  *inv = (s16 & 0x7FFF) ? vf_recip(vf_from_fp16(s16)) : VF_ZERO;
  return s16;
}
static int8_t qcode(uint32_t v, uint32_t inv) { return (int8_t)(inv ? vf_to_int_rne(vf_mul(v, inv), -127, 127) : 0); }

/* Groups of 32 of y[0..n): codes q[n] and scales s16[ceil(n/32)]. */
static void quant_groups(const uint32_t *y, unsigned n, int8_t *q, uint16_t *s16) {
  for (unsigned g = 0; g * 32 < n; g++) {
    unsigned e = g * 32 + 32 < n ? g * 32 + 32 : n;
    uint32_t amax = VF_ZERO, inv;
    for (unsigned i = g * 32; i < e; i++) amax = vf_max(amax, vf_abs(y[i]));
    s16[g] = qscale(amax, &inv);
    for (unsigned i = g * 32; i < e; i++) q[i] = qcode(y[i], inv);
  }
}

/* y as a quantized vector: codes at codes_at, scales at scales_at (group index g at + 2g). */
static void store_qx(const op_t *o, const uint32_t *y, unsigned n, uint32_t codes_at, uint32_t scales_at) {
  int8_t *q = xcalloc(n, 1);
  uint16_t *s = xcalloc((n + 31) / 32, sizeof *s);
  quant_groups(y, n, q, s);
  wr(o, codes_at, q, n);
  for (unsigned g = 0; g * 32 < n; g++) wr16(o, scales_at + 2 * g, s[g]);
  free(q);
  free(s);
}

/* A segment's output in the op's format (QX: a vector of its own, at dst). */
static void store_out(const op_t *o, const uint32_t *y, unsigned n, uint32_t dst) {
  switch (VFLAG(o->d->flags, OUT_FMT)) {
    case ECIM_VU_FMT_Q24:
      for (unsigned i = 0; i < n; i++) {
        uint8_t b[8];
        ecim_put_le64(b, vf_to_q24(y[i]));
        wr(o, dst + 8 * i, b, 8);
      }
      break;
    case ECIM_VU_FMT_F32:
      for (unsigned i = 0; i < n; i++) wr32(o, dst + 4 * i, y[i]);
      break;
    default: store_qx(o, y, n, dst, dst + (uint32_t)ecim_kpad(n)); break;
  }
}

/* ---------------------------------------------------------------------------------- ops */
static void op_embed(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  uint32_t row = d->w_addr + d->token * d->stride;
  uint8_t *codes = xcalloc(o->len, 1);
  rd(o, row, codes, o->len);
  for (unsigned i = 0; i < o->len; i++) {
    uint8_t sb[2], b[8];
    int64_t m;
    int e;
    rd(o, row + (uint32_t)ecim_kpad(o->len) + 2 * (i / 32), sb, 2);
    ecim_fp16_decode(ecim_get_le16(sb), &m, &e);
    ecim_put_le64(b, (int64_t)(int8_t)codes[i] * m * ((int64_t)1 << (e - 1)));
    wr(o, d->y_addr + 8 * i, b, 8);
  }
  free(codes);
}

static void op_norm(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  int f32 = (int)VFLAG(d->flags, X_F32);
  uint32_t *w = load_vec(o, d->x_addr, o->len, 1), *y = xcalloc(o->len, sizeof *y);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *x = load_vec(o, d->w_addr + s * d->stride, o->len, f32), *sq = xcalloc(o->len, sizeof *sq);
    for (unsigned i = 0; i < o->len; i++) sq[i] = vf_mul(x[i], x[i]);
    uint32_t r = vf_rsqrt(vf_add(vf_mul(lane_reduce(o, sq, o->len, VF_ZERO, vf_add), d->p1), d->p0));
    for (unsigned i = 0; i < o->len; i++) y[i] = vf_mul(vf_mul(x[i], r), w[i]);
    store_out(o, y, o->len, d->y_addr + s * d->dstride);
    free(x);
    free(sq);
  }
  free(w);
  free(y);
}

static void op_rope(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  int f32 = (int)VFLAG(d->flags, X_F32), neox = (int)VFLAG(d->flags, NEOX);
  unsigned half = o->len / 2;
  uint32_t *t = load_vec(o, d->x_addr + d->pos * d->p1, o->len, 1), *y = xcalloc(o->len, sizeof *y);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *x = load_vec(o, d->w_addr + s * d->stride, o->len, f32);
    for (unsigned p = 0; p < half; p++) { /* pair p: (a, b) rotated by the angle of table row p */
      unsigned ia = neox ? p : 2 * p, ib = neox ? p + half : 2 * p + 1;
      uint32_t a = x[ia], b = x[ib], c = t[2 * p], sn = t[2 * p + 1];
      y[ia] = vf_sub(vf_mul(a, c), vf_mul(b, sn));
      y[ib] = vf_add(vf_mul(a, sn), vf_mul(b, c));
    }
    store_out(o, y, o->len, d->y_addr + s * d->dstride);
    free(x);
  }
  free(t);
  free(y);
}

static void op_softmax(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  uint32_t ys = (uint32_t)ecim_y_stride(o->len, (uint64_t)o->h->macro_cols), xs = (uint32_t)ecim_x_stride(o->len);
  uint32_t *vs = VFLAG(d->flags, VSCALE) ? load_vec(o, d->x_addr, o->len, 1) : NULL;
  uint32_t *v = xcalloc(o->len, sizeof *v), *e = xcalloc(o->len, sizeof *e);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *sc = load_vec(o, d->w_addr + s * ys, o->len, 0);
    for (unsigned i = 0; i < o->len; i++) v[i] = vf_mul(sc[i], d->p0);
    uint32_t m = lane_reduce(o, v, o->len, VF_NEG_MAX, vf_max);
    for (unsigned i = 0; i < o->len; i++) e[i] = vf_exp(vf_sub(v[i], m));
    uint32_t inv = vf_recip(lane_reduce(o, e, o->len, VF_ZERO, vf_add));
    for (unsigned i = 0; i < o->len; i++) {
      v[i] = vf_mul(e[i], inv);
      if (vs) v[i] = vf_mul(v[i], vs[i]);
    }
    store_qx(o, v, o->len, d->y_addr + s * xs, d->y_addr + s * xs + (uint32_t)ecim_kpad(o->len));
    free(sc);
  }
  free(vs);
  free(v);
  free(e);
}

static uint32_t gate(unsigned kind, uint32_t g) {
  return kind == ECIM_VU_GATE_SILU ? vf_silu(g) : kind == ECIM_VU_GATE_GELU ? vf_gelu(g) : vf_relu2(g);
}

static void op_gate(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  int f32 = (int)VFLAG(d->flags, X_F32);
  uint32_t *y = xcalloc(o->len, sizeof *y);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *g = load_vec(o, d->w_addr + s * d->stride, o->len, f32);
    uint32_t *u = load_vec(o, d->x_addr + s * d->stride, o->len, f32);
    for (unsigned i = 0; i < o->len; i++) y[i] = vf_mul(gate(VFLAG(d->flags, GATE), g[i]), u[i]);
    store_out(o, y, o->len, d->y_addr + s * d->dstride);
    free(g);
    free(u);
  }
  free(y);
}

static void op_quant(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  int f32 = (int)VFLAG(d->flags, X_F32);
  if (!VFLAG(d->flags, CONCAT)) {
    for (unsigned s = 0; s < o->count; s++) {
      uint32_t *x = load_vec(o, d->w_addr + s * d->stride, o->len, f32);
      store_out(o, x, o->len, d->y_addr + s * d->dstride);
      free(x);
    }
    return;
  }
  /* one vector of count x len elements: the segments' groups never straddle (len % 32 == 0) */
  unsigned total = o->len * o->count;
  uint32_t *x = xcalloc(total, sizeof *x);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *seg = load_vec(o, d->w_addr + s * d->stride, o->len, f32);
    memcpy(x + (size_t)s * o->len, seg, o->len * sizeof *x);
    free(seg);
  }
  store_qx(o, x, total, d->y_addr, d->y_addr + (uint32_t)ecim_kpad(total));
  free(x);
}

/* The K cache of a head: W[capacity][len] in the device layout, INT8; position pos is column pos. */
static void op_kappend(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  uint64_t rows = (uint64_t)o->h->macro_rows, cols = (uint64_t)o->h->macro_cols, len = o->len;
  int8_t q[256];
  uint16_t s16[8];
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t src = d->w_addr + s * d->stride;
    if (VFLAG(d->flags, QX_IN)) {
      uint8_t sb[16];
      rd(o, src, q, o->len);
      rd(o, src + (uint32_t)ecim_kpad(len), sb, o->len / 16);
      for (unsigned g = 0; g < o->len / 32; g++) s16[g] = ecim_get_le16(sb + 2 * g);
    } else {
      uint32_t *x = load_vec(o, src, o->len, (int)VFLAG(d->flags, X_F32));
      quant_groups(x, o->len, q, s16);
      free(x);
    }
    uint64_t nb = d->pos / cols, c = d->pos % cols;
    for (unsigned g = 0; g < o->len / 32; g++) {
      uint64_t kb = g * 32 / rows, gl = g - kb * rows / 32;
      uint64_t block = d->y_addr + (uint64_t)s * d->dstride + nb * ecim_colblock_bytes(len, rows, cols, 8) +
                       kb * ecim_block_bytes(rows, cols, 8);
      for (unsigned j = 0; j < 8; j++) {
        uint32_t word = 0;
        for (unsigned r = 0; r < 32; r++) word |= ((uint32_t)(uint8_t)q[g * 32 + r] >> j & 1u) << r;
        wr32(o, (uint32_t)(block + ((gl * 8 + j) * cols + c) * 4), word);
      }
      uint64_t words = ecim_block_word_bytes(ecim_block_rows(len, rows, kb), cols, 8);
      wr16(o, (uint32_t)(block + words + (gl * cols + c) * 2), s16[g]);
    }
  }
}

/* The V cache of a head: V^T[len][capacity] (FULL_BLK blocks); position pos is row pos: one bit of
 * each of its group's bit-plane words. Weight scales are 1.0; the row's scale goes to the V-scale
 * vector (the softmax multiplies the probabilities by it). */
static void op_vappend(const op_t *o) {
  const ecim_cmd_desc_t *d = o->d;
  uint64_t rows = (uint64_t)o->h->macro_rows, cols = (uint64_t)o->h->macro_cols;
  uint64_t nb_stride = ecim_full_colblock_bytes(d->p0, rows, cols, 8), kb = d->pos / rows, gl = (d->pos % rows) / 32;
  unsigned rr = d->pos % 32, nnb = (unsigned)ecim_n_nb(o->len, cols);
  for (unsigned s = 0; s < o->count; s++) {
    uint32_t *x = load_vec(o, d->w_addr + s * d->stride, o->len, (int)VFLAG(d->flags, X_F32)), amax = VF_ZERO, inv;
    for (unsigned i = 0; i < o->len; i++) amax = vf_max(amax, vf_abs(x[i]));
    uint16_t s16 = qscale(amax, &inv);
    wr32(o, d->x_addr + s * d->p1 + d->pos * 4, vf_from_fp16(s16));
    for (unsigned nb = 0; nb < nnb; nb++) {
      uint64_t block = d->y_addr + (uint64_t)s * d->dstride + nb * nb_stride + kb * ecim_block_bytes(rows, cols, 8);
      if (rr == 0)
        for (unsigned c = 0; c < cols; c++)
          wr16(o, (uint32_t)(block + ecim_block_word_bytes(rows, cols, 8) + (gl * cols + c) * 2), FP16_ONE);
      for (unsigned j = 0; j < 8; j++)
        for (unsigned c = 0; c < cols; c++) {
          uint32_t a = (uint32_t)(block + ((gl * 8 + j) * cols + c) * 4), col = nb * (unsigned)cols + c;
          uint32_t bit = col < o->len ? ((uint32_t)(uint8_t)qcode(x[col], inv) >> j & 1u) : 0u;
          wr32(o, a, (rd32(o, a) & ~(1u << rr)) | bit << rr);
        }
    }
    free(x);
  }
}

int ecim_vu_ref(const ecim_hw_t *h, const ecim_cmd_desc_t *d, const ecim_mem_t *m) {
  op_t o = {h, d, m, d->k, d->n, (unsigned)h->vec_lanes};
  switch (d->op) {
    case ECIM_CMD_OP_EMBED: op_embed(&o); return 0;
    case ECIM_CMD_OP_NORM: op_norm(&o); return 0;
    case ECIM_CMD_OP_ROPE: op_rope(&o); return 0;
    case ECIM_CMD_OP_SOFTMAX: op_softmax(&o); return 0;
    case ECIM_CMD_OP_GATE: op_gate(&o); return 0;
    case ECIM_CMD_OP_QUANT: op_quant(&o); return 0;
    case ECIM_CMD_OP_KAPPEND: op_kappend(&o); return 0;
    case ECIM_CMD_OP_VAPPEND: op_vappend(&o); return 0;
    default: return -1;
  }
}

/* ------------------------------------------------------------------------- flat memory */
static void flat_read(void *ctx, uint32_t a, void *dst, size_t n) {
  const ecim_flat_mem_t *f = ctx;
  if ((size_t)a <= f->size && n <= f->size - a) { /* the common case in one copy (GEMV blocks) */
    memcpy(dst, f->bytes + a, n);
    return;
  }
  for (size_t i = 0; i < n; i++) ((uint8_t *)dst)[i] = (size_t)a + i < f->size ? f->bytes[(size_t)a + i] : 0;
}
static void flat_write(void *ctx, uint32_t a, const void *src, size_t n) {
  ecim_flat_mem_t *f = ctx;
  if ((size_t)a <= f->size && n <= f->size - a) {
    memcpy(f->bytes + a, src, n);
    return;
  }
  for (size_t i = 0; i < n; i++)
    if ((size_t)a + i < f->size) f->bytes[(size_t)a + i] = ((const uint8_t *)src)[i];
}
ecim_mem_t ecim_flat_mem(ecim_flat_mem_t *f) {
  ecim_mem_t m = {f, flat_read, flat_write};
  return m;
}
