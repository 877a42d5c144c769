/* SPDX-License-Identifier: Apache-2.0 */
/* Bit-exact functional GEMV of the EdgeCIM accelerator; see ecim_gemv.h and
 * docs/NUMERICS.md ("Output").  Only integer arithmetic; portable C11 (no
 * reliance on implementation-defined shifts of negative numbers). */
#include "ecim_gemv.h"

#include <string.h>

#if defined(__GNUC__)
#define ECIM_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ECIM_ALWAYS_INLINE inline
#endif


int64_t ecim_sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b) return INT64_MIN;
    return a + b;
}

/* floor(p / 2^s) for s in [0, 63], without shifting a negative number. */
static int64_t floor_shift(int64_t p, int s)
{
    return p >= 0 ? (p >> s) : ~((~p) >> s);
}

/* P * 2^s saturated to int64, s in [0, 63]. */
static int64_t sat_shl(int64_t p, int s)
{
    if (p > (INT64_MAX >> s)) return INT64_MAX;
    if (p < floor_shift(INT64_MIN, s)) return INT64_MIN; /* = -(INT64_MAX >> s) - 1 */
    return p * ((int64_t)1 << s);
}

static int64_t term_from(int64_t S, int64_t mw, int ew, int64_t mx, int ex)
{
    int64_t p = S * mw * mx;                      /* |p| < 2^53 for WBits <= 8 */
    int sh = ew + ex - (50 - ECIM_FRAC_BITS);
    return sh >= 0 ? sat_shl(p, sh) : floor_shift(p, -sh);
}

int64_t ecim_group_term(int64_t S, uint16_t w_scale, uint16_t x_scale)
{
    int64_t mw, mx;
    int ew, ex;
    ecim_fp16_decode(w_scale, &mw, &ew);
    ecim_fp16_decode(x_scale, &mx, &ex);
    return term_from(S, mw, ew, mx, ex);
}

static int check_args(const uint8_t *packed, int K, int N, int wbits, const int8_t *xq,
                      const uint16_t *xs, int64_t *y)
{
    return packed && xq && xs && y && K > 0 && N > 0 && ecim_wbits_ok(wbits);
}

/* ---------------------------------------------------------------- reference */

int ecim_gemv_ref(const uint8_t *packed, int K, int N, int wbits,
                  const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                  int accumulate, int64_t *y)
{
    if (!check_args(packed, K, N, wbits, xq, xs, y)) return ECIM_EINVAL;
    int groups = ecim_round_up(K, ECIM_GROUP) / ECIM_GROUP;
    for (int n = 0; n < N; n++) {
        int64_t acc = accumulate ? y[n] : 0;
        if (bias) acc = ecim_sat_add(acc, bias[n]);
        for (int g = 0; g < groups; g++) {
            int64_t S = 0;
            for (int i = 0; i < ECIM_GROUP; i++) {
                int k = g * ECIM_GROUP + i;
                S += (int64_t)ecim_fmt_weight(packed, K, wbits, n, k) * xq[k];
            }
            int64_t term = ecim_group_term(S, ecim_fmt_scale(packed, K, wbits, n, g * ECIM_GROUP), xs[g]);
            acc = ecim_sat_add(acc, term);
        }
        y[n] = acc;
    }
    return ECIM_OK;
}

/* --------------------------------------------------------------------- fast */

/* S[c] for the 32 rows of one group of an INT4 block.  Even columns sit in low
 * nibbles, odd in high nibbles: two 16-lane int16 accumulators, which gcc
 * vectorizes.  |S| <= 32 * 8 * 127 = 32512 fits int16. */
static ECIM_ALWAYS_INLINE void group_dot_w4(const uint8_t *rows, const int8_t *x, int32_t S[ECIM_COLS])
{
    int16_t even[16] = {0}, odd[16] = {0};
    for (int r = 0; r < ECIM_GROUP; r++) {
        const uint8_t *row = rows + r * 16;
        int16_t xv = x[r];
        for (int b = 0; b < 16; b++) {
            int16_t lo = (int16_t)(((row[b] & 15) ^ 8) - 8);
            int16_t hi = (int16_t)(((row[b] >> 4) ^ 8) - 8);
            even[b] = (int16_t)(even[b] + lo * xv);
            odd[b] = (int16_t)(odd[b] + hi * xv);
        }
    }
    for (int b = 0; b < 16; b++) {
        S[2 * b] = even[b];
        S[2 * b + 1] = odd[b];
    }
}

