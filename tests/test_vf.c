/* SPDX-License-Identifier: Apache-2.0 */
/* Unit test of the VF32 golden model (cmodel/ecim_vf.c) against independent references in host
 * arithmetic (docs/NUMERICS.md, "VF32"):
 *  - add, sub, mul and every conversion: host double / long double arithmetic with the VF32
 *    read, flush and saturation rules applied; bit for bit, on corners and random inputs;
 *  - exp, recip, rsqrt, sigmoid, silu, gelu: the largest relative error against libm over dense
 *    sweeps (recip and rsqrt: every significand), asserted under the documented bounds and
 *    printed; monotonicity; exact points;
 *  - vf_quant_group: the composition, step by step.
 * Usage: test_vf [--seed N] [--random N] [--exp-stride N]   (--exp-stride 1: every float of
 * [-90, 90], the long run of make test-vf-full) */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_vf.h"
#include "tb_rng.h"
#include "vf_stim.h"

static uint64_t seed = 1;
static long n_random = 1000000;
static uint32_t exp_stride = 61;
static int failures;

#define MAX_REPORTS 10
static int report(const char *fn, const char *fmt, ...) {
  if (failures++ < MAX_REPORTS) {
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL seed=%" PRIu64 " %s: ", seed, fn);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
  }
  return 0;
}

/* ---- host references ------------------------------------------------------------------------ */

