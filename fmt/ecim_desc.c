/* SPDX-License-Identifier: Apache-2.0 */
/* The descriptor words and the GEMV checks (see ecim_desc.h); the vector ops' checks are in
 * ecim_desc_vu.c. rtl/edgecim_desc_check.sv computes the same verdicts, in 64-bit arithmetic: no
 * buffer end wraps around. */
#include "ecim_desc.h"

#include "edgecim_regs.h"

#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)
#define BIT(name) (EDGECIM_##name##_MASK << EDGECIM_##name##_LSB)

static uint32_t sat_add32(uint32_t a, uint32_t b) {
  uint64_t s = (uint64_t)a + b;
  return s > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)s;
}

void ecim_desc_to_words(const ecim_desc_t *d, uint32_t w[ECIM_DESC_WORDS]) {
  const uint32_t v[ECIM_DESC_WORDS] = {d->w_addr, d->x_addr, d->y_addr, d->b_addr, d->k,  d->n,  d->flags, d->op,
                                       d->stride, d->dstride, d->p0,    d->p1,     d->p2, d->w_bytes, 0, 0};
  for (int i = 0; i < ECIM_DESC_WORDS; i++) w[i] = v[i];
}

ecim_desc_t ecim_desc_of_words(const uint32_t w[ECIM_DESC_WORDS]) {
  ecim_desc_t d = {w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13]};
  return d;
}

ecim_cand_t ecim_cand_of(const ecim_desc_t *d, uint32_t pos, uint32_t token) {
  ecim_cand_t c;
  c.w_addr = d->w_addr;
  c.x_addr = d->x_addr;
  c.y_addr = d->y_addr;
  c.b_addr = d->b_addr;
  c.k = d->k;
  c.n = d->n;
  c.flags = d->flags;
  c.op = d->op;
  c.stride = d->stride;
  c.dstride = d->dstride;
  c.p0 = d->p0;
  c.p1 = d->p1;
  c.p2 = d->p2;
  c.w_bytes = d->w_bytes;
  c.pos = pos & 0xFFFF;
  c.token = token;
  /* K_POS (GEMV) and LEN_POS (vector op) are the same bit; N_POS is a GEMV flag only */
  if (FLAG(c.flags, K_POS)) c.k = sat_add32(c.k, c.pos);
  if (c.op == ECIM_CMD_OP_GEMV && FLAG(c.flags, N_POS)) c.n = sat_add32(c.n, c.pos);
  return c;
}

ecim_cmd_desc_t ecim_cand_queued(const ecim_cand_t *c) {
  ecim_cmd_desc_t d = {c->w_addr, c->x_addr, c->y_addr, c->b_addr, c->k, c->n, c->flags,
                       c->op,     c->stride, c->dstride, c->p0,    c->p1, c->pos, c->token};
  return ecim_cmd_desc_trunc(d);
}

/* ------------------------------------------------------------------------------ GEMV */
/* Bytes of W as the command reads it: packed, FULL_BLK, or with a column-block stride. */
static uint64_t w_extent(const ecim_hw_t *h, const ecim_cand_t *c, uint64_t wbits, uint64_t *colblock) {
  uint64_t k = c->k & 0xFFFF, n = c->n, rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  *colblock = FLAG(c->flags, FULL_BLK) ? ecim_full_colblock_bytes(k, rows, cols, wbits)
                                       : ecim_colblock_bytes(k, rows, cols, wbits);
  uint64_t nnb = ecim_n_nb(n, cols);
  return c->stride ? (nnb - 1) * (uint64_t)c->stride + *colblock : nnb * *colblock;
}

/* The KV region is set up (a non-empty range below MEM_LIMIT). */
static int kv_ok(const ecim_check_ctx_t *x) { return x->kv_base < x->kv_limit && x->kv_limit <= x->mem_limit; }

