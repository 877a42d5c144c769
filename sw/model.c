/* SPDX-License-Identifier: Apache-2.0 */
/* Model loading from GGUF; see model.h. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quant.h"
#include "slm_fit.h"

static const char *const arch_names[] = {"llama", "qwen2", "qwen3", "phi3", "smollm3", "bitnet"};

const char *model_arch_name(slm_arch_t a)
{
    return (unsigned)a < sizeof arch_names / sizeof arch_names[0] ? arch_names[a] : "?";
}

int model_arch_from_name(const char *s, slm_arch_t *a)
{
    for (unsigned i = 0; i < sizeof arch_names / sizeof arch_names[0]; i++)
        if (strcmp(s, arch_names[i]) == 0) {
            *a = (slm_arch_t)i;
            return 0;
        }
    return -1;
}

void model_llama3_freq_factors(const slm_config_t *c, float *out)
{
    double lo_wl = c->rope_orig_max_pos / c->rope_low_freq_factor;
    double hi_wl = c->rope_orig_max_pos / c->rope_high_freq_factor;
    for (int i = 0; i < c->head_dim / 2; i++) {
        double freq = pow(c->rope_theta, -2.0 * i / c->head_dim), wl = 6.283185307179586 / freq;
        if (wl < hi_wl) {
            out[i] = 1.0f;
        } else if (wl > lo_wl) {
            out[i] = (float)c->rope_scale_factor;
        } else {
            double smooth = (c->rope_orig_max_pos / wl - c->rope_low_freq_factor) /
                            (c->rope_high_freq_factor - c->rope_low_freq_factor);
            out[i] = (float)(1.0 / ((1 - smooth) / c->rope_scale_factor + smooth));
        }
    }
}

void model_free(model_t *m)
{
    tokenizer_free(&m->tok);
    free(m->layers);
    free(m->rope_freq_factors);
    gguf_close(&m->file);
    memset(m, 0, sizeof *m);
}

#define MFAIL(...) do { snprintf(err, errlen, __VA_ARGS__); model_free(m); return -1; } while (0)

/* Finds a tensor and checks its shape [ne0, ne1] (ne1 = 0: 1-D). */
static int get_tensor(model_t *m, const gguf_tensor_t **out, int optional, uint64_t ne0,
                      uint64_t ne1, char *err, size_t errlen, const char *fmt, int layer)
{
    char name[96];
    snprintf(name, sizeof name, fmt, layer);
    const gguf_tensor_t *t = gguf_find_tensor(&m->file, name);
    *out = t;
    if (!t) {
        if (optional) return 0;
        snprintf(err, errlen, "%s: missing tensor '%s' (architecture %s)", m->file.path, name, m->arch);
        return -1;
    }
    int dims = ne1 ? 2 : 1;
    uint64_t want1 = ne1 ? ne1 : 1;
    if (t->ne[0] != ne0 || t->ne[1] != want1 || t->ne[2] != 1 || t->ne[3] != 1 || (int)t->n_dims > dims) {
        snprintf(err, errlen, "%s: tensor '%s' has shape [%llu, %llu], expected [%llu, %llu]",
                 m->file.path, name, (unsigned long long)t->ne[0], (unsigned long long)t->ne[1],
                 (unsigned long long)ne0, (unsigned long long)want1);
        return -1;
    }
    return 0;
}

static int get_int(model_t *m, const char *suffix, int64_t *v, int optional, char *err, size_t errlen)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", m->arch, suffix);
    if (gguf_get_int(&m->file, key, v) == 0) {
        if (*v <= 0 || *v > (1 << 30)) {
            snprintf(err, errlen, "%s: %s = %lld is out of range", m->file.path, key, (long long)*v);
            return -1;
        }
        return 0;
    }
    if (optional) return 1;
    snprintf(err, errlen, "%s: missing integer key %s", m->file.path, key);
    return -1;
}

/* A real-valued hyper-parameter `<arch>.suffix`: dflt when absent; an error naming the key
 * when it is not a number, not finite, or (min_excl) not above `min`.  A NaN epsilon or
 * base would otherwise turn every logit into NaN without a word. */
