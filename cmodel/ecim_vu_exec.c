/* SPDX-License-Identifier: Apache-2.0 */
/* What the vector unit's compute-like slots do (docs/VECTOR_UNIT.md): the lanes over a chunk, the
 * scalar of a reduction, the quantizer. The RTL spreads a slot over its cycles (rows of VecLanes
 * elements through a VuPipe-stage pipeline); nothing outside the unit sees its banks before the
 * slot ends, so the model computes the slot at once and returns how long the RTL takes. */
#include <string.h>

#include "ecim_fmt.h"
#include "ecim_top_int.h"
#include "ecim_vf.h"
#include "ecim_vu.h"

#define VFLAG(f, name) ((f) >> EDGECIM_VU_FLAGS_##name##_LSB & EDGECIM_VU_FLAGS_##name##_MASK)
#define VF_NEG_MAX 0xFF7FFFFFu
#define VF_INV127 0x3C010204u /* the VF32 nearest 1/127 */

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void put_le32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Element i of bank b as VF32: int64 Q39.24 (es 8) or VF32 (es 4). */
static uint32_t elem(const ecim_vu_t *v, int b, unsigned i, unsigned es) {
  const uint8_t *p = v->bank[b] + (size_t)i * es;
  return es == 8 ? vf_from_q24(ecim_get_le64(p)) : le32(p);
}
static uint32_t f32_at(const ecim_vu_t *v, int b, unsigned i) { return le32(v->bank[b] + 4 * (size_t)i); }

/* The tree that combines the lane accumulators: pairs at distance 1, 2, 4, ... */
static uint32_t lane_tree(const uint32_t *acc, unsigned lanes, uint32_t (*op)(uint32_t, uint32_t)) {
  uint32_t t[32];
  memcpy(t, acc, lanes * sizeof *t);
  for (unsigned step = 1; step < lanes; step *= 2)
    for (unsigned l = 0; l + step < lanes; l += 2 * step) t[l] = op(t[l], t[l + step]);
  return t[0];
}

/* The result y of element i, in the slot's output format. */
static void put_out(ecim_vu_t *v, const vu_slot_t *s, unsigned i, uint32_t y) {
  switch (s->out) {
    case ECIM_VU_FMT_Q24: ecim_put_le64(v->bank[VB_C] + 8 * (size_t)i, vf_to_q24(y)); break;
    case ECIM_VU_FMT_F32: put_le32(v->bank[VB_T] + 4 * (size_t)i, y); break;
    default:
      put_le32(v->bank[VB_T] + 4 * (size_t)i, y);
      if (s->row_mode) v->rowmax = vf_max(v->rowmax, vf_abs(y));
      else v->gmax[i / 32] = vf_max(v->gmax[i / 32], vf_abs(y));
      break;
  }
}

static uint32_t gate(unsigned kind, uint32_t g) {
  return kind == ECIM_VU_GATE_SILU ? vf_silu(g) : kind == ECIM_VU_GATE_GELU ? vf_gelu(g) : vf_relu2(g);
}

/* RoPE of element i: (a, b) is its pair, k the pair's row of the table. */
static uint32_t rope(const ecim_vu_t *v, const vu_cmd_t *c, unsigned i, unsigned es) {
  unsigned half = c->len / 2;
  int neox = (int)VFLAG(c->flags, NEOX), first = neox ? i < half : (i & 1) == 0;
  unsigned partner = neox ? (first ? i + half : i - half) : i ^ 1u, k = neox ? (first ? i : i - half) : i / 2;
  uint32_t x = elem(v, VB_A, i, es), y = elem(v, VB_D, partner, es);
  uint32_t a = first ? x : y, b = first ? y : x, cs = f32_at(v, VB_B, 2 * k), sn = f32_at(v, VB_B, 2 * k + 1);
  return first ? vf_sub(vf_mul(a, cs), vf_mul(b, sn)) : vf_add(vf_mul(a, sn), vf_mul(b, cs));
}

/* The scores times the multiplier P0, minus the maximum, through exp. */
static uint32_t score_exp(const ecim_vu_t *v, const vu_cmd_t *c, unsigned i) {
  return vf_exp(vf_sub(vf_mul(elem(v, VB_A, i, 8), c->p0), v->m_max));
}

/* VAPPEND: bit TOKEN_POS % 32 of each bit-plane word of the region := the new row's bit. */
static void vmod(const ecim_hw_t *h, ecim_vu_t *v, unsigned nb) {
  unsigned cols = (unsigned)h->macro_cols, rr = v->c.pos % 32;
  for (unsigned wi = 0; wi < 8 * cols; wi++) {
    unsigned j = wi / cols, col = nb * cols + wi % cols;
    uint32_t bit = col < v->c.len ? ((unsigned)v->rq[col] >> j & 1u) : 0u;
    uint32_t old = le32(v->bank[VB_A] + 4 * (size_t)wi);
    put_le32(v->bank[VB_T] + 4 * (size_t)wi, (old & ~(1u << rr)) | bit << rr);
  }
}

