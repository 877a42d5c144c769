/* SPDX-License-Identifier: Apache-2.0 */
/* Tokenizer construction by greedy pair merging; see tok_build.h. */
#include "tok_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const llama3_specials[] = {"<|begin_of_text|>", "<|end_of_text|>"};
const tok_spec_t tok_spec_llama3 = {"llama-bpe", llama3_specials, 2, "<|begin_of_text|>", "<|end_of_text|>", 1};
const tok_spec_t tok_spec_spm = {NULL, NULL, 0, "<s>", "</s>", 1};

const char tok_build_corpus[] =
    "The quick brown fox jumps over the lazy dog. Edge devices run small language models "
    "token by token; every token reads all the weights from memory once. In-memory computing "
    "keeps the weights where the arithmetic happens, so the memory wall is lower. The model "
    "has 24 layers, 14 heads and a vocabulary of 151936 tokens. Numbers like 1, 2, 3, 10, 100 "
    "and 2024 appear in text. She said: \"Hello, world!\" and then the world answered. "
    "The cat sat on the mat, the dog sat on the log, and the bird sang in the tree. "
    "Once upon a time there was a little robot that wanted to learn how to read and write. "
    "It read the book again and again, and the words became tokens, and the tokens became "
    "thoughts. What is the capital of France? The capital of France is Paris. "
    "Water boils at 100 degrees and freezes at 0 degrees. The sun is a star; the moon is not.";

typedef struct {
    char **s;
    int *len;
    int n, cap;
} strlist_t;

static int sl_add(strlist_t *l, const char *s, int len)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 512;
        char **p = realloc(l->s, (size_t)cap * sizeof *p);
        int *q = realloc(l->len, (size_t)cap * sizeof *q);
        if (p) l->s = p;
        if (q) l->len = q;
        if (!p || !q) return -1;
        l->cap = cap;
    }
    if (!(l->s[l->n] = malloc((size_t)len + 1))) return -1;
    memcpy(l->s[l->n], s, (size_t)len);
    l->s[l->n][len] = 0;
    l->len[l->n] = len;
    return l->n++;
}

static int sl_find(const strlist_t *l, const char *s, int len)
{
    for (int i = 0; i < l->n; i++)
        if (l->len[i] == len && memcmp(l->s[i], s, (size_t)len) == 0) return i;
    return -1;
}

static void sl_free(strlist_t *l)
{
    for (int i = 0; i < l->n; i++) free(l->s[i]);
    free(l->s);
    free(l->len);
}

static int put_utf8(unsigned cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    o[0] = (char)(0xe0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 63)); o[2] = (char)(0x80 | (cp & 63));
    return 3;
}

/* Words as sequences of token ids; merges the most frequent adjacent pair until `budget`
 * merges are made or no pair occurs twice.  Records merges (BPE) or new pieces (SPM). */
typedef struct { int *sym; int n; } word_t;

static int train(strlist_t *toks, strlist_t *merges, word_t *words, int n_words, int budget)
{
    int made = 0;
    while (made < budget) {
        int best_a = -1, best_b = -1, best_c = 1;
        /* pair counts in a small open-addressing table, rebuilt per merge */
        enum { HT = 1 << 14 };
        static long long key[HT];
        static int cnt[HT];
        memset(cnt, 0, sizeof cnt);
        for (int w = 0; w < n_words; w++)
            for (int i = 0; i + 1 < words[w].n; i++) {
                long long kk = ((long long)words[w].sym[i] << 32) | (unsigned)words[w].sym[i + 1];
                unsigned h = (unsigned)((kk * 0x9E3779B97F4A7C15ull) >> 50) & (HT - 1);
                while (cnt[h] && key[h] != kk) h = (h + 1) & (HT - 1);
                key[h] = kk;
                cnt[h]++;
            }
        /* first occurrence order for ties: scan words again */
        for (int w = 0; w < n_words; w++)
            for (int i = 0; i + 1 < words[w].n; i++) {
                long long kk = ((long long)words[w].sym[i] << 32) | (unsigned)words[w].sym[i + 1];
                unsigned h = (unsigned)((kk * 0x9E3779B97F4A7C15ull) >> 50) & (HT - 1);
                while (key[h] != kk) h = (h + 1) & (HT - 1);
                if (cnt[h] > best_c) { best_c = cnt[h]; best_a = words[w].sym[i]; best_b = words[w].sym[i + 1]; }
            }
        if (best_a < 0) break;
        char buf[512];
        int la = toks->len[best_a], lb = toks->len[best_b];
        if (la + lb + 1 >= (int)sizeof buf) break;
        memcpy(buf, toks->s[best_a], (size_t)la);
        memcpy(buf + la, toks->s[best_b], (size_t)lb);
        int id = sl_find(toks, buf, la + lb);
        if (id < 0 && (id = sl_add(toks, buf, la + lb)) < 0) return -1;
        if (merges) {
            memcpy(buf, toks->s[best_a], (size_t)la);
            buf[la] = ' ';
            memcpy(buf + la + 1, toks->s[best_b], (size_t)lb);
            if (sl_add(merges, buf, la + lb + 1) < 0) return -1;
        }
        for (int w = 0; w < n_words; w++) {
            int o = 0;
            for (int i = 0; i < words[w].n; i++) {
                if (i + 1 < words[w].n && words[w].sym[i] == best_a && words[w].sym[i + 1] == best_b) {
                    words[w].sym[o++] = id;
                    i++;
                } else {
                    words[w].sym[o++] = words[w].sym[i];
                }
            }
            words[w].n = o;
        }
        made++;
    }
    return made;
}

