/* SPDX-License-Identifier: Apache-2.0 */
/* Number conversions and the weight packer; see quant.h. */
#include "quant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_fmt.h"

uint16_t fp32_to_fp16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, exp = (x >> 23) & 0xffu, mant = x & 0x7fffffu;
    if (exp == 0xff) return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0));
    int e = (int)exp - 127 + 15;
    if (e >= 31) return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) { /* FP16 subnormal (or zero) */
        if (e < -10) return (uint16_t)sign;
        mant |= 0x800000u;
        int shift = 14 - e;
        uint32_t m = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (m & 1))) m++; /* may carry into the smallest normal */
        return (uint16_t)(sign | m);
    }
    uint32_t m = mant >> 13, rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (m & 1))) {
        if (++m == 0x400u) {
            m = 0;
            if (++e >= 31) return (uint16_t)(sign | 0x7c00u);
        }
    }
    return (uint16_t)(sign | ((uint32_t)e << 10) | m);
}

float fp16_to_fp32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 31, mant = h & 1023, x;
    if (exp == 0) {
        if (mant == 0) {
            x = sign;
        } else { /* normalize the subnormal */
            exp = 113;
            while (!(mant & 1024)) {
                mant <<= 1;
                exp--;
            }
            x = sign | (exp << 23) | ((mant & 1023) << 13);
        }
    } else if (exp == 31) {
        x = sign | 0x7f800000u | (mant << 13);
    } else {
        x = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &x, 4);
    return f;
}

uint16_t fp32_to_bf16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((x >> 16) | 64); /* quiet NaN */
    return (uint16_t)((x + (0x7fffu + ((x >> 16) & 1))) >> 16);
}

