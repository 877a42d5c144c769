/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of the vector unit (see edgecim_vu_tb.h).
 *
 * Every cycle: the C model (ecim_vu_comb) sees the inputs the unit saw, every output of the unit
 * is compared with the model's (addresses and beat counts while their valid is high, data and
 * strobes while wr_valid is), then the model is clocked and the DMA stand-in and the DRAM take
 * the cycle's handshakes. Stimulus: random descriptors of every vector op, built for the op and
 * kept only if the register file's checks accept them (ecim_vu_error), with random TOKEN_POS and
 * TOKEN_ID; the op's inputs in DRAM filled with arbitrary bit patterns (VF32 and int64 corners
 * included); random readiness in phases from an ideal DMA to a slow one. */
#include "edgecim_vu_tb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_desc.h"
#include "ecim_vu.h"
#include "edgecim_regs.h"
#include "tb_rng.h"

#define MEM_BYTES (8u << 20)         /* DRAM of the test: MEM_LIMIT */
#define DATA_END (6u << 20)          /* [0, DATA_END): the ops' vectors */
#define KV_BASE DATA_END             /* [KV_BASE, MEM_BYTES): the KV region */
#define RQ_CAP 65536                 /* read beats in flight */
#define HANG_CYCLES 4000000ul        /* an op that takes longer has hung */
#define VFB(name) (EDGECIM_VU_FLAGS_##name##_MASK << EDGECIM_VU_FLAGS_##name##_LSB)
#define VFSET(name, v) ((uint32_t)(v) << EDGECIM_VU_FLAGS_##name##_LSB)
#define VFGET(f, name) ((f) >> EDGECIM_VU_FLAGS_##name##_LSB & EDGECIM_VU_FLAGS_##name##_MASK)

/* Readiness of the DMA stand-in, in percent per cycle, and the read latency in cycles. */
typedef struct {
  const char *name;
  int rd_req, wr_req, wr, lat_min, lat_max, idle_max;
} phase_t;
static const phase_t phases[] = {
    {"ideal DMA", 100, 100, 100, 1, 1, 0},
    {"random readiness", 70, 70, 70, 1, 12, 2},
    {"slow DRAM", 40, 30, 40, 8, 60, 8},
    {"reads ready, writes slow", 100, 20, 30, 1, 4, 4},
    {"writes ready, reads slow", 25, 100, 100, 20, 40, 0},
};
#define NPHASES ((int)(sizeof phases / sizeof phases[0]))

static const char *const op_names[] = {"GEMV", "EMBED", "NORM", "ROPE", "SOFTMAX", "GATE", "QUANT", "KAPPEND", "VAPPEND"};
static const char *const slot_names[] = {"END", "LOAD", "COMPUTE", "SCALAR", "QSCALE", "QCODES", "STORE", "SSTORE", "SCATTER", "DRAIN"};

typedef struct {
  uint32_t addr;
  uint64_t ready;
} rbeat_t;

static struct {
  vu_tb_opts_t opt;
  ecim_hw_t hw;
  ecim_vu_t model;
  int model_ok;
  tb_rng_t rng;
  int status;
  uint64_t cycle;
  vu_tb_in_t in;          /* the inputs driven this cycle */
  uint8_t *mem;
  /* DMA stand-in */
  rbeat_t *rq;
  unsigned rq_head, rq_count;
  uint64_t rq_last_ready;
  int w_busy;
  uint32_t w_addr;
  unsigned w_left, idle_wait;
  /* stimulus */
  ecim_cmd_desc_t next_cmd;
  int have_next, gap;
  int phase, phase_ops_left;
  long ops_started, ops_done, rejected;
  uint64_t op_start_cycle, last_done_cycle;
  /* figures */
  long op_count[ECIM_CMD_OP_VAPPEND + 1], multi_chunk, f32_in, qx_in, concat, neox, vscale, len_pos;
  long fmt_count[3], gate_count[3], phase_ops[NPHASES];
  long rd_beats, wr_beats, wr_reqs, stall_cycles, cmd_busy_cycles;
  /* slot coverage, counted at the slots' entries */
  long slots[VS_DRAIN + 1], disabled, loads2, realigned, long_stores, scatters[2], compute[VC_RECIP + 1];
} tb;

void vu_tb_set_options(const vu_tb_opts_t *o) { tb.opt = *o; }
int vu_tb_status(void) { return tb.status; }
const ecim_hw_t *vu_tb_hw(void) { return &tb.hw; }

static unsigned ce(void) { return (unsigned)tb.hw.vec_bank_bytes / 8; }
static uint32_t rnd(uint32_t n) { return tb_rng_below(&tb.rng, n); }
static int pct(int p) { return tb_rng_pct(&tb.rng, p); }
static uint32_t up256(uint64_t x) { return (uint32_t)((x + 255) / 256 * 256); }

