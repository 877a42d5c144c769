/* SPDX-License-Identifier: Apache-2.0 */
/* Chat formats (sw/chat.h): templates of the families recognised as llama.cpp does (and the
 * ones mkmodel writes), unknown ones refused; the token ids of a turn in every format on a
 * hand-built vocabulary: markers that are special tokens become those tokens, a marker spelled
 * by a normal token or absent stays text, the end-of-turn token is reported.
 * Usage: test_chat WORKDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chat.h"
#include "gguf.h"
#include "slm_config.h"
#include "tokenizer.h"

static int fails;
#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static void detect_case(const char *name, const char *tmpl, int want)
{
    chat_format_t f = CHAT_FORMAT_COUNT;
    int rc = chat_detect(tmpl, strlen(tmpl), &f);
    if (want < 0) CHECK(rc == -1, "%s: recognised as %s, expected unknown", name, chat_format_name(f));
    else CHECK(rc == 0 && (int)f == want, "%s: got %s (rc %d), expected %s", name, rc ? "none" : chat_format_name(f),
               rc, chat_format_name((chat_format_t)want));
}

/* Shortened templates of the real checkpoints: the parts the detection looks at are verbatim. */
static void test_detect(void)
{
    detect_case("Qwen2.5", "{%- if tools %}{{- '<|im_start|>system\\n' }}{%- else %}{%- if messages[0]['role'] == 'system' %}"
                "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}{%- else %}{{- '<|im_start|>system\\nYou "
                "are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}{%- endif %}", CHAT_CHATML);
    detect_case("SmolLM2", "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\n"
                "You are a helpful AI assistant named SmolLM<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + "
                "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", CHAT_CHATML);
    detect_case("phi-4", "{% for message in messages %}{{'<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + "
                "'<|im_end|>'}}{% endfor %}", CHAT_PHI4);
    detect_case("Llama-3.2", "{{- bos_token }}{%- if custom_tools is defined %}{%- set tools = custom_tools %}{%- endif %}"
                "{{- '<|start_header_id|>system<|end_header_id|>\\n\\n' }}{{- 'Cutting Knowledge Date: December 2023\\n' }}"
                "{{- system_message }}{{- '<|eot_id|>' }}", CHAT_LLAMA3);
    detect_case("Phi-3.5-mini", "{% for message in messages %}{% if message['role'] == 'system' and message['content'] %}"
                "{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\\n' + "
                "message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' + "
                "message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}"
                "{% else %}{{ eos_token }}{% endif %}", CHAT_PHI3);
    detect_case("TinyLlama-1.1B-Chat", "{% for message in messages %}\\n{% if message['role'] == 'user' %}\\n{{ '<|user|>\\n' + "
                "message['content'] + eos_token }}\\n{% elif message['role'] == 'system' %}\\n{{ '<|system|>\\n' + "
                "message['content'] + eos_token }}\\n{% elif message['role'] == 'assistant' %}\\n{{ '<|assistant|>\\n'  + "
                "message['content'] + eos_token }}\\n{% endif %}\\n{% if loop.last and add_generation_prompt %}\\n{{ "
                "'<|assistant|>' }}\\n{% endif %}\\n{% endfor %}", CHAT_ZEPHYR);
    detect_case("stablelm-zephyr", "{% for message in messages %}{{'<|' + message['role'] + '|>' + '\\n' + message['content'] + "
                "'<|endoftext|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|user|>\\n' }}{% endif %}", CHAT_ZEPHYR);
    detect_case("gemma-2", "{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + role + '\\n' + "
                "message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}", CHAT_GEMMA);
    detect_case("Mistral-7B-Instruct", "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
                "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% endif %}{% endfor %}", -1);
    detect_case("empty", "", -1);
    for (int i = 0; i < CHAT_FORMAT_COUNT; i++) detect_case(chat_format_name((chat_format_t)i), chat_format_name((chat_format_t)i), i);
    detect_case("a name with more", "chatml2", -1);
    chat_format_t f;
    CHECK(chat_format_from_name("llama3", &f) == 0 && f == CHAT_LLAMA3, "from_name llama3");
    CHECK(chat_format_from_name("llama-3", &f) == -1, "from_name llama-3 is unknown");
    /* what mkmodel writes for each preset is recognised as the family's */
    static const struct { const char *prefix; int want; } fam[] = {
        {"qwen", CHAT_CHATML}, {"smollm", CHAT_CHATML}, {"llama3", CHAT_LLAMA3}, {"phi3", CHAT_PHI3},
        {"tinyllama", CHAT_ZEPHYR}, {"bitnet", -2}};
    for (int p = 0; p < slm_n_presets; p++) {
        const char *name = slm_presets[p].name, *t = chat_template_for_preset(name);
        int want = -3;
        for (size_t k = 0; k < sizeof fam / sizeof fam[0]; k++)
            if (!strncmp(name, fam[k].prefix, strlen(fam[k].prefix))) want = fam[k].want;
        CHECK(want != -3, "preset %s: no family in this test", name);
        if (want == -2) CHECK(!t, "preset %s: no template expected", name);
        else if (want >= 0) { CHECK(t != NULL, "preset %s: no template", name); if (t) detect_case(name, t, want); }
    }
}

