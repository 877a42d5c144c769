/* SPDX-License-Identifier: Apache-2.0 */
/* Stimulus for the VF32 library (see vf_stim.h). */
#include "vf_stim.h"

#include <string.h>

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static uint32_t make_f32(uint32_t sign, uint32_t exp, uint32_t frac) {
  return sign << 31 | (exp & 0xFFu) << 23 | (frac & 0x7FFFFFu);
}

/* Biased exponents where something changes: zero/subnormal, the ends of the normal range, the
 * square roots of those (mul), 2^-24 and 2^-25 (Q24), the FP16 range, 2^31 and 2^39 (int and Q24
 * saturation), 2^6 and 2^7 (the exp thresholds, |t| near 126 and 128), Inf/NaN. */
static const uint8_t corner_exps[] = {0, 1, 2, 63, 64, 65, 100, 102, 103, 109, 110, 111, 112, 113,
                                      125, 126, 127, 128, 133, 134, 135, 142, 143, 144, 150, 157,
                                      158, 166, 167, 190, 191, 253, 254, 255};
/* Fractions: zero, one ulp, half (ties of shorter roundings), all ones (carries), and the
 * interpolation segment boundaries of recip (1/128), exp and rsqrt (1/64) with a neighbour. */
static const uint32_t corner_fracs[] = {0, 1, 0x400000, 0x7FFFFF, 0x7FFFFE, 0x000FFF, 0x001000,
                                        0x002000, 0x010000, 0x00FFFF, 0x020000, 0x01FFFF,
                                        0x3F0000, 0x7F0000, 0x7E0000};
#define N_EXPS  ((int)(sizeof corner_exps / sizeof corner_exps[0]))
#define N_FRACS ((int)(sizeof corner_fracs / sizeof corner_fracs[0]))

/* Values at the thresholds of one function or another (positive; both signs are used). */
static const float corner_vals[] = {
  1.0f, 2.0f, 0.5f, 1.5f, 3.0f, 127.0f, 127.5f, 126.5f, 128.0f, 0.25f, 2.5f, -0.0f,
  87.3365448f, 87.3365479f, 88.7228394f, 88.7228470f, 89.4159851f, /* e^x: near ln 2^-126, ln max */
  103.972076f, 103.97f, 126.0f, 126.000008f, 125.99999f,           /* 2^x thresholds via log2e */
  131008.0f, 131040.0f, 131039.99f, 131071.99f, 65504.0f, 65520.0f, /* FP16 saturation */
  5.96046448e-8f, 2.98023224e-8f, 2.98023259e-8f, 8.94069672e-8f,  /* 2^-24, 2^-25 ties */
  6.10351562e-5f, 6.09755516e-5f, 6.10649586e-5f,                  /* 2^-14, the subnormal edge */
  549755813888.0f, 549755781120.0f, 2147483648.0f, 2147483520.0f,  /* 2^39, 2^31 and below */
  1.17549435e-38f, 1.17549421e-38f, 3.40282347e+38f, 1.84467441e19f, 5.42101086e-20f,
  1.08420217e-19f, 1.0000001f, 0.99999994f, 1.00781250f, 1.015625f, 1.99999988f, 3.99999976f,
  0.693147182f, 1.44269502f, 1.5957691f, 0.0713548f,               /* ln 2, log2 e, GELU consts */
};
#define N_VALS ((int)(sizeof corner_vals / sizeof corner_vals[0]))

int vf_stim_corner_count(void) { return 2 * (N_EXPS * N_FRACS + N_VALS); }

uint32_t vf_stim_corner(int i) {
  uint32_t sign = (uint32_t)i & 1u;
  int k = i >> 1;
  if (k < N_EXPS * N_FRACS) return make_f32(sign, corner_exps[k / N_FRACS], corner_fracs[k % N_FRACS]);
  return f32_bits(corner_vals[k - N_EXPS * N_FRACS]) ^ sign << 31;
}

/* int64 corners: 0, +-1, the extremes, and for every bit length k: 2^k, 2^k - 1, 2^k + 1 and the
 * tie 2^k + 2^(k-24) of a 24-bit rounding, each with both signs. */
#define Q24_PER_BIT 4
int vf_stim_q24_corner_count(void) { return 2 * (3 + 63 * Q24_PER_BIT); }

int64_t vf_stim_q24_corner(int i) {
  int neg = i & 1;
  int k = i >> 1;
  uint64_t mag;
  if (k == 0) mag = 0;
  else if (k == 1) mag = 1;
  else if (k == 2) mag = neg ? 1ull << 63 : (1ull << 63) - 1;   /* INT64_MIN, INT64_MAX */
  else {
    int bit = (k - 3) / Q24_PER_BIT;
    uint64_t p = 1ull << bit;
    switch ((k - 3) % Q24_PER_BIT) {
      case 0: mag = p; break;
      case 1: mag = p - 1 + (p == 1); break;
      case 2: mag = p + 1; break;
      default: mag = p + (bit >= 24 ? 1ull << (bit - 24) : 0) + (bit >= 25 ? 1ull << (bit - 23) : 0); break;
    }
  }
  return neg ? (int64_t)(0 - mag) : (int64_t)mag;
}

