/* SPDX-License-Identifier: Apache-2.0 */
/* Chat formats (chat.h): detection from the template text and the token ids of one turn. */
#include "chat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[CHAT_FORMAT_COUNT] = {"chatml", "phi4", "llama3", "phi3", "zephyr", "gemma"};

const char *chat_format_name(chat_format_t f) { return f < CHAT_FORMAT_COUNT ? names[f] : "?"; }

const char *chat_format_names(void) { return "chatml, phi4, llama3, phi3, zephyr, gemma"; }

int chat_format_from_name(const char *name, chat_format_t *f)
{
    for (int i = 0; i < CHAT_FORMAT_COUNT; i++)
        if (!strcmp(name, names[i])) { *f = (chat_format_t)i; return 0; }
    return -1;
}

static int contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (s[i] == needle[0] && !memcmp(s + i, needle, n)) return 1;
    return 0;
}

/* llama.cpp's order of tests, restricted to the families above.  One deliberate difference:
 * a template with <|user|> that ends turns with eos_token (TinyLlama, HuggingFaceH4 Zephyr)
 * is zephyr here; llama.cpp's substring rules send it to glmedge, which drops the EOS. */
int chat_detect(const char *tmpl, size_t len, chat_format_t *f)
{
    for (int i = 0; i < CHAT_FORMAT_COUNT; i++)
        if (strlen(names[i]) == len && !memcmp(tmpl, names[i], len)) { *f = (chat_format_t)i; return 0; }
#define HAS(s) contains(tmpl, len, s)
    if (HAS("<|im_start|>")) *f = HAS("<|im_sep|>") ? CHAT_PHI4 : CHAT_CHATML;
    else if (HAS("<|assistant|>") && HAS("<|end|>")) *f = CHAT_PHI3;
    else if (HAS("<|user|>") && (HAS("<|endoftext|>") || HAS("eos_token") || HAS("</s>"))) *f = CHAT_ZEPHYR;
    else if (HAS("<start_of_turn>")) *f = CHAT_GEMMA;
    else if (HAS("<|start_header_id|>") && HAS("<|end_header_id|>")) *f = CHAT_LLAMA3;
    else return -1;
#undef HAS
    return 0;
}

/* ---- token ids of a conversation ------------------------------------------------------------ */

/* Text accumulates until a marker that is a special token: then it is tokenized as one piece,
 * as llama.cpp tokenizes the text between special tokens. */
typedef struct {
    const tokenizer_t *t;
    int *ids;
    int n, cap;
    char *text;
    size_t len, tcap;
    int oom;
} chat_buf_t;

static void put_id(chat_buf_t *b, int id)
{
    if (b->oom) return;
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        int *p = realloc(b->ids, (size_t)cap * sizeof *p);
        if (!p) { b->oom = 1; return; }
        b->ids = p;
        b->cap = cap;
    }
    b->ids[b->n++] = id;
}

