/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim speculate`: greedy speculative decoding (spec.h) on one accelerator backend: the
 * draft and the target share the device; the cycles of each are counted apart.  --check also
 * decodes plainly and fails unless the tokens are identical. */
#include "cmd_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"
#include "backend.h"
#include "cli_num.h"
#include "forward.h"
#include "json.h"
#include "model.h"
#include "ops.h"
#include "spec.h"

#define WHO "edgecim speculate"

typedef struct {
    const char *model, *draft, *prompt, *tokens, *backend, *hw;
    int n_gen, k, draft_layers, check, json, quiet;
    double clock_mhz;
} spec_opts_t;

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim speculate --model TARGET.gguf [--draft DRAFT.gguf | --draft-layers N] [options]\n"
            "  --model FILE        the target model (required)\n"
            "  --draft FILE        a draft model with the target's vocabulary\n"
            "  --draft-layers N    instead, the target's first N layers draft (early exit, shared weights\n"
            "                      and KV cache; default: a quarter of the layers, at least 1)\n"
            "  -k K                draft tokens per verification pass, 1..%d (default 4)\n"
            "  --prompt TEXT       prompt text (BOS as the model asks)   --tokens 1,2,3  or ids\n"
            "  -n N                tokens to generate, >= 1 (default 32)\n"
            "  --backend B         cmodel (default; cycle-exact), cmodel-functional, float\n"
            "  --hw NAME           hardware configuration of the cmodel backend (docs/HW_CONFIG.md)\n"
            "  --clock-mhz F       clock of the simulated tokens/s (default 1000)\n"
            "  --check             also decode plainly (greedy) and exit 1 unless the tokens agree\n"
            "  --json              one JSON object instead of text\n"
            "  --quiet             no packing progress\n"
            "Prints the tokens, passes, draft tokens accepted per pass (and their histogram), the\n"
            "device GEMV cycles of draft and verification, and the effective tokens/s at --clock-mhz,\n"
            "with the tokens/s the measured pass costs give as a function of the acceptance rate.\n"
            "Only GEMVs are timed: the other ops of a step run on the host here.  Greedy only.\n",
            SPEC_MAX_K);
    return o == stdout ? 0 : 2;
}

static int bad(const char *msg, const char *v)
{
    fprintf(stderr, WHO ": %s%s%s\n", msg, v ? ": " : "", v ? v : "");
    return 2;
}

static int parse(int argc, char **argv, spec_opts_t *o)
{
    *o = (spec_opts_t){.backend = "cmodel", .n_gen = 32, .k = 4, .clock_mhz = 1000};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return usage(stdout), 1;
        if (!strcmp(a, "--check")) { o->check = 1; continue; }
        if (!strcmp(a, "--json")) { o->json = 1; continue; }
        if (!strcmp(a, "--quiet")) { o->quiet = 1; continue; }
        static const char *const valued[] = {"--model", "--draft", "--prompt", "--tokens", "--backend", "--hw",
                                             "-n", "-k", "--draft-layers", "--clock-mhz"};
        int known = 0;
        for (size_t j = 0; j < sizeof valued / sizeof valued[0]; j++) known |= !strcmp(a, valued[j]);
        if (!known) { bad("unknown option", a); return usage(stderr); }
        if (!v) return bad("option needs a value", a);
        i++;
        if (!strcmp(a, "--model")) o->model = v;
        else if (!strcmp(a, "--draft")) o->draft = v;
        else if (!strcmp(a, "--prompt")) o->prompt = v;
        else if (!strcmp(a, "--tokens")) o->tokens = v;
        else if (!strcmp(a, "--backend")) o->backend = v;
        else if (!strcmp(a, "--hw")) o->hw = v;
        else if (!strcmp(a, "-n") && cli_int(WHO, a, v, 1, 1 << 20, &o->n_gen)) return 2;
        else if (!strcmp(a, "-k") && cli_int(WHO, a, v, 1, SPEC_MAX_K, &o->k)) return 2;
        else if (!strcmp(a, "--draft-layers") && cli_int(WHO, a, v, 1, 1 << 16, &o->draft_layers)) return 2;
        else if (!strcmp(a, "--clock-mhz") && cli_double(WHO, a, v, 0, 1e6, CLI_LO_OPEN, &o->clock_mhz)) return 2;
    }
    if (!o->model) { bad("--model is required", NULL); return usage(stderr); }
    if (o->draft && o->draft_layers) return bad("give --draft or --draft-layers, not both", NULL);
    if (o->prompt && o->tokens) return bad("give --prompt or --tokens, not both", NULL);
    if (!strcmp(o->backend, "rtl"))
        return bad("--backend rtl: speculate runs on cmodel, cmodel-functional or float (the RTL's GEMV is the "
                   "cmodel's, cycle for cycle)", NULL);
    return 0;
}

/* Prompt ids (malloc'ed): --tokens, else the tokenized --prompt.  Count, or -1 (printed). */
static int prompt_of(const spec_opts_t *o, const model_t *m, int **ids)
{
    if (o->tokens) {
        int n = 0;
        *ids = malloc((strlen(o->tokens) / 2 + 2) * sizeof **ids);
        for (const char *s = o->tokens; *ids && *s;) {
            const char *end;
            long long t;
            if (cli_scan_llong(s, &end, &t) || t < 0 || t >= m->cfg.vocab) {
                fprintf(stderr, WHO ": --tokens: not a list of ids below the vocabulary of %d: %s\n", m->cfg.vocab,
                        o->tokens);
                free(*ids);
                return -1;
            }
            (*ids)[n++] = (int)t;
            s = *end == ',' && end[1] ? end + 1 : end;
            if (*s && *end != ',') { n = 0; break; }
        }
        if (n < 1) { fprintf(stderr, WHO ": --tokens: bad list: %s\n", o->tokens); free(*ids); return -1; }
        return n;
    }
    const char *p = o->prompt ? o->prompt : "";
    int n = tokenizer_encode(&m->tok, p, strlen(p), m->tok.add_bos, ids);
    if (n == 0) {
        free(*ids);
        if ((*ids = malloc(sizeof **ids))) (*ids)[0] = m->tok.bos >= 0 ? m->tok.bos : 0;
        n = 1;
    }
    return *ids ? n : -1;
}

/* Plain greedy decoding of the target for --check, on the target's own forward state: every
 * position is rewritten before it is read, so the speculative run leaves nothing behind, and the
 * matrices are not loaded twice. */
static int plain_greedy(forward_t *f, const int *ids, int np, int n_gen, const int *stop, int *out, int *n_out,
                        uint64_t *cycles, char *err, size_t errlen)
{
    sampler_t smp;
    if (sampler_init(&smp, f->c->vocab, 0, 0, 1, 1)) { snprintf(err, errlen, "out of memory"); return -1; }
    int next = 0, rc = forward_prefill(f, ids, np, 0, &smp, &next, err, errlen);
    uint64_t c0 = forward_gemv_cycles(f);
    *n_out = 0;
    for (int pos = np; !rc; pos++) {
        out[(*n_out)++] = next;
        if (*n_out >= n_gen || next == stop[0] || next == stop[1]) break;
        rc = forward_step(f, next, pos, &smp, &next, err, errlen);
    }
    *cycles = forward_gemv_cycles(f) - c0;
    sampler_free(&smp);
    return rc;
}

static void report(const spec_opts_t *o, const spec_cfg_t *s, const spec_stats_t *st, const int *out, int n,
                   int plain_ok, uint64_t plain_cycles, int timed)
{
    uint64_t dec = st->draft_cycles + st->verify_cycles;
    double mhz = o->clock_mhz, tps = dec ? (n - 1) * mhz * 1e6 / (double)dec : 0;
    double per_pass = st->passes ? (double)(n - 1) / st->passes : 0;
    double alpha = st->drafted ? (double)st->accepted / st->drafted : 0;
    double td = st->draft_steps ? (double)st->draft_cycles / st->draft_steps : 0;
    double tv = st->passes ? (double)st->verify_cycles / st->passes : 0;
    if (o->json) {
        printf("{\"k\":%d,\"draft\":", s->k);
        json_write_cstr(stdout, o->draft ? o->draft : "early-exit");
        printf(",\"draft_layers\":%d,\"generated\":[", s->draft ? s->draft->c->layers : s->draft_layers);
        for (int i = 0; i < n; i++) printf("%s%d", i ? "," : "", out[i]);
        printf("],\"passes\":%ld,\"drafted\":%ld,\"accepted\":%ld,\"acceptance\":%.4f,\"tokens_per_pass\":%.4f",
               st->passes, st->drafted, st->accepted, alpha, per_pass);
        if (timed)
            printf(",\"clock_mhz\":%g,\"draft_cycles\":%llu,\"verify_cycles\":%llu,\"sim_decode_tokens_per_s\":%.3f",
                   mhz, (unsigned long long)st->draft_cycles, (unsigned long long)st->verify_cycles, tps);
        if (o->check)
            printf(",\"greedy_identical\":%s,\"plain_cycles\":%llu", plain_ok ? "true" : "false",
                   (unsigned long long)plain_cycles);
        printf("}\n");
        return;
    }
    printf("tokens:");
    for (int i = 0; i < n; i++) printf(" %d", out[i]);
    printf("\n%ld passes, k = %d: %ld of %ld draft tokens accepted (%.1f%%), %.2f tokens per pass\n", st->passes,
           s->k, st->accepted, st->drafted, 100 * alpha, per_pass);
    printf("accepted per pass:");
    for (int j = 0; j <= s->k; j++) printf(" %d:%ld", j, st->accepted_hist[j]);
    printf("\n");
    if (timed) {
        printf("device GEMV cycles (cycle-exact): draft %llu (%.0f per step), verification %llu (%.0f per pass)\n",
               (unsigned long long)st->draft_cycles, td, (unsigned long long)st->verify_cycles, tv);
        printf("effective decode: %.2f tokens/s at %g MHz (GEMVs only)", tps, mhz);
        if (o->check && plain_cycles)
            printf("; plain greedy %.2f tokens/s: %.2fx\n", (n - 1) * mhz * 1e6 / (double)plain_cycles,
                   (double)plain_cycles / (double)dec);
        else
            printf("\n");
        printf("tokens/s vs acceptance rate (these draft and pass costs, k = %d):", s->k);
        for (int a = 0; a <= 10; a += 2) {
            double e = spec_expected_tokens(a / 10.0, s->k), c = s->k * td + tv;
            printf(" %.1f:%.1f", a / 10.0, c > 0 ? e * mhz * 1e6 / c : 0);
        }
        printf("\n");
    }
    if (o->check) printf("greedy-exact: %s\n", plain_ok ? "identical to plain greedy decoding" : "MISMATCH");
}

/* The speculative run on initialised models, then --check and the report.  Exit code. */
static int decode(const spec_opts_t *o, spec_cfg_t *s, const int *ids, int np, int *out, int *ref)
{
    char err[512];
    spec_stats_t st;
    int n = 0, nref = 0, ok = 1;
    uint64_t plain = 0;
    if (spec_generate(s, ids, np, o->n_gen, out, &n, &st, err, sizeof err) ||
        (o->check && plain_greedy(s->target, ids, np, o->n_gen, s->stop, ref, &nref, &plain, err, sizeof err))) {
        fprintf(stderr, WHO ": %s\n", err);
        return 1;
    }
    if (o->check) ok = nref == n && !memcmp(ref, out, (size_t)n * sizeof *out);
    report(o, s, &st, out, n, ok, plain, s->target->st.cycles_valid);
    return ok ? 0 : 1;
}

static int run(const spec_opts_t *o, const model_t *m, const model_t *dm, ecim_accel_t *acc)
{
    char err[512];
    int *ids = NULL, np = prompt_of(o, m, &ids), rc = 1;
    if (np < 0) return 1;
    int ctx = spec_ctx_needed(np, o->n_gen, o->k), verbose = o->quiet ? 0 : 1;
    int *out = calloc((size_t)o->n_gen, sizeof *out), *ref = calloc((size_t)o->n_gen, sizeof *ref);
    forward_t tf, df;
    spec_cfg_t s = {&tf, dm ? &df : NULL, o->draft_layers ? o->draft_layers : (m->cfg.layers + 3) / 4, o->k,
                    {m->tok.eos, -1}};
    if (!out || !ref) {
        fprintf(stderr, WHO ": out of memory\n");
    } else if (forward_init(&tf, m, acc, ctx, verbose, err, sizeof err)) {
        fprintf(stderr, WHO ": %s\n", err);
    } else {
        if (dm && forward_init(&df, dm, acc, ctx, verbose, err, sizeof err)) fprintf(stderr, WHO ": %s\n", err);
        else {
            rc = decode(o, &s, ids, np, out, ref);
            if (dm) forward_free(&df);
        }
        forward_free(&tf);
    }
    free(out);
    free(ref);
    free(ids);
    return rc;
}

int edgecim_cmd_speculate(int argc, char **argv)
{
    spec_opts_t o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    edgecim_backend_cfg_t bcfg = {0};
    if (o.hw && !(bcfg.hw = ecim_hw_find(o.hw))) return bad("--hw: unknown hardware configuration", o.hw);
    ecim_accel_t acc;
    int use_acc = strcmp(o.backend, "float") != 0;
    if (use_acc && accel_create_cfg(o.backend, &bcfg, &acc) != ACCEL_OK)
        return bad("--backend: unknown or failed backend (cmodel, cmodel-functional, float)", o.backend);
    char err[512];
    model_t m, dm;
    rc = 1;
    if (model_load(&m, o.model, err, sizeof err)) {
        fprintf(stderr, WHO ": %s\n", err);
    } else {
        if (o.draft && model_load(&dm, o.draft, err, sizeof err)) {
            fprintf(stderr, WHO ": %s\n", err);
        } else {
            rc = run(&o, &m, o.draft ? &dm : NULL, use_acc ? &acc : NULL);
            if (o.draft) model_free(&dm);
        }
        model_free(&m);
    }
    if (use_acc) acc.destroy(acc.ctx);
    return rc;
}