/* S[c] for the 32 rows of one group of an INT8 block: a row is 32 signed bytes, one per
 * column (what group_dot_generic unpacks for WBits 8).  |S| <= 32 * 128 * 127 < 2^19. */
static ECIM_ALWAYS_INLINE void group_dot_w8(const uint8_t *rows, const int8_t *x, int32_t S[ECIM_COLS])
{
    for (int c = 0; c < ECIM_COLS; c++) S[c] = 0;
    for (int r = 0; r < ECIM_GROUP; r++) {
        const int8_t *row = (const int8_t *)(rows + r * ECIM_COLS);
        int32_t xv = x[r];
        for (int c = 0; c < ECIM_COLS; c++) S[c] += row[c] * xv;
    }
}

/* Generic WBits: unpack each row, multiply-add in int32 lanes. */
static void group_dot_generic(const uint8_t *rows, const int8_t *x, int wbits, int32_t S[ECIM_COLS])
{
    int rb = ecim_row_bytes(wbits);
    unsigned mask = (1u << wbits) - 1;
    for (int c = 0; c < ECIM_COLS; c++) S[c] = 0;
    for (int r = 0; r < ECIM_GROUP; r++) {
        const uint8_t *row = rows + r * rb;
        int32_t w[ECIM_COLS];
        for (int c = 0; c < ECIM_COLS; c++) {
            int bit = c * wbits;
            w[c] = ecim_sext((row[bit >> 3] >> (bit & 7)) & mask, wbits);
        }
        int32_t xv = x[r];
        for (int c = 0; c < ECIM_COLS; c++) S[c] += w[c] * xv;
    }
}

/* Terms of one group for the 32 columns of a block, in a branch-free form the compiler
 * vectorizes: with sh = Ew + Ex - 26 <= shmax, |P << max(sh,0)| < 2^61 (INT4: |S| < 2^15,
 * shmax 24; INT8: |S| < 2^19, shmax 20), so
 * floor(P * 2^sh) = ((P << a) + 2^62) >> b - 2^(62-b) with logical shifts only
 * (a = max(sh, 0), b = max(-sh, 0) <= 24).  Returns 1 when some column has sh > shmax (absurd
 * scales that may saturate): the caller then takes the exact scalar path for that group. */
static ECIM_ALWAYS_INLINE int group_terms(const int32_t S[ECIM_COLS], const uint8_t *ws,
                                          int32_t mx, int ex, int shmax, int64_t term[ECIM_COLS])
{
    const uint64_t bias = 1ull << 62;
    int bad = 0;
    for (int c = 0; c < ECIM_COLS; c++) {
        uint32_t h = (uint32_t)ws[2 * c] | ((uint32_t)ws[2 * c + 1] << 8);
        int32_t e = (int32_t)((h >> 10) & 31);
        int32_t m = (int32_t)(h & 1023) | (e ? 1024 : 0);
        int32_t mm = (h & 0x8000u) ? -m : m;
        int32_t sh = (e ? e : 1) + ex - (50 - ECIM_FRAC_BITS);
        bad |= sh > shmax;
        int64_t p = (int64_t)S[c] * (int64_t)(mm * mx); /* |mm * mx| < 2^22 */
        uint32_t a = sh > 0 ? (uint32_t)sh : 0, b = sh < 0 ? (uint32_t)-sh : 0;
        a &= 63;
        uint64_t u = ((uint64_t)p << a) + bias;
        term[c] = (int64_t)((u >> b) - (bias >> b));
    }
    return bad;
}

/* Saturating acc += term for 32 lanes, branch-free. */
static ECIM_ALWAYS_INLINE void acc_add32(int64_t acc[ECIM_COLS], const int64_t term[ECIM_COLS])
{
    for (int c = 0; c < ECIM_COLS; c++) {
        int64_t a = acc[c], t = term[c];
        int64_t r = (int64_t)((uint64_t)a + (uint64_t)t);
        int64_t sat = a < 0 ? INT64_MIN : INT64_MAX;
        acc[c] = ((a ^ r) & (t ^ r)) < 0 ? sat : r;
    }
}

/* Exact scalar terms of one group: acc[c] = saturate(acc[c] + term(c)).  The reference
 * arithmetic, used for WBits 2 and for groups whose scales may saturate. */
