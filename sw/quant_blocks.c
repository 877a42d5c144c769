/* SPDX-License-Identifier: Apache-2.0 */
/* ggml's block formats, byte for byte as in ggml-common.h, read and written through byte
 * offsets (no structs: no padding or alignment questions).  Dequantization repeats
 * ggml-quants.c's dequantize_row_* operation by operation, so the floats are bit-identical:
 * the same products in the same order, rounded to float at the same points.  That relies on
 * the compiler not contracting a*b + c into an FMA, which ISO C mode (-std=c11) guarantees for
 * GCC (-ffp-contract=off) and which plain x86-64 cannot do anyway.
 *
 * Quantization ports ggml's quantize_row_*_ref (the deterministic reference quantizers that
 * llama-quantize uses without an importance matrix; IQ4_NL/IQ4_XS: quantize_iq4_nl/xs, which
 * search 2*7+1 scales).  Only the block layout has to match llama.cpp for the files to load
 * there; the ports give ggml's very bytes (scripts/ggml_blocks_check.py checks both
 * directions against libggml), so mkmodel's files are what llama-quantize would write. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quant.h"

#define QK_K 256

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static float h2f(const uint8_t *p) { return fp16_to_fp32(rd16(p)); }
static void f2h(uint8_t *p, float f) { wr16(p, fp32_to_fp16(f)); }
static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }

/* ggml's round-to-nearest through the float mantissa (ties to even); |x| < 2^22. */
static int nearest_int(float x)
{
    float v = x + 12582912.f;
    int32_t i;
    memcpy(&i, &v, 4);
    return (i & 0x007fffff) - 0x00400000;
}

/* The value of largest magnitude (its sign kept; the first of equals), and that magnitude. */
static float signed_absmax(const float *x, int n, float *amax)
{
    float max = 0;
    *amax = 0;
    for (int j = 0; j < n; j++)
        if (*amax < fabsf(x[j])) {
            *amax = fabsf(x[j]);
            max = x[j];
        }
    return max;
}

/* ------------------------------------------------------------------ 32-element blocks */

/* ggml's quantize_row_q4_0_ref: the signed value of largest magnitude maps to -8. */
void quantize_row_q4_0(const float *x, void *dst, size_t n)
{
    uint8_t *o = dst;
    for (size_t b = 0; b < n / QK; b++, x += QK, o += 18) {
        float amax, max = signed_absmax(x, QK, &amax);
        float d = max / -8, id = d != 0 ? 1.0f / d : 0.0f;
        f2h(o, d);
        for (int j = 0; j < QK / 2; j++) {
            int q0 = (int)(int8_t)(x[j] * id + 8.5f), q1 = (int)(int8_t)(x[j + 16] * id + 8.5f);
            o[2 + j] = (uint8_t)(imin(15, q0) | (imin(15, q1) << 4));
        }
    }
}

void dequantize_row_q4_0(const void *src, float *y, size_t n)
{
    const uint8_t *p = src;
    for (size_t b = 0; b < n / QK; b++, p += 18, y += QK) {
        float d = h2f(p);
        for (int j = 0; j < QK / 2; j++) {
            y[j] = (float)((p[2 + j] & 15) - 8) * d;
            y[j + 16] = (float)((p[2 + j] >> 4) - 8) * d;
        }
    }
}

void quantize_row_q8_0(const float *x, void *dst, size_t n)
{
    uint8_t *o = dst;
    for (size_t b = 0; b < n / QK; b++, x += QK, o += 34) {
        float amax = 0;
        for (int j = 0; j < QK; j++) amax = fmaxf(amax, fabsf(x[j]));
        float d = amax / 127, id = d != 0 ? 1.0f / d : 0.0f;
        f2h(o, d);
        for (int j = 0; j < QK; j++) o[2 + j] = (uint8_t)(int8_t)roundf(x[j] * id);
    }
}

void dequantize_row_q8_0(const void *src, float *y, size_t n)
{
    const uint8_t *p = src;
    for (size_t b = 0; b < n / QK; b++, p += 34, y += QK) {
        float d = h2f(p);
        for (int j = 0; j < QK; j++) y[j] = (float)(int8_t)p[2 + j] * d;
    }
}

static void min_max(const float *x, int n, float *min, float *max)
{
    *min = FLT_MAX;
    *max = -FLT_MAX;
    for (int j = 0; j < n; j++) {
        if (x[j] < *min) *min = x[j];
        if (x[j] > *max) *max = x[j];
    }
}

/* Q4_1: d, m, 16 bytes of nibbles; x = q*d + m. */
static void quant_q4_1(const float *x, uint8_t *o, size_t nb)
{
    for (size_t b = 0; b < nb; b++, x += 32, o += 20) {
        float min, max;
        min_max(x, 32, &min, &max);
        float d = (max - min) / 15, id = d != 0 ? 1.0f / d : 0.0f;
        f2h(o, d);
        f2h(o + 2, min);
        for (int j = 0; j < 16; j++) {
            int q0 = imin(15, (int8_t)((x[j] - min) * id + 0.5f));
            int q1 = imin(15, (int8_t)((x[j + 16] - min) * id + 0.5f));
            o[4 + j] = (uint8_t)(q0 | (q1 << 4));
        }
    }
}

