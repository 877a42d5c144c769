/* SPDX-License-Identifier: Apache-2.0 */
/* C model of rtl/edgecim_vu.sv, cycle by cycle at its DMA interface (see ecim_vu.h): the
 * command start, the slot sequence, the loads, stores and scatter writes, the drain. */
#include <stdlib.h>
#include <string.h>

#include "ecim_top_int.h"
#include "ecim_vf.h"
#include "ecim_vu.h"

int ecim_vu_init(ecim_vu_t *v, const ecim_hw_t *h) {
  memset(v, 0, sizeof *v);
  for (int b = 0; b < VB_N; b++)
    if (!(v->bank[b] = calloc(1, (size_t)h->vec_bank_bytes))) return -1;
  return 0;
}

void ecim_vu_free(ecim_vu_t *v) {
  for (int b = 0; b < VB_N; b++) free(v->bank[b]);
}

/* Reset: the control registers; banks, row registers and accumulators keep their contents. */
void ecim_vu_reset(ecim_vu_t *v) {
  v->run = v->in_slot = v->drain = 0;
  memset(&v->pc, 0, sizeof v->pc);
}

/* ------------------------------------------------------------------------- slot shapes */
static unsigned words_of(const ecim_hw_t *h, const vu_region_t *r) {
  return r->bank == VB_NONE ? 0 : (r->bytes + (unsigned)h->data_bytes - 1) / (unsigned)h->data_bytes;
}

/* Beats of a store: the region may start inside a beat (a CONCAT output). */
static unsigned store_beats(const ecim_hw_t *h, const vu_region_t *r) {
  unsigned db = (unsigned)h->data_bytes;
  return (r->addr % db + r->bytes + db - 1) / db;
}

/* The slot the unit is in this cycle (entered this cycle if !in_slot). */
static vu_slot_t cur_slot(const ecim_hw_t *h, const ecim_vu_t *v) {
  return v->in_slot ? v->cur : ecim_vu_slot(h, &v->c, &v->pc);
}

/* ------------------------------------------------------------------------------ scatter */
typedef struct {
  uint32_t addr; /* of the beat */
  uint8_t data[ECIM_MAX_PORT], strb[ECIM_MAX_PORT];
} vu_write_t;

static void place(const ecim_hw_t *h, vu_write_t *w, uint32_t a, const uint8_t *bytes, unsigned n) {
  unsigned db = (unsigned)h->data_bytes, o = a % db;
  memset(w, 0, sizeof *w);
  w->addr = a - o;
  for (unsigned i = 0; i < n; i++) {
    w->data[o + i] = bytes[i];
    w->strb[o + i] = 1;
  }
}

/* Write i of KAPPEND: the bit-plane words of TOKEN_POS's column, then its group scales. */
static void kappend_write(const ecim_hw_t *h, const ecim_vu_t *v, unsigned i, vu_write_t *w) {
  const vu_cmd_t *c = &v->c;
  uint64_t rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  unsigned nw = c->len / 32 * 8, gi = i < nw ? i / 8 : i - nw, kb = gi * 32 / (unsigned)rows;
  unsigned gl = gi - kb * (unsigned)rows / 32, col = c->pos % (unsigned)cols;
  uint64_t block = c->dst + (uint64_t)v->pc.seg * c->dstride +
                   (c->pos / cols) * ecim_colblock_bytes(c->len, rows, cols, 8) + kb * ecim_block_bytes(rows, cols, 8);
  uint8_t b[4];
  if (i < nw) {
    unsigned j = i % 8;
    uint32_t word = 0;
    for (unsigned rr = 0; rr < 32; rr++) word |= ((uint32_t)v->rq[gi * 32 + rr] >> j & 1u) << rr;
    for (int k = 0; k < 4; k++) b[k] = (uint8_t)(word >> (8 * k));
    place(h, w, (uint32_t)(block + ((gl * 8u + j) * cols + col) * 4), b, 4);
  } else {
    uint64_t words = ecim_block_word_bytes(ecim_block_rows(c->len, rows, kb), cols, 8);
    b[0] = v->rs[2 * gi];
    b[1] = v->rs[2 * gi + 1];
    place(h, w, (uint32_t)(block + words + (gl * cols + col) * 2), b, 2);
  }
}

