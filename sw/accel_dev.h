/* SPDX-License-Identifier: Apache-2.0 */
/* The device behind an accelerator backend, for work beyond one GEMV at a time: device DRAM,
 * the KV region, and command lists run with TOKEN_ID/TOKEN_POS (docs/VECTOR_UNIT.md). The device
 * step (sw/dev_step.h) lays a whole decoder step out through it. Backends: "cmodel" and "rtl"
 * through the DIF driver (sw/accel_hw_dev.c), "cmodel-functional" through the functional device
 * (cmodel/ecim_func.h) on a host memory image (sw/accel_func_dev.c). Status codes: ACCEL_*. */
#ifndef EDGECIM_ACCEL_DEV_H
#define EDGECIM_ACCEL_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "ecim_desc.h"
#include "edgecim_hw.h"

/* How a command list ended. */
typedef struct {
    uint32_t err_code; /* the device's ERR_CODE (EDGECIM_ERR_NONE: every descriptor ran) */
    uint32_t done;     /* descriptors queued (LIST_DONE) */
    int timeout;       /* the device was still busy after the budget */
} accel_list_result_t;

typedef struct accel_dev {
    void *ctx;
    ecim_hw_t hw;        /* the build: macro geometry, vector unit, limits */
    uint32_t mem_limit;  /* MEM_LIMIT: every range of a descriptor ends at or below it */
    const char *name;
    /* The device address of a matrix the backend's load_matrix loaded (device layout). */
    int (*matrix_addr)(void *ctx, uint64_t handle, uint32_t *addr);
    /* bytes of device DRAM, 256-aligned, kept until the backend is destroyed. ACCEL_ENOMEM. */
    int (*alloc)(void *ctx, uint64_t bytes, uint32_t *addr);
    int (*write)(void *ctx, uint32_t addr, const void *src, size_t n); /* a host DMA */
    int (*read)(void *ctx, uint32_t addr, void *dst, size_t n);
    int (*set_kv)(void *ctx, uint32_t base, uint32_t limit);           /* KV_BASE, KV_LIMIT */
    /* The ERR_CODE the device would latch for d queued at TOKEN_ID token, TOKEN_POS pos
     * (EDGECIM_ERR_NONE: it takes d): the device's own checks, fmt/ecim_desc.h. */
    uint32_t (*check)(void *ctx, const ecim_desc_t *d, uint32_t token, uint32_t pos);
    /* Runs the count descriptors at addr with TOKEN_ID token and TOKEN_POS pos and returns when
     * the device is idle (or after budget cycles on a timed device). ACCEL_OK when every
     * descriptor ran; ACCEL_EDEVICE otherwise, *r says why. */
    int (*run_list)(void *ctx, uint32_t addr, uint32_t count, uint32_t token, uint32_t pos, uint64_t budget,
                    accel_list_result_t *r);
    /* Cycles spent running GEMVs and vector ops since the device was created (the C model's
     * simulation-only counters); NULL on a device without them. */
    void (*unit_cycles)(void *ctx, uint64_t *gemv, uint64_t *vu);
} accel_dev_t;

#endif
