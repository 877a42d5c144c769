/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any byte string (valid UTF-8 or not) through the byte-level BPE and the
 * SentencePiece tokenizers of llama.cpp's reference vocabularies (tests/data/tokenizer), and each
 * id back to its piece: never a crash, a leak or a hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gguf.h"
#include "tokenizer.h"

#ifndef FUZZ_VOCAB_DIR
#define FUZZ_VOCAB_DIR "tests/data/tokenizer"
#endif

static const char *const vocabs[] = {"ggml-vocab-qwen2.gguf", "ggml-vocab-llama-bpe.gguf", "ggml-vocab-llama-spm.gguf"};
enum { NV = sizeof vocabs / sizeof vocabs[0] };
static gguf_file_t files[NV];
static tokenizer_t toks[NV];

static void load_once(void)
{
    static int done;
    if (done++) return;
    for (int i = 0; i < NV; i++) {
        char path[512], err[512];
        snprintf(path, sizeof path, "%s/%s", FUZZ_VOCAB_DIR, vocabs[i]);
        if (gguf_open(&files[i], path, err, sizeof err) || tokenizer_load(&toks[i], &files[i], err, sizeof err)) {
            fprintf(stderr, "fuzz_tokenizer: %s\n", err);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_once();
    for (int i = 0; i < NV; i++) {
        int *ids = NULL, n = tokenizer_encode(&toks[i], (const char *)data, size, size & 1, &ids);
        char piece[256];
        for (int k = 0; k < n; k++) tokenizer_piece(&toks[i], ids[k], k == 0, piece, sizeof piece);
        free(ids);
    }
    return 0;
}
