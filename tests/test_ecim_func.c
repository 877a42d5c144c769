/* SPDX-License-Identifier: Apache-2.0 */
/* The functional device (cmodel/ecim_func.h) against the cycle-exact C model of the top
 * (cmodel/edgecim_model.h with cmodel/dram_model.h): random command lists mixing GEMVs of every
 * feature (WBITS 2/4/8, batch, BIAS, ACCUM, FULL_BLK, column-block stride) and every vector op,
 * with a token's attention over KV caches (KAPPEND, VAPPEND, scores with N_POS, SOFTMAX with
 * LEN_POS and VSCALE, ·V with K_POS, FULL_BLK and a stride), run at several TOKEN_POS values on
 * both: the whole DRAM must be identical after every list, and so must ERR_CODE and LIST_DONE
 * (a list that ends in a refused descriptor, and a position past the caches' capacity). A third
 * run computes the plain matrices through the known-matrix hook (ecim_gemv_ref on the host
 * layout) and must leave the same memory too.
 * Usage: test_ecim_func [--seed N] [--lists N] [--hw NAME] [--verbose: each list and descriptor] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dram_model.h"
#include "ecim_fmt.h"
#include "ecim_func.h"
#include "ecim_gemv.h"
#include "edgecim_model.h"
#include "edgecim_regs.h"
#include "tb_rng.h"

#define MEM_BYTES (4u << 20)
#define LIST_BASE 0x1000u
#define IN_BASE 0x10000u
#define OUT_BASE 0x2C0000u
#define KV_BASE 0x340000u
#define CAP 160 /* positions of the KV caches and the RoPE tables */
#define MAX_DESCS 64
#define MAX_HOST 32
#define VBIT(name) (EDGECIM_VU_FLAGS_##name##_MASK << EDGECIM_VU_FLAGS_##name##_LSB)
#define VFIELD(name, v) ((uint32_t)(v) << EDGECIM_VU_FLAGS_##name##_LSB)
#define GBIT(name) (EDGECIM_CMD_FLAGS_##name##_MASK << EDGECIM_CMD_FLAGS_##name##_LSB)
#define GFIELD(name, v) ((uint32_t)(v) << EDGECIM_CMD_FLAGS_##name##_LSB)

static int fails, verbose;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static uint32_t up256(uint64_t v) { return (uint32_t)((v + 255) / 256 * 256); }

/* ------------------------------------------------------------------------- the generator */
/* A plain packed matrix the hook run computes from its host layout. */
typedef struct {
  uint32_t addr;
  int K, N, wbits;
  uint8_t *host;
} host_mat_t;

/* The KV caches of a token: nkv heads, each [K cache][V cache][V scales] head_bytes apart. */
typedef struct {
  unsigned hd, nkv, cap, G;
  uint32_t k0, v0, s0, head_bytes;
} kv_t;

typedef struct {
  const ecim_hw_t *h;
  tb_rng_t rng;
  uint8_t *mem;
  uint32_t in_next;
  kv_t kv;
  ecim_desc_t d[MAX_DESCS];
  const char *name[MAX_DESCS];
  int n;
  host_mat_t host[MAX_HOST];
  int n_host;
  uint32_t vocab; /* the smallest EMBED vocabulary: TOKEN_ID below it */
} gen_t;

static uint32_t rnd(gen_t *g, uint32_t n) { return tb_rng_below(&g->rng, n); }
static int pct(gen_t *g, int p) { return tb_rng_pct(&g->rng, p); }

/* bytes of fresh input memory (256-aligned, never written by any command). */
static uint32_t in_alloc(gen_t *g, uint64_t bytes) {
  uint32_t a = g->in_next;
  g->in_next = up256(a + bytes);
  if (g->in_next > OUT_BASE) {
    printf("test_ecim_func: the input area is full\n");
    exit(2);
  }
  return a;
}

/* An output region anywhere in the output area (outputs of different commands may overlap). */
static uint32_t out_any(gen_t *g, uint64_t bytes) {
  uint32_t room = (KV_BASE - OUT_BASE - up256(bytes)) / 256;
  return OUT_BASE + 256 * rnd(g, room + 1);
}

