/* SPDX-License-Identifier: Apache-2.0 */
/* The functional device: see ecim_func.h. */
#include "ecim_func.h"

#include <stdlib.h>
#include <string.h>

#include "ecim_fmt.h"
#include "ecim_gemv.h"
#include "edgecim_regs.h"

#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)

typedef struct {
  uint32_t addr, end;
  int K, N, wbits;
  uint64_t handle;
} known_t;

struct ecim_func {
  ecim_hw_t h;
  const ecim_mem_t *m;
  ecim_mem_t wm;          /* m, with every write dropping the known matrices it touches */
  known_t *known;         /* sorted by addr, disjoint */
  size_t n_known, cap_known;
  ecim_func_gemv_fn hook;
  void *hook_ctx;
};

/* ------------------------------------------------------------------------------- memory */
static void rd(const ecim_func_t *f, uint32_t a, void *dst, size_t n) { f->m->read(f->m->ctx, a, dst, n); }
static void wr(ecim_func_t *f, uint32_t a, const void *src, size_t n) { f->wm.write(f->wm.ctx, a, src, n); }

static void dev_write(void *ctx, uint32_t a, const void *src, size_t n) {
  ecim_func_t *f = ctx;
  ecim_func_forget(f, a, n);
  f->m->write(f->m->ctx, a, src, n);
}
static void dev_read(void *ctx, uint32_t a, void *dst, size_t n) { rd(ctx, a, dst, n); }

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort(); /* like the reference: no failure path of its own for a machine out of memory */
  return p;
}

static int64_t *read_q24(const ecim_func_t *f, uint32_t a, uint32_t n, int64_t *v) {
  uint8_t *b = xmalloc((size_t)n * 8);
  rd(f, a, b, (size_t)n * 8);
  for (uint32_t i = 0; i < n; i++) v[i] = ecim_get_le64(b + 8 * (size_t)i);
  free(b);
  return v;
}

static void write_q24(ecim_func_t *f, uint32_t a, uint32_t n, const int64_t *v) {
  uint8_t *b = xmalloc((size_t)n * 8);
  for (uint32_t i = 0; i < n; i++) ecim_put_le64(b + 8 * (size_t)i, v[i]);
  wr(f, a, b, (size_t)n * 8);
  free(b);
}

/* ------------------------------------------------------------------------- known matrices */
ecim_func_t *ecim_func_new(const ecim_hw_t *h, const ecim_mem_t *m) {
  ecim_func_t *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->h = *h;
  f->m = m;
  f->wm = (ecim_mem_t){f, dev_read, dev_write};
  return f;
}

void ecim_func_free(ecim_func_t *f) {
  if (!f) return;
  free(f->known);
  free(f);
}

void ecim_func_set_hook(ecim_func_t *f, ecim_func_gemv_fn fn, void *ctx) {
  f->hook = fn;
  f->hook_ctx = ctx;
}

