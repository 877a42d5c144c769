/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim run`: text generation with a GGUF model. */
#ifndef EDGECIM_CMD_RUN_H
#define EDGECIM_CMD_RUN_H

int edgecim_cmd_run(int argc, char **argv);

#endif
