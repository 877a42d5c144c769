/* GGUF tokenizers (byte-level BPE and SentencePiece-style); see tokenizer.h. */
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ string map */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

static int map_init(tok_map_t *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n + 16) m->cap *= 2;
    m->slots = calloc(m->cap, sizeof *m->slots);
    return m->slots ? 0 : -1;
}

/* Keeps the first value stored for a key (duplicate tokens keep the lowest id). */
static void map_put(tok_map_t *m, const char *k, size_t n, int v)
{
    size_t i = hash_bytes(k, n) & (m->cap - 1);
    while (m->slots[i].key) {
        if (m->slots[i].len == n && memcmp(m->slots[i].key, k, n) == 0) return;
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i] = (tok_slot_t){k, n, v};
}

static int map_get(const tok_map_t *m, const char *k, size_t n)
{
    if (!m->slots) return -1;
    size_t i = hash_bytes(k, n) & (m->cap - 1);
    while (m->slots[i].key) {
        if (m->slots[i].len == n && memcmp(m->slots[i].key, k, n) == 0) return m->slots[i].val;
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

/* ------------------------------------------------------------ UTF-8 helpers */

static int utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* Length of the valid UTF-8 sequence at s (1 for an invalid byte); decodes into *cp. */
static int utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || (size_t)len > n) { *cp = c; return 1; }
    uint32_t v = len == 1 ? c : len == 2 ? (c & 31) : len == 3 ? (c & 15) : (c & 7);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) { *cp = c; return 1; }
        v = (v << 6) | (s[i] & 63);
    }
    *cp = v;
    return len;
}

/* GPT-2's byte <-> unicode alphabet. */
static void byte_unicode_table(uint32_t b2u[256])
{
    int n = 0;
    for (int b = 0; b < 256; b++) {
        int keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
        b2u[b] = keep ? (uint32_t)b : (uint32_t)(256 + n++);
    }
}

static int unicode_to_byte(uint32_t cp)
{
    static uint32_t b2u[256];
    static int init;
    if (!init) { byte_unicode_table(b2u); init = 1; }
    if (cp < 256 && b2u[cp] == cp) return (int)cp;
    for (int b = 0; b < 256; b++)
        if (b2u[b] == cp) return b;
    return -1;
}

/* ------------------------------------------------------------ loading */

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

void tokenizer_free(tokenizer_t *t)
{
    if (t->text)
        for (int i = 0; i < t->n_vocab; i++) free(t->text[i]);
    if (t->merge_text)
        for (int i = 0; i < t->n_merges; i++) free(t->merge_text[i]);
    free(t->text); free(t->len); free(t->score); free(t->type); free(t->merge_text);
    free(t->vocab.slots); free(t->merges.slots);
    memset(t, 0, sizeof *t);
}

#define TFAIL(...) do { snprintf(err, errlen, __VA_ARGS__); tokenizer_free(t); return -1; } while (0)