static void deq_q4_1(const uint8_t *p, float *y, size_t nb)
{
    for (size_t b = 0; b < nb; b++, p += 20, y += 32) {
        float d = h2f(p), m = h2f(p + 2);
        for (int j = 0; j < 16; j++) {
            y[j] = (float)(p[4 + j] & 15) * d + m;
            y[j + 16] = (float)(p[4 + j] >> 4) * d + m;
        }
    }
}

/* Q5_0: d, 32 high bits, 16 bytes of low nibbles; x = (q - 16)*d.  Q5_1 adds a min m. */
static void pack5(uint8_t *qh, uint8_t *qs, const uint8_t *q)
{
    uint32_t h = 0;
    for (int j = 0; j < 16; j++) {
        qs[j] = (uint8_t)((q[j] & 15) | ((q[j + 16] & 15) << 4));
        h |= (uint32_t)((q[j] >> 4) & 1) << j;
        h |= (uint32_t)((q[j + 16] >> 4) & 1) << (j + 16);
    }
    for (int k = 0; k < 4; k++) qh[k] = (uint8_t)(h >> (8 * k));
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void quant_q5_0(const float *x, uint8_t *o, size_t nb)
{
    for (size_t b = 0; b < nb; b++, x += 32, o += 22) {
        float amax, max = signed_absmax(x, 32, &amax);
        float d = max / -16, id = d != 0 ? 1.0f / d : 0.0f;
        f2h(o, d);
        uint8_t q[32];
        for (int j = 0; j < 32; j++) q[j] = (uint8_t)imin(31, (int8_t)(x[j] * id + 16.5f));
        pack5(o + 2, o + 6, q);
    }
}

static void deq_q5_0(const uint8_t *p, float *y, size_t nb)
{
    for (size_t b = 0; b < nb; b++, p += 22, y += 32) {
        float d = h2f(p);
        uint32_t qh = rd32(p + 2);
        for (int j = 0; j < 16; j++) {
            int x0 = ((p[6 + j] & 15) | (((qh >> j) << 4) & 0x10)) - 16;
            int x1 = ((p[6 + j] >> 4) | ((qh >> (j + 12)) & 0x10)) - 16;
            y[j] = (float)x0 * d;
            y[j + 16] = (float)x1 * d;
        }
    }
}

static void quant_q5_1(const float *x, uint8_t *o, size_t nb)
{
    for (size_t b = 0; b < nb; b++, x += 32, o += 24) {
        float min, max;
        min_max(x, 32, &min, &max);
        float d = (max - min) / 31, id = d != 0 ? 1.0f / d : 0.0f;
        f2h(o, d);
        f2h(o + 2, min);
        uint8_t q[32];
        for (int j = 0; j < 32; j++) q[j] = (uint8_t)((x[j] - min) * id + 0.5f);
        pack5(o + 4, o + 8, q);
    }
}

static void deq_q5_1(const uint8_t *p, float *y, size_t nb)
{
    for (size_t b = 0; b < nb; b++, p += 24, y += 32) {
        float d = h2f(p), m = h2f(p + 2);
        uint32_t qh = rd32(p + 4);
        for (int j = 0; j < 16; j++) {
            int x0 = (p[8 + j] & 15) | (((qh >> j) << 4) & 0x10);
            int x1 = (p[8 + j] >> 4) | ((qh >> (j + 12)) & 0x10);
            y[j] = (float)x0 * d + m;
            y[j + 16] = (float)x1 * d + m;
        }
    }
}

/* IQ4_NL: d and 32 nibbles indexing a non-linear table. */
static const int8_t kvalues_iq4nl[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

static void deq_iq4_nl(const uint8_t *p, float *y, size_t nb)
{
    for (size_t b = 0; b < nb; b++, p += 18, y += 32) {
        float d = h2f(p);
        for (int j = 0; j < 16; j++) {
            y[j] = d * kvalues_iq4nl[p[2 + j] & 15];
            y[j + 16] = d * kvalues_iq4nl[p[2 + j] >> 4];
        }
    }
}

/* ------------------------------------------------------------------ helpers of the K-quants */

/* Asymmetric levels 0..nmax with a min, searched over nstep+1 scales (ggml make_qkx2_quants). */
static float make_qkx2_quants(int n, int nmax, const float *x, const float *weights, uint8_t *L,
                              float *the_min, uint8_t *Laux, float rmin, float rdelta, int nstep,
                              int use_mad)
{
    float min = x[0], max = x[0], sum_w = weights[0], sum_x = sum_w * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        float w = weights[i];
        sum_w += w;
        sum_x += w * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        *the_min = -min;
        return 0.f;
    }
    float iscale = nmax / (max - min), scale = 1 / iscale, best_mad = 0;
    for (int i = 0; i < n; ++i) {
        int l = nearest_int(iscale * (x[i] - min));
        L[i] = (uint8_t)imax(0, imin(nmax, l));
        float diff = scale * L[i] + min - x[i];
        diff = use_mad ? fabsf(diff) : diff * diff;
        best_mad += weights[i] * diff;
    }
    if (nstep < 1) {
        *the_min = -min;
        return scale;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * is + nmax) / (max - min);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; ++i) {
            int l = imax(0, imin(nmax, nearest_int(iscale * (x[i] - min))));
            Laux[i] = (uint8_t)l;
            float w = weights[i];
            sum_l += w * l;
            sum_l2 += w * l * l;
            sum_xl += w * l * x[i];
        }
        float D = sum_w * sum_l2 - sum_l * sum_l;
        if (D > 0) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
            float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
            if (this_min > 0) {
                this_min = 0;
                this_scale = sum_xl / sum_l2;
            }
            float mad = 0;
            for (int i = 0; i < n; ++i) {
                float diff = this_scale * Laux[i] + this_min - x[i];
                diff = use_mad ? fabsf(diff) : diff * diff;
                mad += weights[i] * diff;
            }
            if (mad < best_mad) {
                memcpy(L, Laux, (size_t)n);
                best_mad = mad;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *the_min = -min;
    return scale;
}

/* Rounds iscale*x to levels -nmax..nmax-1 and accumulates the x^2-weighted sums of l*x and
 * l*l (ggml's rmse_type 1); stores l + off in L unless L is NULL. */
static void round_levels(int n, int nmax, const float *x, float iscale, int8_t *L, int off,
                         float *sumlx, float *suml2)
{
    *sumlx = *suml2 = 0;
    for (int i = 0; i < n; ++i) {
        int l = imax(-nmax, imin(nmax - 1, nearest_int(iscale * x[i])));
        if (L) L[i] = (int8_t)(l + off);
        float w = x[i] * x[i];
        *sumlx += w * x[i] * l;
        *suml2 += w * l * l;
    }
}

/* Symmetric levels -nmax..nmax-1 (stored + nmax), searched over 18 more scales
 * (ggml make_qx_quants, rmse_type 1). */
static float make_qx_quants(int n, int nmax, const float *x, int8_t *L)
{
    float amax, max = signed_absmax(x, n, &amax), sumlx, suml2;
    if (amax < 1e-15f) {
        memset(L, 0, (size_t)n);
        return 0.f;
    }
    round_levels(n, nmax, x, -nmax / max, L, nmax, &sumlx, &suml2);
    float scale = suml2 ? sumlx / suml2 : 0.0f, best = scale * sumlx;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        float iscale = -(nmax + 0.1f * is) / max;
        round_levels(n, nmax, x, iscale, NULL, 0, &sumlx, &suml2);
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            round_levels(n, nmax, x, iscale, L, nmax, &sumlx, &suml2);
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

/* Levels -nmax..nmax-1 refined by coordinate descent (ggml make_q3_quants, do_rmse). */
static float make_q3_quants(int n, int nmax, const float *x, int8_t *L)
{
    float amax, max = signed_absmax(x, n, &amax), sumlx, suml2;
    if (amax < 1e-15f) {
        memset(L, 0, (size_t)n);
        return 0.f;
    }
    round_levels(n, nmax, x, -nmax / max, L, 0, &sumlx, &suml2);
    for (int itry = 0; itry < 5; ++itry) {
        int n_changed = 0;
        for (int i = 0; i < n; ++i) {
            float w = x[i] * x[i], slx = sumlx - w * x[i] * L[i];
            if (slx > 0) {
                float sl2 = suml2 - w * L[i] * L[i];
                int new_l = imax(-nmax, imin(nmax - 1, nearest_int(x[i] * sl2 / slx)));
                if (new_l != L[i]) {
                    slx += w * x[i] * new_l;
                    sl2 += w * new_l * new_l;
                    if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = (int8_t)new_l;
                        sumlx = slx;
                        suml2 = sl2;
                        ++n_changed;
                    }
                }
            }
        }
        if (!n_changed) break;
    }
    for (int i = 0; i < n; ++i) L[i] = (int8_t)(L[i] + nmax);
    return sumlx / suml2;
}

/* The 6-bit scale and min of sub-block j of Q4_K/Q5_K (ggml get_scale_min_k4). */
static void get_scale_min_k4(int j, const uint8_t *q, uint8_t *d, uint8_t *m)
{
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *m = (uint8_t)((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
    }
}

/* ------------------------------------------------------------------ Q2_K */
/* scales[16] (4-bit scale | 4-bit min << 4), qs[64] (2-bit), d, dmin: x = d*sc*q - dmin*m. */
static void quant_q2_k(const float *x, uint8_t *o, size_t nb)
{
    uint8_t L[QK_K], Laux[16];
    float weights[16], mins[QK_K / 16], scales[QK_K / 16];
    const float q4scale = 15.f;
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 84) {
        uint8_t *sc = o, *qs = o + 16;
        float max_scale = 0, max_min = 0;
        for (int j = 0; j < QK_K / 16; ++j) {
            for (int l = 0; l < 16; ++l) weights[l] = fabsf(x[16 * j + l]);
            scales[j] = make_qkx2_quants(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, 1);
            if (scales[j] > max_scale) max_scale = scales[j];
            if (mins[j] > max_min) max_min = mins[j];
        }
        if (max_scale > 0) {
            float iscale = q4scale / max_scale;
            for (int j = 0; j < QK_K / 16; ++j) sc[j] = (uint8_t)nearest_int(iscale * scales[j]);
            f2h(o + 80, max_scale / q4scale);
        } else {
            memset(sc, 0, 16);
            f2h(o + 80, 0.f);
        }
        if (max_min > 0) {
            float iscale = q4scale / max_min;
            for (int j = 0; j < QK_K / 16; ++j) sc[j] |= (uint8_t)(nearest_int(iscale * mins[j]) << 4);
            f2h(o + 82, max_min / q4scale);
        } else {
            f2h(o + 82, 0.f);
        }
        for (int j = 0; j < QK_K / 16; ++j) {
            const float d = h2f(o + 80) * (sc[j] & 0xF);
            if (!d) continue;
            const float dm = h2f(o + 82) * (sc[j] >> 4);
            for (int ii = 0; ii < 16; ++ii)
                L[16 * j + ii] = (uint8_t)imax(0, imin(3, nearest_int((x[16 * j + ii] + dm) / d)));
        }
        for (int j = 0; j < QK_K; j += 128)
            for (int l = 0; l < 32; ++l)
                qs[j / 4 + l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
    }
}

static void deq_q2_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 84) {
        const float d = h2f(p + 80), min = h2f(p + 82);
        const uint8_t *q = p + 16;
        int is = 0;
        for (int n = 0; n < QK_K; n += 128, q += 32)
            for (int shift = 0; shift < 8; shift += 2)
                for (int half = 0; half < 2; half++) {
                    uint8_t sc = p[is++];
                    float dl = d * (sc & 0xF), ml = min * (sc >> 4);
                    for (int l = 0; l < 16; ++l) *y++ = dl * ((q[l + 16 * half] >> shift) & 3) - ml;
                }
    }
}

