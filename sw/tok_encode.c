/* SPDX-License-Identifier: Apache-2.0 */
/* Text -> token ids, as llama.cpp's llama_vocab::impl::tokenize(): special tokens first
 * (tokenizer_st_partition), then byte-level BPE (llm_tokenizer_bpe_session) or SentencePiece
 * (llm_tokenizer_spm_session) on the text between them.  See tokenizer.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tok_unicode.h"
#include "tokenizer.h"

/* ------------------------------------------------------------ growable arrays */

/* Array v (*cap elements of `elem` bytes) with room for element n: v itself, or a larger copy
 * (the capacity doubles from 64); NULL on out-of-memory, v left as it is. */
static void *grow(void *v, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return v;
    size_t c = *cap ? 2 * *cap : 64;
    void *p = realloc(v, c * elem);
    if (p) *cap = c;
    return p;
}

typedef struct {
    int *v;
    size_t n, cap;
} ids_t;

static int push(ids_t *a, int id)
{
    int *p = grow(a->v, a->n, &a->cap, sizeof *p);
    if (!p) return -1;
    a->v = p;
    a->v[a->n++] = id;
    return 0;
}

/* A fragment of the text: raw bytes [off, off + len), or a special token (tok >= 0). */
typedef struct {
    size_t off, len;
    int tok;
} frag_t;

typedef struct {
    frag_t *v;
    size_t n, cap;
} frags_t;

static int frag_push(frags_t *a, size_t off, size_t len, int tok)
{
    frag_t *p = grow(a->v, a->n, &a->cap, sizeof *p);
    if (!p) return -1;
    a->v = p;
    a->v[a->n++] = (frag_t){off, len, tok};
    return 0;
}

/* ------------------------------------------------------------ special tokens */

static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); } /* C isspace() */

/* First occurrence of s[0..sl) in h[0..hl), or hl. */
static size_t find(const char *h, size_t hl, const char *s, size_t sl)
{
    for (size_t i = 0; i + sl <= hl; i++) {
        const char *p = memchr(h + i, s[0], hl - i - sl + 1);
        if (!p) break;
        i = (size_t)(p - h);
        if (memcmp(p, s, sl) == 0) return i;
    }
    return hl;
}

/* Cuts one raw fragment at every occurrence of token id; LSTRIP/RSTRIP tokens take the
 * whitespace next to them. */
static int cut_fragment(const tokenizer_t *t, const char *text, frag_t fr, int id, frags_t *out)
{
    const char *s = t->text[id];
    size_t sl = (size_t)t->len[id], pos = fr.off, end = fr.off + fr.len;
    for (;;) {
        size_t m = pos + find(text + pos, end - pos, s, sl);
        if (m >= end) break;
        size_t l = m - pos;
        if (t->attr[id] & TOK_ATTR_LSTRIP)
            while (l > 0 && is_space(text[pos + l - 1])) l--;
        if (l > 0 && frag_push(out, pos, l, -1)) return -1;
        if (frag_push(out, 0, 0, id)) return -1;
        pos = m + sl;
        if (t->attr[id] & TOK_ATTR_RSTRIP)
            while (pos < end && is_space(text[pos])) pos++;
    }
    return pos < end ? frag_push(out, pos, end - pos, -1) : 0;
}

/* tokenizer_st_partition(): the text as raw fragments and special tokens.  Without
 * parse_special only user-defined tokens are looked for. */
static int partition(const tokenizer_t *t, const char *text, size_t len, int parse_special, frags_t *out)
{
    frags_t cur = {0}, next = {0};
    int rc = len > 0 ? frag_push(&cur, 0, len, -1) : 0;
    for (int k = 0; k < t->n_special && !rc; k++) {
        int id = t->special[k];
        if (!parse_special && (t->attr[id] & (TOK_ATTR_CONTROL | TOK_ATTR_UNKNOWN))) continue;
        next.n = 0;
        for (size_t i = 0; i < cur.n && !rc; i++)
            rc = cur.v[i].tok >= 0 ? frag_push(&next, 0, 0, cur.v[i].tok) : cut_fragment(t, text, cur.v[i], id, &next);
        frags_t tmp = cur;
        cur = next;
        next = tmp;
    }
    free(next.v);
    if (rc) { free(cur.v); return -1; }
    *out = cur;
    return 0;
}

