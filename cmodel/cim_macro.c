/* SPDX-License-Identifier: Apache-2.0 */
/* Bit-exact, cycle-exact model of rtl/cim_macro.sv. The structure mirrors the RTL pipeline:
 * bit-plane banks, tree register (s1), bit-serial accumulator (hi/lo) and result register. */
#include "cim_macro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cim_macro_cfg_t CIM_MACRO_DEFAULT_CFG = {128, 32, 32, 4, 8, 128};

struct cim_macro {
  cim_macro_cfg_t cfg;
  int groups, nsums, nwords;
  uint32_t *word[2];  /* bit-plane words per bank */
  uint16_t *scale[2]; /* scales per bank */
  int active, plane;
  int s1_valid, s1_plane;
  int32_t *s1_tree, *hi, *out;
  uint16_t *out_scale;
  uint32_t *lo; /* low result bits, shifted in from bit abits-1 */
  uint32_t *plane_words; /* scratch: the plane as one word per group */
  int out_valid;
};

static int clog2(int n) {
  int b = 0;
  while ((1 << b) < n) b++;
  return b;
}

static int is_pow2(int v) { return v > 0 && (v & (v - 1)) == 0; }

int cim_macro_cfg_check(const cim_macro_cfg_t *c, char *err, size_t errlen) {
  const char *why = NULL;
  if (!c) why = "no configuration";
  else if (c->rows < 1 || c->rows > 4096) why = "rows must be in 1..4096";
  else if (c->cols < 1 || c->cols > 1024) why = "cols must be in 1..1024";
  else if (c->group_rows < 1 || c->group_rows > 32 || c->rows % c->group_rows)
    why = "rows must be a multiple of group_rows, group_rows at most 32";
  else if (c->wbits != 2 && c->wbits != 4 && c->wbits != 8) why = "wbits must be 2, 4 or 8";
  else if (c->abits < 2 || c->abits > 16) why = "abits must be in 2..16";
  else if (!is_pow2(c->wr_bits) || c->wr_bits < 32) why = "wr_bits must be a power of two >= 32";
  else if (cim_macro_out_bits(c) > 32) why = "result width over 32 bits (wbits + abits + log2(group_rows))";
  if (why && err && errlen) snprintf(err, errlen, "cim_macro: %s", why);
  return why ? -1 : 0;
}

int cim_macro_groups(const cim_macro_cfg_t *c) { return c->rows / c->group_rows; }
int cim_macro_words(const cim_macro_cfg_t *c) { return cim_macro_groups(c) * c->cols * c->wbits; }
int cim_macro_tree_bits(const cim_macro_cfg_t *c) {
  return c->wbits + (c->group_rows > 1 ? clog2(c->group_rows) : 1);
}
int cim_macro_out_bits(const cim_macro_cfg_t *c) { return cim_macro_tree_bits(c) + c->abits; }
int cim_macro_latency(const cim_macro_cfg_t *c) { return c->abits + 1; }
int cim_macro_interval(const cim_macro_cfg_t *c) { return c->abits; }

cim_macro_t *cim_macro_new(const cim_macro_cfg_t *cfg) {
  if (cim_macro_cfg_check(cfg, NULL, 0)) return NULL;
  cim_macro_t *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->cfg = *cfg;
  m->groups = cim_macro_groups(cfg);
  m->nsums = m->groups * cfg->cols;
  m->nwords = cim_macro_words(cfg);
  int ok = 1;
  for (int b = 0; b < 2; b++) {
    ok &= (m->word[b] = calloc((size_t)m->nwords, sizeof(uint32_t))) != NULL;
    ok &= (m->scale[b] = calloc((size_t)m->nsums, sizeof(uint16_t))) != NULL;
  }
  ok &= (m->s1_tree = calloc((size_t)m->nsums, sizeof(int32_t))) != NULL;
  ok &= (m->hi = calloc((size_t)m->nsums, sizeof(int32_t))) != NULL;
  ok &= (m->out = calloc((size_t)m->nsums, sizeof(int32_t))) != NULL;
  ok &= (m->out_scale = calloc((size_t)m->nsums, sizeof(uint16_t))) != NULL;
  ok &= (m->lo = calloc((size_t)m->nsums, sizeof(uint32_t))) != NULL;
  ok &= (m->plane_words = calloc((size_t)m->groups, sizeof(uint32_t))) != NULL;
  if (!ok) {
    cim_macro_free(m);
    return NULL;
  }
  cim_macro_reset(m);
  return m;
}

