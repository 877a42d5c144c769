/* Tokenizers from GGUF metadata (tokenizer.ggml.*).
 *
 * "gpt2": byte-level BPE (Llama-3, Qwen, SmolLM): tokens are strings over GPT-2's
 *   byte->unicode alphabet, merges are "left right" strings in rank order.  Pre-tokenization
 *   is a regex-free splitter approximating the Llama-3 pattern: a chunk is [one optional
 *   leading space] + a run of letters (ASCII letters and every non-ASCII byte count as
 *   letters), or a run of 1-3 ASCII digits, or [optional space] + a run of other symbols, or a
 *   run of whitespace (whose last space is left to the next word when one follows).
 *   Contractions and Unicode classes are not special-cased.  Encoding is byte-level, so
 *   encode->decode reproduces any byte string exactly.
 * "llama": SentencePiece-style (TinyLlama, Phi-3): spaces become U+2581, a U+2581 is
 *   prepended (tokenizer.ggml.add_space_prefix, default on), adjacent pieces are merged by
 *   highest tokenizer.ggml.scores, and what is not in the vocabulary falls back to <0xXX>
 *   byte tokens.  Round trip is exact except that a literal U+2581 in the input decodes as a
 *   space (inherent to the format).
 * Special tokens written literally in the text (e.g. "<|endoftext|>") are not recognized. */
#ifndef EDGECIM_TOKENIZER_H
#define EDGECIM_TOKENIZER_H

#include <stddef.h>

#include "gguf.h"

typedef enum { TOK_BPE, TOK_SPM } tok_kind_t;

typedef struct {
    const char *key;
    size_t len;
    int val;
} tok_slot_t;

typedef struct {
    tok_slot_t *slots;
    size_t cap;
} tok_map_t;

typedef struct {
    tok_kind_t kind;
    int n_vocab;
    char **text;        /* owned copies */
    int *len;
    float *score;       /* SPM */
    int *type;          /* GGUF token types: 1 normal, 3 control, 6 byte, ... */
    tok_map_t vocab;    /* text -> id */
    tok_map_t merges;   /* "left right" -> rank (BPE) */
    char **merge_text;
    int n_merges;
    int bos, eos;       /* -1 when absent */
    int add_bos, add_space_prefix;
    int byte_tok[256];  /* id of the token of each byte (-1 if none) */
} tokenizer_t;

/* 0 or -1 with a message in err. */
int  tokenizer_load(tokenizer_t *t, const gguf_file_t *f, char *err, size_t errlen);
void tokenizer_free(tokenizer_t *t);

/* Encodes len bytes of text; *ids is malloc'ed (caller frees). add_bos: prepend BOS if the
 * model has one.  Returns the token count or -1 on out-of-memory. */
int tokenizer_encode(const tokenizer_t *t, const char *text, size_t len, int add_bos, int **ids);

/* Bytes of one token appended to out (cap bytes); `first` strips the SPM prefix space.
 * Returns the byte count (may exceed cap: then only cap bytes were written). */
size_t tokenizer_piece(const tokenizer_t *t, int id, int first, char *out, size_t cap);

/* Decodes n ids into a malloc'ed buffer (NUL terminated, *out_len bytes). 0 or -1. */
int tokenizer_decode(const tokenizer_t *t, const int *ids, int n, char **out, size_t *out_len);

#endif
