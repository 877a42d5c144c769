/* Synthetic GGUF models for tests and benchmarks (`edgecim mkmodel`). */
#ifndef EDGECIM_MKMODEL_H
#define EDGECIM_MKMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"
#include "slm_config.h"

/* Writes a model of configuration c: weights of type `type` (norms/biases F32), seeded. */
int mkmodel_write(const slm_config_t *c, gguf_type_t type, uint64_t seed, const char *path,
                  int verbose, char *err, size_t errlen);

/* CLI entry: argv[0] = "mkmodel".  Exit code (0, 1 error, 2 usage). */
int edgecim_cmd_mkmodel(int argc, char **argv);

#endif