/* Splits the corpus into words at spaces (the space kept as a prefix of the next word). */
static int split_words(const char *corpus, int spm, strlist_t *toks, word_t **out)
{
    size_t n = strlen(corpus);
    word_t *words = calloc(n + 1, sizeof *words);
    if (!words) return -1;
    int nw = 0;
    static unsigned b2u[256];
    int k = 0;
    for (int b = 0; b < 256; b++) {
        int keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        b2u[b] = keep ? (unsigned)b : (unsigned)(256 + k++);
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && corpus[j] != ' ') j++;
        word_t *w = &words[nw++];
        w->sym = malloc((j - i + 1) * sizeof *w->sym);
        if (!w->sym) return -1;
        if (spm && corpus[i] != ' ') { /* the SPM prefix space */
            char u[4];
            int l = put_utf8(0x2581, u), id = sl_find(toks, u, l);
            w->sym[w->n++] = id;
        }
        for (size_t c = i; c < j; c++) {
            unsigned char ch = (unsigned char)corpus[c];
            char u[4];
            int l = spm ? (ch == ' ' ? put_utf8(0x2581, u) : (u[0] = (char)ch, 1)) : put_utf8(b2u[ch], u);
            int id = sl_find(toks, u, l);
            if (id < 0) id = sl_add(toks, u, l);
            if (id < 0) return -1;
            w->sym[w->n++] = id;
        }
        i = j;
    }
    *out = words;
    return nw;
}

/* The token list, types and (SPM) scores as tokenizer.ggml.* KVs. */
static int write_vocab(gguf_writer_t *w, const strlist_t *toks, const int *types, const float *scores)
{
    int rc = gguf_w_arr_str(w, "tokenizer.ggml.tokens", (const char *const *)toks->s, NULL, (uint64_t)toks->n);
    if (!rc) rc = gguf_w_arr(w, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, (uint64_t)toks->n);
    if (!rc && scores) rc = gguf_w_arr(w, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, scores, (uint64_t)toks->n);
    return rc;
}

/* BOS/EOS ids (by their texts), add_bos_token and, for BPE, the pre-tokenizer name. */
static int write_specials(gguf_writer_t *w, const strlist_t *toks, const tok_spec_t *spec)
{
    int bos = sl_find(toks, spec->bos, (int)strlen(spec->bos)), eos = sl_find(toks, spec->eos, (int)strlen(spec->eos));
    if (bos < 0 || eos < 0) return -1;
    int rc = spec->pre ? gguf_w_str(w, "tokenizer.ggml.pre", spec->pre) : 0;
    if (!rc) rc = gguf_w_u32(w, "tokenizer.ggml.bos_token_id", (uint32_t)bos);
    if (!rc) rc = gguf_w_u32(w, "tokenizer.ggml.eos_token_id", (uint32_t)eos);
    if (!rc) rc = gguf_w_bool(w, "tokenizer.ggml.add_bos_token", spec->add_bos);
    return rc;
}

int tok_build_bpe(gguf_writer_t *w, const char *corpus, int vocab)
{
    return tok_build_bpe_spec(w, corpus, vocab, &tok_spec_llama3);
}

int tok_build_spm(gguf_writer_t *w, const char *corpus, int vocab)
{
    return tok_build_spm_spec(w, corpus, vocab, &tok_spec_spm);
}