/* ------------------------------------------------------------------------------ DRAM contents */
static const uint32_t vf_corners[] = {
    0x00000000u, 0x80000000u, 0x00000001u, 0x807FFFFFu, 0x00400000u, 0x7F800000u, 0xFF800000u,
    0x7FC00000u, 0xFFFFFFFFu, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x00800000u, 0x80800000u, 0x3F800000u,
    0xBF800000u, 0x7F000000u, 0x01000000u, 0x42B17218u, 0xC2B17218u, 0x42AE0000u, 0xC2FC0000u,
    0x43000000u, 0xC3000000u, 0x3F000000u, 0x34000000u, 0x47000000u, 0x477FE000u, 0x37800000u,
    0x33800000u, 0x3C010204u, 0x4B000000u, 0xCB000001u, 0x42FE0000u, 0x42FF0000u, 0xC2FF0000u};
static const int64_t q24_corners[] = {INT64_MIN, INT64_MAX, 0, 1, -1, 1 << 24, -(1 << 24), (int64_t)1 << 62,
                                      -((int64_t)1 << 62), 0x7FFFFFFFFFull, -0x7FFFFFFFFFll, 127ll << 24,
                                      (int64_t)1 << 47, INT64_MIN + 1, 3, 0x00FFFFFF, -0x01000001};

enum { ST_MODERATE, ST_WIDE, ST_CORNERS, ST_BYTES, ST_N };

static uint32_t vf_value(int style) {
  uint32_t s = rnd(2) << 31, m = (uint32_t)tb_rng_next(&tb.rng) & 0x7FFFFFu;
  switch (style) {
    case ST_MODERATE: return s | (118u + rnd(18)) << 23 | m;            /* about 2^-9 .. 2^8 */
    case ST_WIDE: return s | (1u + rnd(254)) << 23 | m;
    case ST_CORNERS: return pct(60) ? vf_corners[rnd(sizeof vf_corners / sizeof vf_corners[0])] : s | (118u + rnd(18)) << 23 | m;
    default: return (uint32_t)tb_rng_next(&tb.rng);
  }
}
static int64_t q24_value(int style) {
  int64_t v = (int64_t)tb_rng_next(&tb.rng);
  switch (style) {
    case ST_MODERATE: return (v >> (31 + rnd(16)));                      /* |x| < 2^8 .. 2^-7 */
    case ST_WIDE: return v >> rnd(64);
    case ST_CORNERS: return pct(60) ? q24_corners[rnd(sizeof q24_corners / sizeof q24_corners[0])] : v >> (31 + rnd(16));
    default: return v;
  }
}

static void put32(uint32_t a, uint32_t v) {
  for (int i = 0; i < 4; i++) tb.mem[a + (uint32_t)i] = (uint8_t)(v >> (8 * i));
}
/* Elements of es bytes (8: Q39.24, 4: VF32, 1: bytes) over [a, a + bytes). */
static void fill(uint32_t a, uint64_t bytes, unsigned es, int style) {
  if ((uint64_t)a + bytes > MEM_BYTES) bytes = MEM_BYTES - a;
  for (uint64_t o = 0; o + es <= bytes; o += es) {
    uint32_t p = a + (uint32_t)o;
    if (es == 8) {
      uint64_t v = (uint64_t)q24_value(style);
      put32(p, (uint32_t)v);
      put32(p + 4, (uint32_t)(v >> 32));
    } else if (es == 4) {
      put32(p, vf_value(style));
    } else {
      tb.mem[p] = (uint8_t)tb_rng_next(&tb.rng);
    }
  }
}
/* FP16 scales: random patterns, often ordinary ones. */
static void fill_fp16(uint32_t a, uint64_t n) {
  for (uint64_t i = 0; i < n && a + 2 * i + 1 < MEM_BYTES; i++) {
    uint16_t h = (uint16_t)(pct(70) ? (rnd(2) << 15 | (6u + rnd(14)) << 10 | rnd(1024)) : rnd(65536));
    tb.mem[a + 2 * i] = (uint8_t)h;
    tb.mem[a + 2 * i + 1] = (uint8_t)(h >> 8);
  }
}
static int style(void) { return pct(55) ? ST_MODERATE : pct(40) ? ST_CORNERS : pct(50) ? ST_WIDE : ST_BYTES; }

/* ------------------------------------------------------------------------------ descriptors */
/* An aligned address with [a, a + bytes) inside [lo, hi); 0 bytes fit anywhere. */
static uint32_t place(uint32_t lo, uint32_t hi, uint64_t bytes, int *ok) {
  if ((uint64_t)lo + bytes > hi) {
    *ok = 0;
    return lo;
  }
  uint32_t slots = (uint32_t)((hi - lo - bytes) / 256) + 1;
  return lo + 256 * rnd(slots);
}

