/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim tokenize`: the token ids and pieces of a text under a GGUF file's tokenizer, as
 * llama.cpp's llama-tokenize prints them. */
#ifndef EDGECIM_CMD_TOKENIZE_H
#define EDGECIM_CMD_TOKENIZE_H

int edgecim_cmd_tokenize(int argc, char **argv);

#endif