int tokenizer_load(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    char model[32];
    if (gguf_get_str(f, "tokenizer.ggml.model", model, sizeof model))
        TFAIL("%s: no tokenizer.ggml.model string", f->path);
    if (strcmp(model, "gpt2") == 0) t->kind = TOK_BPE;
    else if (strcmp(model, "llama") == 0) t->kind = TOK_SPM;
    else TFAIL("%s: unsupported tokenizer.ggml.model '%s' (gpt2 or llama)", f->path, model);
    const gguf_kv_t *tok = gguf_find_kv(f, "tokenizer.ggml.tokens");
    if (!tok || tok->type != GGUF_TYPE_ARRAY || tok->arr_type != GGUF_TYPE_STRING || tok->arr_n == 0 ||
        tok->arr_n > (1u << 24))
        TFAIL("%s: tokenizer.ggml.tokens missing or not a non-empty string array", f->path);
    int n = t->n_vocab = (int)tok->arr_n;
    t->text = calloc((size_t)n, sizeof *t->text);
    t->len = calloc((size_t)n, sizeof *t->len);
    t->score = calloc((size_t)n, sizeof *t->score);
    t->type = calloc((size_t)n, sizeof *t->type);
    if (!t->text || !t->len || !t->score || !t->type || map_init(&t->vocab, (size_t)n))
        TFAIL("out of memory");
    const gguf_kv_t *sc = gguf_find_kv(f, "tokenizer.ggml.scores");
    const gguf_kv_t *ty = gguf_find_kv(f, "tokenizer.ggml.token_type");
    if (sc && (sc->type != GGUF_TYPE_ARRAY || sc->arr_n != (uint64_t)n || !sc->arr_data))
        TFAIL("%s: tokenizer.ggml.scores must be a numeric array of %d entries", f->path, n);
    if (ty && (ty->type != GGUF_TYPE_ARRAY || ty->arr_n != (uint64_t)n || !ty->arr_data))
        TFAIL("%s: tokenizer.ggml.token_type must be a numeric array of %d entries", f->path, n);
    for (int b = 0; b < 256; b++) t->byte_tok[b] = -1;
    uint32_t b2u[256];
    byte_unicode_table(b2u);
    for (int i = 0; i < n; i++) {
        gguf_str_t s = tok->arr_str[i];
        if (s.len > 4096) TFAIL("%s: token %d is %llu bytes long", f->path, i, (unsigned long long)s.len);
        if (!(t->text[i] = malloc((size_t)s.len + 1))) TFAIL("out of memory");
        memcpy(t->text[i], s.ptr, (size_t)s.len);
        t->text[i][s.len] = 0;
        t->len[i] = (int)s.len;
        t->score[i] = sc ? (float)gguf_arr_f64(sc, (uint64_t)i) : 0.0f;
        t->type[i] = ty ? (int)gguf_arr_i64(ty, (uint64_t)i) : 1;
        map_put(&t->vocab, t->text[i], (size_t)s.len, i);
    }
    for (int b = 0; b < 256; b++) {
        if (t->kind == TOK_SPM) {
            char name[8];
            snprintf(name, sizeof name, "<0x%02X>", b);
            t->byte_tok[b] = map_get(&t->vocab, name, 6);
        } else {
            char u[4];
            int l = utf8_put(b2u[b], u);
            t->byte_tok[b] = map_get(&t->vocab, u, (size_t)l);
        }
    }
    if (t->kind == TOK_BPE) {
        const gguf_kv_t *mg = gguf_find_kv(f, "tokenizer.ggml.merges");
        if (!mg || mg->type != GGUF_TYPE_ARRAY || mg->arr_type != GGUF_TYPE_STRING)
            TFAIL("%s: gpt2 tokenizer without a tokenizer.ggml.merges string array", f->path);
        t->n_merges = (int)mg->arr_n;
        t->merge_text = calloc((size_t)(t->n_merges ? t->n_merges : 1), sizeof *t->merge_text);
        if (!t->merge_text || map_init(&t->merges, (size_t)t->n_merges)) TFAIL("out of memory");
        for (int i = 0; i < t->n_merges; i++) {
            gguf_str_t s = mg->arr_str[i];
            if (!(t->merge_text[i] = malloc((size_t)s.len + 1))) TFAIL("out of memory");
            memcpy(t->merge_text[i], s.ptr, (size_t)s.len);
            t->merge_text[i][s.len] = 0;
            map_put(&t->merges, t->merge_text[i], (size_t)s.len, i);
        }
    }
    int64_t v;
    t->bos = gguf_get_int(f, "tokenizer.ggml.bos_token_id", &v) == 0 && v >= 0 && v < n ? (int)v : -1;
    t->eos = gguf_get_int(f, "tokenizer.ggml.eos_token_id", &v) == 0 && v >= 0 && v < n ? (int)v : -1;
    t->add_bos = gguf_get_int(f, "tokenizer.ggml.add_bos_token", &v) == 0 ? v != 0 : t->kind == TOK_SPM;
    t->add_space_prefix = gguf_get_int(f, "tokenizer.ggml.add_space_prefix", &v) == 0 ? v != 0 : 1;
    return 0;
}

