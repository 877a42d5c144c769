/* SPDX-License-Identifier: Apache-2.0 */
/* The device step's memory map (docs/FIRMWARE.md, "The device step"): the tables a token reads,
 * the KV region, the activation buffers, each 256-aligned from the device's allocator. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_step_int.h"
#include "ecim_fmt.h"
#include "ops.h"
#include "quant.h"
#include "slm_fit.h"

#define UP256(v) (((uint64_t)(v) + 255) / 256 * 256)

ds_shape_t ds_shape(const dev_step_t *s)
{
    const slm_config_t *c = s->f->c;
    ds_shape_t d = {c->hidden, c->heads, c->kv_heads, c->head_dim, c->intermediate, c->vocab, c->layers,
                    c->heads / c->kv_heads, 0, 0, 0};
    d.qd = d.nh * d.hd;
    d.kvd = d.nkv * d.hd;
    d.qkvd = d.qd + 2 * d.kvd;
    return d;
}

int ds_alloc(dev_step_t *s, uint64_t bytes, uint32_t *addr, const char *what, char *err, size_t errlen)
{
    int rc = s->dev.alloc(s->dev.ctx, bytes, addr);
    if (rc == ACCEL_OK) {
        s->dram_bytes += UP256(bytes);
        return 0;
    }
    snprintf(err, errlen, "device step: no device DRAM left for %s (%llu bytes; %.1f MiB of %.1f MiB in use by the step "
             "besides the weights): set EDGECIM_DRAM_MB (at most 4095) or a smaller --ctx", what,
             (unsigned long long)bytes, s->dram_bytes / 1048576.0, s->dev.mem_limit / 1048576.0);
    return -1;
}

int ds_put(dev_step_t *s, const void *src, uint64_t bytes, uint32_t *addr, const char *what, char *err, size_t errlen)
{
    if (ds_alloc(s, bytes, addr, what, err, errlen)) return -1;
    if (s->dev.write(s->dev.ctx, *addr, src, (size_t)bytes) == ACCEL_OK) return 0;
    snprintf(err, errlen, "device step: writing %s to device DRAM failed", what);
    return -1;
}

/* ---- what the device cannot run ------------------------------------------------------------- */
const char *ds_unsupported(const dev_step_t *s, char *buf, size_t len)
{
    return slm_step_unsupported(&s->dev.hw, s->f->c, s->cap, buf, len); /* slm/slm_fit.c: the DSE filters by it too */
}

/* ---- tables -------------------------------------------------------------------------------- */
static uint32_t f32_bits(float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    return u;
}

/* n floats as VF32 patterns (little-endian), 256-aligned. */
static int put_vf32(dev_step_t *s, const float *v, int n, uint32_t *addr, const char *what, char *err, size_t errlen)
{
    uint8_t *b = calloc((size_t)n, 4);
    if (!b) { snprintf(err, errlen, "out of memory"); return -1; }
    for (int i = 0; i < n; i++) {
        uint32_t u = f32_bits(v[i]);
        for (int k = 0; k < 4; k++) b[4 * i + k] = (uint8_t)(u >> (8 * k));
    }
    int rc = ds_put(s, b, 4ull * (uint64_t)n, addr, what, err, errlen);
    free(b);
    return rc;
}

/* Q39.24 of a float, saturated as the device saturates. */
static int64_t q24_of(float v)
{
    double q = rint((double)v * 16777216.0);
    return q >= 9.2233720368547758e18 ? INT64_MAX : q <= -9.2233720368547758e18 ? INT64_MIN : (int64_t)q;
}

/* The QKV bias as the GEMV's BIAS reads it: Np Q24 values, the padding zero. */
static int put_bias(dev_step_t *s, const float *b, int n, uint32_t *addr, char *err, size_t errlen)
{
    uint64_t bytes = ecim_b_bytes((uint64_t)n, (uint64_t)s->dev.hw.macro_cols);
    uint8_t *q = calloc((size_t)bytes, 1);
    if (!q) { snprintf(err, errlen, "out of memory"); return -1; }
    for (int i = 0; i < n; i++) ecim_put_le64(q + 8 * (size_t)i, q24_of(b[i]));
    int rc = ds_put(s, q, bytes, addr, "the QKV bias", err, errlen);
    free(q);
    return rc;
}

/* The embedding table as EMBED reads it: row t = token t's vector as INT8 codes and an FP16 scale
 * per group of 32, x_stride(hidden) apart. EMBED turns code x scale into Q24 exactly, so a Q4_0 or
 * Q8_0 table is exact on the device; other types are requantized as Q8_0. */