static void add_exact_terms(int64_t acc[ECIM_COLS], const int32_t S[ECIM_COLS], const uint8_t *ws,
                            int64_t mx, int ex)
{
    for (int c = 0; c < ECIM_COLS; c++) {
        int64_t mw;
        int ew;
        ecim_fp16_decode((uint16_t)(ws[2 * c] | (ws[2 * c + 1] << 8)), &mw, &ew);
        acc[c] = ecim_sat_add(acc[c], term_from(S[c], mw, ew, mx, ex));
    }
}

/* All row blocks of one 32-column block, portable C (any WBits). */
static void colblock_portable(const uint8_t *packed, int K, int wbits, int nb, int kblocks,
                              const int8_t *xq, const uint16_t *xs, int64_t acc[ECIM_COLS])
{
    int rb = ecim_row_bytes(wbits);
    for (int kb = 0; kb < kblocks; kb++) {
        int rows;
        const uint8_t *blk = packed + ecim_block_offset(K, wbits, nb, kb, &rows);
        const uint8_t *scales = blk + (size_t)rows * rb;
        for (int gl = 0; gl < rows / ECIM_GROUP; gl++) {
            int g = kb * (ECIM_ROWS / ECIM_GROUP) + gl;
            if ((xs[g] & 0x7fff) == 0) continue; /* zero x scale: every term is 0 */
            const uint8_t *wrows = blk + (size_t)gl * ECIM_GROUP * rb, *ws = scales + (size_t)gl * (ECIM_COLS * 2);
            const int8_t *x = xq + (size_t)g * ECIM_GROUP;
            int32_t S[ECIM_COLS];
            int64_t mx, term[ECIM_COLS];
            int ex;
            ecim_fp16_decode(xs[g], &mx, &ex);
            if (wbits == 4 || wbits == 8) {
                if (wbits == 4) group_dot_w4(wrows, x, S);
                else group_dot_w8(wrows, x, S);
                if (!group_terms(S, ws, (int32_t)mx, ex, wbits == 4 ? 24 : 20, term)) {
                    acc_add32(acc, term);
                    continue;
                }
            } else {
                group_dot_generic(wrows, x, wbits, S);
            }
            add_exact_terms(acc, S, ws, mx, ex);
        }
    }
}

/* The host layout's column block (ECIM_COLS, fmt/ecim_fmt.h) is what the kernels are written
 * for: 32 outputs (16 bytes of an INT4 row) and groups of 32 inputs.  ECIM_COLS, not the
 * hardware's MacroCols: the device layout of the hardware is not read here. */
/* (gcc only: clang 14's __builtin_cpu_supports knows no "f16c"; the fuzzing builds use clang and
 * run the portable code.) */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && ECIM_COLS == 32 && ECIM_GROUP_ROWS == 32
/* SIMD versions for INT4, compiled for their instruction sets whatever the build flags and
 * chosen at run time: AVX2 (+F16C) and AVX-512 (F/BW/VL/VNNI/VBMI/DQ).  Exact like the rest,
 * and fast by two observations:
 *  - Dot products.  With q = w + 8 in [0, 15] (the stored nibble xor 8), S = sum q x - 8 sum x:
 *    q is the unsigned operand of vpmaddubsw/vpdpbusd and x the signed one, no sign games.
 *  - Terms.  Read as floats (vcvtph2ps is exact and handles subnormals as E = 1 does),
 *    w_scale * x_scale * 2^24 is exact in float (22 mantissa bits) and equals Mw Mx 2^sh, so
 *    the term floor(P 2^sh) is floor(S * that) in double, exact since |P| < 2^37.  Terms are
 *    summed in double while that is exact: every term of a group with sh <= shmax is below
 *    2^(37 + shmax), chosen so that all groups together stay below 2^53.  Such sums cannot
 *    saturate an accumulator that starts within +-2^62, so adding them to it in int64 at the
 *    end is the saturating sequence of the spec.  Anything else - exponent-31 scales, sh >
 *    shmax, accumulators beyond 2^62 - takes the exact scalar path of the portable code. */