/* A length: short, up to a chunk, around the chunk size, or several chunks. */
static unsigned rlen(unsigned max) {
  unsigned c = ce(), n;
  int r = (int)rnd(100);
  if (r < 30) n = 1 + rnd(64);
  else if (r < 60) n = 1 + rnd(c);
  else if (r < 80) n = c - 8 + rnd(17);
  else n = 1 + rnd((tb.opt.long_ops ? 4 : 2) * c + c / 2);
  if (n < 1) n = 1;
  return n > max ? max : n;
}
static unsigned rcount(void) {
  unsigned m = (unsigned)tb.opt.max_count;
  return pct(40) ? 1 : 1 + rnd(m);
}
static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}
static uint32_t out_bytes(uint32_t fmt, uint64_t len) {
  return fmt == ECIM_VU_FMT_Q24 ? (uint32_t)(len * 8) : fmt == ECIM_VU_FMT_F32 ? (uint32_t)(len * 4) : (uint32_t)ecim_x_stride(len);
}
static uint32_t rfmt(void) { return rnd(3); }

/* Builds a random descriptor of op, fills its inputs; 0 if it does not fit (try again). */
static int gen(unsigned op, ecim_desc_t *d, uint32_t *pos, uint32_t *token) {
  const ecim_hw_t *h = &tb.hw;
  uint64_t rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  int ok = 1, f32 = pct(40), st = style();
  unsigned es = f32 ? 4 : 8, len, n = rcount();
  memset(d, 0, sizeof *d);
  d->op = op;
  *pos = (uint32_t)tb_rng_next(&tb.rng) & 0xFFFF;
  *token = (uint32_t)tb_rng_next(&tb.rng);
  if (pct(20)) *pos &= 0xFF;
  switch (op) {
    case ECIM_CMD_OP_EMBED: {
      len = rlen(65535);
      uint32_t xs = (uint32_t)ecim_x_stride(len);
      d->n = 1;
      d->p0 = 1 + rnd(pct(80) ? 16 : 1000);
      *token = pct(20) ? d->p0 - 1 : rnd(d->p0);
      d->stride = xs + 256 * rnd(3);
      d->w_addr = place(0, DATA_END, (uint64_t)*token * d->stride + xs, &ok);
      d->y_addr = place(0, DATA_END, (uint64_t)len * 8, &ok);
      uint32_t row = d->w_addr + *token * d->stride;
      if (ok) {
        fill(row, len, 1, ST_BYTES);
        fill_fp16(row + (uint32_t)ecim_kpad(len), ecim_kp(len) / 32);
      }
      break;
    }
    case ECIM_CMD_OP_NORM:
    case ECIM_CMD_OP_GATE:
    case ECIM_CMD_OP_QUANT: {
      uint32_t fmt = rfmt();
      int concat = op == ECIM_CMD_OP_QUANT && pct(50);
      len = rlen(65535);
      if (concat) {   /* segments of an odd number of groups: the outputs start inside a beat */
        fmt = ECIM_VU_FMT_QX;
        len = (len + 31) / 32 * 32;
        if (pct(60)) len = (len / 64 * 2 + 1) * 32;
        if (n == 1 && pct(80)) n = 2 + rnd(4);
        if (len * n > 65535) n = 65535 / len;
        if (n == 0) return 0;
      }
      d->flags = VFSET(X_F32, f32) | VFSET(OUT_FMT, fmt) | (concat ? VFB(CONCAT) : 0);
      if (op == ECIM_CMD_OP_GATE) d->flags |= VFSET(GATE, rnd(3));
      d->stride = up256((uint64_t)len * es) + (pct(30) ? 256 * rnd(3) : 0);
      d->dstride = concat ? 0 : up256(out_bytes(fmt, len)) + (pct(30) ? 256 * rnd(3) : 0);
      d->w_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->stride + (uint64_t)len * es, &ok);
      d->y_addr = place(0, DATA_END, concat ? ecim_x_stride((uint64_t)len * n) : (uint64_t)(n - 1) * d->dstride + out_bytes(fmt, len), &ok);
      if (op == ECIM_CMD_OP_NORM) {
        d->x_addr = place(0, DATA_END, (uint64_t)len * 4, &ok);
        d->p0 = pct(80) ? f32_bits(1e-5f) : vf_value(ST_CORNERS);
        d->p1 = pct(80) ? f32_bits(1.0f / (float)len) : vf_value(ST_WIDE);
        if (ok) fill(d->x_addr, (uint64_t)len * 4, 4, st == ST_BYTES ? ST_BYTES : ST_MODERATE);
      } else if (op == ECIM_CMD_OP_GATE) {
        d->x_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->stride + (uint64_t)len * es, &ok);
        if (ok)
          for (unsigned s = 0; s < n; s++) fill(d->x_addr + s * d->stride, (uint64_t)len * es, es, st);
      }
      if (ok)
        for (unsigned s = 0; s < n; s++) fill(d->w_addr + s * d->stride, (uint64_t)len * es, es, st);
      break;
    }
    case ECIM_CMD_OP_ROPE: {
      int neox = pct(50);
      unsigned step = neox ? 2 * (unsigned)h->vec_lanes : 2;
      len = rlen(ce()) / step * step;
      if (len == 0) len = step;
      d->flags = VFSET(X_F32, f32) | VFSET(OUT_FMT, rfmt()) | (neox ? VFB(NEOX) : 0);
      d->stride = up256((uint64_t)len * es) + (pct(30) ? 256 * rnd(2) : 0);
      d->dstride = up256(out_bytes(VFGET(d->flags, OUT_FMT), len));
      d->p0 = 1 + rnd(pct(70) ? 64 : 4096);
      d->p1 = up256((uint64_t)len * 4) + (pct(20) ? 256 : 0);
      uint32_t max_pos = (DATA_END - len * 4u - 256u) / d->p1;
      *pos = rnd(d->p0 < max_pos ? d->p0 : max_pos);
      d->x_addr = place(0, DATA_END, (uint64_t)*pos * d->p1 + len * 4u, &ok);
      d->w_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->stride + (uint64_t)len * es, &ok);
      d->y_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->dstride + out_bytes(VFGET(d->flags, OUT_FMT), len), &ok);
      if (ok) {
        fill(d->x_addr + *pos * d->p1, (uint64_t)len * 4, 4, st == ST_BYTES ? ST_BYTES : ST_MODERATE);
        for (unsigned s = 0; s < n; s++) fill(d->w_addr + s * d->stride, (uint64_t)len * es, es, st);
      }
      break;
    }
    case ECIM_CMD_OP_SOFTMAX: {
      int vscale = pct(50), len_pos = pct(25);
      len = rlen(65535);
      d->flags = VFSET(OUT_FMT, ECIM_VU_FMT_QX) | (vscale ? VFB(VSCALE) : 0) | (len_pos ? VFB(LEN_POS) : 0);
      if (len_pos) {
        *pos = rnd(len);          /* LEN = K + TOKEN_POS */
        d->k = len - *pos;
        if (d->k == 0) d->k = 1, len = 1 + *pos;
      }
      d->p0 = pct(80) ? f32_bits(1.0f / (float)(1 + rnd(16))) : vf_value(ST_CORNERS);
      uint32_t ys = (uint32_t)ecim_y_stride(len, cols), xs = (uint32_t)ecim_x_stride(len);
      d->w_addr = place(0, DATA_END, (uint64_t)n * ys, &ok);
      d->y_addr = place(0, DATA_END, (uint64_t)n * xs, &ok);
      if (vscale) d->x_addr = place(0, DATA_END, (uint64_t)len * 4, &ok);
      if (ok) {
        for (unsigned s = 0; s < n; s++) fill(d->w_addr + s * ys, (uint64_t)len * 8, 8, st);
        if (vscale) fill(d->x_addr, (uint64_t)len * 4, 4, st == ST_BYTES ? ST_BYTES : ST_MODERATE);
      }
      if (len_pos) {
        d->n = n;
        return ok;
      }
      break;
    }
    case ECIM_CMD_OP_KAPPEND: {
      int qx = !f32 && pct(40);
      unsigned maxg = ce() / 32 < 8 ? ce() / 32 : 8;
      len = 32 * (1 + rnd(maxg));
      if (n > 4) n = 4;
      d->flags = VFSET(X_F32, f32) | (qx ? VFB(QX_IN) : 0);
      d->p0 = 1 + rnd(pct(70) ? 200 : 1000);
      *pos = pct(30) ? d->p0 - 1 : rnd(d->p0);
      uint32_t seg = qx ? (uint32_t)ecim_x_stride(len) : len * es;
      d->stride = up256(seg) + (pct(30) ? 256 * rnd(2) : 0);
      uint64_t kb = ecim_kv_k_bytes(d->p0, len, rows, cols);
      d->dstride = up256(kb) + (pct(30) ? 256 * rnd(2) : 0);
      d->w_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->stride + seg, &ok);
      d->y_addr = place(KV_BASE, MEM_BYTES, (uint64_t)(n - 1) * d->dstride + kb, &ok);
      if (ok)
        for (unsigned s = 0; s < n; s++) {
          if (qx) {
            fill(d->w_addr + s * d->stride, len, 1, ST_BYTES);
            fill_fp16(d->w_addr + s * d->stride + (uint32_t)ecim_kpad(len), len / 32);
          } else {
            fill(d->w_addr + s * d->stride, (uint64_t)len * es, es, st);
          }
        }
      break;
    }
    default: { /* VAPPEND */
      len = 1 + rnd(ce() < 256 ? ce() : 256);
      if (n > 4) n = 4;
      d->flags = VFSET(X_F32, f32);
      d->p0 = 1 + rnd(pct(70) ? 300 : 1000);
      *pos = pct(40) ? 32 * rnd((d->p0 + 31) / 32) : rnd(d->p0);
      if (*pos >= d->p0) *pos = d->p0 - 1;
      d->stride = up256((uint64_t)len * es);
      uint64_t vb = ecim_kv_v_bytes(d->p0, len, rows, cols);
      d->dstride = up256(vb) + (pct(30) ? 256 : 0);
      d->p1 = up256((uint64_t)d->p0 * 4);
      uint32_t mid = KV_BASE + (MEM_BYTES - KV_BASE) / 4 * 3;
      d->w_addr = place(0, DATA_END, (uint64_t)(n - 1) * d->stride + (uint64_t)len * es, &ok);
      d->y_addr = place(KV_BASE, mid, (uint64_t)(n - 1) * d->dstride + vb, &ok);
      d->x_addr = place(mid, MEM_BYTES, (uint64_t)(n - 1) * d->p1 + (uint64_t)d->p0 * 4, &ok);
      if (ok)
        for (unsigned s = 0; s < n; s++) fill(d->w_addr + s * d->stride, (uint64_t)len * es, es, st);
      break;
    }
  }
  d->k = len;
  d->n = n;
  return ok;
}