static uint16_t rand_fp16(gen_t *g) { /* sane scales: 2^-14 .. 2^1, either sign */
  return (uint16_t)((pct(g, 30) ? 0x8000 : 0) | (uint16_t)(rnd(g, 16) + 1) << 10 | (uint16_t)rnd(g, 1024));
}
static uint32_t rand_f32(gen_t *g) {
  static const uint32_t corner[] = {0x00000000u, 0x80000000u, 0x00000001u, 0x7F800000u, 0xFF7FFFFFu, 0x3F800000u};
  if (pct(g, 2)) return corner[rnd(g, 6)];
  float v = ((float)rnd(g, 1u << 24) / (float)(1u << 23) - 1.0f) * 4.0f;
  uint32_t u;
  memcpy(&u, &v, 4);
  return u;
}

static void fill_f32(gen_t *g, uint32_t a, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    uint32_t v = rand_f32(g);
    memcpy(g->mem + a + 4 * i, &v, 4);
  }
}
static void fill_q24(gen_t *g, uint32_t a, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    int64_t v = pct(g, 1) ? (pct(g, 50) ? INT64_MAX : INT64_MIN) : ((int64_t)(tb_rng_next(&g->rng) >> 32) - (1ll << 31)) * 8;
    ecim_put_le64(g->mem + a + 8 * i, v); /* |v| < 2^34: +-1024.0, or an extreme */
  }
}
/* count quantized vectors of len, stride apart; the codes past len are garbage (masked). */
static void fill_qx(gen_t *g, uint32_t a, unsigned len, unsigned count, uint64_t stride) {
  for (unsigned v = 0; v < count; v++) {
    uint8_t *p = g->mem + a + v * stride;
    for (unsigned k = 0; k < ecim_kpad(len); k++) p[k] = (uint8_t)tb_rng_range(&g->rng, -127, 127);
    for (unsigned gr = 0; gr < (len + 31) / 32; gr++) ecim_put_le16(p + ecim_kpad(len) + 2 * gr, rand_fp16(g));
  }
}
static void fill_raw(gen_t *g, uint32_t a, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) g->mem[a + i] = (uint8_t)tb_rng_next(&g->rng);
}

static void add(gen_t *g, const ecim_desc_t *d, const char *name) {
  if (g->n < MAX_DESCS) {
    g->name[g->n] = name;
    g->d[g->n++] = *d;
  }
}

/* ------------------------------------------------------------------------------ GEMVs */
/* A random K x N matrix of wbits in the host layout, and its device layout at addr (K rows). */
static uint8_t *put_matrix(gen_t *g, uint32_t addr, int K, int N, int wbits) {
  int kp = (int)ecim_kp((uint64_t)K), lim = 1 << (wbits - 1);
  int8_t *v = malloc((size_t)N * kp);
  uint16_t *s = malloc((size_t)N * kp / 32 * sizeof *s);
  uint8_t *host = calloc(ecim_packed_bytes(K, N, wbits), 1);
  for (int i = 0; i < N * kp; i++) v[i] = (int8_t)((i % kp) < K ? tb_rng_range(&g->rng, -lim, lim - 1) : 0);
  for (int i = 0; i < N * kp / 32; i++) s[i] = rand_fp16(g);
  ecim_fmt_pack_rows(v, s, K, N, host, 0, wbits);
  ecim_geom_t geo = ecim_geom_of(g->h);
  ecim_dev_from_host(&geo, host, K, N, wbits, g->mem + addr);
  free(v);
  free(s);
  return host;
}

static int gemv_batch(gen_t *g, unsigned K) {
  int most = g->h->max_batch;
  while (most > 1 && (uint64_t)most * ecim_kpad(K) > (uint64_t)g->h->act_bytes) most--;
  return 1 + (int)rnd(g, (uint32_t)(most < 4 ? most : 4));
}

