/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic GGUF models for tests and benchmarks (`edgecim mkmodel`). */
#ifndef EDGECIM_MKMODEL_H
#define EDGECIM_MKMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"
#include "slm_config.h"

/* How the weight types are chosen per tensor: all 2-D weights of one type (as
 * `llama-quantize --pure`), or llama.cpp's Q4_K_M / Q5_K_M mixes (mkmodel_tensor_type). */
typedef enum { MK_MIX_PURE, MK_MIX_Q4_K_M, MK_MIX_Q5_K_M } mk_mix_t;

typedef struct {
    const char *name;      /* --type name: "q4_k_m", "q6_k", ... */
    gguf_type_t type;      /* base type of the 2-D weights */
    mk_mix_t mix;
    unsigned file_type;    /* general.file_type: llama.cpp's llama_ftype of the closest preset */
} mk_ftype_t;

/* 0 and *out for a --type name, -1 if unknown. */
int mkmodel_parse_type(const char *s, mk_ftype_t *out);
/* "q4_0 q4_1 ..." (for messages). */
const char *mkmodel_type_list(void);

/* The type of 2-D weight `name` (llama.cpp name) of layer `layer` with rows of ne0: the mix's
 * rule, then llama.cpp's fallback when ne0 is not a multiple of the type's block (K-quants and
 * TQ types need 256): TQ1_0/TQ2_0 -> Q4_0, Q2_K/Q3_K/IQ4_XS -> IQ4_NL, Q4_K -> Q5_0,
 * Q5_K -> Q5_1, Q6_K -> Q8_0, and F16 if that does not fit either. */
gguf_type_t mkmodel_tensor_type(const slm_config_t *c, gguf_type_t base, mk_mix_t mix, const char *name,
                                int layer, uint64_t ne0);

/* Writes a model of configuration c: 2-D weights as `ft` says (norms/biases F32), seeded. */
int mkmodel_write_ftype(const slm_config_t *c, const mk_ftype_t *ft, uint64_t seed, const char *path,
                        int verbose, char *err, size_t errlen);
/* The same with every 2-D weight of `type` (fallbacks aside). */
int mkmodel_write(const slm_config_t *c, gguf_type_t type, uint64_t seed, const char *path,
                  int verbose, char *err, size_t errlen);

/* Scales preset c down to `hidden` as `--hidden` does: head_dim kept when it can be, the GQA
 * group kept, and heads x head_dim == hidden kept when the preset has it (llama.cpp's phi3
 * and bitnet graphs require it). */
void mkmodel_scale_hidden(slm_config_t *c, int hidden);

/* CLI entry: argv[0] = "mkmodel".  Exit code (0, 1 error, 2 usage). */
int edgecim_cmd_mkmodel(int argc, char **argv);

#endif
