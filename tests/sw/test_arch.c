/* SPDX-License-Identifier: Apache-2.0 */
/* Accelerator-numerics path (cmodel-functional: INT4 weights, INT8 activations, Q39.24) vs
 * the float path on tiny synthetic models of every architecture family made by mkmodel.
 * Per step: logit cosine and top-1 agreement (teacher-forced on the float path's greedy
 * tokens).  Asserts cosine >= 0.99 at every step for models whose weights are exactly
 * representable on the accelerator (written as Q4_0; BitNet: ternary values in BF16, TQ1_0
 * and TQ2_0); models requantized at load time (every other GGUF type, and llama.cpp's
 * Q4_K_M mix) are reported.  The same tokens as one batched prefill give the same bits (last
 * logits, KV cache) as the steps, on both engines.  Also checks the model loader's errors: missing or misshapen
 * tensors, NaN/Inf/non-positive float hyper-parameters, NaN/Inf scales, bad RoPE factors.
 * Usage: test_arch WORKDIR [seed] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accel.h"
#include "forward.h"
#include "mkmodel.h"
#include "model.h"
#include "quant.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)
static char wd[400];

static double cosine(const float *a, const float *b, int n)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }
    return ab / sqrt(aa * bb + 1e-300);
}

/* hidden 128 (rows too short for the 256-blocks of K-quants and TQ types: llama.cpp's
 * fallback types apply) or 256 */
static slm_config_t tiny_h(const char *preset, int hidden)
{
    slm_config_t c = *slm_preset_find(preset);
    int group = c.heads / c.kv_heads;
    c.hidden = hidden;
    c.intermediate = 2 * hidden;
    c.layers = 4;
    c.head_dim = 32;
    c.heads = hidden / 32;
    c.kv_heads = group >= c.heads ? 1 : c.heads / group;
    c.vocab = 384;
    return c;
}

static double compare_ft(const char *preset, int hidden, const char *type, uint64_t seed, int steps, int assert_cos);

/* The n tokens that `stepped` ran one forward_step at a time, run again as one forward_prefill
 * on a fresh engine (acc NULL: float): the last logits and the whole KV cache must be the same
 * bits, with each layer GEMV one call for the n tokens. */
static void check_prefill(const model_t *m, const forward_t *stepped, ecim_accel_t *acc, const int *toks, int n,
                          const char *preset)
{
    const char *engine = acc ? acc->name : "float";
    forward_t f;
    char err[512];
    if (forward_init(&f, m, acc, n, 0, err, sizeof err) || forward_prefill(&f, toks, n, 0, NULL, NULL, err, sizeof err)) {
        CHECK(0, "%s %s prefill: %s", preset, engine, err);
        return;
    }
    size_t kv = (size_t)m->cfg.layers * n * m->cfg.kv_heads * m->cfg.head_dim * sizeof(float);
    CHECK(!memcmp(f.logits, stepped->logits, (size_t)m->cfg.vocab * sizeof(float)) &&
              !memcmp(f.kcache, stepped->kcache, kv) && !memcmp(f.vcache, stepped->vcache, kv),
          "%s %s: a prefill of %d tokens differs from %d decode steps (logits or KV cache)", preset, engine, n, n);
    CHECK(f.st.gemv_calls[SLM_W_QKV] == m->cfg.layers && f.st.gemv_vectors[SLM_W_QKV] == (long)n * m->cfg.layers &&
              f.st.gemv_calls[SLM_W_LM_HEAD] == 1,
          "%s %s prefill: %ld QKV calls for %ld vectors, %ld LM head calls", preset, engine, f.st.gemv_calls[SLM_W_QKV],
          f.st.gemv_vectors[SLM_W_QKV], f.st.gemv_calls[SLM_W_LM_HEAD]);
    forward_free(&f);
}

