/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim`: the EdgeCIM command line.  Sub-commands: run, eval, speculate, mkmodel, tokenize (firmware, sw/) and perf,
 * dse, report (performance model, perf/perf_cli.h). */
#include <stdio.h>
#include <string.h>

#include "cmd_eval.h"
#include "cmd_run.h"
#include "cmd_spec.h"
#include "cmd_tokenize.h"
#include "mkmodel.h"
#include "perf_cli.h"
#include "version.h"

static int usage(FILE *o)
{
    fprintf(o,
            "usage: edgecim COMMAND [options]   (edgecim COMMAND --help for its options)\n"
            "       edgecim --version\n"
            "  run      generate text with a GGUF model on the accelerator model or in float\n"
            "  eval     the accelerator's step against the float reference: top-1 and logit cosine\n"
            "  speculate  greedy speculative decoding (a draft model or an early exit), verified in\n"
            "           batched passes on the accelerator\n"
            "  mkmodel  write a GGUF with random weights shaped like a preset\n"
            "  tokenize print the token ids and pieces of a text (as llama.cpp's llama-tokenize)\n"
            "  perf     evaluate a design on one or all models (performance model)\n"
            "  dse      design-space exploration, Pareto fronts\n"
            "  report   write docs/results.md for the chosen design\n");
    return o == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(stderr);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) return usage(stdout);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) { printf("edgecim %s\n", edgecim_version()); return 0; }
    if (strcmp(cmd, "run") == 0) return edgecim_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "eval") == 0) return edgecim_cmd_eval(argc - 1, argv + 1);
    if (strcmp(cmd, "speculate") == 0) return edgecim_cmd_speculate(argc - 1, argv + 1);
    if (strcmp(cmd, "mkmodel") == 0) return edgecim_cmd_mkmodel(argc - 1, argv + 1);
    if (strcmp(cmd, "tokenize") == 0) return edgecim_cmd_tokenize(argc - 1, argv + 1);
    if (strcmp(cmd, "perf") == 0) return edgecim_cmd_perf(argc - 1, argv + 1);
    if (strcmp(cmd, "dse") == 0) return edgecim_cmd_dse(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0) return edgecim_cmd_report(argc - 1, argv + 1);
    fprintf(stderr, "edgecim: unknown command '%s'\n", cmd);
    return usage(stderr);
}