/* The next descriptor: a random op, tried until the register file would queue it. */
static void next_descriptor(void) {
  ecim_check_ctx_t ctx = {MEM_BYTES, KV_BASE, MEM_BYTES};
  for (;;) {
    unsigned op = 1 + rnd(ECIM_CMD_OP_VAPPEND);
    ecim_desc_t d;
    uint32_t pos, token;
    if (!gen(op, &d, &pos, &token)) {
      tb.rejected++;
      continue;
    }
    ecim_cand_t c = ecim_cand_of(&d, pos, token);
    if (ecim_vu_error(&tb.hw, &ctx, &c) != EDGECIM_ERR_NONE) {
      tb.rejected++;
      if (tb.opt.verbose > 1) printf("rejected %s: error %d\n", op_names[op], ecim_vu_error(&tb.hw, &ctx, &c));
      continue;
    }
    tb.next_cmd = ecim_cand_queued(&c);
    tb.have_next = 1;
    return;
  }
}

static void count_op(const ecim_cmd_desc_t *d) {
  uint32_t f = d->flags;
  tb.op_count[d->op]++;
  if ((d->k + ce() - 1) / ce() > 1 && d->op != ECIM_CMD_OP_ROPE) tb.multi_chunk++;
  if (VFGET(f, X_F32)) tb.f32_in++;
  if (VFGET(f, QX_IN)) tb.qx_in++;
  if (VFGET(f, CONCAT)) tb.concat++;
  if (VFGET(f, NEOX)) tb.neox++;
  if (VFGET(f, VSCALE)) tb.vscale++;
  if (VFGET(f, LEN_POS)) tb.len_pos++;
  if (d->op == ECIM_CMD_OP_NORM || d->op == ECIM_CMD_OP_ROPE || d->op == ECIM_CMD_OP_GATE || d->op == ECIM_CMD_OP_QUANT)
    tb.fmt_count[VFGET(f, OUT_FMT) % 3]++;
  if (d->op == ECIM_CMD_OP_GATE) tb.gate_count[VFGET(f, GATE) % 3]++;
  tb.phase_ops[tb.phase]++;
}

