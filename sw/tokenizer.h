/* SPDX-License-Identifier: Apache-2.0 */
/* Tokenizers from GGUF metadata (tokenizer.ggml.*), token for token the same as llama.cpp's
 * (src/llama-vocab.cpp; checked against its ggml-vocab-*.gguf test pairs, tests/data/tokenizer).
 *
 * "gpt2": byte-level BPE (Llama-3, Qwen, SmolLM): the text is split by the pre-tokenizer that
 *   tokenizer.ggml.pre names (tok_pretok.h: llama-bpe, qwen2, smollm, gpt-2, ... and every
 *   other type llama.cpp knows; a missing or unknown name falls back to llama.cpp's "default"
 *   pre-tokenizer with a warning on stderr), each piece is written in GPT-2's byte alphabet
 *   and merged by rank (tokenizer.ggml.merges).  With ignore_merges (llama-bpe, tekken) a piece
 *   that is a token as a whole is that token.  Text that is not UTF-8 is read as llama.cpp
 *   reads it: every undecodable byte is U+FFFD.
 * "llama": SentencePiece-style (TinyLlama, Phi-3): spaces become U+2581, a U+2581 is prepended
 *   to the text and after every special token (tokenizer.ggml.add_space_prefix, default on),
 *   adjacent pieces are merged by highest tokenizer.ggml.scores, and what is not in the
 *   vocabulary falls back to <0xXX> byte tokens.  Round trip is exact except that a literal
 *   U+2581 in the input decodes as a space (inherent to the format).
 * Special tokens: before either, the text is cut at the literal texts of the user-defined
 * tokens (type 4) and, when parse_special is on, of the control and unknown tokens (types 3,
 * 2), longest first, as llama.cpp's tokenizer_st_partition(). */
#ifndef EDGECIM_TOKENIZER_H
#define EDGECIM_TOKENIZER_H

#include <stddef.h>

#include "gguf.h"
#include "tok_map.h"
#include "tok_pretok.h"

typedef enum { TOK_BPE, TOK_SPM } tok_kind_t;

/* Token attributes: llama.cpp's llama_token_attr bits. */
enum {
    TOK_ATTR_UNKNOWN = 1 << 0,
    TOK_ATTR_UNUSED = 1 << 1,
    TOK_ATTR_NORMAL = 1 << 2,
    TOK_ATTR_CONTROL = 1 << 3,
    TOK_ATTR_USER_DEFINED = 1 << 4,
    TOK_ATTR_BYTE = 1 << 5,
    TOK_ATTR_LSTRIP = 1 << 7, /* spaces before the token belong to it (when matched in text) */
    TOK_ATTR_RSTRIP = 1 << 8  /* spaces after it too */
};

typedef struct {
    tok_kind_t kind;
    int n_vocab;
    char **text;        /* into text_buf; an empty token reads "[EMPTY_<id>]" as in llama.cpp */
    int *len;
    float *score;       /* SPM */
    int *type;          /* GGUF token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 6 byte */
    int *attr;          /* TOK_ATTR_*, from the types as llama.cpp derives them */
    tok_map_t vocab;    /* text -> id */
    tok_map_t merges;   /* "left right" -> rank (BPE) */
    int n_merges;
    int bos, eos, unk;  /* -1 when absent */
    int add_bos, add_eos, add_space_prefix;
    int ignore_merges;
    char pre[64];                     /* tokenizer.ggml.pre as written ("" when absent) */
    const tok_pretok_def_t *pre_def;  /* the pre-tokenizer in use (BPE) */
    tok_pretok_t *pretok;
    int *special;       /* ids matched in the text (control/user-defined/unknown), longest first */
    int n_special;
    int byte_tok[256];  /* id of the token of each byte (-1 if none) */
    char *text_buf, *merge_buf;
} tokenizer_t;

/* 0 or -1 with a message in err. */
int  tokenizer_load(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen);
void tokenizer_free(tokenizer_t *t);

/* llama.cpp's llama_tokenize(): len bytes of text into *ids (malloc'ed, caller frees).
 * add_special: BOS first if the model adds one (add_bos), EOS last if it adds one (add_eos).
 * parse_special: control tokens written in the text are those tokens.  Returns the token
 * count, or -1 on out-of-memory (or a PCRE2 matching error). */
int tokenizer_tokenize(const tokenizer_t *t, const char *text, size_t len, int add_special, int parse_special,
                       int **ids);

/* The prompt of `edgecim run`: BOS first if add_bos and the model has one, special tokens
 * parsed.  Returns the token count or -1. */
int tokenizer_encode(const tokenizer_t *t, const char *text, size_t len, int add_bos, int **ids);

/* llama.cpp's llama_token_to_piece() without lstrip: the bytes of one token appended to out
 * (cap bytes).  special: control and unknown tokens print their text (else nothing).  Returns
 * the byte count (may exceed cap: then only cap bytes were written). */
size_t tokenizer_token_to_piece(const tokenizer_t *t, int id, int special, char *out, size_t cap);

/* The bytes of a generated token (special tokens print nothing); `first` strips the prefix
 * space SentencePiece added to the text. */
size_t tokenizer_piece(const tokenizer_t *t, int id, int first, char *out, size_t cap);

/* Decodes n ids into a malloc'ed buffer (NUL terminated, *out_len bytes); BOS is skipped, the
 * first piece as tokenizer_piece(first).  0 or -1. */
int tokenizer_decode(const tokenizer_t *t, const int *ids, int n, char **out, size_t *out_len);

#endif
