/* SPDX-License-Identifier: Apache-2.0 */
/* GGUF writer/reader round trip of every KV and tensor type, number conversions, and one
 * specific error for each kind of malformed file, incl. files of 10^6 keys (the duplicate
 * checks are linear).  Usage: test_gguf WORKDIR; test_gguf --bench WORKDIR times the parse
 * of those files instead (make bench-gguf). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ecim_fmt.h"
#include "gguf.h"
#include "quant.h"
#include "rng.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static const char *wd;
static char *path_of(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ & 3];
    snprintf(p, 512, "%s/%s", wd, name);
    return p;
}

static void test_conversions(void)
{
    static const struct { float f; uint16_t h; } cases[] = {
        {0.0f, 0x0000}, {-0.0f, 0x8000}, {1.0f, 0x3c00}, {-2.0f, 0xc000}, {65504.0f, 0x7bff},
        {65520.0f, 0x7c00}, /* rounds up to Inf */ {65519.0f, 0x7bff}, {0.1f, 0x2e66},
        {5.9604645e-8f, 0x0001}, /* 2^-24 */ {2.9802322e-8f, 0x0000}, /* 2^-25: tie to even 0 */
        {8.940697e-8f, 0x0002}, /* 3 * 2^-25: tie to even 2 */ {6.097555e-5f, 0x03ff},
        {6.1035156e-5f, 0x0400}, {1.00048828125f, 0x3c00}, /* tie to even */ {1.00146484375f, 0x3c02},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t h = fp32_to_fp16(cases[i].f);
        CHECK(h == cases[i].h, "fp32_to_fp16(%g) = 0x%04x, expected 0x%04x", cases[i].f, h, cases[i].h);
    }
    for (uint32_t h = 0; h < 65536; h++) { /* every finite FP16 survives fp16 -> fp32 -> fp16 */
        if (((h >> 10) & 31) == 31) continue;
        uint16_t back = fp32_to_fp16(fp16_to_fp32((uint16_t)h));
        if (back != h) { CHECK(0, "fp16 0x%04x -> %g -> 0x%04x", h, fp16_to_fp32((uint16_t)h), back); break; }
    }
    CHECK(fp32_to_bf16(1.0f) == 0x3f80, "bf16(1)");
    CHECK(fp32_to_bf16(1.00390625f) == 0x3f80, "bf16 tie to even down"); /* 1 + 2^-8 */
    CHECK(fp32_to_bf16(1.01171875f) == 0x3f82, "bf16 tie to even up");   /* 1 + 3 * 2^-8 */
    CHECK(bf16_to_fp32(0xc040) == -3.0f, "bf16 -> fp32");

    /* Q4_0: the largest magnitude (signed) maps to -8; llama.cpp's formula. */
    float x[32];
    for (int i = 0; i < 32; i++) x[i] = (float)(i - 16) / 4.0f; /* -4 .. 3.75, max |.| = -4 */
    block_q4_0 b;
    uint8_t raw[18];
    quantize_row_q4_0(x, raw, 32);
    memcpy(&b.d, raw, 2);
    CHECK(b.d == fp32_to_fp16(0.5f), "q4_0 d = 0x%04x, expected 0.5", b.d);
    float y[32];
    dequantize_row_q4_0(raw, y, 32);
    for (int i = 0; i < 32; i++) {
        float want = fminf(roundf(x[i] / 0.5f), 7.0f) * 0.5f; /* -8 .. 7 steps of 0.5 */
        if (x[i] / 0.5f - floorf(x[i] / 0.5f) == 0.5f) want = (floorf(x[i] / 0.5f) + 1) * 0.5f; /* +8.5 truncation rounds half up */
        CHECK(fabsf(y[i] - fminf(want, 3.5f)) < 1e-6f, "q4_0[%d]: %g -> %g", i, x[i], y[i]);
    }
    /* Q8_0 */
    uint8_t r8[34];
    quantize_row_q8_0(x, r8, 32);
    dequantize_row_q8_0(r8, y, 32);
    for (int i = 0; i < 32; i++) CHECK(fabsf(y[i] - x[i]) <= 4.0f / 127 / 2 + 1e-3f, "q8_0[%d] %g -> %g", i, x[i], y[i]);

    /* Activations (NUMERICS.md): d16 = fp16(amax/127), q = clamp(roundf(x / d16)). */
    float a[40];
    rng_t r;
    rng_seed(&r, 3);
    for (int i = 0; i < 40; i++) a[i] = (float)rng_normal(&r);
    int8_t q[64];
    uint16_t s[2];
    quantize_activations(a, 40, q, s);
    for (int g = 0; g < 2; g++) {
        float amax = 0;
        for (int i = g * 32; i < 40 && i < g * 32 + 32; i++) amax = fmaxf(amax, fabsf(a[i]));
        uint16_t d16 = fp32_to_fp16(amax / 127);
        CHECK(s[g] == d16, "act scale %d: 0x%04x vs 0x%04x", g, s[g], d16);
        for (int i = g * 32; i < g * 32 + 32; i++) {
            int want = i < 40 ? (int)roundf(a[i] / fp16_to_fp32(d16)) : 0;
            want = want > 127 ? 127 : want < -127 ? -127 : want;
            CHECK(q[i] == want, "act q[%d] = %d, expected %d", i, q[i], want);
        }
    }
    float zero[32] = {0};
    quantize_activations(zero, 32, q, s);
    CHECK(s[0] == 0 && q[0] == 0 && q[31] == 0, "zero group");
}