/* ---- token ids ------------------------------------------------------------------------- */

/* GPT-2 byte alphabet (id = byte, no merges: text encodes byte by byte) and these tokens. */
static const char *const specials[] = {"<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|im_sep|>",
                                       "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|system|>",
                                       "<|user|>", "<|assistant|>", "<|end|>", "<start_of_turn>", "<end_of_turn>"};
#define NSPEC ((int)(sizeof specials / sizeof specials[0]))
static int spec_type(int i) { return !strcmp(specials[i], "<|im_sep|>") ? 1 : i >= 9 && i <= 11 ? 4 : 3; }

static int load_vocab(const char *wd, tokenizer_t *t, gguf_file_t *f)
{
    const char *tokens[256 + NSPEC];
    char bytes[256][4];
    int types[256 + NSPEC], k = 0;
    for (int b = 0; b < 256; b++) {
        int keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        unsigned cp = keep ? (unsigned)b : (unsigned)(256 + k++);
        if (cp < 0x80) { bytes[b][0] = (char)cp; bytes[b][1] = 0; }
        else { bytes[b][0] = (char)(0xc0 | (cp >> 6)); bytes[b][1] = (char)(0x80 | (cp & 63)); bytes[b][2] = 0; }
        tokens[b] = bytes[b];
        types[b] = 1;
    }
    for (int i = 0; i < NSPEC; i++) { tokens[256 + i] = specials[i]; types[256 + i] = spec_type(i); }
    gguf_writer_t *w = gguf_writer_new();
    gguf_w_str(w, "tokenizer.ggml.model", "gpt2");
    gguf_w_arr_str(w, "tokenizer.ggml.tokens", tokens, NULL, 256 + NSPEC);
    gguf_w_arr(w, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, 256 + NSPEC);
    gguf_w_arr_str(w, "tokenizer.ggml.merges", NULL, NULL, 0);
    gguf_w_u32(w, "tokenizer.ggml.bos_token_id", 256);
    gguf_w_u32(w, "tokenizer.ggml.eos_token_id", 257);
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/chat_vocab.gguf", wd);
    int rc = gguf_writer_write(w, path, NULL, NULL, err, sizeof err);
    gguf_writer_free(w);
    if (!rc) rc = gguf_open(f, path, err, sizeof err);
    if (!rc && (rc = tokenizer_load(t, f, err, sizeof err))) gguf_close(f);
    CHECK(rc == 0, "vocabulary: %s", err);
    return rc;
}

