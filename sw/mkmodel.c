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
    gguf_type_t type;
    uint64_t seed;
    int verbose;
    /* per tensor: kind of init */
    int *kind;   /* 0 linear N(0, 1/sqrt(K)), 1 norm 1 + N(0, 0.1), 2 bias N(0, 0.1) */
    int n_tensors;
} mk_t;

enum { INIT_LINEAR, INIT_NORM, INIT_BIAS };

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

static int add(plan_t *p, gguf_writer_t *w, const char *name, int kind, gguf_type_t type,
               uint64_t ne0, uint64_t ne1)
{
    int i = p->n++;
    snprintf(p->name[i], 96, "%s", name);
    p->ne[i][0] = ne0;
    p->ne[i][1] = ne1;
    p->dims[i] = ne1 ? 2 : 1;
    p->type[i] = ne1 ? type : GGML_TYPE_F32; /* norms and biases stay F32, as llama.cpp */
    p->mk->kind[i] = kind;
    uint64_t ne[2] = {ne0, ne1};
    return gguf_w_tensor(w, name, p->type[i], p->dims[i], ne, NULL);
}

int mkmodel_write(const slm_config_t *c, gguf_type_t type, uint64_t seed, const char *path,
                  int verbose, char *err, size_t errlen)
{
    if (c->hidden % 32 || c->intermediate % 32 || (c->heads * c->head_dim) % 32) {
        snprintf(err, errlen, "hidden, ff and heads*head_dim must be multiples of 32");
        return -1;
    }
    const char *arch = model_arch_name(c->arch);
    int spm = strstr(c->name, "tinyllama") || strstr(c->name, "phi");
    int max_t = 8 + 20 * c->layers;
    mk_t mk = {.c = *c, .type = type, .seed = seed, .verbose = verbose};
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
    if (!rc && c->rope_scale_factor > 0) {
        rc = gguf_w_f32(w, KEY("rope.scaling.factor"), (float)c->rope_scale_factor);
        if (!rc) rc = gguf_w_u32(w, KEY("rope.scaling.original_context_length"), (uint32_t)c->rope_orig_max_pos);
        if (!rc) rc = gguf_w_f32(w, KEY("rope.scaling.low_freq_factor"), (float)c->rope_low_freq_factor);
        if (!rc) rc = gguf_w_f32(w, KEY("rope.scaling.high_freq_factor"), (float)c->rope_high_freq_factor);
    }
    if (!rc && c->nope_interval > 0) rc = gguf_w_u32(w, KEY("no_rope_layer_interval"), (uint32_t)c->nope_interval);
    if (!rc) rc = spm ? tok_build_spm(w, tok_build_corpus, c->vocab) : tok_build_bpe(w, tok_build_corpus, c->vocab);
    const char *chat_tmpl = chat_template_for_preset(c->name); /* as the family's checkpoints carry */
    if (!rc && chat_tmpl) rc = gguf_w_str(w, "tokenizer.chat_template", chat_tmpl);
    if (rc && !err[0]) snprintf(err, errlen, "cannot build the metadata/tokenizer (vocab %d too small?)", c->vocab);
    uint64_t h = (uint64_t)c->hidden, qd = (uint64_t)c->heads * c->head_dim,
             kvd = (uint64_t)c->kv_heads * c->head_dim, ff = (uint64_t)c->intermediate;
    if (!rc) rc = add(&p, w, "token_embd.weight", INIT_LINEAR, type, h, (uint64_t)c->vocab);
    if (!rc) rc = add(&p, w, "output_norm.weight", INIT_NORM, type, h, 0);
    if (!rc && !c->tie_embeddings) rc = add(&p, w, "output.weight", INIT_LINEAR, type, h, (uint64_t)c->vocab);
    for (int l = 0; l < c->layers && !rc; l++) {
        char n[96];
#define T(fmt, kind, a, b) (snprintf(n, sizeof n, fmt, l), rc = rc ? rc : add(&p, w, n, kind, type, a, b))
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
    if (verbose) fprintf(stderr, "\n");
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
            "  --hidden H          embedding width, a multiple of 32 (keeps head_dim when it can and\n"
            "                      the preset's GQA ratio)\n"
            "  --ff F              feed-forward width, a multiple of 32\n"
            "  --vocab V           vocabulary size (default 512, at least 320)\n"
            "  --seed S            weight seed (default 1)\n"
            "  --type T            q4_0 (default), q8_0, f16, f32 or bf16 (norms and biases stay F32)\n"
            "  --quiet             no progress on stderr\n"
            "  -h, --help          this text\n"
            "Writes seeded random weights N(0, 1/sqrt(K)) shaped like preset NAME, scaled down by the\n"
            "options, a small tokenizer (BPE, or SentencePiece-style for tinyllama/phi3) and the\n"
            "family's tokenizer.chat_template (none for BitNet).  Presets:");
    for (int i = 0; i < slm_n_presets; i++) fprintf(o, " %s", slm_presets[i].name);
    fprintf(o, "\n");
    return o == stdout ? 0 : 2;
}

static int parse_type(const char *s, gguf_type_t *t)
{
    static const struct { const char *n; gguf_type_t t; } m[] = {
        {"q4_0", GGML_TYPE_Q4_0}, {"q8_0", GGML_TYPE_Q8_0}, {"f16", GGML_TYPE_F16},
        {"f32", GGML_TYPE_F32}, {"bf16", GGML_TYPE_BF16}};
    for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(s, m[i].n) == 0) { *t = m[i].t; return 0; }
    return -1;
}

#define WHO "edgecim mkmodel"

int edgecim_cmd_mkmodel(int argc, char **argv)
{
    const char *preset = NULL, *out = NULL;
    int layers = 0, hidden = 0, ff = 0, vocab = 512, verbose = 1;
    uint64_t seed = 1;
    gguf_type_t type = GGML_TYPE_Q4_0;
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
        else if (strcmp(a, "--vocab") == 0) { if (cli_int(WHO, a, v, 1, 1 << 24, &vocab)) return 2; }
        else if (strcmp(a, "--seed") == 0) { if (cli_u64(WHO, a, v, &seed)) return 2; }
        else if (strcmp(a, "--type") == 0) {
            if (parse_type(v, &type)) {
                fprintf(stderr, "edgecim mkmodel: unknown --type '%s' (q4_0 q8_0 f16 f32 bf16)\n", v);
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
    if (hidden) {
        int group = c.heads / c.kv_heads;
        c.hidden = hidden;
        if (c.head_dim * 2 > hidden) {
            int hd = hidden / 2 / 32 * 32;
            c.head_dim = hd > 0 ? hd : 32;
        }
        int heads = hidden / c.head_dim;
        if (heads < 1) heads = 1;
        c.kv_heads = heads / group > 0 ? heads / group : 1;
        c.heads = c.kv_heads * (heads / c.kv_heads);
    }
    if (ff) c.intermediate = ff;
    c.vocab = vocab;
    if (c.max_pos > 4096 && (layers || hidden)) c.max_pos = 4096;
    char err[512] = "";
    if (mkmodel_write(&c, type, seed, out, verbose, err, sizeof err)) {
        fprintf(stderr, "edgecim mkmodel: %s\n", err);
        return 1;
    }
    if (verbose)
        fprintf(stderr, "mkmodel: wrote %s (%s: hidden %d, ff %d, layers %d, heads %d/%d x %d, vocab %d)\n",
                out, base->name, c.hidden, c.intermediate, c.layers, c.heads, c.kv_heads, c.head_dim, c.vocab);
    return 0;
}