/* ------------------------------------------------------------ encoding */

typedef struct {
    int *v;
    int n, cap;
} ids_t;

static int push(ids_t *a, int id)
{
    if (a->n == a->cap) {
        int cap = a->cap ? 2 * a->cap : 64;
        int *p = realloc(a->v, (size_t)cap * sizeof *p);
        if (!p) return -1;
        a->v = p;
        a->cap = cap;
    }
    a->v[a->n++] = id;
    return 0;
}

typedef struct { int start, len; } sym_t; /* byte range of a symbol in the work string */

/* Merges symbols in place.  BPE: lowest merge rank first; SPM: highest score first. */
static int merge_symbols(const tokenizer_t *t, const char *s, sym_t *sym, int n, char *tmp)
{
    for (;;) {
        int best = -1;
        double best_key = 0;
        for (int i = 0; i + 1 < n; i++) {
            const sym_t *a = &sym[i], *b = &sym[i + 1];
            double key;
            if (t->kind == TOK_BPE) {
                memcpy(tmp, s + a->start, (size_t)a->len);
                tmp[a->len] = ' ';
                memcpy(tmp + a->len + 1, s + b->start, (size_t)b->len);
                int r = map_get(&t->merges, tmp, (size_t)(a->len + 1 + b->len));
                if (r < 0) continue;
                key = -(double)r;
            } else {
                int id = map_get(&t->vocab, s + a->start, (size_t)(a->len + b->len));
                if (id < 0) continue;
                key = t->score[id];
            }
            if (best < 0 || key > best_key) {
                best = i;
                best_key = key;
            }
        }
        if (best < 0) return n;
        sym[best].len += sym[best + 1].len;
        memmove(&sym[best + 1], &sym[best + 2], (size_t)(n - best - 2) * sizeof *sym);
        n--;
    }
}

/* Tokens of one work string (BPE: one pre-tokenized chunk in the byte alphabet; SPM: the
 * whole text).  Symbols start as UTF-8 characters. */
static int encode_piece(const tokenizer_t *t, const char *s, int slen, ids_t *out)
{
    sym_t *sym = malloc((size_t)(slen + 1) * sizeof *sym);
    char *tmp = malloc((size_t)slen * 2 + 2);
    if (!sym || !tmp) { free(sym); free(tmp); return -1; }
    int n = 0;
    for (int i = 0; i < slen;) {
        uint32_t cp;
        int l = utf8_len((const unsigned char *)s + i, (size_t)(slen - i), &cp);
        sym[n++] = (sym_t){i, l};
        i += l;
    }
    n = merge_symbols(t, s, sym, n, tmp);
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        int id = map_get(&t->vocab, s + sym[i].start, (size_t)sym[i].len);
        if (id >= 0) { rc = push(out, id); continue; }
        if (t->kind == TOK_SPM) { /* byte fallback */
            for (int j = 0; j < sym[i].len && !rc; j++) {
                int b = (unsigned char)s[sym[i].start + j];
                if (t->byte_tok[b] >= 0) rc = push(out, t->byte_tok[b]);
            }
        } else { /* each character is one byte of the chunk */
            for (int j = sym[i].start; j < sym[i].start + sym[i].len && !rc;) {
                uint32_t cp;
                int l = utf8_len((const unsigned char *)s + j, (size_t)(slen - j), &cp);
                int b = unicode_to_byte(cp);
                if (b >= 0 && t->byte_tok[b] >= 0) rc = push(out, t->byte_tok[b]);
                j += l;
            }
        }
    }
    free(sym);
    free(tmp);
    return rc;
}

enum { CL_LETTER, CL_DIGIT, CL_SPACE, CL_OTHER };

