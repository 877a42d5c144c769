/* SPDX-License-Identifier: Apache-2.0 */
/* C model of rtl/tile_sequencer.sv and rtl/edgecim_seg_walker.sv; see ecim_top_int.h. */
#include <string.h>

#include "ecim_top_int.h"

#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)

void ecim_seq_reset(ecim_seq_t *s) {
  memset(s, 0, sizeof *s);
  s->wa.kind = s->wb.kind = ECIM_SEG_KIND_END;
}

/* --------------------------------------------------------------------- edgecim_seg_walker */
static ecim_walk_out_t walk_eval(const ecim_top_t *t, const ecim_walker_t *w) {
  const ecim_cmd_t *c = &t->seq.c;
  unsigned yblk_beats = (unsigned)(t->cfg.macro_cols * 8 / t->cfg.data_bytes);
  ecim_walk_out_t o;
  memset(&o, 0, sizeof o);
  o.active = w->kind != ECIM_SEG_KIND_END;
  o.kind = w->kind;
  o.b = w->b;
  o.nb = w->nb;
  o.kb = w->kb;
  o.first_kb = w->kb == 0;
  o.last_kb = w->kb == c->last_kb;
  switch (w->kind) {
    case ECIM_SEG_KIND_XQ: o.addr = c->x_addr + w->x_off; o.len = c->xq_beats; break;
    case ECIM_SEG_KIND_XS: o.addr = c->x_addr + w->x_off; o.len = c->xs_beats; break;
    case ECIM_SEG_KIND_YI: o.addr = c->y_addr + w->yb_off + w->y_off; o.len = yblk_beats; break;
    case ECIM_SEG_KIND_BI: o.addr = c->b_addr + w->y_off; o.len = yblk_beats; break;
    case ECIM_SEG_KIND_W:
      o.addr = c->w_addr + w->w_off;
      o.len = c->res_use ? 0 : (o.last_kb ? c->last_blk_beats : c->blk_beats);
      break;
    default: break;
  }
  o.len &= 0xFFFF;
  return o;
}

static ecim_walker_t walk_next(const ecim_top_t *t, const ecim_walker_t *w, const ecim_walk_out_t *o, int start,
                               int adv) {
  const ecim_cmd_t *c = &t->seq.c;
  unsigned beat = (unsigned)t->cfg.data_bytes;
  int first_nb_seg = c->accum ? ECIM_SEG_KIND_YI : (c->bias ? ECIM_SEG_KIND_BI : ECIM_SEG_KIND_W);
  ecim_walker_t n = *w;
  if (start) return (ecim_walker_t){ECIM_SEG_KIND_XQ, 0, 0, 0, 0, 0, 0, 0, 0};
  if (!adv) return n;
  switch (w->kind) {
    case ECIM_SEG_KIND_XQ:
      n.kind = ECIM_SEG_KIND_XS;
      n.x_off = w->x_off + c->xq_beats * beat;
      break;
    case ECIM_SEG_KIND_XS:
      n.x_off = w->x_off + c->xs_beats * beat;
      if (w->b == c->last_b) {
        n.b = 0;
        n.kind = first_nb_seg;
      } else {
        n.b = w->b + 1;
        n.kind = ECIM_SEG_KIND_XQ;
      }
      break;
    case ECIM_SEG_KIND_YI:
      if (w->b == c->last_b) {
        n.b = 0;
        n.yb_off = 0;
        n.kind = c->bias ? ECIM_SEG_KIND_BI : ECIM_SEG_KIND_W;
      } else {
        n.b = w->b + 1;
        n.yb_off = w->yb_off + c->y_stride;
      }
      break;
    case ECIM_SEG_KIND_BI: n.kind = ECIM_SEG_KIND_W; break;
    case ECIM_SEG_KIND_W:
      n.w_off = w->w_off + o->len * beat;
      if (!o->last_kb) {
        n.kb = w->kb + 1;
      } else {
        n.kb = 0;
        n.w_nb = w->w_nb + c->nb_stride; /* the next output block: packed after this one, or strided */
        n.w_off = n.w_nb;
        n.nb = (w->nb + 1) & 0x7FFFF;
        n.y_off = w->y_off + (uint32_t)t->cfg.macro_cols * 8;
        n.kind = w->nb == c->last_nb ? ECIM_SEG_KIND_END : first_nb_seg;
      }
      break;
    default: break;
  }
  return n;
}

/* ------------------------------------------------------------------ command layout at start */
static uint32_t word_bytes(const ecim_hw_t *h, uint32_t r, int prec) {
  return (r * (uint32_t)h->macro_cols) << prec >> 2;
}
static uint32_t scale_bytes(const ecim_hw_t *h, uint32_t r) { return r / 32 * (uint32_t)h->macro_cols * 2; }
static uint32_t ceil_beats(const ecim_hw_t *h, uint32_t bytes) {
  return (bytes + (uint32_t)h->data_bytes - 1) / (uint32_t)h->data_bytes;
}