/* ------------------------------------------------------------------------------ set-up */
int vu_tb_init(int data_bytes, int vec_lanes, int vec_bank_bytes, int max_burst, int macro_rows, int macro_cols) {
  char err[256];
  tb.hw = ECIM_HW_CONFIGS[0].hw;
  tb.hw.data_bytes = data_bytes;
  tb.hw.vec_lanes = vec_lanes;
  tb.hw.vec_bank_bytes = vec_bank_bytes;
  tb.hw.max_burst = max_burst;
  tb.hw.macro_rows = macro_rows;
  tb.hw.macro_cols = macro_cols;
  if (tb.hw.fifo_beats < 2 * max_burst) tb.hw.fifo_beats = 2 * max_burst;
  if (tb.hw.ppu_cols * 4 > macro_cols) tb.hw.ppu_cols = macro_cols / 4;
  if (ecim_hw_check(&tb.hw, err, sizeof err)) {
    fprintf(stderr, "vu_tb: not a legal build: %s\n", err);
    return -1;
  }
  if (tb.opt.ops <= 0) tb.opt.ops = 200;
  if (tb.opt.max_count <= 0) tb.opt.max_count = 3;
  tb.rng.s = tb.opt.seed;
  tb.mem = malloc(MEM_BYTES);
  tb.rq = malloc(RQ_CAP * sizeof *tb.rq);
  if (!tb.mem || !tb.rq || ecim_vu_init(&tb.model, &tb.hw)) {
    fprintf(stderr, "vu_tb: out of memory\n");
    return -1;
  }
  tb.model_ok = 1;
  for (uint32_t a = 0; a < MEM_BYTES; a += 4) put32(a, (uint32_t)tb_rng_next(&tb.rng));
  tb.phase = 0;
  tb.phase_ops_left = 1 + (int)rnd(6);
  next_descriptor();
  tb.gap = (int)rnd(3);
  return 0;
}