/* ------------------------------------------------------------------ round trip */

/* A tensor packed at its own precision (quant_tensor_wbits): the native types hold every
 * dequantized weight exactly as integer x FP16 scale, and say so; the others do not. */
static void check_native(const gguf_tensor_t *t, const float *deq)
{
    int K = (int)t->ne[0], N = (int)t->ne[1], wbits = quant_tensor_wbits(t->type, 4);
    int native = t->type == GGML_TYPE_Q4_0 || t->type == GGML_TYPE_Q8_0 || t->type == GGML_TYPE_Q5_0 ||
                 t->type == GGML_TYPE_TQ1_0 || t->type == GGML_TYPE_TQ2_0;
    uint8_t *packed = calloc(ecim_packed_bytes(K, N, wbits), 1);
    pack_stats_t st = {0, 0, 1};
    char err[256];
    CHECK(packed && pack_weight_rows_stats(t, 0, N, packed, N, 0, wbits, &st, err, sizeof err) == 0, "pack %s: %s",
          gguf_type_name(t->type), err);
    long differ = 0;
    for (int n = 0; n < N; n++)
        for (int k = 0; k < K; k++)
            differ += (float)ecim_fmt_weight(packed, K, wbits, n, k) * fp16_to_fp32(ecim_fmt_scale(packed, K, wbits, n, k)) !=
                      deq[(size_t)n * K + k];
    CHECK(st.exact == native && (differ == 0) == native, "%s on WBits %d: exact %d, %ld of %d weights differ (native %d)",
          gguf_type_name(t->type), wbits, st.exact, differ, N * K, native);
    free(packed);
}

