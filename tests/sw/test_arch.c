/* Accelerator-numerics path (cmodel-functional: INT4 weights, INT8 activations, Q39.24) vs
 * the float path on tiny synthetic models of every architecture family made by mkmodel.
 * Per step: logit cosine and top-1 agreement (teacher-forced on the float path's greedy
 * tokens).  Asserts cosine >= 0.99 at every step for models whose weights are exactly
 * representable on the accelerator (written as Q4_0; BitNet: ternary values in BF16); models
 * requantized at load time are reported.  Also checks the model loader's errors.
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

static slm_config_t tiny(const char *preset)
{
    slm_config_t c = *slm_preset_find(preset);
    int group = c.heads / c.kv_heads;
    c.hidden = 128;
    c.intermediate = 256;
    c.layers = 4;
    c.head_dim = 32;
    c.heads = 4;
    c.kv_heads = group >= 4 ? 1 : 4 / group;
    c.vocab = 384;
    return c;
}

/* Runs `steps` teacher-forced steps on both engines; returns the minimum cosine. */
static double compare(const char *preset, gguf_type_t type, uint64_t seed, int steps, int assert_cos)
{
    slm_config_t c = tiny(preset);
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/%s-%s.gguf", wd, preset, gguf_type_name(type));
    if (mkmodel_write(&c, type, seed, path, 0, err, sizeof err)) {
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
    int tok = m.tok.bos >= 0 ? m.tok.bos : 1, agree = 0;
    double min_cos = 1, sum_cos = 0;
    printf("%-16s %-5s %s:", preset, gguf_type_name(type), model_arch_name(c.arch));
    for (int pos = 0; pos < steps; pos++) {
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
    forward_free(&ff);
    forward_free(&fa);
    acc.destroy(acc.ctx);
    model_free(&m);
    return min_cos;
}

/* ---------------------------------------------------------------- loader errors */

/* Copies a GGUF, replacing the architecture, dropping one tensor or reshaping one. */
static void rewrite(const char *src, const char *dst, const char *arch, const char *drop,
                    const char *reshape)
{
    gguf_file_t f;
    char err[512];
    if (gguf_open(&f, src, err, sizeof err)) { CHECK(0, "%s", err); return; }
    gguf_writer_t *w = gguf_writer_new();
    for (uint64_t i = 0; i < f.n_kv; i++) {
        const gguf_kv_t *kv = &f.kv[i];
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)kv->key.len, kv->key.ptr);
        if (!strcmp(key, "general.architecture") && arch) { gguf_w_str(w, key, arch); continue; }
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
    for (uint64_t i = 0; i < f.n_tensors; i++) {
        const gguf_tensor_t *t = &f.tensors[i];
        if (drop && !strcmp(t->name, drop)) continue;
        uint64_t ne[4] = {t->ne[0], t->ne[1], t->ne[2], t->ne[3]};
        if (reshape && !strcmp(t->name, reshape)) { ne[0] = t->ne[1]; ne[1] = t->ne[0]; }
        gguf_w_tensor(w, t->name, t->type, (int)t->n_dims, ne, t->data);
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

static void test_loader_errors(void)
{
    char src[512], dst[512];
    snprintf(src, sizeof src, "%s/qwen2.5-0.5b-Q4_0.gguf", wd);
    snprintf(dst, sizeof dst, "%s/bad-arch.gguf", wd);
    rewrite(src, dst, "gpt5", NULL, NULL);
    expect_load_error(dst, "unsupported architecture 'gpt5'");
    snprintf(dst, sizeof dst, "%s/missing.gguf", wd);
    rewrite(src, dst, NULL, "blk.1.ffn_down.weight", NULL);
    expect_load_error(dst, "missing tensor 'blk.1.ffn_down.weight'");
    snprintf(dst, sizeof dst, "%s/shape.gguf", wd);
    rewrite(src, dst, NULL, NULL, "blk.0.attn_k.weight");
    expect_load_error(dst, "tensor 'blk.0.attn_k.weight' has shape [32, 128], expected [128, 32]");
    snprintf(dst, sizeof dst, "%s/nobias.gguf", wd);
    rewrite(src, dst, NULL, "blk.0.attn_k.bias", NULL);
    expect_load_error(dst, "only some of the q/k/v biases");
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
    /* BitNet: WBits 2; mkmodel writes ternary-valued weights, exact on the accelerator */
    compare("bitnet-b1.58-2b", GGML_TYPE_BF16, seed, 12, 1);
    test_loader_errors();
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