static float bits_f(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static uint32_t f_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/* The real an input pattern reads as (VF32 input rules, applied on the host). */
static double ref_read(uint32_t u) {
  uint32_t e = (u >> 23) & 0xFFu;
  if (e == 0) return (u >> 31) ? -0.0 : 0.0;
  if (e == 255) return (u >> 31) ? -FLT_MAX : FLT_MAX;
  return (double)bits_f(u);
}

/* The VF32 result for an exact (or innocuously rounded) real x: RNE to 24 bits with an unbounded
 * exponent (frexp/nearbyint of libm), then flush below 2^-126 and saturate above FLT_MAX. */
static uint32_t ref_result(long double x) {
  if (x == 0) return signbit(x) ? VF_NEG_ZERO : VF_ZERO;
  int e;
  long double m = nearbyintl(ldexpl(frexpl(fabsl(x), &e), 24));   /* [2^23, 2^24] */
  long double r = ldexpl(m, e - 24);
  uint32_t sign = signbit(x) ? VF_SIGN : 0;
  if (r < FLT_MIN) return sign;
  if (r > FLT_MAX) return sign | VF_MAX;
  return sign | f_bits((float)r);
}

static uint32_t ref_add(uint32_t a, uint32_t b) {
  double s = ref_read(a) + ref_read(b);   /* double rounding of a binary32 sum is innocuous */
  return ref_result(s);                   /* host: x + -x = +0, -0 + -0 = -0 (as VF32) */
}
static uint32_t ref_mul(uint32_t a, uint32_t b) { return ref_result(ref_read(a) * ref_read(b)); }  /* exact */

static int64_t ref_to_q24(uint32_t f) {
  long double x = nearbyintl(ldexpl(ref_read(f), 24));
  if (x >= 0x1p63L) return INT64_MAX;
  if (x <= -0x1p63L) return INT64_MIN;
  return (int64_t)x;
}

static int32_t ref_to_int(uint32_t f, int32_t lo, int32_t hi) {
  double x = nearbyint(ref_read(f));
  if (x < lo) x = lo;
  if (x > hi) x = hi;
  return (int32_t)x;
}

static double ref_fp16_value(uint32_t h) {
  uint32_t e = (h >> 10) & 31u, m = h & 1023u;
  double v = ldexp((double)(e ? m | 1024u : m), (e ? (int)e : 1) - 25);
  return (h & 0x8000u) ? -v : v;
}

/* Nearest point of the FP16 grid by bisection over the positive patterns (which order like their
 * values), ties to the even pattern; saturation at the largest. */
static uint16_t ref_to_fp16(uint32_t f) {
  double x = ref_read(f), a = fabs(x);
  uint32_t lo = 0, hi = 0x7FFF, sign = signbit(x) ? 0x8000u : 0;
  if (a >= ref_fp16_value(hi)) return (uint16_t)(sign | hi);
  while (hi - lo > 1) {   /* value(lo) <= a < value(hi) */
    uint32_t mid = (lo + hi) / 2;
    if (ref_fp16_value(mid) <= a) lo = mid; else hi = mid;
  }
  double dl = a - ref_fp16_value(lo), dh = ref_fp16_value(hi) - a;
  uint32_t h = dl < dh ? lo : dh < dl ? hi : (lo & 1u) ? hi : lo;
  return (uint16_t)(sign | h);
}

/* ---- bit-exact checks ----------------------------------------------------------------------- */

typedef uint32_t (*binop_t)(uint32_t, uint32_t);

static void check_binop(const char *name, binop_t dut, binop_t ref, uint32_t a, uint32_t b) {
  uint32_t got = dut(a, b), want = ref(a, b);
  if (got != want) report(name, "a=0x%08X b=0x%08X model=0x%08X reference=0x%08X", a, b, got, want);
}

static uint32_t ref_sub(uint32_t a, uint32_t b) { return ref_add(a, b ^ VF_SIGN); }
static uint32_t ref_max(uint32_t a, uint32_t b) { return ref_read(a) < ref_read(b) ? vf_canon(b) : vf_canon(a); }
static uint32_t lt_as_bits(uint32_t a, uint32_t b) { return (uint32_t)vf_lt(a, b); }
static uint32_t ref_lt(uint32_t a, uint32_t b) { return ref_read(a) < ref_read(b); }

static const struct {
  const char *name;
  binop_t dut, ref;
} binops[] = {
  {"vf_add", vf_add, ref_add}, {"vf_sub", vf_sub, ref_sub}, {"vf_mul", vf_mul, ref_mul},
  {"vf_max", vf_max, ref_max}, {"vf_lt", lt_as_bits, ref_lt},
};
#define N_BINOPS ((int)(sizeof binops / sizeof binops[0]))

static void test_binops(tb_rng_t *r) {
  int nc = vf_stim_corner_count();
  for (int k = 0; k < N_BINOPS; k++) {
    for (int i = 0; i < nc; i++)
      for (int j = 0; j < nc; j++) check_binop(binops[k].name, binops[k].dut, binops[k].ref, vf_stim_corner(i), vf_stim_corner(j));
    for (long n = 0; n < n_random; n++) {
      uint32_t a = vf_stim_f32(r);
      check_binop(binops[k].name, binops[k].dut, binops[k].ref, a, vf_stim_partner(r, a));
    }
  }
  printf("add, sub, mul, max, lt: %d corner pairs + %ld random each, bit-exact vs host double\n", nc * nc, n_random);
}

static void check_unary(uint32_t a) {
  uint32_t c = f_bits((float)ref_read(a));
  if (vf_canon(a) != c) report("vf_canon", "a=0x%08X model=0x%08X reference=0x%08X", a, vf_canon(a), c);
  if (vf_neg(a) != (c ^ VF_SIGN)) report("vf_neg", "a=0x%08X model=0x%08X", a, vf_neg(a));
  if (vf_abs(a) != f_bits(fabsf(bits_f(c)))) report("vf_abs", "a=0x%08X model=0x%08X", a, vf_abs(a));
  uint32_t relu = ref_read(a) < 0 ? 0 : c;
  if (vf_relu2(a) != ref_mul(relu, relu)) report("vf_relu2", "a=0x%08X model=0x%08X", a, vf_relu2(a));
  int64_t q = vf_to_q24(a), qr = ref_to_q24(a);
  if (q != qr) report("vf_to_q24", "f=0x%08X model=%" PRId64 " reference=%" PRId64, a, q, qr);
  uint16_t h = vf_to_fp16(a), hr = ref_to_fp16(a);
  if (h != hr) report("vf_to_fp16", "f=0x%08X model=0x%04X reference=0x%04X", a, h, hr);
}

static void check_to_int(uint32_t f, int32_t lo, int32_t hi) {
  int32_t got = vf_to_int_rne(f, lo, hi), want = ref_to_int(f, lo, hi);
  if (got != want) report("vf_to_int_rne", "f=0x%08X lo=%d hi=%d model=%d reference=%d", f, lo, hi, got, want);
}

static void check_from_q24(int64_t v) {
  uint32_t got = vf_from_q24(v), want = ref_result(ldexpl((long double)v, -24));   /* exact in long double */
  if (v == 0) want = VF_ZERO;
  if (got != want) report("vf_from_q24", "v=%" PRId64 " model=0x%08X reference=0x%08X", v, got, want);
}

static void test_unary(tb_rng_t *r) {
  int nc = vf_stim_corner_count();
  for (int i = 0; i < nc; i++) {
    check_unary(vf_stim_corner(i));
    check_to_int(vf_stim_corner(i), -127, 127);
    check_to_int(vf_stim_corner(i), INT32_MIN, INT32_MAX);
  }
  for (int i = 0; i < vf_stim_q24_corner_count(); i++) check_from_q24(vf_stim_q24_corner(i));
  for (long n = 0; n < n_random; n++) {
    check_unary(vf_stim_f32(r));
    check_unary(vf_stim_fp16_arg(r));
    int32_t lo, hi;
    vf_stim_int_bounds(r, &lo, &hi);
    check_to_int(vf_stim_int_arg(r), lo, hi);
    check_from_q24(vf_stim_q24(r));
  }
  /* FP16: every pattern, read exactly and written back to itself; every midpoint of the grid. */
  for (uint32_t h = 0; h < 0x10000; h++) {
    uint32_t f = vf_from_fp16((uint16_t)h), want = f_bits((float)ref_fp16_value(h));
    if (f != want) report("vf_from_fp16", "h=0x%04X model=0x%08X reference=0x%08X", h, f, want);
    if (vf_to_fp16(f) != h) report("vf_to_fp16", "round trip h=0x%04X -> 0x%08X -> 0x%04X", h, f, vf_to_fp16(f));
    if ((h & 0x7FFFu) == 0x7FFFu) continue;
    uint32_t mid = vf_stim_fp16_midpoint(h);
    for (int d = -1; d <= 1; d++) check_unary(mid + (uint32_t)d);
  }
  printf("neg, abs, relu2, to_q24, to_fp16, to_int_rne, from_q24: corners + %ld random each; "
         "from_fp16 and the FP16 round trip: all 65536 patterns; to_fp16: every grid midpoint +-1 ulp\n", n_random);
}

/* ---- accuracy of the special functions ------------------------------------------------------ */

typedef struct {
  const char *name;
  double bound, max_rel, worst_x;
  long points, flushed;
} acc_t;

/* One point: result got for x, want from libm. edge: the exact value of the step that flushes or
 * saturates first (want itself, or the sigmoid inside silu/gelu); a point where it lies within
 * 2^-13 of 2^-126 or above the largest finite is counted apart, its error not measured. */
static void acc_add_edge(acc_t *a, uint32_t x, uint32_t got, double want, double edge) {
  double g = (double)bits_f(got);
  a->points++;
  if (fabs(edge) < FLT_MIN * (1 + 0x1p-13) || fabs(edge) > FLT_MAX || fabs(want) < FLT_MIN * (1 + 0x1p-13)) {
    a->flushed++;
    /* there the result is the flushed/saturated value, or within the bound all the same */
    if (got != VF_ZERO && got != VF_NEG_ZERO && (got & ~VF_SIGN) != VF_MAX && fabs(g - want) > a->bound * fabs(want))
      report(a->name, "x=%.9g at the flush/saturation edge: 0x%08X, libm %.9g", (double)bits_f(x), got, want);
    return;
  }
  double rel = fabs(g - want) / fabs(want);
  if (rel > a->max_rel) {
    a->max_rel = rel;
    a->worst_x = (double)bits_f(x);
  }
}

static void acc_add(acc_t *a, uint32_t x, uint32_t got, double want) { acc_add_edge(a, x, got, want, want); }

static void acc_print(acc_t *a) {
  printf("%-8s max relative error %.3e = 2^%.2f at x=%.9g over %ld points (%ld at the flush/saturation edge "
         "not counted); bound 2^%.0f\n", a->name, a->max_rel, a->max_rel > 0 ? log2(a->max_rel) : -INFINITY,
         a->worst_x, a->points, a->flushed, log2(a->bound));
  if (!(a->max_rel <= a->bound)) report(a->name, "max relative error %.3e above the bound %.3e (x=%.9g)", a->max_rel, a->bound, a->worst_x);
}

/* Every float of [-90, 90] with a pattern stride: e^x, and that it never decreases. */
static void sweep_exp(acc_t *acc) {
  for (int neg = 0; neg < 2; neg++) {
    uint32_t prev = neg ? VF_MAX : 0;
    for (uint32_t u = 0; u <= f_bits(90.0f); u += exp_stride) {
      uint32_t x = u | (neg ? VF_SIGN : 0), y = vf_exp(x);
      acc_add(acc, x, y, exp((double)bits_f(x)));
      if (neg ? y > prev : y < prev) report("vf_exp", "not monotone at x=0x%08X: 0x%08X after 0x%08X", x, y, prev);
      prev = y;   /* positive results order like their patterns */
    }
  }
}

/* recip and rsqrt depend on the significand (and the exponent's parity) alone: every significand
 * of [1, 2) (and [2, 4)) gives the error over every input; non-increasing within and across. */
static void sweep_recip_rsqrt(acc_t *ar, acc_t *as) {
  uint32_t prev_r = VF_MAX, prev_s = VF_MAX;
  for (uint32_t u = f_bits(1.0f); u < f_bits(4.0f); u++) {
    uint32_t r = vf_recip(u), s = vf_rsqrt(u);
    double x = (double)bits_f(u);
    if (u < f_bits(2.0f)) acc_add(ar, u, r, 1.0 / x);
    acc_add(as, u, s, 1.0 / sqrt(x));
    if (r > prev_r) report("vf_recip", "not monotone at x=0x%08X", u);
    if (s > prev_s) report("vf_rsqrt", "not monotone at x=0x%08X", u);
    prev_r = r, prev_s = s;
  }
}

static void test_special_exact(tb_rng_t *r) {
  static const struct { uint32_t (*fn)(uint32_t); const char *name; uint32_t x, want; } pts[] = {
    {vf_exp, "vf_exp", VF_ZERO, VF_ONE}, {vf_exp, "vf_exp", VF_NEG_ZERO, VF_ONE},
    {vf_exp, "vf_exp", 0x7F800000u, VF_MAX}, {vf_exp, "vf_exp", 0xFF800000u, VF_ZERO},
    {vf_exp, "vf_exp", 0x00000001u, VF_ONE}, {vf_exp, "vf_exp", 0x42B17218u /* 88.7228 */, VF_MAX},
    {vf_recip, "vf_recip", VF_ZERO, VF_MAX}, {vf_recip, "vf_recip", VF_NEG_ZERO, VF_SIGN | VF_MAX},
    {vf_recip, "vf_recip", 0x00000001u, VF_MAX}, {vf_recip, "vf_recip", 0x7F800000u, VF_ZERO},
    {vf_recip, "vf_recip", 0x7E800000u /* 2^126 */, 0x00800000u}, {vf_recip, "vf_recip", 0xFF000000u, VF_NEG_ZERO},
    {vf_rsqrt, "vf_rsqrt", VF_ZERO, VF_MAX}, {vf_rsqrt, "vf_rsqrt", VF_NEG_ZERO, VF_MAX},
    {vf_rsqrt, "vf_rsqrt", 0xBF800000u, VF_MAX}, {vf_rsqrt, "vf_rsqrt", 0x40800000u, 0x3F000000u},
    {vf_rsqrt, "vf_rsqrt", 0x00800000u /* 2^-126 */, 0x5F000000u /* 2^63 */},
    {vf_sigmoid, "vf_sigmoid", VF_ZERO, 0x3F000000u}, {vf_sigmoid, "vf_sigmoid", 0x42C80000u /* 100 */, VF_ONE},
    {vf_sigmoid, "vf_sigmoid", 0xC2C80000u, VF_ZERO}, {vf_silu, "vf_silu", VF_NEG_ZERO, VF_NEG_ZERO},
    {vf_gelu, "vf_gelu", 0x7F800000u, VF_MAX}, {vf_gelu, "vf_gelu", 0xFF800000u, VF_NEG_ZERO},
  };
  for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
    uint32_t got = pts[i].fn(pts[i].x);
    if (got != pts[i].want) report(pts[i].name, "x=0x%08X: 0x%08X, expected 0x%08X", pts[i].x, got, pts[i].want);
  }
  /* Powers of two are exact: recip(2^k) = 2^-k, rsqrt(4^k) = 2^-k; the other binades scale. */
  for (int k = -63; k <= 63; k++) {
    uint32_t p = (uint32_t)(127 + 2 * k) << 23;
    if (vf_rsqrt(p) != (uint32_t)(127 - k) << 23) report("vf_rsqrt", "rsqrt(4^%d) = 0x%08X", k, vf_rsqrt(p));
    if (vf_recip((uint32_t)(127 + k) << 23) != (uint32_t)(127 - k) << 23) report("vf_recip", "recip(2^%d)", k);
  }
  for (long n = 0; n < n_random / 10; n++) {
    uint32_t m = (uint32_t)tb_rng_next(r) & 0x7FFFFFu, e = (uint32_t)tb_rng_range(r, 3, 250);
    /* x1 in [1, 2) and x2 in [1, 4) with x's significand (and x2 with the parity of its exponent) */
    uint32_t x = e << 23 | m, x1 = 127u << 23 | m, p = (e & 1u) ^ 1u, x2 = (127u + p) << 23 | m;
    uint32_t want_r = vf_recip(x1) - ((uint32_t)((int)e - 127) << 23);
    uint32_t want_s = vf_rsqrt(x2) - ((uint32_t)(((int)e - 127 - (int)p) / 2) << 23);
    if (vf_recip(x) != want_r) report("vf_recip", "x=0x%08X 0x%08X, scaled 0x%08X", x, vf_recip(x), want_r);
    if (vf_rsqrt(x) != want_s) report("vf_rsqrt", "x=0x%08X 0x%08X, scaled 0x%08X", x, vf_rsqrt(x), want_s);
  }
}

