/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator's DRAM formats; see ecim_fmt.h and docs/NUMERICS.md. */
#include "ecim_fmt.h"

#include <string.h>

size_t ecim_packed_bytes(int K, int N, int wbits)
{
    if (K <= 0 || N <= 0 || !ecim_wbits_ok(wbits)) return 0;
    /* per 32 weights of one output: 32 * wbits / 8 bytes and one FP16 scale */
    return (size_t)ecim_round_up(N, ECIM_COLS) * ((size_t)ecim_kp((uint64_t)K) / 32) * (size_t)(wbits * 4 + 2);
}

/* Bytes of all row blocks of one column block. */
static size_t colblock_bytes(int K, int wbits)
{
    size_t kp = (size_t)ecim_kp((uint64_t)K);
    return kp * (size_t)ecim_row_bytes(wbits) + kp / ECIM_GROUP * (ECIM_COLS * 2);
}

size_t ecim_block_offset(int K, int wbits, int nb, int kb, int *rows)
{
    int kp = (int)ecim_kp((uint64_t)K);
    int r = kp - ECIM_ROWS * kb;
    if (r > ECIM_ROWS) r = ECIM_ROWS;
    if (rows) *rows = r;
    size_t full_block = (size_t)ECIM_ROWS * ecim_row_bytes(wbits) + (ECIM_ROWS / ECIM_GROUP) * (ECIM_COLS * 2);
    return (size_t)nb * colblock_bytes(K, wbits) + (size_t)kb * full_block;
}

int ecim_fmt_weight(const uint8_t *packed, int K, int wbits, int n, int k)
{
    int rows;
    const uint8_t *blk = packed + ecim_block_offset(K, wbits, n / ECIM_COLS, k / ECIM_ROWS, &rows);
    const uint8_t *row = blk + (size_t)(k % ECIM_ROWS) * ecim_row_bytes(wbits);
    int bit = (n % ECIM_COLS) * wbits;
    unsigned v = (row[bit / 8] >> (bit % 8)) & ((1u << wbits) - 1);
    return ecim_sext(v, wbits);
}

uint16_t ecim_fmt_scale(const uint8_t *packed, int K, int wbits, int n, int k)
{
    int rows;
    const uint8_t *blk = packed + ecim_block_offset(K, wbits, n / ECIM_COLS, k / ECIM_ROWS, &rows);
    const uint8_t *s = blk + (size_t)rows * ecim_row_bytes(wbits) +
                       (size_t)((k % ECIM_ROWS) / ECIM_GROUP) * (ECIM_COLS * 2) + (n % ECIM_COLS) * 2;
    return ecim_get_le16(s);
}

void ecim_fmt_pack_rows(const int8_t *vals, const uint16_t *scales, int K, int n_rows, uint8_t *dst,
                        int out_row0, int wbits)
{
    int kp = (int)ecim_kp((uint64_t)K), rb = ecim_row_bytes(wbits);
    unsigned mask = (1u << wbits) - 1;
    for (int i = 0; i < n_rows; i++) {
        int n = out_row0 + i, nb = n / ECIM_COLS, c = n % ECIM_COLS, bit = c * wbits;
        const int8_t *v = vals + (size_t)i * kp;
        const uint16_t *s = scales + (size_t)i * (kp / ECIM_GROUP);
        for (int kb = 0; kb * ECIM_ROWS < kp; kb++) {
            int rows;
            uint8_t *blk = dst + ecim_block_offset(K, wbits, nb, kb, &rows);
            for (int r = 0; r < rows; r++) {
                unsigned f = (unsigned)v[kb * ECIM_ROWS + r] & mask;
                blk[(size_t)r * rb + bit / 8] |= (uint8_t)(f << (bit % 8));
            }
            for (int gl = 0; gl < rows / ECIM_GROUP; gl++)
                ecim_put_le16(blk + (size_t)rows * rb + (size_t)gl * (ECIM_COLS * 2) + c * 2,
                              s[kb * (ECIM_ROWS / ECIM_GROUP) + gl]);
        }
    }
}

void ecim_fmt_pack_x(const int8_t *xq, const uint16_t *xs, int K, uint8_t *dst)
{
    size_t kp = (size_t)ecim_kp((uint64_t)K), kpad = (size_t)ecim_kpad((uint64_t)K);
    memset(dst, 0, (size_t)ecim_x_stride((uint64_t)K));
    memcpy(dst, xq, kp);
    for (size_t g = 0; g < kp / ECIM_GROUP; g++) ecim_put_le16(dst + kpad + 2 * g, xs[g]);
}

