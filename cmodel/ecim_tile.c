/* SPDX-License-Identifier: Apache-2.0 */
/* C model of rtl/cim_tile.sv and rtl/cim_ppu.sv; see ecim_top_int.h. */
#include <stdlib.h>
#include <string.h>

#include "ecim_gemv.h"
#include "ecim_top_int.h"

/* ------------------------------------------------------------------------------ cim_ppu */
static unsigned ncg(const ecim_hw_t *h) { return (unsigned)(h->macro_cols / h->ppu_cols); }

static int ppu_init(ecim_ppu_t *p, const ecim_hw_t *h) {
  size_t nsums = (size_t)ecim_ngroups(h) * (size_t)h->macro_cols, pc = (size_t)h->ppu_cols;
  size_t vals = (size_t)h->max_batch * (size_t)h->macro_cols, lanes = ecim_acc_lanes(h);
  size_t terms = pc * ecim_ngroups(h);
  memset(p, 0, sizeof *p);
  int ok = (p->ir_sums = calloc(nsums, sizeof(int32_t))) != NULL;
  ok = ok && (p->ir_wsc = calloc(nsums, sizeof(uint16_t))) != NULL;
  ok = ok && (p->p1_terms = calloc(terms, sizeof(int64_t))) != NULL;
  ok = ok && (p->p2_terms = calloc(terms, sizeof(int64_t))) != NULL;
  ok = ok && (p->p3_terms = calloc(terms, sizeof(int64_t))) != NULL;
  ok = ok && (p->p2_acc = calloc(lanes, sizeof(int64_t))) != NULL;
  ok = ok && (p->p3_sum = calloc(pc, sizeof(int64_t))) != NULL;
  for (int hh = 0; hh < 2 && ok; hh++) {
    ok = (p->bias[hh] = calloc((size_t)h->macro_cols, sizeof(int64_t))) != NULL;
    ok = ok && (p->acc[hh] = calloc(vals, sizeof(int64_t))) != NULL;
    ok = ok && (p->rdata[hh] = calloc(lanes, sizeof(int64_t))) != NULL;
  }
  return ok ? 0 : -1;
}

static void ppu_free(ecim_ppu_t *p) {
  free(p->ir_sums);
  free(p->ir_wsc);
  free(p->p1_terms);
  free(p->p2_terms);
  free(p->p3_terms);
  free(p->p2_acc);
  free(p->p3_sum);
  for (int h = 0; h < 2; h++) {
    free(p->bias[h]);
    free(p->acc[h]);
    free(p->rdata[h]);
  }
}

static void ppu_reset(ecim_ppu_t *p) {
  p->ir_valid = 0;
  p->cg = 0;
  memset(&p->p1, 0, sizeof p->p1);
  memset(&p->p2, 0, sizeof p->p2);
  memset(&p->p3, 0, sizeof p->p3);
  p->in_blk = p->load_blk = p->done_blk = p->drained = 0;
}

static int half_ok(const ecim_ppu_t *p) { return ((p->load_blk - p->drained) & 3) <= 1; }

static int ppu_ready(const ecim_hw_t *h, const ecim_ppu_t *p) {
  int ir_done = p->ir_valid && p->cg == ncg(h) - 1;
  return (!p->ir_valid || ir_done) && half_ok(p);
}

/* The SRAM read of (vector b, column c): the whole word into the half's read-data register. */
static void acc_read(const ecim_hw_t *h, ecim_ppu_t *p, int half, unsigned b, unsigned c) {
  unsigned lanes = ecim_acc_lanes(h), w = (b * (unsigned)h->macro_cols + c) / lanes;
  memcpy(p->rdata[half], p->acc[half] + (size_t)w * lanes, lanes * sizeof(int64_t));
}

typedef struct {
  int load, out_rd, out_release, yi, bi, in_advance, start, accum, bias;
  unsigned out_b, out_idx, yi_b, yidx;
  const uint8_t *data;
  const int32_t *sums;
  const uint16_t *wsc, *xs;
  ecim_op_t op;
} ppu_in_t;

static int64_t le64(const uint8_t *p) { return ecim_get_le64(p); }