#define EMBED_ROWS_PER_WRITE 256
static int put_embedding(dev_step_t *s, char *err, size_t errlen)
{
    const gguf_tensor_t *t = s->f->m->tok_embd;
    int H = s->f->c->hidden, V = s->f->c->vocab, kp = (int)ecim_kp((uint64_t)H);
    size_t stride = (size_t)ecim_x_stride((uint64_t)H);
    if (ds_alloc(s, (uint64_t)stride * (uint64_t)V, &s->embed, "the embedding table", err, errlen)) return -1;
    float *x = malloc((size_t)kp * sizeof *x);
    int8_t *q = malloc((size_t)kp);
    uint16_t *sc = malloc((size_t)kp / 16);
    uint8_t *rows = malloc(stride * EMBED_ROWS_PER_WRITE);
    int rc = x && q && sc && rows ? 0 : -1;
    for (int r0 = 0; r0 < V && !rc; r0 += EMBED_ROWS_PER_WRITE) {
        int n = V - r0 < EMBED_ROWS_PER_WRITE ? V - r0 : EMBED_ROWS_PER_WRITE;
        for (int r = 0; r < n && !rc; r++) {
            rc = quant_row_int8(t, r0 + r, x, q, sc);
            ecim_fmt_pack_x(q, sc, H, rows + (size_t)r * stride);
        }
        if (!rc) rc = s->dev.write(s->dev.ctx, s->embed + (uint32_t)((size_t)r0 * stride), rows, (size_t)n * stride);
    }
    if (rc) snprintf(err, errlen, "device step: could not write the embedding table");
    free(x);
    free(q);
    free(sc);
    free(rows);
    return rc ? -1 : 0;
}

/* The RoPE table: row p holds (cos, sin) of every pair at position p as VF32, the rotation the
 * float path's op_rope applies (theta, Llama-3 factors or rope_freqs), rope_stride apart. */
static int put_rope(dev_step_t *s, char *err, size_t errlen)
{
    const model_t *m = s->f->m;
    int hd = m->cfg.head_dim;
    s->rope_stride = (uint32_t)UP256(4ull * (uint64_t)hd);
    float *t = calloc((size_t)s->cap, s->rope_stride);
    if (!t) { snprintf(err, errlen, "out of memory for the RoPE table"); return -1; }
    for (int p = 0; p < s->cap; p++) {
        float *row = t + (size_t)p * (s->rope_stride / 4);
        for (int i = 0; i < hd / 2; i++)
            op_rope_cos_sin(p, i, hd, m->cfg.rope_theta, m->rope_freq_factors, &row[2 * i], &row[2 * i + 1]);
    }
    int rc = ds_put(s, t, (uint64_t)s->cap * s->rope_stride, &s->rope, "the RoPE table", err, errlen);
    free(t);
    return rc;
}

/* ---- the layers ------------------------------------------------------------------------------ */
/* The device address of matrix i of f (4 per layer, then the LM head): 0, or -1 with err. */
static int matrix_addr(dev_step_t *s, int i, uint32_t *addr, char *err, size_t errlen)
{
    int rc = s->dev.matrix_addr(s->dev.ctx, s->f->handle[i], addr);
    if (rc == ACCEL_OK) return 0;
    int L = s->f->c->layers;
    char what[48];
    if (i < 4 * L) snprintf(what, sizeof what, "matrix %d of layer %d", i % 4, i / 4);
    else snprintf(what, sizeof what, "the LM head");
    if (rc == ACCEL_ENOMEM)
        snprintf(err, errlen, "device step: no device DRAM left for %s (%.1f MiB of DRAM): set EDGECIM_DRAM_MB (at most "
                 "4095)", what, s->dev.mem_limit / 1048576.0);
    else
        snprintf(err, errlen, "device step: %s is not on the device", what);
    return -1;
}

static int layer_weights(dev_step_t *s, int l, dev_layer_t *L, char *err, size_t errlen)
{
    uint32_t *w[4] = {&L->w_qkv, &L->w_o, &L->w_gate_up, &L->w_down};
    for (int i = 0; i < 4; i++)
        if (matrix_addr(s, 4 * l + i, w[i], err, errlen)) return -1;
    return 0;
}

static int layer_vectors(dev_step_t *s, int l, dev_layer_t *L, char *err, size_t errlen)
{
    const forward_t *f = s->f;
    ds_shape_t d = ds_shape(s);
    int rc = put_vf32(s, f->norm_attn[l], d.H, &L->attn_norm, "a norm weight", err, errlen) ||
             put_vf32(s, f->norm_ffn[l], d.H, &L->ffn_norm, "a norm weight", err, errlen);
    if (!rc && f->norm_q[l])
        rc = put_vf32(s, f->norm_q[l], d.hd, &L->q_norm, "a q norm weight", err, errlen) ||
             put_vf32(s, f->norm_k[l], d.hd, &L->k_norm, "a k norm weight", err, errlen);
    if (!rc && f->norm_attn_sub[l])
        rc = put_vf32(s, f->norm_attn_sub[l], d.qd, &L->attn_sub_norm, "a sub-norm weight", err, errlen) ||
             put_vf32(s, f->norm_ffn_sub[l], d.ff, &L->ffn_sub_norm, "a sub-norm weight", err, errlen);
    if (!rc && f->bias_qkv[l]) rc = put_bias(s, f->bias_qkv[l], d.qkvd, &L->qkv_bias, err, errlen);
    return rc ? -1 : 0;
}