#include <immintrin.h>
#define ECIM_HAVE_AVX2_CLONE 1
#ifndef ECIM_PREFETCH
#define ECIM_PREFETCH 4096 /* bytes ahead; prefetching past the end is harmless */
#endif
#define ECIM_SAFE_ACC ((int64_t)1 << 62)
#define ECIM_AVX2_TARGET "avx2,f16c"
#define ECIM_AVX512_TARGET "avx2,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi,avx512dq"
#define ECIM_GROUP_BYTES (ECIM_GROUP * 16) /* weight bytes of one INT4 group of a block */

/* Largest sh whose terms, over `groups` groups, sum exactly in double (< 2^53 in magnitude). */
static int simd_shmax(int groups)
{
    int lg = 0;
    while ((1 << lg) < groups) lg++;
    return 53 - 37 - lg - 1;
}

/* For a group of x scale xs: the largest weight exponent field whose terms take the double
 * path (sh <= shmax  <=>  Ew <= shmax + 26 - Ex, and never 31), or 0 if none does. */
static int group_emax(uint16_t xs, int shmax)
{
    int ex = (xs >> 10) & 31, emax = shmax + 26 - (ex ? ex : 1);
    if (ex == 31 || emax < 1) return 0;
    return emax > 30 ? 30 : emax;
}

static int acc_in_safe_range(const int64_t acc[ECIM_COLS])
{
    int ok = 1;
    for (int c = 0; c < ECIM_COLS; c++) ok &= acc[c] >= -ECIM_SAFE_ACC && acc[c] <= ECIM_SAFE_ACC;
    return ok;
}

/* The spec's saturating terms of one group (acc holds every earlier term); returns 1 while
 * acc stays in the range where the double path may resume. */
static int exact_group(int64_t acc[ECIM_COLS], const int32_t S[ECIM_COLS], const uint8_t *ws, uint16_t xs)
{
    int64_t mx;
    int ex;
    ecim_fp16_decode(xs, &mx, &ex);
    add_exact_terms(acc, S, ws, mx, ex);
    return acc_in_safe_range(acc);
}

/* The matrix is one linear stream: fetch ~4 KiB ahead so DRAM latency hides behind the
 * arithmetic (the hardware prefetcher alone leaves part of the bandwidth unused). */
__attribute__((target("sse2"))) static inline void prefetch_group(const uint8_t *wrows)
{
    for (int off = 0; off < ECIM_GROUP_BYTES + ECIM_COLS * 2; off += 64)
        _mm_prefetch((const char *)wrows + ECIM_PREFETCH + off, _MM_HINT_T0);
}

/* 8 sum x over a group (|.| <= 32512), from the byte sums of x ^ 0x80 = x + 128. */
__attribute__((target(ECIM_AVX2_TARGET))) static inline int group_8sum_x(const int8_t *x)
{
    __m256i xv = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)x), _mm256_set1_epi8(-128));
    __m256i sad = _mm256_sad_epu8(xv, _mm256_setzero_si256());
    __m128i s2 = _mm_add_epi64(_mm256_castsi256_si128(sad), _mm256_extracti128_si256(sad, 1));
    return 8 * (_mm_cvtsi128_si32(_mm_add_epi64(s2, _mm_unpackhi_epi64(s2, s2))) - 128 * ECIM_GROUP);
}

/* ------------------------------------------------------------------------- AVX2 */

/* S of the 32 columns of one group as int16, columns 8j .. 8j+7 in S16[j].  vpunpck{l,h}bw of
 * rows [r | r+1] and [r+2 | r+3] puts one column of rows r and r+2 (r+1 and r+3 in the upper
 * lane) side by side, which vpmaddubsw multiplies by (x r, x r+2) and sums.  A lane sums 16
 * products |q x| <= 1905 (< 2^15); lanes and the correction are added with wrap-around, exact
 * because the true |S| <= 32512 fits int16. */