static void ppu_clock(const ecim_hw_t *h, ecim_ppu_t *p, const ppu_in_t *in) {
  const unsigned pc = (unsigned)h->ppu_cols, ng = ecim_ngroups(h), cols = (unsigned)h->macro_cols;
  const unsigned lanes = ecim_acc_lanes(h), bv = (unsigned)h->data_bytes / 8;
  ecim_ppu_meta_t p0 = p->ir;
  p0.valid = p->ir_valid;
  p0.cg = p->cg;
  int ir_done = p->ir_valid && p->cg == ncg(h) - 1;
  int blk_done = p->p3.valid && p->p3.last && p->p3.last_b && p->p3.cg == ncg(h) - 1;

  /* P2 works on the accumulator word latched at the last edge; this edge latches the next. */
  int64_t p2_acc[ECIM_MAX_PORT / 8 > 16 ? ECIM_MAX_PORT / 8 : 16];
  memcpy(p2_acc, p->p2_acc, lanes * sizeof(int64_t));
  /* SRAM reads see the accumulators before this edge's writes. */
  if (p->p1.valid) memcpy(p->p2_acc, p->rdata[p->p1.half], lanes * sizeof(int64_t));
  if (p0.valid) acc_read(h, p, p0.half, p0.b, p0.cg * pc);
  if (in->out_rd) acc_read(h, p, (int)(p->drained & 1), in->out_b, in->out_idx * bv);

  /* P3: groups 2.. and the write back. */
  if (p->p3.valid) {
    int64_t *acc = p->acc[p->p3.half] + (size_t)p->p3.b * cols + p->p3.cg * pc;
    for (unsigned k = 0; k < pc; k++) {
      int64_t v = p->p3_sum[k];
      for (unsigned g = 2; g < ng; g++)
        if (g < p->p3.groups) v = ecim_sat_add(v, p->p3_terms[k * ng + g]);
      acc[k] = v;
    }
  }
  /* The router's old y into the half of the block it feeds. */
  if (in->yi) {
    int64_t *acc = p->acc[p->in_blk & 1] + (size_t)in->yi_b * cols + in->yidx * bv;
    for (unsigned k = 0; k < bv; k++) acc[k] = le64(in->data + 8 * k);
  }
  /* P2: base, bias, groups 0 and 1. */
  if (p->p2.valid) {
    for (unsigned k = 0; k < pc; k++) {
      unsigned c = p->p2.cg * pc + k;
      int64_t v = (p->p2.first && !in->accum) ? 0 : p2_acc[c % lanes];
      if (p->p2.first && in->bias) v = ecim_sat_add(v, p->bias[p->p2.half][c]);
      for (unsigned g = 0; g < 2 && g < ng; g++)
        if (g < p->p2.groups) v = ecim_sat_add(v, p->p2_terms[k * ng + g]);
      p->p3_sum[k] = v;
    }
    memcpy(p->p3_terms, p->p2_terms, (size_t)pc * ng * sizeof(int64_t));
  }
  /* P1 -> P2 terms; P0 -> P1 terms (the RTL's two term stages hold the product, then the term:
   * the model computes the term at once, with the same timing). */
  if (p->p1.valid) memcpy(p->p2_terms, p->p1_terms, (size_t)pc * ng * sizeof(int64_t));
  if (p0.valid) {
    for (unsigned k = 0; k < pc; k++)
      for (unsigned g = 0; g < ng; g++) {
        unsigned i = g * cols + p0.cg * pc + k;
        p->p1_terms[k * ng + g] = ecim_group_term(p->ir_sums[i], p->ir_wsc[i], p->ir_xs[g]);
      }
  }
  if (in->bi) {
    for (unsigned k = 0; k < bv; k++) p->bias[p->in_blk & 1][in->yidx * bv + k] = le64(in->data + 8 * k);
  }
  if (in->out_rd) p->out_idx = in->out_idx;

  /* Input register and pipeline registers. */
  if (in->load) {
    size_t nsums = (size_t)ng * cols;
    memcpy(p->ir_sums, in->sums, nsums * sizeof(int32_t));
    memcpy(p->ir_wsc, in->wsc, nsums * sizeof(uint16_t));
    memcpy(p->ir_xs, in->xs, ng * sizeof(uint16_t));
    p->ir.b = in->op.b;
    p->ir.groups = in->op.groups;
    p->ir.first = in->op.first;
    p->ir.last = in->op.last;
    p->ir.last_b = in->op.last_b;
    p->ir.half = (int)(p->load_blk & 1);
  }
  if (in->load) p->ir_valid = 1;
  else if (ir_done) p->ir_valid = 0;
  if (in->load) p->cg = 0;
  else if (p->ir_valid) p->cg = (p->cg + 1) & ((1u << ecim_log2u(ncg(h) > 1 ? ncg(h) : 2)) - 1);
  p->p3 = p->p2;
  p->p2 = p->p1;
  p->p1 = p0;
  if (in->start) {
    p->in_blk = p->load_blk = p->done_blk = p->drained = 0;
  } else {
    if (in->in_advance) p->in_blk = (p->in_blk + 1) & 3;
    if (in->load && in->op.last && in->op.last_b) p->load_blk = (p->load_blk + 1) & 3;
    if (blk_done) p->done_blk = (p->done_blk + 1) & 3;
    if (in->out_release) p->drained = (p->drained + 1) & 3;
  }
}

