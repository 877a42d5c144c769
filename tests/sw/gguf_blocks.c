/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the data of tests/sw/gguf_ref.py: for every tensor type the firmware reads,
 *   raw.T  [bs*8, 16] of type T: random bytes, the float fields (scales, mins) random but
 *          finite (random FP16 bit patterns incl. subnormals and huge values, half of them
 *          in the range real scales have), so every bit pattern of the quants occurs;
 *   deq.T  [bs*8, 16] F32: raw.T dequantized by the firmware (dequantize_row);
 *   src.T  [bs*8, 16] F32: seeded N(0, 1) values (TQ1_0/TQ2_0: ternary s*{-1, 0, 1}, what
 *          those types are for, so the quantization must be exact) ...
 *   q.T    [bs*8, 16] of type T: ... quantized by the firmware (quantize_row),
 * so that an independent implementation can check the dequantization bit for bit and the
 * quantizer's blocks for validity.  Usage: gguf_blocks OUT.gguf [seed] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gguf.h"
#include "quant.h"
#include "rng.h"

static const gguf_type_t types[] = {
    GGML_TYPE_F32,  GGML_TYPE_F16,  GGML_TYPE_BF16, GGML_TYPE_Q4_0, GGML_TYPE_Q4_1,   GGML_TYPE_Q5_0,
    GGML_TYPE_Q5_1, GGML_TYPE_Q8_0, GGML_TYPE_Q2_K, GGML_TYPE_Q3_K, GGML_TYPE_Q4_K,   GGML_TYPE_Q5_K,
    GGML_TYPE_Q6_K, GGML_TYPE_Q8_K, GGML_TYPE_IQ4_NL, GGML_TYPE_IQ4_XS, GGML_TYPE_TQ1_0, GGML_TYPE_TQ2_0};

/* A random finite float field: FP16/BF16 with exponent < max, FP32 likewise. */
static void random_field(rng_t *r, uint8_t *p, quant_float_kind_t kind)
{
    uint32_t u = (uint32_t)rng_u64(r);
    int realistic = rng_below(r, 2);
    if (kind == QF_FP16) {
        uint16_t h = (uint16_t)u;
        if (realistic) h = (uint16_t)((h & 0x83ffu) | ((5 + rng_below(r, 12)) << 10)); /* 2^-10 .. 2^1 */
        else if ((h & 0x7c00u) == 0x7c00u) h = (uint16_t)((h & 0x83ffu) | (rng_below(r, 31) << 10));
        p[0] = (uint8_t)h;
        p[1] = (uint8_t)(h >> 8);
    } else if (kind == QF_BF16) {
        uint16_t h = (uint16_t)u;
        if ((h & 0x7f80u) == 0x7f80u) h = (uint16_t)((h & 0x807fu) | (rng_below(r, 255) << 7));
        p[0] = (uint8_t)h;
        p[1] = (uint8_t)(h >> 8);
    } else {
        if (realistic) u = (u & 0x807fffffu) | ((uint32_t)(117 + rng_below(r, 12)) << 23);
        else if ((u & 0x7f800000u) == 0x7f800000u) u = (u & 0x807fffffu) | ((uint32_t)rng_below(r, 255) << 23);
        memcpy(p, &u, 4);
    }
}

static uint8_t *random_blocks(rng_t *r, gguf_type_t t, uint64_t n)
{
    uint64_t bs = gguf_type_block(t), bytes = gguf_type_size(t, n), stride = gguf_type_size(t, bs);
    uint8_t *p = malloc((size_t)bytes);
    if (!p) return NULL;
    for (uint64_t i = 0; i < bytes; i++) p[i] = (uint8_t)rng_u64(r);
    const quant_field_t *fl;
    int nf = quant_float_fields(t, &fl);
    for (uint64_t b = 0; b < n / bs; b++)
        for (int i = 0; i < nf; i++) random_field(r, p + b * stride + fl[i].off, fl[i].kind);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gguf_blocks OUT.gguf [seed]\n");
        return 2;
    }
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    rng_t r;
    rng_seed(&r, seed);
    gguf_writer_t *w = gguf_writer_new();
    int rc = w ? gguf_w_str(w, "general.architecture", "blocks-test") : -1;
    for (size_t i = 0; i < sizeof types / sizeof types[0] && !rc; i++) {
        gguf_type_t t = types[i];
        uint64_t ne[2] = {gguf_type_block(t) * 8, 16}, n = ne[0] * ne[1];
        uint8_t *raw = random_blocks(&r, t, n), *q = malloc((size_t)gguf_type_size(t, n));
        float *deq = malloc((size_t)n * sizeof *deq), *src = malloc((size_t)n * sizeof *src);
        rc = raw && q && deq && src ? 0 : -1;
        int ternary = t == GGML_TYPE_TQ1_0 || t == GGML_TYPE_TQ2_0;
        for (uint64_t k = 0; k < n && !rc; k++)
            src[k] = ternary ? 0.0625f * (float)((int)rng_below(&r, 3) - 1) : (float)rng_normal(&r);
        if (!rc) rc = dequantize_row(t, raw, deq, (size_t)n) || quantize_row(t, src, q, (size_t)n);
        char name[4][64];
        snprintf(name[0], 64, "raw.%s", gguf_type_name(t));
        snprintf(name[1], 64, "deq.%s", gguf_type_name(t));
        snprintf(name[2], 64, "src.%s", gguf_type_name(t));
        snprintf(name[3], 64, "q.%s", gguf_type_name(t));
        if (!rc) rc = gguf_w_tensor(w, name[0], t, 2, ne, raw);
        if (!rc) rc = gguf_w_tensor(w, name[1], GGML_TYPE_F32, 2, ne, deq);
        if (!rc) rc = gguf_w_tensor(w, name[2], GGML_TYPE_F32, 2, ne, src);
        if (!rc) rc = gguf_w_tensor(w, name[3], t, 2, ne, q);
        free(raw);
        free(q);
        free(deq);
        free(src);
    }
    char err[512] = "";
    if (!rc) rc = gguf_writer_write(w, argv[1], NULL, NULL, err, sizeof err);
    gguf_writer_free(w);
    if (rc) {
        fprintf(stderr, "gguf_blocks: failed %s\n", err);
        return 1;
    }
    printf("gguf_blocks: wrote %zu types to %s (seed %llu)\n", sizeof types / sizeof types[0], argv[1],
           (unsigned long long)seed);
    return 0;
}
