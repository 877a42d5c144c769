/* SPDX-License-Identifier: Apache-2.0 */
/* Pure-C binaries (build/edgecim, the sanitized tests) carry no Verilator model: the "rtl"
 * backend lives in sim/backend_rtl.cpp, linked into build/edgecim-rtl instead of this file. */
#include <stdio.h>

#include "backend.h"

int edgecim_backend_rtl_open(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err, size_t errlen)
{
    (void)cfg;
    (void)m;
    snprintf(err, errlen, "the rtl backend is not built into this binary: use build/edgecim-rtl "
                          "(make edgecim-rtl, or make run-rtl)");
    return -2;
}
