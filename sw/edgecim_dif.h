/* SPDX-License-Identifier: Apache-2.0 */
/* DIF-style driver of the EdgeCIM accelerator (registers: docs/REGISTERS.md, sw/edgecim_regs.h).
 *
 * Every call returns an edgecim_status_t.  Arguments are checked before any register is
 * touched: a call that returns EDGECIM_BAD_ARG has made no bus access.  The device's own checks
 * (ERR_CODE) come back as EDGECIM_DEVICE_ERROR with the code in dif->last_err; the driver then
 * clears the error so that the next command starts clean.  All register access goes through
 * the MMIO layer (sw/edgecim_mmio.h); the driver has no idea which backend is behind it. */
#ifndef EDGECIM_DIF_H
#define EDGECIM_DIF_H

#include <stddef.h>
#include <stdint.h>

#include "edgecim_mmio.h"
#include "edgecim_hw.h"
#include "edgecim_regs.h"

typedef enum {
    EDGECIM_OK = 0,
    EDGECIM_BAD_ARG = 1,       /* refused by the driver, no register touched */
    EDGECIM_DEVICE_ERROR = 2,  /* the device refused a command (dif->last_err = ERR_CODE) or the
                                  simulated bus/memory faulted (dif->last_err = 0) */
    EDGECIM_TIMEOUT = 3,       /* still busy after the given number of cycles */
    EDGECIM_BAD_ID = 4,        /* ID register is not EDGECIM_ID_VALUE: no or another device */
    EDGECIM_NO_MEMORY = 5,     /* device DRAM allocator exhausted */
    EDGECIM_UNSUPPORTED = 6,   /* the hardware or backend lacks it (e.g. WBits != 4) */
} edgecim_status_t;

const char *edgecim_status_name(edgecim_status_t s);

/* Build parameters, from HWCFG (max_k: see edgecim_dif_init). */
typedef struct {
    int ntiles, nmacros, nres, data_bytes, wbits, abits, queue_depth;
    uint32_t max_k;
} edgecim_hwinfo_t;

typedef struct {
    edgecim_mmio_t *mmio;
    edgecim_hwinfo_t hw;
    uint32_t id, hwcfg;
    uint32_t mem_limit;  /* MEM_LIMIT as programmed */
    uint32_t last_err;   /* ERR_CODE behind the last EDGECIM_DEVICE_ERROR */
    uint32_t ctrl;       /* shadow of CTRL.IRQ_EN */
    uint32_t heap_base, heap; /* DRAM bump allocator: [heap_base, heap) is allocated */
    int ready;           /* edgecim_dif_init succeeded */
} edgecim_dif_t;

#define EDGECIM_ALIGN 16u          /* every buffer address (docs/NUMERICS.md) */
#define EDGECIM_DIF_HEAP_BASE 0x1000u /* DRAM below it is never handed out (address 0 = none) */

/* Command flags (CMD_FLAGS). */
#define EDGECIM_GEMV_BIAS     EDGECIM_CMD_FLAGS_BIAS
#define EDGECIM_GEMV_ACCUM    EDGECIM_CMD_FLAGS_ACCUM
#define EDGECIM_GEMV_RES_LOAD EDGECIM_CMD_FLAGS_RES_LOAD
#define EDGECIM_GEMV_RES_USE  EDGECIM_CMD_FLAGS_RES_USE
#define EDGECIM_GEMV_RES_BASE(b) ((uint32_t)(b) << EDGECIM_CMD_FLAGS_RES_BASE_LSB)

typedef struct {
    uint32_t w_addr, x_addr, y_addr, b_addr; /* byte addresses in device DRAM */
    uint32_t k, n;
    uint32_t flags;                          /* EDGECIM_GEMV_* */
} edgecim_gemv_desc_t;

/* Bytes each buffer of a GEMV occupies in device DRAM (docs/NUMERICS.md). */
uint64_t edgecim_dif_w_bytes(uint32_t k, uint32_t n, int wbits);
uint64_t edgecim_dif_x_bytes(uint32_t k);
uint64_t edgecim_dif_y_bytes(uint32_t n); /* y and bias: 16 * ceil(N/2) */

/* Brings the device up: reads ID (EDGECIM_BAD_ID if wrong) and HWCFG, finds MaxK (HWCFG has no
 * field for it: max_k != 0 is taken as given, max_k == 0 probes it with refused descriptors),
 * clears any error and interrupt, sets MEM_LIMIT to mem_limit (0: the backend's DRAM size) and
 * reads it back.  Interrupts stay disabled. */
edgecim_status_t edgecim_dif_init(edgecim_dif_t *dif, edgecim_mmio_t *mmio, uint32_t mem_limit, uint32_t max_k);

/* The driver's version of the device's descriptor checks; no register access. */
edgecim_status_t edgecim_dif_gemv_check(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d);
/* Checks, writes CMD_* and CMD_PUSH, then reads ERR_CODE: EDGECIM_DEVICE_ERROR if refused. */
edgecim_status_t edgecim_dif_gemv_submit(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d);
/* Polls STATUS.BUSY until it drops (sleeping between polls until the interrupt or a short
 * timer); EDGECIM_TIMEOUT after timeout_cycles device cycles. */
edgecim_status_t edgecim_dif_wait_idle(edgecim_dif_t *dif, uint64_t timeout_cycles);

edgecim_status_t edgecim_dif_status(edgecim_dif_t *dif, uint32_t *status);
edgecim_status_t edgecim_dif_error_read(edgecim_dif_t *dif, uint32_t *err_code);
edgecim_status_t edgecim_dif_error_clear(edgecim_dif_t *dif);
edgecim_status_t edgecim_dif_irq_enable(edgecim_dif_t *dif, int enable);
edgecim_status_t edgecim_dif_irq_status(edgecim_dif_t *dif, uint32_t *irq_status);
edgecim_status_t edgecim_dif_irq_clear(edgecim_dif_t *dif, uint32_t mask); /* IRQ_STATUS bits */
/* The device's cycle counter (CYCLES_LO, which latches CYCLES_HI, then CYCLES_HI). */
edgecim_status_t edgecim_dif_cycles(edgecim_dif_t *dif, uint64_t *cycles);
edgecim_status_t edgecim_dif_cmds_done(edgecim_dif_t *dif, uint32_t *n);

/* Device DRAM: a 16-byte aligned bump allocator over [EDGECIM_DIF_HEAP_BASE, MEM_LIMIT), and
 * backdoor copies (a host DMA), bounds-checked against the backend's memory. */
edgecim_status_t edgecim_dif_alloc(edgecim_dif_t *dif, uint64_t bytes, uint32_t *addr);
void edgecim_dif_alloc_reset(edgecim_dif_t *dif, uint32_t mark); /* frees everything from mark on */
edgecim_status_t edgecim_dif_dram_write(edgecim_dif_t *dif, uint32_t addr, const void *src, size_t n);
edgecim_status_t edgecim_dif_dram_read(edgecim_dif_t *dif, uint32_t addr, void *dst, size_t n);

#endif
