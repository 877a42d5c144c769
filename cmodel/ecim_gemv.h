/* SPDX-License-Identifier: Apache-2.0 */
/* Bit-exact functional GEMV of the EdgeCIM accelerator (docs/NUMERICS.md).
 *
 * Plain C, no dependency on sw/: the RTL testbench links this file as the
 * golden model; the layouts it reads are fmt/ecim_fmt.h's.  Two implementations that must agree bit for bit:
 *   ecim_gemv_ref  - follows NUMERICS.md literally, one (n, group) at a time;
 *   ecim_gemv_fast - one 32-column block at a time with SIMD integer dot products
 *                    (AVX-512 / AVX2 when the CPU has them, else C the compiler vectorizes).
 */
#ifndef ECIM_GEMV_H
#define ECIM_GEMV_H

#include <stddef.h>
#include <stdint.h>

#include "ecim_fmt.h"

/* Status codes (0 = ok). */
enum { ECIM_OK = 0, ECIM_EINVAL = -1 };

/* y[N] (Q39.24) = [accumulate ? y : 0] + [bias] + sum_g term(n, g).
 * packed: ecim_packed_bytes(K, N, wbits) bytes; xq: Kp int8 (zero padded);
 * xs: Kp/32 FP16 bit patterns; bias: N int64 or NULL.
 * Returns ECIM_OK or ECIM_EINVAL for bad sizes/pointers. */
int ecim_gemv_ref(const uint8_t *packed, int K, int N, int wbits,
                  const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                  int accumulate, int64_t *y);
/* The same as ecim_gemv_ref on a device-layout matrix (fmt/ecim_fmt.h) of geometry g: the golden
 * model of the accelerator (the top-level testbench compares every y with it). */
int ecim_gemv_dev_ref(const ecim_geom_t *g, const uint8_t *dev, int K, int N, int wbits,
                      const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                      int accumulate, int64_t *y);
int ecim_gemv_fast(const uint8_t *packed, int K, int N, int wbits,
                   const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                   int accumulate, int64_t *y);

/* The fast path uses the best of AVX-512 (F/BW/VL/VNNI/VBMI/DQ), AVX2 (+F16C) and portable C
 * that the CPU has (chosen at run time; the file builds without -mavx2).  enable caps it:
 * 0 portable, 1 AVX2, 2 AVX-512 (tests run every level).  Returns the level now in use.
 * Not thread-safe: call before GEMVs start. */
int ecim_gemv_set_simd(int enable);

/* Building blocks of the output arithmetic, shared with tests/testbenches. */
int64_t ecim_group_term(int64_t S, uint16_t w_scale, uint16_t x_scale);
int64_t ecim_sat_add(int64_t a, int64_t b);

#endif