enum { ABOVE, AT_LEAST };
static int get_float(model_t *m, const char *suffix, double dflt, int bound, double min, double *out,
                     char *err, size_t errlen)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", m->arch, suffix);
    const gguf_kv_t *kv = gguf_find_kv(&m->file, key);
    *out = dflt;
    if (!kv) return 0;
    if (gguf_get_float(&m->file, key, out)) {
        snprintf(err, errlen, "%s: %s must be a number, not %s", m->file.path, key,
                 kv->type == GGUF_TYPE_ARRAY ? "an array" : gguf_vtype_name(kv->type));
        return -1;
    }
    if (!isfinite(*out) || (bound == ABOVE ? !(*out > min) : !(*out >= min))) {
        snprintf(err, errlen, "%s: %s = %g is not a finite number %s %g", m->file.path, key, *out,
                 bound == ABOVE ? ">" : ">=", min);
        return -1;
    }
    return 0;
}

/* Every float field (scale, min, or value) of a tensor must be finite: a NaN or Inf scale
 * would poison every output it touches, on the accelerator and in the float reference. */
static int check_finite(const model_t *m, const gguf_tensor_t *t, char *err, size_t errlen)
{
    if (!t) return 0;
    uint64_t n = t->ne[0] * t->ne[1] * t->ne[2] * t->ne[3], bs = gguf_type_block(t->type);
    int64_t b = quant_find_nonfinite(t->type, t->data, n);
    if (b < 0) return 0;
    if (bs == 1)
        snprintf(err, errlen, "%s: tensor '%s' (%s) holds a NaN or Inf at element %lld (row %llu)",
                 m->file.path, t->name, gguf_type_name(t->type), (long long)b,
                 (unsigned long long)((uint64_t)b / t->ne[0]));
    else
        snprintf(err, errlen, "%s: tensor '%s' (%s) has a NaN or Inf scale in block %lld (row %llu)",
                 m->file.path, t->name, gguf_type_name(t->type), (long long)b,
                 (unsigned long long)((uint64_t)b * bs / t->ne[0]));
    return -1;
}

