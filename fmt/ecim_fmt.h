/* SPDX-License-Identifier: Apache-2.0 */
/* The data formats of EdgeCIM (docs/NUMERICS.md), in one place:
 *  - the host layout of a packed weight matrix: the firmware's canonical form, row-major blocks of
 *    128 inputs x 32 outputs, wbits-bit weights, one FP16 scale per output and group of 32 inputs
 *    (Q4_0's bytes for INT4); the quantizer writes it, the functional backend computes on it;
 *  - the device layout: what the accelerator streams from DRAM, blocks of MacroRows x MacroCols
 *    (the hardware's geometry) as bit-plane words then scales, each block padded to 256 bytes;
 *    the driver converts host to device when it loads a matrix (ecim_dev_from_host);
 *  - the activation vector (INT8 codes, then FP16 scales, each part padded to 256 bytes), and
 *  - the FP16 reading of a scale inside the accelerator.
 * The golden models and the testbenches read these layouts, the perf model sizes them, all
 * through this module; sizes come from the generated formulas of include/edgecim_hw.h. */
#ifndef ECIM_FMT_H
#define ECIM_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "edgecim_hw.h"

#define ECIM_GROUP ((int)ECIM_GROUP_ROWS) /* inputs per scale group (K direction)          */
#define ECIM_COLS  32                     /* outputs per column block of the host layout */
#define ECIM_ROWS  128                    /* inputs per row block of the host layout     */

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

/* ---- host layout ---- */
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

/* ---- device layout ---- */
/* The macro geometry a device layout is made for (MacroRows, MacroCols of the hardware). */
typedef struct {
    int rows, cols;
} ecim_geom_t;

static inline ecim_geom_t ecim_geom_of(const ecim_hw_t *h)
{
    ecim_geom_t g = {h->macro_rows, h->macro_cols};
    return g;
}

/* Bytes of the device-layout matrix (the generated ecim_w_bytes); 0 for bad sizes. */
size_t ecim_dev_bytes(const ecim_geom_t *g, int K, int N, int wbits);
/* Byte offset of block (nb, kb) and the rows R it holds (a multiple of 32). */
size_t ecim_dev_block_offset(const ecim_geom_t *g, int K, int wbits, int nb, int kb, int *rows);
/* Weight (n, k) and the scale of (n, group k / 32) of a device-layout matrix. */
int ecim_dev_weight(const ecim_geom_t *g, const uint8_t *dev, int K, int wbits, int n, int k);
uint16_t ecim_dev_scale(const ecim_geom_t *g, const uint8_t *dev, int K, int wbits, int n, int k);
/* The device layout of a host-layout matrix: dst holds ecim_dev_bytes(g, K, N, wbits) bytes
 * (written whole: padding is zero). */
void ecim_dev_from_host(const ecim_geom_t *g, const uint8_t *host, int K, int N, int wbits, uint8_t *dst);

/* ---- activations ---- */
/* One activation vector as the accelerator reads it: Kp INT8 codes (zero-padded to 256 bytes:
 * ecim_kpad(K)) then Kp/32 FP16 scales (little-endian, zero-padded to 256 bytes:
 * ecim_xs_bytes(K)); dst holds ecim_x_stride(K) bytes. Vector b of a batch is at b *
 * ecim_x_stride(K). */
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