/* ------------------------------------------------------------------------- device layout */
size_t ecim_dev_bytes(const ecim_geom_t *g, int K, int N, int wbits)
{
    if (K <= 0 || N <= 0 || !ecim_wbits_ok(wbits)) return 0;
    return (size_t)ecim_w_bytes((uint64_t)K, (uint64_t)N, (uint64_t)g->rows, (uint64_t)g->cols, (uint64_t)wbits);
}

size_t ecim_dev_block_offset(const ecim_geom_t *g, int K, int wbits, int nb, int kb, int *rows)
{
    uint64_t R = (uint64_t)g->rows, C = (uint64_t)g->cols, w = (uint64_t)wbits;
    uint64_t r = ecim_block_rows((uint64_t)K, R, (uint64_t)kb);
    if (rows) *rows = (int)r;
    return (size_t)((uint64_t)nb * ecim_colblock_bytes((uint64_t)K, R, C, w) + (uint64_t)kb * ecim_block_bytes(R, C, w));
}

/* The bit-plane word of (group gi, plane j, column c) of a block, and its bit rr. */
static size_t word_offset(const ecim_geom_t *g, int wbits, int gi, int j, int c)
{
    return ((size_t)(gi * wbits + j) * (size_t)g->cols + (size_t)c) * 4;
}

int ecim_dev_weight(const ecim_geom_t *g, const uint8_t *dev, int K, int wbits, int n, int k)
{
    int rows;
    const uint8_t *blk = dev + ecim_dev_block_offset(g, K, wbits, n / g->cols, k / g->rows, &rows);
    int r = k % g->rows, c = n % g->cols, gi = r / ECIM_GROUP, rr = r % ECIM_GROUP;
    unsigned v = 0;
    for (int j = 0; j < wbits; j++) {
        const uint8_t *wd = blk + word_offset(g, wbits, gi, j, c);
        v |= (unsigned)(wd[rr / 8] >> (rr % 8) & 1) << j;
    }
    return ecim_sext(v, wbits);
}

uint16_t ecim_dev_scale(const ecim_geom_t *g, const uint8_t *dev, int K, int wbits, int n, int k)
{
    int rows;
    const uint8_t *blk = dev + ecim_dev_block_offset(g, K, wbits, n / g->cols, k / g->rows, &rows);
    size_t words = (size_t)ecim_block_word_bytes((uint64_t)rows, (uint64_t)g->cols, (uint64_t)wbits);
    int gi = (k % g->rows) / ECIM_GROUP, c = n % g->cols;
    return ecim_get_le16(blk + words + ((size_t)gi * (size_t)g->cols + (size_t)c) * 2);
}

void ecim_dev_from_host(const ecim_geom_t *g, const uint8_t *host, int K, int N, int wbits, uint8_t *dst)
{
    int kp = (int)ecim_kp((uint64_t)K), np = ecim_round_up(N, g->cols);
    memset(dst, 0, ecim_dev_bytes(g, K, N, wbits));
    for (int nb = 0; nb < np / g->cols; nb++) {
        for (int kb = 0; kb * g->rows < kp; kb++) {
            int rows;
            uint8_t *blk = dst + ecim_dev_block_offset(g, K, wbits, nb, kb, &rows);
            size_t words = (size_t)ecim_block_word_bytes((uint64_t)rows, (uint64_t)g->cols, (uint64_t)wbits);
            for (int c = 0; c < g->cols; c++) {
                int n = nb * g->cols + c;
                if (n >= N) continue; /* padding outputs: zero weights and scales */
                for (int r = 0; r < rows; r++) {
                    int k = kb * g->rows + r, gi = r / ECIM_GROUP, rr = r % ECIM_GROUP;
                    unsigned v = (unsigned)ecim_fmt_weight(host, K, wbits, n, k) & ((1u << wbits) - 1);
                    for (int j = 0; j < wbits; j++)
                        blk[word_offset(g, wbits, gi, j, c) + (size_t)rr / 8] |= (uint8_t)((v >> j & 1) << (rr % 8));
                }
                for (int gi = 0; gi < rows / ECIM_GROUP; gi++)
                    ecim_put_le16(blk + words + ((size_t)gi * (size_t)g->cols + (size_t)c) * 2,
                                  ecim_fmt_scale(host, K, wbits, n, kb * g->rows + gi * ECIM_GROUP));
            }
        }
    }
}

void ecim_fp16_decode(uint16_t h, int64_t *signed_mant, int *exp)
{
    int e = (h >> 10) & 31;
    int64_t m = h & 1023;
    if (e) m |= 1024;
    *signed_mant = (h & 0x8000) ? -m : m;
    *exp = e ? e : 1;
}
