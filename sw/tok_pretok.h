/* SPDX-License-Identifier: Apache-2.0 */
/* Pre-tokenizers of byte-level BPE vocabularies, chosen by tokenizer.ggml.pre, as llama.cpp
 * (src/llama-vocab.cpp: llm_tokenizer_bpe, src/unicode.cpp: unicode_regex_split) does it:
 *
 *  - every pre-tokenizer is a list of regexes applied in turn, each one splitting the pieces
 *    left by the previous one (a match is a piece, and so is the text between two matches);
 *  - the GPT-2 and Llama-3 regexes are not run as regexes but by llama.cpp's hand-written
 *    splitters (unicode_regex_split_custom_gpt2/_llama3), which we port as they are;
 *  - any other regex runs in PCRE2 the way llama.cpp runs it in std::regex: when it uses
 *    \p{N}, \p{L}, \p{P}, \p{M} or \p{S}, on a "collapsed" text where every non-ASCII codepoint
 *    is one code unit naming its class (0xD1 N, 0xD2 L, 0xD3 P, 0xD4 M, 0xD5 S, 0xD0 other,
 *    0x0B whitespace) and with each \p{X} rewritten as a class of that unit plus the ASCII
 *    members llama.cpp lists; otherwise on the codepoints with non-ASCII whitespace as 0x0B.
 *    PCRE2 runs with its C-locale tables (\s is ASCII whitespace), as std::regex does;
 *  - the pieces are returned in GPT-2's byte alphabet, ready for the BPE merges.
 * Text that is not UTF-8 is read as llama.cpp reads it: each bad byte is U+FFFD. */
#ifndef EDGECIM_TOK_PRETOK_H
#define EDGECIM_TOK_PRETOK_H

#include <stddef.h>

#define TOK_PRETOK_MAX_REGEX 6

/* One llama.cpp pre-tokenizer type: the tokenizer.ggml.pre values that select it and what it
 * sets besides its regexes. */
typedef struct {
    const char *type;                  /* llama.cpp's LLAMA_VOCAB_PRE_TYPE_ name, lower case */
    const char *const *names;          /* tokenizer.ggml.pre values, NULL terminated */
    const char *const *regex;          /* NULL terminated */
    int ignore_merges;                 /* a whole piece that is a token is that token */
    int add_bos;                       /* default of tokenizer.ggml.add_bos_token */
    int no_bos;                        /* no BOS token by default (chatglm-bpe) */
} tok_pretok_def_t;

/* The definition a tokenizer.ggml.pre value selects, or NULL when llama.cpp does not know it.
 * tok_pretok_lookup("default") is the default (llama.cpp's LLAMA_VOCAB_PRE_TYPE_DEFAULT). */
const tok_pretok_def_t *tok_pretok_lookup(const char *name);

/* Every definition, for the tests (*n of them). */
const tok_pretok_def_t *tok_pretok_all(int *n);

typedef struct tok_pretok tok_pretok_t;

/* Compiles the regexes of def.  NULL with a message in err on failure. */
tok_pretok_t *tok_pretok_new(const tok_pretok_def_t *def, char *err, size_t errlen);
void tok_pretok_free(tok_pretok_t *p);

/* The pieces of a text: piece i is buf[start[i] .. start[i + 1]), n pieces, in GPT-2's byte
 * alphabet. */
typedef struct {
    char *buf;
    size_t *start;
    size_t n;
} tok_pieces_t;

/* Splits len bytes of text.  0, or -1 on out-of-memory or a PCRE2 matching error (message in
 * err).  Free the pieces with tok_pieces_free(). */
int tok_pretok_split(const tok_pretok_t *p, const char *text, size_t len, tok_pieces_t *out,
                     char *err, size_t errlen);
void tok_pieces_free(tok_pieces_t *pc);

#endif
