/* SPDX-License-Identifier: Apache-2.0 */
/* The tokenizers against llama.cpp's own test pairs (tests/data/tokenizer: ggml-vocab-*.gguf
 * with .inp/.out): every input is tokenized without BOS/EOS and without parsing control
 * tokens, as llama.cpp's test-tokenizer-0 does, and every id must match.  Then what the pairs
 * do not cover: special tokens in the text, add_bos/add_eos, and that each file round-trips.
 * Usage: test_tokenizer_llama DATADIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gguf.h"
#include "tokenizer.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static const char *const files[] = {"ggml-vocab-llama-bpe.gguf", "ggml-vocab-qwen2.gguf", "ggml-vocab-llama-spm.gguf"};
#define N_EXPECTED 46 /* inputs per file */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; *len = (size_t)n; }
    return buf;
}

/* Printable form of a test input (for failure messages). */
static void print_escaped(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') printf("\\n");
        else if (c == '\t') printf("\\t");
        else if (c == '\r') printf("\\r");
        else if (c < 0x20) printf("\\x%02x", c);
        else putchar(c);
    }
    putchar('"');
}

static void print_ids(const char *what, const int *v, int n)
{
    printf("  %s (%d):", what, n);
    for (int i = 0; i < n; i++) printf(" %d", v[i]);
    printf("\n");
}

/* Expected ids of one .out line; returns the count. */
static int parse_ids(const char *line, size_t len, int *out, int cap)
{
    int n = 0;
    for (size_t i = 0; i < len && n < cap;) {
        while (i < len && line[i] == ' ') i++;
        if (i >= len) break;
        out[n++] = (int)strtol(line + i, NULL, 10);
        while (i < len && line[i] != ' ') i++;
    }
    return n;
}

/* Tokenizes every input of FILE.inp and compares with FILE.out; returns the number that match. */
static int run_pairs(const tokenizer_t *t, const char *dir, const char *name, int *n_inputs)
{
    char path[600];
    size_t il, ol;
    snprintf(path, sizeof path, "%s/%s.inp", dir, name);
    char *inp = slurp(path, &il);
    snprintf(path, sizeof path, "%s/%s.out", dir, name);
    char *out = slurp(path, &ol);
    *n_inputs = 0;
    if (!inp || !out) { CHECK(0, "cannot read %s(.inp/.out)", name); free(inp); free(out); return 0; }
    static const char sep[] = "\n__ggml_vocab_test__\n";
    const size_t sl = sizeof sep - 1;
    size_t ip = 0, op = 0;
    int pass = 0;
    while (ip < il) { /* the inputs as llama.cpp's read_tests() splits them */
        const char *next = strstr(inp + ip, sep);
        size_t end = next ? (size_t)(next - inp) : il;
        const char *nl = memchr(out + op, '\n', ol - op);
        size_t oend = nl ? (size_t)(nl - out) : ol;
        if (op >= ol) { CHECK(0, "%s: more inputs than output lines", name); break; }
        int want[512], got_n, *got;
        int want_n = parse_ids(out + op, oend - op, want, 512);
        got_n = tokenizer_tokenize(t, inp + ip, end - ip, 0, 0, &got);
        int ok = got_n == want_n;
        for (int i = 0; ok && i < got_n; i++) ok = got[i] == want[i];
        if (ok) {
            pass++;
        } else {
            printf("FAIL %s input %d: ", name, *n_inputs);
            print_escaped(inp + ip, end - ip);
            printf("\n");
            print_ids("got     ", got, got_n);
            print_ids("expected", want, want_n);
            fails++;
        }
        free(got);
        (*n_inputs)++;
        op = oend + 1;
        ip = next ? end + sl : il;
    }
    free(inp);
    free(out);
    return pass;
}

