/* SPDX-License-Identifier: Apache-2.0 */
/* Unicode helpers of the tokenizers, with llama.cpp's rules (src/unicode.cpp) so that token ids
 * match it byte for byte:
 *  - UTF-8 decoding that turns every byte it cannot decode into U+FFFD (and, like llama.cpp,
 *    does not reject overlong forms or surrogates);
 *  - per-codepoint flags: the general category collapsed to llama.cpp's seven classes, plus
 *    White_Space.  The Unicode data comes from utf8proc (no tables of our own);
 *  - GPT-2's byte <-> unicode alphabet of byte-level BPE vocabularies. */
#ifndef EDGECIM_TOK_UNICODE_H
#define EDGECIM_TOK_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* llama.cpp's unicode_cpt_flags bits: exactly one category bit per codepoint. */
enum {
    TOK_CPT_UNDEFINED   = 0x0001, /* unassigned (Cn) */
    TOK_CPT_NUMBER      = 0x0002, /* \p{N} */
    TOK_CPT_LETTER      = 0x0004, /* \p{L} */
    TOK_CPT_SEPARATOR   = 0x0008, /* \p{Z} */
    TOK_CPT_MARK        = 0x0010, /* \p{M} */
    TOK_CPT_PUNCTUATION = 0x0020, /* \p{P} */
    TOK_CPT_SYMBOL      = 0x0040, /* \p{S} */
    TOK_CPT_CONTROL     = 0x0080, /* \p{C} except Cn */
    TOK_CPT_CATEGORIES  = 0x00ff,
    TOK_CPT_WHITESPACE  = 0x0100  /* White_Space property (what llama.cpp calls \s) */
};

/* Flags of a codepoint; codepoints above U+10FFFF are TOK_CPT_UNDEFINED. */
unsigned tok_cpt_flags(uint32_t cp);

/* Simple lowercase mapping (UnicodeData), as llama.cpp's unicode_tolower(). */
uint32_t tok_cpt_tolower(uint32_t cp);

/* Decodes len bytes into *cpts (malloc'ed, caller frees): llama.cpp's unicode_cpts_from_utf8().
 * An undecodable byte becomes U+FFFD and decoding goes on at the next byte; so does a lead byte
 * whose sequence would exceed U+10FFFF (llama.cpp throws there).  Returns the count or -1 on
 * out-of-memory. */
long tok_utf8_decode(const char *s, size_t len, uint32_t **cpts);

/* UTF-8 of cp into o[0..3]; returns its length. */
int tok_utf8_encode(uint32_t cp, char *o);

/* Sequence length announced by a lead byte, llama.cpp's unicode_len_utf8() (1 for a
 * continuation byte); how SentencePiece splits text into symbols. */
int tok_utf8_lead_len(unsigned char c);

/* GPT-2's alphabet: the codepoint that stands for byte b in byte-level BPE tokens. */
uint32_t tok_byte_to_cpt(unsigned char b);

/* The byte a codepoint of the alphabet stands for, or -1. */
int tok_cpt_to_byte(uint32_t cp);

#endif
