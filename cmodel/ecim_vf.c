/* SPDX-License-Identifier: Apache-2.0 */
/* VF32 golden model (see ecim_vf.h; docs/NUMERICS.md, "VF32", is the specification).
 * Integer arithmetic only: every value is taken apart into sign, exponent and a 24-bit
 * significand, computed on exactly, and rounded once by vf_round_pack(). */
#include "ecim_vf.h"

#include "ecim_vf_tables.h"

#define VF_EXP_MIN (-126)   /* unbiased exponents of the normal range */
#define VF_EXP_MAX 127
#define VF_HIDDEN  (1u << 23)
#define VF_FRAC    (VF_HIDDEN - 1u)

/* A value as read: (-1)^sign * sig * 2^(exp - 23), sig in [2^23, 2^24); or zero. */
typedef struct {
  uint32_t sign;
  int zero;
  int exp;
  uint32_t sig;
} vf_parts_t;

uint32_t vf_canon(uint32_t x) {
  uint32_t e = (x >> 23) & 0xFFu;
  if (e == 0) return x & VF_SIGN;
  if (e == 255) return (x & VF_SIGN) | VF_MAX;
  return x;
}

static vf_parts_t vf_unpack(uint32_t x) {
  vf_parts_t p;
  x = vf_canon(x);
  p.sign = x >> 31;
  p.zero = (x & ~VF_SIGN) == 0;
  p.exp = (int)((x >> 23) & 0xFFu) - 127;
  p.sig = (x & VF_FRAC) | VF_HIDDEN;
  return p;
}

/* The last step of every result: below 2^-126 a signed zero, above the largest finite +-max. */
static uint32_t vf_finish(uint32_t sign, int exp, uint32_t sig) {
  if (exp < VF_EXP_MIN) return sign << 31;
  if (exp > VF_EXP_MAX) return sign << 31 | VF_MAX;
  return sign << 31 | (uint32_t)(exp + 127) << 23 | (sig & VF_FRAC);
}

/* Index of the highest set bit of x != 0. */
static int msb64(uint64_t x) {
  int p = 0;
  for (int w = 32; w > 0; w >>= 1)
    if (x >> w) {
      x >>= w;
      p += w;
    }
  return p;
}

/* x / 2^s rounded to nearest, ties to even, for any s >= 1. sticky: the exact value is a little
 * above x (by less than one unit of x), which breaks a tie upwards. */
static uint64_t shift_right_rne(uint64_t x, int s, int sticky) {
  if (s > 64) return 0;   /* x / 2^s < 1/2 */
  uint64_t q = s == 64 ? 0 : x >> s;
  uint64_t rem = s == 64 ? x : x & ((1ull << s) - 1);
  uint64_t half = 1ull << (s - 1);
  int up = rem > half || (rem == half && (sticky || (q & 1)));
  return q + (uint64_t)up;
}

/* The binary32 nearest (mag + d) * 2^scale, d in (0, 1) if sticky else 0, flushed/saturated.
 * mag != 0; with sticky, mag has at least 25 bits (so the rounding bit is known). */
static uint32_t vf_round_pack(uint32_t sign, int scale, uint64_t mag, int sticky) {
  int p = msb64(mag);
  int exp = p + scale;
  uint64_t sig;
  if (p <= 23) {
    sig = mag << (23 - p);
  } else {
    sig = shift_right_rne(mag, p - 23, sticky);
    if (sig == 1ull << 24) {   /* rounded up into the next binade */
      sig >>= 1;
      exp++;
    }
  }
  return vf_finish(sign, exp, (uint32_t)sig);
}

/* ---- correctly rounded arithmetic ----------------------------------------------------------- */

/* Guard bits below the larger significand: with 30, an addend shifted further than that only
 * contributes a sticky bit, and the difference still has its leading bit at 53 or 52. */
#define VF_ADD_GUARD 30

uint32_t vf_add(uint32_t a, uint32_t b) {
  vf_parts_t x = vf_unpack(a), y = vf_unpack(b);
  if (x.zero && y.zero) return (x.sign & y.sign) << 31;   /* -0 only for -0 + -0 */
  if (y.zero) return vf_canon(a);
  if (x.zero) return vf_canon(b);
  if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {   /* x: the larger magnitude */
    vf_parts_t t = x;
    x = y;
    y = t;
  }
  int d = x.exp - y.exp;
  uint64_t big = (uint64_t)x.sig << VF_ADD_GUARD, small = (uint64_t)y.sig << VF_ADD_GUARD;
  int sticky = 0;
  if (d >= 64) {
    small = 0;
    sticky = 1;
  } else if (d > 0) {
    sticky = (small & ((1ull << d) - 1)) != 0;
    small >>= d;
  }
  /* With sticky the subtrahend is small + d: big - small - d = (big - small - 1) + (1 - d). */
  uint64_t mag = x.sign == y.sign ? big + small : big - small - (uint64_t)sticky;
  if (mag == 0 && !sticky) return VF_ZERO;   /* exact cancellation: +0 */
  return vf_round_pack(x.sign, x.exp - 23 - VF_ADD_GUARD, mag, sticky);
}