static ecim_cmd_t command_layout(const ecim_hw_t *h, const ecim_cmd_desc_t *d) {
  ecim_cmd_t c;
  memset(&c, 0, sizeof c);
  uint32_t wf = FLAG(d->flags, WBITS), w = wf == 0 ? 4 : wf;
  int prec = w == 2 ? 0 : w == 4 ? 1 : 2;
  uint32_t k = d->k & 0xFFFF, n = d->n & 0xFFFFFF, db = (uint32_t)h->data_bytes;
  uint32_t rows = (uint32_t)h->macro_rows, cols = (uint32_t)h->macro_cols;
  uint32_t kp = (k + 31) & ~31u, kpad = (k + 255) & ~255u, xsb = ((kp >> 4) + 255) & ~255u;
  uint32_t xs_keep = ceil_beats(h, kp >> 4);
  uint32_t nkb = (kp + rows - 1) / rows, nnb = (n + cols - 1) / cols;
  /* FULL_BLK: the last block is laid out with every row (its rows at and beyond K are masked) */
  uint32_t last_rows = FLAG(d->flags, FULL_BLK) ? rows : (kp - (nkb - 1) * rows) & 0x3FFFF;
  uint32_t last_rows_k = (k - (nkb - 1) * rows) & 0x3FFFF;
  c.w_addr = d->w_addr;
  c.x_addr = d->x_addr;
  c.y_addr = d->y_addr;
  c.b_addr = d->b_addr;
  c.bias = (int)FLAG(d->flags, BIAS);
  c.accum = (int)FLAG(d->flags, ACCUM);
  c.res = FLAG(d->flags, RES_LOAD) || FLAG(d->flags, RES_USE);
  c.res_use = (int)FLAG(d->flags, RES_USE);
  c.res_base = (int)FLAG(d->flags, RES_BASE);
  c.prec = prec;
  c.last_b = FLAG(d->flags, BATCH_M1);
  c.last_kb = nkb - 1;
  c.last_nb = (nnb - 1) & 0x7FFFF;
  c.xq_beats = (kpad / db) & 0xFFFF;
  c.xs_beats = (xsb / db) & 0xFFFF;
  c.xs_keep = xs_keep & 0xFFFF;
  c.word_beats = (word_bytes(h, rows, prec) / db) & 0xFFFF;
  c.last_word_beats = (word_bytes(h, last_rows, prec) / db) & 0xFFFF;
  c.scale_beats = ceil_beats(h, scale_bytes(h, rows)) & 0xFFFF;
  c.last_scale_beats = ceil_beats(h, scale_bytes(h, last_rows)) & 0xFFFF;
  c.blk_beats = (((word_bytes(h, rows, prec) + scale_bytes(h, rows) + 255) & ~255u) / db) & 0xFFFF;
  c.last_blk_beats = (((word_bytes(h, last_rows, prec) + scale_bytes(h, last_rows) + 255) & ~255u) / db) & 0xFFFF;
  c.last_rows = last_rows;
  c.nb_stride = d->stride ? d->stride : (nkb - 1) * c.blk_beats * db + c.last_blk_beats * db;
  c.last_rows_k = last_rows_k;
  c.y_stride = nnb * cols * 8;
  c.kpad = kpad;
  c.xs_stride = xs_keep * db;
  c.last_cols = (n - (nnb - 1) * cols) & 0x7F;
  return c;
}

/* ------------------------------------------------------------------------------ comb parts */
void ecim_seq_comb_walk(const ecim_top_t *t, int cmd_valid, ecim_seq_comb_t *c) {
  const ecim_seq_t *s = &t->seq;
  memset(c, 0, sizeof *c);
  c->start = cmd_valid && !s->run;
  c->a = walk_eval(t, &s->wa);
  c->b = walk_eval(t, &s->wb);
  c->done = s->run && s->finish; /* and the DMA's writes idle: the top completes it */
}

void ecim_seq_comb_writer(const ecim_top_t *t, const ecim_tile_comb_t *tc, ecim_seq_comb_t *c) {
  const ecim_seq_t *s = &t->seq;
  const ecim_hw_t *h = &t->cfg;
  unsigned db = (unsigned)h->data_bytes, yblk = (unsigned)h->macro_cols * 8;
  int last_nb = s->wnb == s->c.last_nb;
  unsigned bytes = last_nb ? s->c.last_cols * 8 : yblk;
  unsigned beats = (bytes + db - 1) / db;
  c->wr_req_valid = s->run && !s->finish && !s->wact && tc[s->wtile].out_ready;
  c->wr_req_addr = s->c.y_addr + s->wyb_off + s->wy_off;
  c->wr_req_beats = beats;
  c->wr_valid = s->wact && s->wdata;
  c->w_last_beat = s->wbeat + 1 == beats;
  uint32_t left = bytes - s->wbeat * db;
  for (unsigned i = 0; i < db; i++) c->wr_strb[i] = left >= db || i < left;
}

