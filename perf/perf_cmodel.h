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

#include "edgecim_hw.h"
#include "perf_gemv.h"

typedef struct {
  uint64_t cycles;      /* push to idle */
  uint64_t bytes_read;  /* DRAM bytes read by the command */
  uint64_t beats_written;
} perf_cm_result_t;

/* Runs cmd on a fresh C model of hw behind a DRAM of dram (seeded stalls). Returns 0, or -1 with
 * a message in err (an illegal hw, a refused descriptor, a DRAM fault, no memory). */
int perf_cm_gemv(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_cmd_t *cmd,
                 perf_cm_result_t *res, char *err, size_t errlen);

#endif