static int spec_id(const char *s, size_t n)
{
    for (int i = 0; i < NSPEC; i++)
        if (strlen(specials[i]) == n && !memcmp(specials[i], s, n)) return 256 + i;
    return -1;
}

/* "{<|im_start|>}user\n..." -> ids: {X} is special X, every other byte its byte token. */
static int expand(const char *spec, int *ids)
{
    int n = 0;
    for (const char *p = spec; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close) { ids[n++] = spec_id(p + 1, (size_t)(close - p - 1)); p = close + 1; }
        else ids[n++] = (unsigned char)*p++;
    }
    return n;
}

static void encode_case(const tokenizer_t *t, chat_format_t f, const char *sys, const char *user, const char *want,
                        const char *eot)
{
    int *ids, e, exp[512];
    int n = chat_encode(t, f, sys, user, 1, &ids, &e), m = expand(want, exp);
    int ok = n == m;
    for (int i = 0; ok && i < n; i++) ok = ids[i] == exp[i];
    if (!ok) {
        printf("FAIL %s: got", chat_format_name(f));
        for (int i = 0; i < n; i++) printf(" %d", ids[i]);
        printf("\n     expected");
        for (int i = 0; i < m; i++) printf(" %d", exp[i]);
        printf("\n");
        fails++;
    }
    int want_eot = eot ? spec_id(eot, strlen(eot)) : -1;
    CHECK(e == want_eot, "%s: end-of-turn %d, expected %d (%s)", chat_format_name(f), e, want_eot, eot ? eot : "none");
    free(ids);
}

static void test_encode(const char *wd)
{
    tokenizer_t t;
    gguf_file_t f;
    if (load_vocab(wd, &t, &f)) return;
    encode_case(&t, CHAT_CHATML, "S", "Hi",
                "{<s>}{<|im_start|>}system\nS{<|im_end|>}\n{<|im_start|>}user\nHi{<|im_end|>}\n{<|im_start|>}assistant\n",
                "<|im_end|>");
    encode_case(&t, CHAT_CHATML, NULL, "Hi", "{<s>}{<|im_start|>}user\nHi{<|im_end|>}\n{<|im_start|>}assistant\n", "<|im_end|>");
    /* <|im_sep|> is a normal token here: spelled out as text, as llama.cpp would */
    encode_case(&t, CHAT_PHI4, NULL, "Hi", "{<s>}{<|im_start|>}user<|im_sep|>Hi{<|im_end|>}{<|im_start|>}assistant<|im_sep|>",
                "<|im_end|>");
    encode_case(&t, CHAT_LLAMA3, "S", "  Hi \n",
                "{<s>}{<|start_header_id|>}system{<|end_header_id|>}\n\nS{<|eot_id|>}{<|start_header_id|>}user{<|end_header_id|>}"
                "\n\nHi{<|eot_id|>}{<|start_header_id|>}assistant{<|end_header_id|>}\n\n", "<|eot_id|>");
    encode_case(&t, CHAT_PHI3, "S", "Hi",
                "{<s>}{<|system|>}\nS{<|end|>}\n{<|user|>}\nHi{<|end|>}\n{<|assistant|>}\n", "<|end|>");
    encode_case(&t, CHAT_ZEPHYR, "S", "Hi", "{<s>}{<|system|>}\nS{</s>}\n{<|user|>}\nHi{</s>}\n{<|assistant|>}\n", "</s>");
    encode_case(&t, CHAT_GEMMA, " S ", " Hi ",
                "{<s>}{<start_of_turn>}user\nS\n\nHi{<end_of_turn>}\n{<start_of_turn>}model\n", "<end_of_turn>");
    tokenizer_free(&t);
    gguf_close(&f);
}

int main(int argc, char **argv)
{
    const char *wd = argc > 1 ? argv[1] : "/tmp";
    mkdir(wd, 0777);
    test_detect();
    test_encode(wd);
    printf("chat: %s\n", fails ? "FAILED" : "all checks passed");
    return fails ? 1 : 0;
}