/* ------------------------------------------------------------------ Q3_K */
/* hmask[32] (high bit), qs[64] (low 2 bits), scales[12] (16 x 6 bits), d:
 * x = d*(sc - 32)*(q - (high bit ? 0 : 4)). */
static int q3_scale(const uint8_t *s, int j)
{
    int lo = j < 8 ? s[j] & 0xF : s[j - 8] >> 4, hi = (s[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (int8_t)(lo | (hi << 4)) - 32;
}

static void quant_q3_k(const float *x, uint8_t *o, size_t nb)
{
    int8_t L[QK_K];
    float scales[QK_K / 16];
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 110) {
        uint8_t *hmask = o, *qs = o + 32, *sc = o + 96;
        float max_scale = 0, amax = 0;
        for (int j = 0; j < QK_K / 16; ++j) {
            scales[j] = make_q3_quants(16, 4, x + 16 * j, L + 16 * j);
            if (fabsf(scales[j]) > amax) {
                amax = fabsf(scales[j]);
                max_scale = scales[j];
            }
        }
        memset(sc, 0, 12);
        if (max_scale) {
            float iscale = -32.f / max_scale;
            for (int j = 0; j < QK_K / 16; ++j) {
                int l = imax(-32, imin(31, (int8_t)nearest_int(iscale * scales[j]))) + 32;
                if (j < 8) sc[j] = (uint8_t)(l & 0xF);
                else sc[j - 8] |= (uint8_t)((l & 0xF) << 4);
                sc[j % 4 + 8] |= (uint8_t)((l >> 4) << (2 * (j / 4)));
            }
            f2h(o + 108, 1 / iscale);
        } else {
            f2h(o + 108, 0.f);
        }
        for (int j = 0; j < QK_K / 16; ++j) {
            float d = h2f(o + 108) * q3_scale(sc, j);
            if (!d) continue;
            for (int ii = 0; ii < 16; ++ii)
                L[16 * j + ii] = (int8_t)(imax(-4, imin(3, nearest_int(x[16 * j + ii] / d))) + 4);
        }
        memset(hmask, 0, QK_K / 8);
        /* the high bits of quants 0-31 go to bit 0 of hmask[0..31], of 32-63 to bit 1, ... */
        for (int j = 0; j < QK_K; ++j)
            if (L[j] > 3) {
                hmask[j % 32] |= (uint8_t)(1 << (j / 32));
                L[j] -= 4;
            }
        for (int j = 0; j < QK_K; j += 128)
            for (int l = 0; l < 32; ++l)
                qs[j / 4 + l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
    }
}

static void deq_q3_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 110) {
        const float d_all = h2f(p + 108);
        const uint8_t *q = p + 32, *hm = p;
        int is = 0;
        uint8_t m = 1;
        for (int n = 0; n < QK_K; n += 128, q += 32)
            for (int shift = 0; shift < 8; shift += 2, m = (uint8_t)(m << 1))
                for (int half = 0; half < 2; half++) {
                    float dl = d_all * q3_scale(p + 96, is++);
                    for (int l = 0; l < 16; ++l) {
                        int k = l + 16 * half;
                        *y++ = dl * (((q[k] >> shift) & 3) - ((hm[k] & m) ? 0 : 4));
                    }
                }
    }
}