__attribute__((target(ECIM_AVX2_TARGET))) static inline void group_dot_w4_avx2(const uint8_t *rows,
                                                                             const int8_t *x, __m128i S16[4])
{
    const __m256i m4 = _mm256_set1_epi8(15), m88 = _mm256_set1_epi8((char)0x88);
    const __m256i xpat = _mm256_setr_epi8(0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2,
                                          1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3);
    __m256i aLL = _mm256_setzero_si256(), aLH = aLL, aHL = aLL, aHH = aLL;
#pragma GCC unroll 8
    for (int r = 0; r < ECIM_GROUP; r += 4) {
        __m256i A = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)(rows + r * 16)), m88);
        __m256i B = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)(rows + r * 16 + 32)), m88);
        __m256i u0 = _mm256_unpacklo_epi8(A, B), u1 = _mm256_unpackhi_epi8(A, B);
        int32_t x4;
        memcpy(&x4, x + r, 4);
        __m256i X = _mm256_shuffle_epi8(_mm256_set1_epi32(x4), xpat); /* (x r, x r+2) | (x r+1, x r+3) */
        aLL = _mm256_add_epi16(aLL, _mm256_maddubs_epi16(_mm256_and_si256(u0, m4), X));
        aLH = _mm256_add_epi16(aLH, _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(u0, 4), m4), X));
        aHL = _mm256_add_epi16(aHL, _mm256_maddubs_epi16(_mm256_and_si256(u1, m4), X));
        aHH = _mm256_add_epi16(aHH, _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(u1, 4), m4), X));
    }
    /* Fold the two row sets (lanes), remove 8 sum x: columns 2i (LL), 2i+1 (LH), 16+2i (HL), 17+2i (HH). */
    __m128i corr = _mm_set1_epi16((short)group_8sum_x(x));
    __m128i LL = _mm_sub_epi16(_mm_add_epi16(_mm256_castsi256_si128(aLL), _mm256_extracti128_si256(aLL, 1)), corr);
    __m128i LH = _mm_sub_epi16(_mm_add_epi16(_mm256_castsi256_si128(aLH), _mm256_extracti128_si256(aLH, 1)), corr);
    __m128i HL = _mm_sub_epi16(_mm_add_epi16(_mm256_castsi256_si128(aHL), _mm256_extracti128_si256(aHL, 1)), corr);
    __m128i HH = _mm_sub_epi16(_mm_add_epi16(_mm256_castsi256_si128(aHH), _mm256_extracti128_si256(aHH, 1)), corr);
    S16[0] = _mm_unpacklo_epi16(LL, LH);
    S16[1] = _mm_unpackhi_epi16(LL, LH);
    S16[2] = _mm_unpacklo_epi16(HL, HH);
    S16[3] = _mm_unpackhi_epi16(HL, HH);
}

/* D[i] (columns 4i .. 4i+3) += floor(S * w_scale * xf); returns 1 (adding nothing) if some
 * weight scale has an exponent field above emax. */
