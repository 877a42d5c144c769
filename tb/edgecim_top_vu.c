/* SPDX-License-Identifier: Apache-2.0 */
/* The vector ops in the top co-simulation: random shapes of every op (segments, chunks, formats,
 * TOKEN_POS), random and corner data, the KV region the appends need, and every error a vector
 * op can be refused with. The expected memory comes from the functional reference
 * (cmodel/ecim_vu_ref.h) run on a copy-on-write view of DRAM: after the op, every page the
 * reference wrote must equal DRAM byte for byte (what the op wrote, and what it left alone). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_desc.h"
#include "ecim_vu_ref.h"
#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

#define PAGE 4096u
#define VFLAG(name) (EDGECIM_VU_FLAGS_##name##_MASK << EDGECIM_VU_FLAGS_##name##_LSB)

typedef struct {
  uint32_t addr;
  uint8_t bytes[PAGE];
} tb_page_t;

/* One region of an op's inputs to fill with random data: VF32 values, int64 Q39.24 values, a
 * quantized vector (codes then scales), raw bits, a RoPE table or VF32 zeros of random sign. */
typedef enum { R_F32, R_Q24, R_QX, R_RAW, R_TABLE, R_SZERO } region_kind_t;
typedef struct {
  uint32_t addr, bytes;
  region_kind_t kind;
  unsigned len; /* R_QX: elements of one vector; R_TABLE: values of a row */
} tb_region_t;

typedef struct tb_vop {
  ecim_desc_t d;
  uint32_t pos, token;
  const char *name;
  tb_region_t in[8];
  int n_in;
  uint32_t kv_base, kv_limit; /* the KV region it runs in (0, 0: none) */
  tb_page_t *pages;           /* the reference's view: the pages it wrote */
  int n_pages;
} tb_vop_t;

/* ---------------------------------------------------------------------------- data */
static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

/* A VF32 value: mostly ordinary magnitudes around `scale`, sometimes a corner pattern. */
static uint32_t random_f32(float scale) {
  static const uint32_t corner[] = {0x00000000u, 0x80000000u, 0x00000001u, 0x807FFFFFu, 0x7F800000u,
                                    0xFF7FFFFFu, 0x7F7FFFFFu, 0x3F800000u, 0x00800000u};
  if (tb_rng_pct(&tb.rng, 2)) return corner[tb_rng_below(&tb.rng, sizeof corner / sizeof corner[0])];
  float u = ((float)tb_rng_below(&tb.rng, 1u << 24) / (float)(1u << 23) - 1.0f) * scale;
  return f32_bits(u);
}

static int64_t random_q24(void) {
  if (tb_rng_pct(&tb.rng, 1)) return tb_rng_pct(&tb.rng, 50) ? INT64_MAX : INT64_MIN;
  return (int64_t)(tb_rng_next(&tb.rng) >> 24) - ((int64_t)1 << 39); /* |v| < 2^39 / 2^24 = 32768 */
}

static void fill_region(const tb_region_t *r) {
  uint8_t *m = dram_mem(tb.dram) + r->addr;
  switch (r->kind) {
    case R_F32:
      for (uint32_t i = 0; i + 4 <= r->bytes; i += 4) {
        uint32_t v = random_f32(4.0f);
        memcpy(m + i, &v, 4);
      }
      break;
    case R_TABLE: /* RoPE rows: (cos, sin) pairs in [-1, 1] */
      for (uint32_t i = 0; i + 4 <= r->bytes; i += 4) {
        uint32_t v = f32_bits((float)tb_rng_below(&tb.rng, 1u << 16) / 32768.0f - 1.0f);
        memcpy(m + i, &v, 4);
      }
      break;
    case R_Q24:
      for (uint32_t i = 0; i + 8 <= r->bytes; i += 8) ecim_put_le64(m + i, random_q24());
      break;
    case R_SZERO:
      for (uint32_t i = 0; i + 4 <= r->bytes; i += 4) {
        uint32_t v = tb_rng_pct(&tb.rng, 50) ? 0x80000000u : 0u;
        memcpy(m + i, &v, 4);
      }
      break;
    case R_QX: { /* vectors of len: INT8 codes, FP16 scales */
      uint32_t stride = (uint32_t)ecim_x_stride(r->len);
      for (uint32_t v = 0; v + stride <= r->bytes; v += stride) {
        for (unsigned k = 0; k < r->len; k++) m[v + k] = (uint8_t)tb_rng_range(&tb.rng, -127, 127);
        for (unsigned g = 0; g < (r->len + 31) / 32; g++)
          ecim_put_le16(m + v + ecim_kpad(r->len) + 2 * g, (uint16_t)(tb_rng_below(&tb.rng, 0x7800) | (tb_rng_pct(&tb.rng, 20) ? 0x8000 : 0)));
      }
      break;
    }
    default:
      for (uint32_t i = 0; i < r->bytes; i++) m[i] = (uint8_t)tb_rng_next(&tb.rng);
      break;
  }
}

