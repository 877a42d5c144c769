/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator's data formats in DRAM (docs/NUMERICS.md), in one place: the packed weight
 * matrix (blocks of MacroRows inputs x MacroCols outputs, WBits-bit weights, one FP16 scale per
 * output and group of 32 inputs), the activation vector (INT8 codes then FP16 scales) and the
 * FP16 reading of a scale inside the accelerator.  The firmware's quantizer writes these
 * layouts, the golden model and the testbenches read them, the perf model sizes them: all
 * through this module.  Sizes come from the generated formulas of include/edgecim_hw.h. */
#ifndef ECIM_FMT_H
#define ECIM_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "edgecim_hw.h"

#define ECIM_GROUP ((int)ECIM_GROUP_ROWS) /* inputs per scale group (K direction)   */
#define ECIM_COLS  ((int)ECIM_MACRO_COLS) /* outputs per column block (macro width) */
#define ECIM_ROWS  ((int)ECIM_MACRO_ROWS) /* inputs per row block (macro height)    */

static inline int ecim_round_up(int v, int m) { return (v + m - 1) / m * m; }
static inline int ecim_wbits_ok(int wbits) { return wbits == 2 || wbits == 4 || wbits == 8; }
/* Bytes of one packed row: MacroCols weights of wbits each. */
static inline int ecim_row_bytes(int wbits) { return ECIM_COLS * wbits / 8; }

/* Sign-extends a wbits-bit two's complement field. */
static inline int ecim_sext(unsigned v, int wbits)
{
    unsigned half = 1u << (wbits - 1);
    return (int)(v ^ half) - (int)half;
}

/* Bytes of the packed matrix W[N][K] with wbits-bit weights (2, 4 or 8); 0 for bad sizes. */
size_t ecim_packed_bytes(int K, int N, int wbits);

/* Byte offset of the block (nb, kb) inside the packed stream and the number of rows R it
 * holds (a multiple of 32; only the last block of a column block can be short). */
size_t ecim_block_offset(int K, int wbits, int nb, int kb, int *rows);

/* Weight (n, k) as a signed integer and the FP16 scale of (n, group k / 32), read from a
 * packed matrix. */
int ecim_fmt_weight(const uint8_t *packed, int K, int wbits, int n, int k);
uint16_t ecim_fmt_scale(const uint8_t *packed, int K, int wbits, int n, int k);

/* Writes rows already quantized to wbits: vals[n_rows][Kp] as int8 in [-2^(w-1), 2^(w-1)-1]
 * and scales[n_rows][Kp/32] FP16, as outputs out_row0 .. out_row0 + n_rows - 1 of a packed
 * matrix of K inputs.  dst must hold ecim_packed_bytes(K, N_total, wbits) bytes, zeroed by the
 * caller (fields are ORed in). */
void ecim_fmt_pack_rows(const int8_t *vals, const uint16_t *scales, int K, int n_rows, uint8_t *dst,
                        int out_row0, int wbits);

/* The activation region of a GEMV: Kp INT8 codes then Kp/32 FP16 scales (little-endian),
 * zero-padded to ecim_x_bytes(K) bytes, which dst must hold. */
void ecim_fmt_pack_x(const int8_t *xq, const uint16_t *xs, int K, uint8_t *dst);

/* An FP16 scale as the accelerator reads it: (-1)^s * M * 2^(E-25) with M = e ? 1024 + m : m,
 * E = e ? e : 1; no Inf/NaN (exponent 31 is an ordinary exponent). */
void ecim_fp16_decode(uint16_t h, int64_t *signed_mant, int *exp);

/* Little-endian helpers of the layouts. */
static inline void ecim_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline uint16_t ecim_get_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline void ecim_put_le64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}
static inline int64_t ecim_get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return (int64_t)v;
}

#endif