int tok_build_bpe_spec(gguf_writer_t *w, const char *corpus, int vocab, const tok_spec_t *spec)
{
    const int nsp = spec->n_specials;
    if (vocab < 298 + nsp) return -1;
    strlist_t toks = {0}, merges = {0};
    unsigned b2u[256];
    int k = 0, rc = -1, nw = 0;
    word_t *words = NULL;
    int *types = NULL;
    for (int b = 0; b < 256; b++) {
        int keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        b2u[b] = keep ? (unsigned)b : (unsigned)(256 + k++);
        char u[4];
        if (sl_add(&toks, u, put_utf8(b2u[b], u)) < 0) goto out;
    }
    if ((nw = split_words(corpus, 0, &toks, &words)) < 0) goto out;
    if (train(&toks, &merges, words, nw, vocab - nsp - toks.n) < 0) goto out;
    for (int i = 0; toks.n < vocab - nsp; i++) {
        char name[32];
        int l = snprintf(name, sizeof name, "<|extra_%d|>", i);
        if (sl_add(&toks, name, l) < 0) goto out;
    }
    for (int i = 0; i < nsp; i++)
        if (sl_add(&toks, spec->specials[i], (int)strlen(spec->specials[i])) < 0) goto out;
    if (!(types = malloc((size_t)toks.n * sizeof *types))) goto out;
    for (int i = 0; i < toks.n; i++) types[i] = i >= toks.n - nsp ? 3 : toks.s[i][0] == '<' && toks.len[i] > 8 ? 4 : 1;
    rc = gguf_w_str(w, "tokenizer.ggml.model", "gpt2");
    if (!rc) rc = write_vocab(w, &toks, types, NULL);
    if (!rc) rc = gguf_w_arr_str(w, "tokenizer.ggml.merges", (const char *const *)merges.s, NULL, (uint64_t)merges.n);
    if (!rc) rc = write_specials(w, &toks, spec);
out:
    for (int i = 0; i < nw; i++) free(words[i].sym);
    free(words);
    free(types);
    sl_free(&toks);
    sl_free(&merges);
    return rc ? -1 : 0;
}

int tok_build_spm_spec(gguf_writer_t *w, const char *corpus, int vocab, const tok_spec_t *spec)
{
    const int nsp = spec->n_specials;
    if (vocab < 320) return -1;
    strlist_t toks = {0};
    int rc = -1, nw = 0;
    word_t *words = NULL;
    int *types = NULL;
    float *scores = NULL;
    if (sl_add(&toks, "<unk>", 5) < 0 || sl_add(&toks, "<s>", 3) < 0 || sl_add(&toks, "</s>", 4) < 0) goto out;
    for (int b = 0; b < 256; b++) {
        char name[8];
        snprintf(name, sizeof name, "<0x%02X>", b);
        if (sl_add(&toks, name, 6) < 0) goto out;
    }
    char u[4];
    if (sl_add(&toks, u, put_utf8(0x2581, u)) < 0) goto out;
    if ((nw = split_words(corpus, 1, &toks, &words)) < 0) goto out;
    int first_piece = 259;
    if (toks.n + nsp > vocab) goto out; /* the corpus' characters alone do not fit */
    if (train(&toks, NULL, words, nw, vocab - nsp - toks.n) < 0) goto out;
    for (int i = 0; toks.n < vocab - nsp; i++) {
        char name[32];
        int l = snprintf(name, sizeof name, "<|extra_%d|>", i);
        if (sl_add(&toks, name, l) < 0) goto out;
    }
    for (int i = 0; i < nsp; i++) /* e.g. Phi-3's <|endoftext|> (32000), after the pieces */
        if (sl_add(&toks, spec->specials[i], (int)strlen(spec->specials[i])) < 0) goto out;
    types = malloc((size_t)toks.n * sizeof *types);
    scores = malloc((size_t)toks.n * sizeof *scores);
    if (!types || !scores) goto out;
    for (int i = 0; i < toks.n; i++) {
        types[i] = i == 0 ? 2 : i < 3 || i >= toks.n - nsp ? 3 : i < 259 ? 6 : (toks.s[i][0] == '<' && toks.len[i] > 8) ? 4 : 1;
        scores[i] = i < first_piece || i >= toks.n - nsp ? 0.0f : -(float)(i - first_piece); /* later merges rank lower */
    }
    rc = gguf_w_str(w, "tokenizer.ggml.model", "llama");
    if (!rc) rc = write_vocab(w, &toks, types, scores);
    if (!rc) rc = write_specials(w, &toks, spec);
    if (!rc) rc = gguf_w_u32(w, "tokenizer.ggml.unknown_token_id", 0);
out:
    for (int i = 0; i < nw; i++) free(words[i].sym);
    free(words);
    free(types);
    free(scores);
    sl_free(&toks);
    return rc ? -1 : 0;
}
