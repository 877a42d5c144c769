/* SPDX-License-Identifier: Apache-2.0 */
/* VF32: the arithmetic of the vector/special-function unit, bit-exact golden model (plain C11,
 * integer arithmetic only). docs/NUMERICS.md, "VF32", is the specification; rtl/vu/ holds one
 * combinational module per function, checked against these by tb/vf_tb.c.
 *
 * Values are IEEE-754 binary32 bit patterns. Results are correctly rounded (to nearest, ties to
 * even) as if the exponent range were unbounded, then flushed to a signed zero below 2^-126 and
 * saturated to +-0x7F7FFFFF above the largest finite: the unit never produces a subnormal, an Inf
 * or a NaN. Inputs: a subnormal reads as a signed zero, exponent 255 as +-0x7F7FFFFF. */
#ifndef ECIM_VF_H
#define ECIM_VF_H
#include <stdint.h>

#define VF_ZERO      0x00000000u
#define VF_NEG_ZERO  0x80000000u
#define VF_ONE       0x3F800000u
#define VF_MAX       0x7F7FFFFFu  /* largest finite: what saturation gives */
#define VF_SIGN      0x80000000u
#define VF_GROUP     32           /* values per quantization group (vf_quant_group) */

/* The value an input pattern is read as, as a canonical pattern (subnormal -> signed zero,
 * exponent 255 -> +-max); every function below reads its inputs through this. */
uint32_t vf_canon(uint32_t x);

/* Correctly rounded arithmetic. */
uint32_t vf_add(uint32_t a, uint32_t b);
uint32_t vf_sub(uint32_t a, uint32_t b);
uint32_t vf_mul(uint32_t a, uint32_t b);

/* Exact operations. max returns a when a == b as reals (so vf_max(-0, +0) is -0). */
uint32_t vf_neg(uint32_t a);
uint32_t vf_abs(uint32_t a);
uint32_t vf_max(uint32_t a, uint32_t b);
int vf_lt(uint32_t a, uint32_t b);   /* a < b as reals (-0 == +0) */

/* Conversions. */
uint32_t vf_from_q24(int64_t v);      /* v * 2^-24, correctly rounded */
int64_t vf_to_q24(uint32_t f);        /* round(f * 2^24), ties to even, saturated to int64 */
/* round(f), ties to even, then clamped: below lo -> lo, then above hi -> hi (hi wins if lo > hi). */
int32_t vf_to_int_rne(uint32_t f, int32_t lo, int32_t hi);
uint32_t vf_from_fp16(uint16_t h);    /* the accelerator's FP16 reading, exact */
uint16_t vf_to_fp16(uint32_t f);      /* RNE onto that grid, saturated at +-131008 */

/* Special functions: table interpolation, a few 2^-16 relative (docs/NUMERICS.md). */
uint32_t vf_exp(uint32_t x);          /* e^x */
uint32_t vf_recip(uint32_t x);        /* 1/x; +-0 -> +-max */
uint32_t vf_rsqrt(uint32_t x);        /* 1/sqrt(x); x <= 0 -> +max */

/* Compositions of the above (each step rounds as its function does). */
uint32_t vf_sigmoid(uint32_t x);      /* recip(1 + exp(-x)) */
uint32_t vf_silu(uint32_t x);         /* x * sigmoid(x) */
uint32_t vf_gelu(uint32_t x);         /* x * sigmoid(x * (C1 + C2 * x^2)), GELU's tanh form */
uint32_t vf_relu2(uint32_t x);        /* max(x, 0)^2 */

/* Q8_0-style activation quantization of a group of VF_GROUP values: q[i] in [-127, 127] and the
 * group's FP16 scale (docs/NUMERICS.md: amax / 127, then q = round(v * recip(scale))). */
void vf_quant_group(const uint32_t v[VF_GROUP], int8_t q[VF_GROUP], uint16_t *s16);
#endif