void vu_tb_free(void) {
  if (tb.model_ok) ecim_vu_free(&tb.model);
  free(tb.mem);
  free(tb.rq);
  tb.mem = NULL;
  tb.rq = NULL;
  tb.model_ok = 0;
}

/* ------------------------------------------------------------------------------ checks */
static int fail(void) {
  fflush(stdout);
  tb.status = VU_TB_FAIL;
  return VU_TB_FAIL;
}

static void where(void) {
  const ecim_vu_t *v = &tb.model;
  vu_slot_t s = v->in_slot ? v->cur : ecim_vu_slot(&tb.hw, &v->c, &v->pc);
  printf("  seed %" PRIu64 ", cycle %" PRIu64 ", op %ld: %s (len %u count %u flags 0x%x pos %u)", tb.opt.seed, tb.cycle,
         tb.ops_started, v->run ? op_names[v->c.op] : "-", v->c.len, v->c.count, v->c.flags, v->c.pos);
  if (v->run && !v->drain)
    printf(", seg %u pass %u chunk %u slot %u: %s%s%s\n", v->pc.seg, v->pc.pass, v->pc.chunk, v->pc.slot,
           slot_names[s.kind], s.enabled ? "" : " (disabled)", v->in_slot ? "" : " (entry)");
  else
    printf(", %s\n", !v->run ? "idle" : "drain");
}

static int cmp(const char *sig, uint64_t rtl, uint64_t model) {
  if (rtl == model) return 0;
  printf("MISMATCH %s: rtl 0x%" PRIx64 ", model 0x%" PRIx64 "\n", sig, rtl, model);
  where();
  return 1;
}

static int compare(const vu_tb_out_t *d, const ecim_vu_comb_t *m) {
  unsigned db = (unsigned)tb.hw.data_bytes;
  if (cmp("start", (uint64_t)d->start, (uint64_t)m->start) || cmp("busy", (uint64_t)d->busy, (uint64_t)m->busy) ||
      cmp("done", (uint64_t)d->done, (uint64_t)m->done) ||
      cmp("rd_req_valid", (uint64_t)d->rd_req_valid, (uint64_t)m->rd_req_valid) ||
      cmp("rd_pop", (uint64_t)d->rd_pop, (uint64_t)m->rd_pop) ||
      cmp("wr_req_valid", (uint64_t)d->wr_req_valid, (uint64_t)m->wr_req_valid) ||
      cmp("wr_valid", (uint64_t)d->wr_valid, (uint64_t)m->wr_valid))
    return 1;
  if (m->rd_req_valid && (cmp("rd_req_addr", d->rd_req_addr, m->rd_req_addr) ||
                          cmp("rd_req_beats", d->rd_req_beats, m->rd_req_beats)))
    return 1;
  if (m->wr_req_valid && (cmp("wr_req_addr", d->wr_req_addr, m->wr_req_addr) ||
                          cmp("wr_req_beats", d->wr_req_beats, m->wr_req_beats)))
    return 1;
  if (m->wr_valid)
    for (unsigned b = 0; b < db; b++)
      if (d->wr_strb[b] != m->wr_strb[b] || d->wr_data[b] != m->wr_data[b]) {
        printf("MISMATCH wr_data/wr_strb at byte %u: rtl %02x/%d, model %02x/%d (beat address 0x%x)\n", b, d->wr_data[b],
               d->wr_strb[b], m->wr_data[b], m->wr_strb[b], tb.w_addr);
        printf("  rtl   ");
        for (unsigned i = db; i-- > 0;) printf("%02x%s", d->wr_data[i], d->wr_strb[i] ? "" : "~");
        printf("\n  model ");
        for (unsigned i = db; i-- > 0;) printf("%02x%s", m->wr_data[i], m->wr_strb[i] ? "" : "~");
        printf("\n");
        where();
        return 1;
      }
  return 0;
}