static void gen_gemv(gen_t *g) {
  const ecim_hw_t *h = g->h;
  ecim_geom_t geo = ecim_geom_of(h);
  int wbits = h->max_wbits == 8 ? (int[]){2, 4, 8}[rnd(g, 3)] : (int[]){2, 4}[rnd(g, 2)];
  int K = 1 + (int)rnd(g, pct(g, 50) ? 64 : 700), N = 1 + (int)rnd(g, pct(g, 50) ? 40 : 200);
  int batch = gemv_batch(g, (unsigned)K), full = pct(g, 25), strided = pct(g, 25);
  int kdev = full ? (int)(ecim_n_kb((uint64_t)K, (uint64_t)h->macro_rows) * (uint64_t)h->macro_rows) : K;
  uint64_t colblock = ecim_colblock_bytes((uint64_t)kdev, (uint64_t)h->macro_rows, (uint64_t)h->macro_cols, (uint64_t)wbits);
  uint32_t stride = strided ? up256(colblock + 256 * rnd(g, 3)) : 0, nnb = (uint32_t)ecim_n_nb((uint64_t)N, (uint64_t)h->macro_cols);
  ecim_desc_t d = {0};
  uint8_t *host;
  if (stride) { /* the packed matrix, its column blocks moved stride apart */
    uint32_t tmp = in_alloc(g, ecim_dev_bytes(&geo, kdev, N, wbits));
    d.w_addr = in_alloc(g, (uint64_t)stride * nnb);
    fill_raw(g, d.w_addr, (uint64_t)stride * nnb);
    host = put_matrix(g, tmp, kdev, N, wbits);
    for (uint32_t nb = 0; nb < nnb; nb++) memcpy(g->mem + d.w_addr + nb * stride, g->mem + tmp + nb * colblock, colblock);
  } else {
    d.w_addr = in_alloc(g, ecim_dev_bytes(&geo, kdev, N, wbits));
    host = put_matrix(g, d.w_addr, kdev, N, wbits);
  }
  if (!full && !stride && g->n_host < MAX_HOST) g->host[g->n_host++] = (host_mat_t){d.w_addr, K, N, wbits, host};
  else free(host);
  d.x_addr = in_alloc(g, ecim_x_bytes((uint64_t)K, (uint64_t)batch));
  fill_qx(g, d.x_addr, (unsigned)K, (unsigned)batch, ecim_x_stride((uint64_t)K));
  d.y_addr = out_any(g, ecim_y_bytes((uint64_t)N, (uint64_t)h->macro_cols, (uint64_t)batch));
  d.flags = GFIELD(WBITS, wbits) | GFIELD(BATCH_M1, batch - 1) | (full ? GBIT(FULL_BLK) : 0);
  if (pct(g, 40)) {
    d.flags |= GBIT(BIAS);
    d.b_addr = in_alloc(g, ecim_b_bytes((uint64_t)N, (uint64_t)h->macro_cols));
    fill_q24(g, d.b_addr, (uint64_t)N);
  }
  if (pct(g, 40)) d.flags |= GBIT(ACCUM);
  d.k = (uint32_t)K;
  d.n = (uint32_t)N;
  d.stride = stride;
  add(g, &d, full ? "gemv full_blk" : stride ? "gemv strided" : "gemv");
}

/* --------------------------------------------------------------------------- vector ops */
static uint32_t out_fmt_flag(gen_t *g) { return VFIELD(OUT_FMT, rnd(g, 3)); }
static uint64_t seg_out_bytes(uint32_t flags, unsigned len) {
  unsigned fmt = flags >> EDGECIM_VU_FLAGS_OUT_FMT_LSB & EDGECIM_VU_FLAGS_OUT_FMT_MASK;
  return fmt == ECIM_VU_FMT_Q24 ? 8ull * len : fmt == ECIM_VU_FMT_F32 ? 4ull * len : ecim_x_stride(len);
}

/* count input segments of len (F32 or Q24 as flags say), stride apart: the address. */
static uint32_t seg_input(gen_t *g, uint32_t flags, unsigned len, unsigned count, uint32_t *stride) {
  int f32 = (flags & VBIT(X_F32)) != 0;
  *stride = up256((uint64_t)len * (f32 ? 4 : 8)) + 256 * rnd(g, 2);
  uint32_t a = in_alloc(g, (uint64_t)*stride * count);
  for (unsigned s = 0; s < count; s++) (f32 ? fill_f32 : fill_q24)(g, a + s * *stride, len);
  return a;
}

/* LEN of a segment: up to a chunk (bank/8 elements), even, a multiple of 2·lanes or 32 if asked. */
static unsigned seg_len(gen_t *g, unsigned mult) {
  unsigned chunk = (unsigned)ecim_chunk((uint64_t)g->h->vec_bank_bytes), most = chunk < 300 ? chunk : 300;
  return mult * (1 + rnd(g, most / mult));
}