/* ------------------------------------------------------------------ Q4_K / Q5_K */
/* d, dmin, scales[12] (8 x 6-bit scale and min), then the quants: x = d*sc*q - dmin*m. */
static void k_scales(const float *x, int nmax, float rmin, int nstep, uint8_t *L, uint8_t *o)
{
    uint8_t Laux[32];
    float weights[32], mins[QK_K / 32], scales[QK_K / 32], max_scale = 0, max_min = 0;
    for (int j = 0; j < QK_K / 32; ++j) {
        float sum_x2 = 0;
        for (int l = 0; l < 32; ++l) sum_x2 += x[32 * j + l] * x[32 * j + l];
        float av_x = sqrtf(sum_x2 / 32);
        for (int l = 0; l < 32; ++l) weights[l] = av_x + fabsf(x[32 * j + l]);
        scales[j] = make_qkx2_quants(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, rmin, 0.1f, nstep, 0);
        if (scales[j] > max_scale) max_scale = scales[j];
        if (mins[j] > max_min) max_min = mins[j];
    }
    float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f, inv_min = max_min > 0 ? 63.f / max_min : 0.f;
    uint8_t *sc = o + 4;
    for (int j = 0; j < QK_K / 32; ++j) {
        uint8_t ls = (uint8_t)imin(63, (uint8_t)nearest_int(inv_scale * scales[j]));
        uint8_t lm = (uint8_t)imin(63, (uint8_t)nearest_int(inv_min * mins[j]));
        if (j < 4) {
            sc[j] = ls;
            sc[j + 4] = lm;
        } else {
            sc[j + 4] = (uint8_t)((ls & 0xF) | ((lm & 0xF) << 4));
            sc[j - 4] |= (uint8_t)((ls >> 4) << 6);
            sc[j - 0] |= (uint8_t)((lm >> 4) << 6);
        }
    }
    f2h(o, max_scale / 63.f);
    f2h(o + 2, max_min / 63.f);
    for (int j = 0; j < QK_K / 32; ++j) {
        uint8_t s, m;
        get_scale_min_k4(j, sc, &s, &m);
        const float d = h2f(o) * s;
        if (!d) continue;
        const float dm = h2f(o + 2) * m;
        for (int ii = 0; ii < 32; ++ii)
            L[32 * j + ii] = (uint8_t)imax(0, imin(nmax, nearest_int((x[32 * j + ii] + dm) / d)));
    }
}

