/* SPDX-License-Identifier: Apache-2.0 */
/* DIF-style driver of the EdgeCIM accelerator: see edgecim_dif.h. */
#include "edgecim_dif.h"

#include <string.h>

#define FIELD(v, name) (((v) >> EDGECIM_##name##_LSB) & EDGECIM_##name##_MASK)
#define BIT(name) (EDGECIM_##name##_MASK << EDGECIM_##name##_LSB)

/* Cycles the driver sleeps between two polls of STATUS when no interrupt wakes it. */
#define POLL_CYCLES 64u

static const uint32_t FLAGS_DEFINED = BIT(CMD_FLAGS_BIAS) | BIT(CMD_FLAGS_ACCUM) | BIT(CMD_FLAGS_RES_LOAD) |
                                      BIT(CMD_FLAGS_RES_USE) | BIT(CMD_FLAGS_RES_BASE);

const char *edgecim_status_name(edgecim_status_t s)
{
    switch (s) {
    case EDGECIM_OK: return "OK";
    case EDGECIM_BAD_ARG: return "BAD_ARG";
    case EDGECIM_DEVICE_ERROR: return "DEVICE_ERROR";
    case EDGECIM_TIMEOUT: return "TIMEOUT";
    case EDGECIM_BAD_ID: return "BAD_ID";
    case EDGECIM_NO_MEMORY: return "NO_MEMORY";
    case EDGECIM_UNSUPPORTED: return "UNSUPPORTED";
    }
    return "?";
}

uint64_t edgecim_dif_w_bytes(uint32_t k, uint32_t n, int wbits) { return ecim_w_bytes(k, n, (uint64_t)wbits); }
uint64_t edgecim_dif_x_bytes(uint32_t k) { return ecim_x_bytes(k); }
uint64_t edgecim_dif_y_bytes(uint32_t n) { return ecim_y_bytes(n); }

static uint32_t rd(edgecim_dif_t *dif, uint32_t off) { return edgecim_mmio_read32(dif->mmio, off); }
static void wr(edgecim_dif_t *dif, uint32_t off, uint32_t v) { edgecim_mmio_write32(dif->mmio, off, v); }

static int faulted(const edgecim_dif_t *dif)
{
    return dif->mmio->fault && dif->mmio->fault(dif->mmio->ctx) != NULL;
}

/* Clears ERR_CODE/STATUS.ERROR and the ERROR interrupt cause. */
static void clear_error(edgecim_dif_t *dif)
{
    wr(dif, EDGECIM_REG_CTRL, dif->ctrl | BIT(CTRL_CLEAR_ERR));
    wr(dif, EDGECIM_REG_IRQ_STATUS, BIT(IRQ_STATUS_ERROR));
}

static void write_desc(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    wr(dif, EDGECIM_REG_CMD_W_ADDR, d->w_addr);
    wr(dif, EDGECIM_REG_CMD_X_ADDR, d->x_addr);
    wr(dif, EDGECIM_REG_CMD_Y_ADDR, d->y_addr);
    wr(dif, EDGECIM_REG_CMD_B_ADDR, d->b_addr);
    wr(dif, EDGECIM_REG_CMD_K, d->k);
    wr(dif, EDGECIM_REG_CMD_N, d->n);
    wr(dif, EDGECIM_REG_CMD_FLAGS, d->flags);
}

/* Pushes d and returns ERR_CODE (the error is cleared again if set). */
static uint32_t push(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    write_desc(dif, d);
    wr(dif, EDGECIM_REG_CMD_PUSH, 1);
    uint32_t code = rd(dif, EDGECIM_REG_ERR_CODE);
    if (code != EDGECIM_ERR_NONE) clear_error(dif);
    return code;
}

/* MaxK is a build parameter (a power of two >= 256) that HWCFG does not report: a descriptor
 * with K = p and a misaligned W is refused with TOO_LARGE if p > MaxK, else with MISALIGNED
 * (the device checks size before alignment).  A refused descriptor never runs. */
