/* SPDX-License-Identifier: Apache-2.0 */
/* Builds a small tokenizer from a text corpus (for mkmodel and the tests) and writes it as
 * tokenizer.ggml.* KVs: byte-level BPE ("gpt2") or SentencePiece-style ("llama").  Both are
 * trained by greedy pair merging on the corpus, then padded with unused "<|extra_N|>" tokens
 * up to the requested vocabulary size. */
#ifndef EDGECIM_TOK_BUILD_H
#define EDGECIM_TOK_BUILD_H

#include "gguf.h"

/* The built-in training text (English prose with digits and punctuation). */
extern const char tok_build_corpus[];

/* The special tokens and conventions of a model family, as its real GGUF files have them. */
typedef struct {
    const char *pre;               /* tokenizer.ggml.pre (BPE; NULL: not written), tok_pretok.h */
    const char *const *specials;   /* control tokens, appended last (SPM: after <unk> <s> </s>) */
    int n_specials;
    const char *bos, *eos;         /* token texts of BOS and EOS */
    int add_bos;                   /* tokenizer.ggml.add_bos_token */
} tok_spec_t;

/* Llama 3's: pre "llama-bpe", <|begin_of_text|> (BOS, added) and <|end_of_text|> (EOS). */
extern const tok_spec_t tok_spec_llama3;
/* SentencePiece Llama's: <s> (BOS, added) and </s> (EOS). */
extern const tok_spec_t tok_spec_spm;

/* vocab >= 300 (BPE) / 320 (SPM).  Returns 0 or -1.  A BPE vocabulary names its pre-tokenizer
 * (tokenizer.ggml.pre) from spec->pre.  The training splits words at spaces only, so any
 * pre-tokenizer encodes with it; the merges are just not all reachable. */
int tok_build_bpe(gguf_writer_t *w, const char *corpus, int vocab);  /* tok_spec_llama3 */
int tok_build_spm(gguf_writer_t *w, const char *corpus, int vocab);  /* tok_spec_spm */
int tok_build_bpe_spec(gguf_writer_t *w, const char *corpus, int vocab, const tok_spec_t *spec);
int tok_build_spm_spec(gguf_writer_t *w, const char *corpus, int vocab, const tok_spec_t *spec);

#endif