/* Runs `steps` teacher-forced steps on both engines; returns the minimum cosine. */
static double compare(const char *preset, gguf_type_t type, uint64_t seed, int steps, int assert_cos)
{
    char t[16];
    snprintf(t, sizeof t, "%s", gguf_type_name(type));
    for (char *p = t; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    return compare_ft(preset, 128, t, seed, steps, assert_cos);
}

static double compare_ft(const char *preset, int hidden, const char *type, uint64_t seed, int steps, int assert_cos)
{
    slm_config_t c = tiny_h(preset, hidden);
    char path[512], err[512] = "";
    mk_ftype_t ft;
    if (mkmodel_parse_type(type, &ft)) {
        CHECK(0, "unknown mkmodel type %s", type);
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s-%s-%d.gguf", wd, preset, type, hidden);
    if (mkmodel_write_ftype(&c, &ft, seed, path, 0, err, sizeof err)) {
        CHECK(0, "mkmodel %s: %s", preset, err);
        return 0;
    }
    model_t m;
    if (model_load(&m, path, err, sizeof err)) {
        CHECK(0, "load %s: %s", path, err);
        return 0;
    }
    CHECK(m.cfg.arch == c.arch && m.cfg.qkv_bias == c.qkv_bias && m.cfg.tie_embeddings == c.tie_embeddings &&
          m.cfg.nope_interval == c.nope_interval && (m.rope_freq_factors != NULL) == (c.rope_scale_factor > 0),
          "%s: configuration read back differs", preset);
    ecim_accel_t acc;
    if (accel_create("cmodel-functional", &acc) != ACCEL_OK) {
        CHECK(0, "accel_create cmodel-functional");
        model_free(&m);
        return 0;
    }
    forward_t ff, fa;
    int rc = forward_init(&ff, &m, NULL, steps, 0, err, sizeof err);
    if (!rc && (rc = forward_init(&fa, &m, &acc, steps, 0, err, sizeof err))) forward_free(&ff);
    if (rc) {
        CHECK(0, "forward_init %s: %s", preset, err);
        acc.destroy(acc.ctx);
        model_free(&m);
        return 0;
    }
    int tok = m.tok.bos >= 0 ? m.tok.bos : 1, agree = 0, *toks = calloc((size_t)steps, sizeof *toks);
    double min_cos = 1, sum_cos = 0;
    printf("%-16s %-6s h%-3d %s:", preset, type, hidden, model_arch_name(c.arch));
    for (int pos = 0; pos < steps; pos++) {
        toks[pos] = tok;
        if (forward_step(&ff, tok, pos, NULL, NULL, err, sizeof err) ||
            forward_step(&fa, tok, pos, NULL, NULL, err, sizeof err)) {
            CHECK(0, "step %d: %s", pos, err);
            break;
        }
        double cs = cosine(ff.logits, fa.logits, m.cfg.vocab);
        int tf = op_argmax(ff.logits, m.cfg.vocab), ta = op_argmax(fa.logits, m.cfg.vocab);
        agree += tf == ta;
        printf(" %.4f%s", cs, tf == ta ? "" : "*");
        if (cs < min_cos) min_cos = cs;
        sum_cos += cs;
        if (assert_cos) CHECK(cs >= 0.99, "%s step %d: cosine %.5f < 0.99", preset, pos, cs);
        tok = tf;
    }
    printf("\n  -> top-1 agreement %d/%d, mean cosine %.5f, min %.5f%s\n", agree, steps,
           sum_cos / steps, min_cos, assert_cos ? " (asserted >= 0.99)" : " (reported)");
    CHECK(fa.st.gemv_calls[SLM_W_QKV] == steps * c.layers && fa.st.gemv_calls[SLM_W_GATE_UP] == steps * c.layers &&
          fa.st.calls[SLM_OP_ROPE] == (long)steps * (c.nope_interval ? c.layers - c.layers / c.nope_interval : c.layers),
          "%s: op counts do not follow the plan", preset);
    check_prefill(&m, &ff, NULL, toks, steps, preset);
    check_prefill(&m, &fa, &acc, toks, steps, preset);
    free(toks);
    forward_free(&ff);
    forward_free(&fa);
    acc.destroy(acc.ctx);
    model_free(&m);
    return min_cos;
}

/* ---------------------------------------------------------------- loader errors */

/* How rewrite() changes a GGUF. */
typedef struct {
    const char *arch;       /* new general.architecture */
    const char *drop;       /* tensor left out */
    const char *reshape;    /* tensor with ne0 and ne1 swapped */
    const char *fkey;       /* KV replaced by the f32 fval (or, fstr set, by that string) */
    float fval;
    const char *fstr;
    const char *nan_tensor; /* tensor whose float field `field` of its last block is set to `bits` */
    int field;
    uint32_t bits;          /* FP16/BF16 patterns use the low 16 bits */
} edit_t;

static void poison(const gguf_tensor_t *t, uint8_t *data, int field, uint32_t bits)
{
    const quant_field_t *fl;
    int nf = quant_float_fields(t->type, &fl);
    uint64_t n = t->ne[0] * t->ne[1], bs = gguf_type_block(t->type), stride = gguf_type_size(t->type, bs);
    if (field >= nf) { CHECK(0, "%s has no float field %d", t->name, field); return; }
    uint8_t *p = data + (n / bs - 1) * stride + fl[field].off;
    for (int i = 0; i < (fl[field].kind == QF_FP32 ? 4 : 2); i++) p[i] = (uint8_t)(bits >> (8 * i));
}

/* Copies a GGUF with the edits of e. */
static void rewrite(const char *src, const char *dst, const edit_t *e)
{
    gguf_file_t f;
    char err[512];
    if (gguf_open(&f, src, err, sizeof err)) { CHECK(0, "%s", err); return; }
    gguf_writer_t *w = gguf_writer_new();
    for (uint64_t i = 0; i < f.n_kv; i++) {
        const gguf_kv_t *kv = &f.kv[i];
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)kv->key.len, kv->key.ptr);
        if (!strcmp(key, "general.architecture") && e->arch) { gguf_w_str(w, key, e->arch); continue; }
        if (e->fkey && !strcmp(key, e->fkey)) {
            if (e->fstr) gguf_w_str(w, key, e->fstr);
            else gguf_w_f32(w, key, e->fval);
            continue;
        }
        if (kv->type == GGUF_TYPE_STRING) {
            char v[256];
            snprintf(v, sizeof v, "%.*s", (int)kv->v.str.len, kv->v.str.ptr);
            gguf_w_str(w, key, v);
        } else if (kv->type == GGUF_TYPE_ARRAY && kv->arr_type == GGUF_TYPE_STRING) {
            const char **s = malloc((size_t)kv->arr_n * sizeof *s);
            uint64_t *l = malloc((size_t)kv->arr_n * sizeof *l);
            for (uint64_t j = 0; j < kv->arr_n; j++) { s[j] = kv->arr_str[j].ptr; l[j] = kv->arr_str[j].len; }
            gguf_w_arr_str(w, key, s, l, kv->arr_n);
            free(s); free(l);
        } else if (kv->type == GGUF_TYPE_ARRAY) {
            gguf_w_arr(w, key, kv->arr_type, kv->arr_data, kv->arr_n);
        } else if (kv->type == GGUF_TYPE_FLOAT32) {
            gguf_w_f32(w, key, (float)kv->v.f64);
        } else {
            gguf_w_scalar(w, key, kv->type, &kv->v.u64);
        }
    }
    if (e->fkey && !gguf_find_kv(&f, e->fkey)) gguf_w_f32(w, e->fkey, e->fval); /* an added key */
    for (uint64_t i = 0; i < f.n_tensors; i++) {
        const gguf_tensor_t *t = &f.tensors[i];
        if (e->drop && !strcmp(t->name, e->drop)) continue;
        uint64_t ne[4] = {t->ne[0], t->ne[1], t->ne[2], t->ne[3]};
        if (e->reshape && !strcmp(t->name, e->reshape)) { ne[0] = t->ne[1]; ne[1] = t->ne[0]; }
        uint8_t *data = malloc((size_t)t->nbytes + 1);
        memcpy(data, t->data, (size_t)t->nbytes);
        if (e->nan_tensor && !strcmp(t->name, e->nan_tensor)) poison(t, data, e->field, e->bits);
        gguf_w_tensor(w, t->name, t->type, (int)t->n_dims, ne, data);
        free(data);
    }
    if (gguf_writer_write(w, dst, NULL, NULL, err, sizeof err)) CHECK(0, "%s", err);
    gguf_writer_free(w);
    gguf_close(&f);
}

