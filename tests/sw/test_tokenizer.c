/* SPDX-License-Identifier: Apache-2.0 */
/* Tokenizers: known encodings on tiny hand-built vocabularies (BPE and SentencePiece-style),
 * special tokens and BOS/EOS flags, then encode -> decode round trips of random text and random
 * bytes on the tokenizers that mkmodel builds, under every pre-tokenizer llama.cpp knows.
 * (tests/sw/test_tokenizer_llama.c checks the ids against llama.cpp's own test pairs.)
 * Usage: test_tokenizer WORKDIR [seed] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gguf.h"
#include "rng.h"
#include "tok_build.h"
#include "tok_unicode.h"
#include "tokenizer.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)
static char wd[400];

static int load(gguf_writer_t *w, const char *name, tokenizer_t *t, gguf_file_t *f)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/%s", wd, name);
    int rc = gguf_writer_write(w, path, NULL, NULL, err, sizeof err);
    gguf_writer_free(w);
    if (!rc) rc = gguf_open(f, path, err, sizeof err);
    if (!rc && (rc = tokenizer_load(t, f, err, sizeof err))) gguf_close(f);
    CHECK(rc == 0, "load %s: %s", name, err);
    return rc;
}

/* What llama.cpp decodes a byte-level BPE encoding to: the text with each byte that is not
 * UTF-8 as U+FFFD.  *len bytes into out (4 * len + 1 bytes). */
static void sanitized(const char *s, size_t *len, char *out)
{
    uint32_t *cp;
    long n = tok_utf8_decode(s, *len, &cp);
    size_t o = 0;
    for (long i = 0; i < n; i++) o += (size_t)tok_utf8_encode(cp[i], out + o);
    free(cp);
    *len = o;
}

/* Encodes text (BOS when bos), checks the ids, and that they decode to `back` (NULL: text). */
static void expect_ids_back(const tokenizer_t *t, const char *text, int bos, const int *want, int n_want,
                            const char *back)
{
    int *ids;
    if (!back) back = text;
    int n = tokenizer_encode(t, text, strlen(text), bos, &ids);
    int ok = n == n_want;
    for (int i = 0; ok && i < n; i++) ok = ids[i] == want[i];
    if (!ok) {
        printf("FAIL encode \"%s\": got", text);
        for (int i = 0; i < n; i++) printf(" %d", ids[i]);
        printf(", expected");
        for (int i = 0; i < n_want; i++) printf(" %d", want[i]);
        printf("\n");
        fails++;
    }
    char *s;
    size_t len;
    tokenizer_decode(t, ids, n, &s, &len);
    CHECK(len == strlen(back) && !memcmp(s, back, len), "decode(encode(\"%s\")) = \"%s\"", text, s);
    free(s);
    free(ids);
}

static void expect_ids(const tokenizer_t *t, const char *text, int bos, const int *want, int n_want)
{
    expect_ids_back(t, text, bos, want, n_want, NULL);
}

