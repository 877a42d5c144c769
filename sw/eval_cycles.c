/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-step cycles of the device step on the cycle-exact C model; see eval.h. */
#include <stdio.h>

#include "backend.h"
#include "dev_step.h"
#include "eval.h"
#include "forward.h"

int eval_cycles(const model_t *m, const edgecim_backend_cfg_t *cfg, int ctx, const int *pos, int n, eval_cycles_t *out,
                int *n_cmds, char *err, size_t errlen)
{
    ecim_accel_t acc;
    forward_t f;
    dev_step_t ds;
    if (accel_create_cfg("cmodel", cfg, &acc) != ACCEL_OK) {
        snprintf(err, errlen, "eval: the cmodel backend could not be created");
        return -1;
    }
    int rc = forward_init(&f, m, &acc, ctx, 0, err, errlen);
    if (!rc) {
        rc = dev_step_init(&ds, &f, ctx, err, errlen);
        if (!rc && !ds.timed) {
            snprintf(err, errlen, "eval: backend %s counts no cycles", acc.name);
            rc = -1;
        }
        for (int i = 0; i < n && !rc; i++) {
            rc = dev_step_run(&ds, 1 % m->cfg.vocab, pos[i], 1, err, errlen);
            out[i] = (eval_cycles_t){pos[i], ds.last_cycles, ds.last_gemv_cycles, ds.last_vu_cycles};
        }
        *n_cmds = ds.n_cmds;
        if (ds.f) dev_step_free(&ds);
        forward_free(&f);
    }
    acc.destroy(acc.ctx);
    return rc ? -1 : 0;
}