/* ------------------------------------------------------------- the reference's view of DRAM */
typedef struct {
  tb_vop_t *v;
} view_t;

static tb_page_t *page_of(tb_vop_t *v, uint32_t addr, int create) {
  uint32_t base = addr & ~(PAGE - 1);
  for (int i = 0; i < v->n_pages; i++)
    if (v->pages[i].addr == base) return &v->pages[i];
  if (!create) return NULL;
  v->pages = realloc(v->pages, (size_t)(v->n_pages + 1) * sizeof *v->pages);
  if (!v->pages) {
    fprintf(stderr, "top_tb: out of memory\n");
    exit(2);
  }
  tb_page_t *p = &v->pages[v->n_pages++];
  p->addr = base;
  memcpy(p->bytes, dram_mem(tb.dram) + base, PAGE);
  return p;
}

static void view_read(void *ctx, uint32_t a, void *dst, size_t n) {
  tb_vop_t *v = ((view_t *)ctx)->v;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = a + (uint32_t)i;
    const tb_page_t *p = page_of(v, x, 0);
    ((uint8_t *)dst)[i] = p ? p->bytes[x % PAGE] : dram_mem(tb.dram)[x];
  }
}

static void view_write(void *ctx, uint32_t a, const void *src, size_t n) {
  tb_vop_t *v = ((view_t *)ctx)->v;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = a + (uint32_t)i;
    page_of(v, x, 1)->bytes[x % PAGE] = ((const uint8_t *)src)[i];
  }
}

static ecim_cmd_desc_t queued(const tb_vop_t *v) {
  ecim_cand_t c = ecim_cand_of(&v->d, v->pos, v->token);
  return ecim_cand_queued(&c);
}

void tb_setup_vop(int i) {
  tb_vop_t *v = &tb.vops[i];
  for (int r = 0; r < v->n_in; r++) fill_region(&v->in[r]);
  view_t view = {v};
  ecim_mem_t m = {&view, view_read, view_write};
  ecim_cmd_desc_t q = queued(v);
  ecim_vu_ref(&tb.cfg, &q, &m);
}

int tb_check_vop(int i) {
  tb_vop_t *v = &tb.vops[i];
  const uint8_t *mem = dram_mem(tb.dram);
  for (int p = 0; p < v->n_pages; p++)
    for (uint32_t b = 0; b < PAGE; b++) {
      uint32_t a = v->pages[p].addr + b;
      if (mem[a] != v->pages[p].bytes[b]) {
        printf("MISMATCH seed=%" PRIu64 " vector op %d (%s, op %u LEN %u COUNT %u flags 0x%x pos %u): DRAM byte 0x%08x "
               "expected 0x%02x actual 0x%02x (functional reference ecim_vu_ref vs RTL)\n",
               tb.opt.seed, i, v->name, v->d.op, v->d.k, v->d.n, v->d.flags, v->pos, a, v->pages[p].bytes[b], mem[a]);
        return 1;
      }
    }
  free(v->pages);
  v->pages = NULL;
  v->n_pages = 0;
  return 0;
}