static int load(const char *dir, const char *name, gguf_file_t *f, tokenizer_t *t)
{
    char path[600], err[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = gguf_open(f, path, err, sizeof err);
    if (!rc && (rc = tokenizer_load(t, f, err, sizeof err))) gguf_close(f);
    CHECK(rc == 0, "load %s: %s", name, err);
    return rc;
}

/* ids of a text, compared with a list ending in -1. */
static void expect(const tokenizer_t *t, const char *name, const char *text, int add_special, int parse_special,
                   const int *want)
{
    int *got, n = tokenizer_tokenize(t, text, strlen(text), add_special, parse_special, &got), wn = 0;
    while (want[wn] >= 0) wn++;
    int ok = n == wn;
    for (int i = 0; ok && i < n; i++) ok = got[i] == want[i];
    if (!ok) {
        printf("FAIL %s: ", name);
        print_escaped(text, strlen(text));
        printf(" add_special=%d parse_special=%d\n", add_special, parse_special);
        print_ids("got     ", got, n);
        print_ids("expected", want, wn);
        fails++;
    }
    free(got);
}

/* Special tokens, BOS/EOS and pre-tokenizer selection of each reference vocabulary. */
static void test_specials(const tokenizer_t *t, const char *name)
{
    if (strstr(name, "llama-bpe")) {
        CHECK(t->add_bos && !t->add_eos && t->bos == 128000 && t->ignore_merges, "llama-bpe: add_bos, ignore_merges");
        CHECK(!strcmp(t->pre_def->type, "llama3"), "llama-bpe selects llama3, not %s", t->pre_def->type);
        expect(t, name, "Hello", 1, 0, (int[]){128000, 9906, -1});
        expect(t, name, "<|begin_of_text|>Hi", 0, 1, (int[]){128000, 13347, -1});
        expect(t, name, "<|eot_id|>", 0, 0, (int[]){27, 91, 68, 354, 851, 91, 29, -1}); /* not parsed */
    } else if (strstr(name, "qwen2")) {
        CHECK(!t->add_bos && !t->add_eos && !t->ignore_merges, "qwen2: no BOS/EOS by default");
        expect(t, name, "Hello", 1, 0, (int[]){9707, -1});
        expect(t, name, "<|im_start|>user\nHi<|im_end|>", 0, 1, (int[]){151644, 872, 198, 13048, 151645, -1});
        /* user-defined tokens are found even without parse_special, control ones are not */
        expect(t, name, "a[PAD151700]b", 0, 0, (int[]){64, 151700, 65, -1});
        expect(t, name, "<|im_end|>", 0, 0, (int[]){27, 91, 318, 6213, 91, 29, -1});
    } else {
        CHECK(t->kind == TOK_SPM && t->add_bos && !t->add_eos && t->bos == 1, "spm: add_bos from the file");
        expect(t, name, "Hello", 1, 0, (int[]){1, 15043, -1});
        /* after a special token the text gets its space prefix again */
        expect(t, name, "Hi</s>Hi", 0, 1, (int[]){6324, 2, 6324, -1});
    }
}

/* Every input decodes back to itself (BPE: invalid UTF-8 aside, there is none in the inputs). */
static void test_round_trip(const tokenizer_t *t, const char *name)
{
    static const char *const texts[] = {"Hello world", " leading and  double  spaces ", "tabs\tand\nnewlines\r\n",
                                        "日本語のテキスト", "emoji 🦙🚀 and accents: Việt, Äpfel", "3.14159 1234567"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int *ids, n = tokenizer_tokenize(t, texts[i], strlen(texts[i]), 1, 0, &ids);
        char *back;
        size_t bl;
        CHECK(n > 0 && tokenizer_decode(t, ids, n, &back, &bl) == 0, "%s: decode", name);
        if (n > 0) {
            CHECK(bl == strlen(texts[i]) && !memcmp(back, texts[i], bl), "%s: round trip of \"%s\" gave \"%s\"", name,
                  texts[i], back);
            free(back);
        }
        free(ids);
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/data/tokenizer";
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        gguf_file_t f;
        tokenizer_t t;
        if (load(dir, files[k], &f, &t)) continue;
        int n, pass = run_pairs(&t, dir, files[k], &n);
        printf("%s (pre '%s' -> %s): %d/%d\n", files[k], t.pre, t.kind == TOK_BPE ? t.pre_def->type : "spm", pass, n);
        CHECK(n == N_EXPECTED, "%s: %d inputs, expected %d", files[k], n, N_EXPECTED);
        test_specials(&t, files[k]);
        test_round_trip(&t, files[k]);
        tokenizer_free(&t);
        gguf_close(&f);
    }
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "OK", fails);
    return fails != 0;
}
