/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim tokenize`: loads only the tokenizer of a GGUF file (vocabulary-only files such as
 * llama.cpp's ggml-vocab-*.gguf work too) and prints the tokens of a text. */
#include "cmd_tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gguf.h"
#include "tokenizer.h"

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim tokenize --model F.gguf [--no-bos] [--no-special] [--ids] [--show-count]\n"
            "                        [--escape] [--file F | --stdin | [--] TEXT]\n"
            "Prints the tokens of TEXT (or of the file, or of standard input) under the tokenizer of\n"
            "F.gguf as llama.cpp's llama-tokenize does: one line \"  ID -> 'PIECE'\" per token.\n"
            "  --model F     the GGUF file (only its tokenizer.ggml.* metadata is read)\n"
            "  --no-bos      do not add BOS (nor EOS) even when the model adds them\n"
            "  --no-special  do not parse control tokens written in the text (user-defined tokens\n"
            "                still are, as in llama.cpp)\n"
            "  --ids         print only the ids, as [1, 2, 3]\n"
            "  --show-count  print the number of tokens last\n"
            "  --escape      read \\n \\r \\t \\' \\\" \\\\ \\xNN in the text as llama-tokenize does\n"
            "  --file F      tokenize the bytes of file F\n"
            "  --stdin       tokenize standard input\n"
            "  -h, --help    this help\n"
            "Exit status: 0, 1 when the model or the text cannot be read, 2 on a bad argument.\n");
    return o == stdout ? 0 : 2;
}

static int bad_arg(const char *msg, const char *v)
{
    fprintf(stderr, "edgecim tokenize: %s%s%s\n", msg, v ? ": " : "", v ? v : "");
    return 2;
}

/* All of a stream into a malloc'ed buffer; NULL on a read error or out-of-memory. */
static char *read_all(FILE *in, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, in);
        if (n < cap) break;
        char *p = realloc(buf, cap *= 2);
        if (!p) { free(buf); return NULL; }
        buf = p;
    }
    if (buf && ferror(in)) { free(buf); return NULL; }
    *len = n;
    return buf;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* llama.cpp's string_process_escapes(), in place: \n \r \t \' \" \\ \xNN; any other
 * backslash stays.  Returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) { s[o++] = s[i]; continue; }
        char c = s[++i];
        if (c == 'n') s[o++] = '\n';
        else if (c == 'r') s[o++] = '\r';
        else if (c == 't') s[o++] = '\t';
        else if (c == '\'' || c == '"' || c == '\\') s[o++] = c;
        else if (c == 'x' && i + 2 < n && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            s[o++] = (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            s[o++] = '\\';
            s[o++] = c;
        }
    }
    return o;
}

/* A regular file that exists, else a message (a directory would only fail later in mmap). */
static int check_file(const char *path, const char *what)
{
    struct stat st;
    if (stat(path, &st) != 0) { fprintf(stderr, "edgecim tokenize: %s %s: cannot open\n", what, path); return 1; }
    if (S_ISDIR(st.st_mode)) { fprintf(stderr, "edgecim tokenize: %s %s is a directory\n", what, path); return 1; }
    return 0;
}

static char *read_text(const char *file, int from_stdin, const char *arg, int escape, size_t *len)
{
    char *s = NULL;
    if (file) {
        if (check_file(file, "text file")) return NULL;
        FILE *in = fopen(file, "rb");
        if (in) { s = read_all(in, len); fclose(in); }
        if (!s) fprintf(stderr, "edgecim tokenize: cannot read %s\n", file);
    } else if (from_stdin) {
        if (!(s = read_all(stdin, len))) fprintf(stderr, "edgecim tokenize: cannot read standard input\n");
    } else {
        *len = strlen(arg);
        if ((s = malloc(*len + 1))) memcpy(s, arg, *len + 1);
    }
    if (s && escape) *len = unescape(s, *len);
    return s;
}

static void print_tokens(const tokenizer_t *t, const int *ids, int n, int ids_only, int show_count)
{
    if (ids_only) {
        printf("[");
        for (int i = 0; i < n; i++) printf("%s%d", i ? ", " : "", ids[i]);
        printf("]\n");
    }
    for (int i = 0; i < n && !ids_only; i++) {
        char piece[4200];
        size_t k = tokenizer_token_to_piece(t, ids[i], 1, piece, sizeof piece);
        printf("%6d -> '", ids[i]);
        fwrite(piece, 1, k < sizeof piece ? k : sizeof piece, stdout);
        printf("'\n");
    }
    if (show_count) printf("Total number of tokens: %d\n", n);
}

int edgecim_cmd_tokenize(int argc, char **argv)
{
    const char *model = NULL, *file = NULL, *text = NULL;
    int no_bos = 0, no_special = 0, ids_only = 0, show_count = 0, escape = 0, from_stdin = 0, opts = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts && a[0] == '-' && a[1]) {
            if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout);
            else if (!strcmp(a, "--")) opts = 0;
            else if (!strcmp(a, "--no-bos")) no_bos = 1;
            else if (!strcmp(a, "--no-special")) no_special = 1;
            else if (!strcmp(a, "--ids")) ids_only = 1;
            else if (!strcmp(a, "--show-count")) show_count = 1;
            else if (!strcmp(a, "--escape")) escape = 1;
            else if (!strcmp(a, "--stdin")) from_stdin = 1;
            else if (!strcmp(a, "--model") || !strcmp(a, "--file")) {
                if (i + 1 >= argc) return bad_arg("missing value of", a);
                *(!strcmp(a, "--model") ? &model : &file) = argv[++i];
            } else { bad_arg("unknown option", a); return usage(stderr); }
            continue;
        }
        if (text) return bad_arg("one TEXT only (quote it)", a);
        text = a;
    }
    if (!model) { bad_arg("--model is required", NULL); return usage(stderr); }
    if ((text != NULL) + (file != NULL) + from_stdin != 1) return bad_arg("give exactly one of TEXT, --file, --stdin", NULL);
    if (check_file(model, "model")) return 1;
    gguf_file_t f;
    tokenizer_t t;
    char err[600];
    if (gguf_open(&f, model, err, sizeof err)) { fprintf(stderr, "edgecim tokenize: %s\n", err); return 1; }
    if (tokenizer_load(&t, &f, err, sizeof err)) {
        fprintf(stderr, "edgecim tokenize: %s\n", err);
        gguf_close(&f);
        return 1;
    }
    size_t len = 0;
    char *s = read_text(file, from_stdin, text, escape, &len);
    int *ids = NULL, n = -1;
    if (s) n = tokenizer_tokenize(&t, s, len, t.add_bos && !no_bos, !no_special, &ids);
    if (s && n < 0) fprintf(stderr, "edgecim tokenize: out of memory\n");
    if (n >= 0) print_tokens(&t, ids, n, ids_only, show_count);
    free(ids);
    free(s);
    tokenizer_free(&t);
    gguf_close(&f);
    return n >= 0 ? 0 : 1;
}