__attribute__((target(ECIM_AVX2_TARGET))) static ECIM_ALWAYS_INLINE int terms_acc_avx2(__m256d D[8], const __m128i S16[4],
                                                                         const uint8_t *ws, int emax, __m256 xf)
{
    const __m256i em = _mm256_set1_epi16(0x7c00), thr = _mm256_set1_epi16((short)(emax << 10));
    __m256i w0 = _mm256_loadu_si256((const __m256i *)(const void *)ws);
    __m256i w1 = _mm256_loadu_si256((const __m256i *)(const void *)(ws + 32));
    __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi16(_mm256_and_si256(w0, em), thr),
                                  _mm256_cmpgt_epi16(_mm256_and_si256(w1, em), thr));
    if (!_mm256_testz_si256(bad, bad)) return 1;
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {
        __m256 m = _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(ws + 16 * j))), xf);
        __m256d m0 = _mm256_cvtps_pd(_mm256_castps256_ps128(m)), m1 = _mm256_cvtps_pd(_mm256_extractf128_ps(m, 1));
        __m256d s0 = _mm256_cvtepi32_pd(_mm_cvtepi16_epi32(S16[j]));
        __m256d s1 = _mm256_cvtepi32_pd(_mm_cvtepi16_epi32(_mm_srli_si128(S16[j], 8)));
        D[2 * j] = _mm256_add_pd(D[2 * j], _mm256_round_pd(_mm256_mul_pd(s0, m0), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
        D[2 * j + 1] = _mm256_add_pd(D[2 * j + 1], _mm256_round_pd(_mm256_mul_pd(s1, m1), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
    }
    return 0;
}

/* acc += D (exact integers below 2^53, acc within +-2^62: no saturation), D = 0. */
__attribute__((target(ECIM_AVX2_TARGET))) static ECIM_ALWAYS_INLINE void flush_avx2(int64_t acc[ECIM_COLS], __m256d D[8])
{
    double d[ECIM_COLS];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        _mm256_storeu_pd(d + 4 * i, D[i]);
        D[i] = _mm256_setzero_pd();
    }
    for (int c = 0; c < ECIM_COLS; c++) acc[c] += (int64_t)d[c];
}

__attribute__((target(ECIM_AVX2_TARGET))) static void colblock_w4_avx2(const uint8_t *packed, int K, int nb,
                                                                     int kblocks, const int8_t *xq,
                                                                     const uint16_t *xs, int shmax,
                                                                     int64_t acc[ECIM_COLS])
{
    __m256d D[8]; /* accumulators stay in registers: every loop over them is unrolled */
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) D[i] = _mm256_setzero_pd();
    int fast = acc_in_safe_range(acc); /* else the spec's saturating sequence, term by term */
    for (int kb = 0; kb < kblocks; kb++) {
        int rows;
        const uint8_t *blk = packed + ecim_block_offset(K, 4, nb, kb, &rows);
        for (int gl = 0; gl < rows / ECIM_GROUP; gl++) {
            int g = kb * (ECIM_ROWS / ECIM_GROUP) + gl;
            if ((xs[g] & 0x7fff) == 0) continue; /* zero x scale: every term is 0 */
            const uint8_t *wrows = blk + (size_t)gl * ECIM_GROUP_BYTES;
            const uint8_t *ws = blk + (size_t)rows * 16 + (size_t)gl * (ECIM_COLS * 2);
            prefetch_group(wrows);
            __m128i S16[4];
            group_dot_w4_avx2(wrows, xq + (size_t)g * ECIM_GROUP, S16);
            int emax = fast ? group_emax(xs[g], shmax) : 0;
            if (emax && !terms_acc_avx2(D, S16, ws, emax, _mm256_set1_ps(_cvtsh_ss(xs[g]) * 16777216.0f)))
                continue; /* 2^24 x_scale is exact in float */
            int16_t s16[ECIM_COLS];
            int32_t S[ECIM_COLS];
            for (int j = 0; j < 4; j++) _mm_storeu_si128((__m128i *)(void *)(s16 + 8 * j), S16[j]);
            for (int c = 0; c < ECIM_COLS; c++) S[c] = s16[c];
            flush_avx2(acc, D);
            fast &= exact_group(acc, S, ws, xs[g]);
        }
    }
    flush_avx2(acc, D);
}

/* ---------------------------------------------------------------------- AVX-512 */

/* S of the even (Se) and odd (So) columns of one group, int32.  One vpermb turns 4 rows
 * (64 bytes) into 16 dwords that each hold one byte position of the 4 rows, which vpdpbusd
 * multiplies by (x r .. x r+3) and sums: the low nibbles give the even columns, the high
 * nibbles (kept in place: 16 q) the odd ones, and the whole byte q_lo + 16 q_hi saves an AND. */
__attribute__((target(ECIM_AVX512_TARGET))) static inline void group_dot_w4_avx512(const uint8_t *rows,
                                                                                 const int8_t *x,
                                                                                 __m512i *Se, __m512i *So)
{
    const __m512i m88 = _mm512_set1_epi8((char)0x88), mhi = _mm512_set1_epi8((char)0xf0);
    const __m512i tr = _mm512_set_epi8(63, 47, 31, 15, 62, 46, 30, 14, 61, 45, 29, 13, 60, 44, 28, 12,
                                       59, 43, 27, 11, 58, 42, 26, 10, 57, 41, 25, 9, 56, 40, 24, 8,
                                       55, 39, 23, 7, 54, 38, 22, 6, 53, 37, 21, 5, 52, 36, 20, 4,
                                       51, 35, 19, 3, 50, 34, 18, 2, 49, 33, 17, 1, 48, 32, 16, 0);
    __m512i aF = _mm512_setzero_si512(), aH = aF;
#pragma GCC unroll 8
    for (int r = 0; r < ECIM_GROUP; r += 4) {
        __m512i v = _mm512_xor_si512(_mm512_loadu_si512((const void *)(rows + r * 16)), m88);
        v = _mm512_permutexvar_epi8(tr, v); /* dword i: byte i of rows r .. r+3 */
        int32_t x4;
        memcpy(&x4, x + r, 4);
        __m512i X = _mm512_set1_epi32(x4);
        aF = _mm512_dpbusd_epi32(aF, v, X);                        /* q_lo + 16 q_hi */
        aH = _mm512_dpbusd_epi32(aH, _mm512_and_si512(v, mhi), X); /* 16 q_hi */
    }
    __m512i corr = _mm512_set1_epi32(group_8sum_x(x));
    *Se = _mm512_sub_epi32(_mm512_sub_epi32(aF, aH), corr);
    *So = _mm512_sub_epi32(_mm512_srai_epi32(aH, 4), corr);
}

