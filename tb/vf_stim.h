/* SPDX-License-Identifier: Apache-2.0 */
/* Stimulus for the VF32 library (cmodel/ecim_vf.h): corner values and seeded random inputs that
 * favour the places where arithmetic goes wrong (ties, carries, cancellation, the flush and
 * saturation thresholds, table boundaries). Shared by the C unit test (tests/test_vf.c) and the
 * RTL co-simulation (tb/vf_tb.c). Plain C; host floating point only to place midpoints. */
#ifndef VF_STIM_H
#define VF_STIM_H
#include <stdint.h>

#include "ecim_vf.h"
#include "tb_rng.h"

/* Corner binary32 patterns (both signs, subnormals, exponent 255, thresholds of every function);
 * the same list on every call. */
int vf_stim_corner_count(void);
uint32_t vf_stim_corner(int i);
/* Corner int64 values of the Q39.24 conversion (extremes, powers of two and their neighbours,
 * rounding ties at every length). */
int vf_stim_q24_corner_count(void);
int64_t vf_stim_q24_corner(int i);

uint32_t vf_stim_f32(tb_rng_t *r);                 /* any pattern, weighted to the interesting */
uint32_t vf_stim_f32_in(tb_rng_t *r, int emin, int emax); /* either sign, unbiased exponent in range */
uint32_t vf_stim_fp16_midpoint(uint32_t h);        /* halfway between FP16 h and the next (h < 0x7FFF) */
uint32_t vf_stim_partner(tb_rng_t *r, uint32_t a); /* a second operand for a: near, opposite, any */
uint32_t vf_stim_exp_arg(tb_rng_t *r);             /* mostly within [-100, 100] */
uint32_t vf_stim_fp16_arg(tb_rng_t *r);            /* around the FP16 grid, midpoints included */
uint32_t vf_stim_int_arg(tb_rng_t *r);             /* around [-300, 300], half-integers included */
int64_t vf_stim_q24(tb_rng_t *r);
void vf_stim_int_bounds(tb_rng_t *r, int32_t *lo, int32_t *hi);  /* mostly -127, 127 */
void vf_stim_group(tb_rng_t *r, uint32_t v[VF_GROUP]);         /* a quantization group */
#endif
