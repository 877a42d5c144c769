/* SPDX-License-Identifier: Apache-2.0 */
/* Accuracy of the accelerator's step against the float reference path (issue 9, "Accuracy"):
 * the same token sequence through both, a random prompt and then teacher-forced steps on the
 * reference's greedy tokens, comparing the logits of every step (cosine, top-1). The step is the
 * device step (sw/dev_step.h: INT8 KV caches, the vector unit's VF32) or the host step
 * (sw/forward.h: the GEMVs on the accelerator, attention in float with F32 KV caches), so the
 * two KV formats can be told apart. */
#ifndef EDGECIM_EVAL_H
#define EDGECIM_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "accel.h"
#include "model.h"

typedef enum { EVAL_DEVICE, EVAL_HOST } eval_step_t;

typedef struct {
    int prompt;       /* random prompt tokens before the first compared step (>= 1) */
    int steps;        /* compared steps: the last prompt token's, then steps - 1 teacher-forced */
    uint64_t seed;    /* of the prompt */
    eval_step_t step;
    int threads;      /* host threads of both engines */
    int verbose;      /* 1: one line per step on stdout */
} eval_opts_t;

typedef struct {
    int steps, agree;        /* compared steps, those whose argmax agrees */
    double mean_cos, min_cos;
    /* the largest reference-logit gap a disagreement crossed, ref[top-1] - ref[the step's top-1],
     * in units of that step's RMS logit error: a flip within a few errors is a near tie */
    double worst_flip;
    int ctx;                 /* positions in the caches at the last step */
    uint64_t cycles;         /* device cycles of the teacher-forced steps (timed backends) */
    double seconds;          /* host time of the accelerator step over the whole run */
} eval_result_t;

/* Runs the comparison of m on backend acc. 0, or -1 with err. */
int eval_run(const model_t *m, ecim_accel_t *acc, const eval_opts_t *o, eval_result_t *r, char *err, size_t errlen);

/* The cycles of one device step at position pos on a timed device (the cycle-exact C model): the
 * whole list from LIST_START to idle, and the cycles its GEMVs and its vector ops ran; the rest
 * (total - gemv - vu) is the list's own cost: descriptor fetch, queue hand-off, the driver. */
typedef struct {
    int pos;
    uint64_t total, gemv, vu;
} eval_cycles_t;

struct edgecim_backend_cfg;
/* The device step of m on the "cmodel" backend of cfg, caches of ctx positions, one token at each
 * of the n positions (fresh caches: a step's cycles depend on its position only, not on the
 * values, which test-sw-dev-step checks). *n_cmds: the list's length. 0, or -1 with err. */
int eval_cycles(const model_t *m, const struct edgecim_backend_cfg *cfg, int ctx, const int *pos, int n,
                eval_cycles_t *out, int *n_cmds, char *err, size_t errlen);

/* Cosine of two logit vectors (in double). */
double eval_cosine(const float *a, const float *b, int n);

#endif