static void gen_segments_op(gen_t *g, unsigned op) {
  ecim_desc_t d = {.op = op};
  unsigned lanes = (unsigned)g->h->vec_lanes, count = 1 + rnd(g, 4);
  d.flags = (pct(g, 50) ? VBIT(X_F32) : 0) | out_fmt_flag(g);
  unsigned len = op == ECIM_CMD_OP_ROPE ? 2 * lanes * (1 + rnd(g, 64 / (2 * lanes))) : seg_len(g, 1);
  if (op == ECIM_CMD_OP_ROPE && pct(g, 50)) d.flags |= VBIT(NEOX);
  if (op == ECIM_CMD_OP_QUANT && pct(g, 40)) {
    d.flags = (d.flags & VBIT(X_F32)) | VBIT(CONCAT) | VFIELD(OUT_FMT, ECIM_VU_FMT_QX);
    len = seg_len(g, 32);
  }
  if (op == ECIM_CMD_OP_GATE) d.flags |= VFIELD(GATE, rnd(g, 3));
  d.k = len;
  d.n = count;
  d.w_addr = seg_input(g, d.flags, len, count, &d.stride);
  if (op == ECIM_CMD_OP_GATE) { /* the up half: the same stride */
    d.x_addr = in_alloc(g, (uint64_t)d.stride * count);
    for (unsigned s = 0; s < count; s++) (d.flags & VBIT(X_F32) ? fill_f32 : fill_q24)(g, d.x_addr + s * d.stride, len);
  }
  if (op == ECIM_CMD_OP_NORM) {
    d.x_addr = in_alloc(g, 4ull * len);
    fill_f32(g, d.x_addr, len);
    float eps = 1e-5f, inv = 1.0f / (float)len;
    memcpy(&d.p0, &eps, 4);
    memcpy(&d.p1, &inv, 4);
  }
  if (op == ECIM_CMD_OP_ROPE) { /* a table of CAP rows of (cos, sin) pairs */
    d.p0 = CAP;
    d.p1 = up256(4ull * len);
    d.x_addr = in_alloc(g, (uint64_t)CAP * d.p1);
    fill_f32(g, d.x_addr, (uint64_t)CAP * d.p1 / 4);
  }
  if (d.flags & VBIT(CONCAT)) {
    d.y_addr = out_any(g, ecim_x_stride((uint64_t)len * count));
  } else {
    d.dstride = up256(seg_out_bytes(d.flags, len));
    d.y_addr = out_any(g, (uint64_t)d.dstride * count);
  }
  static const char *const names[] = {"", "", "norm", "rope", "", "gate", "quant"};
  add(g, &d, names[op]);
}

static void gen_embed(gen_t *g) {
  unsigned len = 1 + rnd(g, 500), vocab = 1 + rnd(g, 20);
  if (vocab < g->vocab) g->vocab = vocab;
  ecim_desc_t d = {.op = ECIM_CMD_OP_EMBED, .k = len, .n = 1, .p0 = vocab};
  d.stride = (uint32_t)ecim_x_stride(len) + 256 * rnd(g, 2);
  d.w_addr = in_alloc(g, (uint64_t)d.stride * vocab);
  fill_qx(g, d.w_addr, len, vocab, d.stride);
  d.y_addr = out_any(g, 8ull * len);
  add(g, &d, "embed");
}

static void gen_softmax(gen_t *g) {
  unsigned len = 1 + rnd(g, 100), count = 1 + rnd(g, 4), cols = (unsigned)g->h->macro_cols;
  ecim_desc_t d = {.op = ECIM_CMD_OP_SOFTMAX, .k = len, .n = count, .flags = VFIELD(OUT_FMT, ECIM_VU_FMT_QX)};
  float mult = 0.125f;
  memcpy(&d.p0, &mult, 4);
  if (pct(g, 50)) d.flags |= VBIT(LEN_POS); /* + TOKEN_POS (< CAP) */
  uint64_t most = len + CAP, ys = ecim_y_stride(most, cols);
  d.w_addr = in_alloc(g, ys * count);
  for (unsigned s = 0; s < count; s++) fill_q24(g, d.w_addr + (uint32_t)(s * ys), most);
  /* the scores of LEN + TOKEN_POS sit at y_stride(LEN) apart: the filled area covers any */
  if (pct(g, 50)) {
    d.flags |= VBIT(VSCALE);
    d.x_addr = in_alloc(g, 4 * most);
    fill_f32(g, d.x_addr, most);
  }
  d.y_addr = out_any(g, ecim_x_stride(most) * count);
  add(g, &d, "softmax");
}

