/* SPDX-License-Identifier: Apache-2.0 */
/* DIF-style driver of the EdgeCIM accelerator, register map v2 (docs/REGISTERS.md,
 * include/edgecim_regs.h; the hardware's shape: include/edgecim_hw.h, docs/HW_CONFIG.md).
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

#include "ecim_desc.h"
#include "ecim_fmt.h"
#include "edgecim_hw.h"
#include "edgecim_mmio.h"
#include "edgecim_regs.h"

typedef enum {
    EDGECIM_OK = 0,
    EDGECIM_BAD_ARG = 1,       /* refused by the driver, no register touched */
    EDGECIM_DEVICE_ERROR = 2,  /* the device refused a command (dif->last_err = ERR_CODE) or the
                                  simulated bus/memory faulted (dif->last_err = 0) */
    EDGECIM_TIMEOUT = 3,       /* still busy after the given number of cycles */
    EDGECIM_BAD_ID = 4,        /* ID register is not EDGECIM_ID_VALUE: no or another device */
    EDGECIM_NO_MEMORY = 5,     /* device DRAM allocator exhausted */
    EDGECIM_UNSUPPORTED = 6,   /* HWCFG/HWCFG2 describe no legal build, or the backend lacks it */
} edgecim_status_t;

const char *edgecim_status_name(edgecim_status_t s);

/* What the device is, read from HWCFG and HWCFG2 at bring-up. */
typedef struct {
    ecim_hw_t cfg;     /* every build parameter; cfg.mem_bytes is MEM_LIMIT as init found it (the
                          reset value MemBytes, unless software wrote MEM_LIMIT since reset) */
    ecim_geom_t geom;  /* MacroRows x MacroCols: the device layout of weight matrices */
    uint32_t max_k;    /* largest K of a command: min(ActBytes, ECIM_MAX_K) */
} edgecim_hwinfo_t;

typedef struct edgecim_dif {
    edgecim_mmio_t *mmio;
    edgecim_hwinfo_t hw;
    uint32_t id, hwcfg, hwcfg2, hwcfg3;
    uint32_t mem_limit;  /* MEM_LIMIT as programmed */
    uint32_t token_id, token_pos, kv_base, kv_limit; /* TOKEN_*, KV_* as programmed */
    uint32_t last_err;   /* ERR_CODE behind the last EDGECIM_DEVICE_ERROR */
    uint32_t ctrl;       /* shadow of CTRL.IRQ_EN */
    uint32_t heap_base, heap; /* DRAM bump allocator: [heap_base, heap) is allocated */
    int ready;           /* edgecim_dif_init succeeded */
} edgecim_dif_t;

#define EDGECIM_ALIGN ((uint32_t)ECIM_ALIGN) /* every DRAM address of a descriptor: 256 */
#define EDGECIM_DIF_HEAP_BASE 0x1000u         /* DRAM below it is never handed out (address 0 = none) */

/* Command flags (CMD_FLAGS).  WBITS and BATCH take the value itself (2, 4, 8; 1..16) and encode
 * the field; a value that does not fit is cut to the field's width, as the register would. */
#define EDGECIM_GEMV_BIAS     EDGECIM_CMD_FLAGS_BIAS
#define EDGECIM_GEMV_ACCUM    EDGECIM_CMD_FLAGS_ACCUM
#define EDGECIM_GEMV_RES_LOAD EDGECIM_CMD_FLAGS_RES_LOAD
#define EDGECIM_GEMV_RES_USE  EDGECIM_CMD_FLAGS_RES_USE
#define EDGECIM_GEMV_RES_BASE(b) (((uint32_t)(b) & EDGECIM_CMD_FLAGS_RES_BASE_MASK) << EDGECIM_CMD_FLAGS_RES_BASE_LSB)
#define EDGECIM_GEMV_WBITS(w) (((uint32_t)(w) & EDGECIM_CMD_FLAGS_WBITS_MASK) << EDGECIM_CMD_FLAGS_WBITS_LSB)
#define EDGECIM_GEMV_BATCH(b) ((((uint32_t)(b) - 1u) & EDGECIM_CMD_FLAGS_BATCH_M1_MASK) << EDGECIM_CMD_FLAGS_BATCH_M1_LSB)

/* The weight bits and the batch a CMD_FLAGS value asks for, as the device reads them
 * (WBITS 0 is 4 bits). */
static inline int edgecim_gemv_flags_wbits(uint32_t flags)
{
    unsigned w = flags >> EDGECIM_CMD_FLAGS_WBITS_LSB & EDGECIM_CMD_FLAGS_WBITS_MASK;
    return w ? (int)w : 4;
}
static inline int edgecim_gemv_flags_batch(uint32_t flags)
{
    return (int)(flags >> EDGECIM_CMD_FLAGS_BATCH_M1_LSB & EDGECIM_CMD_FLAGS_BATCH_M1_MASK) + 1;
}

