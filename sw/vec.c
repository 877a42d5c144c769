/* SPDX-License-Identifier: Apache-2.0 */
/* Host SIMD kernels; see vec.h. */
#include "vec.h"

#include <math.h>
#include <string.h>

#include "edgecim_hw.h"
#include "quant.h"

static int simd_enabled = 1;

void vec_set_simd(int enable) { simd_enabled = enable != 0; }

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define VEC_X86 1
static int have_avx2(void)
{
    return simd_enabled && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
static int have_avx512(void)
{
    return have_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx2,fma,avx512f,avx512dq")))
#endif

/* ------------------------------------------------------ activation quantization */

#ifdef VEC_X86
/* max |x| of 32 floats as a bit pattern: for non-negative floats the integer order is the
 * float order, and anything >= 0x7f800000 is Inf or NaN. */
AVX2 static uint32_t amax_bits32(const float *x)
{
    const __m256i abs = _mm256_set1_epi32(0x7fffffff);
    __m256i m = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)x), abs);
    for (int i = 8; i < QK; i += 8)
        m = _mm256_max_epu32(m, _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)(x + i)), abs));
    __m128i h = _mm_max_epu32(_mm256_castsi256_si128(m), _mm256_extracti128_si256(m, 1));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, 0x4e));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, 0xb1));
    return (uint32_t)_mm_cvtsi128_si32(h);
}

/* q = clamp(roundf(x / df), -127, 127) for 32 finite floats.  roundf (half away from zero)
 * is trunc plus one step away from zero when the dropped fraction is >= 0.5; x / df and
 * v - trunc(v) are exact IEEE operations, so this is the scalar result bit for bit. */
AVX2 static void quant32(const float *x, float df, int8_t *q)
{
    const __m256 d = _mm256_set1_ps(df), half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    const __m256 sign = _mm256_set1_ps(-0.0f), lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
    __m256i w[4];
    for (int i = 0; i < 4; i++) {
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(x + 8 * i), d);
        __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        __m256 frac = _mm256_andnot_ps(sign, _mm256_sub_ps(v, t));
        __m256 step = _mm256_or_ps(one, _mm256_and_ps(sign, v)); /* +-1 with the sign of v */
        __m256 r = _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, half, _CMP_GE_OQ), step));
        w[i] = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(r, lo), hi));
    }
    /* packs work per 128-bit lane: bytes come out as 0-3 8-11 16-19 24-27 | 4-7 12-15 ... */
    __m256i b = _mm256_packs_epi16(_mm256_packs_epi32(w[0], w[1]), _mm256_packs_epi32(w[2], w[3]));
    b = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)(void *)q, b);
}

AVX2 static void quantize_avx2(const float *x, int K, int8_t *q, uint16_t *scales)
{
    for (int k0 = 0; k0 < K; k0 += QK) {
        int g = k0 / QK;
        uint32_t ab = k0 + QK <= K ? amax_bits32(x + k0) : 0x7f800000u;
        if (ab >= 0x7f800000u) { /* a short last group, Inf or NaN: the reference */
            quantize_activations(x + k0, K - k0 < QK ? K - k0 : QK, q + k0, scales + g);
            continue;
        }
        float amax;
        memcpy(&amax, &ab, 4);
        float d = amax / 127; /* as quantize_activations */
        if (d > 65504.0f) d = 65504.0f;
        uint16_t d16 = fp32_to_fp16(d);
        float df = fp16_to_fp32(d16);
        if (df == 0) {
            scales[g] = 0;
            memset(q + k0, 0, QK);
            continue;
        }
        scales[g] = d16;
        quant32(x + k0, df, q + k0);
    }
}
#endif

void vec_quantize_activations(const float *x, int K, int8_t *q, uint16_t *scales)
{
#ifdef VEC_X86
    if (have_avx2()) {
        quantize_avx2(x, K, q, scales);
        return;
    }
#endif
    quantize_activations(x, K, q, scales);
}

/* ------------------------------------------------------------------ float math */

#ifdef VEC_X86
AVX2 static float hsum256(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AVX2 static float dot_avx2(const float *a, const float *b, int n)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

AVX2 static void axpy_avx2(float *y, float a, const float *x, int n)
{
    __m256 av = _mm256_set1_ps(a);
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += a * x[i];
}

/* exp(x) for x <= 0 .. 88: 2^n * p(r), r = x - n ln2 in [-ln2/2, ln2/2], p the degree-6
 * Taylor-like minimax polynomial of Cephes' expf (about 1 ulp); below -87.3 it is 0. */
AVX2 static __m256 exp256(__m256 x)
{
    const __m256 hi = _mm256_set1_ps(88.3762626647949f), lo = _mm256_set1_ps(-87.3365447504f);
    x = _mm256_min_ps(x, hi);
    __m256 under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    x = _mm256_max_ps(x, lo);
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    /* n in [-126, 127]: add it to the exponent field */
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_andnot_ps(under, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}

AVX2 static double exp_shift_avx2(float *x, float m, int n)
{
    const __m256 mv = _mm256_set1_ps(m);
    __m256d s0 = _mm256_setzero_pd(), s1 = s0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
        _mm256_storeu_ps(x + i, e);
        s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
        s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
    }
    double d[4], sum;
    _mm256_storeu_pd(d, _mm256_add_pd(s0, s1));
    sum = (d[0] + d[1]) + (d[2] + d[3]);
    for (; i < n; i++) sum += x[i] = expf(x[i] - m);
    return sum;
}

AVX2 static double sumsq_avx2(const float *x, int n)
{
    __m256d s0 = _mm256_setzero_pd(), s1 = s0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
        s0 = _mm256_fmadd_pd(lo, lo, s0);
        s1 = _mm256_fmadd_pd(hi, hi, s1);
    }
    double d[4], sum;
    _mm256_storeu_pd(d, _mm256_add_pd(s0, s1));
    sum = (d[0] + d[1]) + (d[2] + d[3]);
    for (; i < n; i++) sum += (double)x[i] * x[i];
    return sum;
}