int model_load(model_t *m, const char *path, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (gguf_open(&m->file, path, err, errlen)) return -1;
    slm_config_t *c = &m->cfg;
    if (gguf_get_str(&m->file, "general.architecture", m->arch, sizeof m->arch))
        MFAIL("%s: missing general.architecture", path);
    if (model_arch_from_name(m->arch, &c->arch))
        MFAIL("%s: unsupported architecture '%s' (llama, qwen2, qwen3, phi3, smollm3, bitnet)", path, m->arch);
    if (gguf_get_str(&m->file, "general.name", m->name, sizeof m->name)) snprintf(m->name, sizeof m->name, "%s", m->arch);
    c->name = m->name;
    int64_t v;
    if (get_int(m, "embedding_length", &v, 0, err, errlen)) goto fail;
    c->hidden = (int)v;
    if (get_int(m, "feed_forward_length", &v, 0, err, errlen)) goto fail;
    c->intermediate = (int)v;
    if (get_int(m, "block_count", &v, 0, err, errlen)) goto fail;
    c->layers = (int)v;
    if (get_int(m, "attention.head_count", &v, 0, err, errlen)) goto fail;
    c->heads = (int)v;
    int rc = get_int(m, "attention.head_count_kv", &v, 1, err, errlen);
    if (rc < 0) goto fail;
    c->kv_heads = rc ? c->heads : (int)v;
    rc = get_int(m, "attention.key_length", &v, 1, err, errlen);
    if (rc < 0) goto fail;
    c->head_dim = rc ? c->hidden / c->heads : (int)v;
    rc = get_int(m, "context_length", &v, 1, err, errlen);
    if (rc < 0) goto fail;
    c->max_pos = rc ? 2048 : (int)v;
    if (c->heads % c->kv_heads || c->head_dim % 2)
        MFAIL("%s: head_count %d is not a multiple of head_count_kv %d, or odd head dim %d", path,
              c->heads, c->kv_heads, c->head_dim);
    double orig_ctx = 0, nope = 4;
    if (get_float(m, "rope.freq_base", 10000.0, ABOVE, 0, &c->rope_theta, err, errlen) ||
        get_float(m, "attention.layer_norm_rms_epsilon", 1e-5, ABOVE, 0, &c->rms_eps, err, errlen) ||
        get_float(m, "rope.scaling.factor", 0.0, AT_LEAST, 0, &c->rope_scale_factor, err, errlen) ||
        get_float(m, "rope.scaling.original_context_length", 0.0, AT_LEAST, 0, &orig_ctx, err, errlen) ||
        get_float(m, "rope.scaling.low_freq_factor", 1.0, ABOVE, 0, &c->rope_low_freq_factor, err, errlen) ||
        get_float(m, "rope.scaling.high_freq_factor", 4.0, ABOVE, 0, &c->rope_high_freq_factor, err, errlen) ||
        (c->arch == SLM_ARCH_SMOLLM3 &&
         get_float(m, "no_rope_layer_interval", 4, AT_LEAST, 1, &nope, err, errlen)))
        goto fail;
    if (orig_ctx > (1 << 30) || nope > (1 << 30))
        MFAIL("%s: %s.rope.scaling.original_context_length or no_rope_layer_interval is out of range", path, m->arch);
    c->rope_orig_max_pos = (int)orig_ctx;
    c->act = c->arch == SLM_ARCH_BITNET ? SLM_ACT_RELU2 : SLM_ACT_SILU;
    c->qk_norm = c->arch == SLM_ARCH_QWEN3;
    c->fused_qkv = c->arch == SLM_ARCH_PHI3;
    c->nope_interval = c->arch == SLM_ARCH_SMOLLM3 ? (int)nope : 0;
    c->wbits = c->arch == SLM_ARCH_BITNET ? 2 : 4;
    /* llama.cpp's llama_model_rope_type(): LLAMA and SMOLLM3 rotate consecutive pairs (NORM);
     * QWEN2, QWEN3, PHI3 and BITNET pair x[i] with x[i + d/2] (NEOX). */
    m->rope_neox = slm_rope_neox(c->arch);

    if (tokenizer_load(&m->tok, &m->file, err, errlen)) goto fail;
    c->vocab = m->tok.n_vocab;

    const uint64_t h = (uint64_t)c->hidden, qd = (uint64_t)c->heads * c->head_dim,
                   kvd = (uint64_t)c->kv_heads * c->head_dim, ff = (uint64_t)c->intermediate;
    if (get_tensor(m, &m->tok_embd, 0, h, (uint64_t)c->vocab, err, errlen, "token_embd.weight", 0) ||
        get_tensor(m, &m->output_norm, 0, h, 0, err, errlen, "output_norm.weight", 0) ||
        get_tensor(m, &m->output, 1, h, (uint64_t)c->vocab, err, errlen, "output.weight", 0))
        goto fail;
    c->tie_embeddings = m->output == NULL;
    if (!m->output) m->output = m->tok_embd;
    if (check_finite(m, m->tok_embd, err, errlen) || check_finite(m, m->output_norm, err, errlen) ||
        check_finite(m, m->output, err, errlen))
        goto fail;
    const gguf_tensor_t *rf = gguf_find_tensor(&m->file, "rope_freqs.weight");
    if (rf || c->rope_scale_factor > 0) {
        m->rope_freq_factors = malloc((size_t)c->head_dim / 2 * sizeof(float));
        if (!m->rope_freq_factors) MFAIL("out of memory");
        if (rf) {
            if (rf->ne[0] != (uint64_t)c->head_dim / 2 || rf->ne[1] != 1 || rf->type != GGML_TYPE_F32)
                MFAIL("%s: rope_freqs.weight must be F32 [%d]", path, c->head_dim / 2);
            memcpy(m->rope_freq_factors, rf->data, (size_t)c->head_dim / 2 * sizeof(float));
            for (int i = 0; i < c->head_dim / 2; i++) /* divisors of the frequencies */
                if (!isfinite(m->rope_freq_factors[i]) || !(m->rope_freq_factors[i] > 0))
                    MFAIL("%s: rope_freqs.weight[%d] = %g is not a finite number > 0", path, i,
                          m->rope_freq_factors[i]);
        } else {
            if (c->rope_orig_max_pos <= 0 || c->rope_high_freq_factor <= c->rope_low_freq_factor)
                MFAIL("%s: incomplete %s.rope.scaling.* keys", path, m->arch);
            model_llama3_freq_factors(c, m->rope_freq_factors);
        }
    }
    m->layers = calloc((size_t)c->layers, sizeof *m->layers);
    if (!m->layers) MFAIL("out of memory");
    for (int l = 0; l < c->layers; l++) {
        model_layer_t *L = &m->layers[l];
        int bad = get_tensor(m, &L->attn_norm, 0, h, 0, err, errlen, "blk.%d.attn_norm.weight", l) ||
                  get_tensor(m, &L->ffn_norm, 0, h, 0, err, errlen, "blk.%d.ffn_norm.weight", l) ||
                  get_tensor(m, &L->wo, 0, qd, h, err, errlen, "blk.%d.attn_output.weight", l) ||
                  get_tensor(m, &L->down, 0, ff, h, err, errlen, "blk.%d.ffn_down.weight", l);
        if (!bad && c->fused_qkv)
            bad = get_tensor(m, &L->wqkv, 0, h, qd + 2 * kvd, err, errlen, "blk.%d.attn_qkv.weight", l) ||
                  get_tensor(m, &L->up, 0, h, 2 * ff, err, errlen, "blk.%d.ffn_up.weight", l);
        else if (!bad)
            bad = get_tensor(m, &L->wq, 0, h, qd, err, errlen, "blk.%d.attn_q.weight", l) ||
                  get_tensor(m, &L->wk, 0, h, kvd, err, errlen, "blk.%d.attn_k.weight", l) ||
                  get_tensor(m, &L->wv, 0, h, kvd, err, errlen, "blk.%d.attn_v.weight", l) ||
                  get_tensor(m, &L->gate, 0, h, ff, err, errlen, "blk.%d.ffn_gate.weight", l) ||
                  get_tensor(m, &L->up, 0, h, ff, err, errlen, "blk.%d.ffn_up.weight", l);
        if (!bad)
            bad = get_tensor(m, &L->bq, 1, qd, 0, err, errlen, "blk.%d.attn_q.bias", l) ||
                  get_tensor(m, &L->bk, 1, kvd, 0, err, errlen, "blk.%d.attn_k.bias", l) ||
                  get_tensor(m, &L->bv, 1, kvd, 0, err, errlen, "blk.%d.attn_v.bias", l);
        if (!bad && c->qk_norm)
            bad = get_tensor(m, &L->q_norm, 0, (uint64_t)c->head_dim, 0, err, errlen, "blk.%d.attn_q_norm.weight", l) ||
                  get_tensor(m, &L->k_norm, 0, (uint64_t)c->head_dim, 0, err, errlen, "blk.%d.attn_k_norm.weight", l);
        if (!bad && c->arch == SLM_ARCH_BITNET)
            bad = get_tensor(m, &L->attn_sub_norm, 0, qd, 0, err, errlen, "blk.%d.attn_sub_norm.weight", l) ||
                  get_tensor(m, &L->ffn_sub_norm, 0, ff, 0, err, errlen, "blk.%d.ffn_sub_norm.weight", l);
        const gguf_tensor_t *all[] = {L->attn_norm, L->ffn_norm, L->wq, L->wk, L->wv, L->wqkv, L->bq,
                                      L->bk, L->bv, L->q_norm, L->k_norm, L->wo, L->gate, L->up,
                                      L->down, L->attn_sub_norm, L->ffn_sub_norm};
        for (unsigned i = 0; i < sizeof all / sizeof all[0] && !bad; i++) bad = check_finite(m, all[i], err, errlen);
        if (bad) goto fail;
        int nb = !!L->bq + !!L->bk + !!L->bv;
        if (nb != 0 && nb != 3) MFAIL("%s: layer %d has only some of the q/k/v biases", path, l);
        if (l == 0) c->qkv_bias = nb == 3;
        else if (c->qkv_bias != (nb == 3)) MFAIL("%s: layer %d: q/k/v biases differ between layers", path, l);
    }
    return 0;
fail:
    model_free(m);
    return -1;
}