float bf16_to_fp32(uint16_t h)
{
    uint32_t x = (uint32_t)h << 16;
    float f;
    memcpy(&f, &x, 4);
    return f;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

int dequantize_row(gguf_type_t type, const void *src, float *y, size_t n)
{
    const uint8_t *p = src;
    switch (type) {
    case GGML_TYPE_F32: memcpy(y, src, n * 4); return 0;
    case GGML_TYPE_F16: for (size_t i = 0; i < n; i++) y[i] = fp16_to_fp32(rd16(p + 2 * i)); return 0;
    case GGML_TYPE_BF16: for (size_t i = 0; i < n; i++) y[i] = bf16_to_fp32(rd16(p + 2 * i)); return 0;
    default: return dequantize_blocks(type, src, y, n);
    }
}

int quantize_row(gguf_type_t type, const float *x, void *dst, size_t n)
{
    uint8_t *p = dst;
    switch (type) {
    case GGML_TYPE_F32: memcpy(dst, x, n * 4); return 0;
    case GGML_TYPE_F16: for (size_t i = 0; i < n; i++) wr16(p + 2 * i, fp32_to_fp16(x[i])); return 0;
    case GGML_TYPE_BF16: for (size_t i = 0; i < n; i++) wr16(p + 2 * i, fp32_to_bf16(x[i])); return 0;
    default: return quantize_blocks(type, x, dst, n);
    }
}

static int finite_field(const uint8_t *p, quant_float_kind_t kind)
{
    if (kind == QF_FP16) return (rd16(p) & 0x7c00u) != 0x7c00u;
    if (kind == QF_BF16) return (rd16(p) & 0x7f80u) != 0x7f80u;
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (u & 0x7f800000u) != 0x7f800000u;
}

int64_t quant_find_nonfinite(gguf_type_t type, const void *src, uint64_t n)
{
    const quant_field_t *fl;
    int nf = quant_float_fields(type, &fl);
    uint64_t bs = gguf_type_block(type), stride = gguf_type_size(type, bs);
    const uint8_t *p = src;
    for (uint64_t b = 0; nf && b < n / bs; b++, p += stride)
        for (int i = 0; i < nf; i++)
            if (!finite_field(p + fl[i].off, fl[i].kind)) return (int64_t)b;
    return -1;
}

void quantize_activations(const float *x, int K, int8_t *q, uint16_t *scales)
{
    int kp = ecim_round_up(K, QK);
    for (int g = 0; g < kp / QK; g++) {
        int k0 = g * QK, k1 = k0 + QK < K ? k0 + QK : K;
        float amax = 0;
        for (int k = k0; k < k1; k++) amax = fmaxf(amax, fabsf(x[k]));
        float d = amax / 127;
        if (d > 65504.0f) d = 65504.0f;
        uint16_t d16 = fp32_to_fp16(d);
        float df = fp16_to_fp32(d16);
        if (df == 0) d16 = 0;
        scales[g] = d16;
        for (int k = k0; k < k0 + QK; k++) {
            int v = 0;
            if (k < K && df != 0) {
                float r = roundf(x[k] / df);
                v = r > 127 ? 127 : r < -127 ? -127 : (int)r;
            }
            q[k] = (int8_t)v;
        }
    }
}

/* ------------------------------------------------------------------ packer */

/* Squared error of the accelerator's row (v, s) against the dequantized weights x[K]; a row
 * that holds every weight exactly (ternary data on WBits 2, say) keeps st->exact. */
static void add_error(const float *x, int K, const int8_t *v, const uint16_t *s, pack_stats_t *st)
{
    double row2 = 0;
    for (int k = 0; k < K; k++) {
        double w = x[k], e = w - (double)v[k] * fp16_to_fp32(s[k / QK]);
        row2 += e * e;
        st->ref2 += w * w;
    }
    st->err2 += row2;
    if (row2 != 0) st->exact = 0;
}

/* One tensor row -> WBits values + FP16 scales (Kp padded with zeros). */
static int quantize_weight_row(const gguf_tensor_t *t, int row, int wbits, float *tmp,
                               int8_t *v, uint16_t *s, pack_stats_t *st)
{
    int K = (int)t->ne[0], kp = ecim_round_up(K, QK);
    const uint8_t *src = t->data + gguf_type_size(t->type, (uint64_t)row * t->ne[0]);
    memset(v, 0, (size_t)kp);
    if (wbits == 4 && t->type == GGML_TYPE_Q4_0) { /* bit for bit: q - 8 */
        for (int b = 0; b < K / QK; b++, src += 18) {
            s[b] = rd16(src);
            for (int j = 0; j < 16; j++) {
                v[b * QK + j] = (int8_t)((src[2 + j] & 15) - 8);
                v[b * QK + j + 16] = (int8_t)((src[2 + j] >> 4) - 8);
            }
        }
        return 0;
    }
    if (wbits == 8 && t->type == GGML_TYPE_Q5_0) { /* bit for bit: q - 16 fits INT8 */
        for (int b = 0; b < K / QK; b++, src += 22) {
            uint32_t qh = (uint32_t)src[2] | (uint32_t)src[3] << 8 | (uint32_t)src[4] << 16 |
                          (uint32_t)src[5] << 24;
            s[b] = rd16(src);
            for (int j = 0; j < 16; j++) {
                v[b * QK + j] = (int8_t)(((src[6 + j] & 15) | (qh >> j & 1) << 4) - 16);
                v[b * QK + j + 16] = (int8_t)(((src[6 + j] >> 4) | (qh >> (j + 16) & 1) << 4) - 16);
            }
        }
        return 0;
    }
    if (wbits == 8 && t->type == GGML_TYPE_Q8_0) {
        for (int b = 0; b < K / QK; b++, src += 34) {
            s[b] = rd16(src);
            memcpy(v + b * QK, src + 2, QK);
        }
        return 0;
    }
    memset(tmp, 0, (size_t)kp * sizeof *tmp);
    if (dequantize_row(t->type, src, tmp, (size_t)K)) return -1;
    uint8_t blk[34];
    for (int b = 0; b < kp / QK; b++) {
        const float *x = tmp + b * QK;
        if (wbits == 4) {
            quantize_row_q4_0(x, blk, QK);
            s[b] = rd16(blk);
            for (int j = 0; j < 16; j++) {
                v[b * QK + j] = (int8_t)((blk[2 + j] & 15) - 8);
                v[b * QK + j + 16] = (int8_t)((blk[2 + j] >> 4) - 8);
            }
        } else if (wbits == 8) {
            quantize_row_q8_0(x, blk, QK);
            s[b] = rd16(blk);
            memcpy(v + b * QK, blk + 2, QK);
        } else { /* ternary: q = clamp(round(x / d), -1, 1) with d the better of absmean
                  * (BitNet's rule for real-valued weights) and absmax (exact for data that is
                  * already ternary), by squared error */
            float sum = 0, amax = 0, best_err = INFINITY;
            for (int j = 0; j < QK; j++) {
                sum += fabsf(x[j]);
                amax = fmaxf(amax, fabsf(x[j]));
            }
            const float cand[2] = {sum / QK, amax};
            for (int ci = 0; ci < 2; ci++) {
                uint16_t h = fp32_to_fp16(cand[ci]);
                float d = fp16_to_fp32(h), e = 0;
                int8_t q[QK];
                for (int j = 0; j < QK; j++) {
                    float r = d != 0 ? roundf(x[j] / d) : 0;
                    q[j] = (int8_t)(r > 1 ? 1 : r < -1 ? -1 : r);
                    e += (x[j] - q[j] * d) * (x[j] - q[j] * d);
                }
                if (e < best_err) {
                    best_err = e;
                    s[b] = h;
                    memcpy(v + b * QK, q, QK);
                }
            }
        }
    }
    if (st) add_error(tmp, K, v, s, st);
    return 0;
}

int quant_row_int8(const gguf_tensor_t *t, int row, float *tmp, int8_t *v, uint16_t *s)
{
    /* Q4_0's codes q - 8 and its scale are INT8 codes and an FP16 scale as they are */
    return quantize_weight_row(t, row, t->type == GGML_TYPE_Q4_0 ? 4 : 8, tmp, v, s, NULL);
}

int pack_weight_rows(const gguf_tensor_t *t, int row0, int n_rows, uint8_t *dst, int N_total,
                     int out_row0, int wbits, char *err, size_t errlen)
{
    return pack_weight_rows_stats(t, row0, n_rows, dst, N_total, out_row0, wbits, NULL, err, errlen);
}

int pack_weight_rows_stats(const gguf_tensor_t *t, int row0, int n_rows, uint8_t *dst, int N_total,
                           int out_row0, int wbits, pack_stats_t *st, char *err, size_t errlen)
{
    if (wbits != 2 && wbits != 4 && wbits != 8) {
        snprintf(err, errlen, "pack: unsupported WBits %d (2, 4 or 8)", wbits);
        return -1;
    }
    if (t->n_dims > 2 || row0 < 0 || n_rows < 0 || (uint64_t)(row0 + n_rows) > t->ne[1] ||
        out_row0 + n_rows > N_total) {
        snprintf(err, errlen, "pack: tensor '%s' rows [%d, %d) out of range", t->name, row0,
                 row0 + n_rows);
        return -1;
    }
    int K = (int)t->ne[0], kp = ecim_round_up(K, QK);
    float *tmp = malloc((size_t)kp * sizeof *tmp);
    int8_t *v = malloc((size_t)kp);
    uint16_t *s = malloc((size_t)(kp / QK) * sizeof *s);
    int rc = (tmp && v && s) ? 0 : -1;
    for (int i = 0; i < n_rows && !rc; i++) {
        rc = quantize_weight_row(t, row0 + i, wbits, tmp, v, s, st);
        if (!rc) ecim_fmt_pack_rows(v, s, K, 1, dst, out_row0 + i, wbits);
    }
    if (rc) snprintf(err, errlen, "pack: cannot convert tensor '%s' (%s)", t->name, gguf_type_name(t->type));
    free(tmp);
    free(v);
    free(s);
    return rc;
}

int quant_tensor_wbits(int ggml_type, int float_wbits)
{
    switch (ggml_type) {
    case GGML_TYPE_TQ1_0: case GGML_TYPE_TQ2_0: return 2;
    case GGML_TYPE_Q4_0: case GGML_TYPE_Q4_1: case GGML_TYPE_Q2_K: case GGML_TYPE_Q3_K:
    case GGML_TYPE_Q4_K: case GGML_TYPE_IQ4_NL: case GGML_TYPE_IQ4_XS: return 4;
    case GGML_TYPE_Q5_0: case GGML_TYPE_Q5_1: case GGML_TYPE_Q8_0: case GGML_TYPE_Q5_K:
    case GGML_TYPE_Q6_K: case GGML_TYPE_Q8_K: return 8;
    default: return float_wbits;
    }
}
