/* SPDX-License-Identifier: Apache-2.0 */
/* The host or the device step behind a run; see step.h. */
#include "step.h"

#include <stdio.h>
#include <string.h>

static int device_tokens(step_t *s, const int *tokens, int n, int pos, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++) {
        /* only the last token's logits are read: the others stop before the final norm and the LM head */
        if (dev_step_run(s->ds, tokens[i], pos + i, i == n - 1, err, errlen)) return -1;
        s->cycles += s->ds->last_cycles;
    }
    return 0;
}

int step_tokens(step_t *s, const int *tokens, int n, int pos, sampler_t *sampler, int *next, char *err, size_t errlen)
{
    s->cycles = 0;
    if (!s->ds) {
        uint64_t c0 = forward_gemv_cycles(s->f);
        int rc = forward_prefill(s->f, tokens, n, pos, sampler, next, err, errlen);
        s->cycles = forward_gemv_cycles(s->f) - c0;
        return rc;
    }
    if (n < 1) {
        snprintf(err, errlen, "no tokens to run");
        return -1;
    }
    if (device_tokens(s, tokens, n, pos, err, errlen)) return -1;
    if (sampler && next) *next = op_sample(sampler, s->ds->logits, s->f->c->vocab);
    return 0;
}

const float *step_logits(const step_t *s) { return s->ds ? s->ds->logits : s->f->logits; }

const char *step_kv_refusal(const char *kv, const char *step)
{
    if (!strcmp(kv, "f16") || !strcmp(kv, "fp16"))
        return "FP16 KV caches are not implemented on the device: its appends (KAPPEND, VAPPEND) write INT8 caches only "
               "(docs/VECTOR_UNIT.md); use --kv int8 (the device step) or --kv f32 (the host step)";
    if (strcmp(kv, "int8") && strcmp(kv, "f32")) return "--kv: int8 (the device step) or f32 (the host step)";
    if (!strcmp(kv, "int8") && !strcmp(step, "host")) return "--kv int8 is the device step's cache: the host step keeps F32 KV caches";
    if (!strcmp(kv, "f32") && !strcmp(step, "device")) return "--kv f32 is the host step's cache: the device step keeps INT8 KV caches";
    return NULL;
}
