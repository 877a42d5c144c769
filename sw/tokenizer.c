/* SPDX-License-Identifier: Apache-2.0 */
/* GGUF tokenizers: loading the vocabulary as llama.cpp does (llama_vocab::impl::load) and
 * turning tokens back into text; encoding is in tok_encode.c.  See tokenizer.h. */
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tok_unicode.h"

/* ------------------------------------------------------------ helpers */

static int parse_byte_token(const char *s, int len)
{
    if (len != 6 || s[0] != '<' || s[1] != '0' || s[2] != 'x' || s[5] != '>') return -1;
    int v = 0;
    for (int i = 3; i < 5; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* llama.cpp's token attribute of a GGUF token type (LLAMA_TOKEN_TYPE_*). */
static int type_attr(int type)
{
    switch (type) {
    case 1: return TOK_ATTR_NORMAL;
    case 2: return TOK_ATTR_UNKNOWN;
    case 3: return TOK_ATTR_CONTROL;
    case 4: return TOK_ATTR_USER_DEFINED;
    case 5: return TOK_ATTR_UNUSED;
    case 6: return TOK_ATTR_BYTE;
    default: return 0; /* undefined */
    }
}

void tokenizer_free(tokenizer_t *t)
{
    free(t->text); free(t->len); free(t->score); free(t->type); free(t->attr);
    free(t->vocab.slots); free(t->merges.slots);
    free(t->special);
    free(t->text_buf); free(t->merge_buf);
    tok_pretok_free(t->pretok);
    memset(t, 0, sizeof *t);
}

#define TFAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* ------------------------------------------------------------ loading */

/* tokenizer.ggml.model and .pre, and the defaults llama.cpp gives each model type. */
static int load_kind(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen)
{
    char model[32];
    if (gguf_get_str(f, "tokenizer.ggml.model", model, sizeof model))
        TFAIL("%s: no tokenizer.ggml.model string", f->path);
    if (gguf_get_str(f, "tokenizer.ggml.pre", t->pre, sizeof t->pre)) t->pre[0] = 0;
    if (strcmp(model, "llama") == 0) {
        t->kind = TOK_SPM;
        t->bos = 1; t->eos = 2; t->unk = 0;
        t->add_bos = 1; t->add_space_prefix = 1;
        return 0;
    }
    if (strcmp(model, "gpt2") != 0) TFAIL("%s: unsupported tokenizer.ggml.model '%s' (gpt2 or llama)", f->path, model);
    t->kind = TOK_BPE;
    t->bos = 11; t->eos = 11; t->unk = -1; /* sic: llama.cpp's BPE defaults */
    t->pre_def = tok_pretok_lookup(t->pre[0] ? t->pre : "default");
    if (!t->pre_def) {
        /* llama.cpp refuses the file; a tokenizer that is probably close is more useful */
        fprintf(stderr, "warning: %s: unknown pre-tokenizer tokenizer.ggml.pre = '%s', using 'default'\n", f->path, t->pre);
        t->pre_def = tok_pretok_lookup("default");
    } else if (!t->pre[0]) {
        fprintf(stderr, "warning: %s: no tokenizer.ggml.pre, using the 'default' pre-tokenizer\n", f->path);
    }
    t->ignore_merges = t->pre_def->ignore_merges;
    t->add_bos = t->pre_def->add_bos;
    if (t->pre_def->no_bos) t->bos = -1;
    if (!(t->pretok = tok_pretok_new(t->pre_def, err, errlen))) return -1;
    return 0;
}

/* Tokens, scores, types -> text (one arena), attributes and the text -> id map. */
static int load_tokens(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen)
{
    const gguf_kv_t *tok = gguf_find_kv(f, "tokenizer.ggml.tokens");
    if (!tok || tok->type != GGUF_TYPE_ARRAY || tok->arr_type != GGUF_TYPE_STRING || tok->arr_n == 0 ||
        tok->arr_n > (1u << 24))
        TFAIL("%s: tokenizer.ggml.tokens missing or not a non-empty string array", f->path);
    int n = t->n_vocab = (int)tok->arr_n;
    const gguf_kv_t *sc = gguf_find_kv(f, "tokenizer.ggml.scores");
    const gguf_kv_t *ty = gguf_find_kv(f, "tokenizer.ggml.token_type");
    if (sc && (sc->type != GGUF_TYPE_ARRAY || sc->arr_n != (uint64_t)n || !sc->arr_data))
        TFAIL("%s: tokenizer.ggml.scores must be a numeric array of %d entries", f->path, n);
    if (ty && (ty->type != GGUF_TYPE_ARRAY || ty->arr_n != (uint64_t)n || !ty->arr_data))
        TFAIL("%s: tokenizer.ggml.token_type must be a numeric array of %d entries", f->path, n);
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        uint64_t l = tok->arr_str[i].len;
        if (l > 4096) TFAIL("%s: token %d is %llu bytes long", f->path, i, (unsigned long long)l);
        bytes += (l ? l : 24) + 1;
    }
    t->text = calloc((size_t)n, sizeof *t->text);
    t->len = calloc((size_t)n, sizeof *t->len);
    t->score = calloc((size_t)n, sizeof *t->score);
    t->type = calloc((size_t)n, sizeof *t->type);
    t->attr = calloc((size_t)n, sizeof *t->attr);
    t->text_buf = malloc(bytes);
    if (!t->text || !t->len || !t->score || !t->type || !t->attr || !t->text_buf || tok_map_init(&t->vocab, (size_t)n))
        TFAIL("out of memory");
    char *p = t->text_buf;
    for (int i = 0; i < n; i++) {
        gguf_str_t s = tok->arr_str[i];
        t->text[i] = p;
        if (s.len) memcpy(p, s.ptr, (size_t)s.len);
        t->len[i] = s.len ? (int)s.len : snprintf(p, 24, "[EMPTY_%d]", i); /* llama.cpp renames empty tokens */
        p[t->len[i]] = 0;
        p += t->len[i] + 1;
        t->score[i] = sc ? (float)gguf_arr_f64(sc, (uint64_t)i) : 0.0f;
        t->type[i] = ty ? (int)gguf_arr_i64(ty, (uint64_t)i) : 1;
        t->attr[i] = type_attr(t->type[i]);
        tok_map_put(&t->vocab, t->text[i], (size_t)t->len[i], i);
    }
    return 0;
}

static int load_merges(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen)
{
    const gguf_kv_t *mg = gguf_find_kv(f, "tokenizer.ggml.merges");
    if (!mg || mg->type != GGUF_TYPE_ARRAY || mg->arr_type != GGUF_TYPE_STRING || mg->arr_n > (1u << 24))
        TFAIL("%s: gpt2 tokenizer without a tokenizer.ggml.merges string array", f->path);
    t->n_merges = (int)mg->arr_n;
    size_t bytes = 1;
    for (int i = 0; i < t->n_merges; i++) bytes += (size_t)mg->arr_str[i].len + 1;
    if (!(t->merge_buf = malloc(bytes)) || tok_map_init(&t->merges, (size_t)t->n_merges)) TFAIL("out of memory");
    char *p = t->merge_buf;
    for (int i = 0; i < t->n_merges; i++) {
        gguf_str_t s = mg->arr_str[i];
        memcpy(p, s.ptr, (size_t)s.len);
        p[s.len] = 0;
        tok_map_put(&t->merges, p, (size_t)s.len, i);
        p += s.len + 1;
    }
    return 0;
}

/* A special token id from its KV: kept only when inside the vocabulary (else the default). */
static void kv_id(const gguf_file_t *f, const char *key, int n, int *id)
{
    int64_t v;
    if (gguf_get_int(f, key, &v) == 0 && v >= 0 && v < n) *id = (int)v;
    if (*id >= n) *id = -1; /* a default beyond a tiny vocabulary */
}

static int kv_set(const gguf_file_t *f, const char *key, int n)
{
    int id = -1;
    kv_id(f, key, n, &id);
    return id >= 0;
}

/* Tokens llama.cpp makes control tokens by their text whatever their type: end-of-generation
 * tokens always, the others when the file does not name that kind of token (llama.cpp then
 * takes the first candidate it meets in hash order; we take them all). */
static const struct {
    const char *kv;   /* NULL: always */
    const char *kv2;  /* deprecated key of the same kind */
    const char *text[8];
} control_looking[] = {
    {NULL, NULL, {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>"}},
    {"tokenizer.ggml.eot_token_id", NULL, {"<\xef\xbd\x9c" "end\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>"}},
    {"tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id",
     {"<|fim_prefix|>", "<fim-prefix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>", "<PRE>"}},
    {"tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id",
     {"<|fim_suffix|>", "<fim-suffix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81hole\xef\xbd\x9c>", "<SUF>"}},
    {"tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id",
     {"<|fim_middle|>", "<fim-middle>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "end\xef\xbd\x9c>", "<MID>"}},
    {"tokenizer.ggml.fim_pad_token_id", NULL, {"<|fim_pad|>", "<fim-pad>", "<PAD>"}},
    {"tokenizer.ggml.fim_rep_token_id", NULL, {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>"}},
    {"tokenizer.ggml.fim_sep_token_id", NULL, {"<|file_sep|>"}},
};

static void set_attr(tokenizer_t *t, const char *text, int bit, int on)
{
    int id = tok_map_get(&t->vocab, text, strlen(text));
    if (id >= 0) t->attr[id] = on ? t->attr[id] | bit : t->attr[id] & ~bit;
}

/* The attributes llama.cpp sets beyond the token types. */
static void fix_attrs(tokenizer_t *t, const gguf_file_t *f)
{
    for (size_t k = 0; k < sizeof control_looking / sizeof control_looking[0]; k++) {
        if (control_looking[k].kv && (kv_set(f, control_looking[k].kv, t->n_vocab) ||
                                      (control_looking[k].kv2 && kv_set(f, control_looking[k].kv2, t->n_vocab))))
            continue;
        for (int i = 0; i < 8 && control_looking[k].text[i]; i++) {
            const char *s = control_looking[k].text[i];
            int id = tok_map_get(&t->vocab, s, strlen(s));
            if (id >= 0) t->attr[id] = TOK_ATTR_CONTROL;
        }
    }
}

/* Per-model strip attributes (llama.cpp sets them by model and pre-tokenizer name). */
static void strip_attrs(tokenizer_t *t, const gguf_file_t *f)
{
    char name[256];
    if (gguf_get_str(f, "general.name", name, sizeof name)) name[0] = 0;
    for (char *c = name; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    if (strstr(t->pre, "jina-v2-de") || strstr(t->pre, "jina-v2-es") || strstr(t->pre, "jina-v2-code")) {
        set_attr(t, "<mask>", TOK_ATTR_LSTRIP, 1);
    } else if (strstr(name, "phi-3") || strstr(name, "phi3")) {
        for (int i = 0; i < t->n_special; i++) t->attr[t->special[i]] |= TOK_ATTR_RSTRIP;
        set_attr(t, "</s>", TOK_ATTR_RSTRIP, 1);
        set_attr(t, "<unk>", TOK_ATTR_RSTRIP, 0);
        set_attr(t, "<s>", TOK_ATTR_RSTRIP, 0);
        set_attr(t, "<|endoftext|>", TOK_ATTR_RSTRIP, 0);
    }
}

typedef struct { int len, id; } len_id_t;

/* Longest text first; equal lengths by id (llama.cpp's std::sort leaves their order open). */
static int by_len_desc(const void *a, const void *b)
{
    const len_id_t *x = a, *y = b;
    return x->len != y->len ? y->len - x->len : x->id - y->id;
}

/* llama.cpp's cache_special_tokens: what tokenizer_st_partition looks for in the text. */
static int build_special(tokenizer_t *t)
{
    const int mask = TOK_ATTR_CONTROL | TOK_ATTR_USER_DEFINED | TOK_ATTR_UNKNOWN;
    for (int i = 0; i < t->n_vocab; i++) t->n_special += (t->attr[i] & mask) != 0;
    size_t n = (size_t)(t->n_special ? t->n_special : 1);
    len_id_t *v = malloc(n * sizeof *v);
    if (!v || !(t->special = malloc(n * sizeof *t->special))) { free(v); return -1; }
    int k = 0;
    for (int i = 0; i < t->n_vocab; i++)
        if (t->attr[i] & mask) v[k++] = (len_id_t){t->len[i], i};
    qsort(v, (size_t)k, sizeof *v, by_len_desc);
    for (int i = 0; i < k; i++) t->special[i] = v[i].id;
    free(v);
    return 0;
}

/* The token of each byte: <0xXX> (SPM, else the one-character token as llama.cpp's
 * byte_to_token) or the byte's character of GPT-2's alphabet (BPE). */
static void build_byte_tokens(tokenizer_t *t)
{
    for (int b = 0; b < 256; b++) {
        char u[8];
        int l;
        if (t->kind == TOK_SPM) {
            snprintf(u, sizeof u, "<0x%02X>", b);
            t->byte_tok[b] = tok_map_get(&t->vocab, u, 6);
            if (t->byte_tok[b] >= 0) continue;
            u[0] = (char)b;
            l = 1;
        } else {
            l = tok_utf8_encode(tok_byte_to_cpt((unsigned char)b), u);
        }
        t->byte_tok[b] = tok_map_get(&t->vocab, u, (size_t)l);
    }
}

int tokenizer_load(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    int rc = load_kind(t, f, err, errlen);
    if (!rc) rc = load_tokens(t, f, err, errlen);
    if (!rc && t->kind == TOK_BPE) rc = load_merges(t, f, err, errlen);
    if (rc) { tokenizer_free(t); return -1; }
    int n = t->n_vocab;
    kv_id(f, "tokenizer.ggml.bos_token_id", n, &t->bos);
    kv_id(f, "tokenizer.ggml.eos_token_id", n, &t->eos);
    kv_id(f, "tokenizer.ggml.unknown_token_id", n, &t->unk);
    int64_t v;
    if (gguf_get_int(f, "tokenizer.ggml.add_bos_token", &v) == 0) t->add_bos = v != 0;
    if (gguf_get_int(f, "tokenizer.ggml.add_eos_token", &v) == 0) t->add_eos = v != 0;
    if (gguf_get_int(f, "tokenizer.ggml.add_space_prefix", &v) == 0) t->add_space_prefix = v != 0;
    fix_attrs(t, f);
    if (build_special(t)) { tokenizer_free(t); snprintf(err, errlen, "out of memory"); return -1; }
    strip_attrs(t, f);
    build_byte_tokens(t);
    return 0;
}

/* ------------------------------------------------------------ decoding */

#define EMIT(c) do { if (n < cap) out[n] = (char)(c); n++; } while (0)

static size_t copy_text(const char *s, size_t len, char *out, size_t cap)
{
    if (cap) memcpy(out, s, len < cap ? len : cap);
    return len;
}

/* A BPE token's bytes: each character of GPT-2's alphabet is one byte (others verbatim). */
static size_t bpe_bytes(const char *s, int len, char *out, size_t cap)
{
    size_t n = 0;
    uint32_t *cp;
    long k = tok_utf8_decode(s, (size_t)len, &cp);
    for (long i = 0; i < k; i++) {
        int b = tok_cpt_to_byte(cp[i]);
        if (b >= 0) { EMIT(b); continue; }
        char u[4];
        int l = tok_utf8_encode(cp[i], u);
        for (int j = 0; j < l; j++) EMIT(u[j]);
    }
    free(cp);
    return n;
}

/* An SPM token's text with U+2581 as spaces. */
static size_t spm_unescape(const char *s, int len, char *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < len; i++) {
        if (i + 2 < len && !memcmp(s + i, "\xe2\x96\x81", 3)) { EMIT(' '); i += 2; }
        else EMIT(s[i]);
    }
    return n;
}

size_t tokenizer_token_to_piece(const tokenizer_t *t, int id, int special, char *out, size_t cap)
{
    if (id < 0 || id >= t->n_vocab) return 0;
    int a = t->attr[id];
    const int special_mask = TOK_ATTR_UNKNOWN | TOK_ATTR_CONTROL;
    if (!special && (a & special_mask)) return 0;
    if (a & (special_mask | TOK_ATTR_USER_DEFINED)) return copy_text(t->text[id], (size_t)t->len[id], out, cap);
    if (t->kind == TOK_BPE) return a & TOK_ATTR_NORMAL ? bpe_bytes(t->text[id], t->len[id], out, cap) : 0;
    if (a & TOK_ATTR_NORMAL) return spm_unescape(t->text[id], t->len[id], out, cap);
    if (a & TOK_ATTR_BYTE) {
        size_t n = 0;
        int b = parse_byte_token(t->text[id], t->len[id]);
        if (b >= 0) EMIT(b);
        return n;
    }
    return 0; /* unused and undefined tokens print nothing, as in llama.cpp */
}

size_t tokenizer_piece(const tokenizer_t *t, int id, int first, char *out, size_t cap)
{
    if (!(first && t->kind == TOK_SPM && t->add_space_prefix)) return tokenizer_token_to_piece(t, id, 0, out, cap);
    /* llama.cpp's detokenize strips one leading space of the first piece (lstrip 1) */
    char buf[4200];
    size_t n = tokenizer_token_to_piece(t, id, 0, buf, sizeof buf);
    if (n > sizeof buf) n = sizeof buf;
    size_t skip = n > 0 && buf[0] == ' ';
    return copy_text(buf + skip, n - skip, out, cap);
}

int tokenizer_decode(const tokenizer_t *t, const int *ids, int n, char **out, size_t *out_len)
{
    size_t cap = 64, len = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (ids[i] == t->bos && t->bos >= 0) continue;
        for (;;) {
            size_t k = tokenizer_piece(t, ids[i], first, buf + len, cap - len - 1);
            if (len + k + 1 <= cap) { len += k; break; }
            cap = 2 * (len + k + 1);
            char *p = realloc(buf, cap);
            if (!p) { free(buf); return -1; }
            buf = p;
        }
        first = 0;
    }
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    return 0;
}