static void test_bpe_known(void)
{
    const char *tokens[256 + 12];
    char bytes[256][4];
    int k = 0;
    for (int b = 0; b < 256; b++) { /* GPT-2 byte alphabet, in byte order: id = byte */
        int keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        unsigned cp = keep ? (unsigned)b : (unsigned)(256 + k++);
        if (cp < 0x80) { bytes[b][0] = (char)cp; bytes[b][1] = 0; }
        else { bytes[b][0] = (char)(0xc0 | (cp >> 6)); bytes[b][1] = (char)(0x80 | (cp & 63)); bytes[b][2] = 0; }
        tokens[b] = bytes[b];
    }
    static const char *extra[] = {"he", "ll", "hell", "hello", "\xc4\xa0w", "or", "\xc4\xa0wor", "ld",
                                  "\xc4\xa0world", "<s>", "12", "123"};
    static const char *merges[] = {"h e", "l l", "he ll", "hell o", "\xc4\xa0 w", "o r", "\xc4\xa0w or",
                                   "l d", "\xc4\xa0wor ld", "1 2", "12 3"};
    for (int i = 0; i < 12; i++) tokens[256 + i] = extra[i];
    int types[268];
    for (int i = 0; i < 268; i++) types[i] = i == 265 ? 3 : 1;
    gguf_writer_t *w = gguf_writer_new();
    gguf_w_str(w, "tokenizer.ggml.model", "gpt2");
    gguf_w_arr_str(w, "tokenizer.ggml.tokens", tokens, NULL, 268);
    gguf_w_arr(w, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, 268);
    gguf_w_arr_str(w, "tokenizer.ggml.merges", merges, NULL, 11);
    gguf_w_u32(w, "tokenizer.ggml.bos_token_id", 265);
    tokenizer_t t;
    gguf_file_t f;
    if (load(w, "bpe_tiny.gguf", &t, &f)) return;
    expect_ids(&t, "hello world", 0, (int[]){259, 264}, 2);
    expect_ids(&t, "hello world", 1, (int[]){265, 259, 264}, 3);
    expect_ids(&t, "hellohello", 0, (int[]){259, 259}, 2);
    expect_ids(&t, "hello  world!", 0, (int[]){259, 32, 264, 33}, 4);
    expect_ids(&t, "hell", 0, (int[]){258}, 1);
    expect_ids(&t, "1234", 0, (int[]){267, '4'}, 2); /* digits split in runs of at most 3 */
    /* not UTF-8: U+FFFD, as llama.cpp reads it */
    expect_ids_back(&t, "\xff", 0, (int[]){0xef, 0xbf, 0xbd}, 3, "\xef\xbf\xbd");
    /* 268 tokens, no tokenizer.ggml.pre: llama.cpp's BPE defaults */
    CHECK(t.add_bos == 0 && t.add_eos == 0 && t.eos == 11 && !strcmp(t.pre_def->type, "default"), "BPE defaults");
    tokenizer_free(&t);
    gguf_close(&f);
}

static void test_spm_known(void)
{
    const char *tokens[300];
    char names[256][8];
    int types[300];
    float scores[300];
    int n = 0;
    tokens[n++] = "<unk>"; tokens[n++] = "<s>"; tokens[n++] = "</s>";
    for (int b = 0; b < 256; b++) {
        snprintf(names[b], 8, "<0x%02X>", b);
        tokens[n++] = names[b];
    }
    /* 259.. */
    static const char *pieces[] = {"\xe2\x96\x81", "h", "e", "l", "o", "\xe2\x96\x81h", "ll",
                                   "\xe2\x96\x81he", "llo", "\xe2\x96\x81hello"};
    static const float pscores[] = {-10, -11, -12, -13, -14, -1, -2, -3, -4, -5};
    for (int i = 0; i < 10; i++) tokens[n++] = pieces[i];
    for (int i = 0; i < n; i++) {
        types[i] = i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1;
        scores[i] = i < 259 ? 0 : pscores[i - 259];
    }
    gguf_writer_t *w = gguf_writer_new();
    gguf_w_str(w, "tokenizer.ggml.model", "llama");
    gguf_w_arr_str(w, "tokenizer.ggml.tokens", tokens, NULL, (uint64_t)n);
    gguf_w_arr(w, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, (uint64_t)n);
    gguf_w_arr(w, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, scores, (uint64_t)n);
    gguf_w_u32(w, "tokenizer.ggml.bos_token_id", 1);
    gguf_w_u32(w, "tokenizer.ggml.eos_token_id", 2);
    tokenizer_t t;
    gguf_file_t f;
    if (load(w, "spm_tiny.gguf", &t, &f)) return;
    expect_ids(&t, "hello", 0, (int[]){268}, 1);
    expect_ids(&t, "hello", 1, (int[]){1, 268}, 2);
    expect_ids(&t, "hi", 0, (int[]){264, 3 + 'i'}, 2);                 /* byte fallback */
    expect_ids(&t, "hello hello", 0, (int[]){268, 268}, 2);
    expect_ids(&t, " oh", 0, (int[]){259, 259, 263, 260}, 4);
    expect_ids(&t, "\xc3\xa9", 0, (int[]){259, 3 + 0xc3, 3 + 0xa9}, 3); /* prefix, then bytes */
    tokenizer_free(&t);
    gguf_close(&f);
}