void cim_macro_free(cim_macro_t *m) {
  if (!m) return;
  for (int b = 0; b < 2; b++) {
    free(m->word[b]);
    free(m->scale[b]);
  }
  free(m->s1_tree);
  free(m->hi);
  free(m->out);
  free(m->out_scale);
  free(m->lo);
  free(m->plane_words);
  free(m);
}

void cim_macro_reset(cim_macro_t *m) {
  m->active = 0;
  m->plane = 0;
  m->s1_valid = 0;
  m->s1_plane = 0;
  m->out_valid = 0;
}

int32_t cim_macro_weight(const cim_macro_t *m, int bank, int row, int col, int prec) {
  const cim_macro_cfg_t *c = &m->cfg;
  int g = row / c->group_rows, rr = row % c->group_rows, w = cim_macro_prec_bits(prec);
  int32_t v = 0;
  for (int j = 0; j < w; j++) {
    int bit = (int)(m->word[bank & 1][(g * c->wbits + j) * c->cols + col] >> rr & 1);
    v += j == w - 1 ? -(bit << j) : bit << j;
  }
  return v;
}

uint16_t cim_macro_scale(const cim_macro_t *m, int bank, int group, int col) {
  return m->scale[bank & 1][group * m->cfg.cols + col];
}

/* Combinational control signals, as in the RTL. */
typedef struct {
  int stall, a_fire, swap_fire, w_ready, w_fire, active_d;
} ctl_t;

static ctl_t control(const cim_macro_t *m, const cim_macro_in_t *in) {
  ctl_t k;
  int s1_last = m->s1_plane == m->cfg.abits - 1;
  k.stall = m->s1_valid && s1_last && m->out_valid && !in->r_ready;
  k.a_fire = in->a_valid && !k.stall;
  k.swap_fire = k.a_fire && m->plane == 0 && in->a_swap;
  k.w_ready = !k.swap_fire;
  k.w_fire = in->w_valid && k.w_ready;
  k.active_d = m->active ^ k.swap_fire;
  return k;
}

void cim_macro_eval(const cim_macro_t *m, const cim_macro_in_t *in, cim_macro_out_t *out) {
  ctl_t k = control(m, in);
  out->w_ready = k.w_ready;
  out->a_ready = !k.stall;
  out->r_valid = m->out_valid;
  out->bank = m->active;
  out->idle = m->plane == 0 && !m->s1_valid && !m->out_valid;
  out->r_data = m->out;
  out->r_scale = m->out_scale;
}

static int64_t floor_half(int64_t x) { return (x - (x & 1)) / 2; }

