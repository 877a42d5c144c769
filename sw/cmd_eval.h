/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim eval`: the accelerator's step against the float reference (sw/cmd_eval.c). */
#ifndef EDGECIM_CMD_EVAL_H
#define EDGECIM_CMD_EVAL_H

int edgecim_cmd_eval(int argc, char **argv);

#endif