/* ------------------------------------------------------------------- a token's attention */
static void kv_layout(gen_t *g) {
  const ecim_hw_t *h = g->h;
  kv_t *kv = &g->kv;
  kv->hd = (unsigned)ecim_chunk((uint64_t)h->vec_bank_bytes) >= 64 && pct(g, 50) ? 64 : 32;
  kv->nkv = 1 + rnd(g, 2);
  kv->cap = CAP;
  kv->G = 1 + rnd(g, 3);
  uint64_t R = (uint64_t)h->macro_rows, C = (uint64_t)h->macro_cols;
  uint32_t kb = up256(ecim_kv_k_bytes(kv->cap, kv->hd, R, C)), vb = up256(ecim_kv_v_bytes(kv->cap, kv->hd, R, C));
  kv->k0 = KV_BASE;
  kv->v0 = KV_BASE + kb;
  kv->s0 = KV_BASE + kb + vb;
  kv->head_bytes = kb + vb + up256(4ull * kv->cap);
}

static void gen_appends(gen_t *g) {
  kv_t *kv = &g->kv;
  ecim_desc_t k = {.op = ECIM_CMD_OP_KAPPEND, .k = kv->hd, .n = kv->nkv, .y_addr = kv->k0, .dstride = kv->head_bytes,
                   .p0 = kv->cap};
  if (pct(g, 50)) {
    k.flags = VBIT(QX_IN);
    k.stride = (uint32_t)ecim_x_stride(kv->hd);
    k.w_addr = in_alloc(g, (uint64_t)k.stride * kv->nkv);
    fill_qx(g, k.w_addr, kv->hd, kv->nkv, k.stride);
  } else {
    k.flags = pct(g, 50) ? VBIT(X_F32) : 0;
    k.w_addr = seg_input(g, k.flags, kv->hd, kv->nkv, &k.stride);
  }
  add(g, &k, "kappend");
  ecim_desc_t v = {.op = ECIM_CMD_OP_VAPPEND, .k = kv->hd, .n = kv->nkv, .y_addr = kv->v0, .dstride = kv->head_bytes,
                   .x_addr = kv->s0, .p0 = kv->cap, .p1 = kv->head_bytes, .flags = pct(g, 50) ? VBIT(X_F32) : 0};
  v.w_addr = seg_input(g, v.flags, kv->hd, kv->nkv, &v.stride);
  add(g, &v, "vappend");
}

/* Scores of G query heads against head h's K cache, their softmax, and ·V. */
static void gen_attention(gen_t *g, unsigned head) {
  const ecim_hw_t *h = g->h;
  kv_t *kv = &g->kv;
  uint64_t R = (uint64_t)h->macro_rows, C = (uint64_t)h->macro_cols, cap = kv->cap;
  uint32_t scores = OUT_BASE, probs = up256(scores + ecim_y_bytes(cap, C, kv->G));
  uint32_t out = up256(probs + ecim_x_bytes(cap, kv->G)), hb = head * kv->head_bytes;
  ecim_desc_t s = {.k = kv->hd, .n = 1, .w_addr = kv->k0 + hb, .y_addr = scores,
                   .flags = GFIELD(WBITS, 8) | GFIELD(BATCH_M1, kv->G - 1) | GBIT(KV_W) | GBIT(N_POS)};
  s.x_addr = in_alloc(g, ecim_x_bytes(kv->hd, kv->G));
  fill_qx(g, s.x_addr, kv->hd, kv->G, ecim_x_stride(kv->hd));
  add(g, &s, "scores (N_POS)");
  ecim_desc_t p = {.op = ECIM_CMD_OP_SOFTMAX, .k = 1, .n = kv->G, .w_addr = scores, .x_addr = kv->s0 + hb, .y_addr = probs,
                   .flags = VFIELD(OUT_FMT, ECIM_VU_FMT_QX) | VBIT(LEN_POS) | VBIT(VSCALE)};
  float mult = 0.17677669f;
  memcpy(&p.p0, &mult, 4);
  add(g, &p, "softmax (LEN_POS, VSCALE)");
  ecim_desc_t o = {.k = 1, .n = kv->hd, .w_addr = kv->v0 + hb, .x_addr = probs, .y_addr = out,
                   .stride = (uint32_t)ecim_full_colblock_bytes(cap, R, C, 8),
                   .flags = GFIELD(WBITS, 8) | GFIELD(BATCH_M1, kv->G - 1) | GBIT(KV_W) | GBIT(K_POS) | GBIT(FULL_BLK)};
  add(g, &o, "attention ·V (K_POS)");
}