/* ------------------------------------------------------------------------------ one edge */
static void dma_clock(const ecim_vu_comb_t *m) {
  const phase_t *p = &phases[tb.phase];
  unsigned db = (unsigned)tb.hw.data_bytes;
  if (m->rd_req_valid && tb.in.rd_req_ready) {
    uint64_t t = tb.cycle + (uint64_t)(p->lat_min + (int)rnd((uint32_t)(p->lat_max - p->lat_min + 1)));
    for (unsigned k = 0; k < m->rd_req_beats; k++) {
      if (t <= tb.rq_last_ready) t = tb.rq_last_ready + 1;
      tb.rq_last_ready = t;
      tb.rq[(tb.rq_head + tb.rq_count) % RQ_CAP] = (rbeat_t){m->rd_req_addr + k * db, t};
      tb.rq_count++;
    }
  }
  if (m->rd_pop) {
    tb.rq_head = (tb.rq_head + 1) % RQ_CAP;
    tb.rq_count--;
    tb.rd_beats++;
  }
  if (m->wr_valid && tb.in.wr_ready) {
    for (unsigned b = 0; b < db; b++)
      if (m->wr_strb[b] && tb.w_addr + b < MEM_BYTES) tb.mem[tb.w_addr + b] = m->wr_data[b];
    tb.w_addr += db;
    tb.wr_beats++;
    if (--tb.w_left == 0) {
      tb.w_busy = 0;
      tb.idle_wait = p->idle_max ? rnd((uint32_t)p->idle_max + 1) : 0;
    }
  } else if (tb.w_busy && m->wr_valid) {
    tb.stall_cycles++;
  }
  if (m->wr_req_valid && tb.in.wr_req_ready) {
    tb.w_busy = 1;
    tb.w_addr = m->wr_req_addr;
    tb.w_left = m->wr_req_beats;
    tb.wr_reqs++;
  }
  if (!tb.w_busy && tb.idle_wait) tb.idle_wait--;
}

static void drive(void) {
  const phase_t *p = &phases[tb.phase];
  unsigned db = (unsigned)tb.hw.data_bytes;
  vu_tb_in_t *n = &tb.in;
  n->cmd_valid = tb.have_next && tb.gap == 0;
  if (tb.have_next) n->cmd = tb.next_cmd;
  else if (pct(50)) memset(&n->cmd, 0xA5, sizeof n->cmd);   /* not read outside the start */
  n->rd_req_ready = pct(p->rd_req);
  n->wr_req_ready = !tb.w_busy && pct(p->wr_req);
  n->wr_ready = tb.w_busy && pct(p->wr);
  n->wr_idle = !tb.w_busy && tb.idle_wait == 0;
  n->rd_valid = tb.rq_count && tb.rq[tb.rq_head].ready <= tb.cycle;
  if (n->rd_valid) {
    uint32_t a = tb.rq[tb.rq_head].addr;
    for (unsigned b = 0; b < db; b++) n->rd_data[b] = a + b < MEM_BYTES ? tb.mem[a + b] : 0;
  } else {
    for (unsigned b = 0; b < db; b++) n->rd_data[b] = (uint8_t)tb_rng_next(&tb.rng);
  }
}

int vu_tb_step(int in_reset, const vu_tb_out_t *dut, vu_tb_in_t *next) {
  if (tb.status != VU_TB_RUN) {
    *next = tb.in;
    return tb.status;
  }
  if (in_reset) {
    ecim_vu_reset(&tb.model);
    memset(&tb.in, 0, sizeof tb.in);
    *next = tb.in;
    return VU_TB_RUN;
  }
  ecim_vu_t *v = &tb.model;
  struct ecim_dma_view dv = {tb.in.rd_req_ready, tb.in.rd_valid, tb.in.wr_req_ready, tb.in.wr_ready, tb.in.wr_idle,
                             tb.in.rd_data};
  ecim_vu_comb_t m;
  ecim_vu_comb(&tb.hw, v, tb.in.cmd_valid, &dv, &m);
  if (compare(dut, &m)) return fail();
  if (m.rd_pop && !tb.in.rd_valid) {
    printf("ERROR: the unit popped a read beat that was not valid\n");
    where();
    return fail();
  }
  if (v->run && !v->drain && !v->in_slot) { /* a slot's entry */
    vu_slot_t sl = ecim_vu_slot(&tb.hw, &v->c, &v->pc);
    unsigned db = (unsigned)tb.hw.data_bytes;
    tb.slots[sl.kind]++;
    if (!sl.enabled) tb.disabled++;
    else if (sl.kind == VS_LOAD && sl.r[0].bank != VB_NONE && sl.r[1].bank != VB_NONE) tb.loads2++;
    else if (sl.kind == VS_STORE || sl.kind == VS_SSTORE) {
      if (sl.r[0].addr % db) tb.realigned++;
      if ((sl.r[0].addr % db + sl.r[0].bytes + db - 1) / db > 256) tb.long_stores++;
    } else if (sl.kind == VS_SCATTER) tb.scatters[sl.scatter] += sl.n;
    else if (sl.kind == VS_COMPUTE || sl.kind == VS_SCALAR) tb.compute[sl.compute]++;
  }
  ecim_vu_clock(&tb.hw, v, &tb.in.cmd, &dv, &m);
  dma_clock(&m);
  if (m.busy && tb.have_next) tb.cmd_busy_cycles++;
  if (m.start) {
    tb.ops_started++;
    tb.op_start_cycle = tb.cycle;
    count_op(&tb.in.cmd);
    if (tb.opt.verbose)
      printf("cycle %8" PRIu64 ": op %ld %s len %u count %u flags 0x%03x pos %u (%s)\n", tb.cycle, tb.ops_started,
             op_names[tb.in.cmd.op], tb.in.cmd.k, tb.in.cmd.n, tb.in.cmd.flags, tb.in.cmd.pos, phases[tb.phase].name);
    tb.have_next = 0;
    if (tb.ops_started < tb.opt.ops) {
      if (--tb.phase_ops_left <= 0) {
        tb.phase = (int)rnd(NPHASES);
        tb.phase_ops_left = 1 + (int)rnd(8);
      }
      next_descriptor();
      tb.gap = pct(50) ? 0 : (int)rnd(40);
    }
  } else if (tb.gap > 0 && !m.busy) {
    tb.gap--;
  }
  if (m.done) {
    tb.ops_done++;
    tb.last_done_cycle = tb.cycle;
    if (tb.opt.verbose)
      printf("cycle %8" PRIu64 ": op %ld done in %" PRIu64 " cycles\n", tb.cycle, tb.ops_done, tb.cycle - tb.op_start_cycle);
  }
  tb.cycle++;
  if (m.busy && tb.cycle - tb.op_start_cycle > HANG_CYCLES) {
    printf("ERROR: op %ld not done after %lu cycles (both models agree: a hang)\n", tb.ops_started, HANG_CYCLES);
    where();
    return fail();
  }
  drive();
  *next = tb.in;
  if (tb.ops_done >= tb.opt.ops || (tb.opt.max_cycles && (long)tb.cycle >= tb.opt.max_cycles)) {
    tb.status = VU_TB_PASS;
    return VU_TB_PASS;
  }
  return VU_TB_RUN;
}