/* ------------------------------------------------------------------------ the scenarios */
static tb_vop_t *new_vop(const char *name, unsigned op) {
  if (tb.n_vops == tb.cap_vops) {
    tb.cap_vops = tb.cap_vops ? 2 * tb.cap_vops : 64;
    tb.vops = realloc(tb.vops, (size_t)tb.cap_vops * sizeof *tb.vops);
    if (!tb.vops) {
      fprintf(stderr, "top_tb: out of memory\n");
      exit(2);
    }
  }
  tb_vop_t *v = &tb.vops[tb.n_vops++];
  memset(v, 0, sizeof *v);
  v->name = name;
  v->d.op = op;
  return v;
}

static uint32_t in_region(tb_vop_t *v, uint32_t bytes, region_kind_t kind, unsigned len) {
  uint32_t a = tb_alloc(bytes + 256);
  v->in[v->n_in++] = (tb_region_t){a, bytes, kind, len};
  return a;
}

/* An output region with room to spare (the pages around it are checked too). */
static uint32_t out_region(uint32_t bytes) { return tb_alloc(bytes + 512); }

static uint32_t round256(uint64_t b) { return (uint32_t)((b + 255) / 256 * 256); }
static unsigned rnd(unsigned lo, unsigned hi) { return lo + tb_rng_below(&tb.rng, hi - lo + 1); }
static unsigned chunk_elems(void) { return (unsigned)ecim_chunk((uint64_t)tb.cfg.vec_bank_bytes); }

/* Output bytes of one segment of LEN elements in format fmt. */
static uint32_t out_seg_bytes(unsigned fmt, unsigned len) {
  return fmt == ECIM_VU_FMT_Q24 ? len * 8 : fmt == ECIM_VU_FMT_F32 ? len * 4 : (uint32_t)ecim_x_stride(len);
}

/* A QX output must keep its group scales in bank D: kp(len)/16 bytes. */
static unsigned qx_max_len(void) { return 16u * (unsigned)tb.cfg.vec_bank_bytes; }

/* Sets up and pushes a vector op (its data, TOKEN_POS, TOKEN_ID and KV region). */
static void push_vop(tb_vop_t *v) {
  int i = (int)(v - tb.vops);
  if (v->kv_limit) {
    tb_wr(EDGECIM_REG_KV_BASE, v->kv_base);
    tb_wr(EDGECIM_REG_KV_LIMIT, v->kv_limit);
  }
  tb_wr(EDGECIM_REG_TOKEN_POS, v->pos);
  tb_wr(EDGECIM_REG_TOKEN_ID, v->token);
  action_t *a = tb_push_act(A_VSETUP);
  a->addr = (uint32_t)i;
  uint32_t w[ECIM_DESC_WORDS];
  ecim_desc_to_words(&v->d, w);
  tb_write_desc(w);
  tb_wr(EDGECIM_REG_CMD_PUSH, 1);
  tb.vops_run++;
}

/* Checks a finished vector op's memory and clears its KV region. */
static void check_vop(tb_vop_t *v) {
  action_t *a = tb_push_act(A_VCHECK);
  a->addr = (uint32_t)(v - tb.vops);
  if (v->kv_limit) {
    tb_wr(EDGECIM_REG_KV_BASE, 0);
    tb_wr(EDGECIM_REG_KV_LIMIT, 0);
  }
}

static void run_vop(tb_vop_t *v) {
  push_vop(v);
  tb_push_act(A_WAIT_IDLE);
  tb_rd_expect(EDGECIM_REG_ERR_CODE, 0, ~0u, v->name);
  check_vop(v);
}

static unsigned random_fmt(void) { return tb_rng_below(&tb.rng, 3); }
static uint32_t fmt_flags(unsigned fmt) { return fmt << EDGECIM_VU_FLAGS_OUT_FMT_LSB; }

