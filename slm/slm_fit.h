/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a hardware configuration can run a model's whole decode step on the device (the
 * vector unit, the KV appends and attention over the caches): the one rule set that the
 * firmware (sw/dev_step_map.c, ds_unsupported) refuses by and the DSE (perf/) filters by. */
#ifndef SLM_FIT_H
#define SLM_FIT_H

#include <stddef.h>

#include "edgecim_hw.h"
#include "slm_config.h"

/* 1 if the model rotates x[i] with x[i + d/2] (llama.cpp's NEOX RoPE: Qwen2, Qwen3, Phi-3,
 * BitNet); 0 for consecutive pairs (Llama, SmolLM3). */
int slm_rope_neox(slm_arch_t arch);

/* NULL when h runs the step of c with caches of ctx positions; else why not (in buf). */
const char *slm_step_unsupported(const ecim_hw_t *h, const slm_config_t *c, int ctx, char *buf, size_t len);

#endif