static void expect_load_error(const char *path, const char *needle)
{
    model_t m;
    char err[512] = "";
    int rc = model_load(&m, path, err, sizeof err);
    printf("  load error: %s\n", err);
    CHECK(rc != 0 && strstr(err, needle) && strstr(err, path), "expected '%s' for %s, got: %s", needle, path, err);
    if (!rc) model_free(&m);
}

/* Rewrites `src` (a file of the work directory) with e and expects `needle` from the loader. */
static void expect_edit(const char *src, const char *name, const edit_t *e, const char *needle)
{
    char from[512], dst[512];
    snprintf(from, sizeof from, "%s/%s", wd, src);
    snprintf(dst, sizeof dst, "%s/%s.gguf", wd, name);
    rewrite(from, dst, e);
    expect_load_error(dst, needle);
}

static void test_loader_errors(void)
{
    const char *q2 = "qwen2.5-0.5b-q4_0-128.gguf";
    expect_edit(q2, "bad-arch", &(edit_t){.arch = "gpt5"}, "unsupported architecture 'gpt5'");
    expect_edit(q2, "missing", &(edit_t){.drop = "blk.1.ffn_down.weight"}, "missing tensor 'blk.1.ffn_down.weight'");
    expect_edit(q2, "shape", &(edit_t){.reshape = "blk.0.attn_k.weight"},
                "tensor 'blk.0.attn_k.weight' has shape [32, 128], expected [128, 32]");
    expect_edit(q2, "nobias", &(edit_t){.drop = "blk.0.attn_k.bias"}, "only some of the q/k/v biases");
    /* float hyper-parameters: NaN, Inf, zero, negative, not a number */
    const char *eps = "qwen2.attention.layer_norm_rms_epsilon", *base = "qwen2.rope.freq_base";
    expect_edit(q2, "eps-nan", &(edit_t){.fkey = eps, .fval = NAN}, "qwen2.attention.layer_norm_rms_epsilon = nan is not a finite number > 0");
    expect_edit(q2, "eps-zero", &(edit_t){.fkey = eps, .fval = 0}, "qwen2.attention.layer_norm_rms_epsilon = 0 is not a finite number > 0");
    expect_edit(q2, "eps-neg", &(edit_t){.fkey = eps, .fval = -1e-6f}, "layer_norm_rms_epsilon = -1e-06 is not a finite number > 0");
    expect_edit(q2, "eps-str", &(edit_t){.fkey = eps, .fstr = "1e-6"}, "qwen2.attention.layer_norm_rms_epsilon must be a number, not string");
    expect_edit(q2, "base-inf", &(edit_t){.fkey = base, .fval = INFINITY}, "qwen2.rope.freq_base = inf is not a finite number > 0");
    expect_edit(q2, "base-neg", &(edit_t){.fkey = base, .fval = -10000}, "qwen2.rope.freq_base = -10000 is not a finite number > 0");
    expect_edit(q2, "base-nan", &(edit_t){.fkey = base, .fval = -NAN}, "qwen2.rope.freq_base = ");
    const char *l3 = "llama3.2-1b-q4_0-128.gguf";
    expect_edit(l3, "scale-nan", &(edit_t){.fkey = "llama.rope.scaling.factor", .fval = NAN}, "llama.rope.scaling.factor = nan is not a finite number >= 0");
    expect_edit(l3, "lowf-zero", &(edit_t){.fkey = "llama.rope.scaling.low_freq_factor", .fval = 0}, "llama.rope.scaling.low_freq_factor = 0 is not");
    expect_edit(l3, "ctx-huge", &(edit_t){.fkey = "llama.rope.scaling.original_context_length", .fval = 1e30f}, "out of range");
    /* NaN/Inf scales and values, named with the tensor */
    expect_edit(q2, "scale-q40", &(edit_t){.nan_tensor = "blk.0.attn_q.weight", .bits = 0x7e00},
                "tensor 'blk.0.attn_q.weight' (Q4_0) has a NaN or Inf scale in block 511 (row 127)");
    expect_edit(q2, "scale-norm", &(edit_t){.nan_tensor = "output_norm.weight", .bits = 0x7f800000},
                "tensor 'output_norm.weight' (F32) holds a NaN or Inf at element 127");
    const char *k4 = "llama3.2-1b-q4_k_m-256.gguf";
    expect_edit(k4, "scale-q4k", &(edit_t){.nan_tensor = "blk.2.ffn_up.weight", .field = 1, .bits = 0xfc00},
                "tensor 'blk.2.ffn_up.weight' (Q4_K) has a NaN or Inf scale in block 511 (row 511)");
    expect_edit(k4, "scale-q6k", &(edit_t){.nan_tensor = "blk.3.attn_v.weight", .bits = 0x7c00},
                "tensor 'blk.3.attn_v.weight' (Q6_K) has a NaN or Inf scale in block 63 (row 63)");
    const char *b2 = "bitnet-b1.58-2b-tq2_0-256.gguf";
    expect_edit(b2, "scale-tq2", &(edit_t){.nan_tensor = "blk.1.ffn_down.weight", .bits = 0x7d00},
                "tensor 'blk.1.ffn_down.weight' (TQ2_0) has a NaN or Inf scale");
    /* Llama-3 RoPE factors: the tensor wins over the keys, and must hold positive numbers */
    expect_edit(l3, "ropefreq-zero", &(edit_t){.nan_tensor = "rope_freqs.weight", .bits = 0},
                "rope_freqs.weight[15] = 0 is not a finite number > 0");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/not-a-model.gguf", wd);
    mkdir(dir, 0755);
    expect_load_error(dir, "is a directory");
}

