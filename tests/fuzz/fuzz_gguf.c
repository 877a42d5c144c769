/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any byte string as a GGUF model file through the whole loader (parser,
 * metadata checks, tokenizer, model shapes): an error message or a model, never a crash, a leak
 * or a hang.  The loader maps files, so each input is written to a file of this process first. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/edgecim-fuzz-gguf-%d.gguf", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    model_t m;
    char err[512];
    if (model_load(&m, path, err, sizeof err) == 0) model_free(&m);
    return 0;
}