/* Random text of atoms, or random bytes.  SPM bytes leave out spaces: llama.cpp escapes
 * spaces to U+2581 first and then cuts the text at lead bytes, so an invalid lead byte before a
 * space swallows part of the U+2581 and even llama.cpp does not round-trip that. */
static void random_text(rng_t *r, char *s, size_t *len, int raw_bytes, int spm)
{
    static const char *atoms[] = {"a", "b", "the", " ", "  ", "\n", "\t", "7", "42", "!", ",", ".",
                                  "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "Hello", " world",
                                  "'s", "\r\n", "-", "'LL", "12345", "\xe3\x80\x80", "\xe2\x80\xa6", "$"};
    size_t n = rng_below(r, 60), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw_bytes) {
            s[o++] = (char)rng_below(r, 256);
            if (spm && s[o - 1] == ' ') o--;
            if (spm && o >= 3 && !memcmp(s + o - 3, "\xe2\x96\x81", 3)) o--; /* U+2581 reads as space */
        } else {
            const char *a = atoms[rng_below(r, sizeof atoms / sizeof atoms[0])];
            memcpy(s + o, a, strlen(a));
            o += strlen(a);
        }
    }
    *len = o;
}

/* 400 random texts encode -> decode to themselves (BPE: bytes that are not UTF-8 as U+FFFD). */
static void round_trips(const tokenizer_t *t, const char *name, uint64_t seed, int spm)
{
    rng_t r;
    rng_seed(&r, seed + (uint64_t)spm);
    long total_tokens = 0, total_bytes = 0;
    for (int i = 0; i < 400; i++) {
        char s[400], want[1601];
        size_t len, wlen;
        random_text(&r, s, &len, i % 2, spm);
        wlen = len;
        if (spm) memcpy(want, s, len);
        else sanitized(s, &wlen, want);
        int *ids;
        int n = tokenizer_encode(t, s, len, 1, &ids);
        char *back;
        size_t blen;
        CHECK(n >= 0 && tokenizer_decode(t, ids, n, &back, &blen) == 0, "%s: encode/decode", name);
        if (n < 0) continue;
        if (blen != wlen || memcmp(back, want, wlen)) {
            fails++;
            printf("FAIL %s round trip, seed %llu case %d: %zu bytes -> %d tokens -> %zu bytes\n", name,
                   (unsigned long long)seed, i, len, n, blen);
        }
        total_tokens += n;
        total_bytes += (long)len;
        free(back);
        free(ids);
    }
    printf("%s: random: %ld bytes -> %ld tokens\n", name, total_bytes, total_tokens);
}

static int load_built(const char *pre, int spm, tokenizer_t *t, gguf_file_t *f)
{
    gguf_writer_t *w = gguf_writer_new();
    tok_spec_t spec = tok_spec_llama3; /* Llama 3's specials under the pre-tokenizer `pre` */
    spec.pre = pre;
    int rc = spm ? tok_build_spm(w, tok_build_corpus, 600)
           : pre ? tok_build_bpe_spec(w, tok_build_corpus, 600, &spec) : tok_build_bpe(w, tok_build_corpus, 600);
    CHECK(rc == 0, "tok_build %s", pre ? pre : spm ? "spm" : "bpe");
    char name[96];
    snprintf(name, sizeof name, "%s_built.gguf", pre ? pre : spm ? "spm" : "bpe");
    return load(w, name, t, f);
}

