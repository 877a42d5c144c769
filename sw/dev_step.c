/* SPDX-License-Identifier: Apache-2.0 */
/* The device step: set-up, the checks before the device sees a descriptor, and a token's run;
 * see dev_step.h. The memory map is sw/dev_step_map.c, the list sw/dev_step_list.c. */
#include "dev_step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_step_int.h"
#include "ecim_fmt.h"
#include "edgecim_regs.h"
#include "vec.h"

#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)

/* ---- the checks ------------------------------------------------------------------------------ */
static void refusal(const dev_step_t *s, int i, uint32_t code, int pos, char *err, size_t errlen)
{
    const dev_cmd_info_t *c = &s->info[i];
    char where[32] = "the step";
    if (c->layer >= 0) snprintf(where, sizeof where, "layer %d", c->layer);
    snprintf(err, errlen, "device step: %s, %s (command %d of %d) at position %d: the device would refuse it with %s "
             "(docs/REGISTERS.md)", where, c->what, i, s->n_cmds, pos, edgecim_err_name(code));
}

/* The device's verdict on the first count commands at token/pos: 0, or -1 with the first refusal. */
static int check_list(const dev_step_t *s, int count, int token, int pos, char *err, size_t errlen)
{
    for (int i = 0; i < count; i++) {
        uint32_t code = s->dev.check(s->dev.ctx, &s->cmds[i], (uint32_t)token, (uint32_t)pos);
        if (code != EDGECIM_ERR_NONE) {
            refusal(s, i, code, pos, err, errlen);
            return -1;
        }
    }
    return 0;
}

/* ---- the time budget ----------------------------------------------------------------------- */
/* A bound on the cycles of one command far above any healthy run: its DRAM traffic at a quarter
 * of the port, its compute one element per lane-cycle per pass, every single-beat write of an
 * append at a full memory latency. Only a device that hangs reaches it. */
static uint64_t cmd_bound(const ecim_hw_t *h, const ecim_cand_t *c)
{
    uint64_t R = (uint64_t)h->macro_rows, C = (uint64_t)h->macro_cols, k = c->k, n = c->n, bytes, work;
    if (c->op == ECIM_CMD_OP_GEMV) {
        uint64_t batch = FLAG(c->flags, BATCH_M1) + 1, nkb = ecim_n_kb(k, R), nnb = ecim_n_nb(n, C);
        bytes = nnb * (c->stride ? c->stride : ecim_colblock_bytes(ecim_n_kb(k, R) * R, R, C, 8)) +
                batch * (ecim_x_stride(k) + 3 * ecim_y_stride(n, C));
        work = batch * nkb * nnb * ((uint64_t)h->abits + R / 32 * C / (uint64_t)h->ppu_cols);
    } else {
        bytes = 32 * k * n + ecim_x_stride(k) * n;
        work = 16 * k * n / (uint64_t)h->vec_lanes + 1000 * n;
        if (c->op == ECIM_CMD_OP_KAPPEND || c->op == ECIM_CMD_OP_VAPPEND) work += n * (9 * k + 16 * C * ecim_n_nb(k, C)) * 64;
    }
    return 4 * bytes / (uint64_t)h->data_bytes + 4 * work + 2000;
}

static uint64_t list_budget(const dev_step_t *s)
{
    uint64_t b = 100000;
    for (int i = 0; i < s->n_cmds; i++) {
        ecim_cand_t c = ecim_cand_of(&s->cmds[i], (uint32_t)(s->cap - 1), 0);
        b += cmd_bound(&s->dev.hw, &c);
    }
    return b;
}

/* ---- set-up ------------------------------------------------------------------------------- */
static int write_list(dev_step_t *s, char *err, size_t errlen)
{
    uint8_t *b = malloc((size_t)s->n_cmds * ECIM_DESC_BYTES);
    if (!b) { snprintf(err, errlen, "out of memory"); return -1; }
    for (int i = 0; i < s->n_cmds; i++) {
        uint32_t w[ECIM_DESC_WORDS];
        ecim_desc_to_words(&s->cmds[i], w);
        for (int j = 0; j < ECIM_DESC_WORDS; j++)
            for (int k = 0; k < 4; k++) b[(size_t)i * ECIM_DESC_BYTES + 4 * j + k] = (uint8_t)(w[j] >> (8 * k));
    }
    int rc = ds_put(s, b, (uint64_t)s->n_cmds * ECIM_DESC_BYTES, &s->list, "the command list", err, errlen);
    free(b);
    return rc;
}

static int open_device(dev_step_t *s, char *err, size_t errlen)
{
    const ecim_accel_t *acc = s->acc;
    if (!acc || !acc->device || acc->device(acc->ctx, &s->dev) != ACCEL_OK) {
        snprintf(err, errlen, "device step: backend %s has no device to run command lists on", acc ? acc->name : "float");
        return -1;
    }
    uint64_t c;
    s->timed = acc->cycles && acc->cycles(acc->ctx, &c) == ACCEL_OK;
    return 0;
}