/* The KV region: per layer and KV head a block of [K cache][V cache][V scales]. */
static int kv_region(dev_step_t *s, char *err, size_t errlen)
{
    const ecim_hw_t *h = &s->dev.hw;
    ds_shape_t d = ds_shape(s);
    uint64_t R = (uint64_t)h->macro_rows, C = (uint64_t)h->macro_cols, cap = (uint64_t)s->cap, hd = (uint64_t)d.hd;
    uint64_t head = UP256(ecim_kv_k_bytes(cap, hd, R, C)) + UP256(ecim_kv_v_bytes(cap, hd, R, C)) + UP256(4 * cap);
    uint64_t all = head * (uint64_t)d.nkv * (uint64_t)d.L;
    if (head > UINT32_MAX || all > UINT32_MAX) {
        snprintf(err, errlen, "device step: KV caches of %d positions do not fit 32-bit addresses", s->cap);
        return -1;
    }
    s->head_bytes = (uint32_t)head;
    if (ds_alloc(s, all, &s->kv_base, "the KV caches", err, errlen)) return -1;
    s->kv_limit = (uint32_t)(s->kv_base + all);
    for (int l = 0; l < d.L; l++) s->layer[l].kv = s->kv_base + (uint32_t)(head * (uint64_t)d.nkv * (uint64_t)l);
    if (s->dev.set_kv(s->dev.ctx, s->kv_base, s->kv_limit) == ACCEL_OK) return 0;
    snprintf(err, errlen, "device step: the device refused the KV region [0x%x, 0x%x)", s->kv_base, s->kv_limit);
    return -1;
}

static int activations(dev_step_t *s, char *err, size_t errlen)
{
    const slm_config_t *c = s->f->c;
    ds_shape_t d = ds_shape(s);
    uint64_t C = (uint64_t)s->dev.hw.macro_cols, hd = (uint64_t)d.hd, cap = (uint64_t)s->cap;
    uint64_t maxk = (uint64_t)(d.H > d.qd ? d.H : d.qd);
    if ((uint64_t)d.ff > maxk) maxk = (uint64_t)d.ff;
    struct { uint32_t *addr; uint64_t bytes; } b[] = {
        {&s->a.resid, ecim_y_stride((uint64_t)d.H, C)},
        {&s->a.xn, ecim_x_stride(maxk)},
        {&s->a.qkv, ecim_y_stride((uint64_t)d.qkvd, C)},
        {&s->a.qk32, c->qk_norm ? (uint64_t)(d.nh + d.nkv) * UP256(4 * hd) : 0},
        {&s->a.rq, (uint64_t)(d.nh + d.nkv) * ecim_x_stride(hd)},
        {&s->a.scores, (uint64_t)s->head_batch * ecim_y_stride(cap, C)},
        {&s->a.probs, (uint64_t)s->head_batch * ecim_x_stride(cap)},
        {&s->a.att, (uint64_t)d.nh * ecim_y_stride(hd, C)},
        {&s->a.gu, ecim_y_stride(2 * (uint64_t)d.ff, C)},
        {&s->a.g32, c->arch == SLM_ARCH_BITNET ? UP256(4 * (uint64_t)d.ff) : 0},
        {&s->a.logits, ecim_y_stride((uint64_t)d.V, C)},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
        if (b[i].bytes && ds_alloc(s, b[i].bytes, b[i].addr, "the activation buffers", err, errlen)) return -1;
    return 0;
}

int ds_map(dev_step_t *s, char *err, size_t errlen)
{
    const forward_t *f = s->f;
    for (int l = 0; l < f->c->layers; l++)
        if (layer_weights(s, l, &s->layer[l], err, errlen) || layer_vectors(s, l, &s->layer[l], err, errlen)) return -1;
    if (matrix_addr(s, 4 * f->c->layers, &s->w_lm_head, err, errlen)) return -1;
    if (put_vf32(s, f->norm_out, f->c->hidden, &s->out_norm, "the output norm weight", err, errlen) ||
        put_embedding(s, err, errlen) || put_rope(s, err, errlen) || kv_region(s, err, errlen) ||
        activations(s, err, errlen))
        return -1;
    return 0;
}