/* Write i of VAPPEND: the row's scale (VF32) in the V-scale vector, then, when TOKEN_POS starts a
 * group, the weight scales 1.0 of that group in every output block of V^T. */
static void vappend_write(const ecim_hw_t *h, const ecim_vu_t *v, unsigned i, vu_write_t *w) {
  const vu_cmd_t *c = &v->c;
  unsigned db = (unsigned)h->data_bytes, cols = (unsigned)h->macro_cols, per_nb = 2 * cols > db ? 2 * cols / db : 1;
  uint8_t b[ECIM_MAX_PORT];
  if (i == 0) {
    uint32_t vs = vf_from_fp16(v->row_s16);
    for (int k = 0; k < 4; k++) b[k] = (uint8_t)(vs >> (8 * k));
    place(h, w, c->src1 + v->pc.seg * c->p1 + c->pos * 4, b, 4);
    return;
  }
  unsigned nb = (i - 1) / per_nb, part = (i - 1) % per_nb, gl = (c->pos % (unsigned)h->macro_rows) / 32;
  uint32_t ones = ecim_vu_v_block(h, c, v->pc.seg, nb) +
                  (uint32_t)ecim_block_word_bytes((uint64_t)h->macro_rows, cols, 8) + gl * cols * 2;
  unsigned n = 2 * cols < db ? 2 * cols : db;
  for (unsigned k = 0; k < n; k += 2) {
    b[k] = 0x00;
    b[k + 1] = 0x3C; /* FP16 1.0 */
  }
  place(h, w, ones + part * db, b, n);
}

static void scatter_write(const ecim_hw_t *h, const ecim_vu_t *v, const vu_slot_t *s, unsigned i, vu_write_t *w) {
  if (s->scatter == VX_KWORDS) kappend_write(h, v, i, w);
  else vappend_write(h, v, i, w);
}

/* ------------------------------------------------------------------------------ store data */
/* Beat k of a store: the bank's bytes shifted by the region's offset within its first beat. */
static void store_beat(const ecim_hw_t *h, const ecim_vu_t *v, const vu_region_t *r, unsigned k, uint8_t *data,
                       uint8_t *strb) {
  unsigned db = (unsigned)h->data_bytes, o = r->addr % db;
  for (unsigned b = 0; b < db; b++) {
    long src = (long)k * db + b - o;
    int in = src >= 0 && src < (long)r->bytes;
    data[b] = in ? v->bank[r->bank][r->boff + (unsigned long)src] : 0;
    strb[b] = (uint8_t)in;
  }
}

/* ------------------------------------------------------------------------------- per cycle */
void ecim_vu_comb(const ecim_hw_t *h, const ecim_vu_t *v, int cmd_valid, const struct ecim_dma_view *dv,
                  ecim_vu_comb_t *c) {
  unsigned db = (unsigned)h->data_bytes;
  memset(c, 0, sizeof *c);
  c->busy = v->run;
  if (!v->run) {
    c->start = cmd_valid;
    return;
  }
  if (v->drain) {
    c->done = dv->wr_idle;
    return;
  }
  vu_slot_t s = cur_slot(h, v);
  int entry = !v->in_slot;
  if (!s.enabled) {
    c->slot_end = 1;
    return;
  }
  switch (s.kind) {
    case VS_LOAD: {
      unsigned w0 = words_of(h, &s.r[0]), w = w0 + words_of(h, &s.r[1]);
      unsigned req = entry ? 0 : v->ld_req, got = entry ? 0 : v->ld_got;
      int second = req >= w0;
      unsigned left = (second ? w : w0) - req;
      c->rd_req_valid = req < w;
      c->rd_req_beats = left > (unsigned)h->max_burst ? (unsigned)h->max_burst : left;
      c->rd_req_addr = second ? s.r[1].addr + (req - w0) * db : s.r[0].addr + req * db;
      c->rd_pop = dv->rd_valid && got < w;
      c->slot_end = c->rd_pop && got + 1 == w;
      break;
    }
    case VS_STORE:
    case VS_SSTORE: {
      unsigned beats = store_beats(h, &s.r[0]), sent = entry ? 0 : v->st_sent;
      unsigned req_left = entry ? beats : v->st_req_left, burst = entry ? 0 : v->st_burst;
      c->wr_req_valid = req_left != 0 && burst == 0;
      c->wr_req_beats = req_left > 256 ? 256 : req_left;
      c->wr_req_addr = (s.r[0].addr & ~(db - 1)) + (beats - req_left) * db;
      c->wr_valid = !entry && burst != 0;
      store_beat(h, v, &s.r[0], sent, c->wr_data, c->wr_strb);
      c->slot_end = c->wr_valid && dv->wr_ready && sent + 1 == beats;
      break;
    }
    case VS_SCATTER: {
      unsigned i = entry ? 0 : v->sc_i;
      int beat = !entry && v->sc_beat;
      vu_write_t w;
      scatter_write(h, v, &s, i, &w);
      c->wr_req_valid = !beat;
      c->wr_req_beats = 1;
      c->wr_req_addr = w.addr;
      c->wr_valid = beat;
      memcpy(c->wr_data, w.data, db);
      memcpy(c->wr_strb, w.strb, db);
      c->slot_end = beat && dv->wr_ready && i + 1 == s.n;
      break;
    }
    default: { /* compute-like: a fixed duration from the slot's entry */
      c->slot_end = !entry && v->cyc + 1 == v->dur; /* durations are at least 2 */
      break;
    }
  }
}