static void put_text(chat_buf_t *b, const char *s, size_t n)
{
    if (b->oom || !n) return;
    if (b->len + n > b->tcap) {
        size_t cap = 2 * (b->len + n) + 64;
        char *p = realloc(b->text, cap);
        if (!p) { b->oom = 1; return; }
        b->text = p;
        b->tcap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
}

static void put_str(chat_buf_t *b, const char *s) { put_text(b, s, strlen(s)); }

static void flush_text(chat_buf_t *b)
{
    if (b->oom || !b->len) return;
    int *ids;
    int n = tokenizer_encode(b->t, b->text, b->len, 0, &ids);
    if (n < 0) { b->oom = 1; return; }
    for (int i = 0; i < n; i++) put_id(b, ids[i]);
    free(ids);
    b->len = 0;
}

/* Id of the special (unknown, control or user-defined: not normal, not byte) token spelled s. */
static int special_id(const tokenizer_t *t, const char *s)
{
    int n = (int)strlen(s);
    for (int i = 0; i < t->n_vocab; i++)
        if (t->len[i] == n && (t->type[i] == 2 || t->type[i] == 3 || t->type[i] == 4) && !memcmp(t->text[i], s, (size_t)n))
            return i;
    return -1;
}

static void put_marker(chat_buf_t *b, const char *s)
{
    int id = special_id(b->t, s);
    if (id < 0) { put_str(b, s); return; }
    flush_text(b);
    put_id(b, id);
}

static const char *eos_text(const tokenizer_t *t) { return t->eos >= 0 ? t->text[t->eos] : "</s>"; }

/* s without leading and trailing white space: *n bytes from the returned pointer. */
static const char *trim(const char *s, size_t *n)
{
    *n = strlen(s);
    while (*n && isspace((unsigned char)*s)) { s++; (*n)--; }
    while (*n && isspace((unsigned char)s[*n - 1])) (*n)--;
    return s;
}

/* Llama 3 and Gemma strip the message (their templates apply `| trim`). */
static void put_trimmed(chat_buf_t *b, const char *s)
{
    size_t n;
    s = trim(s, &n);
    put_text(b, s, n);
}

/* "<|role|>" as one marker (Phi-3, Zephyr) */
static void put_role_marker(chat_buf_t *b, const char *role)
{
    char m[32];
    snprintf(m, sizeof m, "<|%s|>", role);
    put_marker(b, m);
}

static void put_turn(chat_buf_t *b, chat_format_t f, const char *role, const char *content)
{
    switch (f) {
    case CHAT_CHATML:
        put_marker(b, "<|im_start|>"); put_str(b, role); put_str(b, "\n"); put_str(b, content);
        put_marker(b, "<|im_end|>"); put_str(b, "\n");
        break;
    case CHAT_PHI4:
        put_marker(b, "<|im_start|>"); put_str(b, role); put_marker(b, "<|im_sep|>"); put_str(b, content);
        put_marker(b, "<|im_end|>");
        break;
    case CHAT_LLAMA3:
        put_marker(b, "<|start_header_id|>"); put_str(b, role); put_marker(b, "<|end_header_id|>");
        put_str(b, "\n\n"); put_trimmed(b, content); put_marker(b, "<|eot_id|>");
        break;
    case CHAT_PHI3:
        put_role_marker(b, role); put_str(b, "\n"); put_str(b, content); put_marker(b, "<|end|>"); put_str(b, "\n");
        break;
    case CHAT_ZEPHYR:
        put_role_marker(b, role); put_str(b, "\n"); put_str(b, content); put_marker(b, eos_text(b->t)); put_str(b, "\n");
        break;
    case CHAT_GEMMA:
        put_marker(b, "<start_of_turn>"); put_str(b, role); put_str(b, "\n"); put_trimmed(b, content);
        put_marker(b, "<end_of_turn>"); put_str(b, "\n");
        break;
    default:
        break;
    }
}

/* The opening of the assistant's turn, and the token that will close it. */
static const char *put_generation_prompt(chat_buf_t *b, chat_format_t f)
{
    switch (f) {
    case CHAT_CHATML: put_marker(b, "<|im_start|>"); put_str(b, "assistant\n"); return "<|im_end|>";
    case CHAT_PHI4: put_marker(b, "<|im_start|>"); put_str(b, "assistant"); put_marker(b, "<|im_sep|>"); return "<|im_end|>";
    case CHAT_LLAMA3:
        put_marker(b, "<|start_header_id|>"); put_str(b, "assistant"); put_marker(b, "<|end_header_id|>"); put_str(b, "\n\n");
        return "<|eot_id|>";
    case CHAT_PHI3: put_marker(b, "<|assistant|>"); put_str(b, "\n"); return "<|end|>";
    case CHAT_ZEPHYR: put_marker(b, "<|assistant|>"); put_str(b, "\n"); return eos_text(b->t);
    case CHAT_GEMMA: put_marker(b, "<start_of_turn>"); put_str(b, "model\n"); return "<end_of_turn>";
    default: return "";
    }
}

int chat_encode(const tokenizer_t *t, chat_format_t f, const char *system, const char *user,
                int add_bos, int **ids, int *eot)
{
    chat_buf_t b = {.t = t};
    char *merged = NULL;
    if (add_bos && t->bos >= 0) put_id(&b, t->bos);
    if (system && f == CHAT_GEMMA) { /* no system role: llama.cpp prepends it to the user text */
        size_t ls, lu;
        const char *s = trim(system, &ls), *u = trim(user, &lu);
        merged = malloc(ls + lu + 3);
        if (!merged) b.oom = 1;
        else {
            memcpy(merged, s, ls);
            memcpy(merged + ls, "\n\n", 2);
            memcpy(merged + ls + 2, u, lu);
            merged[ls + 2 + lu] = 0;
            user = merged;
        }
    } else if (system) {
        put_turn(&b, f, "system", system);
    }
    if (!b.oom) put_turn(&b, f, "user", user);
    *eot = special_id(t, put_generation_prompt(&b, f));
    flush_text(&b);
    free(merged);
    free(b.text);
    if (b.oom) { free(b.ids); *ids = NULL; return -1; }
    *ids = b.ids;
    return b.n;
}

/* ---- templates mkmodel writes ------------------------------------------------------------ */

static const char tmpl_chatml[] =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
static const char tmpl_llama3[] =
    "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + "
    "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
static const char tmpl_phi3[] =
    "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";
static const char tmpl_zephyr[] =
    "{% for message in messages %}{% if message['role'] == 'user' %}{{ '<|user|>\\n' + message['content'] + eos_token + '\\n' }}"
    "{% elif message['role'] == 'system' %}{{ '<|system|>\\n' + message['content'] + eos_token + '\\n' }}"
    "{% else %}{{ '<|assistant|>\\n' + message['content'] + eos_token + '\\n' }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

const char *chat_template_for_preset(const char *preset)
{
    static const struct { const char *prefix, *tmpl; } fam[] = {
        {"qwen", tmpl_chatml}, {"smollm", tmpl_chatml}, {"llama3", tmpl_llama3},
        {"phi3", tmpl_phi3}, {"tinyllama", tmpl_zephyr}};
    for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++)
        if (!strncmp(preset, fam[i].prefix, strlen(fam[i].prefix))) return fam[i].tmpl;
    return NULL;
}