/* mkmodel's tokenizers: round trips, and the trained merges compress the training text. */
static void test_built(uint64_t seed)
{
    for (int spm = 0; spm < 2; spm++) {
        tokenizer_t t;
        gguf_file_t f;
        if (load_built(NULL, spm, &t, &f)) continue;
        CHECK(t.n_vocab == 600 && t.bos >= 0 && t.eos >= 0 && t.add_bos, "built vocab");
        CHECK(spm || (!strcmp(t.pre, "llama-bpe") && t.ignore_merges), "mkmodel's BPE names Llama 3's pre-tokenizer");
        round_trips(&t, spm ? "spm" : "bpe", seed, spm);
        int *ids;
        int n = tokenizer_encode(&t, tok_build_corpus, strlen(tok_build_corpus), 0, &ids);
        printf("%s: corpus %zu bytes -> %d tokens\n", spm ? "spm" : "bpe", strlen(tok_build_corpus), n);
        CHECK(n < (int)strlen(tok_build_corpus) / 2, "%s: merges do not compress the corpus", spm ? "spm" : "bpe");
        free(ids);
        /* the control and user-defined tokens of the built vocabularies */
        const char *bos = t.text[t.bos], *extra = "<|extra_0|>";
        int xid = tok_map_get(&t.vocab, extra, strlen(extra));
        CHECK(xid >= 0 && (t.attr[xid] & TOK_ATTR_USER_DEFINED), "%s: %s is user-defined", spm ? "spm" : "bpe", extra);
        char text[64];
        snprintf(text, sizeof text, "%s%s", bos, extra);
        int *a, *b;
        int na = tokenizer_tokenize(&t, text, strlen(text), 0, 1, &a), nb = tokenizer_tokenize(&t, text, strlen(text), 0, 0, &b);
        CHECK(na == 2 && a[0] == t.bos && a[1] == xid, "%s: parse_special finds BOS and the user-defined token", spm ? "spm" : "bpe");
        CHECK(nb > 2 && b[nb - 1] == xid, "%s: without parse_special BOS is text, the user-defined token is found", spm ? "spm" : "bpe");
        free(a);
        free(b);
        tokenizer_free(&t);
        gguf_close(&f);
    }
}

/* Every pre-tokenizer llama.cpp knows compiles and round-trips under ASan; an unknown name falls
 * back to the default one. */
static void test_all_pretokenizers(uint64_t seed)
{
    int n;
    const tok_pretok_def_t *d = tok_pretok_all(&n);
    for (int k = 0; k <= n; k++) {
        const char *pre = k < n ? d[k].names[0] : "no-such-pre";
        tokenizer_t t;
        gguf_file_t f;
        if (load_built(pre, 0, &t, &f)) continue;
        CHECK(!strcmp(t.pre_def->type, k < n ? d[k].type : "default"), "%s: uses %s", pre, t.pre_def->type);
        round_trips(&t, pre, seed + 100u * (uint64_t)k, 0);
        tokenizer_free(&t);
        gguf_close(&f);
    }
}

/* tokenizer.ggml.add_eos_token (and the add_bos_token tok_build writes) decide what
 * add_special adds. */
static void test_bos_eos_flags(void)
{
    for (int eos = 0; eos < 2; eos++) {
        gguf_writer_t *w = gguf_writer_new();
        CHECK(tok_build_spm(w, tok_build_corpus, 400) == 0, "tok_build_spm");
        gguf_w_bool(w, "tokenizer.ggml.add_eos_token", eos);
        tokenizer_t t;
        gguf_file_t f;
        if (load(w, eos ? "eos1.gguf" : "eos0.gguf", &t, &f)) continue;
        int *ids, n = tokenizer_tokenize(&t, "the cat", 7, 1, 0, &ids);
        CHECK(n >= 3 && ids[0] == t.bos && (ids[n - 1] == t.eos) == eos, "add_eos_token=%d", eos);
        free(ids);
        n = tokenizer_tokenize(&t, "the cat", 7, 0, 0, &ids);
        CHECK(n >= 1 && ids[0] != t.bos && ids[n - 1] != t.eos, "add_special off adds nothing");
        free(ids);
        tokenizer_free(&t);
        gguf_close(&f);
    }
}

int main(int argc, char **argv)
{
    snprintf(wd, sizeof wd, "%s", argc > 1 ? argv[1] : ".");
    mkdir(wd, 0755);
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
    printf("test_tokenizer seed=%llu\n", (unsigned long long)seed);
    test_bpe_known();
    test_spm_known();
    test_built(seed);
    test_all_pretokenizers(seed);
    test_bos_eos_flags();
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
