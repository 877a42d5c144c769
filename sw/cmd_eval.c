/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim eval`: the accelerator's step against the float reference (sw/eval.h) on one model:
 * per step (--verbose) and in one table row per step kind, with issue 9's thresholds. */
#include "cmd_eval.h"

#include <stdio.h>
#include <string.h>

#include "accel.h"
#include "backend.h"
#include "cli_num.h"
#include "eval.h"
#include "model.h"
#include "step.h"
#include "tpool.h"

#define WHO "edgecim eval"

typedef struct {
    const char *model, *backend, *hw, *step, *kv, *cycles;
    int ctx, steps, threads, verbose, last_only, latency, posted_writes;
    uint64_t seed;
    double bw, clock_mhz;
} eval_args_t;

static int usage(FILE *o)
{
    fprintf(o, "usage: edgecim eval --model M.gguf [options]\n"
               "  --model FILE      GGUF model (required)\n"
               "  --backend B       cmodel-functional (default: fast, untimed), cmodel, rtl\n"
               "  --hw NAME         hardware configuration (docs/HW_CONFIG.md; default: default)\n"
               "  --step S          device (INT8 KV caches, the vector unit), host (F32 KV, host float ops)\n"
               "                    or both (default); none: only the --cycles table\n"
               "  --kv F            int8 (the device step only) or f32 (the host step only); FP16 KV caches\n"
               "                    are not implemented on the device\n"
               "  --ctx C           positions in the caches at the last step (default 512): a random prompt of\n"
               "                    C - steps + 1 tokens, then the steps\n"
               "  --steps N         compared steps (default 64): the last prompt token's, then N - 1 teacher-\n"
               "                    forced on the float reference's greedy tokens\n"
               "  --seed S          seed of the random prompt (default 1)\n"
               "  --threads N       host threads (default: the machine's cores)\n"
               "  --cycles HW,...   then the whole-step cycles of the device step on the cycle-exact C model of\n"
               "                    each named hardware configuration, at positions 0, 511 and ctx - 1: GEMV\n"
               "                    cycles, vector-unit cycles and the rest (list fetch, hand-off, driver)\n"
               "  --bw B            DRAM bytes per cycle of --cycles (default: each configuration's port width)\n"
               "  --clock-mhz F     clock the --cycles table converts to tokens/s and GB/s (default 350)\n"
               "  --latency L       DRAM latency of --cycles in cycles (default 40; scripts/bench_models.sh\n"
               "                    passes the analytic configuration's dram_latency_ns at its clock)\n"
               "  --posted-writes   --cycles with a DRAM that takes write data at once (a write buffer; the\n"
               "                    configuration key dram_posted_writes, which bench_models.sh passes on)\n"
               "  --last-only       --cycles at position ctx - 1 only\n"
               "  --verbose         one line per step\n"
               "  -h, --help        this text\n"
               "Prints per step kind the top-1 agreement, the mean and minimum logit cosine, the worst flip\n"
               "(the reference's margin a disagreement crossed, in RMS logit errors: small is a near tie)\n"
               "and whether issue 9's thresholds hold (top-1 >= 95%%, mean cosine >= 0.99).  Exit status:\n"
               "0 ok (thresholds or not), 1 runtime error, 2 bad command line.\n");
    return o == stdout ? 0 : 2;
}

static int value_opt(eval_args_t *a, const char *k, const char *v)
{
    if (!strcmp(k, "--model")) a->model = v;
    else if (!strcmp(k, "--backend")) a->backend = v;
    else if (!strcmp(k, "--hw")) a->hw = v;
    else if (!strcmp(k, "--step")) a->step = v;
    else if (!strcmp(k, "--kv")) a->kv = v;
    else if (!strcmp(k, "--cycles")) a->cycles = v;
    else if (!strcmp(k, "--bw")) return cli_double(WHO, k, v, 0, 4096, CLI_LO_OPEN, &a->bw);
    else if (!strcmp(k, "--clock-mhz")) return cli_double(WHO, k, v, 0, 100000, CLI_LO_OPEN, &a->clock_mhz);
    else if (!strcmp(k, "--ctx")) return cli_int(WHO, k, v, 2, 1 << 16, &a->ctx);
    else if (!strcmp(k, "--latency")) return cli_int(WHO, k, v, 1, 100000, &a->latency);
    else if (!strcmp(k, "--steps")) return cli_int(WHO, k, v, 1, 1 << 16, &a->steps);
    else if (!strcmp(k, "--threads")) return cli_int(WHO, k, v, 1, 256, &a->threads);
    else if (!strcmp(k, "--seed")) return cli_u64(WHO, k, v, &a->seed);
    else return -2;
    return 0;
}

/* 0 ok, 1 help printed, 2 usage error (message printed). */
static int parse(int argc, char **argv, eval_args_t *a)
{
    *a = (eval_args_t){.backend = "cmodel-functional", .step = "both", .ctx = 512, .steps = 64,
                       .threads = tpool_cores(), .seed = 1, .clock_mhz = 350};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(stdout), 1;
        if (!strcmp(argv[i], "--verbose")) { a->verbose = 1; continue; }
        if (!strcmp(argv[i], "--last-only")) { a->last_only = 1; continue; }
        if (!strcmp(argv[i], "--posted-writes")) { a->posted_writes = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, WHO ": %s: unknown option or missing value\n", argv[i]); return 2; }
        int rc = value_opt(a, argv[i], argv[i + 1]);
        if (rc == -2) { fprintf(stderr, WHO ": unknown option %s\n", argv[i]); return usage(stderr); }
        if (rc) return 2;
        i++;
    }
    if (!a->model) { fprintf(stderr, WHO ": --model is required\n"); return usage(stderr); }
    if (strcmp(a->step, "device") && strcmp(a->step, "host") && strcmp(a->step, "both") &&
        (strcmp(a->step, "none") || !a->cycles)) {
        fprintf(stderr, WHO ": --step: device, host, both, or none (with --cycles), not %s\n", a->step);
        return 2;
    }
    if (a->kv) {
        const char *why = step_kv_refusal(a->kv, a->step);
        if (why) { fprintf(stderr, WHO ": %s\n", why); return 2; }
        a->step = strcmp(a->kv, "f32") ? "device" : "host";
    }
    if (a->steps >= a->ctx) { fprintf(stderr, WHO ": --steps %d needs --ctx above it\n", a->steps); return 2; }
    return 0;
}

static void print_row(const model_t *m, const eval_args_t *a, eval_step_t step, const eval_result_t *r)
{
    int ok = r->agree * 100 >= 95 * r->steps && r->mean_cos >= 0.99;
    printf("| %-20s | %-7s | %-6s | %-14s | %5d | %5d | %3d/%-3d %5.1f%% | %.5f | %.5f | %5.2f |", m->name,
           model_arch_name(m->cfg.arch), step == EVAL_DEVICE ? "device" : "host",
           step == EVAL_DEVICE ? "INT8 (device)" : "F32 (host)", r->ctx, r->steps, r->agree, r->steps,
           100.0 * r->agree / r->steps, r->mean_cos, r->min_cos, r->worst_flip);
    if (r->cycles) printf(" %9.0f |", (double)r->cycles / (r->steps > 1 ? r->steps - 1 : 1));
    else printf(" %9s |", "n/a");
    printf(" %7.1f s | %s |\n", r->seconds, ok ? "yes" : "no");
}

/* ---- whole-step cycles on the cycle-exact C model ----------------------------------------- */
static void print_cycles_row(const model_t *m, const char *hw, double bpc, const eval_args_t *a, int n_cmds,
                             const eval_cycles_t *c)
{
    uint64_t rest = c->total - c->gemv - c->vu;
    double pct = 100.0 / (double)(c->total ? c->total : 1);
    printf("| %-20s | %-7s | %6.1f B/cycle (%.1f GB/s) | %4d | %5d | %9llu | %9llu (%4.1f%%) | %8llu (%4.1f%%) | %7llu (%4.1f%%) "
           "| %8.1f |\n", m->name, hw, bpc, bpc * a->clock_mhz / 1000.0, n_cmds, c->pos, (unsigned long long)c->total,
           (unsigned long long)c->gemv, c->gemv * pct, (unsigned long long)c->vu, c->vu * pct, (unsigned long long)rest,
           rest * pct, c->total ? a->clock_mhz * 1e6 / (double)c->total : 0);
}

/* The --cycles table: 0, or 1 (message printed). */
static int cycles_table(const eval_args_t *a, const model_t *m)
{
    char list[256], err[512];
    snprintf(list, sizeof list, "%s", a->cycles);
    int pos[3] = {0, a->ctx > 512 ? 511 : a->ctx / 2, a->ctx - 1}, np = 0, uniq[3];
    for (int i = 0; i < 3; i++)
        if (!np || pos[i] > uniq[np - 1]) uniq[np++] = pos[i];
    if (a->last_only) uniq[0] = a->ctx - 1, np = 1;
    printf("\nwhole-step cycles of the device step (cycle-exact C model, one token at each position, clock %g MHz, DRAM latency %d cycles%s):\n"
           "| model | hw | DRAM | commands | pos | cycles | GEMV | vector unit | list + driver | tokens/s |\n"
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n", a->clock_mhz, a->latency > 0 ? a->latency : EDGECIM_DRAM_DEFAULT_LATENCY,
           a->posted_writes ? ", posted writes" : "");
    for (char *save = NULL, *hw = strtok_r(list, ",", &save); hw; hw = strtok_r(NULL, ",", &save)) {
        edgecim_backend_cfg_t cfg = {.hw = ecim_hw_find(hw), .bytes_per_cycle = a->bw, .latency = a->latency,
                                     .posted_writes = a->posted_writes};
        if (!cfg.hw) {
            fprintf(stderr, WHO ": --cycles: unknown hardware configuration %s\n", hw);
            return 1;
        }
        eval_cycles_t c[3];
        int n_cmds = 0;
        if (eval_cycles(m, &cfg, a->ctx, uniq, np, c, &n_cmds, err, sizeof err)) {
            fprintf(stderr, WHO ": --cycles %s: %s\n", hw, err);
            return 1;
        }
        for (int i = 0; i < np; i++) print_cycles_row(m, hw, a->bw > 0 ? a->bw : cfg.hw->data_bytes, a, n_cmds, &c[i]);
    }
    return 0;
}

static int run(const eval_args_t *a, const model_t *m)
{
    edgecim_backend_cfg_t cfg = {0};
    if (a->hw && !(cfg.hw = ecim_hw_find(a->hw))) {
        fprintf(stderr, WHO ": --hw: unknown hardware configuration %s\n", a->hw);
        return 2;
    }
    ecim_accel_t acc;
    if (accel_create_cfg(a->backend, &cfg, &acc) != ACCEL_OK) {
        fprintf(stderr, WHO ": --backend %s: not available (cmodel-functional, cmodel, rtl in build/edgecim-rtl)\n",
                a->backend);
        return 2;
    }
    if (!strcmp(a->step, "none")) {
        acc.destroy(acc.ctx);
        return cycles_table(a, m);
    }
    printf("| model | arch | step | KV cache | ctx | steps | top-1 | mean cos | min cos | worst flip | cycles/token | "
           "time | thresholds |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        eval_step_t step = k ? EVAL_HOST : EVAL_DEVICE;
        if (strcmp(a->step, "both") && strcmp(a->step, k ? "host" : "device")) continue;
        eval_opts_t o = {a->ctx - a->steps + 1, a->steps, a->seed, step, a->threads, a->verbose};
        eval_result_t r;
        char err[512];
        if (eval_run(m, &acc, &o, &r, err, sizeof err)) {
            fprintf(stderr, WHO ": %s\n", err);
            rc = 1;
        } else {
            print_row(m, a, step, &r);
        }
    }
    acc.destroy(acc.ctx);
    if (!rc && a->cycles) rc = cycles_table(a, m);
    return rc;
}

int edgecim_cmd_eval(int argc, char **argv)
{
    eval_args_t a;
    int rc = parse(argc, argv, &a);
    if (rc) return rc == 1 ? 0 : rc;
    model_t m;
    char err[512];
    if (model_load(&m, a.model, err, sizeof err)) {
        fprintf(stderr, WHO ": %s\n", err);
        return 1;
    }
    rc = run(&a, &m);
    model_free(&m);
    return rc;
}
