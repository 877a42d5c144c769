/* SPDX-License-Identifier: Apache-2.0 */
/* One GEMV command on the cycle-exact C model of the top (cmodel/edgecim_model.h), for any legal
 * build configuration (not only the named ones) and any DRAM: the reference that the analytic
 * GEMV model (perf/perf_gemv.c) is calibrated against (make calibrate) and tested with.
 *
 * The cycles are counted as the co-simulation's BENCH lines count them: from the cycle after the
 * CMD_PUSH write until the accelerator is idle (no request on the memory port, STATUS.BUSY low).
 * The DRAM holds zeros: the model's timing does not depend on the data. */
#ifndef PERF_CMODEL_H
#define PERF_CMODEL_H

#include <stdint.h>

#include "ecim_desc.h"
#include "edgecim_hw.h"
#include "perf_gemv.h"
#include "perf_vu.h"

typedef struct {
  uint64_t cycles;      /* push to idle */
  uint64_t bytes_read;  /* DRAM bytes read by the command */
  uint64_t beats_written;
} perf_cm_result_t;

/* Any one command (a GEMV or a vector op) with its setup: the descriptor, TOKEN_POS/TOKEN_ID,
 * the KV region (kv_limit 0: none) and the DRAM size (MEM_LIMIT). */
typedef struct {
  ecim_desc_t desc;
  uint32_t mem_bytes, pos, token, kv_base, kv_limit;
} perf_cm_cmd_t;

/* Runs cmd on a fresh C model of hw behind dram (zeros). 0, or -1 with a message. */
int perf_cm_run(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cm_cmd_t *cmd, perf_cm_result_t *res,
                char *err, size_t errlen);

/* Runs cmd on a fresh C model of hw behind a DRAM of dram (seeded stalls). Returns 0, or -1 with
 * a message in err (an illegal hw, a refused descriptor, a DRAM fault, no memory). */
int perf_cm_gemv(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cmd_t *cmd,
                 perf_cm_result_t *res, char *err, size_t errlen);

/* One vector op (perf/perf_vu.h) with its buffers laid out as a step list has them
 * (perf_cmodel_vu.c). */
int perf_cm_vop(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_vop_t *op, perf_cm_result_t *res,
                char *err, size_t errlen);

#endif