static void quant_q4_k(const float *x, uint8_t *o, size_t nb)
{
    uint8_t L[QK_K];
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 144) {
        memset(o + 4, 0, 12);
        k_scales(x, 15, -1.f, 20, L, o);
        uint8_t *q = o + 16;
        for (int j = 0; j < QK_K; j += 64, q += 32)
            for (int l = 0; l < 32; ++l) q[l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 4));
    }
}

static void deq_q4_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 144) {
        const uint8_t *q = p + 16;
        const float d = h2f(p), min = h2f(p + 2);
        for (int j = 0, is = 0; j < QK_K; j += 64, q += 32, is += 2) {
            uint8_t sc, m;
            get_scale_min_k4(is + 0, p + 4, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            get_scale_min_k4(is + 1, p + 4, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * (q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * (q[l] >> 4) - m2;
        }
    }
}

static void quant_q5_k(const float *x, uint8_t *o, size_t nb)
{
    uint8_t L[QK_K];
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 176) {
        memset(o + 4, 0, 12);
        k_scales(x, 31, -0.5f, 15, L, o);
        uint8_t *qh = o + 16, *ql = o + 48;
        memset(qh, 0, QK_K / 8);
        uint8_t m1 = 1, m2 = 2;
        for (int n = 0; n < QK_K; n += 64, ql += 32, m1 = (uint8_t)(m1 << 2), m2 = (uint8_t)(m2 << 2))
            for (int j = 0; j < 32; ++j) {
                int l1 = L[n + j], l2 = L[n + j + 32];
                if (l1 > 15) { l1 -= 16; qh[j] |= m1; }
                if (l2 > 15) { l2 -= 16; qh[j] |= m2; }
                ql[j] = (uint8_t)(l1 | (l2 << 4));
            }
    }
}

static void deq_q5_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 176) {
        const uint8_t *ql = p + 48, *qh = p + 16;
        const float d = h2f(p), min = h2f(p + 2);
        uint8_t u1 = 1, u2 = 2;
        for (int j = 0, is = 0; j < QK_K; j += 64, ql += 32, is += 2, u1 = (uint8_t)(u1 << 2), u2 = (uint8_t)(u2 << 2)) {
            uint8_t sc, m;
            get_scale_min_k4(is + 0, p + 4, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            get_scale_min_k4(is + 1, p + 4, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * ((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * ((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
        }
    }
}

/* ------------------------------------------------------------------ Q6_K */
/* ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8), d: x = d*sc*(q - 32). */
static void quant_q6_k(const float *x, uint8_t *o, size_t nb)
{
    int8_t L[QK_K];
    float scales[QK_K / 16];
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 210) {
        float max_scale = 0, max_abs_scale = 0;
        for (int ib = 0; ib < QK_K / 16; ++ib) {
            scales[ib] = make_qx_quants(16, 32, x + 16 * ib, L + 16 * ib);
            if (fabsf(scales[ib]) > max_abs_scale) {
                max_abs_scale = fabsf(scales[ib]);
                max_scale = scales[ib];
            }
        }
        if (max_abs_scale < 1e-15f) {
            memset(o, 0, 210);
            continue;
        }
        float iscale = -128.f / max_scale;
        f2h(o + 208, 1 / iscale);
        int8_t *sc = (int8_t *)(o + 192);
        for (int ib = 0; ib < QK_K / 16; ++ib) sc[ib] = (int8_t)imin(127, nearest_int(iscale * scales[ib]));
        for (int j = 0; j < QK_K / 16; ++j) {
            float d = h2f(o + 208) * sc[j];
            if (!d) continue;
            for (int ii = 0; ii < 16; ++ii)
                L[16 * j + ii] = (int8_t)(imax(-32, imin(31, nearest_int(x[16 * j + ii] / d))) + 32);
        }
        uint8_t *ql = o, *qh = o + 128;
        for (int j = 0; j < QK_K; j += 128, ql += 64, qh += 32)
            for (int l = 0; l < 32; ++l) {
                ql[l + 0] = (uint8_t)((L[j + l] & 0xF) | ((L[j + l + 64] & 0xF) << 4));
                ql[l + 32] = (uint8_t)((L[j + l + 32] & 0xF) | ((L[j + l + 96] & 0xF) << 4));
                qh[l] = (uint8_t)((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) |
                                  ((L[j + l + 96] >> 4) << 6));
            }
    }
}

static void deq_q6_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 210) {
        const float d = h2f(p + 208);
        const uint8_t *ql = p, *qh = p + 128;
        const int8_t *sc = (const int8_t *)(p + 192);
        for (int n = 0; n < QK_K; n += 128, y += 128, ql += 64, qh += 32, sc += 8)
            for (int l = 0; l < 32; ++l) {
                int is = l / 16;
                int q1 = (int8_t)((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                int q2 = (int8_t)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                int q3 = (int8_t)((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                int q4 = (int8_t)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * sc[is + 0] * q1;
                y[l + 32] = d * sc[is + 2] * q2;
                y[l + 64] = d * sc[is + 4] * q3;
                y[l + 96] = d * sc[is + 6] * q4;
            }
    }
}

/* ------------------------------------------------------------------ Q8_K */
/* FP32 d, qs[256] int8, bsums[16] int16 (sums of 16 quants, for dot products): x = d*q. */
static void quant_q8_k(const float *x, uint8_t *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 292) {
        float amax, max = signed_absmax(x, QK_K, &amax), d = 0;
        memset(o, 0, 292);
        if (amax) {
            const float iscale = -127.f / max;
            for (int j = 0; j < QK_K; ++j) o[4 + j] = (uint8_t)(int8_t)imin(127, nearest_int(iscale * x[j]));
            for (int j = 0; j < QK_K / 16; ++j) {
                int sum = 0;
                for (int ii = 0; ii < 16; ++ii) sum += (int8_t)o[4 + j * 16 + ii];
                wr16(o + 260 + 2 * j, (uint16_t)(int16_t)sum);
            }
            d = 1 / iscale;
        }
        memcpy(o, &d, 4); /* little-endian host (x86, ARM, RISC-V), as the GGUF writer */
    }
}

static void deq_q8_k(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 292) {
        float d;
        memcpy(&d, p, 4);
        for (int j = 0; j < QK_K; ++j) *y++ = d * (int8_t)p[4 + j];
    }
}

/* ------------------------------------------------------------------ IQ4_NL / IQ4_XS */

static int best_index_int8(int n, const int8_t *val, float x)
{
    if (x <= val[0]) return 0;
    if (x >= val[n - 1]) return n - 1;
    int ml = 0, mu = n - 1;
    while (mu - ml > 1) {
        int mav = (ml + mu) / 2;
        if (x < val[mav]) mu = mav;
        else ml = mav;
    }
    return x - val[mu - 1] < val[mu] - x ? mu - 1 : mu;
}

/* ggml quantize_row_iq4_nl_impl without an importance matrix, ntry = 7: one super-block of
 * `sbs` values in blocks of 32.  sbs 32: IQ4_NL (o = d, qs); sbs 256: IQ4_XS (o = d, scales_h,
 * scales_l[4], qs). */
static void iq4_impl(int sbs, const float *x, uint8_t *o)
{
    const int ntry = 7, nblk = sbs / 32;
    uint8_t L[QK_K], *dh = o, *q4 = o + (sbs == 32 ? 2 : 8);
    float weight[32], scales[QK_K / 32], max_scale = 0, amax_scale = 0;
    memset(q4, 0, (size_t)sbs / 2);
    memset(L, 0, sizeof L);
    f2h(dh, 0.f);
    for (int ib = 0; ib < nblk; ++ib) {
        const float *xb = x + ib * 32;
        uint8_t *Lb = L + ib * 32;
        float amax, max = signed_absmax(xb, 32, &amax);
        for (int j = 0; j < 32; ++j) weight[j] = xb[j] * xb[j];
        if (amax < 1e-15f) {
            scales[ib] = 0;
            continue;
        }
        float d = -max / kvalues_iq4nl[0], id = 1 / d, sumqx = 0, sumq2 = 0;
        for (int j = 0; j < 32; ++j) {
            int l = best_index_int8(16, kvalues_iq4nl, id * xb[j]);
            Lb[j] = (uint8_t)l;
            float q = kvalues_iq4nl[l], w = weight[j];
            sumqx += w * q * xb[j];
            sumq2 += w * q * q;
        }
        d = sumqx / sumq2;
        float best = d * sumqx;
        for (int itry = -ntry; itry <= ntry; ++itry) {
            id = (itry + kvalues_iq4nl[0]) / max;
            sumqx = sumq2 = 0;
            for (int j = 0; j < 32; ++j) {
                float q = kvalues_iq4nl[best_index_int8(16, kvalues_iq4nl, id * xb[j])], w = weight[j];
                sumqx += w * q * xb[j];
                sumq2 += w * q * q;
            }
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        scales[ib] = d;
        if (fabsf(d) > amax_scale) {
            amax_scale = fabsf(d);
            max_scale = d;
        }
    }
    if (nblk > 1) {
        uint16_t scales_h = 0;
        uint8_t *scales_l = o + 4;
        memset(scales_l, 0, (size_t)nblk / 2);
        float d = -max_scale / 32, id = d ? 1 / d : 0.f;
        f2h(dh, d);
        for (int ib = 0; ib < nblk; ++ib) {
            int l = imax(-32, imin(31, nearest_int(id * scales[ib])));
            float dl = d * l, idl = dl ? 1 / dl : 0.f;
            for (int j = 0; j < 32; ++j) L[ib * 32 + j] = (uint8_t)best_index_int8(16, kvalues_iq4nl, idl * x[ib * 32 + j]);
            l += 32;
            scales_l[ib / 2] |= (uint8_t)((l & 0xf) << (4 * (ib % 2)));
            scales_h |= (uint16_t)((l >> 4) << (2 * (ib % 8)));
        }
        wr16(o + 2, scales_h);
    } else {
        f2h(dh, scales[0]);
        float id = scales[0] ? 1 / scales[0] : 0;
        for (int j = 0; j < sbs; ++j) L[j] = (uint8_t)best_index_int8(16, kvalues_iq4nl, id * x[j]);
    }
    for (int i = 0; i < sbs / 32; ++i)
        for (int j = 0; j < 16; ++j) q4[16 * i + j] = (uint8_t)(L[32 * i + j] | (L[32 * i + 16 + j] << 4));
}

static void quant_iq4_nl(const float *x, uint8_t *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++) iq4_impl(32, x + 32 * i, o + 18 * i);
}

static void quant_iq4_xs(const float *x, uint8_t *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++) iq4_impl(QK_K, x + QK_K * i, o + 136 * i);
}

static void deq_iq4_xs(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 136) {
        const uint8_t *qs = p + 8;
        const float d = h2f(p);
        const uint16_t scales_h = rd16(p + 2);
        for (int ib = 0; ib < QK_K / 32; ++ib, y += 32, qs += 16) {
            const int ls = ((p[4 + ib / 2] >> 4 * (ib % 2)) & 0xf) | (((scales_h >> 2 * ib) & 3) << 4);
            const float dl = d * (ls - 32);
            for (int j = 0; j < 16; ++j) {
                y[j + 0] = dl * kvalues_iq4nl[qs[j] & 0xf];
                y[j + 16] = dl * kvalues_iq4nl[qs[j] >> 4];
            }
        }
    }
}

/* ------------------------------------------------------------------ TQ1_0 / TQ2_0 (ternary) */
/* TQ1_0: qs[48] (5 trits per byte as a base-3 fraction of 256), qh[4] (4 trits per byte), d.
 * TQ2_0: qs[64] (2 bits per value, 0..2 = -1..1), d.  x = (t - 1)*d, d = max|x|. */
static uint8_t pack_trits(const float *x, int stride, int n, float id)
{
    unsigned q = 0;
    for (int k = 0; k < n; ++k) q = q * 3 + (unsigned)(lroundf(x[k * stride] * id) + 1);
    for (int k = n; k < 5; ++k) q *= 3; /* the first value is the most significant trit */
    return (uint8_t)((q * 256 + (243 - 1)) / 243); /* ceiling division: 243 = 3^5 */
}

static float absmax256(const float *x)
{
    float amax = 0;
    for (int j = 0; j < QK_K; j++) amax = fmaxf(amax, fabsf(x[j]));
    return amax;
}

static void quant_tq1_0(const float *x, uint8_t *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 54) {
        const float d = absmax256(x), id = d ? 1.0f / d : 0.0f;
        f2h(o + 52, d);
        for (int m = 0; m < 32; ++m) o[m] = pack_trits(x + m, 32, 5, id);
        for (int m = 0; m < 16; ++m) o[32 + m] = pack_trits(x + 160 + m, 16, 5, id);
        for (int j = 0; j < 4; ++j) o[48 + j] = pack_trits(x + 240 + j, 4, 4, id);
    }
}

static float trit(uint8_t b, int n)
{
    static const uint8_t pow3[5] = {1, 3, 9, 27, 81};
    uint8_t q = (uint8_t)(b * pow3[n]);
    return (float)((((uint16_t)q * 3) >> 8) - 1);
}

static void deq_tq1_0(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 54) {
        const float d = h2f(p + 52);
        for (int n = 0; n < 5; ++n)
            for (int m = 0; m < 32; ++m) *y++ = trit(p[m], n) * d;
        for (int n = 0; n < 5; ++n)
            for (int m = 0; m < 16; ++m) *y++ = trit(p[32 + m], n) * d;
        for (int n = 0; n < 4; ++n)
            for (int j = 0; j < 4; ++j) *y++ = trit(p[48 + j], n) * d;
    }
}

