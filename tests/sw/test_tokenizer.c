/* Tokenizers: known encodings on tiny hand-built vocabularies (BPE and SentencePiece-style),
 * then encode -> decode round trips of random text and random bytes on the tokenizers that
 * mkmodel builds.  Usage: test_tokenizer WORKDIR [seed] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gguf.h"
#include "rng.h"
#include "tok_build.h"
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

static void expect_ids(const tokenizer_t *t, const char *text, int bos, const int *want, int n_want)
{
    int *ids;
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
    CHECK(len == strlen(text) && !memcmp(s, text, len), "decode(encode(\"%s\")) = \"%s\"", text, s);
    free(s);
    free(ids);
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
    expect_ids(&t, "\xff", 0, (int[]){255}, 1);
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

static void random_text(rng_t *r, char *s, size_t *len, int raw_bytes, int spm)
{
    static const char *atoms[] = {"a", "b", "the", " ", "  ", "\n", "\t", "7", "42", "!", ",", ".",
                                  "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "Hello", " world",
                                  "'s", "\r\n", "-"};
    size_t n = rng_below(r, 60), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw_bytes) {
            s[o++] = (char)rng_below(r, 256);
            if (spm && o >= 3 && !memcmp(s + o - 3, "\xe2\x96\x81", 3)) o--; /* U+2581 reads as space */
        } else {
            const char *a = atoms[rng_below(r, sizeof atoms / sizeof atoms[0])];
            memcpy(s + o, a, strlen(a));
            o += strlen(a);
        }
    }
    *len = o;
}

static void test_round_trips(uint64_t seed)
{
    for (int spm = 0; spm < 2; spm++) {
        gguf_writer_t *w = gguf_writer_new();
        int rc = spm ? tok_build_spm(w, tok_build_corpus, 600) : tok_build_bpe(w, tok_build_corpus, 600);
        CHECK(rc == 0, "tok_build");
        tokenizer_t t;
        gguf_file_t f;
        if (load(w, spm ? "spm_built.gguf" : "bpe_built.gguf", &t, &f)) continue;
        CHECK(t.n_vocab == 600 && t.bos >= 0 && t.eos >= 0, "built vocab");
        rng_t r;
        rng_seed(&r, seed + (uint64_t)spm);
        long total_tokens = 0, total_bytes = 0;
        for (int i = 0; i < 400; i++) {
            char s[400];
            size_t len;
            random_text(&r, s, &len, i % 2, spm);
            int *ids;
            int n = tokenizer_encode(&t, s, len, 1, &ids);
            char *back;
            size_t blen;
            tokenizer_decode(&t, ids, n, &back, &blen);
            if (blen != len || memcmp(back, s, len)) {
                fails++;
                printf("FAIL %s round trip, seed %llu case %d: %zu bytes -> %d tokens -> %zu bytes\n",
                       spm ? "spm" : "bpe", (unsigned long long)seed, i, len, n, blen);
            }
            total_tokens += n;
            total_bytes += (long)len;
            free(back);
            free(ids);
        }
        /* the trained merges must compress the training text */
        int *ids;
        int n = tokenizer_encode(&t, tok_build_corpus, strlen(tok_build_corpus), 0, &ids);
        printf("%s: corpus %zu bytes -> %d tokens; random: %ld bytes -> %ld tokens\n", spm ? "spm" : "bpe",
               strlen(tok_build_corpus), n, total_bytes, total_tokens);
        CHECK(n < (int)strlen(tok_build_corpus) / 2, "%s: merges do not compress the corpus", spm ? "spm" : "bpe");
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
    test_round_trips(seed);
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