static void vop_embed(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("EMBED", ECIM_CMD_OP_EMBED);
  unsigned len = 32 * rnd(1, 64), vocab = rnd(1, 40);
  if (len / 16 > (unsigned)tb.cfg.vec_bank_bytes) len = 32;
  v->d.k = len;
  v->d.n = 1;
  v->d.stride = round256(ecim_x_stride(len)) + 256 * tb_rng_below(&tb.rng, 2);
  v->d.p0 = vocab;
  v->token = tb_rng_below(&tb.rng, vocab);
  v->d.w_addr = in_region(v, vocab * v->d.stride, R_RAW, 0);
  v->d.y_addr = out_region(len * 8);
  run_vop(v);
}

static void vop_norm(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("NORM", ECIM_CMD_OP_NORM);
  unsigned fmt = random_fmt(), f32 = tb_rng_pct(&tb.rng, 40), es = f32 ? 4 : 8;
  unsigned len = tb_rng_pct(&tb.rng, 50) ? rnd(1, 3 * chunk_elems()) : 64 * rnd(1, 2), count = rnd(1, len < 200 ? 6 : 2);
  if (fmt == ECIM_VU_FMT_QX && len > qx_max_len()) len = qx_max_len();
  v->d.k = len;
  v->d.n = count;
  v->d.flags = fmt_flags(fmt) | (f32 ? VFLAG(X_F32) : 0);
  v->d.stride = round256((uint64_t)len * es);
  v->d.dstride = round256(out_seg_bytes(fmt, len));
  v->d.p0 = f32_bits(1e-6f);
  v->d.p1 = f32_bits(1.0f / (float)len);
  v->d.w_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  v->d.x_addr = in_region(v, len * 4, R_F32, 0);
  v->d.y_addr = out_region(v->d.dstride * count);
  run_vop(v);
}

static void vop_rope(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("ROPE", ECIM_CMD_OP_ROPE);
  unsigned lanes = (unsigned)tb.cfg.vec_lanes, neox = tb_rng_pct(&tb.rng, 50), f32 = tb_rng_pct(&tb.rng, 40);
  unsigned step = neox ? 2 * lanes : 2, max = chunk_elems() < 256 ? chunk_elems() : 256;
  unsigned len = step * rnd(1, max / step), fmt = random_fmt(), count = rnd(1, 12), rows = rnd(1, 600);
  v->d.k = len;
  v->d.n = count;
  v->d.flags = fmt_flags(fmt) | (f32 ? VFLAG(X_F32) : 0) | (neox ? VFLAG(NEOX) : 0);
  v->d.stride = round256((uint64_t)len * (f32 ? 4 : 8));
  v->d.dstride = round256(out_seg_bytes(fmt, len));
  v->d.p0 = rows;
  v->d.p1 = round256(len * 4);
  v->pos = tb_rng_below(&tb.rng, rows);
  v->d.w_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  v->d.x_addr = in_region(v, v->d.p1 * rows, R_TABLE, 0);
  v->d.y_addr = out_region(v->d.dstride * count);
  run_vop(v);
}

/* A ROPE of signed zeros (VF32 in and out) under a random table: every output adds two zero
 * products of random signs, and the sum keeps a sign only for -0 + -0 (vf_add's zero rule; random
 * data make both elements of a pair zero about twice in 10^5 pairs). Its shape is fixed: it draws
 * nothing from the script's random stream (only its data, when it runs). */
static void vop_rope_zeros(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("ROPE of signed zeros", ECIM_CMD_OP_ROPE);
  unsigned len = 64, rows = 4;
  v->d.k = len;
  v->d.n = 2;
  v->d.flags = fmt_flags(ECIM_VU_FMT_F32) | VFLAG(X_F32);
  v->d.stride = round256(len * 4);
  v->d.dstride = round256(out_seg_bytes(ECIM_VU_FMT_F32, len));
  v->d.p0 = rows;
  v->d.p1 = round256(len * 4);
  v->pos = 1;
  v->d.w_addr = in_region(v, v->d.stride * v->d.n, R_SZERO, 0);
  v->d.x_addr = in_region(v, v->d.p1 * rows, R_TABLE, 0);
  v->d.y_addr = out_region(v->d.dstride * v->d.n);
  run_vop(v);
}

