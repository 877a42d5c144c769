/* SPDX-License-Identifier: Apache-2.0 */
/* The step a run decodes with: the host step (sw/forward.h: GEMVs on the accelerator, the rest on
 * the host, a prompt as batched prefill) or the device step (sw/dev_step.h: the whole token as one
 * command list, a prompt token by token). `edgecim run` and `edgecim eval` drive both through this. */
#ifndef EDGECIM_STEP_H
#define EDGECIM_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "dev_step.h"
#include "forward.h"
#include "ops.h"

typedef struct {
    forward_t *f;     /* the model on its backend (and the host step) */
    dev_step_t *ds;   /* the device step, or NULL: the host step */
    uint64_t cycles;  /* device cycles of the last step_tokens call (0 on untimed backends) */
} step_t;

/* The n tokens at positions pos .. pos + n - 1; the logits (step_logits) are the last token's, and
 * *next is sampled from them when sampler is given. 0, or -1 with err. */
int step_tokens(step_t *s, const int *tokens, int n, int pos, sampler_t *sampler, int *next, char *err, size_t errlen);
const float *step_logits(const step_t *s);

/* The KV cache format of --kv: "int8" (the device step's caches), "f32" (the host step's), or
 * "f16", which the device does not implement. NULL if kv can run with step ("device", "host",
 * "auto" or "both"), else the message saying why not. */
const char *step_kv_refusal(const char *kv, const char *step);

#endif
