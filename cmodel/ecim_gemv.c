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
 * vectorizes: with sh = Ew + Ex - 26 <= 24, |P << max(sh,0)| < 2^61, so
 * floor(P * 2^sh) = ((P << a) + 2^62) >> b - 2^(62-b) with logical shifts only
 * (a = max(sh, 0), b = max(-sh, 0) <= 24).  Returns 1 when some column has sh > 24 (absurd
 * scales that may saturate): the caller then takes the exact scalar path for that group. */
static ECIM_ALWAYS_INLINE int group_terms_w4(const int32_t S[ECIM_COLS], const uint8_t *ws,
                                             int32_t mx, int ex, int64_t term[ECIM_COLS])
{
    const uint64_t bias = 1ull << 62;
    int bad = 0;
    for (int c = 0; c < ECIM_COLS; c++) {
        uint32_t h = (uint32_t)ws[2 * c] | ((uint32_t)ws[2 * c + 1] << 8);
        int32_t e = (int32_t)((h >> 10) & 31);
        int32_t m = (int32_t)(h & 1023) | (e ? 1024 : 0);
        int32_t mm = (h & 0x8000u) ? -m : m;
        int32_t sh = (e ? e : 1) + ex - (50 - ECIM_FRAC_BITS);
        bad |= sh > 24;
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
 * arithmetic, used for WBits != 4 and for groups whose scales may saturate. */
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
            if (wbits == 4) {
                group_dot_w4(wrows, x, S);
                if (!group_terms_w4(S, ws, (int32_t)mx, ex, term)) {
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

#if defined(__GNUC__) && defined(__x86_64__)
/* AVX2 version, compiled for AVX2 whatever the build flags and chosen at run time when the
 * CPU has it.  The dot product of a group uses vpmaddubsw on |x| and sign(w, x):
 * |x| * (w * sgn x) summed in pairs of rows; |pair| <= 2 * 8 * 127 and the 16 pairs of a group
 * sum to at most 32512, so the int16 lanes never saturate.  Terms and accumulation reuse the
 * portable branch-free code above (vectorized here with 256-bit lanes). */
#include <immintrin.h>
#define ECIM_HAVE_AVX2_CLONE 1
#ifndef ECIM_PREFETCH
#define ECIM_PREFETCH 4096 /* bytes ahead; prefetching past the end is harmless */
#endif

__attribute__((target("avx2"))) static inline void group_dot_w4_avx2(const uint8_t *rows,
                                                                     const int8_t *x,
                                                                     int32_t S[ECIM_COLS])
{
    const __m256i m4 = _mm256_set1_epi8(15), m8 = _mm256_set1_epi8(8);
    const __m256i inter = _mm256_setr_epi8(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15,
                                           0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
    __m256i acc_e = _mm256_setzero_si256(), acc_o = _mm256_setzero_si256();
    for (int r = 0; r < ECIM_GROUP; r += 2) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(rows + r * 16)); /* rows r, r+1 */
        __m256i lo = _mm256_sub_epi8(_mm256_xor_si256(_mm256_and_si256(v, m4), m8), m8);
        __m256i hi = _mm256_sub_epi8(
            _mm256_xor_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), m4), m8), m8);
        /* [r.0-7, r+1.0-7 | r.8-15, r+1.8-15] then interleave bytes of r and r+1 */
        lo = _mm256_shuffle_epi8(_mm256_permute4x64_epi64(lo, 0xd8), inter);
        hi = _mm256_shuffle_epi8(_mm256_permute4x64_epi64(hi, 0xd8), inter);
        uint16_t pair = (uint16_t)((uint8_t)x[r] | ((uint16_t)(uint8_t)x[r + 1] << 8));
        __m256i xp = _mm256_set1_epi16((short)pair);
        __m256i ax = _mm256_abs_epi8(xp);
        acc_e = _mm256_add_epi16(acc_e, _mm256_maddubs_epi16(ax, _mm256_sign_epi8(lo, xp)));
        acc_o = _mm256_add_epi16(acc_o, _mm256_maddubs_epi16(ax, _mm256_sign_epi8(hi, xp)));
    }
    int16_t e[16], o[16];
    _mm256_storeu_si256((__m256i *)(void *)e, acc_e);
    _mm256_storeu_si256((__m256i *)(void *)o, acc_o);
    for (int b = 0; b < 16; b++) {
        S[2 * b] = e[b];
        S[2 * b + 1] = o[b];
    }
}

/* acc[0..3] += terms of 4 columns (int64 lanes), saturating; S4, M4: int32 (as int64 lanes),
 * sh4: int64 shift amounts. */
__attribute__((target("avx2"))) static inline __m256i term_acc4_avx2(__m256i acc, __m128i S4,
                                                                     __m128i M4, __m128i sh4)
{
    const __m256i bias = _mm256_set1_epi64x((long long)(1ull << 62)), zero = _mm256_setzero_si256();
    __m256i p = _mm256_mul_epi32(_mm256_cvtepi32_epi64(S4), _mm256_cvtepi32_epi64(M4));
    __m256i sh = _mm256_cvtepi32_epi64(sh4);
    __m256i a = _mm256_max_epi32(sh, zero); /* sh in [-24, 24]: 32-bit max is enough per lane */
    a = _mm256_and_si256(a, _mm256_set1_epi64x(63));
    __m256i b = _mm256_and_si256(_mm256_max_epi32(_mm256_sub_epi64(zero, sh), zero), _mm256_set1_epi64x(63));
    __m256i u = _mm256_add_epi64(_mm256_sllv_epi64(p, a), bias);
    __m256i t = _mm256_sub_epi64(_mm256_srlv_epi64(u, b), _mm256_srlv_epi64(bias, b));
    __m256i r = _mm256_add_epi64(acc, t);
    __m256i ovf = _mm256_cmpgt_epi64(zero, _mm256_and_si256(_mm256_xor_si256(acc, r), _mm256_xor_si256(t, r)));
    __m256i sat = _mm256_xor_si256(_mm256_set1_epi64x(INT64_MAX), _mm256_cmpgt_epi64(zero, acc));
    return _mm256_blendv_epi8(r, sat, ovf);
}