/* The RoPE factors come from rope_freqs.weight, as llama.cpp's converter writes them for
 * Llama 3 (mkmodel no longer writes the rope.scaling.* keys, which llama.cpp would read as
 * linear scaling), and equal what the keys would give. */
static void test_rope_freqs(void)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/llama3.2-1b-q4_0-128.gguf", wd);
    model_t m;
    if (model_load(&m, path, err, sizeof err)) { CHECK(0, "%s", err); return; }
    CHECK(gguf_find_tensor(&m.file, "rope_freqs.weight") && !gguf_find_kv(&m.file, "llama.rope.scaling.factor"),
          "llama3 file: rope_freqs.weight expected, rope.scaling.factor not");
    const slm_config_t *p = slm_preset_find("llama3.2-1b");
    slm_config_t c = m.cfg;
    c.rope_scale_factor = p->rope_scale_factor;
    c.rope_orig_max_pos = p->rope_orig_max_pos;
    c.rope_low_freq_factor = p->rope_low_freq_factor;
    c.rope_high_freq_factor = p->rope_high_freq_factor;
    float want[64];
    model_llama3_freq_factors(&c, want);
    int same = m.rope_freq_factors != NULL;
    for (int i = 0; same && i < c.head_dim / 2; i++) same = m.rope_freq_factors[i] == want[i];
    CHECK(same, "rope factors from rope_freqs.weight differ from the preset's");
    printf("rope_freqs.weight: %d factors, %g .. %g\n", c.head_dim / 2, want[0], want[c.head_dim / 2 - 1]);
    model_free(&m);
}