/* D[0..1] (even columns) and D[2..3] (odd) += floor(S * w_scale * xf); returns 1 (adding
 * nothing) if some weight scale has an exponent field above emax. */
__attribute__((target(ECIM_AVX512_TARGET))) static ECIM_ALWAYS_INLINE int terms_acc_avx512(__m512d D[4], __m512i Se, __m512i So,
                                                                             const uint8_t *ws, int emax, __m512 xf)
{
    const __m512i eo = _mm512_set_epi16(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1,
                                        30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    __m512i w = _mm512_loadu_si512((const void *)ws);
    if (_mm512_cmpgt_epi16_mask(_mm512_and_si512(w, _mm512_set1_epi16(0x7c00)), _mm512_set1_epi16((short)(emax << 10))))
        return 1;
    w = _mm512_permutexvar_epi16(eo, w); /* even columns, then odd */
    __m512 me = _mm512_mul_ps(_mm512_cvtph_ps(_mm512_castsi512_si256(w)), xf);
    __m512 mo = _mm512_mul_ps(_mm512_cvtph_ps(_mm512_extracti64x4_epi64(w, 1)), xf);
    const __m512d s[4] = {_mm512_cvtepi32_pd(_mm512_castsi512_si256(Se)), _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(Se, 1)),
                          _mm512_cvtepi32_pd(_mm512_castsi512_si256(So)), _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(So, 1))};
    const __m512d m[4] = {_mm512_cvtps_pd(_mm512_castps512_ps256(me)), _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(me), 1))),
                          _mm512_cvtps_pd(_mm512_castps512_ps256(mo)), _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(mo), 1)))};
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++)
        D[i] = _mm512_add_pd(D[i], _mm512_roundscale_pd(_mm512_mul_pd(s[i], m[i]), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
    return 0;
}

/* acc += D (D[0] = columns 0, 2, .., 14, D[1] = 16, .., 30, D[2..3] the odd ones), D = 0. */
__attribute__((target(ECIM_AVX512_TARGET))) static ECIM_ALWAYS_INLINE void flush_avx512(int64_t acc[ECIM_COLS], __m512d D[4])
{
    double d[ECIM_COLS];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        _mm512_storeu_pd(d + 8 * i, D[i]);
        D[i] = _mm512_setzero_pd();
    }
    for (int i = 0; i < ECIM_COLS / 2; i++) {
        acc[2 * i] += (int64_t)d[i];
        acc[2 * i + 1] += (int64_t)d[16 + i];
    }
}

__attribute__((target(ECIM_AVX512_TARGET))) static void colblock_w4_avx512(const uint8_t *packed, int K, int nb,
                                                                         int kblocks, const int8_t *xq,
                                                                         const uint16_t *xs, int shmax,
                                                                         int64_t acc[ECIM_COLS])
{
    __m512d D[4]; /* accumulators stay in registers: every loop over them is unrolled */
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) D[i] = _mm512_setzero_pd();
    int fast = acc_in_safe_range(acc);
    for (int kb = 0; kb < kblocks; kb++) {
        int rows;
        const uint8_t *blk = packed + ecim_block_offset(K, 4, nb, kb, &rows);
        for (int gl = 0; gl < rows / ECIM_GROUP; gl++) {
            int g = kb * (ECIM_ROWS / ECIM_GROUP) + gl;
            if ((xs[g] & 0x7fff) == 0) continue;
            const uint8_t *wrows = blk + (size_t)gl * ECIM_GROUP_BYTES;
            const uint8_t *ws = blk + (size_t)rows * 16 + (size_t)gl * (ECIM_COLS * 2);
            prefetch_group(wrows);
            __m512i Se, So;
            group_dot_w4_avx512(wrows, xq + (size_t)g * ECIM_GROUP, &Se, &So);
            int emax = fast ? group_emax(xs[g], shmax) : 0;
            if (emax && !terms_acc_avx512(D, Se, So, ws, emax, _mm512_set1_ps(_cvtsh_ss(xs[g]) * 16777216.0f)))
                continue;
            int32_t se[16], so[16], S[ECIM_COLS];
            _mm512_storeu_si512((void *)se, Se);
            _mm512_storeu_si512((void *)so, So);
            for (int i = 0; i < 16; i++) {
                S[2 * i] = se[i];
                S[2 * i + 1] = so[i];
            }
            flush_avx512(acc, D);
            fast &= exact_group(acc, S, ws, xs[g]);
        }
    }
    flush_avx512(acc, D);
}
#endif