static void vop_softmax(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("SOFTMAX", ECIM_CMD_OP_SOFTMAX);
  unsigned len = tb_rng_pct(&tb.rng, 20) ? 1 : rnd(1, tb_rng_pct(&tb.rng, 30) ? 5 * chunk_elems() / 2 : 300);
  unsigned count = rnd(1, 8), pos_in = tb_rng_pct(&tb.rng, 50);
  if (len > qx_max_len()) len = qx_max_len();
  v->pos = pos_in ? tb_rng_below(&tb.rng, len) : 0;
  v->d.k = len - v->pos;
  v->d.n = count;
  v->d.flags = fmt_flags(ECIM_VU_FMT_QX) | (pos_in ? VFLAG(LEN_POS) : 0) | (tb_rng_pct(&tb.rng, 60) ? VFLAG(VSCALE) : 0);
  v->d.p0 = f32_bits(0.125f);
  v->d.w_addr = in_region(v, count * (uint32_t)ecim_y_stride(len, (uint64_t)tb.cfg.macro_cols), R_Q24, 0);
  if (v->d.flags & VFLAG(VSCALE)) v->d.x_addr = in_region(v, len * 4, R_F32, 0);
  v->d.y_addr = out_region(count * (uint32_t)ecim_x_stride(len));
  run_vop(v);
}

static void vop_gate(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("GATE", ECIM_CMD_OP_GATE);
  unsigned fmt = random_fmt(), f32 = tb_rng_pct(&tb.rng, 40), es = f32 ? 4 : 8;
  unsigned len = rnd(1, tb_rng_pct(&tb.rng, 30) ? 5 * chunk_elems() / 2 : 400), count = rnd(1, 3);
  if (fmt == ECIM_VU_FMT_QX && len > qx_max_len()) len = qx_max_len();
  v->d.k = len;
  v->d.n = count;
  v->d.flags = fmt_flags(fmt) | (f32 ? VFLAG(X_F32) : 0) | tb_rng_below(&tb.rng, 3) << EDGECIM_VU_FLAGS_GATE_LSB;
  v->d.stride = round256((uint64_t)len * es);
  v->d.dstride = round256(out_seg_bytes(fmt, len));
  v->d.w_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  v->d.x_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  v->d.y_addr = out_region(v->d.dstride * count);
  run_vop(v);
}

static void vop_quant(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("QUANT", ECIM_CMD_OP_QUANT);
  unsigned concat = tb_rng_pct(&tb.rng, 50), f32 = tb_rng_pct(&tb.rng, 40), es = f32 ? 4 : 8;
  unsigned fmt = concat ? ECIM_VU_FMT_QX : random_fmt(), count = rnd(1, 8);
  unsigned len = concat ? 32 * rnd(1, 8) : rnd(1, 2 * chunk_elems());
  if (fmt == ECIM_VU_FMT_QX && len * (concat ? count : 1) > qx_max_len()) count = 1, len = 32;
  v->d.k = len;
  v->d.n = count;
  v->d.flags = fmt_flags(fmt) | (f32 ? VFLAG(X_F32) : 0) | (concat ? VFLAG(CONCAT) : 0);
  v->d.stride = round256((uint64_t)len * es) + 256 * tb_rng_below(&tb.rng, 2);
  v->d.dstride = concat ? 0 : round256(out_seg_bytes(fmt, len));
  v->d.w_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  v->d.y_addr = out_region(concat ? (uint32_t)ecim_x_stride((uint64_t)len * count) : v->d.dstride * count);
  run_vop(v);
}

/* The KV region of an append: the caches (and V-scale vectors) of count heads, random contents. */
static void kv_region(tb_vop_t *v, uint32_t bytes) {
  v->kv_base = in_region(v, bytes, R_RAW, 0);
  v->kv_limit = v->kv_base + bytes;
}

