/* `edgecim run`: loads a GGUF model, runs the prompt and generates tokens one decode step at a
 * time through the op plan, on an accelerator backend or the float reference. */
#include "cmd_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"
#include "backend.h"
#include "forward.h"
#include "model.h"
#include "ops.h"
#include "tpool.h"

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim run --model M.gguf [--prompt TEXT | --tokens 1,2,3] [-n N]\n"
            "                   [--backend cmodel|cmodel-functional|rtl|float] [--temp T] [--top-k K]\n"
            "                   [--top-p P] [--seed S] [--ctx C] [--clock-mhz F] [--hw NAME] [--threads N]\n"
            "                   [--json] [--quiet]\n"
            "Generates N tokens (default 32; greedy unless --temp > 0), printing the text as it is\n"
            "generated, then host tokens/s, simulated cycles and tokens/s at --clock-mhz (default\n"
            "1000) when the backend is timed, and the time per op kind.  The prompt is run as\n"
            "decode steps.  Backends: cmodel (register-level C model, the default),\n"
            "cmodel-functional (bit-exact GEMV only, fast), rtl (Verilator, build/edgecim-rtl),\n"
            "float (float32 reference, no accelerator).  --hw names the hardware configuration\n"
            "of the cmodel and rtl backends (docs/HW_CONFIG.md; default: default; the rtl\n"
            "backend runs the one its binary was built with).  --threads: host threads for the\n"
            "GEMVs of cmodel-functional and float and for attention (default: the machine's\n"
            "cores; results do not depend on it).  --json prints one JSON object instead\n"
            "(for scripts).  Packing progress goes to stderr.\n");
    return o == stdout ? 0 : 2;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Length of a valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return len;
}

/* JSON string; bytes that are not valid UTF-8 (a token may end inside a character) become
 * U+FFFD, as JSON text must be UTF-8. */
static void json_str(FILE *o, const char *s, size_t n)
{
    fputc('"', o);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t l = utf8_valid((const unsigned char *)s + i, n - i);
        if (l == 0) { fputs("\\ufffd", o); i++; continue; }
        if (c == '"' || c == '\\') fprintf(o, "\\%c", c);
        else if (c < 0x20 || c == 0x7f) fprintf(o, "\\u%04x", c);
        else fwrite(s + i, 1, l, o);
        i += l;
    }
    fputc('"', o);
}

static int bad_arg(const char *msg, const char *v)
{
    fprintf(stderr, "edgecim run: %s%s%s\n", msg, v ? ": " : "", v ? v : "");
    return 2;
}

static int parse_tokens(const char *s, int **out)
{
    int n = 0, cap = 16;
    int *v = malloc((size_t)cap * sizeof *v);
    while (v && *s) {
        char *end;
        long t = strtol(s, &end, 10);
        if (end == s || t < 0 || t > (1 << 30)) { free(v); return -1; }
        if (n == cap) {
            int *p = realloc(v, (size_t)(cap *= 2) * sizeof *p);
            if (!p) { free(v); return -1; }
            v = p;
        }
        v[n++] = (int)t;
        s = end;
        if (*s == ',') s++;
        else if (*s) { free(v); return -1; }
    }
    *out = v;
    return v ? n : -1;
}

