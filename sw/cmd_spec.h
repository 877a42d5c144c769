/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim speculate`: greedy speculative decoding with a draft model or an early exit of the
 * target, verified in batched passes on the accelerator. */
#ifndef EDGECIM_CMD_SPEC_H
#define EDGECIM_CMD_SPEC_H

int edgecim_cmd_speculate(int argc, char **argv);

#endif