/* Bits set in v (portable SWAR: no popcount instruction assumed). */
static inline int32_t popcount32(uint32_t v) {
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  return (int32_t)((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

/* Stage 0: per (group, column), the popcounts of the plane AND each bit-plane word, shift-added
 * with the sign plane (bit w - 1 of the operation's precision) subtracted. */
static void plane_sums(cim_macro_t *m, const uint32_t *words, const uint8_t *plane, int prec) {
  const cim_macro_cfg_t *c = &m->cfg;
  int w = cim_macro_prec_bits(prec);
  for (int g = 0; g < m->groups; g++) {
    uint32_t p = 0;
    for (int rr = 0; rr < c->group_rows; rr++) p |= (uint32_t)(plane[g * c->group_rows + rr] & 1) << rr;
    m->plane_words[g] = p;
  }
  for (int g = 0; g < m->groups; g++) {
    uint32_t p = m->plane_words[g];
    for (int col = 0; col < c->cols; col++) {
      int32_t s = 0;
      for (int j = 0; j < c->wbits && j < w; j++) {
        int32_t cnt = popcount32(p & words[(g * c->wbits + j) * c->cols + col]);
        s += j == w - 1 ? -(cnt << j) : cnt << j;
      }
      m->s1_tree[g * c->cols + col] = s;
    }
  }
}

/* A write into the shadow bank: element e at index (w_idx aligned down to the count) + e. */
static void write_shadow(cim_macro_t *m, const cim_macro_in_t *in) {
  const cim_macro_cfg_t *c = &m->cfg;
  int bank = !m->active;
  if (!in->w_kind) {
    unsigned n = (unsigned)c->wr_bits / 32, base = in->w_idx & ~(n - 1);
    uint32_t mask = c->group_rows == 32 ? 0xFFFFFFFFu : (1u << c->group_rows) - 1;
    for (unsigned e = 0; e < n; e++) {
      if (base + e >= (unsigned)m->nwords) continue;
      const uint8_t *d = in->w_data + 4 * e;
      m->word[bank][base + e] = ((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24) & mask;
    }
  } else {
    unsigned n = (unsigned)c->wr_bits / 16, base = in->w_idx & ~(n - 1);
    for (unsigned e = 0; e < n; e++) {
      /* the RTL's scale index has clog2(nsums) bits */
      unsigned q = (base + e) & ((1u << clog2(m->nsums)) - 1);
      if (q >= (unsigned)m->nsums) continue;
      m->scale[bank][q] = (uint16_t)(in->w_data[2 * e] | in->w_data[2 * e + 1] << 8);
    }
  }
}

void cim_macro_clock(cim_macro_t *m, const cim_macro_in_t *in) {
  const cim_macro_cfg_t *c = &m->cfg;
  ctl_t k = control(m, in);

  /* Stage 2: shift-accumulate the registered tree sums (reads the old s1 state). */
  int load_out = m->s1_valid && m->s1_plane == c->abits - 1 && !k.stall;
  if (m->s1_valid && !k.stall) {
    int first = m->s1_plane == 0, last = m->s1_plane == c->abits - 1;
    for (int i = 0; i < m->nsums; i++) {
      int64_t base = first ? 0 : m->hi[i];
      int64_t t = last ? base - m->s1_tree[i] : base + m->s1_tree[i];
      uint32_t bit = (uint32_t)(t & 1);
      uint32_t lo = (m->lo[i] >> 1) | (bit << (c->abits - 1));
      m->hi[i] = (int32_t)floor_half(t);
      m->lo[i] = lo;
      if (last) m->out[i] = (int32_t)((int64_t)m->hi[i] * (1LL << c->abits) + lo);
    }
  }
  /* The scales travel with the result: the bank is still the operation's. */
  if (load_out) memcpy(m->out_scale, m->scale[m->active], (size_t)m->nsums * sizeof(uint16_t));
  m->out_valid = load_out || (m->out_valid && !in->r_ready);

  /* Stage 1: plane sums over the active bank (after a swap of this cycle). */
  if (!k.stall) {
    m->s1_valid = k.a_fire;
    m->s1_plane = m->plane;
  }
  if (k.a_fire) {
    plane_sums(m, m->word[k.active_d], in->a_plane, in->a_prec);
    m->plane = m->plane == c->abits - 1 ? 0 : m->plane + 1;
  }

  /* Write into the shadow bank (w_fire implies no swap this cycle). */
  if (k.w_fire) write_shadow(m, in);
  m->active = k.active_d;
}

void cim_macro_ref_dot(const cim_macro_cfg_t *c, const int32_t *w, const int32_t *act,
                       int32_t *sums) {
  int groups = cim_macro_groups(c);
  for (int g = 0; g < groups; g++) {
    for (int col = 0; col < c->cols; col++) {
      int64_t s = 0;
      for (int r = g * c->group_rows; r < (g + 1) * c->group_rows; r++)
        s += (int64_t)act[r] * w[(size_t)r * c->cols + col];
      sums[g * c->cols + col] = (int32_t)s;
    }
  }
}
