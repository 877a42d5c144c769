/* SPDX-License-Identifier: Apache-2.0 */
/* SIMD kernels of the host side of a decode step: activation quantization, float dot
 * products, argmax, gating, the Q39.24 -> float conversion.  Each picks AVX2/FMA (or
 * AVX-512) at run time when the CPU has them and plain C otherwise; the file builds without
 * -mavx2.  Results never depend on how callers split the work between threads.
 *
 * Exact ones (bit for bit what the plain C reference gives): vec_quantize_activations
 * (= quantize_activations, sw/quant.h), vec_argmax (= op_argmax), vec_q24_to_float.
 * Float ones (vec_dot, vec_axpy, vec_silu_mul, vec_exp_shift, vec_sumsq) sum in their own
 * fixed order and use a polynomial exp: within a few ulp of the scalar code, always the same
 * on one machine. */
#ifndef EDGECIM_VEC_H
#define EDGECIM_VEC_H

#include <stdint.h>

/* quantize_activations() of sw/quant.h (docs/NUMERICS.md "Activations"), faster. */
void vec_quantize_activations(const float *x, int K, int8_t *q, uint16_t *scales);

/* sum a[i] * b[i]. */
float vec_dot(const float *a, const float *b, int n);
/* y[i] += a * x[i]. */
void vec_axpy(float *y, float a, const float *x, int n);
/* out[i] = silu(g[i]) * u[i] = g / (1 + exp(-g)) * u; out may alias g or u. */
void vec_silu_mul(float *out, const float *g, const float *u, int n);

/* x[i] = exp(x[i] - m) (m >= every x[i]); returns the sum of the new x[i] in double. */
double vec_exp_shift(float *x, float m, int n);
/* sum x[i]^2 in double. */
double vec_sumsq(const float *x, int n);

/* The first index of the maximum (0 for n <= 1; a NaN never wins): op_argmax's answer. */
int vec_argmax(const float *x, int n);

/* y[i] = (float)((double)acc[i] * 2^-ECIM_FRAC_BITS): accelerator outputs (Q39.24) to float. */
void vec_q24_to_float(const int64_t *acc, float *y, int n);

/* 0 forces the plain C code (tests compare both), 1 allows SIMD (the default). */
void vec_set_simd(int enable);

#endif