static double sigmoid_ref(double x) { return 1.0 / (1.0 + exp(-x)); }
static double gelu_ref(double x) {
  return x * sigmoid_ref(2.0 * sqrt(2.0 / 3.14159265358979323846) * (x + 0.044715 * x * x * x));
}

/* sigmoid, silu, gelu over every float of [-100, 100] with a pattern stride. */
static void sweep_compositions(acc_t *sg, acc_t *si, acc_t *ge) {
  for (int neg = 0; neg < 2; neg++)
    for (uint32_t u = 0; u <= f_bits(100.0f); u += 4 * exp_stride + 1) {
      uint32_t x = u | (neg ? VF_SIGN : 0);
      double xd = (double)bits_f(x);
      acc_add(sg, x, vf_sigmoid(x), sigmoid_ref(xd));
      if (xd != 0) acc_add_edge(si, x, vf_silu(x), xd * sigmoid_ref(xd), sigmoid_ref(xd));
      if (xd != 0) acc_add_edge(ge, x, vf_gelu(x), gelu_ref(xd), gelu_ref(xd) / xd);
    }
}

/* ---- quantization --------------------------------------------------------------------------- */

static void test_quant(tb_rng_t *r) {
  uint32_t v[VF_GROUP];
  int8_t q[VF_GROUP];
  uint16_t s16;
  long groups = n_random / 20;
  for (long n = 0; n < groups; n++) {
    vf_stim_group(r, v);
    vf_quant_group(v, q, &s16);
    double amax = 0;
    for (int i = 0; i < VF_GROUP; i++) amax = fmax(amax, fabs(ref_read(v[i])));
    uint16_t want_s = ref_to_fp16(ref_mul(f_bits((float)amax), f_bits(1.0f / 127.0f)));
    if (s16 != want_s) {
      report("vf_quant_group", "group %ld: scale 0x%04X, reference 0x%04X", n, s16, want_s);
      continue;
    }
    uint32_t inv = (s16 & 0x7FFFu) ? vf_recip(vf_from_fp16(s16)) : 0;
    for (int i = 0; i < VF_GROUP; i++) {
      int want = inv ? ref_to_int(ref_mul(v[i], inv), -127, 127) : 0;
      if (q[i] != want) {
        report("vf_quant_group", "group %ld value %d (0x%08X, scale 0x%04X): q=%d, reference %d", n, i, v[i], s16, q[i], want);
        break;
      }
    }
  }
  printf("quant_group: %ld random groups, scale and codes vs host arithmetic (with the model's recip)\n", groups);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--random") && i + 1 < argc) n_random = atol(argv[++i]);
    else if (!strcmp(argv[i], "--exp-stride") && i + 1 < argc) exp_stride = (uint32_t)strtoul(argv[++i], NULL, 0);
    else {
      fprintf(stderr, "usage: %s [--seed N] [--random N] [--exp-stride N]\n", argv[0]);
      return 2;
    }
  }
  if (exp_stride < 1) exp_stride = 1;
  printf("test_vf: seed %" PRIu64 ", %ld random inputs per function, exp sweep stride %u\n", seed, n_random, exp_stride);
  tb_rng_t r = {seed};
  test_binops(&r);
  test_unary(&r);
  test_special_exact(&r);
  test_quant(&r);
  acc_t ae = {"exp", 0x1p-15, 0, 0, 0, 0}, ar = {"recip", 0x1p-15, 0, 0, 0, 0}, as = {"rsqrt", 0x1p-15, 0, 0, 0, 0};
  acc_t sg = {"sigmoid", 0x1p-14, 0, 0, 0, 0}, si = {"silu", 0x1p-14, 0, 0, 0, 0}, ge = {"gelu", 0x1p-14, 0, 0, 0, 0};
  sweep_exp(&ae);
  sweep_recip_rsqrt(&ar, &as);
  sweep_compositions(&sg, &si, &ge);
  acc_t *all[] = {&ae, &ar, &as, &sg, &si, &ge};
  for (int i = 0; i < 6; i++) acc_print(all[i]);
  printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
  return failures ? 1 : 0;
}
