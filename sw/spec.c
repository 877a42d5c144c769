/* SPDX-License-Identifier: Apache-2.0 */
/* Speculative decoding (spec.h).  Positions: out[n-1] is the newest token, at position pos, not
 * yet run through the target; the target's KV cache is valid below pos, the draft's below
 * draft_valid. */
#include "spec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

int spec_ctx_needed(int n_prompt, int n_gen, int k)
{
    /* a pass never runs past the last token it may emit; the batch of a pass holds k + 1 */
    int n = n_prompt + (n_gen > 0 ? n_gen : 1);
    return n > k + 1 ? n : k + 1;
}

double spec_expected_tokens(double alpha, int k)
{
    if (alpha >= 1) return k + 1;
    return (1 - pow(alpha, k + 1)) / (1 - alpha);
}

typedef struct {
    const spec_cfg_t *s;
    spec_stats_t *st;
    sampler_t greedy;
    int *seq; /* the tokens at positions 0.. */
    int draft_valid;
    char *err;
    size_t errlen;
} run_t;

static uint64_t cycles_of(const forward_t *f) { return forward_gemv_cycles(f); }

/* One draft step: token at pos -> *next. */
static int draft_step(run_t *r, int token, int pos, int *next)
{
    const spec_cfg_t *s = r->s;
    r->st->draft_steps++;
    if (s->draft) return forward_step(s->draft, token, pos, &r->greedy, next, r->err, r->errlen);
    return forward_draft(s->target, s->draft_layers, token, pos, next, r->err, r->errlen);
}

/* A separate draft catches up on the tokens it has not run (after a pass that accepted all). */
static int draft_catch_up(run_t *r, int pos)
{
    forward_t *d = r->s->draft;
    if (!d || r->draft_valid >= pos) return 0;
    int n = pos - r->draft_valid, rc = forward_prefill(d, r->seq + r->draft_valid, n, r->draft_valid, NULL, NULL,
                                                       r->err, r->errlen);
    r->st->draft_steps += n;
    r->draft_valid = pos;
    return rc;
}

/* One pass from position pos (token seq[pos]) proposing kk draft tokens; the accepted count
 * in *acc, the target's own token after them in *next. */
static int pass(run_t *r, int pos, int kk, int *acc, int *next)
{
    const spec_cfg_t *s = r->s;
    int v[SPEC_MAX_K + 1], a[SPEC_MAX_K + 1];
    uint64_t c0 = cycles_of(s->draft ? s->draft : s->target);
    if (draft_catch_up(r, pos)) return -1;
    v[0] = r->seq[pos];
    for (int i = 0; i < kk; i++)
        if (draft_step(r, v[i], pos + i, &v[i + 1])) return -1;
    uint64_t c1 = cycles_of(s->draft ? s->draft : s->target);
    r->st->draft_cycles += c1 - c0;
    uint64_t t0 = cycles_of(s->target);
    if (forward_verify(s->target, v, kk + 1, pos, a, r->err, r->errlen)) return -1;
    r->st->verify_cycles += cycles_of(s->target) - t0;
    int j = 0;
    while (j < kk && v[j + 1] == a[j]) j++;
    *acc = j;
    *next = a[j];
    memcpy(r->seq + pos + 1, v + 1, (size_t)j * sizeof *v); /* the accepted drafts */
    r->st->passes++;
    r->st->drafted += kk;
    r->st->accepted += j;
    r->st->accepted_hist[j]++;
    /* a separate draft ran v[0..kk-1] at pos..pos+kk-1; of those, pos..pos+j hold accepted tokens */
    if (s->draft) r->draft_valid = pos + (kk < j + 1 ? kk : j + 1);
    return 0;
}

static int cfg_ok(const spec_cfg_t *s, char *err, size_t errlen)
{
    if (!s->target) snprintf(err, errlen, "speculative decoding without a target model");
    else if (s->k < 1 || s->k > SPEC_MAX_K) snprintf(err, errlen, "k = %d draft tokens: 1..%d", s->k, SPEC_MAX_K);
    else if (s->k + 1 > s->target->batch_cap)
        snprintf(err, errlen, "k = %d needs a verification batch of %d, the target's is %d", s->k, s->k + 1,
                 s->target->batch_cap);
    else if (s->draft && s->draft->c->vocab != s->target->c->vocab)
        snprintf(err, errlen, "the draft's vocabulary (%d) is not the target's (%d)", s->draft->c->vocab,
                 s->target->c->vocab);
    else if (!s->draft && (s->draft_layers < 1 || s->draft_layers > s->target->c->layers))
        snprintf(err, errlen, "draft layers %d: 1..%d (the target's layers)", s->draft_layers, s->target->c->layers);
    else return 1;
    return 0;
}

static int is_stop(const spec_cfg_t *s, int t) { return t == s->stop[0] || t == s->stop[1]; }

static int generate(run_t *r, const int *prompt, int n_prompt, int n_gen, int *out, int *n_out)
{
    const spec_cfg_t *s = r->s;
    int next;
    memcpy(r->seq, prompt, (size_t)n_prompt * sizeof *prompt);
    if (forward_prefill(s->target, prompt, n_prompt, 0, &r->greedy, &next, r->err, r->errlen)) return -1;
    r->st->prompt_cycles = cycles_of(s->target);
    if (s->draft) {
        if (forward_prefill(s->draft, prompt, n_prompt, 0, NULL, NULL, r->err, r->errlen)) return -1;
        r->st->prompt_cycles += cycles_of(s->draft);
    }
    r->draft_valid = n_prompt;
    int pos = n_prompt, n = 0;
    out[n++] = next;
    r->seq[pos] = next;
    while (n < n_gen && !is_stop(s, next)) {
        int kk = n_gen - n - 1 < s->k ? n_gen - n - 1 : s->k, acc;
        if (kk < 1) kk = 0;
        if (pass(r, pos, kk, &acc, &next)) return -1;
        /* emitted: the accepted drafts (the target's own greedy tokens), then its next */
        for (int i = 1; i <= acc && n < n_gen && !is_stop(s, out[n - 1]); i++) out[n++] = r->seq[pos + i];
        pos += acc + 1;
        r->seq[pos] = next;
        if (n < n_gen && !is_stop(s, out[n - 1])) out[n++] = next;
        else break;
    }
    *n_out = n;
    return 0;
}

int spec_generate(const spec_cfg_t *s, const int *prompt, int n_prompt, int n_gen, int *out, int *n_out,
                  spec_stats_t *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    *n_out = 0;
    if (!cfg_ok(s, err, errlen)) return -1;
    if (n_prompt < 1 || n_gen < 1) {
        snprintf(err, errlen, "speculative decoding needs a prompt and at least one token to generate");
        return -1;
    }
    run_t r = {.s = s, .st = st, .seq = calloc((size_t)spec_ctx_needed(n_prompt, n_gen, s->k) + 1, sizeof(int)),
               .err = err, .errlen = errlen};
    if (!r.seq || sampler_init(&r.greedy, s->target->c->vocab, 0, 0, 1, 1)) {
        free(r.seq);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = generate(&r, prompt, n_prompt, n_gen, out, n_out);
    sampler_free(&r.greedy);
    free(r.seq);
    return rc;
}