static int ppu_busy(const ecim_ppu_t *p) { return p->ir_valid || p->p1.valid || p->p2.valid || p->p3.valid; }

/* ----------------------------------------------------------------------------- cim_tile */
int ecim_tile_init(ecim_tile_t *tl, const ecim_hw_t *h, int nm) {
  memset(tl, 0, sizeof *tl);
  cim_macro_cfg_t mc = {h->macro_rows, h->macro_cols, ECIM_GROUP_ROWS, h->max_wbits, h->abits, h->data_bytes * 8};
  int ok = (tl->m = calloc((size_t)nm, sizeof *tl->m)) != NULL;
  for (int m = 0; m < nm && ok; m++) ok = (tl->m[m] = cim_macro_new(&mc)) != NULL;
  ok = ok && (tl->xq = calloc((size_t)h->act_bytes, 1)) != NULL;
  ok = ok && (tl->xs = calloc(ecim_xs_buf_bytes(h), 1)) != NULL;
  ok = ok && (tl->x_word = calloc(ecim_aword(h), 1)) != NULL;
  ok = ok && (tl->xs_word = calloc((size_t)h->data_bytes, 1)) != NULL;
  ok = ok && ppu_init(&tl->ppu, h) == 0;
  return ok ? 0 : -1;
}

void ecim_tile_free(ecim_tile_t *tl, int nm) {
  if (tl->m)
    for (int m = 0; m < nm; m++) cim_macro_free(tl->m[m]);
  free(tl->m);
  free(tl->xq);
  free(tl->xs);
  free(tl->x_word);
  free(tl->xs_word);
  ppu_free(&tl->ppu);
}

/* Reset: the registers with a reset in the RTL; memories keep their contents. */
void ecim_tile_reset(ecim_tile_t *tl, const ecim_hw_t *h, int nm) {
  (void)h;
  for (int m = 0; m < nm; m++) cim_macro_reset(tl->m[m]);
  tl->q_count = tl->q_rd = tl->q_wr = 0;
  tl->b = tl->b_xoff = tl->b_soff = 0;
  tl->pl_active = tl->pl_new = tl->pl_swap = 0;
  tl->bit = tl->pl_rows = tl->pl_part = tl->pl_spart = 0;
  memset(&tl->pl_op, 0, sizeof tl->pl_op);
  tl->pend = 0;
  tl->opq_count = tl->opq_rd = tl->opq_wr = 0;
  ppu_reset(&tl->ppu);
}

/* The inputs of macro m for this cycle, without the router's write (its w_ready does not depend
 * on it). */
static cim_macro_in_t macro_in(const ecim_tile_t *tl, const ecim_tile_comb_t *c, int m, int r_ready) {
  cim_macro_in_t mi;
  memset(&mi, 0, sizeof mi);
  mi.a_valid = tl->pl_active && (unsigned)m == tl->pl_op.macro;
  mi.a_plane = c->plane;
  mi.a_swap = tl->pl_swap && tl->bit == 0;
  mi.r_ready = tl->opq_count && (unsigned)m == tl->opq[tl->opq_rd].macro ? r_ready : 0;
  return mi;
}

