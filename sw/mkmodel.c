/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim mkmodel`: writes a GGUF with seeded random weights shaped like one of the
 * slm_config.h presets (optionally scaled down) and a small tokenizer in its metadata. */
#include "mkmodel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "cli_num.h"
#include "model.h"
#include "quant.h"
#include "rng.h"
#include "tok_build.h"

typedef struct {
    slm_config_t c;
    mk_ftype_t ft;
    uint64_t seed;
    int verbose;
    /* per tensor: kind of init */
    int *kind;   /* see INIT_* */
    int n_tensors;
} mk_t;

/* linear N(0, 1/sqrt(K)), norm 1 + N(0, 0.1), bias N(0, 0.1), Llama-3 RoPE frequency factors */
enum { INIT_LINEAR, INIT_NORM, INIT_BIAS, INIT_ROPE_FREQS };

/* ------------------------------------------------------------------ weight types */

static const mk_ftype_t ftypes[] = {
    {"f32", GGML_TYPE_F32, MK_MIX_PURE, 0},       {"f16", GGML_TYPE_F16, MK_MIX_PURE, 1},
    {"bf16", GGML_TYPE_BF16, MK_MIX_PURE, 32},    {"q4_0", GGML_TYPE_Q4_0, MK_MIX_PURE, 2},
    {"q4_1", GGML_TYPE_Q4_1, MK_MIX_PURE, 3},     {"q5_0", GGML_TYPE_Q5_0, MK_MIX_PURE, 8},
    {"q5_1", GGML_TYPE_Q5_1, MK_MIX_PURE, 9},     {"q8_0", GGML_TYPE_Q8_0, MK_MIX_PURE, 7},
    {"q2_k", GGML_TYPE_Q2_K, MK_MIX_PURE, 10},    {"q3_k", GGML_TYPE_Q3_K, MK_MIX_PURE, 11},
    {"q4_k", GGML_TYPE_Q4_K, MK_MIX_PURE, 14},    {"q5_k", GGML_TYPE_Q5_K, MK_MIX_PURE, 16},
    {"q6_k", GGML_TYPE_Q6_K, MK_MIX_PURE, 18},    {"q4_k_m", GGML_TYPE_Q4_K, MK_MIX_Q4_K_M, 15},
    {"q5_k_m", GGML_TYPE_Q5_K, MK_MIX_Q5_K_M, 17}, {"iq4_nl", GGML_TYPE_IQ4_NL, MK_MIX_PURE, 25},
    {"iq4_xs", GGML_TYPE_IQ4_XS, MK_MIX_PURE, 30}, {"tq1_0", GGML_TYPE_TQ1_0, MK_MIX_PURE, 36},
    {"tq2_0", GGML_TYPE_TQ2_0, MK_MIX_PURE, 37},
};

int mkmodel_parse_type(const char *s, mk_ftype_t *out)
{
    for (unsigned i = 0; i < sizeof ftypes / sizeof ftypes[0]; i++)
        if (strcmp(s, ftypes[i].name) == 0) {
            *out = ftypes[i];
            return 0;
        }
    return -1;
}

const char *mkmodel_type_list(void)
{
    static char list[256];
    if (!list[0])
        for (unsigned i = 0, n = 0; i < sizeof ftypes / sizeof ftypes[0]; i++)
            n += (unsigned)snprintf(list + n, sizeof list - n, "%s%s", n ? " " : "", ftypes[i].name);
    return list;
}

/* llama.cpp's use_more_bits(): the first and last eighth of the layers and every third one
 * in between get more bits in the _M mixes. */
static int use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

/* llama.cpp's fallback for rows that do not split into the type's blocks. */
static gguf_type_t fallback(gguf_type_t t, uint64_t ne0)
{
    if (ne0 % gguf_type_block(t) == 0) return t;
    switch (t) {
    case GGML_TYPE_TQ1_0: case GGML_TYPE_TQ2_0: t = GGML_TYPE_Q4_0; break;
    case GGML_TYPE_Q2_K: case GGML_TYPE_Q3_K: case GGML_TYPE_IQ4_XS: t = GGML_TYPE_IQ4_NL; break;
    case GGML_TYPE_Q4_K: t = GGML_TYPE_Q5_0; break;
    case GGML_TYPE_Q5_K: t = GGML_TYPE_Q5_1; break;
    case GGML_TYPE_Q6_K: t = GGML_TYPE_Q8_0; break;
    default: break;
    }
    return ne0 % gguf_type_block(t) ? GGML_TYPE_F16 : t;
}

/* llama.cpp's llama_tensor_get_type() for LLAMA_FTYPE_MOSTLY_Q4_K_M / Q5_K_M, for models
 * without experts (llama-quant.cpp): the LM head (the token embedding when tied) Q6_K (Q8_0
 * if its rows do not split into 256-blocks), attn_v and ffn_down Q6_K in the layers
 * use_more_bits() picks, a fused attn_qkv Q5_K (Q6_K for Q5_K_M), everything else the base
 * type; then the fallback of incompatible rows. */
gguf_type_t mkmodel_tensor_type(const slm_config_t *c, gguf_type_t base, mk_mix_t mix, const char *name,
                                int layer, uint64_t ne0)
{
    gguf_type_t t = base;
    if (mix != MK_MIX_PURE) {
        int lm_head = !strcmp(name, "output.weight") || (c->tie_embeddings && !strcmp(name, "token_embd.weight"));
        if (lm_head) t = ne0 % gguf_type_block(base) ? GGML_TYPE_Q8_0 : GGML_TYPE_Q6_K;
        else if (strstr(name, "attn_v.weight") || strstr(name, "ffn_down")) {
            if (use_more_bits(layer, c->layers)) t = GGML_TYPE_Q6_K;
        } else if (strstr(name, "attn_qkv.weight")) {
            t = mix == MK_MIX_Q4_K_M ? GGML_TYPE_Q5_K : GGML_TYPE_Q6_K;
        }
    }
    return fallback(t, ne0);
}

/* ------------------------------------------------------------------ tokenizers of the families */

/* What the real GGUF files of each family have (llama.cpp's converter from the HF tokenizer
 * configs): special tokens, BOS/EOS, whether BOS is added, the BPE pre-tokenizer name. */
static const char *const sp_llama3[] = {"<|begin_of_text|>", "<|end_of_text|>"};
static const char *const sp_qwen[] = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
static const char *const sp_smollm3[] = {"<|begin_of_text|>", "<|end_of_text|>", "<|im_start|>", "<|im_end|>"};
static const char *const sp_phi3[] = {"<|endoftext|>"}; /* llama.cpp's phi3 vocab needs it */
static const struct { const char *prefix; int spm; tok_spec_t spec; } tok_families[] = {
    {"tinyllama", 1, {NULL, NULL, 0, "<s>", "</s>", 1}},
    {"phi3", 1, {NULL, sp_phi3, 1, "<s>", "<|endoftext|>", 0}},
    {"llama3", 0, {"llama-bpe", sp_llama3, 2, "<|begin_of_text|>", "<|end_of_text|>", 1}},
    {"bitnet", 0, {"llama-bpe", sp_llama3, 2, "<|begin_of_text|>", "<|end_of_text|>", 1}},
    {"qwen2", 0, {"qwen2", sp_qwen, 3, "<|endoftext|>", "<|endoftext|>", 0}},
    {"qwen3", 0, {"qwen2", sp_qwen, 3, "<|endoftext|>", "<|im_end|>", 0}},
    {"smollm2", 0, {"smollm", sp_qwen, 3, "<|endoftext|>", "<|endoftext|>", 0}},
    {"smollm3", 0, {"smaug-bpe", sp_smollm3, 4, "<|begin_of_text|>", "<|im_end|>", 0}},
};

static int write_tokenizer(gguf_writer_t *w, const slm_config_t *c)
{
    for (unsigned i = 0; i < sizeof tok_families / sizeof tok_families[0]; i++)
        if (strncmp(c->name, tok_families[i].prefix, strlen(tok_families[i].prefix)) == 0)
            return tok_families[i].spm ? tok_build_spm_spec(w, tok_build_corpus, c->vocab, &tok_families[i].spec)
                                       : tok_build_bpe_spec(w, tok_build_corpus, c->vocab, &tok_families[i].spec);
    return tok_build_bpe(w, tok_build_corpus, c->vocab); /* a preset of no known family: Llama 3's */
}

/* The tensors are generated in mkmodel_write (data copied into the writer per tensor would
 * cost the whole model in memory); fill() regenerates them on demand instead. */
typedef struct {
    mk_t *mk;
    int n;
    char (*name)[96];
    uint64_t (*ne)[2];
    int *dims;
    gguf_type_t *type;
} plan_t;

static int gen_tensor(plan_t *p, int idx, void *buf)
{
    mk_t *mk = p->mk;
    if (mk->kind[idx] == INIT_ROPE_FREQS) { /* what llama.cpp's converter computes for Llama 3 */
        model_llama3_freq_factors(&mk->c, buf);
        return 0;
    }
    rng_t r;
    rng_seed(&r, mk->seed * 1000003ull + (uint64_t)idx);
    uint64_t K = p->ne[idx][0], N = p->dims[idx] == 2 ? p->ne[idx][1] : 1;
    float *row = malloc((size_t)K * sizeof *row);
    if (!row) return -1;
    size_t rb = (size_t)gguf_type_size(p->type[idx], K);
    double sd = mk->kind[idx] == INIT_LINEAR ? 1.0 / sqrt((double)K) : 0.1;
    /* Ternary (WBits 2, BitNet) models get weights that are ternary already: s * {-1, 0, 1},
     * s exact in BF16 and FP16, variance 1/K as for the others. */
    int ternary = mk->c.wbits == 2 && mk->kind[idx] == INIT_LINEAR;
    float s = bf16_to_fp32(fp32_to_bf16((float)sqrt(1.5 / (double)K)));
    for (uint64_t n = 0; n < N; n++) {
        for (uint64_t k = 0; k < K; k++)
            row[k] = ternary ? s * (float)((int)rng_below(&r, 3) - 1)
                             : (float)((mk->kind[idx] == INIT_NORM ? 1.0 : 0.0) + sd * rng_normal(&r));
        if (quantize_row(p->type[idx], row, (uint8_t *)buf + n * rb, (size_t)K)) {
            free(row);
            return -1;
        }
        if (mk->verbose && N * K > (50u << 20) && n % 8192 == 0)
            fprintf(stderr, "\rmkmodel: %s %3.0f%% ", p->name[idx], 100.0 * n / N);
    }
    free(row);
    return 0;
}

static int fill_plan(void *vctx, int idx, void *buf, uint64_t nbytes)
{
    (void)nbytes;
    return gen_tensor(vctx, idx, buf);
}

static int add(plan_t *p, gguf_writer_t *w, const char *name, int kind, int layer, uint64_t ne0, uint64_t ne1)
{
    int i = p->n++;
    const mk_t *mk = p->mk;
    snprintf(p->name[i], 96, "%s", name);
    p->ne[i][0] = ne0;
    p->ne[i][1] = ne1;
    p->dims[i] = ne1 ? 2 : 1;
    /* norms, biases and RoPE factors stay F32, as llama.cpp */
    p->type[i] = ne1 ? mkmodel_tensor_type(&mk->c, mk->ft.type, mk->ft.mix, name, layer, ne0) : GGML_TYPE_F32;
    p->mk->kind[i] = kind;
    uint64_t ne[2] = {ne0, ne1};
    return gguf_w_tensor(w, name, p->type[i], p->dims[i], ne, NULL);
}

/* "Q4_K 40, Q6_K 9, F32 13" as llama.cpp's loader prints it. */
static void print_types(const plan_t *p)
{
    fprintf(stderr, "\nmkmodel: tensor types:");
    for (int t = 0; t < 64; t++) {
        int n = 0;
        for (int i = 0; i < p->n; i++) n += (int)p->type[i] == t;
        if (n) fprintf(stderr, " %s %d", gguf_type_name((gguf_type_t)t), n);
    }
    fprintf(stderr, "\n");
}

int mkmodel_write(const slm_config_t *c, gguf_type_t type, uint64_t seed, const char *path,
                  int verbose, char *err, size_t errlen)
{
    mk_ftype_t ft = {gguf_type_name(type), type, MK_MIX_PURE, 0};
    for (unsigned i = 0; i < sizeof ftypes / sizeof ftypes[0]; i++)
        if (ftypes[i].type == type && ftypes[i].mix == MK_MIX_PURE) ft = ftypes[i];
    return mkmodel_write_ftype(c, &ft, seed, path, verbose, err, errlen);
}

int mkmodel_write_ftype(const slm_config_t *c, const mk_ftype_t *ft, uint64_t seed, const char *path,
                        int verbose, char *err, size_t errlen)
{
    if (c->hidden % 32 || c->intermediate % 32 || (c->heads * c->head_dim) % 32) {
        snprintf(err, errlen, "hidden, ff and heads*head_dim must be multiples of 32");
        return -1;
    }
    const char *arch = model_arch_name(c->arch);
    int max_t = 8 + 20 * c->layers;
    mk_t mk = {.c = *c, .ft = *ft, .seed = seed, .verbose = verbose};
    plan_t p = {.mk = &mk};
    mk.kind = calloc((size_t)max_t, sizeof *mk.kind);
    p.name = calloc((size_t)max_t, sizeof *p.name);
    p.ne = calloc((size_t)max_t, sizeof *p.ne);
    p.dims = calloc((size_t)max_t, sizeof *p.dims);
    p.type = calloc((size_t)max_t, sizeof *p.type);
    gguf_writer_t *w = gguf_writer_new();
    int rc = (mk.kind && p.name && p.ne && p.dims && p.type && w) ? 0 : -1;
    char key[128];
#define KEY(s) (snprintf(key, sizeof key, "%s.%s", arch, s), key)
    if (!rc) rc = gguf_w_str(w, "general.architecture", arch);
    if (!rc) rc = gguf_w_str(w, "general.name", c->name);
    if (!rc) rc = gguf_w_u32(w, "general.quantization_version", 2);
    if (!rc) rc = gguf_w_u32(w, "general.file_type", ft->file_type);
    if (!rc) rc = gguf_w_u32(w, KEY("context_length"), (uint32_t)c->max_pos);
    if (!rc) rc = gguf_w_u32(w, KEY("embedding_length"), (uint32_t)c->hidden);
    if (!rc) rc = gguf_w_u32(w, KEY("feed_forward_length"), (uint32_t)c->intermediate);
    if (!rc) rc = gguf_w_u32(w, KEY("block_count"), (uint32_t)c->layers);
    if (!rc) rc = gguf_w_u32(w, KEY("attention.head_count"), (uint32_t)c->heads);
    if (!rc) rc = gguf_w_u32(w, KEY("attention.head_count_kv"), (uint32_t)c->kv_heads);
    if (!rc) rc = gguf_w_u32(w, KEY("attention.key_length"), (uint32_t)c->head_dim);
    if (!rc) rc = gguf_w_u32(w, KEY("attention.value_length"), (uint32_t)c->head_dim);
    if (!rc) rc = gguf_w_u32(w, KEY("rope.dimension_count"), (uint32_t)c->head_dim);
    if (!rc) rc = gguf_w_f32(w, KEY("rope.freq_base"), (float)c->rope_theta);
    if (!rc) rc = gguf_w_f32(w, KEY("attention.layer_norm_rms_epsilon"), (float)c->rms_eps);
    if (!rc) rc = gguf_w_u32(w, KEY("vocab_size"), (uint32_t)c->vocab);
    /* Llama-3 RoPE scaling is the rope_freqs.weight tensor below, as llama.cpp's converter
     * writes it: a rope.scaling.factor key would make llama.cpp scale every frequency
     * linearly.  SmolLM3's no-RoPE interval (4) is llama.cpp's constant, not a key either. */
    if (!rc) rc = write_tokenizer(w, c);
    const char *chat_tmpl = chat_template_for_preset(c->name); /* as the family's checkpoints carry */
    if (!rc && chat_tmpl) rc = gguf_w_str(w, "tokenizer.chat_template", chat_tmpl);
    if (rc && !err[0]) snprintf(err, errlen, "cannot build the metadata/tokenizer (vocab %d too small?)", c->vocab);
    uint64_t h = (uint64_t)c->hidden, qd = (uint64_t)c->heads * c->head_dim,
             kvd = (uint64_t)c->kv_heads * c->head_dim, ff = (uint64_t)c->intermediate;
    if (!rc && c->rope_scale_factor > 0) rc = add(&p, w, "rope_freqs.weight", INIT_ROPE_FREQS, 0, (uint64_t)c->head_dim / 2, 0);
    if (!rc) rc = add(&p, w, "token_embd.weight", INIT_LINEAR, 0, h, (uint64_t)c->vocab);
    if (!rc) rc = add(&p, w, "output_norm.weight", INIT_NORM, 0, h, 0);
    if (!rc && !c->tie_embeddings) rc = add(&p, w, "output.weight", INIT_LINEAR, 0, h, (uint64_t)c->vocab);
    for (int l = 0; l < c->layers && !rc; l++) {
        char n[96];
#define T(fmt, kind, a, b) (snprintf(n, sizeof n, fmt, l), rc = rc ? rc : add(&p, w, n, kind, l, a, b))
        T("blk.%d.attn_norm.weight", INIT_NORM, h, 0);
        if (c->fused_qkv) {
            T("blk.%d.attn_qkv.weight", INIT_LINEAR, h, qd + 2 * kvd);
        } else {
            T("blk.%d.attn_q.weight", INIT_LINEAR, h, qd);
            T("blk.%d.attn_k.weight", INIT_LINEAR, h, kvd);
            T("blk.%d.attn_v.weight", INIT_LINEAR, h, kvd);
        }
        if (c->qkv_bias) {
            T("blk.%d.attn_q.bias", INIT_BIAS, qd, 0);
            T("blk.%d.attn_k.bias", INIT_BIAS, kvd, 0);
            T("blk.%d.attn_v.bias", INIT_BIAS, kvd, 0);
        }
        if (c->qk_norm) {
            T("blk.%d.attn_q_norm.weight", INIT_NORM, (uint64_t)c->head_dim, 0);
            T("blk.%d.attn_k_norm.weight", INIT_NORM, (uint64_t)c->head_dim, 0);
        }
        if (c->arch == SLM_ARCH_BITNET) {
            T("blk.%d.attn_sub_norm.weight", INIT_NORM, qd, 0);
            T("blk.%d.ffn_sub_norm.weight", INIT_NORM, ff, 0);
        }
        T("blk.%d.attn_output.weight", INIT_LINEAR, qd, h);
        T("blk.%d.ffn_norm.weight", INIT_NORM, h, 0);
        if (c->fused_qkv) {
            T("blk.%d.ffn_up.weight", INIT_LINEAR, h, 2 * ff);
        } else {
            T("blk.%d.ffn_gate.weight", INIT_LINEAR, h, ff);
            T("blk.%d.ffn_up.weight", INIT_LINEAR, h, ff);
        }
        T("blk.%d.ffn_down.weight", INIT_LINEAR, ff, h);
#undef T
    }
#undef KEY
    if (rc && !err[0]) snprintf(err, errlen, "cannot describe the tensors");
    if (!rc) rc = gguf_writer_write(w, path, fill_plan, &p, err, errlen);
    if (verbose) print_types(&p);
    gguf_writer_free(w);
    free(mk.kind);
    free(p.name);
    free(p.ne);
    free(p.dims);
    free(p.type);
    return rc ? -1 : 0;
}

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim mkmodel --preset NAME [options] -o FILE.gguf\n"
            "  --preset NAME       the model to imitate (list below; required)\n"
            "  -o, --output FILE   the GGUF file to write (required)\n"
            "  --layers L          blocks (default: the preset's)\n"
            "  --hidden H          embedding width, a multiple of 32 (keeps head_dim when it can, the\n"
            "                      preset's GQA ratio and heads x head_dim == hidden if the preset has it)\n"
            "  --ff F              feed-forward width, a multiple of 32\n"
            "  --vocab V           vocabulary size (default 512, at least 320; full: the preset's own,\n"
            "                      which with no --layers/--hidden/--ff makes the full-size model)\n"
            "  --seed S            weight seed (default 1)\n"
            "  --type T            weight type (default q4_0; list below; norms and biases stay F32)\n"
            "  --quiet             no progress on stderr\n"
            "  -h, --help          this text\n"
            "Writes seeded random weights N(0, 1/sqrt(K)) shaped like preset NAME, scaled down by the\n"
            "options, a small tokenizer with the family's specials, BOS/EOS and pre-tokenizer (BPE, or\n"
            "SentencePiece-style for tinyllama/phi3) and the family's tokenizer.chat_template (none\n"
            "for BitNet).  --type: one type for every 2-D weight, as llama-quantize --pure, or\n"
            "q4_k_m / q5_k_m, llama.cpp's per-tensor mixes; rows that do not split into the type's\n"
            "blocks (256 for K-quants and TQ) use llama.cpp's fallback type.  Types:\n"
            "  %s\nPresets:", mkmodel_type_list());
    for (int i = 0; i < slm_n_presets; i++) fprintf(o, " %s", slm_presets[i].name);
    fprintf(o, "\n");
    return o == stdout ? 0 : 2;
}

void mkmodel_scale_hidden(slm_config_t *c, int hidden)
{
    int group = c->heads / c->kv_heads, square = c->heads * c->head_dim == c->hidden, hd = c->head_dim;
    c->hidden = hidden;
    if (hd * 2 > hidden) { /* at least two heads */
        hd = hidden / 2 / 32 * 32;
        if (hd <= 0) hd = 32;
    }
    if (square) { /* the largest even head_dim <= hd that divides hidden into a multiple of the
                   * group's heads; failing that, one that divides hidden */
        int best = 0;
        for (int pass = 0; pass < 2 && !best; pass++)
            for (int d = hd; d >= 2 && !best; d -= 2)
                if (hidden % d == 0 && (pass || (hidden / d) % group == 0)) best = d;
        if (best) hd = best;
    }
    c->head_dim = hd;
    int heads = hidden / hd;
    if (heads < 1) heads = 1;
    int kv = heads / group > 0 ? heads / group : 1;
    while (heads % kv) kv--; /* heads stays hidden / head_dim: kv_heads must divide it */
    c->heads = heads;
    c->kv_heads = kv;
}

#define WHO "edgecim mkmodel"

int edgecim_cmd_mkmodel(int argc, char **argv)
{
    const char *preset = NULL, *out = NULL;
    int layers = 0, hidden = 0, ff = 0, vocab = 512, verbose = 1;
    uint64_t seed = 1;
    mk_ftype_t type;
    mkmodel_parse_type("q4_0", &type);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return usage(stdout);
        if (strcmp(a, "--quiet") == 0) { verbose = 0; continue; }
        if (i + 1 >= argc) {
            fprintf(stderr, "edgecim mkmodel: unknown option or missing value: %s\n", a);
            return usage(stderr);
        }
        const char *v = argv[++i];
        if (strcmp(a, "--preset") == 0) preset = v;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) out = v;
        else if (strcmp(a, "--layers") == 0) { if (cli_int(WHO, a, v, 1, 1 << 24, &layers)) return 2; }
        else if (strcmp(a, "--hidden") == 0) { if (cli_int(WHO, a, v, 1, 1 << 24, &hidden)) return 2; }
        else if (strcmp(a, "--ff") == 0) { if (cli_int(WHO, a, v, 1, 1 << 24, &ff)) return 2; }
        else if (strcmp(a, "--vocab") == 0) {
            if (strcmp(v, "full") == 0) vocab = 0; /* the preset's own */
            else if (cli_int(WHO, a, v, 1, 1 << 24, &vocab)) return 2;
        }
        else if (strcmp(a, "--seed") == 0) { if (cli_u64(WHO, a, v, &seed)) return 2; }
        else if (strcmp(a, "--type") == 0) {
            if (mkmodel_parse_type(v, &type)) {
                fprintf(stderr, "edgecim mkmodel: unknown --type '%s' (%s)\n", v, mkmodel_type_list());
                return 2;
            }
        } else {
            fprintf(stderr, "edgecim mkmodel: unknown option %s\n", a);
            return usage(stderr);
        }
    }
    if (!preset || !out) {
        fprintf(stderr, "edgecim mkmodel: --preset and -o are required\n");
        return usage(stderr);
    }
    const slm_config_t *base = slm_preset_find(preset);
    if (!base) {
        fprintf(stderr, "edgecim mkmodel: unknown preset '%s'\n", preset);
        return usage(stderr);
    }
    slm_config_t c = *base;
    if (layers) c.layers = layers;
    if (hidden) mkmodel_scale_hidden(&c, hidden);
    if (ff) c.intermediate = ff;
    if (vocab) c.vocab = vocab;
    if (c.max_pos > 4096 && (layers || hidden)) c.max_pos = 4096;
    char err[512] = "";
    if (mkmodel_write_ftype(&c, &type, seed, out, verbose, err, sizeof err)) {
        fprintf(stderr, "edgecim mkmodel: %s\n", err);
        return 1;
    }
    if (verbose)
        fprintf(stderr, "mkmodel: wrote %s (%s %s: hidden %d, ff %d, layers %d, heads %d/%d x %d, vocab %d)\n",
                out, base->name, type.name, c.hidden, c.intermediate, c.layers, c.heads, c.kv_heads, c.head_dim, c.vocab);
    return 0;
}
