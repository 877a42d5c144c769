/* Builds a small tokenizer from a text corpus (for mkmodel and the tests) and writes it as
 * tokenizer.ggml.* KVs: byte-level BPE ("gpt2") or SentencePiece-style ("llama").  Both are
 * trained by greedy pair merging on the corpus, then padded with unused "<|extra_N|>" tokens
 * up to the requested vocabulary size. */
#ifndef EDGECIM_TOK_BUILD_H
#define EDGECIM_TOK_BUILD_H

#include "gguf.h"

/* The built-in training text (English prose with digits and punctuation). */
extern const char tok_build_corpus[];

/* vocab >= 300 (BPE) / 320 (SPM).  Returns 0 or -1.  A BPE vocabulary names its
 * pre-tokenizer (tokenizer.ggml.pre, tok_pretok.h): `pre` for tok_build_bpe_pre, "llama-bpe"
 * (Llama 3's) for tok_build_bpe.  The training splits words at spaces only, so any
 * pre-tokenizer encodes with it; the merges are just not all reachable. */
int tok_build_bpe(gguf_writer_t *w, const char *corpus, int vocab);
int tok_build_bpe_pre(gguf_writer_t *w, const char *corpus, int vocab, const char *pre);
int tok_build_spm(gguf_writer_t *w, const char *corpus, int vocab);

#endif