void vu_tb_summary(double host_seconds) {
  const ecim_hw_t *h = &tb.hw;
  printf("config      DataBytes=%d VecLanes=%d VecBankBytes=%d MaxBurst=%d MacroRows=%d MacroCols=%d VuPipe=%d\n",
         h->data_bytes, h->vec_lanes, h->vec_bank_bytes, h->max_burst, h->macro_rows, h->macro_cols, ECIM_VU_PIPE);
  printf("seed        %" PRIu64 "\n", tb.opt.seed);
  printf("ops         %ld done of %ld started (%ld random descriptors refused by the checks)\n", tb.ops_done,
         tb.ops_started, tb.rejected);
  printf("  by op    ");
  for (int o = 1; o <= ECIM_CMD_OP_VAPPEND; o++) printf(" %s %ld", op_names[o], tb.op_count[o]);
  printf("\n  variants  multi-chunk %ld, VF32 input %ld, QX_IN %ld, CONCAT %ld, NEOX %ld, VSCALE %ld, LEN_POS %ld\n",
         tb.multi_chunk, tb.f32_in, tb.qx_in, tb.concat, tb.neox, tb.vscale, tb.len_pos);
  printf("  outputs   Q24 %ld, F32 %ld, QX %ld; gates SILU %ld, GELU %ld, RELU2 %ld\n", tb.fmt_count[0],
         tb.fmt_count[1], tb.fmt_count[2], tb.gate_count[0], tb.gate_count[1], tb.gate_count[2]);
  for (int p = 0; p < NPHASES; p++) printf("  %-26s %ld ops\n", phases[p].name, tb.phase_ops[p]);
  static const char *const comp_names[] = {"EMBED", "SS", "APPLY", "ROPE", "MAX", "EXPSUM", "EXPOUT", "GATE",
                                           "COPY", "VMOD", "RSQRT", "RECIP"};
  printf("slots      ");
  for (int k = VS_LOAD; k <= VS_SCATTER; k++) printf(" %s %ld", slot_names[k], tb.slots[k]);
  printf(" (%ld disabled)\n  enabled   loads of two regions %ld, realigned stores %ld, stores > 256 beats %ld,"
         " KAPPEND writes %ld, VAPPEND writes %ld\n  computes ",
         tb.disabled, tb.loads2, tb.realigned, tb.long_stores, tb.scatters[VX_KWORDS], tb.scatters[VX_VSCALE]);
  for (int k = 0; k <= VC_RECIP; k++) printf(" %s %ld", comp_names[k], tb.compute[k]);
  printf("\n");
  printf("dma         %ld read beats, %ld write beats in %ld requests (%ld cycles a beat waited)\n", tb.rd_beats,
         tb.wr_beats, tb.wr_reqs, tb.stall_cycles);
  printf("cycles      %" PRIu64 " compared (every output, every cycle)\n", tb.cycle);
  if (host_seconds > 0)
    printf("speed       %.0f cycles/s (%.2f s host CPU)\n", (double)tb.cycle / host_seconds, host_seconds);
  printf("mismatches  %d\n", tb.status == VU_TB_FAIL ? 1 : 0);
  printf("result      %s\n", tb.status == VU_TB_PASS ? "PASS" : "FAIL");
}
