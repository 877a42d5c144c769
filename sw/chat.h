/* SPDX-License-Identifier: Apache-2.0 */
/* Chat formats for `edgecim run --chat`: the prompt wrapped in the turn markers of the model's
 * family.  The format is recognised from the GGUF key tokenizer.chat_template the way
 * llama.cpp's llm_chat_detect_template() does it: by substrings of the Jinja text (no Jinja
 * interpreter), or named directly (`--chat-format`, or a template that is just a name). */
#ifndef EDGECIM_CHAT_H
#define EDGECIM_CHAT_H

#include <stddef.h>

#include "tokenizer.h"

typedef enum {
    CHAT_CHATML,   /* Qwen2.5/3, SmolLM2/3: <|im_start|>role\n...<|im_end|>\n */
    CHAT_PHI4,     /* <|im_start|>role<|im_sep|>...<|im_end|> */
    CHAT_LLAMA3,   /* Llama 3.x: <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|> */
    CHAT_PHI3,     /* Phi-3/3.5: <|role|>\n...<|end|>\n */
    CHAT_ZEPHYR,   /* TinyLlama, Zephyr: <|role|>\n...EOS\n */
    CHAT_GEMMA,    /* <start_of_turn>user\n...<end_of_turn>\n, the system text merged into it */
    CHAT_FORMAT_COUNT
} chat_format_t;

const char *chat_format_name(chat_format_t f);
/* The names, comma separated ("chatml, phi4, ..."), for messages and --help. */
const char *chat_format_names(void);
int chat_format_from_name(const char *name, chat_format_t *f); /* 0 or -1 */

/* Recognises the format of the template text tmpl (len bytes, not NUL terminated). 0, or -1
 * when no known family's markers are in it. */
int chat_detect(const char *tmpl, size_t len, chat_format_t *f);

/* Token ids of [system turn] + user turn + the opening of the assistant's turn, BOS first when
 * add_bos and the model has one.  A turn marker that is a special token of the vocabulary
 * (<|im_start|>, ...) becomes that token; one that is not is tokenized as text, as llama.cpp
 * does.  *eot = the token that ends the assistant's turn (-1 if the vocabulary lacks it).
 * system may be NULL.  Returns the count, or -1 when out of memory. */
int chat_encode(const tokenizer_t *t, chat_format_t f, const char *system, const char *user,
                int add_bos, int **ids, int *eot);

/* A chat template of the family of the slm_config.h preset `preset` (what mkmodel writes, so
 * that synthetic models carry one as real checkpoints do), or NULL (BitNet). */
const char *chat_template_for_preset(const char *preset);

#endif