/* ------------------------------------------------------------ merging */

/* A symbol of the work string: bytes [start, start + n), linked to its neighbours. */
typedef struct {
    int prev, next;
    size_t start, n;
} sym_t;

/* A pair of adjacent symbols that could merge; key: SPM score, or minus the BPE rank. */
typedef struct {
    int left, right;
    double key;
    size_t size;
} bigram_t;

typedef struct {
    bigram_t *v;
    size_t n, cap;
} heap_t;

/* The order of llama.cpp's work queues: best key first, then the leftmost pair. */
static int before(const bigram_t *a, const bigram_t *b)
{
    return a->key > b->key || (a->key == b->key && a->left < b->left);
}

static int heap_push(heap_t *h, bigram_t b)
{
    bigram_t *p = grow(h->v, h->n, &h->cap, sizeof *p);
    if (!p) return -1;
    h->v = p;
    size_t i = h->n++;
    while (i > 0 && before(&b, &h->v[(i - 1) / 2])) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = b;
    return 0;
}

static bigram_t heap_pop(heap_t *h)
{
    bigram_t top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c])) c++;
        if (!before(&h->v[c], &last)) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n) h->v[i] = last;
    return top;
}

typedef struct {
    const tokenizer_t *t;
    const char *s;  /* the work string */
    sym_t *sym;
    heap_t heap;
    char *tmp;      /* "left right" keys of BPE merges */
} merger_t;

/* Queues the pair (l, r) if it merges: a BPE merge rule, or an SPM vocabulary piece. */
static int try_pair(merger_t *m, int l, int r)
{
    if (l < 0 || r < 0) return 0;
    const sym_t *a = &m->sym[l], *b = &m->sym[r];
    double key;
    if (m->t->kind == TOK_BPE) {
        memcpy(m->tmp, m->s + a->start, a->n);
        m->tmp[a->n] = ' ';
        memcpy(m->tmp + a->n + 1, m->s + b->start, b->n);
        int rank = tok_map_get(&m->t->merges, m->tmp, a->n + 1 + b->n);
        if (rank < 0) return 0;
        key = -(double)rank;
    } else {
        int id = tok_map_get(&m->t->vocab, m->s + a->start, a->n + b->n);
        if (id < 0) return 0;
        key = m->t->score[id];
    }
    return heap_push(&m->heap, (bigram_t){l, r, key, a->n + b->n});
}

/* Splits s into UTF-8 characters (by their lead bytes, as llama.cpp) and merges them; the
 * surviving symbols stay linked from symbol 0.  Returns the symbol count or -1. */
static int merge(merger_t *m, size_t len)
{
    int n = 0;
    for (size_t off = 0; off < len; n++) {
        size_t l = (size_t)tok_utf8_lead_len((unsigned char)m->s[off]);
        if (l > len - off) l = len - off;
        m->sym[n] = (sym_t){n - 1, off + l == len ? -1 : n + 1, off, l};
        off += l;
    }
    for (int i = 1; i < n; i++)
        if (try_pair(m, i - 1, i)) return -1;
    while (m->heap.n) {
        bigram_t b = heap_pop(&m->heap);
        sym_t *l = &m->sym[b.left], *r = &m->sym[b.right];
        if (l->n == 0 || r->n == 0 || l->n + r->n != b.size) continue; /* outdated pair */
        l->n += r->n;
        r->n = 0;
        l->next = r->next;
        if (r->next >= 0) m->sym[r->next].prev = b.left;
        if (try_pair(m, l->prev, b.left) || try_pair(m, b.left, l->next)) return -1;
    }
    return n;
}

/* Tokens of one work string (a BPE piece in GPT-2's alphabet, or an SPM fragment with its
 * spaces escaped). */
