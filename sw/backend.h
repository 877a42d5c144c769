/* SPDX-License-Identifier: Apache-2.0 */
/* Backends of the MMIO layer (sw/edgecim_mmio.h), chosen at run time by name
 * (sw/backend_registry.c):
 *   "cmodel"  the cycle-exact C model of edgecim_top (cmodel/edgecim_model.h) in process, for
 *             any hardware configuration;
 *   "rtl"     the Verilator model of rtl/edgecim_top.sv linked into the process
 *             (sw/backend_rtl.cpp; only in $(BUILD)/edgecim-rtl and the RTL tests), for the
 *             configuration it was built with.
 * Both serve the memory port with cmodel/dram_model.c, so both see the same DRAM timing and
 * run the same driver cycle for cycle. */
#ifndef EDGECIM_BACKEND_H
#define EDGECIM_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "dram_model.h"
#include "edgecim_hw.h"
#include "edgecim_mmio.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct edgecim_backend_cfg {
    uint32_t dram_bytes;     /* device DRAM; 0: EDGECIM_DRAM_MB from the environment, else 256 MiB */
    double bytes_per_cycle;  /* DRAM bandwidth; 0: 16 */
    int latency;             /* DRAM latency in cycles; 0: EDGECIM_DRAM_DEFAULT_LATENCY */
    int stall_pct;           /* random DRAM stalls (percent of cycles) */
    int posted_writes;       /* 1: the DRAM takes write data at once (cmodel/dram_model.h) */
    uint64_t seed;           /* of the stalls */
    const ecim_hw_t *hw;     /* hardware configuration; NULL: "default" (include/edgecim_hw.h) */
} edgecim_backend_cfg_t;

#define EDGECIM_DRAM_DEFAULT_BYTES (256u << 20)
#define EDGECIM_DRAM_DEFAULT_LATENCY 40 /* cycles */

/* DRAM size for cfg (the default and EDGECIM_DRAM_MB applied); 0 if EDGECIM_DRAM_MB is bad. */
uint32_t edgecim_backend_dram_bytes(const edgecim_backend_cfg_t *cfg);

/* The DRAM model configuration of both backends (port of data_bytes); 0 or -1 with err. */
int edgecim_backend_dram_cfg(const edgecim_backend_cfg_t *cfg, int data_bytes, dram_cfg_t *dc, char *err,
                             size_t errlen);

/* 0 and *m filled, or -1 with a message in err.  cfg NULL: defaults. */
int edgecim_backend_cmodel_open(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err, size_t errlen);
/* The RTL backend; in a binary built without it (sw/backend_rtl_none.c) returns -2 and says
 * which binary has it. */
int edgecim_backend_rtl_open(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err, size_t errlen);
/* By name ("cmodel" or "rtl", sw/backend_registry.c); -1 on an unknown name, -2 if not built in. */
int edgecim_backend_open(const char *name, const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err,
                         size_t errlen);

/* The hardware configuration of cfg (its hw, or the default one). */
const ecim_hw_t *edgecim_backend_hw(const edgecim_backend_cfg_t *cfg);

#ifdef __cplusplus
}
#endif

#endif