/* A fraction with structure: random, with its low bits all clear or all set (ties, carries). */
static uint32_t frac_structured(tb_rng_t *r) {
  uint32_t f = (uint32_t)tb_rng_next(r) & 0x7FFFFFu;
  int low = (int)tb_rng_below(r, 24);
  uint32_t mask = low ? (1u << low) - 1 : 0;
  switch (tb_rng_below(r, 3)) {
    case 0: return f & ~mask;
    case 1: return f | mask;
    default: return (f & ~mask) | (low ? 1u << (low - 1) : 0);   /* exactly half below the cut */
  }
}

uint32_t vf_stim_f32(tb_rng_t *r) {
  uint32_t sign = (uint32_t)tb_rng_below(r, 2);
  switch (tb_rng_below(r, 8)) {
    case 0:
    case 1: return (uint32_t)tb_rng_next(r);
    case 2:
    case 3: return make_f32(sign, 127 + (uint32_t)tb_rng_range(r, -40, 40), (uint32_t)tb_rng_next(r));
    case 4: return make_f32(sign, (uint32_t)tb_rng_range(r, 0, 255), frac_structured(r));
    case 5: { /* the ends of the exponent range */
      static const uint8_t ends[] = {0, 1, 2, 3, 252, 253, 254, 255};
      return make_f32(sign, ends[tb_rng_below(r, 8)], (uint32_t)tb_rng_next(r));
    }
    default: { /* a few ulps from a corner */
      uint32_t c = vf_stim_corner((int)tb_rng_below(r, (uint32_t)vf_stim_corner_count()));
      return c + (uint32_t)tb_rng_range(r, -3, 3);
    }
  }
}

uint32_t vf_stim_f32_in(tb_rng_t *r, int emin, int emax) {
  return make_f32((uint32_t)tb_rng_below(r, 2), (uint32_t)(127 + tb_rng_range(r, emin, emax)), frac_structured(r));
}

uint32_t vf_stim_partner(tb_rng_t *r, uint32_t a) {
  uint32_t ea = (a >> 23) & 0xFFu;
  switch (tb_rng_below(r, 8)) {
    case 0:
    case 1:
    case 2: return vf_stim_f32(r);
    case 3: /* the same exponent or one off: cancellation, both orders of magnitude */
      return make_f32((uint32_t)tb_rng_below(r, 2), ea + (uint32_t)tb_rng_range(r, -1, 1), frac_structured(r));
    case 4: /* alignment shifts around the guard bits and beyond */
      return make_f32((uint32_t)tb_rng_below(r, 2), ea + (uint32_t)tb_rng_range(r, -30, 30),
                      (uint32_t)tb_rng_next(r));
    case 5: return (a ^ 0x80000000u) + (uint32_t)tb_rng_range(r, -2, 2);   /* -a, a few ulps off */
    case 6: { /* exponents whose product lands at the flush or the saturation threshold (mul) */
      int eb = (tb_rng_below(r, 2) ? 128 : 381) - (int)ea + (int)tb_rng_range(r, -2, 2);
      eb = eb < 0 ? 0 : eb > 255 ? 255 : eb;
      return make_f32((uint32_t)tb_rng_below(r, 2), (uint32_t)eb, (uint32_t)tb_rng_next(r));
    }
    default: /* the same fraction at another exponent */
      return make_f32((uint32_t)tb_rng_below(r, 2), (uint32_t)tb_rng_range(r, 0, 255), a);
  }
}

uint32_t vf_stim_exp_arg(tb_rng_t *r) {
  if (tb_rng_pct(r, 25)) return vf_stim_f32(r);
  /* |x| < 2^7: every exponent down to tiny t (the floor of t for |t| < 2^-24) */
  uint32_t exp = tb_rng_pct(r, 80) ? 127u + (uint32_t)tb_rng_range(r, -8, 6) : (uint32_t)tb_rng_range(r, 1, 133);
  return make_f32((uint32_t)tb_rng_below(r, 2), exp, tb_rng_pct(r, 30) ? frac_structured(r) : (uint32_t)tb_rng_next(r));
}

/* The real value of an FP16 pattern as the accelerator reads it (host double: stimulus only). */
static double fp16_value(uint32_t h) {
  uint32_t e = (h >> 10) & 31u, m = h & 1023u;
  double v = (double)(e ? m | 1024u : m);
  for (int k = (e ? (int)e : 1) - 25; k < 0; k++) v *= 0.5;
  for (int k = (e ? (int)e : 1) - 25; k > 0; k--) v *= 2.0;
  return (h & 0x8000u) ? -v : v;
}