int ecim_gemv_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c) {
  uint64_t k = c->k & 0xFFFF, n = c->n, lim = x->mem_limit, cols = (uint64_t)h->macro_cols;
  uint64_t wf = FLAG(c->flags, WBITS), wbits = wf ? wf : 4, batch = FLAG(c->flags, BATCH_M1) + 1;
  int res_load = (int)FLAG(c->flags, RES_LOAD), res_use = (int)FLAG(c->flags, RES_USE);
  int bias = (int)FLAG(c->flags, BIAS), kv_w = (int)FLAG(c->flags, KV_W), use_w = !res_use;
  uint32_t defined = BIT(CMD_FLAGS_BIAS) | BIT(CMD_FLAGS_ACCUM) | BIT(CMD_FLAGS_RES_LOAD) | BIT(CMD_FLAGS_RES_USE) |
                     BIT(CMD_FLAGS_K_POS) | BIT(CMD_FLAGS_N_POS) | BIT(CMD_FLAGS_FULL_BLK) | BIT(CMD_FLAGS_KV_W) |
                     BIT(CMD_FLAGS_RES_BASE) | BIT(CMD_FLAGS_WBITS) | BIT(CMD_FLAGS_BATCH_M1);
  uint64_t colblock = 0, wext = w_extent(h, c, wbits, &colblock);
  /* every end fits 64 bits: K and N are at most 16 and 24 bits, the stride 32 */
  uint64_t w_end = (uint64_t)c->w_addr + wext;
  uint64_t x_end = (uint64_t)c->x_addr + ecim_x_bytes(k, batch);
  uint64_t y_end = (uint64_t)c->y_addr + ecim_y_bytes(n, cols, batch);
  uint64_t b_end = (uint64_t)c->b_addr + ecim_b_bytes(n, cols);
  uint32_t align = ECIM_ALIGN - 1;
  int bad_flags = (res_load && res_use) || (c->flags & ~defined) || (kv_w && (res_load || res_use));
  int bad_prec = !(wbits == 2 || wbits == 4 || wbits == 8) || wbits > (uint64_t)h->max_wbits;
  int bad_batch = batch > (uint64_t)h->max_batch || batch * ecim_kpad(k) > (uint64_t)h->act_bytes;
  int bad_align = (use_w && ((c->w_addr | c->stride) & align)) || (c->x_addr & align) || (c->y_addr & align) ||
                  (bias && (c->b_addr & align));
  int bad_range = (use_w && w_end > lim) || x_end > lim || y_end > lim || (bias && b_end > lim);
  int bad_wsize = (c->stride && c->stride < colblock) || (c->w_bytes && c->w_bytes != wext);
  int in_kv = c->w_addr >= x->kv_base && w_end <= x->kv_limit && kv_ok(x);
  int overlaps_kv = x->kv_base < x->kv_limit && c->w_addr < x->kv_limit && w_end > x->kv_base;
  if (c->dstride || c->p0 || c->p1 || c->p2) return EDGECIM_ERR_BAD_OP;
  if (bad_flags) return EDGECIM_ERR_BAD_FLAGS;
  if (c->k == 0 || c->n == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (c->k > (uint32_t)h->act_bytes || c->k > ECIM_MAX_K || c->n > ECIM_MAX_N) return EDGECIM_ERR_TOO_LARGE;
  if (bad_prec) return EDGECIM_ERR_BAD_PRECISION;
  if (bad_batch) return EDGECIM_ERR_BAD_BATCH;
  if (bad_align) return EDGECIM_ERR_MISALIGNED;
  if (bad_range) return EDGECIM_ERR_OUT_OF_RANGE;
  if (use_w && bad_wsize) return EDGECIM_ERR_BAD_WSIZE;
  if (use_w && kv_w && !in_kv) return EDGECIM_ERR_KV_RANGE;
  if (use_w && !kv_w && overlaps_kv) return EDGECIM_ERR_KV_OVERLAP;
  if ((res_load || res_use) &&
      FLAG(c->flags, RES_BASE) + ecim_tile_blocks(k, n, (uint64_t)h->macro_rows, cols, (uint64_t)h->ntiles) >
          (uint64_t)h->nres)
    return EDGECIM_ERR_RESIDENT_RANGE;
  return EDGECIM_ERR_NONE;
}

int ecim_cand_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c) {
  if (c->op == ECIM_CMD_OP_GEMV) return ecim_gemv_error(h, x, c);
  if (c->op <= ECIM_CMD_OP_VAPPEND) return ecim_vu_error(h, x, c);
  return EDGECIM_ERR_BAD_OP;
}
