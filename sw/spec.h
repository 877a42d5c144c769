/* SPDX-License-Identifier: Apache-2.0 */
/* Speculative decoding, greedy-exact: a draft proposes k tokens one step at a time, the target
 * verifies them in one batched pass (forward_verify: every matrix read once for k + 1 tokens)
 * and keeps the longest prefix equal to its own greedy choice plus its own next token.  The
 * output is exactly the target's plain greedy decoding.  The draft is a second model with the
 * same vocabulary, or the target itself cut after its first draft_layers layers (early exit,
 * sharing the target's weights and KV cache). */
#ifndef SPEC_H
#define SPEC_H

#include <stdint.h>

#include "forward.h"

/* Draft tokens per pass: the target verifies SPEC_MAX_K + 1 tokens at most, one batch. */
#define SPEC_MAX_K (FORWARD_MAX_BATCH - 1)

typedef struct {
    forward_t *target;
    forward_t *draft;   /* a separate draft model, or NULL: the early exit below */
    int draft_layers;   /* with draft NULL: the target's first layers that draft, 1..layers */
    int k;              /* draft tokens per pass, 1..SPEC_MAX_K */
    int stop[2];        /* token ids that end the generation (-1: none) */
} spec_cfg_t;

typedef struct {
    long passes;                    /* verification passes of the target */
    long drafted, accepted;         /* draft tokens proposed and accepted */
    long accepted_hist[SPEC_MAX_K + 1]; /* passes by the number of draft tokens accepted */
    uint64_t draft_cycles, verify_cycles, prompt_cycles; /* device GEMV cycles (timed backends) */
    long draft_steps;               /* draft steps run (catch-up prefill tokens included) */
} spec_stats_t;

/* Runs the prompt (n_prompt tokens) on the target (and the draft), then generates up to n_gen
 * tokens into out[0..n_gen-1] (*n_out of them: fewer at a stop token).  Both models need a
 * context of spec_ctx_needed() positions.  0, or -1 with a message in err. */
int spec_generate(const spec_cfg_t *s, const int *prompt, int n_prompt, int n_gen, int *out, int *n_out,
                  spec_stats_t *st, char *err, size_t errlen);

/* Positions a run needs (for forward_init of both models). */
int spec_ctx_needed(int n_prompt, int n_gen, int k);

/* Expected tokens per pass when each draft token is accepted with probability alpha (the
 * standard geometric model): (1 - alpha^(k+1)) / (1 - alpha). */
double spec_expected_tokens(double alpha, int k);

#endif