uint32_t vf_sub(uint32_t a, uint32_t b) { return vf_add(a, b ^ VF_SIGN); }

uint32_t vf_mul(uint32_t a, uint32_t b) {
  vf_parts_t x = vf_unpack(a), y = vf_unpack(b);
  uint32_t sign = x.sign ^ y.sign;
  if (x.zero || y.zero) return sign << 31;
  return vf_round_pack(sign, x.exp + y.exp - 46, (uint64_t)x.sig * y.sig, 0);
}

/* ---- exact operations ----------------------------------------------------------------------- */

uint32_t vf_neg(uint32_t a) { return vf_canon(a) ^ VF_SIGN; }
uint32_t vf_abs(uint32_t a) { return vf_canon(a) & ~VF_SIGN; }

/* A canonical pattern as a signed integer that orders like the real it reads as (-0 and +0 equal). */
static int64_t vf_order_key(uint32_t a) {
  uint32_t c = vf_canon(a);
  int64_t mag = (int64_t)(c & ~VF_SIGN);
  return (c & VF_SIGN) ? -mag : mag;
}

int vf_lt(uint32_t a, uint32_t b) { return vf_order_key(a) < vf_order_key(b); }
uint32_t vf_max(uint32_t a, uint32_t b) { return vf_lt(a, b) ? vf_canon(b) : vf_canon(a); }

/* ---- conversions ---------------------------------------------------------------------------- */

uint32_t vf_from_q24(int64_t v) {
  if (v == 0) return VF_ZERO;
  uint32_t sign = v < 0;
  uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;
  return vf_round_pack(sign, -24, mag, 0);
}

/* sig * 2^sh rounded to an integer (ties to even); sh < 40. */
static uint64_t vf_scaled_rne(uint32_t sig, int sh) {
  return sh >= 0 ? (uint64_t)sig << sh : shift_right_rne(sig, -sh, 0);
}

int64_t vf_to_q24(uint32_t f) {
  vf_parts_t x = vf_unpack(f);
  if (x.zero) return 0;
  int sh = x.exp + 1;   /* f * 2^24 = sig * 2^(exp + 1) */
  if (sh >= 40) return x.sign ? INT64_MIN : INT64_MAX;   /* |f * 2^24| >= 2^63 */
  uint64_t mag = vf_scaled_rne(x.sig, sh);
  return x.sign ? -(int64_t)mag : (int64_t)mag;
}

/* Beyond every int32 bound: what vf_to_int_rne clamps |f| >= 2^31 from. */
#define VF_INT_BEYOND (1ll << 32)

int32_t vf_to_int_rne(uint32_t f, int32_t lo, int32_t hi) {
  vf_parts_t x = vf_unpack(f);
  int64_t r = 0;
  if (!x.zero) {
    int64_t mag = x.exp >= 31 ? VF_INT_BEYOND : (int64_t)vf_scaled_rne(x.sig, x.exp - 23);
    r = x.sign ? -mag : mag;
  }
  if (r < lo) r = lo;
  if (r > hi) r = hi;
  return (int32_t)r;
}

uint32_t vf_from_fp16(uint16_t h) {
  uint32_t sign = (uint32_t)h >> 15, e = ((uint32_t)h >> 10) & 31u, m = h & 1023u;
  uint32_t mant = e ? m | 1024u : m;
  if (mant == 0) return sign << 31;
  return vf_round_pack(sign, (e ? (int)e : 1) - 25, mant, 0);   /* exact: 11 bits */
}

#define VF_FP16_MAX 0x7FFFu   /* (2 - 2^-10) * 2^16 = 131008 */

uint16_t vf_to_fp16(uint32_t f) {
  vf_parts_t x = vf_unpack(f);
  uint32_t sign = x.sign << 15;
  if (x.zero) return (uint16_t)sign;
  if (x.exp > 16) return (uint16_t)(sign | VF_FP16_MAX);
  /* The FP16 exponent field, at least 1 (subnormals share the step of e = 1: 2^-24). The step
   * is 2^(field - 25), so the significand loses field - exp - 2 bits (13 for a normal). */
  int field = x.exp + 15 < 1 ? 1 : x.exp + 15;
  uint32_t q = (uint32_t)shift_right_rne(x.sig, field - x.exp - 2, 0);
  /* q counts steps of the field's binade, 1024 included: a carry to 2048 (or from a subnormal
   * to 1024) lands on the next exponent by itself. */
  uint32_t bits = ((uint32_t)(field - 1) << 10) + q;
  return (uint16_t)(sign | (bits > VF_FP16_MAX ? VF_FP16_MAX : bits));
}

/* ---- special functions ---------------------------------------------------------------------- */

#define VF_EXP_T_LO (-(126ll << 24))   /* t < -126 -> +0 */
#define VF_EXP_T_HI (128ll << 24)      /* t >= 128 -> +max */