AVX2 static void silu_mul_avx2(float *out, const float *g, const float *u, int n)
{
    const __m256 one = _mm256_set1_ps(1.0f), sign = _mm256_set1_ps(-0.0f);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 gv = _mm256_loadu_ps(g + i), uv = _mm256_loadu_ps(u + i);
        __m256 e = exp256(_mm256_xor_ps(gv, sign));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_div_ps(gv, _mm256_add_ps(one, e)), uv));
    }
    for (; i < n; i++) out[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}
#endif

float vec_dot(const float *a, const float *b, int n)
{
#ifdef VEC_X86
    if (have_avx2()) return dot_avx2(a, b, n);
#endif
    float s[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) s[j] += a[i + j] * b[i + j];
    float t = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < n; i++) t += a[i] * b[i];
    return t;
}

void vec_axpy(float *y, float a, const float *x, int n)
{
#ifdef VEC_X86
    if (have_avx2()) {
        axpy_avx2(y, a, x, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

void vec_silu_mul(float *out, const float *g, const float *u, int n)
{
#ifdef VEC_X86
    if (have_avx2()) {
        silu_mul_avx2(out, g, u, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) out[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

double vec_exp_shift(float *x, float m, int n)
{
#ifdef VEC_X86
    if (have_avx2()) return exp_shift_avx2(x, m, n);
#endif
    double sum = 0;
    for (int i = 0; i < n; i++) sum += x[i] = expf(x[i] - m);
    return sum;
}

double vec_sumsq(const float *x, int n)
{
#ifdef VEC_X86
    if (have_avx2()) return sumsq_avx2(x, n);
#endif
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)x[i] * x[i];
    return sum;
}

/* --------------------------------------------------------------------- argmax */

#ifdef VEC_X86
/* max over x[0..n) ignoring NaNs (vmaxps returns its second operand when one is NaN, and the
 * running maximum, seeded with a number, never is one). */
AVX2 static float max_avx2(const float *x, int n)
{
    __m256 m0 = _mm256_set1_ps(x[0]), m1 = m0, m2 = m0, m3 = m0;
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        m0 = _mm256_max_ps(_mm256_loadu_ps(x + i), m0);
        m1 = _mm256_max_ps(_mm256_loadu_ps(x + i + 8), m1);
        m2 = _mm256_max_ps(_mm256_loadu_ps(x + i + 16), m2);
        m3 = _mm256_max_ps(_mm256_loadu_ps(x + i + 24), m3);
    }
    m0 = _mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3));
    float m[8];
    _mm256_storeu_ps(m, m0);
    float best = m[0];
    for (int j = 1; j < 8; j++) best = m[j] > best ? m[j] : best;
    for (; i < n; i++) best = x[i] > best ? x[i] : best;
    return best;
}
#endif

int vec_argmax(const float *x, int n)
{
    if (n <= 1 || isnan(x[0])) return 0; /* op_argmax never moves off a NaN at 0 */
    float best = x[0];
#ifdef VEC_X86
    if (have_avx2()) {
        best = max_avx2(x, n);
    } else
#endif
    {
        for (int i = 1; i < n; i++) best = x[i] > best ? x[i] : best;
    }
    /* the first index that holds it (+0 and -0 compare equal, as in op_argmax) */
    for (int i = 0; i < n; i++)
        if (x[i] == best) return i;
    return 0;
}

/* ----------------------------------------------------------- Q39.24 to float */

#ifdef VEC_X86
AVX512 static void q24_avx512(const int64_t *acc, float *y, int n)
{
    const __m512d s = _mm512_set1_pd(1.0 / (1 << ECIM_FRAC_BITS));
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm512_cvtpd_ps(_mm512_mul_pd(_mm512_cvtepi64_pd(_mm512_loadu_si512((const void *)(acc + i))), s)));
    for (; i < n; i++) y[i] = (float)((double)acc[i] * (1.0 / (1 << ECIM_FRAC_BITS)));
}
#endif

void vec_q24_to_float(const int64_t *acc, float *y, int n)
{
#ifdef VEC_X86
    if (have_avx512()) {
        q24_avx512(acc, y, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) y[i] = (float)((double)acc[i] * (1.0 / (1 << ECIM_FRAC_BITS)));
}