void ecim_tile_comb(const ecim_top_t *t, const ecim_tile_t *tl, ecim_tile_comb_t *c) {
  const ecim_hw_t *h = &t->cfg;
  const ecim_ppu_t *p = &tl->ppu;
  const unsigned rows = (unsigned)h->macro_rows;
  c->blk_ready = tl->q_count != 2;
  c->init_ok = ((p->in_blk - p->drained) & 3) <= 1;
  c->out_ready = p->done_blk != p->drained;
  c->pend = tl->pend;
  /* the plane of the operation being sent (rows at and beyond K are zero) */
  const uint8_t *x = tl->x_word + (size_t)tl->pl_part * rows;
  for (unsigned r = 0; r < rows; r++) c->plane[r] = r < tl->pl_rows ? (uint8_t)(x[r] >> tl->bit & 1) : 0;
  c->ppu_ready = ppu_ready(h, p);
  for (int m = 0; m < t->nm; m++) {
    cim_macro_in_t mi = macro_in(tl, c, m, c->ppu_ready);
    mi.a_prec = t->seq.c.prec;
    cim_macro_eval(tl->m[m], &mi, &c->mo[m]);
  }
  c->cur_ready = c->mo[tl->pl_op.macro].a_ready;
  c->pl_fire = tl->pl_active && c->cur_ready;
  c->pl_last = tl->bit == (unsigned)h->abits - 1;
  c->swap_fire = c->pl_fire && tl->pl_swap && tl->bit == 0;
  int opq_room = tl->opq_count + (unsigned)tl->pl_new < ECIM_OPQ_DEPTH;
  c->op_rd = tl->q_count != 0 && opq_room && (!tl->pl_active || (c->pl_fire && c->pl_last));
  c->q_pop = c->op_rd && tl->b == t->seq.c.last_b;
  c->ppu_valid = tl->opq_count != 0 && c->mo[tl->opq[tl->opq_rd].macro].r_valid;
  c->ppu_load = c->ppu_valid && c->ppu_ready;
  c->ir_done = p->ir_valid && p->cg == ncg(h) - 1;
}