static int char_class(unsigned char c)
{
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CL_LETTER;
    if (c >= '0' && c <= '9') return CL_DIGIT;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return CL_SPACE;
    return CL_OTHER;
}

/* End of the pre-tokenizer chunk starting at i (see tokenizer.h). */
static size_t next_chunk(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i;
    int c = char_class(s[j]);
    if (s[j] == ' ' && j + 1 < n && (char_class(s[j + 1]) == CL_LETTER || char_class(s[j + 1]) == CL_OTHER)) {
        c = char_class(s[++j]);
    }
    if (c == CL_DIGIT) {
        int k = 0;
        while (j < n && k < 3 && char_class(s[j]) == CL_DIGIT) { j++; k++; }
        return j;
    }
    if (c == CL_SPACE) {
        while (j < n && char_class(s[j]) == CL_SPACE) j++;
        /* leave a final ' ' to the following word */
        if (j < n && j - i > 1 && s[j - 1] == ' ') j--;
        return j;
    }
    while (j < n && char_class(s[j]) == c) j++;
    return j;
}

int tokenizer_encode(const tokenizer_t *t, const char *text, size_t len, int add_bos, int **ids)
{
    ids_t out = {0};
    int rc = 0;
    *ids = NULL;
    if (add_bos && t->bos >= 0) rc = push(&out, t->bos);
    const unsigned char *s = (const unsigned char *)text;
    if (t->kind == TOK_BPE) {
        uint32_t b2u[256];
        byte_unicode_table(b2u);
        char *work = malloc(len * 2 + 1);
        if (!work) rc = -1;
        for (size_t i = 0; i < len && !rc;) {
            size_t j = next_chunk(s, len, i);
            int wl = 0;
            for (size_t k = i; k < j; k++) wl += utf8_put(b2u[s[k]], work + wl);
            rc = encode_piece(t, work, wl, &out);
            i = j;
        }
        free(work);
    } else if (len > 0) {
        char *work = malloc(len * 3 + 4);
        if (!work) rc = -1;
        int wl = 0;
        if (!rc && t->add_space_prefix) wl += utf8_put(0x2581, work);
        for (size_t i = 0; i < len && !rc; i++) {
            if (s[i] == ' ') wl += utf8_put(0x2581, work + wl);
            else work[wl++] = (char)s[i];
        }
        if (!rc) rc = encode_piece(t, work, wl, &out);
        free(work);
    }
    if (rc) {
        free(out.v);
        return -1;
    }
    *ids = out.v ? out.v : malloc(sizeof(int));
    return out.n;
}

/* ------------------------------------------------------------ decoding */

size_t tokenizer_piece(const tokenizer_t *t, int id, int first, char *out, size_t cap)
{
    size_t n = 0;
#define EMIT(c) do { if (n < cap) out[n] = (char)(c); n++; } while (0)
    if (id < 0 || id >= t->n_vocab) return 0;
    const char *s = t->text[id];
    int len = t->len[id];
    if (t->type[id] == 3) return 0; /* control tokens (BOS/EOS) print nothing */
    if (t->kind == TOK_SPM) {
        int b = parse_byte_token(s, len);
        if (b >= 0) { EMIT(b); return n; }
        for (int i = 0; i < len;) {
            uint32_t cp;
            int l = utf8_len((const unsigned char *)s + i, (size_t)(len - i), &cp);
            if (l == 3 && cp == 0x2581) {
                if (!(first && i == 0 && t->add_space_prefix)) EMIT(' ');
            } else {
                for (int k = 0; k < l; k++) EMIT(s[i + k]);
            }
            i += l;
        }
        return n;
    }
    for (int i = 0; i < len;) {
        uint32_t cp;
        int l = utf8_len((const unsigned char *)s + i, (size_t)(len - i), &cp);
        int b = unicode_to_byte(cp);
        if (b >= 0) EMIT(b);
        else for (int k = 0; k < l; k++) EMIT(s[i + k]); /* not in the byte alphabet: verbatim */
        i += l;
    }
    return n;
#undef EMIT
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