int dev_step_init(dev_step_t *s, const forward_t *f, int ctx, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->acc = f->acc;
    s->cap = ctx > 0 ? ctx : 1;
    if (open_device(s, err, errlen)) return -1;
    ds_shape_t d = ds_shape(s);
    char why[256];
    if (ds_unsupported(s, why, sizeof why)) {
        snprintf(err, errlen, "device step: %s cannot run %s on this device: %s", f->m->name, model_arch_name(f->c->arch),
                 why);
        return -1;
    }
    uint64_t fit = (uint64_t)s->dev.hw.act_bytes / ecim_kpad((uint64_t)s->cap);
    s->head_batch = (int)ecim_min_u64(ecim_min_u64((uint64_t)d.G, (uint64_t)s->dev.hw.max_batch), fit);
    s->layer = calloc((size_t)d.L, sizeof *s->layer);
    s->q24 = malloc((size_t)d.V * sizeof *s->q24);
    s->logits = malloc((size_t)d.V * sizeof *s->logits);
    if (!s->layer || !s->q24 || !s->logits) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (ds_map(s, err, errlen)) goto fail;
    const char *plan_why;
    if (ds_build_list(s, &plan_why)) {
        if (plan_why) snprintf(err, errlen, "device step: the layer list of %s has %s: no command list for it", f->m->name, plan_why);
        else snprintf(err, errlen, "out of memory building the command list");
        goto fail;
    }
    /* every descriptor as the device will see it at the first and the last position */
    if (check_list(s, s->n_cmds, 0, 0, err, errlen) || check_list(s, s->n_cmds, 0, s->cap - 1, err, errlen) ||
        write_list(s, err, errlen))
        goto fail;
    s->budget = list_budget(s);
    return 0;
fail:
    dev_step_free(s);
    return -1;
}

void dev_step_free(dev_step_t *s)
{
    free(s->layer);
    free(s->cmds);
    free(s->info);
    free(s->q24);
    free(s->logits);
    memset(s, 0, sizeof *s);
}

/* ---- a token ------------------------------------------------------------------------------ */
static int read_logits(dev_step_t *s, char *err, size_t errlen)
{
    int V = s->f->c->vocab;
    uint8_t *b = malloc((size_t)V * 8);
    int rc = b ? s->dev.read(s->dev.ctx, s->a.logits, b, (size_t)V * 8) : ACCEL_ENOMEM;
    for (int i = 0; i < V && rc == ACCEL_OK; i++) s->q24[i] = ecim_get_le64(b + 8 * (size_t)i);
    free(b);
    if (rc != ACCEL_OK) {
        snprintf(err, errlen, "device step: reading the logits failed");
        return -1;
    }
    vec_q24_to_float(s->q24, s->logits, V);
    return 0;
}

static void list_failed(const dev_step_t *s, const accel_list_result_t *r, int count, int pos, char *err, size_t errlen)
{
    if (r->timeout)
        snprintf(err, errlen, "device step: the device is still busy %llu cycles after the start of the list at position %d",
                 (unsigned long long)s->budget, pos);
    else if (r->err_code && (int)r->done < count)
        refusal(s, (int)r->done, r->err_code, pos, err, errlen);
    else
        snprintf(err, errlen, "device step: the list at position %d failed on %s after %u of %d commands (ERR_CODE %s)", pos,
                 s->dev.name, r->done, count, edgecim_err_name(r->err_code));
}

int dev_step_run(dev_step_t *s, int token, int pos, int logits, char *err, size_t errlen)
{
    int count = logits ? s->n_cmds : s->n_cmds - DEV_STEP_HEAD_CMDS;
    if (pos < 0 || pos >= s->cap) {
        snprintf(err, errlen, "device step: position %d is past the KV caches' capacity of %d positions (the device would "
                 "refuse the appends with KV_RANGE): raise --ctx", pos, s->cap);
        return -1;
    }
    if (token < 0 || token >= s->f->c->vocab) {
        snprintf(err, errlen, "device step: token %d outside the vocabulary of %d", token, s->f->c->vocab);
        return -1;
    }
    if (check_list(s, count, token, pos, err, errlen)) return -1;
    uint64_t c0 = 0, c1 = 0, g0 = 0, g1 = 0, v0 = 0, v1 = 0;
    if (s->timed) s->acc->cycles(s->acc->ctx, &c0);
    if (s->dev.unit_cycles) s->dev.unit_cycles(s->dev.ctx, &g0, &v0);
    accel_list_result_t r;
    int rc = s->dev.run_list(s->dev.ctx, s->list, (uint32_t)count, (uint32_t)token, (uint32_t)pos, s->budget, &r);
    if (s->timed) s->acc->cycles(s->acc->ctx, &c1);
    if (s->dev.unit_cycles) s->dev.unit_cycles(s->dev.ctx, &g1, &v1);
    s->last_cycles = c1 - c0;
    s->last_gemv_cycles = g1 - g0;
    s->last_vu_cycles = v1 - v0;
    if (rc != ACCEL_OK) {
        list_failed(s, &r, count, pos, err, errlen);
        return -1;
    }
    return logits ? read_logits(s, err, errlen) : 0;
}