#ifdef ECIM_HAVE_AVX2_CLONE
/* -1: the best level the CPU has (never written by GEMVs, so threads may run them), else the
 * level ecim_gemv_set_simd chose: 0 portable code, 1 AVX2, 2 AVX-512. */
static int simd_mode = -1;

static int cpu_level(int cap)
{
    if (cap < 1 || !__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("f16c")) return 0;
    if (cap < 2 || !__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
        !__builtin_cpu_supports("avx512vl") || !__builtin_cpu_supports("avx512vnni") ||
        !__builtin_cpu_supports("avx512vbmi") || !__builtin_cpu_supports("avx512dq"))
        return 1;
    return 2;
}
#endif

int ecim_gemv_set_simd(int enable)
{
#ifdef ECIM_HAVE_AVX2_CLONE
    simd_mode = cpu_level(enable);
    return simd_mode;
#else
    (void)enable;
    return 0;
#endif
}

int ecim_gemv_fast(const uint8_t *packed, int K, int N, int wbits,
                   const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                   int accumulate, int64_t *y)
{
    if (!check_args(packed, K, N, wbits, xq, xs, y)) return ECIM_EINVAL;
    int kp = ecim_round_up(K, ECIM_GROUP);
    int nblocks = ecim_round_up(N, ECIM_COLS) / ECIM_COLS;
    int kblocks = (kp + ECIM_ROWS - 1) / ECIM_ROWS;
#ifdef ECIM_HAVE_AVX2_CLONE
    int level = wbits != 4 ? 0 : simd_mode >= 0 ? simd_mode : cpu_level(2);
    int shmax = simd_shmax(kp / ECIM_GROUP);
#endif
    for (int nb = 0; nb < nblocks; nb++) {
        int ncols = N - nb * ECIM_COLS;
        if (ncols > ECIM_COLS) ncols = ECIM_COLS;
        int64_t acc[ECIM_COLS] = {0};
        for (int c = 0; c < ncols; c++) {
            int n = nb * ECIM_COLS + c;
            acc[c] = accumulate ? y[n] : 0;
            if (bias) acc[c] = ecim_sat_add(acc[c], bias[n]);
        }
#ifdef ECIM_HAVE_AVX2_CLONE
        if (level == 2)
            colblock_w4_avx512(packed, K, nb, kblocks, xq, xs, shmax, acc);
        else if (level == 1)
            colblock_w4_avx2(packed, K, nb, kblocks, xq, xs, shmax, acc);
        else
#endif
            colblock_portable(packed, K, wbits, nb, kblocks, xq, xs, acc);
        memcpy(y + (size_t)nb * ECIM_COLS, acc, (size_t)ncols * sizeof acc[0]);
    }
    return ECIM_OK;
}

/* ------------------------------------------------------------- device layout, reference */

int ecim_gemv_dev_ref(const ecim_geom_t *g, const uint8_t *dev, int K, int N, int wbits,
                      const int8_t *xq, const uint16_t *xs, const int64_t *bias,
                      int accumulate, int64_t *y)
{
    if (!g || !check_args(dev, K, N, wbits, xq, xs, y)) return ECIM_EINVAL;
    int groups = ecim_round_up(K, ECIM_GROUP) / ECIM_GROUP;
    for (int n = 0; n < N; n++) {
        int64_t acc = accumulate ? y[n] : 0;
        if (bias) acc = ecim_sat_add(acc, bias[n]);
        for (int gi = 0; gi < groups; gi++) {
            int64_t S = 0;
            for (int i = 0; i < ECIM_GROUP; i++) {
                int k = gi * ECIM_GROUP + i;
                S += (int64_t)ecim_dev_weight(g, dev, K, wbits, n, k) * xq[k];
            }
            acc = ecim_sat_add(acc, ecim_group_term(S, ecim_dev_scale(g, dev, K, wbits, n, gi * ECIM_GROUP), xs[gi]));
        }
        y[n] = acc;
    }
    return ECIM_OK;
}
