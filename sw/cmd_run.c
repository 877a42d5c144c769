/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim run`: loads a GGUF model, runs the prompt and generates tokens one step at a time: on an
 * accelerator backend with the device step (the whole token as a command list) or the host step
 * (the op plan, the prompt as a batched prefill), or on the float reference. */
#include "cmd_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"
#include "backend.h"
#include "chat.h"
#include "cli_num.h"
#include "dev_step.h"
#include "forward.h"
#include "json.h"
#include "model.h"
#include "ops.h"
#include "step.h"
#include "tpool.h"
#include "version.h"

#define WHO "edgecim run"
/* -n and --ctx: far beyond any context of the presets, small enough that prompt + -n fits an
 * int and that a typo does not ask for a KV cache of billions of positions. */
#define RUN_MAX_POSITIONS (1 << 24)
/* --threads: host threads of a run. */
#define RUN_MAX_THREADS 256

typedef struct {
    const char *model, *prompt, *tokens, *backend, *hw, *system, *chat_format, *step, *kv;
    int n_gen, top_k, ctx, threads, json, quiet, verbose, chat, truncate;
    double temp, top_p, clock_mhz;
    uint64_t seed;
} run_opts_t;

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim run --model M.gguf [--prompt TEXT | --tokens 1,2,3] [options]\n"
            "  --model FILE        GGUF model (required)\n"
            "  --prompt TEXT       prompt text (with BOS when the model asks for it)\n"
            "  --tokens 1,2,3      the prompt as token ids instead\n"
            "  -n N                tokens to generate (default 32; 0 runs the prompt only)\n"
            "  --chat              wrap the prompt in the model's chat format, recognised from the GGUF\n"
            "                      key tokenizer.chat_template (%s), and stop at the\n"
            "                      end of the assistant's turn\n"
            "  --chat-format NAME  use that chat format whatever the template says (implies --chat; the\n"
            "                      fallback for a model whose template is missing or not recognised)\n"
            "  --system TEXT       system message of the chat (with --chat)\n"
            "  --ctx C             context positions (default: the model's context length); a prompt\n"
            "                      and -n that need more are an error\n"
            "  --truncate          instead, drop the oldest prompt tokens (BOS kept), then cut -n, to fit\n"
            "                      --ctx, with a warning on stderr\n"
            "  --backend B         cmodel (register-level C model, the default), cmodel-functional\n"
            "                      (bit-exact GEMV only, fast), rtl (Verilator, build/edgecim-rtl),\n"
            "                      float (float32 reference, no accelerator)\n"
            "  --hw NAME           hardware configuration of the cmodel and rtl backends\n"
            "                      (docs/HW_CONFIG.md; default: default; rtl runs the one it was built with)\n"
            "  --step S            device: the whole token as one command list on the accelerator (vector\n"
            "                      unit, KV caches in device DRAM; the prompt token by token); host: the\n"
            "                      GEMVs on the accelerator, the rest on the host (the prompt batched);\n"
            "                      auto (default): device when the backend and its hardware can run the\n"
            "                      model, else host, with a note on stderr\n"
            "  --kv F              KV cache format: int8 (the device step's; implies --step device), f32 (the\n"
            "                      host step's; implies --step host); f16 is not implemented on the device\n"
            "  --temp T            sampling temperature >= 0 (default 0: greedy)\n"
            "  --top-k K           sample among the K most likely tokens (default 0: all)\n"
            "  --top-p P           nucleus sampling, P in (0, 1] (default 1)\n"
            "  --seed S            sampling seed (default 1)\n"
            "  --clock-mhz F       accelerator clock of the simulated tokens/s (default 1000)\n"
            "  --threads N         host threads, 1..%d, for the GEMVs of cmodel-functional and float\n"
            "                      and for attention (default: the machine's cores; the results do\n"
            "                      not depend on it)\n"
            "  --json              one JSON object instead of text (for scripts)\n"
            "  --quiet             no packing progress on stderr\n"
            "  --verbose           instead of the progress, how each weight tensor maps onto the\n"
            "                      accelerator on stderr (bit for bit, or requantized and its error)\n"
            "  -h, --help          this text\n"
            "The text is printed as it is generated (flushed per token), then the prompt and decode\n"
            "tokens/s of the host, the simulated cycles and tokens/s at --clock-mhz when the backend\n"
            "is timed (cmodel, rtl), and with the device step its commands and cycles per token, with\n"
            "the host step the host time per op kind and per GEMV matrix (its prompt runs as one batch,\n"
            "each GEMV once for up to 32 prompt tokens).  Exit status: 0 ok, 1 runtime error, 2 bad\n"
            "command line.\n",
            chat_format_names(), RUN_MAX_THREADS);
    return o == stdout ? 0 : 2;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bad_arg(const char *msg, const char *v)
{
    fprintf(stderr, WHO ": %s%s%s\n", msg, v ? ": " : "", v ? v : "");
    return 2;
}

/* ---- command line ------------------------------------------------------------------------- */

static int takes_value(const char *a)
{
    static const char *const names[] = {"--model", "--prompt", "--tokens", "--backend", "--hw", "--system", "--step", "--kv",
                                        "--chat-format", "-n", "--ctx", "--top-k", "--seed", "--temp",
                                        "--top-p", "--clock-mhz", "--threads"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(a, names[i])) return 1;
    return 0;
}

/* An option of takes_value(): 0 consumed, -1 bad value (message printed). */
static int value_opt(run_opts_t *o, const char *a, const char *v)
{
    const int P = RUN_MAX_POSITIONS;
    if (!strcmp(a, "--model")) o->model = v;
    else if (!strcmp(a, "--prompt")) o->prompt = v;
    else if (!strcmp(a, "--tokens")) o->tokens = v;
    else if (!strcmp(a, "--backend")) o->backend = v;
    else if (!strcmp(a, "--hw")) o->hw = v;
    else if (!strcmp(a, "--step")) o->step = v;
    else if (!strcmp(a, "--kv")) o->kv = v;
    else if (!strcmp(a, "--system")) o->system = v;
    else if (!strcmp(a, "--chat-format")) { o->chat_format = v; o->chat = 1; }
    else if (!strcmp(a, "-n")) return cli_int(WHO, a, v, 0, P, &o->n_gen);
    else if (!strcmp(a, "--ctx")) return cli_int(WHO, a, v, 1, P, &o->ctx);
    else if (!strcmp(a, "--top-k")) return cli_int(WHO, a, v, 0, 1 << 30, &o->top_k);
    else if (!strcmp(a, "--threads")) return cli_int(WHO, a, v, 1, RUN_MAX_THREADS, &o->threads);
    else if (!strcmp(a, "--seed")) return cli_u64(WHO, a, v, &o->seed);
    else if (!strcmp(a, "--temp")) return cli_double(WHO, a, v, 0, 1e6, CLI_CLOSED, &o->temp);
    else if (!strcmp(a, "--top-p")) return cli_double(WHO, a, v, 0, 1, CLI_LO_OPEN, &o->top_p);
    else if (!strcmp(a, "--clock-mhz")) return cli_double(WHO, a, v, 0, 1e6, CLI_LO_OPEN, &o->clock_mhz);
    return 0;
}

/* 0 ok, 1 help printed (exit 0), 2 usage error (message printed). */
static int parse_args(int argc, char **argv, run_opts_t *o)
{
    *o = (run_opts_t){.backend = "cmodel", .step = "auto", .n_gen = 32, .threads = tpool_cores(), .top_p = 1, .clock_mhz = 1000,
                      .seed = 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 1;
        if (!strcmp(a, "--json")) { o->json = 1; continue; }
        if (!strcmp(a, "--quiet")) { o->quiet = 1; continue; }
        if (!strcmp(a, "--verbose")) { o->verbose = 1; continue; }
        if (!strcmp(a, "--chat")) { o->chat = 1; continue; }
        if (!strcmp(a, "--truncate")) { o->truncate = 1; continue; }
        if (!takes_value(a)) { bad_arg("unknown option", a); return usage(stderr); }
        if (i + 1 >= argc) return bad_arg("option needs a value", a);
        if (value_opt(o, a, argv[++i])) return 2;
    }
    if (!o->model) { bad_arg("--model is required", NULL); return usage(stderr); }
    if (o->prompt && o->tokens) return bad_arg("give --prompt or --tokens, not both", NULL);
    if (o->chat && o->tokens) return bad_arg("--chat formats text: give --prompt, not --tokens", NULL);
    if (o->system && !o->chat) return bad_arg("--system needs --chat (or --chat-format)", NULL);
    if (strcmp(o->step, "device") && strcmp(o->step, "host") && strcmp(o->step, "auto"))
        return bad_arg("--step: device, host or auto", o->step);
    if (o->kv) {
        const char *why = step_kv_refusal(o->kv, o->step);
        if (why) return bad_arg(why, NULL);
        if (!strcmp(o->kv, "f32")) o->step = "host"; /* auto: the step with that cache */
        else o->step = "device";
    }
    if (!strcmp(o->step, "device") && !strcmp(o->backend, "float"))
        return bad_arg("--step device needs an accelerator backend, not float", NULL);
    chat_format_t f;
    if (o->chat_format && chat_format_from_name(o->chat_format, &f)) {
        fprintf(stderr, WHO ": --chat-format: unknown format '%s' (one of %s)\n", o->chat_format, chat_format_names());
        return 2;
    }
    return 0;
}

/* ---- the prompt --------------------------------------------------------------------------- */

/* "1,2,3" -> ids (malloc'ed); the count, or -1. */
static int parse_tokens(const char *s, int **out)
{
    int n = 0, cap = 16;
    int *v = malloc((size_t)cap * sizeof *v);
    while (v && *s) {
        const char *end;
        long long t;
        if (cli_scan_llong(s, &end, &t) || t < 0 || t > (1 << 30)) break;
        if (n == cap) {
            int *p = realloc(v, (size_t)(cap *= 2) * sizeof *p);
            if (!p) break;
            v = p;
        }
        v[n++] = (int)t;
        s = end;
        if (*s == ',' && s[1]) s++;
        else if (*s) break;
    }
    if (!v || *s || n == 0) { free(v); return -1; }
    *out = v;
    return n;
}

/* The chat format: --chat-format, else the model's tokenizer.chat_template.  0, or 1 (message
 * printed: the model's template is missing or not one of the known families). */
static int chat_format(const run_opts_t *o, const model_t *m, chat_format_t *f)
{
    if (o->chat_format) return chat_format_from_name(o->chat_format, f) ? 1 : 0;
    const gguf_kv_t *kv = gguf_find_kv(&m->file, "tokenizer.chat_template");
    if (!kv || kv->type != GGUF_TYPE_STRING) {
        fprintf(stderr, WHO ": --chat: %s has no tokenizer.chat_template; name the format with "
                "--chat-format (%s)\n", o->model, chat_format_names());
        return 1;
    }
    if (chat_detect(kv->v.str.ptr, (size_t)kv->v.str.len, f) == 0) return 0;
    int show = kv->v.str.len > 120 ? 120 : (int)kv->v.str.len;
    fprintf(stderr, WHO ": --chat: the chat template of %s is not one edgecim recognises (%s): "
            "\"%.*s%s\"; name the format with --chat-format\n", o->model, chat_format_names(), show,
            kv->v.str.ptr, kv->v.str.len > 120 ? "..." : "");
    return 1;
}

/* Prompt token ids (malloc'ed), the id that ends a chat turn (-1: none) and the chat format's
 * name (NULL without --chat).  Returns the count (>= 1), or -(exit code), message printed. */
static int prompt_ids(const run_opts_t *o, const model_t *m, int **ids, int *eot, const char **chat)
{
    int n;
    *eot = -1;
    *chat = NULL;
    if (o->tokens) {
        if ((n = parse_tokens(o->tokens, ids)) < 0) return -bad_arg("--tokens needs a comma-separated list of ids", o->tokens);
        for (int i = 0; i < n; i++)
            if ((*ids)[i] >= m->cfg.vocab) {
                fprintf(stderr, WHO ": --tokens: token %d is outside the vocabulary of %d\n", (*ids)[i], m->cfg.vocab);
                free(*ids);
                return -2;
            }
        return n;
    }
    const char *p = o->prompt ? o->prompt : "";
    chat_format_t f;
    if (o->chat && chat_format(o, m, &f)) return -1;
    if (o->chat) *chat = chat_format_name(f);
    if (o->chat && !o->quiet) fprintf(stderr, WHO ": chat format %s\n", *chat);
    n = o->chat ? chat_encode(&m->tok, f, o->system, p, m->tok.add_bos, ids, eot)
                : tokenizer_encode(&m->tok, p, strlen(p), m->tok.add_bos, ids);
    if (n < 0) { fprintf(stderr, WHO ": out of memory tokenizing the prompt\n"); return -1; }
    if (n == 0) { /* nothing to start from: BOS, else token 0 */
        free(*ids);
        if (!(*ids = malloc(sizeof **ids))) return -1;
        (*ids)[0] = m->tok.bos >= 0 ? m->tok.bos : 0;
        n = 1;
    }
    return n;
}

/* Decode steps of a run: every prompt token, then one per generated token after the first
 * (the last prompt step yields the first). */
static int steps_needed(int n_prompt, int n_gen) { return n_gen > 0 ? n_prompt + n_gen - 1 : n_prompt; }

/* Makes prompt + -n fit the context: an error, or with --truncate the oldest prompt tokens go
 * (BOS stays), then -n is cut.  0, or 2 with the message printed. */
static int fit_context(const run_opts_t *o, const model_t *m, int *ids, int *n_prompt, int *n_gen)
{
    int limit = o->ctx ? o->ctx : m->cfg.max_pos;
    const char *what = o->ctx ? "--ctx" : "the model's context length";
    int need = steps_needed(*n_prompt, *n_gen);
    if (need <= limit) return 0;
    if (!o->truncate) {
        fprintf(stderr, WHO ": the prompt (%d tokens) and -n %d need %d positions, more than %s %d: "
                "shorten them, raise --ctx or pass --truncate\n", *n_prompt, *n_gen, need, what, limit);
        return 2;
    }
    fflush(stdout);
    int room = limit - (*n_gen > 0 ? *n_gen - 1 : 0);
    if (room < 1) room = 1;
    if (room < *n_prompt) {
        int keep_bos = room >= 2 && ids[0] == m->tok.bos;
        int drop = *n_prompt - room;
        memmove(ids + keep_bos, ids + keep_bos + drop, (size_t)(room - keep_bos) * sizeof *ids);
        fprintf(stderr, WHO ": warning: --truncate: dropped the oldest %d of %d prompt tokens to fit %s %d\n",
                drop, *n_prompt, what, limit);
        *n_prompt = room;
    }
    if (steps_needed(*n_prompt, *n_gen) > limit) {
        fprintf(stderr, WHO ": warning: --truncate: -n %d cut to %d to fit %s %d\n", *n_gen,
                limit - *n_prompt + 1, what, limit);
        *n_gen = limit - *n_prompt + 1;
    }
    return 0;
}

/* ---- generation ------------------------------------------------------------------------- */

typedef struct {
    int *out, n_out;
    char *text;
    size_t text_len, text_cap;
    double *step_s;
    uint64_t *step_cycles;  /* device cycles of each step (a prompt's share evenly) */
    long steps, prompt_steps;
    double seconds, prompt_s;
    uint64_t cycles, prompt_cycles;
} gen_t;

/* Appends the text of token id to g (and prints it at once when streaming). 0 or -1 (OOM). */
static int emit(gen_t *g, const model_t *m, int id, int *first_piece, int stream)
{
    char piece[256];
    size_t k = tokenizer_piece(&m->tok, id, *first_piece, piece, sizeof piece);
    if (k > sizeof piece) k = sizeof piece;
    *first_piece = 0;
    g->out[g->n_out++] = id;
    if (g->text_len + k + 1 > g->text_cap) {
        size_t cap = 2 * (g->text_len + k + 64);
        char *p = realloc(g->text, cap);
        if (!p) return -1;
        g->text = p;
        g->text_cap = cap;
    }
    memcpy(g->text + g->text_len, piece, k);
    g->text_len += k;
    if (stream) { fwrite(piece, 1, k, stdout); fflush(stdout); }
    return 0;
}

/* The prompt: on the host step one batched prefill (every GEMV once per batch of prompt tokens),
 * on the device step token by token; the last prompt token's logits give the first generated
 * token.  Its steps share its time and cycles evenly. */
static int run_prompt(step_t *st, sampler_t *smp, const int *ids, int n_prompt, int sample, int *next, gen_t *g,
                      char *err, size_t errlen)
{
    double t0 = now_s();
    int rc = step_tokens(st, ids, n_prompt, 0, sample ? smp : NULL, next, err, errlen);
    g->prompt_s = now_s() - t0;
    g->prompt_cycles = g->cycles = st->cycles;
    for (int i = 0; i < n_prompt; i++) {
        g->step_cycles[g->steps] = st->cycles / (uint64_t)n_prompt;
        g->step_s[g->steps++] = g->prompt_s / n_prompt;
    }
    g->prompt_steps = g->steps;
    return rc;
}

/* Runs the prompt, then samples n_gen tokens (fewer at EOS or at the end of a chat turn). */
static int generate(step_t *st, const model_t *m, sampler_t *smp, const int *ids, int n_prompt,
                    int n_gen, int eot, int stream, gen_t *g, char *err, size_t errlen)
{
    int steps = steps_needed(n_prompt, n_gen);
    g->out = malloc((size_t)(n_gen + 1) * sizeof *g->out);
    g->step_s = calloc((size_t)steps, sizeof *g->step_s);
    g->step_cycles = calloc((size_t)steps, sizeof *g->step_cycles);
    if (!g->out || !g->step_s || !g->step_cycles) { snprintf(err, errlen, "out of memory"); return -1; }
    /* SentencePiece drops the prefix space only of the token right after BOS: generated text
     * that continues a prompt keeps its leading space. */
    int first_piece = n_prompt == 1 && ids[0] == m->tok.bos, next = -1;
    double t0 = now_s();
    int rc = run_prompt(st, smp, ids, n_prompt, n_gen > 0, &next, g, err, errlen);
    for (int pos = n_prompt; n_gen > 0 && !rc; pos++) {
        if (emit(g, m, next, &first_piece, stream)) { snprintf(err, errlen, "out of memory"); rc = -1; break; }
        if (next == m->tok.eos || next == eot || pos >= steps) break;
        double ts = now_s();
        int tok = next;
        rc = step_tokens(st, &tok, 1, pos, smp, &next, err, errlen);
        g->cycles += st->cycles;
        g->step_cycles[g->steps] = st->cycles;
        g->step_s[g->steps++] = now_s() - ts;
    }
    g->seconds = now_s() - t0;
    return rc;
}

/* ---- reports -------------------------------------------------------------------------------- */

static double rate(double n, double s) { return s > 0 ? n / s : 0; }
static double sim_rate(double steps, uint64_t cycles, double mhz) { return cycles ? steps * mhz * 1e6 / (double)cycles : 0; }

static double mean_cycles(uint64_t cycles, long steps) { return steps > 0 ? (double)cycles / (double)steps : 0; }

static void print_json(const run_opts_t *o, const model_t *m, const char *backend, const step_t *st,
                       const gen_t *g, int n_prompt, const char *chat)
{
    const forward_t *f = st->f;
    long dec = g->steps - g->prompt_steps;
    printf("{\"version\":");
    json_write_cstr(stdout, edgecim_version());
    printf(",\"model\":");
    json_write_cstr(stdout, o->model);
    printf(",\"arch\":");
    json_write_cstr(stdout, m->arch);
    printf(",\"backend\":");
    json_write_cstr(stdout, backend);
    printf(",\"chat_format\":");
    json_write_cstr(stdout, chat);
    printf(",\"step\":\"%s\"", st->ds ? "device" : "host");
    if (st->ds) printf(",\"commands_per_step\":%d", st->ds->n_cmds);
    printf(",\"prompt_tokens\":%d,\"generated\":[", n_prompt);
    for (int i = 0; i < g->n_out; i++) printf("%s%d", i ? "," : "", g->out[i]);
    printf("],\"text\":");
    json_write_str(stdout, g->text ? g->text : "", g->text_len);
    printf(",\"threads\":%d,\"steps\":%ld,\"host_seconds\":%.6f,\"host_tokens_per_s\":%.3f", f->threads, g->steps,
           g->seconds, rate(g->steps, g->seconds));
    printf(",\"prompt_seconds\":%.6f,\"prompt_tokens_per_s\":%.3f,\"decode_steps\":%ld,\"decode_seconds\":%.6f,"
           "\"decode_tokens_per_s\":%.3f", g->prompt_s, rate(g->prompt_steps, g->prompt_s), dec,
           g->seconds - g->prompt_s, rate(dec, g->seconds - g->prompt_s));
    printf(",\"step_seconds\":[");
    for (long i = 0; i < g->steps; i++) printf("%s%.6f", i ? "," : "", g->step_s[i]);
    printf("]");
    if (f->st.cycles_valid)
        printf(",\"sim_cycles\":%llu,\"sim_prompt_cycles\":%llu,\"clock_mhz\":%g,\"sim_tokens_per_s\":%.3f,"
               "\"sim_prompt_tokens_per_s\":%.3f,\"sim_decode_tokens_per_s\":%.3f", (unsigned long long)g->cycles,
               (unsigned long long)g->prompt_cycles, o->clock_mhz, sim_rate(g->steps, g->cycles, o->clock_mhz),
               sim_rate(g->prompt_steps, g->prompt_cycles, o->clock_mhz),
               sim_rate(dec, g->cycles - g->prompt_cycles, o->clock_mhz));
    if (f->st.cycles_valid) {
        printf(",\"sim_step_cycles\":[");
        for (long i = 0; i < g->steps; i++) printf("%s%llu", i ? "," : "", (unsigned long long)g->step_cycles[i]);
        printf("]");
    }
    printf(",\"ops\":{");
    for (int k = 0; k < SLM_OP_KIND_COUNT; k++)
        printf("%s\"%s\":{\"calls\":%ld,\"host_s\":%.6f}", k ? "," : "", slm_op_name((slm_op_kind_t)k),
               f->st.calls[k], f->st.host_s[k]);
    printf("},\"gemv\":{");
    for (int w = 0; w < SLM_W_COUNT; w++) {
        printf("%s\"%s\":{\"calls\":%ld,\"vectors\":%ld,\"host_s\":%.6f", w ? "," : "",
               slm_weight_name((slm_weight_t)w), f->st.gemv_calls[w], f->st.gemv_vectors[w], f->st.gemv_host_s[w]);
        if (f->st.cycles_valid) printf(",\"cycles\":%llu", (unsigned long long)f->st.gemv_cycles[w]);
        printf("}");
    }
    printf("}}\n");
}

/* The device step: its list, and the cycles of a whole token (GEMVs, vector ops, list fetch). */
static void print_device(const run_opts_t *o, const step_t *st, const gen_t *g)
{
    long dec = g->steps - g->prompt_steps;
    printf("device step: one command list of %d commands per token (%d layers)\n", st->ds->n_cmds, st->f->c->layers);
    if (st->f->st.cycles_valid && g->steps)
        printf("cycles per token: %.0f over the prompt, %.0f over the decode; the last %llu at position %ld "
               "(%.2f tokens/s at %g MHz)\n", mean_cycles(g->prompt_cycles, g->prompt_steps),
               mean_cycles(g->cycles - g->prompt_cycles, dec), (unsigned long long)g->step_cycles[g->steps - 1],
               g->steps - 1, sim_rate(1, g->step_cycles[g->steps - 1], o->clock_mhz), o->clock_mhz);
    const dev_step_t *ds = st->ds;
    if (ds->dev.unit_cycles && ds->last_cycles)
        printf("the last token: %llu cycles of GEMVs, %llu of vector ops, %llu of list fetch, hand-off and driver\n",
               (unsigned long long)ds->last_gemv_cycles, (unsigned long long)ds->last_vu_cycles,
               (unsigned long long)(ds->last_cycles - ds->last_gemv_cycles - ds->last_vu_cycles));
}

static void print_text(const run_opts_t *o, const model_t *m, const char *backend, const step_t *st,
                       const gen_t *g, int n_prompt)
{
    const forward_t *f = st->f;
    long dec = g->steps - g->prompt_steps;
    double dec_s = g->seconds - g->prompt_s;
    printf("\n\n%s on %s: %ld decode steps (%d prompt + %d generated) in %.3f s: %.2f tokens/s host\n",
           m->name, backend, g->steps, n_prompt, g->n_out, g->seconds, rate(g->steps, g->seconds));
    printf("prompt: %ld tokens in %.3f s, %.2f tokens/s host; decode: %ld steps in %.3f s, %.2f tokens/s host\n",
           g->prompt_steps, g->prompt_s, rate(g->prompt_steps, g->prompt_s), dec, dec_s, rate(dec, dec_s));
    if (f->st.cycles_valid)
        printf("simulated: %llu cycles, %.2f tokens/s at %g MHz (prompt %.2f, decode %.2f tokens/s)\n",
               (unsigned long long)g->cycles, sim_rate(g->steps, g->cycles, o->clock_mhz), o->clock_mhz,
               sim_rate(g->prompt_steps, g->prompt_cycles, o->clock_mhz),
               sim_rate(dec, g->cycles - g->prompt_cycles, o->clock_mhz));
    else
        printf("simulated: n/a (backend %s has no timing)\n", backend);
    if (st->ds) {
        print_device(o, st, g);
        return;
    }
    printf("%-12s %8s %10s %7s\n", "op", "calls", "host ms", "share");
    for (int k = 0; k < SLM_OP_KIND_COUNT; k++)
        if (f->st.calls[k])
            printf("%-12s %8ld %10.2f %6.1f%%\n", slm_op_name((slm_op_kind_t)k), f->st.calls[k],
                   f->st.host_s[k] * 1e3, g->seconds > 0 ? 100 * f->st.host_s[k] / g->seconds : 0);
    for (int w = 0; w < SLM_W_COUNT; w++)
        if (f->st.gemv_calls[w]) {
            printf("  GEMV %-7s %6ld %10.2f %6.1f%%", slm_weight_name((slm_weight_t)w), f->st.gemv_calls[w],
                   f->st.gemv_host_s[w] * 1e3, g->seconds > 0 ? 100 * f->st.gemv_host_s[w] / g->seconds : 0);
            if (f->st.cycles_valid) printf(" %llu cycles", (unsigned long long)f->st.gemv_cycles[w]);
            printf("\n");
        }
}

/* ---- the command ---------------------------------------------------------------------------- */

/* Creates the accelerator backend (none for float).  0, or the exit code with the message printed. */
static int open_backend(const run_opts_t *o, ecim_accel_t *acc)
{
    edgecim_backend_cfg_t bcfg = {0};
    if (o->hw && !(bcfg.hw = ecim_hw_find(o->hw)))
        return bad_arg("--hw: unknown hardware configuration (docs/HW_CONFIG.md lists them)", o->hw);
    if (!strcmp(o->backend, "float")) return 0;
    int arc = accel_create_cfg(o->backend, &bcfg, acc);
    if (arc == ACCEL_EUNIMPLEMENTED) /* --backend rtl in a binary without the Verilator model */
        return bad_arg("--backend: not built into this binary (the RTL is in build/edgecim-rtl: make edgecim-rtl)", o->backend);
    if (arc == ACCEL_EDEVICE) { fprintf(stderr, WHO ": backend %s failed to start\n", o->backend); return 1; }
    if (arc != ACCEL_OK) return bad_arg("--backend: unknown backend (cmodel, cmodel-functional, rtl, float)", o->backend);
    return 0;
}

/* The step of the run (st->ds NULL: the host step); `auto` falls back to the host step when the
 * device step cannot run here.  0, or the exit code with the message printed. */
static int choose_step(const run_opts_t *o, forward_t *f, dev_step_t *ds, int ctx, step_t *st)
{
    char err[512];
    *st = (step_t){f, NULL, 0};
    if (!f->acc || !strcmp(o->step, "host")) return 0;
    if (dev_step_init(ds, f, ctx, err, sizeof err) == 0) {
        st->ds = ds;
        return 0;
    }
    if (!strcmp(o->step, "device")) {
        fprintf(stderr, WHO ": %s\n", err);
        return 1;
    }
    if (!o->quiet) fprintf(stderr, WHO ": note: %s; the host step instead (--step host)\n", err);
    return 0;
}

/* Everything after the model is loaded: prompt, context, generation, report. */
static int run_model(const run_opts_t *o, const model_t *m, ecim_accel_t *acc)
{
    int *ids = NULL, eot, n_gen = o->n_gen;
    const char *chat;
    int n_prompt = prompt_ids(o, m, &ids, &eot, &chat);
    if (n_prompt < 0) return -n_prompt;
    int rc = fit_context(o, m, ids, &n_prompt, &n_gen);
    if (rc) { free(ids); return rc; }
    char err[512];
    forward_t f;
    if (forward_init(&f, m, acc, steps_needed(n_prompt, n_gen),
                     o->quiet ? 0 : o->verbose ? 2 : 1, err, sizeof err)) {
        fprintf(stderr, WHO ": %s\n", err);
        free(ids);
        return 1;
    }
    forward_set_threads(&f, o->threads);
    dev_step_t ds;
    step_t st;
    if ((rc = choose_step(o, &f, &ds, steps_needed(n_prompt, n_gen), &st))) {
        forward_free(&f);
        free(ids);
        return rc;
    }
    sampler_t smp;
    gen_t g = {0};
    const char *backend = acc ? acc->name : "float";
    if (sampler_init(&smp, m->cfg.vocab, (float)o->temp, o->top_k, (float)o->top_p, o->seed)) {
        fprintf(stderr, WHO ": out of memory\n");
        rc = 1;
    } else if (generate(&st, m, &smp, ids, n_prompt, n_gen, eot, !o->json, &g, err, sizeof err)) {
        fflush(stdout);
        fprintf(stderr, WHO ": %s\n", err);
        rc = 1;
    } else if (o->json) {
        print_json(o, m, backend, &st, &g, n_prompt, chat);
    } else {
        print_text(o, m, backend, &st, &g, n_prompt);
    }
    sampler_free(&smp);
    free(g.out);
    free(g.text);
    free(g.step_s);
    free(g.step_cycles);
    free(ids);
    if (st.ds) dev_step_free(&ds);
    forward_free(&f);
    return rc;
}

int edgecim_cmd_run(int argc, char **argv)
{
    run_opts_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    ecim_accel_t acc;
    int use_acc = strcmp(o.backend, "float") != 0;
    if ((rc = open_backend(&o, &acc))) return rc;
    char err[512];
    model_t m;
    if (model_load(&m, o.model, err, sizeof err)) {
        fprintf(stderr, WHO ": %s\n", err);
        rc = 1;
    } else {
        rc = run_model(&o, &m, use_acc ? &acc : NULL);
        model_free(&m);
    }
    if (use_acc) acc.destroy(acc.ctx);
    return rc;
}