int main(int argc, char **argv)
{
    snprintf(wd, sizeof wd, "%s", argc > 1 ? argv[1] : ".");
    mkdir(wd, 0755);
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    printf("test_arch seed=%llu (per-step logit cosine, * = top-1 differs)\n", (unsigned long long)seed);
    static const char *families[] = {"tinyllama-1.1b", "llama3.2-1b", "smollm2-1.7b", "qwen2.5-0.5b",
                                     "qwen3-0.6b", "phi3.5-mini", "smollm3-3b"};
    for (unsigned i = 0; i < sizeof families / sizeof families[0]; i++) compare(families[i], GGML_TYPE_Q4_0, seed, 12, 1);
    /* requantized to the accelerator's formats at load time: reported */
    compare("qwen2.5-0.5b", GGML_TYPE_Q8_0, seed, 6, 0);
    compare("qwen2.5-0.5b", GGML_TYPE_F16, seed, 6, 0);
    compare("llama3.2-1b", GGML_TYPE_BF16, seed, 6, 0);
    /* BitNet: WBits 2; mkmodel writes ternary-valued weights, exact on the accelerator as BF16
     * and as TQ1_0/TQ2_0 (one scale per 256, exact in FP16) */
    compare("bitnet-b1.58-2b", GGML_TYPE_BF16, seed, 12, 1);
    compare_ft("bitnet-b1.58-2b", 256, "tq1_0", seed, 12, 1);
    compare_ft("bitnet-b1.58-2b", 256, "tq2_0", seed, 12, 1);
    /* the types people download, requantized to INT4 at load time: reported */
    static const char *const kq[] = {"q4_k_m", "q2_k", "q3_k", "q5_k", "q6_k", "q4_1", "q5_0", "iq4_xs"};
    for (unsigned i = 0; i < sizeof kq / sizeof kq[0]; i++) compare_ft("llama3.2-1b", 256, kq[i], seed, 6, 0);
    compare_ft("phi3.5-mini", 256, "q4_k_m", seed, 6, 0);
    test_loader_errors();
    test_rope_freqs();
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