void ecim_vu_clock(const ecim_hw_t *h, ecim_vu_t *v, const ecim_cmd_desc_t *queued, const struct ecim_dma_view *dv,
                   const ecim_vu_comb_t *c) {
  unsigned db = (unsigned)h->data_bytes;
  if (!v->run) {
    if (c->start) {
      v->c = ecim_vu_command(h, queued);
      memset(&v->pc, 0, sizeof v->pc);
      v->run = 1;
      v->in_slot = v->drain = 0;
    }
    return;
  }
  if (v->drain) {
    if (c->done) v->run = v->drain = 0;
    return;
  }
  if (!v->in_slot) { /* entering the slot */
    v->cur = ecim_vu_slot(h, &v->c, &v->pc);
    v->in_slot = 1;
    v->ld_req = v->ld_got = v->st_sent = v->sc_i = 0;
    v->st_burst = 0;
    v->sc_beat = 0;
    v->cyc = 1;
    v->st_req_left = store_beats(h, &v->cur.r[0]);
    v->dur = v->cur.enabled ? ecim_vu_execute(h, v, &v->cur) : 1;
  } else {
    v->cyc++;
  }
  const vu_slot_t *s = &v->cur;
  if (s->enabled && s->kind == VS_LOAD) {
    unsigned w0 = words_of(h, &s->r[0]);
    if (c->rd_req_valid && dv->rd_req_ready) v->ld_req += c->rd_req_beats;
    if (c->rd_pop) {
      const vu_region_t *r = v->ld_got < w0 ? &s->r[0] : &s->r[1];
      unsigned k = v->ld_got < w0 ? v->ld_got : v->ld_got - w0, n = r->bytes - k * db < db ? r->bytes - k * db : db;
      uint8_t *dst[2] = {NULL, NULL};
      if (r->bank == VB_AD) dst[0] = v->bank[VB_A], dst[1] = v->bank[VB_D];
      else if (r->bank == VB_RQ) dst[0] = v->rq;
      else if (r->bank == VB_RS) dst[0] = v->rs;
      else dst[0] = v->bank[r->bank];
      for (int d = 0; d < 2; d++)
        if (dst[d]) memcpy(dst[d] + r->boff + k * db, dv->rd_data, r->bank >= VB_N && r->bank != VB_AD ? n : db);
      v->ld_got++;
    }
  } else if (s->enabled && (s->kind == VS_STORE || s->kind == VS_SSTORE)) {
    if (c->wr_req_valid && dv->wr_req_ready) {
      v->st_req_left -= c->wr_req_beats;
      v->st_burst = c->wr_req_beats;
    }
    if (c->wr_valid && dv->wr_ready) {
      v->st_sent++;
      v->st_burst--;
    }
  } else if (s->enabled && s->kind == VS_SCATTER) {
    if (c->wr_req_valid && dv->wr_req_ready) v->sc_beat = 1;
    if (c->wr_valid && dv->wr_ready) {
      v->sc_beat = 0;
      v->sc_i++;
    }
  }
  if (c->slot_end) {
    v->in_slot = 0;
    if (ecim_vu_advance(h, &v->c, &v->pc)) v->drain = 1;
  }
}