/* ------------------------------------------------------------------------------ a list */
static void gen_list(gen_t *g, int ops) {
  int attention = g->h->max_wbits == 8; /* the caches are 8-bit matrices */
  kv_layout(g);
  /* garbage where no command has written yet: unwritten cache rows and columns, codes past K
   * in a vector the softmax wrote, are masked */
  fill_raw(g, OUT_BASE, MEM_BYTES - OUT_BASE);
  gen_appends(g);
  for (int i = 0; i < ops; i++) {
    switch (rnd(g, 9)) {
      case 0: case 1: case 2: gen_gemv(g); break;
      case 3: gen_embed(g); break;
      case 4: gen_softmax(g); break;
      default: gen_segments_op(g, (unsigned[]){ECIM_CMD_OP_NORM, ECIM_CMD_OP_ROPE, ECIM_CMD_OP_GATE, ECIM_CMD_OP_QUANT}[rnd(g, 4)]); break;
    }
    if (attention && pct(g, 20)) gen_attention(g, rnd(g, g->kv.nkv));
  }
  if (attention) gen_attention(g, g->kv.nkv - 1);
}

static void write_list(gen_t *g) {
  for (int i = 0; i < g->n; i++) {
    uint32_t w[ECIM_DESC_WORDS];
    ecim_desc_to_words(&g->d[i], w);
    for (int j = 0; j < ECIM_DESC_WORDS; j++)
      for (int b = 0; b < 4; b++) g->mem[LIST_BASE + 64 * i + 4 * j + b] = (uint8_t)(w[j] >> (8 * b));
  }
}

/* Every descriptor at every position the lists run at must be valid (so that a mismatch is the
 * models' and not the generator's); a refusal is a bug of this test. */
static int list_valid(const gen_t *g, const ecim_check_ctx_t *x, uint32_t pos, uint32_t token) {
  for (int i = 0; i < g->n; i++) {
    ecim_cand_t c = ecim_cand_of(&g->d[i], pos, token);
    int e = ecim_cand_error(g->h, x, &c);
    if (e) {
      printf("generator: descriptor %d (%s) refused at pos %u: %s\n", i, g->name[i], pos, edgecim_err_name((uint32_t)e));
      return 0;
    }
  }
  return 1;
}

/* -------------------------------------------------------------------- the cycle model */
typedef struct {
  ecim_top_t *t;
  dram_model_t *d;
  ecim_top_out_t o;
  uint64_t cycles;
} dut_t;

static void cyc(dut_t *u, int valid, int write, uint32_t addr, uint32_t data) {
  if (ecim_top_run_cycle(u->t, u->d, valid, write, addr, data, &u->o)) {
    printf("FAIL: DRAM model: %s\n", dram_error(u->d));
    exit(1);
  }
  u->cycles++;
}
static void reg_wr(dut_t *u, uint32_t a, uint32_t v) { cyc(u, 1, 1, a, v); }
static uint32_t reg_rd(dut_t *u, uint32_t a) {
  cyc(u, 1, 0, a, 0);
  cyc(u, 0, 0, 0, 0);
  return u->o.mmio_rdata;
}

/* Runs the list on the top: ERR_CODE and LIST_DONE after it went idle. */
static int top_list(dut_t *u, const ecim_func_regs_t *r, uint32_t count, uint32_t *done) {
  reg_wr(u, EDGECIM_REG_CTRL, EDGECIM_CTRL_CLEAR_ERR_MASK << EDGECIM_CTRL_CLEAR_ERR_LSB);
  reg_wr(u, EDGECIM_REG_MEM_LIMIT, r->mem_limit);
  reg_wr(u, EDGECIM_REG_KV_BASE, r->kv_base);
  reg_wr(u, EDGECIM_REG_KV_LIMIT, r->kv_limit);
  reg_wr(u, EDGECIM_REG_TOKEN_ID, r->token_id);
  reg_wr(u, EDGECIM_REG_TOKEN_POS, r->token_pos);
  reg_wr(u, EDGECIM_REG_LIST_ADDR, LIST_BASE);
  reg_wr(u, EDGECIM_REG_LIST_COUNT, count);
  reg_wr(u, EDGECIM_REG_LIST_START, 1);
  uint64_t start = u->cycles;
  do cyc(u, 0, 0, 0, 0);
  while (u->o.busy && u->cycles - start < 50000000);
  CHECK(!u->o.busy, "the top is still busy after %" PRIu64 " cycles", u->cycles - start);
  *done = reg_rd(u, EDGECIM_REG_LIST_DONE);
  return (int)reg_rd(u, EDGECIM_REG_ERR_CODE);
}