/* The first known matrix ending after addr (n_known if none). */
static size_t first_after(const ecim_func_t *f, uint32_t addr) {
  size_t lo = 0, hi = f->n_known;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (f->known[mid].end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void ecim_func_forget(ecim_func_t *f, uint32_t addr, size_t n) {
  uint64_t end = (uint64_t)addr + n;
  size_t i = first_after(f, addr), j = i;
  while (j < f->n_known && f->known[j].addr < end) j++;
  if (j == i) return;
  memmove(f->known + i, f->known + j, (f->n_known - j) * sizeof *f->known);
  f->n_known -= j - i;
}

int ecim_func_know(ecim_func_t *f, uint32_t addr, int K, int N, int wbits, uint64_t handle) {
  ecim_geom_t g = ecim_geom_of(&f->h);
  size_t bytes = ecim_dev_bytes(&g, K, N, wbits);
  if (!bytes || (uint64_t)addr + bytes > UINT32_MAX) return -1;
  ecim_func_forget(f, addr, bytes);
  if (f->n_known == f->cap_known) {
    size_t cap = f->cap_known ? 2 * f->cap_known : 64;
    known_t *p = realloc(f->known, cap * sizeof *p);
    if (!p) return -1;
    f->known = p;
    f->cap_known = cap;
  }
  size_t i = first_after(f, addr);
  memmove(f->known + i + 1, f->known + i, (f->n_known - i) * sizeof *f->known);
  f->known[i] = (known_t){addr, (uint32_t)(addr + bytes), K, N, wbits, handle};
  f->n_known++;
  return 0;
}

/* ----------------------------------------------------------------------------- GEMV shape */
typedef struct {
  uint32_t w, x, y, b;
  unsigned K, N, wbits, batch, groups, R, C, nnb;
  int bias, accum, full_blk, kv_w;
  uint64_t colblock, nb_stride, x_stride, y_stride;
} gemv_t;

static gemv_t gemv_of(const ecim_hw_t *h, const ecim_cmd_desc_t *d) {
  gemv_t g;
  unsigned wf = FLAG(d->flags, WBITS);
  g.w = d->w_addr;
  g.x = d->x_addr;
  g.y = d->y_addr;
  g.b = d->b_addr;
  g.K = d->k;
  g.N = d->n;
  g.wbits = wf ? wf : 4;
  g.batch = FLAG(d->flags, BATCH_M1) + 1;
  g.groups = (unsigned)ecim_kp(g.K) / ECIM_GROUP_ROWS;
  g.R = (unsigned)h->macro_rows;
  g.C = (unsigned)h->macro_cols;
  g.nnb = (unsigned)ecim_n_nb(g.N, g.C);
  g.bias = (int)FLAG(d->flags, BIAS);
  g.accum = (int)FLAG(d->flags, ACCUM);
  g.full_blk = (int)FLAG(d->flags, FULL_BLK);
  g.kv_w = (int)FLAG(d->flags, KV_W);
  g.colblock = g.full_blk ? ecim_full_colblock_bytes(g.K, g.R, g.C, g.wbits) : ecim_colblock_bytes(g.K, g.R, g.C, g.wbits);
  g.nb_stride = d->stride ? d->stride : g.colblock;
  g.x_stride = ecim_x_stride(g.K);
  g.y_stride = ecim_y_stride(g.N, g.C);
  return g;
}

/* Vector b's activations: Kp codes (those at and beyond K zero: the tiles mask those rows) and
 * Kp/32 scales. */
static void read_x(const ecim_func_t *f, const gemv_t *g, unsigned b, int8_t *xq, uint16_t *xs) {
  uint32_t a = g->x + (uint32_t)(b * g->x_stride);
  size_t kp = (size_t)g->groups * ECIM_GROUP_ROWS;
  uint8_t *s = xmalloc(kp / 16);
  rd(f, a, xq, kp);
  memset(xq + g->K, 0, kp - g->K);
  rd(f, a + (uint32_t)ecim_kpad(g->K), s, kp / 16);
  for (size_t i = 0; i < kp / ECIM_GROUP_ROWS; i++) xs[i] = ecim_get_le16(s + 2 * i);
  free(s);
}

/* Vector b's accumulator before the terms: its old y (ACCUM) or 0, then the bias. */
static void init_acc(const ecim_func_t *f, const gemv_t *g, unsigned b, int64_t *acc) {
  if (g->accum) read_q24(f, g->y + (uint32_t)(b * g->y_stride), g->N, acc);
  else memset(acc, 0, (size_t)g->N * sizeof *acc);
  if (!g->bias) return;
  int64_t *bias = read_q24(f, g->b, g->N, xmalloc((size_t)g->N * sizeof *bias));
  for (unsigned n = 0; n < g->N; n++) acc[n] = ecim_sat_add(acc[n], bias[n]);
  free(bias);
}

/* --------------------------------------------------------------------- GEMV on memory */
/* The tables of one group of codes: t[q][v] = the sum of codes 8q + i over the bits i set in v,
 * so that a bit-plane word's dot product with the group is four lookups, one per byte. */
typedef int16_t group_tables_t[4][256];

static void build_tables(const int8_t *x, group_tables_t t) {
  for (int q = 0; q < 4; q++) {
    t[q][0] = 0;
    for (int i = 0; i < 8; i++)
      for (int v = 1 << i; v < 2 << i; v++) t[q][v] = (int16_t)(t[q][v - (1 << i)] + x[8 * q + i]);
  }
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* S of column c of a block's group: its wbits bit-plane words (C apart) against the group's codes. */
static int32_t group_dot(const uint8_t *words, unsigned C, unsigned wbits, const group_tables_t t) {
  int32_t s = 0;
  for (unsigned j = 0; j < wbits; j++, words += 4 * (size_t)C) {
    uint32_t w = get32(words);
    int32_t dot = t[0][w & 255] + t[1][w >> 8 & 255] + t[2][w >> 16 & 255] + t[3][w >> 24];
    s += j + 1 == wbits ? -dot * (1 << j) : dot * (1 << j); /* the top plane is the sign */
  }
  return s;
}

/* Adds the terms of one output block (nb, its column-block bytes in blk) to acc. */
static void colblock_terms(const gemv_t *g, unsigned nb, const uint8_t *blk, const group_tables_t *t,
                           const uint16_t *xs, int64_t *acc) {
  unsigned cols = g->N - nb * g->C < g->C ? g->N - nb * g->C : g->C;
  uint64_t full = ecim_block_bytes(g->R, g->C, g->wbits);
  for (unsigned kb = 0; kb * g->R < g->groups * ECIM_GROUP_ROWS; kb++, blk += full) {
    unsigned rows = g->full_blk ? g->R : (unsigned)ecim_block_rows(g->K, g->R, kb);
    const uint8_t *scales = blk + ecim_block_word_bytes(rows, g->C, g->wbits);
    for (unsigned gi = 0; gi < rows / ECIM_GROUP_ROWS; gi++) {
      unsigned grp = kb * (g->R / ECIM_GROUP_ROWS) + gi;
      if (grp >= g->groups) break; /* FULL_BLK rows beyond K: masked, every S is 0 */
      if (!(xs[grp] & 0x7FFF)) continue; /* a zero activation scale: every term is 0 */
      const uint8_t *words = blk + (size_t)gi * g->wbits * g->C * 4;
      for (unsigned c = 0; c < cols; c++) {
        int32_t s = group_dot(words + 4 * (size_t)c, g->C, g->wbits, t[grp]);
        uint16_t ws = ecim_get_le16(scales + ((size_t)gi * g->C + c) * 2);
        acc[nb * g->C + c] = ecim_sat_add(acc[nb * g->C + c], ecim_group_term(s, ws, xs[grp]));
      }
    }
  }
}

static void gemv_memory(ecim_func_t *f, const gemv_t *g) {
  int8_t *xq = xmalloc((size_t)g->groups * ECIM_GROUP_ROWS);
  uint16_t *xs = xmalloc((size_t)g->groups * sizeof *xs);
  group_tables_t *t = xmalloc((size_t)g->groups * sizeof *t);
  int64_t *acc = xmalloc((size_t)g->N * sizeof *acc);
  uint8_t *blk = xmalloc((size_t)g->colblock);
  for (unsigned b = 0; b < g->batch; b++) {
    read_x(f, g, b, xq, xs);
    for (unsigned grp = 0; grp < g->groups; grp++) build_tables(xq + (size_t)grp * ECIM_GROUP_ROWS, t[grp]);
    init_acc(f, g, b, acc);
    for (unsigned nb = 0; nb < g->nnb; nb++) {
      rd(f, g->w + (uint32_t)(nb * g->nb_stride), blk, (size_t)g->colblock);
      colblock_terms(g, nb, blk, t, xs, acc);
    }
    write_q24(f, g->y + (uint32_t)(b * g->y_stride), g->N, acc);
  }
  free(xq);
  free(xs);
  free(t);
  free(acc);
  free(blk);
}

/* ------------------------------------------------------------------------ GEMV by the hook */
static const known_t *known_of(const ecim_func_t *f, const gemv_t *g) {
  size_t i = first_after(f, g->w);
  if (!f->hook || i == f->n_known) return NULL;
  const known_t *k = &f->known[i];
  int packed = !g->full_blk && g->nb_stride == g->colblock && !g->kv_w;
  return packed && k->addr == g->w && k->K == (int)g->K && k->N == (int)g->N && k->wbits == (int)g->wbits ? k : NULL;
}

static int gemv_hook(ecim_func_t *f, const gemv_t *g, const known_t *k) {
  size_t kp = (size_t)g->groups * ECIM_GROUP_ROWS, B = g->batch;
  int8_t *xq = xmalloc(B * kp);
  uint16_t *xs = xmalloc(B * g->groups * sizeof *xs);
  int64_t *y = xmalloc(B * g->N * sizeof *y), *bias = NULL;
  for (unsigned b = 0; b < B; b++) {
    read_x(f, g, b, xq + b * kp, xs + (size_t)b * g->groups);
    if (g->accum) read_q24(f, g->y + (uint32_t)(b * g->y_stride), g->N, y + (size_t)b * g->N);
  }
  if (g->bias) bias = read_q24(f, g->b, g->N, xmalloc((size_t)g->N * sizeof *bias));
  int rc = f->hook(f->hook_ctx, k->handle, (int)B, xq, xs, bias, g->accum, y);
  for (unsigned b = 0; b < B && !rc; b++) write_q24(f, g->y + (uint32_t)(b * g->y_stride), g->N, y + (size_t)b * g->N);
  free(xq);
  free(xs);
  free(y);
  free(bias);
  return rc ? -1 : 0;
}

static int run_gemv(ecim_func_t *f, const ecim_cmd_desc_t *d) {
  if (FLAG(d->flags, RES_USE)) return -1;
  gemv_t g = gemv_of(&f->h, d);
  const known_t *k = known_of(f, &g);
  if (k) return gemv_hook(f, &g, k);
  gemv_memory(f, &g);
  return 0;
}

/* ---------------------------------------------------------------------------- commands */
int ecim_func_run(ecim_func_t *f, const ecim_cmd_desc_t *d) {
  if (d->op == ECIM_CMD_OP_GEMV) return run_gemv(f, d);
  return ecim_vu_ref(&f->h, d, &f->wm);
}

/* LIST_START's own checks (cmodel/edgecim_model.c list_start_error): the list lies in memory in
 * whole fetch units. */
static int list_start_error(const ecim_hw_t *h, const ecim_func_regs_t *r, uint32_t addr, uint32_t count) {
  uint64_t unit = h->data_bytes > ECIM_DESC_BYTES ? (uint64_t)h->data_bytes : ECIM_DESC_BYTES;
  uint64_t end = (uint64_t)addr + ((uint64_t)count * ECIM_DESC_BYTES + unit - 1) / unit * unit;
  if (count == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (count > 0xFFFF) return EDGECIM_ERR_TOO_LARGE;
  if (addr & (ECIM_ALIGN - 1)) return EDGECIM_ERR_MISALIGNED;
  if (end > r->mem_limit) return EDGECIM_ERR_OUT_OF_RANGE;
  return EDGECIM_ERR_NONE;
}

int ecim_func_list(ecim_func_t *f, const ecim_func_regs_t *r, uint32_t addr, uint32_t count, uint32_t *done) {
  ecim_check_ctx_t x = {r->mem_limit, r->kv_base, r->kv_limit};
  int err = list_start_error(&f->h, r, addr, count);
  *done = 0;
  for (uint32_t i = 0; i < count && !err; i++) {
    uint8_t b[ECIM_DESC_BYTES];
    uint32_t w[ECIM_DESC_WORDS];
    rd(f, addr + i * ECIM_DESC_BYTES, b, sizeof b);
    for (int j = 0; j < ECIM_DESC_WORDS; j++) w[j] = get32(b + 4 * j);
    ecim_desc_t d = ecim_desc_of_words(w);
    ecim_cand_t c = ecim_cand_of(&d, r->token_pos, r->token_id);
    if ((err = ecim_cand_error(&f->h, &x, &c)) != EDGECIM_ERR_NONE) break;
    ecim_cmd_desc_t q = ecim_cand_queued(&c);
    *done = i + 1;
    if (ecim_func_run(f, &q)) return -1;
  }
  return err;
}