void ecim_seq_comb_route(const ecim_top_t *t, const ecim_tile_comb_t *tc, const ecim_dma_comb_t *dc,
                         int wr_ready, const uint8_t *rd_data, ecim_seq_comb_t *c) {
  const ecim_seq_t *s = &t->seq;
  const ecim_hw_t *h = &t->cfg;
  const ecim_cmd_t *cm = &s->c;
  unsigned db = (unsigned)h->data_bytes, cols = (unsigned)h->macro_cols, nm = (unsigned)t->nm;

  /* writer handshakes (the DMA's wr_req_ready and wr_ready) */
  c->w_req_fire = c->wr_req_valid && dc->wr_req_ready;
  c->w_beat_fire = c->wr_valid && wr_ready;
  c->w_vec_done = c->w_beat_fire && c->w_last_beat;
  if (c->w_req_fire) {
    c->out_rd = 1;
    c->out_idx = 0;
  } else if (c->w_beat_fire && !c->w_last_beat) {
    c->out_rd = 1;
    c->out_idx = s->wbeat + 1;
  }
  c->out_b = s->wb_vec;
  c->release = c->w_vec_done && s->wb_vec == cm->last_b;

  /* requester */
  const ecim_walk_out_t *a = &c->a;
  unsigned a_left = (a->len - s->a_off) & 0xFFFF;
  c->rd_req_beats = a_left > (unsigned)h->max_burst ? (unsigned)h->max_burst : a_left;
  c->rd_req_addr = a->addr + s->a_off * db;
  c->rd_req_valid = s->run && a->active && a->len != 0;
  c->a_off_d = s->a_off;
  if (c->start) {
    c->a_off_d = 0;
  } else if (s->run && a->active) {
    if (a->len == 0) {
      c->a_adv = 1;
    } else if (dc->rd_req_ready) {
      c->a_off_d = (s->a_off + c->rd_req_beats) & 0xFFFF;
      if (c->a_off_d == a->len) {
        c->a_adv = 1;
        c->a_off_d = 0;
      }
    }
  }

  /* router */
  const ecim_walk_out_t *b = &c->b;
  ecim_route_t *r = &c->r;
  unsigned tile = s->tile;
  c->tile = tile;
  unsigned macro = cm->res ? (unsigned)(h->nmacros + cm->res_base) + s->resc[tile] : s->rot[tile];
  macro &= (nm > 1 ? (1u << ecim_log2u(nm)) : 2u) - 1;
  unsigned wbeats = b->last_kb ? cm->last_word_beats : cm->word_beats;
  unsigned sbeats = b->last_kb ? cm->last_scale_beats : cm->scale_beats;
  unsigned col_shift = ecim_log2u(cols), words_per_beat = db / 4;
  uint32_t word_q = s->ci * words_per_beat;
  uint32_t word_grp = word_q >> (col_shift + (unsigned)cm->prec + 1);
  uint32_t word_midx = word_q + (word_grp << (ecim_log2u((uint64_t)h->max_wbits) + col_shift)) -
                       (word_grp << (col_shift + (unsigned)cm->prec + 1));
  uint32_t midx_mask = (1u << ecim_log2u((uint64_t)ecim_ngroups(h) * cols * (unsigned)h->max_wbits)) - 1;
  memset(r, 0, sizeof *r);
  r->kind = ECIM_BEAT_KIND_PAD;
  r->macro = macro;
  r->b = b->b;
  r->yidx = s->ci;
  r->data = rd_data;
  int route_ok = 0;
  switch (b->kind) {
    case ECIM_SEG_KIND_XQ:
      r->kind = ECIM_BEAT_KIND_XQ;
      r->addr = (b->b * cm->kpad + s->ci * db) & ((unsigned)h->act_bytes - 1);
      route_ok = 1;
      break;
    case ECIM_SEG_KIND_XS:
      r->kind = s->ci < cm->xs_keep ? ECIM_BEAT_KIND_XS : ECIM_BEAT_KIND_PAD;
      r->addr = (b->b * cm->xs_stride + s->ci * db) & ((unsigned)h->act_bytes - 1);
      route_ok = 1;
      break;
    case ECIM_SEG_KIND_YI:
      r->kind = ECIM_BEAT_KIND_YI;
      route_ok = tc[tile].init_ok;
      break;
    case ECIM_SEG_KIND_BI:
      r->kind = ECIM_BEAT_KIND_BI;
      route_ok = tc[tile].init_ok;
      break;
    case ECIM_SEG_KIND_W: {
      if (s->ci < wbeats) {
        r->kind = ECIM_BEAT_KIND_WWORD;
        r->midx = word_midx & midx_mask;
      } else if (s->ci < wbeats + sbeats) {
        r->kind = ECIM_BEAT_KIND_WSCALE;
        r->midx = (((s->ci - wbeats) & 0xFFFF) * (db / 2)) & midx_mask;
      }
      int weight = r->kind == ECIM_BEAT_KIND_WWORD || r->kind == ECIM_BEAT_KIND_WSCALE;
      int wr_ready_t = !weight || (macro < nm && tc[tile].mo[macro].w_ready);
      route_ok = !(tc[tile].pend >> macro & 1) && wr_ready_t;
      break;
    }
    default: break;
  }
  c->route_ok = route_ok;
  int seg_last = s->ci + 1 == b->len;
  int is_w = b->kind == ECIM_SEG_KIND_W;
  c->blk_push = s->run && b->active && is_w && tc[tile].blk_ready &&
                (b->len == 0 || (dc->rd_valid && route_ok && seg_last));
  c->beat_fire = s->run && b->active && b->len != 0 && dc->rd_valid && route_ok &&
                 (!is_w || !seg_last || tc[tile].blk_ready);
  c->x_broadcast = b->kind == ECIM_SEG_KIND_XQ || b->kind == ECIM_SEG_KIND_XS;
  r->blk_macro = (int)macro;
  r->blk_kb = (int)b->kb;
  r->blk_groups = (int)((b->last_kb ? cm->last_rows : (unsigned)h->macro_rows) / 32);
  r->blk_rows = (int)(b->last_kb ? cm->last_rows_k : (unsigned)h->macro_rows);
  r->blk_swap = !cm->res_use;
  r->blk_first = b->first_kb;
  r->blk_last = b->last_kb;
  c->ci_d = s->ci;
  if (c->start) {
    c->ci_d = 0;
  } else if (c->blk_push) {
    c->b_adv = 1;
    c->ci_d = 0;
  } else if (c->beat_fire) {
    c->ci_d = (s->ci + 1) & 0xFFFF;
    if (seg_last) {
      c->b_adv = 1;
      c->ci_d = 0;
    }
  }
}

