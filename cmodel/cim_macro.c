/* Bit-exact, cycle-exact model of rtl/cim_macro.sv. The structure mirrors the RTL pipeline:
 * tree register (s1), bit-serial accumulator (hi/lo) and result register (out). */
#include "cim_macro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cim_macro_cfg_t CIM_MACRO_DEFAULT_CFG = {128, 32, 32, 4, 8};

struct cim_macro {
  cim_macro_cfg_t cfg;
  int groups, nsums;
  int32_t *bank32[2]; /* rows * cols weights each */
  int active, plane;
  int s1_valid, s1_plane;
  int32_t *s1_tree, *hi, *out, *tree;
  uint32_t *lo;      /* low result bits, shifted in from bit abits-1 */
  int out_valid;
};

static int clog2(int n) {
  int b = 0;
  while ((1 << b) < n) b++;
  return b;
}

int cim_macro_cfg_check(const cim_macro_cfg_t *c, char *err, size_t errlen) {
  const char *why = NULL;
  if (!c) why = "no configuration";
  else if (c->rows < 1 || c->rows > 4096) why = "rows must be in 1..4096";
  else if (c->cols < 1 || c->cols > 1024) why = "cols must be in 1..1024";
  else if (c->group_rows < 1 || c->rows % c->group_rows) why = "rows must be a multiple of group_rows";
  else if (c->wbits < 2 || c->wbits > 16) why = "wbits must be in 2..16";
  else if (c->abits < 2 || c->abits > 16) why = "abits must be in 2..16";
  else if (cim_macro_out_bits(c) > 32) why = "result width over 32 bits (wbits + abits + log2(group_rows))";
  if (why && err && errlen) snprintf(err, errlen, "cim_macro: %s", why);
  return why ? -1 : 0;
}

int cim_macro_groups(const cim_macro_cfg_t *c) { return c->rows / c->group_rows; }
int cim_macro_row_addr_bits(const cim_macro_cfg_t *c) { return c->rows > 1 ? clog2(c->rows) : 1; }
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
  size_t nw = (size_t)cfg->rows * cfg->cols;
  for (int b = 0; b < 2; b++) m->bank32[b] = calloc(nw, sizeof(int32_t));
  m->s1_tree = calloc(m->nsums, sizeof(int32_t));
  m->tree = calloc(m->nsums, sizeof(int32_t));
  m->hi = calloc(m->nsums, sizeof(int32_t));
  m->out = calloc(m->nsums, sizeof(int32_t));
  m->lo = calloc(m->nsums, sizeof(uint32_t));
  if (!m->bank32[0] || !m->bank32[1] || !m->s1_tree || !m->tree || !m->hi || !m->out || !m->lo) {
    cim_macro_free(m);
    return NULL;
  }
  cim_macro_reset(m);
  return m;
}

void cim_macro_free(cim_macro_t *m) {
  if (!m) return;
  free(m->bank32[0]);
  free(m->bank32[1]);
  free(m->s1_tree);
  free(m->tree);
  free(m->hi);
  free(m->out);
  free(m->lo);
  free(m);
}

void cim_macro_reset(cim_macro_t *m) {
  m->active = 0;
  m->plane = 0;
  m->s1_valid = 0;
  m->s1_plane = 0;
  m->out_valid = 0;
}

int32_t cim_macro_weight(const cim_macro_t *m, int bank, int row, int col) {
  return m->bank32[bank & 1][(size_t)row * m->cfg.cols + col];
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
}

static int64_t floor_half(int64_t x) { return (x - (x & 1)) / 2; }

void cim_macro_clock(cim_macro_t *m, const cim_macro_in_t *in) {
  const cim_macro_cfg_t *c = &m->cfg;
  ctl_t k = control(m, in);

  /* Stage 2: shift-accumulate the registered tree sums (reads the old s1 state). */
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
  int load_out = m->s1_valid && m->s1_plane == c->abits - 1 && !k.stall;
  m->out_valid = load_out || (m->out_valid && !in->r_ready);

  /* Stage 1: adder trees over the active bank (after a swap of this cycle). */
  if (!k.stall) {
    m->s1_valid = k.a_fire;
    m->s1_plane = m->plane;
  }
  if (k.a_fire) {
    const int32_t *w = m->bank32[k.active_d];
    memset(m->s1_tree, 0, (size_t)m->nsums * sizeof(int32_t));
    for (int r = 0; r < c->rows; r++) {
      if (!in->a_plane[r]) continue;
      int32_t *acc = m->s1_tree + (r / c->group_rows) * c->cols;
      const int32_t *wr = w + (size_t)r * c->cols;
      for (int col = 0; col < c->cols; col++) acc[col] += wr[col];
    }
    m->plane = m->plane == c->abits - 1 ? 0 : m->plane + 1;
  }

  /* Weight write into the shadow bank (w_fire implies no swap this cycle). */
  if (k.w_fire && in->w_row < (unsigned)c->rows) {
    memcpy(m->bank32[!m->active] + (size_t)in->w_row * c->cols, in->w_data,
           (size_t)c->cols * sizeof(int32_t));
  }
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