static void vop_kappend(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("KAPPEND", ECIM_CMD_OP_KAPPEND);
  const ecim_hw_t *h = &tb.cfg;
  unsigned max = chunk_elems() < 256 ? chunk_elems() : 256, len = 32 * rnd(1, max / 32), count = rnd(1, 4);
  unsigned cap = rnd(1, 700), qx_in = tb_rng_pct(&tb.rng, 50), f32 = !qx_in && tb_rng_pct(&tb.rng, 40);
  uint32_t kbytes = round256(ecim_kv_k_bytes(cap, len, (uint64_t)h->macro_rows, (uint64_t)h->macro_cols));
  v->d.k = len;
  v->d.n = count;
  v->d.flags = (qx_in ? VFLAG(QX_IN) : 0) | (f32 ? VFLAG(X_F32) : 0);
  v->d.stride = qx_in ? (uint32_t)ecim_x_stride(len) : round256((uint64_t)len * (f32 ? 4 : 8));
  v->d.dstride = kbytes;
  v->d.p0 = cap;
  v->pos = tb_rng_below(&tb.rng, cap);
  v->d.w_addr = in_region(v, v->d.stride * count, qx_in ? R_QX : f32 ? R_F32 : R_Q24, len);
  kv_region(v, kbytes * count);
  v->d.y_addr = v->kv_base;
  run_vop(v);
}

static void vop_vappend(void) {
  tb_begin_group();
  tb_vop_t *v = new_vop("VAPPEND", ECIM_CMD_OP_VAPPEND);
  const ecim_hw_t *h = &tb.cfg;
  unsigned max = chunk_elems() < 256 ? chunk_elems() : 256, len = rnd(1, max), count = rnd(1, 4), cap = rnd(1, 700);
  unsigned f32 = tb_rng_pct(&tb.rng, 40);
  if (tb_rng_pct(&tb.rng, 50)) len = 32 * rnd(1, max / 32); /* head_dim-like */
  uint32_t vbytes = round256(ecim_kv_v_bytes(cap, len, (uint64_t)h->macro_rows, (uint64_t)h->macro_cols));
  uint32_t sbytes = round256(cap * 4);
  v->d.k = len;
  v->d.n = count;
  v->d.flags = f32 ? VFLAG(X_F32) : 0;
  v->d.stride = round256((uint64_t)len * (f32 ? 4 : 8));
  v->d.dstride = vbytes;
  v->d.p0 = cap;
  v->d.p1 = sbytes;
  v->pos = tb_rng_pct(&tb.rng, 30) ? 32 * tb_rng_below(&tb.rng, (cap + 31) / 32) % cap : tb_rng_below(&tb.rng, cap);
  v->d.w_addr = in_region(v, v->d.stride * count, f32 ? R_F32 : R_Q24, 0);
  kv_region(v, (vbytes + sbytes) * count);
  v->d.y_addr = v->kv_base;
  v->d.x_addr = v->kv_base + vbytes * count;
  run_vop(v);
}

/* A vector op queued behind a GEMV and a GEMV behind it: one command runs at a time, in queue order
 * (the op waits for the GEMV to end, the next GEMV for the op). */
static void vop_between_gemvs(void) {
  tb_begin_group();
  int g0 = tb_add_gemv(600, 3 * tb.cfg.macro_cols + 5, 0, 1, EDGECIM_CMD_FLAGS_BIAS, "GEMV, a vector op queued behind", -1);
  tb_alloc(PAGE); /* the reference checks whole pages: none shared with a GEMV's buffers */
  tb_vop_t *v = new_vop("QUANT between GEMVs", ECIM_CMD_OP_QUANT);
  unsigned len = rnd(1, 2 * chunk_elems()), count = rnd(1, 4);
  v->d.k = len;
  v->d.n = count;
  v->d.stride = round256((uint64_t)len * 8);
  v->d.dstride = round256(out_seg_bytes(ECIM_VU_FMT_Q24, len));
  v->d.w_addr = in_region(v, v->d.stride * count, R_Q24, 0);
  v->d.y_addr = out_region(v->d.dstride * count);
  tb_alloc(PAGE);
  int g1 = tb_add_gemv(200, 40, 0, 1, 0, "GEMV queued behind a vector op", -1);
  tb_program(g0);
  push_vop(v);
  tb_program(g1);
  tb_rd_expect(EDGECIM_REG_STATUS, EDGECIM_STATUS_BUSY | (2u << EDGECIM_STATUS_QUEUE_COUNT_LSB),
               EDGECIM_STATUS_BUSY | EDGECIM_STATUS_QUEUE_COUNT_MASK << EDGECIM_STATUS_QUEUE_COUNT_LSB,
               "a GEMV running, a vector op and a GEMV queued");
  tb_wait_and_check(g0, g1);
  check_vop(v);
}

