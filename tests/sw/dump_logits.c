/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the float engine's logits after the prompt tokens, as raw float32, to stdout: the
 * firmware's side of scripts/llama_cpp_check.py.  Usage: dump_logits MODEL.gguf 1,2,3 */
#include <stdio.h>
#include <stdlib.h>

#include "forward.h"
#include "model.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: dump_logits MODEL.gguf TOKEN[,TOKEN...]\n");
        return 2;
    }
    model_t m;
    forward_t f;
    char err[512];
    if (model_load(&m, argv[1], err, sizeof err)) {
        fprintf(stderr, "dump_logits: %s\n", err);
        return 1;
    }
    int rc = forward_init(&f, &m, NULL, 64, 0, err, sizeof err), inited = rc == 0;
    char *s = argv[2];
    for (int pos = 0; !rc && *s; pos++) {
        int tok = (int)strtol(s, &s, 10);
        if (*s == ',') s++;
        rc = tok < 0 || tok >= m.cfg.vocab || pos >= 64 ? -1 : forward_step(&f, tok, pos, NULL, NULL, err, sizeof err);
    }
    if (!rc) fwrite(f.logits, sizeof(float), (size_t)m.cfg.vocab, stdout);
    else fprintf(stderr, "dump_logits: %s\n", err);
    if (inited) forward_free(&f);
    model_free(&m);
    return rc ? 1 : 0;
}