static void test_round_trip(void)
{
    gguf_writer_t *w = gguf_writer_new();
    uint8_t u8 = 200; int8_t i8 = -100; uint16_t u16 = 60000; int16_t i16 = -30000;
    int32_t i32arr[5] = {1, -2, 3, -4, 2147483647};
    float farr[3] = {1.5f, -2.25f, 1e-30f};
    const char *strs[4] = {"alpha", "", "gamma \xe2\x96\x81", "delta"};
    int rc = 0;
    rc |= gguf_w_scalar(w, "t.u8", GGUF_TYPE_UINT8, &u8);
    rc |= gguf_w_scalar(w, "t.i8", GGUF_TYPE_INT8, &i8);
    rc |= gguf_w_scalar(w, "t.u16", GGUF_TYPE_UINT16, &u16);
    rc |= gguf_w_scalar(w, "t.i16", GGUF_TYPE_INT16, &i16);
    rc |= gguf_w_u32(w, "t.u32", 4000000000u);
    rc |= gguf_w_i32(w, "t.i32", -123456789);
    rc |= gguf_w_f32(w, "t.f32", 0.15625f);
    rc |= gguf_w_bool(w, "t.bool", 1);
    rc |= gguf_w_str(w, "t.str", "hello gguf");
    rc |= gguf_w_u64(w, "t.u64", 18000000000000000000ull);
    int64_t i64 = -9000000000000000000ll;
    rc |= gguf_w_scalar(w, "t.i64", GGUF_TYPE_INT64, &i64);
    rc |= gguf_w_f64(w, "t.f64", 3.141592653589793);
    rc |= gguf_w_arr(w, "t.arr_i32", GGUF_TYPE_INT32, i32arr, 5);
    rc |= gguf_w_arr(w, "t.arr_f32", GGUF_TYPE_FLOAT32, farr, 3);
    rc |= gguf_w_arr_str(w, "t.arr_str", strs, NULL, 4);
    rc |= gguf_w_u32(w, "general.alignment", 64);
    CHECK(rc == 0, "writer KV calls");
    CHECK(gguf_w_u32(w, "t.u32", 1) == GGUF_EDUP, "duplicate key rejected");

    static const gguf_type_t types[] = {
        GGML_TYPE_F32,  GGML_TYPE_F16,  GGML_TYPE_BF16, GGML_TYPE_Q8_0,   GGML_TYPE_Q4_0,   GGML_TYPE_Q4_1,
        GGML_TYPE_Q5_0, GGML_TYPE_Q5_1, GGML_TYPE_Q2_K, GGML_TYPE_Q3_K,   GGML_TYPE_Q4_K,   GGML_TYPE_Q5_K,
        GGML_TYPE_Q6_K, GGML_TYPE_Q8_K, GGML_TYPE_IQ4_NL, GGML_TYPE_IQ4_XS, GGML_TYPE_TQ1_0, GGML_TYPE_TQ2_0};
    enum { NT = sizeof types / sizeof types[0], NE = 768 };
    uint8_t *data[NT];
    uint64_t ne[2] = {256, 3};
    rng_t r;
    rng_seed(&r, 11);
    static float src[NE];
    for (int i = 0; i < NE; i++) src[i] = (float)rng_normal(&r);
    for (int t = 0; t < NT; t++) {
        data[t] = malloc((size_t)gguf_type_size(types[t], NE));
        CHECK(data[t] && quantize_row(types[t], src, data[t], NE) == 0, "quantize_row %s", gguf_type_name(types[t]));
        char name[32];
        snprintf(name, sizeof name, "tensor.%s", gguf_type_name(types[t]));
        CHECK(gguf_w_tensor(w, name, types[t], 2, ne, data[t]) == 0, "add tensor %s", name);
    }
    char err[512];
    const char *p = path_of("roundtrip.gguf");
    CHECK(gguf_writer_write(w, p, NULL, NULL, err, sizeof err) == 0, "write: %s", err);
    gguf_writer_free(w);

    gguf_file_t f;
    rc = gguf_open(&f, p, err, sizeof err);
    CHECK(rc == 0, "open round trip: %s", err);
    if (rc) return;
    int64_t iv;
    double dv;
    char sbuf[64];
    CHECK(f.alignment == 64 && f.version == 3, "alignment %llu", (unsigned long long)f.alignment);
    CHECK(gguf_get_int(&f, "t.u8", &iv) == 0 && iv == 200, "u8");
    CHECK(gguf_get_int(&f, "t.i8", &iv) == 0 && iv == -100, "i8");
    CHECK(gguf_get_int(&f, "t.u16", &iv) == 0 && iv == 60000, "u16");
    CHECK(gguf_get_int(&f, "t.i16", &iv) == 0 && iv == -30000, "i16");
    CHECK(gguf_get_int(&f, "t.u32", &iv) == 0 && iv == 4000000000ll, "u32");
    CHECK(gguf_get_int(&f, "t.i32", &iv) == 0 && iv == -123456789, "i32");
    CHECK(gguf_get_float(&f, "t.f32", &dv) == 0 && dv == 0.15625, "f32");
    CHECK(gguf_get_int(&f, "t.bool", &iv) == 0 && iv == 1, "bool");
    CHECK(gguf_get_str(&f, "t.str", sbuf, sizeof sbuf) == 0 && !strcmp(sbuf, "hello gguf"), "str");
    CHECK(gguf_find_kv(&f, "t.u64")->v.u64 == 18000000000000000000ull, "u64");
    CHECK(gguf_get_int(&f, "t.i64", &iv) == 0 && iv == -9000000000000000000ll, "i64");
    CHECK(gguf_get_float(&f, "t.f64", &dv) == 0 && dv == 3.141592653589793, "f64");
    const gguf_kv_t *a = gguf_find_kv(&f, "t.arr_i32");
    CHECK(a && a->arr_n == 5 && gguf_arr_i64(a, 1) == -2 && gguf_arr_i64(a, 4) == 2147483647, "arr i32");
    a = gguf_find_kv(&f, "t.arr_f32");
    CHECK(a && a->arr_n == 3 && gguf_arr_f64(a, 1) == -2.25 && (float)gguf_arr_f64(a, 2) == 1e-30f, "arr f32");
    a = gguf_find_kv(&f, "t.arr_str");
    CHECK(a && a->arr_n == 4 && gguf_str_eq(a->arr_str[0], "alpha") && a->arr_str[1].len == 0 &&
          gguf_str_eq(a->arr_str[2], "gamma \xe2\x96\x81"), "arr str");
    for (int t = 0; t < NT; t++) {
        char name[32];
        snprintf(name, sizeof name, "tensor.%s", gguf_type_name(types[t]));
        const gguf_tensor_t *tt = gguf_find_tensor(&f, name);
        CHECK(tt && tt->type == types[t] && tt->ne[0] == 256 && tt->ne[1] == 3 && tt->n_dims == 2 &&
              tt->data && (tt->data - f.map) % 64 == 0 &&
              tt->nbytes == gguf_type_size(types[t], NE) && !memcmp(tt->data, data[t], (size_t)tt->nbytes),
              "tensor %s round trip", name);
        static float back[NE];
        if (tt) dequantize_row(tt->type, tt->data, back, NE);
        double e2 = 0, r2 = 0;
        for (int i = 0; i < NE; i++) {
            e2 += (back[i] - src[i]) * (back[i] - src[i]);
            r2 += src[i] * src[i];
        }
        /* relative RMS error of each quantizer on N(0, 1) data (the ternary types: absmax
         * scale, most values round to 0); tests/sw/gguf_ref.py checks the same blocks with gguf-py */
        gguf_type_t ty = types[t];
        double tol = ty == GGML_TYPE_F32 ? 0 : ty == GGML_TYPE_F16 ? 1e-3 : ty == GGML_TYPE_BF16 ? 5e-3
                   : ty == GGML_TYPE_Q8_0 || ty == GGML_TYPE_Q8_K ? 0.01 : ty == GGML_TYPE_Q6_K ? 0.03
                   : ty == GGML_TYPE_Q5_0 || ty == GGML_TYPE_Q5_1 || ty == GGML_TYPE_Q5_K ? 0.06
                   : ty == GGML_TYPE_Q3_K ? 0.25 : ty == GGML_TYPE_Q2_K ? 0.45
                   : ty == GGML_TYPE_TQ1_0 || ty == GGML_TYPE_TQ2_0 ? 0.9 : 0.12;
        CHECK(sqrt(e2 / r2) <= tol, "%s relative RMS error %g > %g", name, sqrt(e2 / r2), tol);
        if (tt) check_native(tt, back);
        free(data[t]);
    }
    gguf_close(&f);
}

