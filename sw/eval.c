/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator's step against the float reference; see eval.h. */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev_step.h"
#include "forward.h"
#include "rng.h"
#include "step.h"

double eval_cosine(const float *a, const float *b, int n)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }
    return ab / sqrt(aa * bb + 1e-300);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The step under test on the accelerator: its forward_t, and its device step when asked for. */
typedef struct {
    forward_t f;
    dev_step_t ds;
    step_t st;
    double seconds;
    uint64_t cycles;
} engine_t;

/* n tokens at pos through the step under test; count: its cycles belong to the compared steps. */
static int engine_run(engine_t *e, const int *toks, int n, int pos, int count, char *err, size_t errlen)
{
    double t0 = now_s();
    int rc = step_tokens(&e->st, toks, n, pos, NULL, NULL, err, errlen);
    e->seconds += now_s() - t0;
    if (count) e->cycles += e->st.cycles;
    return rc;
}

static int engine_init(engine_t *e, const model_t *m, ecim_accel_t *acc, const eval_opts_t *o, int ctx, char *err,
                       size_t errlen)
{
    memset(e, 0, sizeof *e);
    if (forward_init(&e->f, m, acc, ctx, 0, err, errlen)) return -1;
    forward_set_threads(&e->f, o->threads);
    e->st.f = &e->f;
    if (o->step == EVAL_DEVICE) {
        if (dev_step_init(&e->ds, &e->f, ctx, err, errlen)) {
            forward_free(&e->f);
            return -1;
        }
        e->st.ds = &e->ds;
    }
    return 0;
}

static void engine_free(engine_t *e)
{
    if (e->st.ds) dev_step_free(&e->ds);
    forward_free(&e->f);
}

/* Step i compared: both engines' logits of the same token. */
static void compare(const float *ref, const float *got, int V, int step, const eval_opts_t *o, eval_result_t *r)
{
    double c = eval_cosine(ref, got, V), e2 = 0;
    int tr = op_argmax(ref, V), tg = op_argmax(got, V);
    for (int i = 0; i < V; i++) e2 += ((double)got[i] - ref[i]) * ((double)got[i] - ref[i]);
    double flip = tr == tg ? 0 : (ref[tr] - ref[tg]) / sqrt(e2 / V + 1e-300);
    if (flip > r->worst_flip) r->worst_flip = flip;
    r->agree += tr == tg;
    r->mean_cos += c;
    if (c < r->min_cos) r->min_cos = c;
    r->steps++;
    if (o->verbose)
        printf("  step %3d: cosine %.5f, top-1 %d %s %d%s\n", step, c, tr, tr == tg ? "==" : "!=", tg, tr == tg ? "" : " (a near tie?)");
}

/* The random prompt through both (the reference as one batched prefill). */
static int run_prompt(forward_t *ref, engine_t *e, const int *toks, int n, char *err, size_t errlen)
{
    return forward_prefill(ref, toks, n, 0, NULL, NULL, err, errlen) || engine_run(e, toks, n, 0, 0, err, errlen) ? -1 : 0;
}

int eval_run(const model_t *m, ecim_accel_t *acc, const eval_opts_t *o, eval_result_t *r, char *err, size_t errlen)
{
    int V = m->cfg.vocab, ctx = o->prompt + o->steps - 1;
    memset(r, 0, sizeof *r);
    r->min_cos = 1;
    if (o->prompt < 1 || o->steps < 1) {
        snprintf(err, errlen, "eval: needs a prompt and at least one step");
        return -1;
    }
    int *toks = malloc((size_t)ctx * sizeof *toks);
    forward_t ref;
    engine_t e;
    if (!toks) { snprintf(err, errlen, "out of memory"); return -1; }
    rng_t g;
    rng_seed(&g, o->seed);
    for (int i = 0; i < o->prompt; i++) toks[i] = (int)rng_below(&g, (uint32_t)V);
    int rc = forward_init(&ref, m, NULL, ctx, 0, err, errlen);
    if (rc) { free(toks); return -1; }
    forward_set_threads(&ref, o->threads);
    if ((rc = engine_init(&e, m, acc, o, ctx, err, errlen))) {
        forward_free(&ref);
        free(toks);
        return -1;
    }
    rc = run_prompt(&ref, &e, toks, o->prompt, err, errlen);
    if (!rc) compare(ref.logits, step_logits(&e.st), V, 0, o, r);
    for (int i = 1; i < o->steps && !rc; i++) {
        int pos = o->prompt + i - 1, tok = op_argmax(ref.logits, V); /* teacher-forced on the reference */
        toks[pos] = tok;
        rc = forward_step(&ref, tok, pos, NULL, NULL, err, errlen) || engine_run(&e, &tok, 1, pos, 1, err, errlen);
        if (!rc) compare(ref.logits, step_logits(&e.st), V, i, o, r);
    }
    r->mean_cos /= r->steps ? r->steps : 1;
    r->ctx = ctx;
    r->cycles = e.cycles;
    r->seconds = e.seconds;
    engine_free(&e);
    forward_free(&ref);
    free(toks);
    return rc ? -1 : 0;
}