static int encode_symbols(const tokenizer_t *t, const char *s, size_t len, ids_t *out)
{
    if (len == 0) return 0;
    if (t->kind == TOK_BPE && t->ignore_merges) { /* the whole piece when it is a token */
        int id = tok_map_get(&t->vocab, s, len);
        if (id >= 0) return push(out, id);
    }
    merger_t m = {t, s, malloc(len * sizeof(sym_t)), {0}, malloc(2 * len + 2)};
    int rc = m.sym && m.tmp ? 0 : -1;
    int n = rc ? 0 : merge(&m, len);
    if (n < 0) rc = -1;
    for (int i = 0; n > 0 && !rc && i != -1; i = m.sym[i].next) {
        const sym_t *y = &m.sym[i];
        int id = tok_map_get(&t->vocab, s + y->start, y->n);
        if (id >= 0) { rc = push(out, id); continue; }
        for (size_t j = 0; j < y->n && !rc; j++) {
            unsigned char c = (unsigned char)s[y->start + j];
            /* SPM: byte tokens; BPE: llama.cpp looks up each byte as a one-byte token */
            int b = t->kind == TOK_SPM ? t->byte_tok[c] : tok_map_get(&t->vocab, (const char *)&c, 1);
            if (b >= 0) rc = push(out, b);
        }
    }
    free(m.sym);
    free(m.tmp);
    free(m.heap.v);
    return rc;
}

/* ------------------------------------------------------------ the two models */

static int encode_bpe(const tokenizer_t *t, const char *text, size_t len, ids_t *out)
{
    tok_pieces_t pc;
    char err[256];
    if (tok_pretok_split(t->pretok, text, len, &pc, err, sizeof err)) {
        fprintf(stderr, "tokenizer: %s\n", err);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < pc.n && !rc; i++)
        rc = encode_symbols(t, pc.buf + pc.start[i], pc.start[i + 1] - pc.start[i], out);
    tok_pieces_free(&pc);
    return rc;
}

/* SentencePiece on one raw fragment: [space prefix] + text, spaces as U+2581. */
static int encode_spm(const tokenizer_t *t, const char *text, size_t len, int prefix, ids_t *out)
{
    char *w = malloc(3 * (len + 1));
    if (!w) return -1;
    size_t n = 0;
    for (size_t i = 0; i < len + (size_t)prefix; i++) {
        char c = i < (size_t)prefix ? ' ' : text[i - (size_t)prefix];
        if (c == ' ') { memcpy(w + n, "\xe2\x96\x81", 3); n += 3; }
        else w[n++] = c;
    }
    int rc = encode_symbols(t, w, n, out);
    free(w);
    return rc;
}

int tokenizer_tokenize(const tokenizer_t *t, const char *text, size_t len, int add_special, int parse_special,
                       int **ids)
{
    ids_t out = {0};
    frags_t fr = {0};
    *ids = NULL;
    int rc = partition(t, text, len, parse_special, &fr);
    if (!rc && add_special && t->add_bos && t->bos >= 0) rc = push(&out, t->bos);
    int prev_special = 1; /* SPM: a space prefix at the start and after every special token */
    for (size_t i = 0; i < fr.n && !rc; i++) {
        const frag_t *f = &fr.v[i];
        if (f->tok >= 0) { rc = push(&out, f->tok); prev_special = 1; continue; }
        if (t->kind == TOK_BPE) rc = encode_bpe(t, text + f->off, f->len, &out);
        else rc = encode_spm(t, text + f->off, f->len, t->add_space_prefix && prev_special, &out);
        prev_special = 0;
    }
    if (!rc && add_special && t->add_eos && t->eos >= 0) rc = push(&out, t->eos);
    free(fr.v);
    if (rc) {
        free(out.v);
        return -1;
    }
    *ids = out.v ? out.v : malloc(sizeof(int));
    return (int)out.n;
}

int tokenizer_encode(const tokenizer_t *t, const char *text, size_t len, int add_bos, int **ids)
{
    int *body;
    int n = tokenizer_tokenize(t, text, len, 0, 1, &body);
    if (n < 0) return -1;
    int bos = add_bos && t->bos >= 0;
    int *v = malloc((size_t)(n + bos + 1) * sizeof *v);
    if (!v) { free(body); return -1; }
    if (bos) v[0] = t->bos;
    memcpy(v + bos, body, (size_t)n * sizeof *v);
    free(body);
    *ids = v;
    return n + bos;
}
