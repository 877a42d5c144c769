/* SPDX-License-Identifier: Apache-2.0 */
/* Pre-tokenizers of byte-level BPE vocabularies, exactly as llama.cpp; see tok_pretok.h. */
#include "tok_pretok.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 32
#include <pcre2.h>

#include "tok_unicode.h"

/* ------------------------------------------------------------ the table (llama-vocab.cpp) */

/* The regexes as llama.cpp spells them; RE_GPT2 and RE_LLAMA3 select its custom splitters. */
#define RE_GPT2   "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"
#define RE_LLAMA3 "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+" \
                  "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define RE_LLAMA3_ORIG "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" \
                       "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define RE_QWEN2  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+" \
                  "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define RE_PORO   " ?[^(\\s|.,!?…。，、।۔،)]+"

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

static const tok_pretok_def_t defs[] = {
    {"default", LIST("default"),
     LIST("[\\p{P}\\$\\+<=>\\^~\\|]+", RE_GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), 0, 0, 0},
    {"llama3", LIST("llama3", "llama-v3", "llama-bpe", "falcon3"), LIST(RE_LLAMA3), 1, 1, 0},
    {"dbrx", LIST("dbrx"), LIST(RE_LLAMA3), 0, 0, 0},
    {"smaug", LIST("smaug-bpe"), LIST(RE_LLAMA3), 0, 0, 0},
    /* deepseek-llm: the regex in llama.cpp's source has ranges out of order (its letters were
     * NFC-normalized: "Ὗ-ώ", "ῐ-ΐ", "ῖ-Ί"), std::regex refuses it and llama.cpp fails to
     * tokenize; there is nothing exact to reproduce, so it is not listed (-> default). */
    {"deepseek3_llm", LIST("deepseek-v3"),
     LIST("\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+",
          "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
          "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"), 0, 0, 0},
    {"deepseek_coder", LIST("deepseek-coder"),
     LIST("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}"), 0, 0, 0},
    {"falcon", LIST("falcon"), LIST("[\\p{P}\\$\\+<=>\\^~\\|`]+", RE_GPT2, "[0-9][0-9][0-9]"), 0, 0, 0},
    {"mpt", LIST("mpt"), LIST(RE_GPT2), 0, 0, 0},
    {"starcoder", LIST("starcoder"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"gpt2", LIST("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es",
                  "jina-v2-de", "jina-v2-code", "roberta-bpe"), LIST(RE_GPT2), 0, 0, 0},
    {"refact", LIST("refact"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"command_r", LIST("command-r"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"qwen2", LIST("qwen2", "deepseek-r1-qwen", "megrez"), LIST(RE_QWEN2), 0, 0, 0},
    {"stablelm2", LIST("stablelm2"), LIST(RE_QWEN2), 0, 0, 0},
    {"olmo", LIST("olmo"), LIST(RE_GPT2), 0, 0, 0},
    {"poro", LIST("poro-chat"), LIST(RE_PORO), 0, 0, 0},
    {"chatglm4", LIST("chatglm-bpe"), LIST(RE_LLAMA3), 0, 0, 1},
    {"viking", LIST("viking"), LIST(RE_PORO, "\\p{N}"), 0, 0, 0},
    {"jais", LIST("jais"), LIST(RE_GPT2), 0, 0, 0},
    {"tekken", LIST("tekken"),
     LIST("[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?"
          "((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
          "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"), 1, 1, 0},
    {"smollm", LIST("smollm"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"codeshell", LIST("codeshell"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"bloom", LIST("bloom"), LIST(RE_PORO), 0, 0, 0},
    {"gpt3_finnish", LIST("gpt3-finnish"), LIST(RE_PORO), 0, 0, 0},
    {"exaone", LIST("exaone"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
    {"chameleon", LIST("chameleon"),
     LIST("<sentinel:[0-9]+>", "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z", "([\\t\\n]|    |  )", "\\p{N}",
          "[\\p{P}!-/:-@\\[-`{-~]", RE_GPT2), 0, 1, 0},
    {"minerva", LIST("minerva-7b"), LIST("\\p{N}", RE_GPT2), 0, 0, 0},
};

const tok_pretok_def_t *tok_pretok_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        for (const char *const *n = defs[i].names; *n; n++)
            if (strcmp(*n, name) == 0) return &defs[i];
    return NULL;
}

const tok_pretok_def_t *tok_pretok_all(int *n)
{
    *n = (int)(sizeof defs / sizeof defs[0]);
    return defs;
}

/* ------------------------------------------------------------ piece lengths */

/* Piece lengths in codepoints, in text order (llama.cpp's bpe_offsets). */
typedef struct {
    size_t *v;
    size_t n, cap;
    int oom;
} offs_t;

static void offs_push(offs_t *o, size_t len)
{
    if (len == 0 || o->oom) return; /* empty pieces give no tokens anywhere: drop them here */
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 64;
        size_t *p = realloc(o->v, cap * sizeof *p);
        if (!p) { o->oom = 1; return; }
        o->v = p;
        o->cap = cap;
    }
    o->v[o->n++] = len;
}

/* ------------------------------------------------------------ llama.cpp's custom splitters */

#define OUT_OF_RANGE 0xffffffffu

/* One piece [ini, end) of the codepoints, read as the custom splitters read it: outside the
 * piece a codepoint is OUT_OF_RANGE and its flags are 0. */
typedef struct {
    const uint32_t *cpt;
    const uint16_t *fl;
    size_t ini, end, prev_end;
    offs_t *out;
} span_t;

static uint32_t cpt_at(const span_t *s, size_t pos) { return pos >= s->ini && pos < s->end ? s->cpt[pos] : OUT_OF_RANGE; }
static unsigned fl_at(const span_t *s, size_t pos) { return pos >= s->ini && pos < s->end ? s->fl[pos] : 0; }

/* Ends the current piece at `end`; returns its length. */
static size_t add_token(span_t *s, size_t end)
{
    size_t len = end - s->prev_end;
    offs_push(s->out, len);
    s->prev_end = end;
    return len;
}

#define F_WS TOK_CPT_WHITESPACE
#define F_L  TOK_CPT_LETTER
#define F_N  TOK_CPT_NUMBER

/* Whitespace run at pos: \s+(?!\S) leaves the last whitespace to the next piece, \s+ at the end
 * of the piece takes it all.  Returns the new position (pos when there is no whitespace). */
static size_t split_spaces(span_t *s, size_t pos)
{
    size_t nws = 0;
    while (fl_at(s, pos + nws) & F_WS) nws++;
    if (nws > 1 && cpt_at(s, pos + nws) != OUT_OF_RANGE) pos += nws - 1;
    else pos += nws;
    add_token(s, pos);
    return pos;
}

/* 's|'t|'re|'ve|'m|'ll|'d (case-folded when fold): the length of the contraction at pos or 0. */
static size_t contraction(const span_t *s, size_t pos, int fold)
{
    if (cpt_at(s, pos) != '\'' || pos + 1 >= s->end) return 0;
    uint32_t a = cpt_at(s, pos + 1);
    if (fold) a = tok_cpt_tolower(a);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if (pos + 2 >= s->end) return 0;
    uint32_t b = cpt_at(s, pos + 2);
    if (fold) b = tok_cpt_tolower(b);
    return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
}

/* 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ */
static void split_gpt2(span_t *s)
{
    for (size_t pos = s->ini; pos < s->end;) {
        uint32_t c = cpt_at(s, pos);
        size_t k = contraction(s, pos, 0);
        if (k) { pos += add_token(s, pos + k); continue; }
        unsigned f2 = c == ' ' ? fl_at(s, pos + 1) : fl_at(s, pos);
        if (f2 & (F_L | F_N)) { /* <space>?\p{L}+ and <space>?\p{N}+ */
            unsigned cls = f2 & F_L ? F_L : F_N;
            pos += c == ' ';
            while (f2 & cls) f2 = fl_at(s, ++pos);
            add_token(s, pos);
            continue;
        }
        if (!(f2 & (F_WS | F_L | F_N)) && f2) { /* <space>?[^\s\p{L}\p{N}]+ */
            pos += c == ' ';
            while (!(f2 & (F_WS | F_L | F_N)) && f2) f2 = fl_at(s, ++pos);
            add_token(s, pos);
            continue;
        }
        size_t next = split_spaces(s, pos);
        pos = next > pos ? next : pos + add_token(s, pos + 1); /* no match: one codepoint */
    }
}

/* (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
 * |\s*[\r\n]+|\s+(?!\S)|\s+ */
static void split_llama3(span_t *s)
{
    for (size_t pos = s->ini; pos < s->end;) {
        uint32_t c = cpt_at(s, pos);
        unsigned f = fl_at(s, pos);
        size_t k = contraction(s, pos, 1);
        if (k) { pos += add_token(s, pos + k); continue; }
        if (!(c == '\r' || c == '\n' || (f & F_N)) && ((f & F_L) || (fl_at(s, pos + 1) & F_L))) {
            pos++; /* [^\r\n\p{L}\p{N}]?\p{L}+ */
            while (fl_at(s, pos) & F_L) pos++;
            add_token(s, pos);
            continue;
        }
        if (f & F_N) { /* \p{N}{1,3} */
            size_t ini = pos;
            while (fl_at(s, pos) & F_N)
                if (++pos - ini >= 3) { add_token(s, pos); ini = pos; }
            add_token(s, pos);
            continue;
        }
        unsigned f2 = c == ' ' ? fl_at(s, pos + 1) : f;
        if (!(f2 & (F_WS | F_L | F_N)) && f) { /* <space>?[^\s\p{L}\p{N}]+[\r\n]* */
            pos += c == ' ';
            while (!(f2 & (F_WS | F_L | F_N)) && f2) f2 = fl_at(s, ++pos);
            for (uint32_t c2 = cpt_at(s, pos); c2 == '\r' || c2 == '\n';) c2 = cpt_at(s, ++pos);
            add_token(s, pos);
            continue;
        }
        size_t nws = 0, last_rn = 0; /* \s*[\r\n]+ ends at the last \r or \n of the run */
        for (; fl_at(s, pos + nws) & F_WS; nws++) {
            uint32_t c2 = cpt_at(s, pos + nws);
            if (c2 == '\r' || c2 == '\n') last_rn = pos + nws + 1;
        }
        if (last_rn > 0) { pos = last_rn; add_token(s, pos); continue; }
        size_t next = split_spaces(s, pos);
        pos = next > pos ? next : pos + add_token(s, pos + 1);
    }
}

typedef void (*custom_fn)(span_t *);

/* llama.cpp's unicode_regex_split_custom(): the regexes it splits by hand. */
static custom_fn custom_splitter(const char *re)
{
    if (strcmp(re, RE_GPT2) == 0) return split_gpt2;
    if (strcmp(re, RE_LLAMA3) == 0 || strcmp(re, RE_LLAMA3_ORIG) == 0) return split_llama3;
    return NULL;
}

/* ------------------------------------------------------------ PCRE2 on llama.cpp's texts */

static const struct {
    const char *pat;
    uint32_t unit;     /* the collapsed code unit of the class */
    const char *ascii; /* its ASCII members, as a class body */
} ucat[] = {
    {"\\p{N}", 0xd1, "0-9"},
    {"\\p{L}", 0xd2, "A-Za-z"},
    {"\\p{P}", 0xd3, "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}"},
    {"\\p{M}", 0xd4, ""},
    {"\\p{S}", 0xd5, "\\$\\+<->^`\\|"}, /* sic: llama.cpp's list has no '~' */
};
#define N_UCAT (int)(sizeof ucat / sizeof ucat[0])

static int uses_ucat(const char *re)
{
    for (int i = 0; i < N_UCAT; i++)
        if (strstr(re, ucat[i].pat)) return 1;
    return 0;
}

/* The code unit a codepoint becomes in the collapsed text. */
static uint32_t collapse_cpt(uint32_t cp, unsigned fl)
{
    if (cp < 128) return cp;
    if (fl & TOK_CPT_WHITESPACE) return 0x0b;
    switch (fl & TOK_CPT_CATEGORIES) {
    case TOK_CPT_NUMBER: return 0xd1;
    case TOK_CPT_LETTER: return 0xd2;
    case TOK_CPT_PUNCTUATION: return 0xd3;
    case TOK_CPT_MARK: return 0xd4;
    case TOK_CPT_SYMBOL: return 0xd5;
    default: return 0xd0;
    }
}

/* The regex for the collapsed text: each \p{X} becomes [<unit><ascii>] (without the brackets
 * inside a class), tracking classes the way llama.cpp does.  *n units; NULL on out-of-memory. */
static uint32_t *collapse_regex(const char *re, size_t *n)
{
    size_t len = strlen(re), o = 0;
    uint32_t *out = malloc((len * 8 + 1) * sizeof *out);
    if (!out) return NULL;
    int inside = 0;
    for (size_t i = 0; i < len; i++) {
        if (re[i] == '[' && (i == 0 || re[i - 1] != '\\')) { out[o++] = '['; inside = 1; continue; }
        if (inside && re[i] == ']' && re[i - 1] != '\\') { out[o++] = ']'; inside = 0; continue; }
        int k = -1;
        if (re[i] == '\\' && i + 4 < len && re[i + 1] == 'p' && re[i + 2] == '{' && re[i + 4] == '}')
            for (int j = 0; j < N_UCAT; j++)
                if (strncmp(re + i, ucat[j].pat, 5) == 0) k = j;
        if (k < 0) { out[o++] = (unsigned char)re[i]; continue; }
        if (!inside) out[o++] = '[';
        out[o++] = ucat[k].unit;
        for (const char *a = ucat[k].ascii; *a; a++) out[o++] = (unsigned char)*a;
        if (!inside) out[o++] = ']';
        i += 4;
    }
    *n = o;
    return out;
}

struct tok_pretok {
    int n;
    const char *const *regex;
    custom_fn custom[TOK_PRETOK_MAX_REGEX];
    pcre2_code *code[TOK_PRETOK_MAX_REGEX];
    int collapsed[TOK_PRETOK_MAX_REGEX];
};

void tok_pretok_free(tok_pretok_t *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) pcre2_code_free(p->code[i]);
    free(p);
}

/* PCRE2's message for an error code, as a C string (the 32-bit library writes 32-bit units). */
static void pcre2_message(int code, char *out, size_t cap)
{
    PCRE2_UCHAR msg[128];
    int l = pcre2_get_error_message(code, msg, sizeof msg / sizeof msg[0]);
    size_t j = 0;
    for (; l > 0 && j < (size_t)l && j + 1 < cap; j++) out[j] = msg[j] < 128 ? (char)msg[j] : '?';
    out[j] = 0;
}

static pcre2_code *compile(const char *re, int collapsed, char *err, size_t errlen)
{
    uint32_t *pat = NULL;
    size_t n = 0;
    if (collapsed) {
        for (const char *c = re; *c; c++)
            if (*c & 0x80) { /* llama.cpp refuses this too */
                snprintf(err, errlen, "regex '%s' mixes unicode categories and non-ASCII characters", re);
                return NULL;
            }
        pat = collapse_regex(re, &n);
    } else {
        long k = tok_utf8_decode(re, strlen(re), &pat);
        n = k < 0 ? 0 : (size_t)k;
    }
    if (!pat) { snprintf(err, errlen, "out of memory"); return NULL; }
    int ec;
    PCRE2_SIZE eo;
    /* Non-UTF, non-UCP: \s is the C locale's, as in std::regex; $ only at the end (ECMAScript). */
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, n, PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
    free(pat);
    if (!code) {
        char msg[128];
        pcre2_message(ec, msg, sizeof msg);
        snprintf(err, errlen, "PCRE2 cannot compile regex '%s' (offset %zu): %s", re, (size_t)eo, msg);
    }
    return code;
}

tok_pretok_t *tok_pretok_new(const tok_pretok_def_t *def, char *err, size_t errlen)
{
    tok_pretok_t *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
    p->regex = def->regex;
    for (int i = 0; def->regex[i]; i++) {
        if (i == TOK_PRETOK_MAX_REGEX) { snprintf(err, errlen, "too many regexes"); tok_pretok_free(p); return NULL; }
        p->n = i + 1;
        if ((p->custom[i] = custom_splitter(def->regex[i]))) continue;
        p->collapsed[i] = uses_ucat(def->regex[i]);
        if (!(p->code[i] = compile(def->regex[i], p->collapsed[i], err, errlen))) { tok_pretok_free(p); return NULL; }
    }
    return p;
}

/* std::regex_iterator over one piece: matches and the text between them become pieces; after
 * an empty match the next one may not be empty at the same place. */
static int regex_split_piece(const pcre2_code *code, pcre2_match_data *md, const uint32_t *u, size_t len,
                             offs_t *out)
{
    size_t start_idx = 0, at = 0;
    uint32_t opts = 0;
    for (;;) {
        int rc = pcre2_match(code, (PCRE2_SPTR)u, len, at, opts, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH && opts) { /* no non-empty match here: search on from at+1 */
            opts = 0;
            if (++at > len) break;
            continue;
        }
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) return rc;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[0] > start_idx) offs_push(out, ov[0] - start_idx);
        offs_push(out, ov[1] - ov[0]);
        start_idx = ov[1];
        at = ov[1];
        if (ov[0] == ov[1]) {
            if (at == len) break;
            opts = PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
        } else {
            opts = 0;
        }
    }
    if (start_idx < len) offs_push(out, len - start_idx);
    return 0;
}

static int regex_split(const pcre2_code *code, const uint32_t *units, const offs_t *in, offs_t *out,
                       char *err, size_t errlen)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!md) { snprintf(err, errlen, "out of memory"); return -1; }
    size_t start = 0;
    int rc = 0;
    for (size_t i = 0; i < in->n && !rc; i++) {
        rc = regex_split_piece(code, md, units + start, in->v[i], out);
        start += in->v[i];
    }
    pcre2_match_data_free(md);
    if (rc < 0) {
        char msg[128];
        pcre2_message(rc, msg, sizeof msg);
        snprintf(err, errlen, "PCRE2 matching failed: %s", msg);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ splitting */

void tok_pieces_free(tok_pieces_t *pc)
{
    free(pc->buf);
    free(pc->start);
    memset(pc, 0, sizeof *pc);
}

/* The pieces in GPT-2's byte alphabet (llama.cpp's unicode_byte_encoding_process). */
static int encode_pieces(const uint32_t *cpt, const offs_t *o, tok_pieces_t *out)
{
    size_t total = 0;
    for (size_t i = 0; i < o->n; i++) total += o->v[i];
    out->buf = malloc(total * 8 + 1);
    out->start = malloc((o->n + 1) * sizeof *out->start);
    if (!out->buf || !out->start) return -1;
    size_t b = 0, c = 0;
    for (size_t i = 0; i < o->n; i++) {
        out->start[i] = b;
        for (size_t k = 0; k < o->v[i]; k++, c++) {
            char u8[4];
            int l = tok_utf8_encode(cpt[c], u8);
            for (int j = 0; j < l; j++) b += (size_t)tok_utf8_encode(tok_byte_to_cpt((unsigned char)u8[j]), out->buf + b);
        }
    }
    out->start[o->n] = b;
    out->n = o->n;
    return 0;
}

/* The code units of the text for the regexes: collapsed, or the codepoints with non-ASCII
 * whitespace as 0x0B (llama.cpp's wide-string path). */
static uint32_t *regex_units(const uint32_t *cpt, const uint16_t *fl, size_t n, int collapsed)
{
    uint32_t *u = malloc((n ? n : 1) * sizeof *u);
    if (!u) return NULL;
    for (size_t i = 0; i < n; i++)
        u[i] = collapsed ? collapse_cpt(cpt[i], fl[i]) : cpt[i] > 0x7f && (fl[i] & TOK_CPT_WHITESPACE) ? 0x0b : cpt[i];
    return u;
}

/* One regex over the pieces in *o (replaced by the finer pieces). */
static int apply_regex(const tok_pretok_t *p, int r, const uint32_t *cpt, const uint16_t *fl, size_t n,
                       uint32_t *units[2], offs_t *o, char *err, size_t errlen)
{
    offs_t next = {0};
    int rc = 0;
    if (p->custom[r]) {
        size_t start = 0;
        for (size_t i = 0; i < o->n; i++) {
            span_t s = {cpt, fl, start, start + o->v[i], start, &next};
            p->custom[r](&s);
            start += o->v[i];
        }
    } else {
        int c = p->collapsed[r];
        if (!units[c] && !(units[c] = regex_units(cpt, fl, n, c))) rc = -1;
        if (!rc) rc = regex_split(p->code[r], units[c], o, &next, err, errlen);
    }
    if (next.oom || (rc && !err[0])) { snprintf(err, errlen, "out of memory"); rc = -1; }
    free(o->v);
    *o = next;
    return rc;
}

int tok_pretok_split(const tok_pretok_t *p, const char *text, size_t len, tok_pieces_t *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    err[0] = 0;
    uint32_t *cpt = NULL, *units[2] = {NULL, NULL};
    uint16_t *fl = NULL;
    offs_t o = {0};
    long n = tok_utf8_decode(text, len, &cpt);
    int rc = n < 0 ? -1 : 0;
    if (!rc && !(fl = malloc((size_t)(n ? n : 1) * sizeof *fl))) rc = -1;
    for (long i = 0; !rc && i < n; i++) fl[i] = (uint16_t)tok_cpt_flags(cpt[i]);
    if (!rc && n > 0) offs_push(&o, (size_t)n);
    for (int r = 0; !rc && n > 0 && r < p->n; r++) rc = apply_regex(p, r, cpt, fl, (size_t)n, units, &o, err, errlen);
    if (!rc && !o.oom && encode_pieces(cpt, &o, out)) rc = -1;
    if ((rc || o.oom) && !err[0]) snprintf(err, errlen, "out of memory");
    if (rc || o.oom) { tok_pieces_free(out); rc = -1; }
    free(cpt); free(fl); free(units[0]); free(units[1]); free(o.v);
    return rc;
}