static void quant_tq2_0(const float *x, uint8_t *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++, x += QK_K, o += 66) {
        const float d = absmax256(x), id = d ? 1.0f / d : 0.0f;
        f2h(o + 64, d);
        for (int j = 0; j < 64; j += 32)
            for (int m = 0; m < 32; ++m) {
                unsigned q = 0;
                for (int n = 0; n < 4; ++n)
                    q |= ((unsigned)(lroundf(x[j * 4 + m + n * 32] * id) + 1) & 3) << (2 * n);
                o[j + m] = (uint8_t)q;
            }
    }
}

static void deq_tq2_0(const uint8_t *p, float *y, size_t nb)
{
    for (size_t i = 0; i < nb; i++, p += 66) {
        const float d = h2f(p + 64);
        for (int j = 0; j < 64; j += 32)
            for (int l = 0; l < 4; ++l)
                for (int m = 0; m < 32; ++m) *y++ = (float)(((p[j + m] >> (l * 2)) & 3) - 1) * d;
    }
}

/* ------------------------------------------------------------------ dispatch */

static void deq_q4_0_blocks(const uint8_t *p, float *y, size_t nb) { dequantize_row_q4_0(p, y, nb * QK); }
static void deq_q8_0_blocks(const uint8_t *p, float *y, size_t nb) { dequantize_row_q8_0(p, y, nb * QK); }
static void quant_q4_0_blocks(const float *x, uint8_t *o, size_t nb) { quantize_row_q4_0(x, o, nb * QK); }
static void quant_q8_0_blocks(const float *x, uint8_t *o, size_t nb) { quantize_row_q8_0(x, o, nb * QK); }