static void compute(const ecim_hw_t *h, ecim_vu_t *v, const vu_slot_t *s) {
  const vu_cmd_t *c = &v->c;
  unsigned lanes = (unsigned)h->vec_lanes, es = VFLAG(c->flags, X_F32) ? 4u : 8u;
  if (s->compute == VC_VMOD) {
    vmod(h, v, v->pc.chunk);
    return;
  }
  if (s->first) {
    uint32_t init = s->compute == VC_MAX ? VF_NEG_MAX : VF_ZERO;
    for (unsigned l = 0; l < lanes; l++) v->acc[l] = init;
  }
  if (s->row_mode) v->rowmax = VF_ZERO;
  for (unsigned g = 0; g < (s->n + 31) / 32; g++) v->gmax[g] = VF_ZERO;
  for (unsigned i = 0; i < s->n; i++) {
    uint32_t *acc = &v->acc[i % lanes];
    switch (s->compute) {
      case VC_EMBED: {
        int64_t m;
        int e;
        ecim_fp16_decode(ecim_get_le16(v->bank[VB_B] + 2 * ((s->elem0 + i) / 32)), &m, &e);
        ecim_put_le64(v->bank[VB_C] + 8 * (size_t)i, (int64_t)(int8_t)v->bank[VB_A][i] * m * ((int64_t)1 << (e - 1)));
        break;
      }
      case VC_SS: {
        uint32_t x = elem(v, VB_A, i, es);
        *acc = vf_add(*acc, vf_mul(x, x));
        break;
      }
      case VC_APPLY: put_out(v, s, i, vf_mul(vf_mul(elem(v, VB_A, i, es), v->r_norm), f32_at(v, VB_B, i))); break;
      case VC_ROPE: put_out(v, s, i, rope(v, c, i, es)); break;
      case VC_MAX: *acc = vf_max(*acc, vf_mul(elem(v, VB_A, i, 8), c->p0)); break;
      case VC_EXPSUM: *acc = vf_add(*acc, score_exp(v, c, i)); break;
      case VC_EXPOUT: {
        uint32_t p = vf_mul(score_exp(v, c, i), v->inv_sum);
        if (VFLAG(c->flags, VSCALE)) p = vf_mul(p, f32_at(v, VB_B, i));
        put_out(v, s, i, p);
        break;
      }
      case VC_GATE:
        put_out(v, s, i, vf_mul(gate(VFLAG(c->flags, GATE), elem(v, VB_A, i, es)), elem(v, VB_B, i, es)));
        break;
      default: put_out(v, s, i, elem(v, VB_A, i, es)); break; /* VC_COPY */
    }
  }
}

static void scalar(const ecim_hw_t *h, ecim_vu_t *v, const vu_slot_t *s) {
  unsigned lanes = (unsigned)h->vec_lanes;
  if (s->compute == VC_MAX) {
    v->m_max = lane_tree(v->acc, lanes, vf_max);
  } else {
    uint32_t total = lane_tree(v->acc, lanes, vf_add);
    if (s->compute == VC_RSQRT) v->r_norm = vf_rsqrt(vf_add(vf_mul(total, v->c.p1), v->c.p0));
    else v->inv_sum = vf_recip(total);
  }
}

/* The FP16 scale of a group (or row) of maximum magnitude amax, and the inverse the codes use. */
static uint16_t quant_scale(uint32_t amax, uint32_t *inv) {
  uint16_t s16 = vf_to_fp16(vf_mul(amax, VF_INV127));
  *inv = (s16 & 0x7FFF) ? vf_recip(vf_from_fp16(s16)) : VF_ZERO;
  return s16;
}

static void qscale(ecim_vu_t *v, const vu_slot_t *s) {
  if (s->row_mode) {
    v->row_s16 = quant_scale(v->rowmax, &v->row_inv);
    return;
  }
  for (unsigned g = 0; g < s->n; g++) {
    uint16_t s16 = quant_scale(v->gmax[g], &v->inv[g]);
    if (s->out) ecim_put_le16(v->rs + 2 * g, s16);
    else ecim_put_le16(v->bank[VB_D] + 2 * ((size_t)s->scale_off + g), s16);
  }
}

static void qcodes(ecim_vu_t *v, const vu_slot_t *s) {
  for (unsigned i = 0; i < s->n; i++) {
    uint32_t inv = s->row_mode ? v->row_inv : v->inv[i / 32];
    int8_t q = (int8_t)(inv ? vf_to_int_rne(vf_mul(f32_at(v, VB_T, i), inv), -127, 127) : 0);
    if (s->out) v->rq[i] = (uint8_t)q;
    else v->bank[VB_C][i] = (uint8_t)q;
  }
}

unsigned ecim_vu_execute(const ecim_hw_t *h, ecim_vu_t *v, const vu_slot_t *s) {
  unsigned lanes = (unsigned)h->vec_lanes, rows = (s->n + lanes - 1) / lanes;
  switch (s->kind) {
    case VS_COMPUTE: compute(h, v, s); return rows + ECIM_VU_PIPE;
    case VS_SCALAR: scalar(h, v, s); return ECIM_VU_PIPE;
    case VS_QSCALE: qscale(v, s); return s->row_mode ? 1 + ECIM_VU_PIPE : s->n + ECIM_VU_PIPE;
    case VS_QCODES: qcodes(v, s); return rows + ECIM_VU_PIPE;
    default: return 1;
  }
}