static edgecim_status_t probe_max_k(edgecim_dif_t *dif, uint32_t *max_k)
{
    uint32_t best = 0;
    for (uint32_t p = 256; p <= 65536; p *= 2) {
        edgecim_gemv_desc_t d = {1, 0, 0, 0, p, 1, 0};
        uint32_t code = push(dif, &d);
        if (code == EDGECIM_ERR_TOO_LARGE) break;
        if (code != EDGECIM_ERR_MISALIGNED) {
            dif->last_err = code;
            return EDGECIM_DEVICE_ERROR;
        }
        best = p;
    }
    if (!best) return EDGECIM_UNSUPPORTED;
    *max_k = best;
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_init(edgecim_dif_t *dif, edgecim_mmio_t *mmio, uint32_t mem_limit, uint32_t max_k)
{
    if (!dif || !mmio || !mmio->read32 || !mmio->write32 || !mmio->wait || !mmio->cycles) return EDGECIM_BAD_ARG;
    if (max_k && (max_k < 256 || (max_k & (max_k - 1)))) return EDGECIM_BAD_ARG;
    size_t dram_size = 0;
    if (mmio->dram) mmio->dram(mmio->ctx, &dram_size);
    if (mem_limit == 0) mem_limit = dram_size > 0xFFFFFFF0u ? 0xFFFFFFF0u : (uint32_t)dram_size;
    if (mem_limit <= EDGECIM_DIF_HEAP_BASE || (dram_size && mem_limit > dram_size)) return EDGECIM_BAD_ARG;
    memset(dif, 0, sizeof *dif);
    dif->mmio = mmio;
    dif->id = rd(dif, EDGECIM_REG_ID);
    if (dif->id != EDGECIM_ID_VALUE) return EDGECIM_BAD_ID;
    ecim_hwcfg_t h = ecim_hwcfg_unpack(dif->hwcfg = rd(dif, EDGECIM_REG_HWCFG));
    dif->hw = (edgecim_hwinfo_t){(int)h.ntiles, (int)h.nmacros,     (int)h.nres,        1 << h.data_bytes_log2,
                                 (int)h.wbits,  (int)h.abits,       (int)h.queue_depth, 0};
    if (dif->hw.ntiles < 1 || dif->hw.data_bytes > (int)EDGECIM_ALIGN) return EDGECIM_UNSUPPORTED;
    wr(dif, EDGECIM_REG_CTRL, BIT(CTRL_CLEAR_ERR)); /* interrupts off, no error pending */
    wr(dif, EDGECIM_REG_IRQ_STATUS, BIT(IRQ_STATUS_DONE) | BIT(IRQ_STATUS_ERROR));
    wr(dif, EDGECIM_REG_MEM_LIMIT, mem_limit);
    if (rd(dif, EDGECIM_REG_MEM_LIMIT) != mem_limit) return EDGECIM_DEVICE_ERROR;
    dif->mem_limit = mem_limit;
    if (max_k) {
        dif->hw.max_k = max_k;
    } else {
        edgecim_status_t s = probe_max_k(dif, &dif->hw.max_k);
        if (s != EDGECIM_OK) return s;
    }
    if (faulted(dif)) return EDGECIM_DEVICE_ERROR;
    dif->heap_base = dif->heap = EDGECIM_DIF_HEAP_BASE;
    dif->ready = 1;
    return EDGECIM_OK;
}

static int range_ok(uint32_t addr, uint64_t bytes, uint32_t limit) { return (uint64_t)addr + bytes <= limit; }

edgecim_status_t edgecim_dif_gemv_check(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    if (!dif || !dif->ready || !d) return EDGECIM_BAD_ARG;
    uint32_t f = d->flags;
    int res_load = (f & EDGECIM_GEMV_RES_LOAD) != 0, res_use = (f & EDGECIM_GEMV_RES_USE) != 0;
    int bias = (f & EDGECIM_GEMV_BIAS) != 0;
    if ((f & ~FLAGS_DEFINED) || (res_load && res_use)) return EDGECIM_BAD_ARG;
    if (d->k == 0 || d->k > dif->hw.max_k || d->n == 0 || d->n > ECIM_MAX_N) return EDGECIM_BAD_ARG;
    if ((!res_use && d->w_addr % EDGECIM_ALIGN) || d->x_addr % EDGECIM_ALIGN || d->y_addr % EDGECIM_ALIGN ||
        (bias && d->b_addr % EDGECIM_ALIGN))
        return EDGECIM_BAD_ARG;
    uint32_t lim = dif->mem_limit;
    if ((!res_use && !range_ok(d->w_addr, edgecim_dif_w_bytes(d->k, d->n, dif->hw.wbits), lim)) ||
        !range_ok(d->x_addr, edgecim_dif_x_bytes(d->k), lim) || !range_ok(d->y_addr, edgecim_dif_y_bytes(d->n), lim) ||
        (bias && !range_ok(d->b_addr, edgecim_dif_y_bytes(d->n), lim)))
        return EDGECIM_BAD_ARG;
    if (res_load || res_use) {
        uint64_t blocks = ecim_tile_blocks(d->k, d->n, ecim_log2u((uint64_t)dif->hw.ntiles));
        if (FIELD(f, CMD_FLAGS_RES_BASE) + blocks > (uint64_t)dif->hw.nres) return EDGECIM_BAD_ARG;
    }
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_gemv_submit(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    edgecim_status_t s = edgecim_dif_gemv_check(dif, d);
    if (s != EDGECIM_OK) return s;
    uint32_t code = push(dif, d);
    if (code != EDGECIM_ERR_NONE || faulted(dif)) {
        dif->last_err = code;
        return EDGECIM_DEVICE_ERROR;
    }
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_wait_idle(edgecim_dif_t *dif, uint64_t timeout_cycles)
{
    if (!dif || !dif->ready) return EDGECIM_BAD_ARG;
    edgecim_mmio_t *m = dif->mmio;
    uint64_t start = m->cycles(m->ctx);
    for (;;) {
        uint32_t st = rd(dif, EDGECIM_REG_STATUS);
        if (faulted(dif)) {
            dif->last_err = 0;
            return EDGECIM_DEVICE_ERROR;
        }
        if (st & BIT(STATUS_ERROR)) {
            dif->last_err = rd(dif, EDGECIM_REG_ERR_CODE);
            clear_error(dif);
            return EDGECIM_DEVICE_ERROR;
        }
        if (!(st & BIT(STATUS_BUSY))) return EDGECIM_OK;
        uint64_t spent = m->cycles(m->ctx) - start;
        if (spent >= timeout_cycles) return EDGECIM_TIMEOUT;
        uint64_t left = timeout_cycles - spent;
        m->wait(m->ctx, left < POLL_CYCLES ? left : POLL_CYCLES);
    }
}

edgecim_status_t edgecim_dif_status(edgecim_dif_t *dif, uint32_t *status)
{
    if (!dif || !dif->ready || !status) return EDGECIM_BAD_ARG;
    *status = rd(dif, EDGECIM_REG_STATUS);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_error_read(edgecim_dif_t *dif, uint32_t *err_code)
{
    if (!dif || !dif->ready || !err_code) return EDGECIM_BAD_ARG;
    *err_code = rd(dif, EDGECIM_REG_ERR_CODE);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_error_clear(edgecim_dif_t *dif)
{
    if (!dif || !dif->ready) return EDGECIM_BAD_ARG;
    clear_error(dif);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_irq_enable(edgecim_dif_t *dif, int enable)
{
    if (!dif || !dif->ready) return EDGECIM_BAD_ARG;
    dif->ctrl = enable ? BIT(CTRL_IRQ_EN) : 0;
    wr(dif, EDGECIM_REG_CTRL, dif->ctrl);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_irq_status(edgecim_dif_t *dif, uint32_t *irq_status)
{
    if (!dif || !dif->ready || !irq_status) return EDGECIM_BAD_ARG;
    *irq_status = rd(dif, EDGECIM_REG_IRQ_STATUS);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_irq_clear(edgecim_dif_t *dif, uint32_t mask)
{
    if (!dif || !dif->ready || (mask & ~(BIT(IRQ_STATUS_DONE) | BIT(IRQ_STATUS_ERROR)))) return EDGECIM_BAD_ARG;
    wr(dif, EDGECIM_REG_IRQ_STATUS, mask);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_cycles(edgecim_dif_t *dif, uint64_t *cycles)
{
    if (!dif || !dif->ready || !cycles) return EDGECIM_BAD_ARG;
    uint32_t lo = rd(dif, EDGECIM_REG_CYCLES_LO); /* latches CYCLES_HI */
    uint32_t hi = rd(dif, EDGECIM_REG_CYCLES_HI);
    *cycles = (uint64_t)hi << 32 | lo;
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_cmds_done(edgecim_dif_t *dif, uint32_t *n)
{
    if (!dif || !dif->ready || !n) return EDGECIM_BAD_ARG;
    *n = rd(dif, EDGECIM_REG_CMDS_DONE);
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_alloc(edgecim_dif_t *dif, uint64_t bytes, uint32_t *addr)
{
    if (!dif || !dif->ready || !addr || bytes == 0) return EDGECIM_BAD_ARG;
    uint64_t a = ((uint64_t)dif->heap + EDGECIM_ALIGN - 1) / EDGECIM_ALIGN * EDGECIM_ALIGN;
    if (a + bytes > dif->mem_limit) return EDGECIM_NO_MEMORY;
    *addr = (uint32_t)a;
    dif->heap = (uint32_t)(a + bytes);
    return EDGECIM_OK;
}

void edgecim_dif_alloc_reset(edgecim_dif_t *dif, uint32_t mark)
{
    if (dif && mark >= dif->heap_base && mark <= dif->heap) dif->heap = mark;
}

static uint8_t *dram_span(edgecim_dif_t *dif, uint32_t addr, size_t n, edgecim_status_t *s)
{
    size_t size = 0;
    uint8_t *mem = dif->mmio->dram ? dif->mmio->dram(dif->mmio->ctx, &size) : NULL;
    *s = !mem ? EDGECIM_UNSUPPORTED : (uint64_t)addr + n > size ? EDGECIM_BAD_ARG : EDGECIM_OK;
    return mem;
}

edgecim_status_t edgecim_dif_dram_write(edgecim_dif_t *dif, uint32_t addr, const void *src, size_t n)
{
    if (!dif || !dif->ready || (!src && n)) return EDGECIM_BAD_ARG;
    edgecim_status_t s;
    uint8_t *mem = dram_span(dif, addr, n, &s);
    if (s == EDGECIM_OK && n) memcpy(mem + addr, src, n);
    return s;
}

edgecim_status_t edgecim_dif_dram_read(edgecim_dif_t *dif, uint32_t addr, void *dst, size_t n)
{
    if (!dif || !dif->ready || (!dst && n)) return EDGECIM_BAD_ARG;
    edgecim_status_t s;
    uint8_t *mem = dram_span(dif, addr, n, &s);
    if (s == EDGECIM_OK && n) memcpy(dst, mem + addr, n);
    return s;
}