int edgecim_cmd_run(int argc, char **argv)
{
    const char *model_path = NULL, *prompt = NULL, *tokens = NULL, *backend = "cmodel", *hw_name = NULL;
    int n_gen = 32, top_k = 0, json = 0, quiet = 0, ctx = 0, threads = tpool_cores();
    double temp = 0, top_p = 1, clock_mhz = 1000;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout);
        if (!strcmp(a, "--json")) { json = 1; continue; }
        if (!strcmp(a, "--quiet")) { quiet = 1; continue; }
        if (i + 1 >= argc) { bad_arg("unknown option or missing value", a); return usage(stderr); }
        const char *v = argv[++i];
        char *end = NULL;
        if (!strcmp(a, "--model")) model_path = v;
        else if (!strcmp(a, "--prompt")) prompt = v;
        else if (!strcmp(a, "--tokens")) tokens = v;
        else if (!strcmp(a, "--backend")) backend = v;
        else if (!strcmp(a, "--hw")) hw_name = v;
        else if (!strcmp(a, "-n")) { n_gen = (int)strtol(v, &end, 10); if (*end || n_gen < 0) return bad_arg("-n needs a count >= 0", v); }
        else if (!strcmp(a, "--top-k")) { top_k = (int)strtol(v, &end, 10); if (*end || top_k < 0) return bad_arg("--top-k needs an integer >= 0", v); }
        else if (!strcmp(a, "--threads")) { threads = (int)strtol(v, &end, 10); if (*end || threads < 1 || threads > 256) return bad_arg("--threads needs an integer in 1..256", v); }
        else if (!strcmp(a, "--ctx")) { ctx = (int)strtol(v, &end, 10); if (*end || ctx <= 0) return bad_arg("--ctx needs a positive integer", v); }
        else if (!strcmp(a, "--temp")) { temp = strtod(v, &end); if (*end || temp < 0) return bad_arg("--temp needs a number >= 0", v); }
        else if (!strcmp(a, "--top-p")) { top_p = strtod(v, &end); if (*end || top_p <= 0 || top_p > 1) return bad_arg("--top-p needs a number in (0, 1]", v); }
        else if (!strcmp(a, "--clock-mhz")) { clock_mhz = strtod(v, &end); if (*end || clock_mhz <= 0) return bad_arg("--clock-mhz needs a positive number", v); }
        else if (!strcmp(a, "--seed")) { seed = strtoull(v, &end, 0); if (*end) return bad_arg("--seed needs an integer", v); }
        else { bad_arg("unknown option", a); return usage(stderr); }
    }
    if (!model_path) { bad_arg("--model is required", NULL); return usage(stderr); }
    if (prompt && tokens) return bad_arg("give --prompt or --tokens, not both", NULL);
    int use_float = !strcmp(backend, "float");
    edgecim_backend_cfg_t bcfg = {0};
    if (hw_name && !(bcfg.hw = ecim_hw_find(hw_name)))
        return bad_arg("unknown hardware configuration (docs/HW_CONFIG.md lists them)", hw_name);
    ecim_accel_t acc;
    int arc = use_float ? ACCEL_OK : accel_create_cfg(backend, &bcfg, &acc);
    if (arc == ACCEL_EUNIMPLEMENTED) /* --backend rtl in a binary without the Verilator model */
        return bad_arg("backend not built into this binary (the RTL is in build/edgecim-rtl: make edgecim-rtl)", backend);
    if (arc == ACCEL_EDEVICE) { fprintf(stderr, "edgecim run: backend %s failed to start\n", backend); return 1; }
    if (arc != ACCEL_OK)
        return bad_arg("unknown backend (cmodel, cmodel-functional, rtl, float)", backend);

    char err[512];
    model_t m;
    if (model_load(&m, model_path, err, sizeof err)) {
        fprintf(stderr, "edgecim run: %s\n", err);
        if (!use_float) acc.destroy(acc.ctx);
        return 1;
    }
    int *ids = NULL, n_prompt;
    if (tokens) {
        n_prompt = parse_tokens(tokens, &ids);
        if (n_prompt < 0) { model_free(&m); if (!use_float) acc.destroy(acc.ctx); return bad_arg("--tokens needs a comma-separated list of ids", tokens); }
        for (int i = 0; i < n_prompt; i++)
            if (ids[i] >= m.cfg.vocab) {
                fprintf(stderr, "edgecim run: token %d is outside the vocabulary of %d\n", ids[i], m.cfg.vocab);
                free(ids); model_free(&m); if (!use_float) acc.destroy(acc.ctx);
                return 2;
            }
    } else {
        const char *p = prompt ? prompt : "";
        n_prompt = tokenizer_encode(&m.tok, p, strlen(p), m.tok.add_bos, &ids);
    }
    if (n_prompt <= 0) { /* nothing to start from: BOS, else token 0 */
        free(ids);
        ids = malloc(sizeof *ids);
        ids[0] = m.tok.bos >= 0 ? m.tok.bos : 0;
        n_prompt = 1;
    }
    int total = n_prompt + n_gen;
    if (!ctx) ctx = total;
    if (ctx < total) total = ctx;
    forward_t f;
    int rc = 0;
    if (forward_init(&f, &m, use_float ? NULL : &acc, ctx, !quiet, err, sizeof err)) {
        fprintf(stderr, "edgecim run: %s\n", err);
        free(ids); model_free(&m); if (!use_float) acc.destroy(acc.ctx);
        return 1;
    }
    threads = forward_set_threads(&f, threads);
    sampler_t smp;
    sampler_init(&smp, m.cfg.vocab, (float)temp, top_k, (float)top_p, seed);
    int *out = malloc((size_t)(total + 1) * sizeof *out);
    char *text = NULL;
    size_t text_len = 0, text_cap = 0;
    /* SentencePiece drops the prefix space only of the token right after BOS: generated text
     * that continues a prompt keeps its leading space. */
    int n_out = 0, tok = ids[0], first_piece = n_prompt == 1 && ids[0] == m.tok.bos;
    double *step_s = calloc((size_t)total + 1, sizeof *step_s);
    double t0 = now_s();
    for (int pos = 0; pos < total && !rc; pos++) {
        int next = -1;
        int in_prompt = pos + 1 < n_prompt;
        double ts = now_s();
        int frc = forward_step(&f, tok, pos, in_prompt ? NULL : &smp, &next, err, sizeof err);
        if (step_s) step_s[pos] = now_s() - ts;
        if (frc) {
            fprintf(stderr, "edgecim run: %s\n", err);
            rc = 1;
            break;
        }
        if (in_prompt) { tok = ids[pos + 1]; continue; }
        if (pos + 1 >= total || n_out >= n_gen) break;
        out[n_out++] = next;
        char piece[256];
        size_t k = tokenizer_piece(&m.tok, next, first_piece, piece, sizeof piece);
        if (k > sizeof piece) k = sizeof piece;
        first_piece = 0;
        if (text_len + k + 1 > text_cap) {
            text_cap = 2 * (text_len + k + 64);
            char *p = realloc(text, text_cap);
            if (!p) { rc = 1; break; }
            text = p;
        }
        memcpy(text + text_len, piece, k);
        text_len += k;
        if (!json) { fwrite(piece, 1, k, stdout); fflush(stdout); }
        if (next == m.tok.eos) break;
        tok = next;
    }
    double dt = now_s() - t0;
    long steps = f.st.steps;
    uint64_t cycles = 0;
    for (int w = 0; w < SLM_W_COUNT; w++) cycles += f.st.gemv_cycles[w];
    double host_tps = dt > 0 ? steps / dt : 0;
    if (!rc && json) {
        printf("{\"model\":");
        json_str(stdout, model_path, strlen(model_path));
        printf(",\"arch\":\"%s\",\"backend\":\"%s\",\"prompt_tokens\":%d,\"generated\":[", m.arch,
               use_float ? "float" : acc.name, n_prompt);
        for (int i = 0; i < n_out; i++) printf("%s%d", i ? "," : "", out[i]);
        printf("],\"text\":");
        json_str(stdout, text ? text : "", text_len);
        printf(",\"threads\":%d,\"steps\":%ld,\"host_seconds\":%.6f,\"host_tokens_per_s\":%.3f", threads, steps,
               dt, host_tps);
        printf(",\"step_seconds\":[");
        for (long i = 0; i < steps && step_s; i++) printf("%s%.6f", i ? "," : "", step_s[i]);
        printf("]");
        if (f.st.cycles_valid)
            printf(",\"sim_cycles\":%llu,\"clock_mhz\":%g,\"sim_tokens_per_s\":%.3f", (unsigned long long)cycles,
                   clock_mhz, cycles ? steps * clock_mhz * 1e6 / (double)cycles : 0.0);
        printf(",\"ops\":{");
        for (int k = 0; k < SLM_OP_KIND_COUNT; k++)
            printf("%s\"%s\":{\"calls\":%ld,\"host_s\":%.6f}", k ? "," : "", slm_op_name((slm_op_kind_t)k),
                   f.st.calls[k], f.st.host_s[k]);
        printf("},\"gemv\":{");
        for (int w = 0; w < SLM_W_COUNT; w++) {
            printf("%s\"%s\":{\"calls\":%ld,\"host_s\":%.6f", w ? "," : "", slm_weight_name((slm_weight_t)w),
                   f.st.gemv_calls[w], f.st.gemv_host_s[w]);
            if (f.st.cycles_valid) printf(",\"cycles\":%llu", (unsigned long long)f.st.gemv_cycles[w]);
            printf("}");
        }
        printf("}}\n");
    } else if (!rc) {
        printf("\n\n%s on %s: %ld decode steps (%d prompt + %d generated) in %.3f s: %.2f tokens/s host\n",
               m.name, use_float ? "float" : acc.name, steps, n_prompt, n_out, dt, host_tps);
        if (f.st.cycles_valid)
            printf("simulated: %llu cycles, %.2f tokens/s at %g MHz\n", (unsigned long long)cycles,
                   cycles ? steps * clock_mhz * 1e6 / (double)cycles : 0.0, clock_mhz);
        else
            printf("simulated: n/a (backend %s has no timing)\n", use_float ? "float" : acc.name);
        printf("%-12s %8s %10s %7s\n", "op", "calls", "host ms", "share");
        for (int k = 0; k < SLM_OP_KIND_COUNT; k++)
            if (f.st.calls[k])
                printf("%-12s %8ld %10.2f %6.1f%%\n", slm_op_name((slm_op_kind_t)k), f.st.calls[k],
                       f.st.host_s[k] * 1e3, dt > 0 ? 100 * f.st.host_s[k] / dt : 0);
        for (int w = 0; w < SLM_W_COUNT; w++)
            if (f.st.gemv_calls[w]) {
                printf("  GEMV %-7s %6ld %10.2f %6.1f%%", slm_weight_name((slm_weight_t)w), f.st.gemv_calls[w],
                       f.st.gemv_host_s[w] * 1e3, dt > 0 ? 100 * f.st.gemv_host_s[w] / dt : 0);
                if (f.st.cycles_valid) printf(" %llu cycles", (unsigned long long)f.st.gemv_cycles[w]);
                printf("\n");
            }
    }
    free(step_s);
    free(text);
    free(out);
    free(ids);
    sampler_free(&smp);
    forward_free(&f);
    model_free(&m);
    if (!use_float) acc.destroy(acc.ctx);
    return rc;
}