/* One command: the descriptor words CMD_W_ADDR .. CMD_W_BYTES (fmt/ecim_desc.h); a GEMV leaves
 * op and the vector-op words 0. */
typedef ecim_desc_t edgecim_gemv_desc_t;

/* Bytes each buffer of a GEMV occupies in device DRAM for the macro geometry g (dif->hw.geom):
 * the generated formulas of include/edgecim_hw.h.  Vector b of a batch is at b * stride. */
uint64_t edgecim_dif_w_bytes(const ecim_geom_t *g, uint32_t k, uint32_t n, int wbits);
uint64_t edgecim_dif_x_stride(uint32_t k);
uint64_t edgecim_dif_x_bytes(uint32_t k, int batch);
uint64_t edgecim_dif_y_stride(const ecim_geom_t *g, uint32_t n);
uint64_t edgecim_dif_y_bytes(const ecim_geom_t *g, uint32_t n, int batch);
uint64_t edgecim_dif_b_bytes(const ecim_geom_t *g, uint32_t n);
/* The largest batch of K-input vectors one command takes: MaxBatch, and batch x roundup(K, 256)
 * <= ActBytes; 0 if K is 0 or above max_k. */
int edgecim_dif_max_batch(const edgecim_hwinfo_t *hw, uint32_t k);

/* Brings the device up: reads ID (EDGECIM_BAD_ID if wrong), HWCFG, HWCFG2 and MEM_LIMIT into
 * dif->hw (EDGECIM_UNSUPPORTED if they describe no legal build), clears any error and
 * interrupt, sets MEM_LIMIT to mem_limit (0: the backend's DRAM size, rounded down to 256) and
 * reads it back.  Interrupts stay disabled. */
edgecim_status_t edgecim_dif_init(edgecim_dif_t *dif, edgecim_mmio_t *mmio, uint32_t mem_limit);

/* The device's descriptor checks (fmt/ecim_desc.h: the same code the C model of the register file
 * runs), against dif->hw, dif->mem_limit, the KV region and TOKEN_POS/ID as programmed; no
 * register access.  EDGECIM_OK if the
 * device would queue d, else EDGECIM_BAD_ARG.  *err_code (may be NULL) gets the ERR_CODE the
 * device would latch (EDGECIM_ERR_NONE if it takes d, or if dif or d is unusable).  The one
 * refusal it cannot foresee is QUEUE_OVERFLOW: the queue is the device's state. */
edgecim_status_t edgecim_dif_gemv_check(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d, uint32_t *err_code);
/* Checks, writes CMD_* and CMD_PUSH, then reads ERR_CODE: EDGECIM_DEVICE_ERROR if refused. */
edgecim_status_t edgecim_dif_gemv_submit(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d);
/* Bring-up and tests only: writes d and CMD_PUSH without the driver's checks and gives the
 * device's verdict, ERR_CODE, in *err_code (then cleared).  A descriptor the device takes runs. */
edgecim_status_t edgecim_dif_gemv_push_unchecked(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d, uint32_t *err_code);
/* TOKEN_ID and TOKEN_POS (the token of a step: EMBED's row, the position descriptors add), and
 * the KV region [base, limit) the appends write (base, limit multiples of 256). */
edgecim_status_t edgecim_dif_set_token(edgecim_dif_t *dif, uint32_t id, uint32_t pos);
edgecim_status_t edgecim_dif_set_kv(edgecim_dif_t *dif, uint32_t base, uint32_t limit);
/* Starts the command list of count descriptors at addr (the device checks and queues each in
 * order); EDGECIM_DEVICE_ERROR if LIST_START itself is refused. */
edgecim_status_t edgecim_dif_list_start(edgecim_dif_t *dif, uint32_t addr, uint32_t count);
/* LIST_DONE: the descriptors of the last list queued so far (all of them once it ran; those
 * before the refused one otherwise). */
edgecim_status_t edgecim_dif_list_done(edgecim_dif_t *dif, uint32_t *n);
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

/* Device DRAM: a 256-byte aligned bump allocator over [EDGECIM_DIF_HEAP_BASE, MEM_LIMIT), and
 * backdoor copies (a host DMA), bounds-checked against the backend's memory. */
edgecim_status_t edgecim_dif_alloc(edgecim_dif_t *dif, uint64_t bytes, uint32_t *addr);
void edgecim_dif_alloc_reset(edgecim_dif_t *dif, uint32_t mark); /* frees everything from mark on */
edgecim_status_t edgecim_dif_dram_write(edgecim_dif_t *dif, uint32_t addr, const void *src, size_t n);
edgecim_status_t edgecim_dif_dram_read(edgecim_dif_t *dif, uint32_t addr, void *dst, size_t n);

#endif
