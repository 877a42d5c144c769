/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any string as the value of a numeric option, through the rules every
 * sub-command uses (util/cli_num.h): a value in range or a refusal, never undefined behaviour;
 * an accepted value is checked to be in its range.  (Run with -close_fd_mask=2: a refusal prints
 * its message.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    int i;
    uint64_t u;
    double d;
    if (cli_int("fuzz", "-n", s, -5, 1 << 20, &i) == 0 && (i < -5 || i > 1 << 20)) abort();
    cli_u64("fuzz", "--seed", s, &u);
    if (cli_double("fuzz", "--temp", s, 0, 1e6, CLI_CLOSED, &d) == 0 && !(d >= 0 && d <= 1e6)) abort();
    if (cli_double("fuzz", "--top-p", s, 0, 1, CLI_LO_OPEN, &d) == 0 && !(d > 0 && d <= 1)) abort();
    free(s);
    return 0;
}