__attribute__((target("avx2"))) static void colblock_w4_avx2(const uint8_t *packed, int K, int nb,
                                                             int kblocks, const int8_t *xq,
                                                             const uint16_t *xs,
                                                             int64_t acc[ECIM_COLS])
{
    __m256i A[8];
    for (int i = 0; i < 8; i++) A[i] = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4 * i));
    const __m256i c31 = _mm256_set1_epi32(31), c1023 = _mm256_set1_epi32(1023),
                  c1024 = _mm256_set1_epi32(1024), one = _mm256_set1_epi32(1), z = _mm256_setzero_si256();
    for (int kb = 0; kb < kblocks; kb++) {
        int rows;
        const uint8_t *blk = packed + ecim_block_offset(K, 4, nb, kb, &rows);
        const uint8_t *scales = blk + (size_t)rows * 16;
        for (int gl = 0; gl < rows / ECIM_GROUP; gl++) {
            int g = kb * (ECIM_ROWS / ECIM_GROUP) + gl;
            if ((xs[g] & 0x7fff) == 0) continue; /* zero x scale: every term is 0 */
            int32_t S[ECIM_COLS];
            /* The matrix is one linear stream: fetch ~4 KiB ahead so DRAM latency hides behind
             * the arithmetic (the hardware prefetcher alone leaves half the bandwidth unused). */
            for (int off = 0; off < ECIM_GROUP * 16 + ECIM_COLS * 2; off += 64)
                _mm_prefetch((const char *)(blk + (size_t)gl * ECIM_GROUP * 16) + ECIM_PREFETCH + off, _MM_HINT_T0);
            group_dot_w4_avx2(blk + (size_t)gl * ECIM_GROUP * 16, xq + (size_t)g * ECIM_GROUP, S);
            int64_t mx;
            int ex;
            ecim_fp16_decode(xs[g], &mx, &ex);
            const uint8_t *ws = scales + (size_t)gl * (ECIM_COLS * 2);
            __m256i M8[4], SH8[4];
            int bad = 0;
            for (int q = 0; q < 4; q++) {
                __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(ws + 16 * q)));
                __m256i e = _mm256_and_si256(_mm256_srli_epi32(h, 10), c31);
                __m256i nz = _mm256_cmpgt_epi32(e, z);
                __m256i m = _mm256_or_si256(_mm256_and_si256(h, c1023), _mm256_and_si256(nz, c1024));
                m = _mm256_sign_epi32(m, _mm256_or_si256(_mm256_slli_epi32(h, 16), one));
                M8[q] = _mm256_mullo_epi32(m, _mm256_set1_epi32((int)mx));
                SH8[q] = _mm256_add_epi32(_mm256_max_epi32(e, one), _mm256_set1_epi32(ex - (50 - ECIM_FRAC_BITS)));
                bad |= _mm256_movemask_epi8(_mm256_cmpgt_epi32(SH8[q], _mm256_set1_epi32(24)));
            }
            if (bad) { /* absurd scales: exact scalar path for this group */
                for (int i = 0; i < 8; i++) _mm256_storeu_si256((__m256i *)(void *)(acc + 4 * i), A[i]);
                add_exact_terms(acc, S, ws, mx, ex);
                for (int i = 0; i < 8; i++) A[i] = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4 * i));
                continue;
            }
            for (int q = 0; q < 4; q++) {
                __m256i s8 = _mm256_loadu_si256((const __m256i *)(const void *)(S + 8 * q));
                A[2 * q] = term_acc4_avx2(A[2 * q], _mm256_castsi256_si128(s8), _mm256_castsi256_si128(M8[q]),
                                          _mm256_castsi256_si128(SH8[q]));
                A[2 * q + 1] = term_acc4_avx2(A[2 * q + 1], _mm256_extracti128_si256(s8, 1),
                                              _mm256_extracti128_si256(M8[q], 1), _mm256_extracti128_si256(SH8[q], 1));
            }
        }
    }
    for (int i = 0; i < 8; i++) _mm256_storeu_si256((__m256i *)(void *)(acc + 4 * i), A[i]);
}
#endif

/* -1: not decided yet (AVX2 when the CPU has it), 0: portable code, 1: AVX2. */
static int simd_mode = -1;

int ecim_gemv_set_simd(int enable)
{
#ifdef ECIM_HAVE_AVX2_CLONE
    simd_mode = enable && __builtin_cpu_supports("avx2") ? 1 : 0;
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
    int use_avx2 = 0;
#ifdef ECIM_HAVE_AVX2_CLONE
    if (simd_mode < 0) simd_mode = __builtin_cpu_supports("avx2") ? 1 : 0;
    use_avx2 = wbits == 4 && simd_mode == 1;
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
        if (use_avx2)
            colblock_w4_avx2(packed, K, nb, kblocks, xq, xs, acc);
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