typedef struct {
    gguf_type_t type;
    void (*deq)(const uint8_t *, float *, size_t);
    void (*quant)(const float *, uint8_t *, size_t);
    quant_field_t fields[2]; /* kind QF_NONE ends the list */
} block_codec_t;

#define F16(o) {(o), QF_FP16}
#define NOF {0, QF_NONE}
static const block_codec_t codecs[] = {
    {GGML_TYPE_Q4_0, deq_q4_0_blocks, quant_q4_0_blocks, {F16(0), NOF}},
    {GGML_TYPE_Q4_1, deq_q4_1, quant_q4_1, {F16(0), F16(2)}},
    {GGML_TYPE_Q5_0, deq_q5_0, quant_q5_0, {F16(0), NOF}},
    {GGML_TYPE_Q5_1, deq_q5_1, quant_q5_1, {F16(0), F16(2)}},
    {GGML_TYPE_Q8_0, deq_q8_0_blocks, quant_q8_0_blocks, {F16(0), NOF}},
    {GGML_TYPE_Q2_K, deq_q2_k, quant_q2_k, {F16(80), F16(82)}},
    {GGML_TYPE_Q3_K, deq_q3_k, quant_q3_k, {F16(108), NOF}},
    {GGML_TYPE_Q4_K, deq_q4_k, quant_q4_k, {F16(0), F16(2)}},
    {GGML_TYPE_Q5_K, deq_q5_k, quant_q5_k, {F16(0), F16(2)}},
    {GGML_TYPE_Q6_K, deq_q6_k, quant_q6_k, {F16(208), NOF}},
    {GGML_TYPE_Q8_K, deq_q8_k, quant_q8_k, {{0, QF_FP32}, NOF}},
    {GGML_TYPE_IQ4_NL, deq_iq4_nl, quant_iq4_nl, {F16(0), NOF}},
    {GGML_TYPE_IQ4_XS, deq_iq4_xs, quant_iq4_xs, {F16(0), NOF}},
    {GGML_TYPE_TQ1_0, deq_tq1_0, quant_tq1_0, {F16(52), NOF}},
    {GGML_TYPE_TQ2_0, deq_tq2_0, quant_tq2_0, {F16(64), NOF}},
};

