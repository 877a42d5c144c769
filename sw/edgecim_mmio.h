/* SPDX-License-Identifier: Apache-2.0 */
/* The one place the driver touches the device: 32-bit register access on the MMIO bus, the
 * passage of time, the interrupt line and the device DRAM (a backdoor, as a host DMA would
 * fill it).  A backend (sw/backend.h) fills an edgecim_mmio_t; sw/edgecim_dif.c only ever calls
 * these functions, so the same driver runs over the C model, the Verilator RTL or a real bus.
 *
 * Time is the device clock: every bus access costs the cycles the bus takes (a read waits for
 * its data), wait() lets cycles pass without bus traffic (the CPU sleeping until an interrupt
 * or a timer).  The access counters make "no register was touched" testable. */
#ifndef EDGECIM_MMIO_H
#define EDGECIM_MMIO_H

#include <stddef.h>
#include <stdint.h>

typedef struct edgecim_mmio {
    void *ctx;
    uint32_t (*read32)(void *ctx, uint32_t off);
    void (*write32)(void *ctx, uint32_t off, uint32_t v);
    /* Lets up to max_cycles cycles pass with the bus idle; returns early when the interrupt
     * line is high.  Returns 1 if irq is high on return, 0 if the time ran out. */
    int (*wait)(void *ctx, uint64_t max_cycles);
    /* Device DRAM as host memory (NULL if the backend has none); *size in bytes. */
    uint8_t *(*dram)(void *ctx, size_t *size);
    /* Device clock cycles simulated since the backend was created (host side: for timeouts;
     * the driver reports the device's own CYCLES counter). */
    uint64_t (*cycles)(void *ctx);
    /* A sticky simulation failure (e.g. the DRAM model saw an access out of range): NULL if
     * none.  The DIF turns it into EDGECIM_DEVICE_ERROR. */
    const char *(*fault)(void *ctx);
    /* Simulation-only: cycles the device spent running GEMVs and vector ops since it was created
     * (the C model's observation counters, cmodel/edgecim_model.h); NULL if the backend has none. */
    void (*unit_cycles)(void *ctx, uint64_t *gemv, uint64_t *vu);
    void (*destroy)(void *ctx);
    const char *name;
    /* Bus accesses made through edgecim_mmio_read32/write32 (tests count them). */
    uint64_t n_reads, n_writes;
} edgecim_mmio_t;

/* Every register access of the driver goes through these two. */
static inline uint32_t edgecim_mmio_read32(edgecim_mmio_t *m, uint32_t off)
{
    m->n_reads++;
    return m->read32(m->ctx, off);
}

static inline void edgecim_mmio_write32(edgecim_mmio_t *m, uint32_t off, uint32_t v)
{
    m->n_writes++;
    m->write32(m->ctx, off, v);
}

/* Releases the backend (safe on a zeroed struct). */
void edgecim_mmio_close(edgecim_mmio_t *m);

#endif