void tb_vu_scenarios(void) {
  void (*const ops[])(void) = {vop_embed, vop_norm, vop_rope, vop_softmax, vop_gate, vop_quant, vop_kappend, vop_vappend};
  const int n_ops = (int)(sizeof ops / sizeof ops[0]);
  for (int i = 0; i < n_ops; i++) ops[i](); /* each op once, then random ones */
  for (int i = 0; i < tb.opt.vu_cases; i++) ops[tb_rng_below(&tb.rng, (uint32_t)n_ops)]();
  vop_between_gemvs();
}

/* The vector-op cases of the margins scenario (edgecim_top_script.c), run last. */
void tb_vu_margins(void) { vop_rope_zeros(); }

/* ------------------------------------------------------------------------------ errors */
static void bad_vop(ecim_desc_t d, int code, const char *what) {
  uint32_t w[ECIM_DESC_WORDS];
  ecim_desc_to_words(&d, w);
  tb_bad_words(w, code, what);
}

void tb_vu_errors(void) {
  uint32_t b0 = 0x1000, lim = dram_cfg(tb.dram)->size;
  ecim_desc_t n = {.w_addr = b0, .x_addr = b0, .y_addr = b0, .k = 64, .n = 1, .op = ECIM_CMD_OP_NORM,
                   .p0 = f32_bits(1e-6f), .p1 = f32_bits(1.0f / 64)};
  ecim_desc_t d = n;
  d.b_addr = 256;
  bad_vop(d, EDGECIM_ERR_BAD_OP, "NORM with SRC2");
  d = n, d.w_bytes = 64;
  bad_vop(d, EDGECIM_ERR_BAD_OP, "vector op with W_BYTES");
  d = n, d.p2 = 1;
  bad_vop(d, EDGECIM_ERR_BAD_OP, "vector op with P2");
  d = n, d.flags = VFLAG(NEOX);
  bad_vop(d, EDGECIM_ERR_BAD_FLAGS, "NORM with NEOX");
  d = n, d.flags = 3u << EDGECIM_VU_FLAGS_OUT_FMT_LSB;
  bad_vop(d, EDGECIM_ERR_BAD_FLAGS, "OUT_FMT 3");
  d = n, d.k = 0;
  bad_vop(d, EDGECIM_ERR_ZERO_SIZE, "LEN 0");
  d = n, d.n = 0;
  bad_vop(d, EDGECIM_ERR_ZERO_SIZE, "COUNT 0");
  d = n, d.k = 0x10000;
  bad_vop(d, EDGECIM_ERR_TOO_LARGE, "LEN 2^16");
  d = n, d.n = ECIM_MAX_SEGS + 1;
  bad_vop(d, EDGECIM_ERR_VU_SHAPE, "COUNT > 256");
  d = n, d.w_addr = b0 + 64;
  bad_vop(d, EDGECIM_ERR_MISALIGNED, "SRC0 not a multiple of 256");
  d = n, d.y_addr = lim - 256;
  d.flags = fmt_flags(ECIM_VU_FMT_Q24);
  bad_vop(d, EDGECIM_ERR_OUT_OF_RANGE, "NORM output past MEM_LIMIT");
  /* op-specific shapes */
  ecim_desc_t r = {.w_addr = b0, .x_addr = b0, .y_addr = b0, .k = 63, .n = 1, .op = ECIM_CMD_OP_ROPE, .p0 = 10, .p1 = 256};
  bad_vop(r, EDGECIM_ERR_VU_SHAPE, "ROPE of an odd length");
  r.k = 64;
  tb_wr(EDGECIM_REG_TOKEN_POS, 10);
  bad_vop(r, EDGECIM_ERR_KV_RANGE, "ROPE at TOKEN_POS past the table");
  tb_wr(EDGECIM_REG_TOKEN_POS, 0);
  ecim_desc_t e = {.w_addr = b0, .y_addr = b0, .k = 64, .n = 1, .op = ECIM_CMD_OP_EMBED, .stride = 512, .p0 = 5};
  tb_wr(EDGECIM_REG_TOKEN_ID, 5);
  bad_vop(e, EDGECIM_ERR_BAD_TOKEN, "EMBED of a token past the vocabulary");
  tb_wr(EDGECIM_REG_TOKEN_ID, 0);
  e.n = 2;
  bad_vop(e, EDGECIM_ERR_VU_SHAPE, "EMBED of two segments");
  ecim_desc_t s = {.w_addr = b0, .y_addr = b0, .k = 64, .n = 1, .op = ECIM_CMD_OP_SOFTMAX,
                   .flags = fmt_flags(ECIM_VU_FMT_Q24), .p0 = f32_bits(0.125f)};
  bad_vop(s, EDGECIM_ERR_BAD_FLAGS, "SOFTMAX not to a quantized vector");
  ecim_desc_t q = {.w_addr = b0, .y_addr = b0, .k = 40, .n = 2, .op = ECIM_CMD_OP_QUANT,
                   .flags = fmt_flags(ECIM_VU_FMT_QX) | VFLAG(CONCAT), .stride = 512};
  bad_vop(q, EDGECIM_ERR_VU_SHAPE, "CONCAT of segments not a multiple of 32");
  /* the appends and the KV region */
  ecim_desc_t k = {.w_addr = b0, .y_addr = 0x100000, .k = 64, .n = 1, .op = ECIM_CMD_OP_KAPPEND, .stride = 512, .p0 = 100};
  bad_vop(k, EDGECIM_ERR_KV_RANGE, "KAPPEND without a KV region");
  tb_wr(EDGECIM_REG_KV_BASE, 0x100000);
  tb_wr(EDGECIM_REG_KV_LIMIT, 0x400000);
  tb_wr(EDGECIM_REG_TOKEN_POS, 100);
  bad_vop(k, EDGECIM_ERR_KV_RANGE, "KAPPEND at TOKEN_POS past the capacity");
  tb_wr(EDGECIM_REG_TOKEN_POS, 0);
  k.y_addr = 0x400000 - 256;
  bad_vop(k, EDGECIM_ERR_KV_RANGE, "a K cache running past the KV region");
  k.y_addr = 0x100000;
  k.k = 48;
  bad_vop(k, EDGECIM_ERR_VU_SHAPE, "KAPPEND of a head not a multiple of 32");
  ecim_desc_t v = {.w_addr = b0, .x_addr = 0x100000, .y_addr = 0x200000, .k = 64, .n = 1, .op = ECIM_CMD_OP_VAPPEND,
                   .stride = 512, .p0 = 100, .p1 = 512};
  v.x_addr = 0x50000;
  bad_vop(v, EDGECIM_ERR_KV_RANGE, "V scales outside the KV region");
  v.x_addr = 0x100000;
  v.k = 300;
  bad_vop(v, EDGECIM_ERR_VU_SHAPE, "VAPPEND of a row longer than 256");
  tb_wr(EDGECIM_REG_KV_BASE, 0);
  tb_wr(EDGECIM_REG_KV_LIMIT, 0);
  ecim_desc_t u = n;
  u.op = 12;
  bad_vop(u, EDGECIM_ERR_BAD_OP, "CMD_OP 12");
}