static const block_codec_t *codec(gguf_type_t t)
{
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
        if (codecs[i].type == t) return &codecs[i];
    return NULL;
}

int dequantize_blocks(gguf_type_t t, const void *src, float *y, size_t n)
{
    const block_codec_t *c = codec(t);
    size_t bs = (size_t)gguf_type_block(t);
    if (!c || n % bs) return -1;
    c->deq(src, y, n / bs);
    return 0;
}

int quantize_blocks(gguf_type_t t, const float *x, void *dst, size_t n)
{
    const block_codec_t *c = codec(t);
    size_t bs = (size_t)gguf_type_block(t);
    if (!c || n % bs) return -1;
    c->quant(x, dst, n / bs);
    return 0;
}

int quant_float_fields(gguf_type_t t, const quant_field_t **fields)
{
    static const quant_field_t f32 = {0, QF_FP32}, f16 = {0, QF_FP16}, bf16 = {0, QF_BF16};
    *fields = t == GGML_TYPE_F32 ? &f32 : t == GGML_TYPE_F16 ? &f16 : t == GGML_TYPE_BF16 ? &bf16 : NULL;
    if (*fields) return 1;
    const block_codec_t *c = codec(t);
    if (!c) return 0;
    *fields = c->fields;
    return c->fields[1].kind == QF_NONE ? 1 : 2;
}