/* ------------------------------------------------------------------------------ the edge */
void ecim_seq_clock(ecim_top_t *t, const ecim_seq_comb_t *c, int done) {
  ecim_seq_t *s = &t->seq;
  const ecim_hw_t *h = &t->cfg;
  ecim_walker_t wa = walk_next(t, &s->wa, &c->a, c->start, c->a_adv);
  ecim_walker_t wb = walk_next(t, &s->wb, &c->b, c->start, c->b_adv);
  /* router's tile and macro rotation */
  if (c->start) {
    s->tile = 0;
    memset(s->rot, 0, sizeof s->rot);
    memset(s->resc, 0, sizeof s->resc);
  } else if (c->blk_push) {
    unsigned nm = (unsigned)t->nm, mask = (nm > 1 ? (1u << ecim_log2u(nm)) : 2u) - 1;
    if (s->c.res) s->resc[c->tile] = (s->resc[c->tile] + 1) & mask;
    else s->rot[c->tile] = s->rot[c->tile] == (unsigned)h->nmacros - 1 ? 0 : s->rot[c->tile] + 1;
    if (c->b.last_kb) s->tile = s->tile == (unsigned)h->ntiles - 1 ? 0 : s->tile + 1;
  }
  /* writer */
  if (c->w_req_fire) {
    s->wact = 1;
    s->wdata = 1;
    s->wbeat = 0;
  } else if (c->w_beat_fire) {
    s->wbeat++;
    if (c->w_last_beat) {
      s->wact = 0;
      s->wdata = 0;
      if (s->wb_vec == s->c.last_b) {
        s->wb_vec = 0;
        s->wyb_off = 0;
        if (s->wnb == s->c.last_nb) s->finish = 1;
        s->wnb = (s->wnb + 1) & 0x7FFFF;
        s->wy_off += (uint32_t)h->macro_cols * 8;
        s->wtile = s->wtile == (unsigned)h->ntiles - 1 ? 0 : s->wtile + 1;
      } else {
        s->wb_vec++;
        s->wyb_off += s->c.y_stride;
      }
    }
  }
  s->a_off = c->a_off_d;
  s->ci = c->ci_d;
  s->wa = wa;
  s->wb = wb;
  if (c->start) {
    s->c = command_layout(h, &t->r.qmem[t->r.q_rd]);
    s->run = 1;
    s->finish = 0;
    s->wnb = s->wtile = s->wb_vec = 0;
    s->wyb_off = s->wy_off = 0;
  } else if (done) {
    s->run = 0;
  }
}