uint32_t vf_stim_fp16_midpoint(uint32_t h) {
  return f32_bits((float)((fp16_value(h) + fp16_value(h + 1)) / 2));   /* 12 bits: exact */
}

uint32_t vf_stim_fp16_arg(tb_rng_t *r) {
  uint32_t h = (uint32_t)tb_rng_below(r, 0x10000);
  switch (tb_rng_below(r, 5)) {
    case 0: return vf_stim_f32(r);
    case 1: return make_f32((uint32_t)tb_rng_below(r, 2), 127u + (uint32_t)tb_rng_range(r, -28, 18),
                            (uint32_t)tb_rng_next(r));
    case 2: return f32_bits((float)fp16_value(h));   /* on the grid */
    default: { /* the midpoint of two grid neighbours (exact in binary32), or an ulp off it */
      if ((h & 0x7FFFu) == 0x7FFFu) h--;
      return vf_stim_fp16_midpoint(h) + (uint32_t)tb_rng_range(r, -1, 1);
    }
  }
}

uint32_t vf_stim_int_arg(tb_rng_t *r) {
  switch (tb_rng_below(r, 4)) {
    case 0: return vf_stim_f32(r);
    case 1: return f32_bits((float)tb_rng_range(r, -600, 600) * 0.5f);   /* integers and ties */
    default: return make_f32((uint32_t)tb_rng_below(r, 2), 127u + (uint32_t)tb_rng_range(r, -3, 32),
                             frac_structured(r));
  }
}

int64_t vf_stim_q24(tb_rng_t *r) {
  uint64_t x = tb_rng_next(r);
  switch (tb_rng_below(r, 4)) {
    case 0: return (int64_t)x;
    case 1: return (int64_t)(x >> tb_rng_below(r, 64)) * (tb_rng_below(r, 2) ? -1 : 1);
    case 2: { /* few significant bits: exact conversions and ties */
      int len = (int)tb_rng_range(r, 1, 63), keep = (int)tb_rng_range(r, 1, 26);
      uint64_t m = (x >> (64 - len)) | 1ull << (len - 1);
      if (len > keep) m &= ~((1ull << (len - keep)) - 1);
      return tb_rng_below(r, 2) ? -(int64_t)m : (int64_t)m;
    }
    default: /* a corner, a step or two off (wrapping around the extremes) */
      return (int64_t)((uint64_t)vf_stim_q24_corner((int)tb_rng_below(r, (uint32_t)vf_stim_q24_corner_count())) +
                       (uint64_t)(int64_t)tb_rng_range(r, -2, 2));
  }
}

void vf_stim_int_bounds(tb_rng_t *r, int32_t *lo, int32_t *hi) {
  uint32_t k = tb_rng_below(r, 10);
  if (k < 6) {
    *lo = -127;
    *hi = 127;
  } else if (k < 9) { /* an ordered pair */
    int32_t a = (int32_t)tb_rng_next(r) >> tb_rng_below(r, 31), b = (int32_t)tb_rng_next(r) >> tb_rng_below(r, 31);
    *lo = a < b ? a : b;
    *hi = a < b ? b : a;
  } else { /* anything: extremes, or lo > hi */
    *lo = tb_rng_pct(r, 50) ? INT32_MIN : (int32_t)tb_rng_next(r);
    *hi = tb_rng_pct(r, 50) ? INT32_MAX : (int32_t)tb_rng_next(r);
  }
}

void vf_stim_group(tb_rng_t *r, uint32_t v[VF_GROUP]) {
  uint32_t mode = tb_rng_below(r, 10);
  uint32_t base = 127u + (uint32_t)tb_rng_range(r, -20, 10);   /* the group's magnitude */
  for (int i = 0; i < VF_GROUP; i++) {
    uint32_t sign = (uint32_t)tb_rng_below(r, 2);
    switch (mode) {
      case 0: v[i] = vf_stim_f32(r); break;
      case 1: v[i] = make_f32(sign, 0, tb_rng_pct(r, 50) ? 0 : (uint32_t)tb_rng_next(r)); break;   /* zeros, subnormals */
      case 2: v[i] = make_f32(sign, 100u + (uint32_t)tb_rng_below(r, 7), (uint32_t)tb_rng_next(r)); break;
      case 3: v[i] = make_f32(sign, 140u + (uint32_t)tb_rng_below(r, 115), (uint32_t)tb_rng_next(r)); break;
      default: v[i] = make_f32(sign, base - (uint32_t)tb_rng_below(r, 8), (uint32_t)tb_rng_next(r)); break;
    }
  }
  if (mode == 4) v[tb_rng_below(r, VF_GROUP)] = make_f32((uint32_t)tb_rng_below(r, 2), base + 12u, 0);   /* outlier */
  if (mode == 5) v[tb_rng_below(r, VF_GROUP)] = f32_bits(127.0f * (float)fp16_value(tb_rng_below(r, 0x7C00)));
}