void ecim_tile_clock(ecim_top_t *t, ecim_tile_t *tl, ecim_tile_comb_t *c, const ecim_seq_comb_t *sc,
                     int wr_valid, int blk_valid, int out_rd, int out_release) {
  const ecim_hw_t *h = &t->cfg;
  const ecim_cmd_t *cm = &t->seq.c;
  const ecim_route_t *r = &sc->r;
  const unsigned rows = (unsigned)h->macro_rows, db = (unsigned)h->data_bytes, aword = ecim_aword(h);
  const unsigned xs_bytes = ecim_xs_buf_bytes(h);
  const ecim_entry_t *head = &tl->q[tl->q_rd];
  const ecim_op_t *oh = &tl->opq[tl->opq_rd];
  int blk_push = blk_valid && c->blk_ready;

  /* Post-processor (reads the macro result of the head operation before the macros clock). */
  ppu_in_t pi;
  memset(&pi, 0, sizeof pi);
  pi.load = c->ppu_load;
  pi.sums = c->mo[oh->macro].r_data;
  pi.wsc = c->mo[oh->macro].r_scale;
  pi.xs = tl->opq_xs[tl->opq_rd];
  pi.op = *oh;
  pi.yi = wr_valid && r->kind == ECIM_BEAT_KIND_YI;
  pi.bi = wr_valid && r->kind == ECIM_BEAT_KIND_BI;
  pi.yi_b = r->b;
  pi.yidx = r->yidx & ((unsigned)(h->macro_cols * 8 / h->data_bytes > 1 ? h->macro_cols * 8 / h->data_bytes : 2) - 1);
  pi.data = r->data;
  pi.in_advance = blk_push && r->blk_last;
  pi.out_rd = out_rd;
  pi.out_b = sc->out_b;
  pi.out_idx = sc->out_idx;
  pi.out_release = out_release;
  pi.start = sc->start;
  pi.accum = cm->accum;
  pi.bias = cm->bias;
  ppu_clock(h, &tl->ppu, &pi);

  /* Macros. */
  int weight = r->kind == ECIM_BEAT_KIND_WWORD || r->kind == ECIM_BEAT_KIND_WSCALE;
  for (int m = 0; m < t->nm; m++) {
    cim_macro_in_t mi = macro_in(tl, c, m, c->ppu_ready);
    mi.a_prec = cm->prec;
    mi.w_valid = wr_valid && weight && r->macro == (unsigned)m;
    mi.w_kind = r->kind == ECIM_BEAT_KIND_WSCALE;
    mi.w_idx = r->midx;
    mi.w_data = r->data;
    cim_macro_clock(tl->m[m], &mi);
  }

  /* Activation buffers: the operation's read sees them before this cycle's write. */
  if (c->op_rd) {
    unsigned xaddr = (tl->b_xoff + head->kb * rows) & ((unsigned)h->act_bytes - 1);
    unsigned saddr = (tl->b_soff + head->kb * (rows / 16)) & (xs_bytes - 1);
    memcpy(tl->x_word, tl->xq + (size_t)(xaddr / aword) * aword, aword);
    memcpy(tl->xs_word, tl->xs + (size_t)(saddr / db) * db, db);
    tl->pl_part = (xaddr % aword) / rows;
    tl->pl_spart = (saddr % db) / (rows / 16);
  }
  if (wr_valid && r->kind == ECIM_BEAT_KIND_XQ) memcpy(tl->xq + r->addr, r->data, db);
  if (wr_valid && r->kind == ECIM_BEAT_KIND_XS)
    memcpy(tl->xs + (size_t)((r->addr / db) % (xs_bytes / db)) * db, r->data, db);

  /* Op queue: push the cycle after the read (the scales have arrived); pop when the PPU loads. */
  if (tl->pl_new) {
    tl->opq[tl->opq_wr] = tl->pl_op;
    const uint8_t *s = tl->xs_word + (size_t)tl->pl_spart * (rows / 16);
    for (unsigned g = 0; g < rows / 32; g++) tl->opq_xs[tl->opq_wr][g] = ecim_get_le16(s + 2 * g);
  }
  if (tl->pl_new) tl->opq_wr = (tl->opq_wr + 1) % ECIM_OPQ_DEPTH;
  if (c->ppu_load) tl->opq_rd = (tl->opq_rd + 1) % ECIM_OPQ_DEPTH;
  tl->opq_count = tl->opq_count + (unsigned)tl->pl_new - (unsigned)c->ppu_load;

  /* Issuer. (pl_part/pl_spart above are loaded with op_rd, like the rest.) */
  uint32_t pend_d = tl->pend;
  if (blk_push && r->blk_swap) pend_d |= 1u << r->blk_macro;
  if (c->swap_fire) pend_d &= ~(1u << tl->pl_op.macro);
  tl->pl_new = c->op_rd;
  if (c->pl_fire) tl->bit = (tl->bit + 1) & ((1u << ecim_log2u((uint64_t)h->abits)) - 1);
  if (c->op_rd) {
    tl->pl_active = 1;
    tl->bit = 0;
    tl->pl_swap = head->swap && tl->b == 0;
    tl->pl_rows = head->rows;
    tl->pl_op = (ecim_op_t){head->macro, tl->b, head->groups, head->first, head->last, tl->b == cm->last_b};
    if (tl->b == cm->last_b) {
      tl->b = tl->b_xoff = tl->b_soff = 0;
    } else {
      tl->b++;
      tl->b_xoff = (tl->b_xoff + cm->kpad) & ((2u * (unsigned)h->act_bytes) - 1);
      tl->b_soff = (tl->b_soff + cm->xs_stride) & ((2u * xs_bytes) - 1);
    }
  } else if (c->pl_fire && c->pl_last) {
    tl->pl_active = 0;
  }
  tl->pend = pend_d;

  /* Entry queue. */
  if (blk_push) {
    tl->q[tl->q_wr] = (ecim_entry_t){(unsigned)r->blk_macro, (unsigned)r->blk_kb, (unsigned)r->blk_groups,
                                     (unsigned)r->blk_rows, r->blk_swap, r->blk_first, r->blk_last};
    tl->q_wr ^= 1;
  }
  if (c->q_pop) tl->q_rd ^= 1;
  tl->q_count = tl->q_count + (unsigned)blk_push - (unsigned)c->q_pop;
}

const uint8_t *ecim_tile_out_data(const ecim_top_t *t, const ecim_tile_t *tl) {
  static uint8_t buf[ECIM_MAX_PORT];
  const ecim_hw_t *h = &t->cfg;
  const ecim_ppu_t *p = &tl->ppu;
  unsigned lanes = ecim_acc_lanes(h), bv = (unsigned)h->data_bytes / 8;
  unsigned lane = (p->out_idx * bv) % lanes;
  const int64_t *v = p->rdata[p->drained & 1] + lane;
  for (unsigned k = 0; k < bv; k++) ecim_put_le64(buf + 8 * k, v[k]);
  return buf;
}

int ecim_tile_busy(const ecim_tile_t *tl, const ecim_tile_comb_t *c, int nm) {
  int idle = 1;
  for (int m = 0; m < nm; m++) idle &= c->mo[m].idle;
  return tl->q_count != 0 || tl->pl_active || tl->pl_new || tl->opq_count != 0 || !idle || ppu_busy(&tl->ppu);
}