/* ------------------------------------------------------------------------ the hook run */
typedef struct {
  const gen_t *g;
  int calls;
} hook_t;

static int hook_gemv(void *ctx, uint64_t handle, int batch, const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                     int accumulate, int64_t *y) {
  hook_t *k = ctx;
  const host_mat_t *m = &k->g->host[handle];
  int kp = (int)ecim_kp((uint64_t)m->K);
  k->calls++;
  for (int b = 0; b < batch; b++)
    if (ecim_gemv_ref(m->host, m->K, m->N, m->wbits, xq + (size_t)b * kp, xs + (size_t)b * kp / 32, bias, accumulate,
                      y + (size_t)b * m->N))
      return -1;
  return 0;
}

/* ------------------------------------------------------------------------------ a case */
typedef struct {
  ecim_func_t *plain, *hooked;
  ecim_flat_mem_t pm, hm;
  ecim_mem_t pmem, hmem;
  hook_t hook;
} funcs_t;

static void run_one(const gen_t *g, dut_t *u, funcs_t *fs, const ecim_func_regs_t *r, uint32_t count, const char *what) {
  uint32_t done_t = 0, done_p = 0, done_h = 0;
  int et = top_list(u, r, count, &done_t);
  int ep = ecim_func_list(fs->plain, r, LIST_BASE, count, &done_p);
  int eh = ecim_func_list(fs->hooked, r, LIST_BASE, count, &done_h);
  CHECK(et == ep && done_t == done_p, "%s pos %u: top ERR_CODE %s LIST_DONE %u, functional %s %u", what, r->token_pos,
        edgecim_err_name((uint32_t)et), done_t, ep < 0 ? "run failed" : edgecim_err_name((uint32_t)ep), done_p);
  if (verbose) printf("  pos %u: err %d done %u/%u\n", r->token_pos, et, done_t, count);
  CHECK(eh == ep && done_h == done_p, "%s pos %u: the hooked run ends differently", what, r->token_pos);
  const uint8_t *dm = dram_mem(u->d);
  for (uint32_t a = 0; a < MEM_BYTES; a++)
    if (dm[a] != fs->pm.bytes[a] || dm[a] != fs->hm.bytes[a]) {
      int i = 0;
      CHECK(0, "%s pos %u: DRAM differs first at 0x%x: top %02x functional %02x hooked %02x", what, r->token_pos, a, dm[a],
            fs->pm.bytes[a], fs->hm.bytes[a]);
      for (; i < g->n; i++)
        printf("  %2d %-26s w %06x x %06x y %06x k %u n %u flags %07x\n", i, g->name[i], g->d[i].w_addr, g->d[i].x_addr,
               g->d[i].y_addr, g->d[i].k, g->d[i].n, g->d[i].flags);
      break;
    }
}

/* The three models of one generated list. */
static void funcs_init(funcs_t *fs, const gen_t *g) {
  for (int i = 0; i < 2; i++) {
    ecim_flat_mem_t *fm = i ? &fs->hm : &fs->pm;
    *fm = (ecim_flat_mem_t){malloc(MEM_BYTES), MEM_BYTES};
    memcpy(fm->bytes, g->mem, MEM_BYTES);
  }
  fs->pmem = ecim_flat_mem(&fs->pm);
  fs->hmem = ecim_flat_mem(&fs->hm);
  fs->plain = ecim_func_new(g->h, &fs->pmem);
  fs->hooked = ecim_func_new(g->h, &fs->hmem);
  fs->hook = (hook_t){g, 0};
  ecim_func_set_hook(fs->hooked, hook_gemv, &fs->hook);
  for (int i = 0; i < g->n_host; i++)
    ecim_func_know(fs->hooked, g->host[i].addr, g->host[i].K, g->host[i].N, g->host[i].wbits, (uint64_t)i);
}

static void funcs_free(funcs_t *fs) {
  ecim_func_free(fs->plain);
  ecim_func_free(fs->hooked);
  free(fs->pm.bytes);
  free(fs->hm.bytes);
}