/* floor(t * 2^24) of a VF32 t with |t| < 2^8 (t * 2^24 = sig * 2^(exp + 1)). */
static int64_t vf_floor_q24(vf_parts_t t) {
  if (t.zero) return 0;
  int sh = t.exp + 1;
  uint64_t mag;
  if (sh >= 0) {
    mag = (uint64_t)t.sig << sh;
  } else if (-sh >= 25) {          /* 0 < |t * 2^24| < 1 */
    mag = t.sign;                  /* floor: 0 up, -1 down */
  } else {                         /* a negative value floors away from zero: ceil of |.| */
    uint64_t unit = 1ull << -sh;
    mag = t.sign ? ((uint64_t)t.sig + unit - 1) >> -sh : (uint64_t)t.sig >> -sh;
  }
  return t.sign ? -(int64_t)mag : (int64_t)mag;
}

uint32_t vf_exp(uint32_t x) {
  vf_parts_t t = vf_unpack(vf_mul(x, VF_LOG2E));
  if (!t.zero && t.exp >= 8) return t.sign ? VF_ZERO : VF_MAX;   /* |t| >= 256 */
  int64_t tq = vf_floor_q24(t);   /* T = floor(t * 2^24) */
  if (tq < VF_EXP_T_LO) return VF_ZERO;
  if (tq >= VF_EXP_T_HI) return VF_MAX;
  uint32_t frac = (uint32_t)((uint64_t)tq & 0xFFFFFFu);   /* F = T mod 2^24 */
  int n = (int)((tq - (int64_t)frac) / (1ll << 24));       /* floor(T / 2^24), exactly */
  uint32_t idx = frac >> 18, fr = frac & 0x3FFFFu;
  uint32_t lo = vf_exp2_table[idx], hi = vf_exp2_table[idx + 1];
  uint32_t m = lo + (uint32_t)(((uint64_t)(hi - lo) * fr) >> 18);
  if (m == 1u << 24) {   /* unreachable (m < hi <= 2^24); the spec's rule, kept in both models */
    m = VF_HIDDEN;
    n++;
  }
  return vf_finish(0, n, m);
}

uint32_t vf_recip(uint32_t x) {
  vf_parts_t p = vf_unpack(x);
  if (p.zero) return p.sign << 31 | VF_MAX;
  uint32_t idx = (p.sig >> 16) & 127u, fr = p.sig & 0xFFFFu;
  uint32_t hi = vf_recip_table[idx], lo = vf_recip_table[idx + 1];
  uint32_t r = hi - (uint32_t)(((uint64_t)(hi - lo) * fr) >> 16);   /* in (2^23, 2^24] */
  if (r == 1u << 24) return vf_finish(p.sign, -p.exp, VF_HIDDEN);  /* x = 2^e: 2^-e exactly */
  return vf_finish(p.sign, -p.exp - 1, r);
}

uint32_t vf_rsqrt(uint32_t x) {
  vf_parts_t p = vf_unpack(x);
  if (p.zero || p.sign) return VF_MAX;
  /* x = m' * 2^(e - p), m' = sig * 2^(p - 23) in [1, 4), e - p even: the odd exponent's binade
   * reads as [2, 4) of the even one below (table RSQRT1). 1/sqrt(x) = r * 2^-24 * 2^-(e-p)/2. */
  uint32_t odd = (uint32_t)p.exp & 1u;
  const uint32_t *s = odd ? vf_rsqrt1_table : vf_rsqrt0_table;
  uint32_t idx = (p.sig >> 17) & 63u, fr = p.sig & 0x1FFFFu;
  uint32_t r = s[idx] - (uint32_t)(((uint64_t)(s[idx] - s[idx + 1]) * fr) >> 17);   /* (2^23, 2^24] */
  int half = (p.exp - (int)odd) / 2;   /* exact: e - p is even */
  if (r == 1u << 24) return vf_finish(0, -half, VF_HIDDEN);   /* x = 4^k: 2^-k exactly */
  return vf_finish(0, -half - 1, r);
}

uint32_t vf_sigmoid(uint32_t x) { return vf_recip(vf_add(VF_ONE, vf_exp(vf_neg(x)))); }
uint32_t vf_silu(uint32_t x) { return vf_mul(x, vf_sigmoid(x)); }

uint32_t vf_gelu(uint32_t x) {
  uint32_t z = vf_mul(x, vf_add(VF_GELU_C1, vf_mul(VF_GELU_C2, vf_mul(x, x))));
  return vf_mul(x, vf_sigmoid(z));
}

uint32_t vf_relu2(uint32_t x) {
  uint32_t r = vf_max(x, VF_ZERO);
  return vf_mul(r, r);
}

void vf_quant_group(const uint32_t v[VF_GROUP], int8_t q[VF_GROUP], uint16_t *s16) {
  uint32_t amax = vf_abs(v[0]);
  for (int i = 1; i < VF_GROUP; i++) amax = vf_max(amax, vf_abs(v[i]));
  *s16 = vf_to_fp16(vf_mul(amax, VF_INV127));
  if ((*s16 & 0x7FFFu) == 0) {
    for (int i = 0; i < VF_GROUP; i++) q[i] = 0;
    return;
  }
  uint32_t inv = vf_recip(vf_from_fp16(*s16));
  for (int i = 0; i < VF_GROUP; i++) q[i] = (int8_t)vf_to_int_rne(vf_mul(v[i], inv), -127, 127);
}