/* ------------------------------------------------------------------ malformed files */

typedef struct {
    uint8_t b[4096];
    size_t n;
} buf_t;

static void put(buf_t *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static size_t put_u32(buf_t *b, uint32_t v) { size_t at = b->n; put(b, &v, 4); return at; }
static size_t put_u64(buf_t *b, uint64_t v) { size_t at = b->n; put(b, &v, 8); return at; }
static size_t put_str(buf_t *b, const char *s) { size_t at = put_u64(b, strlen(s)); put(b, s, strlen(s)); return at; }

typedef struct {
    size_t version, n_tensors, n_kv, kv_strlen, t0_ndims, t0_type, t1_offset, t0_ne1;
} fields_t;

/* A valid file: 1 KV, tensors w0 F32 [32, 2] at 0 and w1 Q8_0 [32] at 256. */
static buf_t valid_file(fields_t *fl)
{
    buf_t b = {{0}, 0};
    put(&b, "GGUF", 4);
    fl->version = put_u32(&b, 3);
    fl->n_tensors = put_u64(&b, 2);
    fl->n_kv = put_u64(&b, 1);
    put_str(&b, "general.name");
    put_u32(&b, GGUF_TYPE_STRING);
    fl->kv_strlen = put_str(&b, "tiny");
    put_str(&b, "w0");
    fl->t0_ndims = put_u32(&b, 2);
    put_u64(&b, 32);
    fl->t0_ne1 = put_u64(&b, 2);
    fl->t0_type = put_u32(&b, GGML_TYPE_F32);
    put_u64(&b, 0);
    put_str(&b, "w1");
    put_u32(&b, 1);
    put_u64(&b, 32);
    put_u32(&b, GGML_TYPE_Q8_0);
    fl->t1_offset = put_u64(&b, 256);
    while (b.n % 32) b.b[b.n++] = 0;
    for (int i = 0; i < 256 + 34; i++) b.b[b.n++] = (uint8_t)i;
    return b;
}

static void poke_u32(buf_t *b, size_t at, uint32_t v) { memcpy(b->b + at, &v, 4); }
static void poke_u64(buf_t *b, size_t at, uint64_t v) { memcpy(b->b + at, &v, 8); }

static void expect_error(const char *name, const buf_t *b, int code, const char *needle)
{
    const char *p = path_of(name);
    FILE *fp = fopen(p, "wb");
    fwrite(b->b, 1, b->n, fp);
    fclose(fp);
    gguf_file_t f;
    char err[512] = "";
    int rc = gguf_open(&f, p, err, sizeof err);
    printf("  %-22s -> %d: %s\n", name, rc, err);
    CHECK(rc == code, "%s: code %d, expected %d (%s)", name, rc, code, err);
    CHECK(strstr(err, p) != NULL, "%s: message does not name the file: %s", name, err);
    CHECK(strstr(err, needle) != NULL, "%s: message lacks '%s': %s", name, needle, err);
    if (rc == 0) gguf_close(&f);
}

static void test_malformed(void)
{
    fields_t fl;
    buf_t ok = valid_file(&fl), b;
    {
        gguf_file_t f;
        char err[512];
        const char *p = path_of("valid.gguf");
        FILE *fp = fopen(p, "wb");
        fwrite(ok.b, 1, ok.n, fp);
        fclose(fp);
        int rc = gguf_open(&f, p, err, sizeof err);
        CHECK(rc == 0, "the hand-made valid file must load: %s", err);
        if (!rc) {
            CHECK(f.n_tensors == 2 && gguf_find_tensor(&f, "w1")->nbytes == 34, "valid file content");
            gguf_close(&f);
        }
    }
    b = ok; memcpy(b.b, "GGML", 4);
    expect_error("bad_magic.gguf", &b, GGUF_EMAGIC, "bad magic");
    b = ok; poke_u32(&b, fl.version, 4);
    expect_error("bad_version.gguf", &b, GGUF_EVERSION, "version 4 (this reader accepts versions 2 and 3)");
    b = ok; poke_u32(&b, fl.version, 1);
    expect_error("version1.gguf", &b, GGUF_EVERSION, "version 1 (this reader accepts versions 2 and 3)");
    b = ok; b.n = 2;
    expect_error("tiny.gguf", &b, GGUF_ETRUNC, "truncated");
    b = ok; b.n = fl.t0_type + 2;
    expect_error("truncated_info.gguf", &b, GGUF_ETRUNC, "truncated");
    b = ok; b.n = fl.kv_strlen + 10;
    expect_error("truncated_kv.gguf", &b, GGUF_ECOUNT, "cannot fit in a file of");
    b = ok; b.n -= 20;
    expect_error("truncated_data.gguf", &b, GGUF_EBOUNDS, "outside the file");
    b = ok; poke_u32(&b, fl.t0_type, 99);
    expect_error("bad_tensor_type.gguf", &b, GGUF_ETYPE, "tensor 'w0': unsupported tensor type 99 (not a ggml type");
    b = ok; poke_u32(&b, fl.t0_type, 16);
    expect_error("iq2_xxs.gguf", &b, GGUF_ETYPE, "tensor 'w0': unsupported tensor type 16 (IQ2_XXS; supported: F32");
    b = ok; poke_u32(&b, fl.t0_type, GGML_TYPE_Q4_K); /* rows of 32 */
    expect_error("kquant_row.gguf", &b, GGUF_ESIZE, "tensor 'w0': row length 32 is not a multiple of the Q4_K block size 256");
    b = ok; poke_u32(&b, fl.t0_type, GGML_TYPE_TQ2_0);
    expect_error("tq_row.gguf", &b, GGUF_ESIZE, "tensor 'w0': row length 32 is not a multiple of the TQ2_0 block size 256");
    b = ok; poke_u64(&b, fl.t1_offset, 1u << 20);
    expect_error("data_out_of_file.gguf", &b, GGUF_EBOUNDS, "outside the file");
    b = ok; poke_u64(&b, fl.t0_ne1, 3); /* w0 now needs 384 bytes but w1 starts at 256 */
    expect_error("size_mismatch.gguf", &b, GGUF_ESIZE, "needs 384 bytes");
    b = ok; poke_u64(&b, fl.n_tensors, 1000000000000ull);
    expect_error("absurd_tensors.gguf", &b, GGUF_ECOUNT, "tensor count 1000000000000");
    b = ok; poke_u64(&b, fl.n_kv, 1ull << 40);
    expect_error("absurd_kv.gguf", &b, GGUF_ECOUNT, "KV count");
    b = ok; poke_u64(&b, fl.kv_strlen, 1ull << 50);
    expect_error("absurd_string.gguf", &b, GGUF_ECOUNT, "exceeds");
    b = ok; poke_u32(&b, fl.t0_ndims, 5);
    expect_error("five_dims.gguf", &b, GGUF_ECOUNT, "n_dims = 5");
    b = ok; poke_u64(&b, fl.t1_offset, 260);
    expect_error("misaligned.gguf", &b, GGUF_EBOUNDS, "not a multiple of the alignment");
    /* a KV of unknown value type */
    b = ok; poke_u32(&b, fl.kv_strlen - 4, 77);
    expect_error("bad_kv_type.gguf", &b, GGUF_ETYPE, "unknown value type 77");
    /* random corruption never crashes (ASan watches) */
    rng_t r;
    rng_seed(&r, 5);
    for (int i = 0; i < 2000; i++) {
        b = ok;
        int flips = 1 + (int)rng_below(&r, 4);
        for (int k = 0; k < flips; k++) b.b[rng_below(&r, (uint32_t)(fl.t1_offset + 8))] = (uint8_t)rng_u64(&r);
        if (rng_below(&r, 4) == 0) b.n = rng_below(&r, (uint32_t)b.n);
        const char *p = path_of("fuzz.gguf");
        FILE *fp = fopen(p, "wb");
        fwrite(b.b, 1, b.n, fp);
        fclose(fp);
        gguf_file_t f;
        char err[512];
        if (gguf_open(&f, p, err, sizeof err) == 0) gguf_close(&f);
    }
    gguf_file_t f;
    char err[512];
    CHECK(gguf_open(&f, path_of("does-not-exist.gguf"), err, sizeof err) == GGUF_EIO, "missing file");
    const char *dir = path_of("a-directory.gguf");
    mkdir(dir, 0755);
    int rc = gguf_open(&f, dir, err, sizeof err);
    printf("  %-22s -> %d: %s\n", "a directory", rc, err);
    CHECK(rc == GGUF_ENOTFILE && strstr(err, "is a directory") && strstr(err, dir), "directory: %d %s", rc, err);
    b = ok; b.n = 0;
    expect_error("empty.gguf", &b, GGUF_ETRUNC, "0 bytes is too short");
}

/* ------------------------------------------------------------------ non-finite scales */

/* For every type, one block (element) made non-finite is found at its index. */
static void test_nonfinite(void)
{
    static const gguf_type_t types[] = {
        GGML_TYPE_F32,  GGML_TYPE_F16,  GGML_TYPE_BF16, GGML_TYPE_Q8_0,   GGML_TYPE_Q4_0,   GGML_TYPE_Q4_1,
        GGML_TYPE_Q5_0, GGML_TYPE_Q5_1, GGML_TYPE_Q2_K, GGML_TYPE_Q3_K,   GGML_TYPE_Q4_K,   GGML_TYPE_Q5_K,
        GGML_TYPE_Q6_K, GGML_TYPE_Q8_K, GGML_TYPE_IQ4_NL, GGML_TYPE_IQ4_XS, GGML_TYPE_TQ1_0, GGML_TYPE_TQ2_0};
    static float x[1024];
    static uint8_t q[4096];
    for (int i = 0; i < 1024; i++) x[i] = (float)sin(i * 0.37);
    for (unsigned t = 0; t < sizeof types / sizeof types[0]; t++) {
        gguf_type_t ty = types[t];
        uint64_t bs = gguf_type_block(ty), stride = gguf_type_size(ty, bs);
        quantize_row(ty, x, q, 1024);
        CHECK(quant_find_nonfinite(ty, q, 1024) == -1, "%s: finite data reported non-finite", gguf_type_name(ty));
        const quant_field_t *fl;
        int nf = quant_float_fields(ty, &fl);
        CHECK(nf >= 1, "%s: no float fields", gguf_type_name(ty));
        for (int i = 0; i < nf; i++) {
            uint8_t save[4];
            uint64_t blk = 1024 / bs - 1, at = blk * stride + fl[i].off;
            int w = fl[i].kind == QF_FP32 ? 4 : 2;
            memcpy(save, q + at, (size_t)w);
            /* NaN in the field's own encoding: all exponent bits set, mantissa non-zero */
            if (fl[i].kind == QF_FP16) { q[at] = 0x01; q[at + 1] = 0x7c; }
            else if (fl[i].kind == QF_BF16) { q[at] = 0xc1; q[at + 1] = 0x7f; }
            else { q[at] = 1; q[at + 1] = 0; q[at + 2] = 0x80; q[at + 3] = 0x7f; }
            int64_t got = quant_find_nonfinite(ty, q, 1024);
            CHECK(got == (int64_t)blk, "%s field %d: NaN in block %llu found at %lld", gguf_type_name(ty), i,
                  (unsigned long long)blk, (long long)got);
            /* -Inf: FP16 0xfc00, BF16 0xff80, FP32 0xff800000 */
            if (fl[i].kind == QF_FP16) { q[at] = 0x00; q[at + 1] = 0xfc; }
            else if (fl[i].kind == QF_BF16) { q[at] = 0x80; q[at + 1] = 0xff; }
            else { q[at] = 0; q[at + 1] = 0; q[at + 2] = 0x80; q[at + 3] = 0xff; }
            got = quant_find_nonfinite(ty, q, 1024);
            CHECK(got == (int64_t)blk, "%s field %d: Inf not found (%lld)", gguf_type_name(ty), i, (long long)got);
            memcpy(q + at, save, (size_t)w);
        }
    }
}

/* ------------------------------------------------------------------ 10^6 keys and tensors */

typedef struct { uint8_t *b; size_t n, cap; } dbuf_t;

static void dput(dbuf_t *d, const void *p, size_t n)
{
    if (d->n + n > d->cap) {
        d->cap = (d->cap + n) * 2;
        d->b = realloc(d->b, d->cap);
    }
    memcpy(d->b + d->n, p, n);
    d->n += n;
}
static void dput_u32(dbuf_t *d, uint32_t v) { dput(d, &v, 4); }
static void dput_u64(dbuf_t *d, uint64_t v) { dput(d, &v, 8); }
static void dput_str(dbuf_t *d, const char *s) { dput_u64(d, strlen(s)); dput(d, s, strlen(s)); }

/* A file of n_kv u8 KVs and n_t F32 [1] tensors; dup: the last key (tensor name) repeats the
 * first.  Names share long prefixes and differ in the last characters, the worst case of a
 * linear scan that compares prefixes first. */
static const char *many_file(const char *name, uint64_t n_kv, uint64_t n_t, int dup_kv, int dup_t)
{
    dbuf_t d = {0};
    char s[64];
    dput(&d, "GGUF", 4);
    dput_u32(&d, 3);
    dput_u64(&d, n_t);
    dput_u64(&d, n_kv);
    for (uint64_t i = 0; i < n_kv; i++) {
        snprintf(s, sizeof s, "edgecim.test.some.long.key.prefix.%07llu", (unsigned long long)(dup_kv && i == n_kv - 1 ? 0 : i));
        dput_str(&d, s);
        dput_u32(&d, GGUF_TYPE_UINT8);
        uint8_t v = (uint8_t)i;
        dput(&d, &v, 1);
    }
    for (uint64_t i = 0; i < n_t; i++) {
        snprintf(s, sizeof s, "blk.%07llu.some_tensor.weight", (unsigned long long)(dup_t && i == n_t - 1 ? 0 : i));
        dput_str(&d, s);
        dput_u32(&d, 1);
        dput_u64(&d, 1);
        dput_u32(&d, GGML_TYPE_F32);
        dput_u64(&d, i * 32);
    }
    while (d.n % 32) dput(&d, "", 1);
    for (uint64_t i = 0; i < n_t; i++) {
        static const uint8_t zeros[32];
        dput(&d, zeros, 32);
    }
    const char *p = path_of(name);
    FILE *fp = fopen(p, "wb");
    fwrite(d.b, 1, d.n, fp);
    fclose(fp);
    free(d.b);
    return p;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Opens path, checks the code, and (bench) prints the time. */
static void open_many(const char *what, const char *path, int want, const char *needle, int bench)
{
    gguf_file_t f;
    char err[512] = "";
    double t0 = now_s();
    int rc = gguf_open(&f, path, err, sizeof err);
    double dt = now_s() - t0;
    if (bench) printf("gguf-bench: %-36s %8.1f ms  (%s)\n", what, dt * 1e3, rc ? err : "parsed");
    else printf("  %-36s -> %d %s\n", what, rc, err);
    CHECK(rc == want, "%s: code %d, expected %d (%s)", what, rc, want, err);
    CHECK(!needle || strstr(err, needle), "%s: message lacks '%s': %s", what, needle, err);
    if (rc == 0) {
        char key[64];
        snprintf(key, sizeof key, "edgecim.test.some.long.key.prefix.%07llu", (unsigned long long)(f.n_kv - 1));
        const gguf_kv_t *kv = gguf_find_kv(&f, key);
        CHECK(f.n_kv == 0 || (kv && kv->v.u64 == (uint8_t)(f.n_kv - 1)), "%s: last key not found by the index", what);
        CHECK(f.n_tensors == 0 || gguf_find_tensor(&f, "blk.0000000.some_tensor.weight") == &f.tensors[0],
              "%s: first tensor not found by the index", what);
        CHECK(!gguf_find_kv(&f, "edgecim.test.missing") && !gguf_find_tensor(&f, "missing"), "%s: phantom lookups", what);
        gguf_close(&f);
    }
}

static void test_many(int bench)
{
    open_many("10^6 keys", many_file("keys.gguf", 1000000, 0, 0, 0), GGUF_OK, NULL, bench);
    open_many("10^6 keys, the last a duplicate", many_file("keys-dup.gguf", 1000000, 0, 1, 0), GGUF_EDUP,
              "duplicate key 'edgecim.test.some.long.key.prefix.0000000'", bench);
    open_many("2*10^5 tensors", many_file("tensors.gguf", 1, 200000, 0, 0), GGUF_OK, NULL, bench);
    open_many("2*10^5 tensors, the last a duplicate", many_file("tensors-dup.gguf", 1, 200000, 0, 1), GGUF_EDUP,
              "duplicate tensor name 'blk.0000000.some_tensor.weight'", bench);
}

int main(int argc, char **argv)
{
    int bench = argc > 1 && strcmp(argv[1], "--bench") == 0;
    wd = argc > 1 + bench ? argv[1 + bench] : ".";
    mkdir(wd, 0755);
    if (bench) {
        test_many(1);
        return fails != 0;
    }
    test_conversions();
    test_round_trip();
    test_malformed();
    test_nonfinite();
    test_many(0);
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