/* A random list at positions that start and end groups and blocks of the caches, in random
 * order, then past the capacity (the first append is refused: KV_RANGE, nothing runs). */
static void run_case(const ecim_hw_t *h, uint64_t seed, int ops) {
  gen_t *g = calloc(1, sizeof *g);
  *g = (gen_t){.h = h, .rng = {seed}, .mem = calloc(MEM_BYTES, 1), .in_next = IN_BASE, .vocab = ~0u};
  gen_list(g, ops);
  int valid_n = g->n, bad_tail = pct(g, 50); /* then a descriptor the device refuses: misaligned */
  if (bad_tail) {
    ecim_desc_t d = g->d[g->n - 1];
    d.y_addr += 16;
    add(g, &d, "refused (MISALIGNED)");
  }
  write_list(g);
  ecim_func_regs_t r = {0, 0, MEM_BYTES, KV_BASE, MEM_BYTES};
  ecim_check_ctx_t x = {MEM_BYTES, KV_BASE, MEM_BYTES};
  /* random latency, stalls and posted writes (a posted write into a queued read fails the run) */
  dram_cfg_t dc = {MEM_BYTES, h->data_bytes, h->data_bytes, 1 + (int)rnd(g, 50), (int)rnd(g, 10), 8, seed,
                   (int)rnd(g, 2)};
  dut_t u = {ecim_top_new(h), dram_new(&dc), {0}, 0};
  ecim_top_reset(u.t);
  memcpy(dram_mem(u.d), g->mem, MEM_BYTES);
  funcs_t fs;
  funcs_init(&fs, g);
  uint32_t positions[] = {0, 1, 2, 31, 32, 33, 127, 128, CAP - 1};
  int n_pos = (int)(sizeof positions / sizeof positions[0]);
  for (int i = n_pos - 1; i > 0; i--) { /* shuffled: the appends may come in any order */
    int j = (int)rnd(g, (uint32_t)i + 1);
    uint32_t t = positions[i];
    positions[i] = positions[j];
    positions[j] = t;
  }
  for (int i = 0; i < n_pos; i++) {
    r.token_pos = positions[i];
    r.token_id = rnd(g, g->vocab == ~0u ? 5 : g->vocab);
    int n = g->n;
    g->n = valid_n;
    int valid = list_valid(g, &x, r.token_pos, r.token_id);
    g->n = n;
    CHECK(valid, "seed %" PRIu64 ": the generator made a descriptor the device refuses", seed);
    if (valid) run_one(g, &u, &fs, &r, (uint32_t)g->n, "list");
  }
  r.token_pos = CAP;
  run_one(g, &u, &fs, &r, (uint32_t)g->n, "past capacity");
  if (verbose) for (int i = 0; i < g->n; i++) printf("  %2d %-26s k %u n %u flags %07x stride %u\n", i, g->name[i], g->d[i].k, g->d[i].n, g->d[i].flags, g->d[i].stride);
  printf("seed %" PRIu64 ": %d descriptors, %d GEMVs through the hook, %" PRIu64 " cycles%s\n", seed, g->n,
         fs.hook.calls, u.cycles, bad_tail ? ", a refused one last" : "");
  funcs_free(&fs);
  ecim_top_free(u.t);
  dram_free(u.d);
  for (int i = 0; i < g->n_host; i++) free(g->host[i].host);
  free(g->mem);
  free(g);
}

int main(int argc, char **argv) {
  uint64_t seed = 1;
  int lists = 4;
  const char *hw = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--lists") && i + 1 < argc) lists = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--hw") && i + 1 < argc) hw = argv[++i];
    else if (!strcmp(argv[i], "--verbose")) verbose = 1;
    else {
      fprintf(stderr, "usage: %s [--seed N] [--lists N] [--hw NAME] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  for (int c = 0; c < ECIM_HW_N_CONFIGS; c++) {
    const ecim_hw_t *h = &ECIM_HW_CONFIGS[c].hw;
    if (hw ? strcmp(hw, ECIM_HW_CONFIGS[c].name) : 0) continue;
    printf("== %s\n", ECIM_HW_CONFIGS[c].name);
    for (int l = 0; l < (hw || c == 0 ? lists : 2); l++) run_case(h, seed * 1000 + (uint64_t)(c * 100 + l), 24);
  }
  printf("%s\n", fails ? "FAILED" : "all equal");
  return fails ? 1 : 0;
}
