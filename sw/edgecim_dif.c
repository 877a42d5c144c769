/* DIF-style driver of the EdgeCIM accelerator: see edgecim_dif.h. */
#include "edgecim_dif.h"

#include <string.h>

#define BIT(name) (EDGECIM_##name##_MASK << EDGECIM_##name##_LSB)

/* Cycles the driver sleeps between two polls of STATUS when no interrupt wakes it. */
#define POLL_CYCLES 64u

/* Every CMD_FLAGS bit the device defines; any other bit set is BAD_FLAGS. */
static const uint32_t FLAGS_DEFINED = BIT(CMD_FLAGS_BIAS) | BIT(CMD_FLAGS_ACCUM) | BIT(CMD_FLAGS_RES_LOAD) |
                                      BIT(CMD_FLAGS_RES_USE) | BIT(CMD_FLAGS_RES_BASE) | BIT(CMD_FLAGS_WBITS) |
                                      BIT(CMD_FLAGS_BATCH_M1);

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

/* ---- buffer sizes: the generated formulas, for a macro geometry --------------------------- */
uint64_t edgecim_dif_w_bytes(const ecim_geom_t *g, uint32_t k, uint32_t n, int wbits)
{
    return ecim_w_bytes(k, n, (uint64_t)g->rows, (uint64_t)g->cols, (uint64_t)wbits);
}
uint64_t edgecim_dif_x_stride(uint32_t k) { return ecim_x_stride(k); }
uint64_t edgecim_dif_x_bytes(uint32_t k, int batch) { return ecim_x_bytes(k, (uint64_t)batch); }
uint64_t edgecim_dif_y_stride(const ecim_geom_t *g, uint32_t n) { return ecim_y_stride(n, (uint64_t)g->cols); }
uint64_t edgecim_dif_y_bytes(const ecim_geom_t *g, uint32_t n, int batch)
{
    return ecim_y_bytes(n, (uint64_t)g->cols, (uint64_t)batch);
}
uint64_t edgecim_dif_b_bytes(const ecim_geom_t *g, uint32_t n) { return ecim_b_bytes(n, (uint64_t)g->cols); }

int edgecim_dif_max_batch(const edgecim_hwinfo_t *hw, uint32_t k)
{
    if (k == 0 || k > hw->max_k) return 0;
    uint64_t fit = (uint64_t)hw->cfg.act_bytes / ecim_kpad(k);
    return (int)ecim_min_u64(fit, (uint64_t)hw->cfg.max_batch);
}

/* ---- register access ---------------------------------------------------------------------- */
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

/* ---- bring-up ----------------------------------------------------------------------------- */
/* The build parameters HWCFG and HWCFG2 report; mem_bytes is what MEM_LIMIT reads. */
static ecim_hw_t decode_hwcfg(uint32_t hwcfg, uint32_t hwcfg2, uint32_t mem_limit)
{
    ecim_hwcfg_t a = ecim_hwcfg_unpack(hwcfg);
    ecim_hwcfg2_t b = ecim_hwcfg2_unpack(hwcfg2);
    ecim_hw_t h = {.ntiles = (int)a.ntiles_m1 + 1,
                   .nmacros = (int)a.nmacros_m1 + 1,
                   .nres = (int)a.nres,
                   .max_wbits = (int)a.wbits,
                   .abits = (int)a.abits,
                   .data_bytes = 1 << a.data_bytes_log2,
                   .macro_rows = 1 << b.macro_rows_log2,
                   .macro_cols = 1 << b.macro_cols_log2,
                   .ppu_cols = 1 << b.ppu_cols_log2,
                   .act_bytes = (int)(1u << b.act_bytes_log2),
                   .max_batch = (int)a.max_batch_m1 + 1,
                   .fifo_beats = 1 << b.fifo_beats_log2,
                   .max_burst = (int)b.max_burst,
                   .queue_depth = (int)a.queue_depth,
                   .mem_bytes = mem_limit};
    return h;
}

/* A legal build?  MEM_LIMIT is writable, so the mem_bytes init read need not be a legal
 * MemBytes: every other parameter must pass the RTL's own check. */
static int legal_build(const ecim_hw_t *h)
{
    ecim_hw_t c = *h;
    c.mem_bytes = ECIM_HW_CONFIGS[0].hw.mem_bytes;
    return ecim_hw_check(&c, NULL, 0) == 0;
}

static int mmio_usable(const edgecim_mmio_t *m)
{
    return m && m->read32 && m->write32 && m->wait && m->cycles;
}

/* mem_limit as init programs it (0: the DRAM, rounded down to the alignment), or 0 if unusable. */
static uint32_t mem_limit_for(const edgecim_mmio_t *mmio, uint32_t mem_limit)
{
    size_t dram_size = 0;
    if (mmio->dram) mmio->dram(mmio->ctx, &dram_size);
    if (mem_limit == 0) mem_limit = (uint32_t)ecim_min_u64(dram_size, UINT32_MAX) / EDGECIM_ALIGN * EDGECIM_ALIGN;
    if (mem_limit <= EDGECIM_DIF_HEAP_BASE || (dram_size && mem_limit > dram_size)) return 0;
    return mem_limit;
}

edgecim_status_t edgecim_dif_init(edgecim_dif_t *dif, edgecim_mmio_t *mmio, uint32_t mem_limit)
{
    if (!dif || !mmio_usable(mmio)) return EDGECIM_BAD_ARG;
    uint32_t limit = mem_limit_for(mmio, mem_limit);
    if (!limit) return EDGECIM_BAD_ARG;
    memset(dif, 0, sizeof *dif);
    dif->mmio = mmio;
    dif->id = rd(dif, EDGECIM_REG_ID);
    if (dif->id != EDGECIM_ID_VALUE) return EDGECIM_BAD_ID;
    dif->hwcfg = rd(dif, EDGECIM_REG_HWCFG);
    dif->hwcfg2 = rd(dif, EDGECIM_REG_HWCFG2);
    dif->hw.cfg = decode_hwcfg(dif->hwcfg, dif->hwcfg2, rd(dif, EDGECIM_REG_MEM_LIMIT));
    if (!legal_build(&dif->hw.cfg)) return EDGECIM_UNSUPPORTED;
    dif->hw.geom = ecim_geom_of(&dif->hw.cfg);
    dif->hw.max_k = (uint32_t)ecim_min_u64((uint64_t)dif->hw.cfg.act_bytes, ECIM_MAX_K);
    wr(dif, EDGECIM_REG_CTRL, BIT(CTRL_CLEAR_ERR)); /* interrupts off, no error pending */
    wr(dif, EDGECIM_REG_IRQ_STATUS, BIT(IRQ_STATUS_DONE) | BIT(IRQ_STATUS_ERROR));
    wr(dif, EDGECIM_REG_MEM_LIMIT, limit);
    if (rd(dif, EDGECIM_REG_MEM_LIMIT) != limit || faulted(dif)) return EDGECIM_DEVICE_ERROR;
    dif->mem_limit = limit;
    dif->heap_base = dif->heap = EDGECIM_DIF_HEAP_BASE;
    dif->ready = 1;
    return EDGECIM_OK;
}

/* ---- the descriptor checks of the device -------------------------------------------------- */
static int flag(uint32_t flags, uint32_t bit) { return (flags & bit) != 0; }

static int misaligned(const edgecim_gemv_desc_t *d)
{
    const uint32_t a = EDGECIM_ALIGN - 1;
    return (!flag(d->flags, EDGECIM_GEMV_RES_USE) && (d->w_addr & a)) || (d->x_addr & a) || (d->y_addr & a) ||
           (flag(d->flags, EDGECIM_GEMV_BIAS) && (d->b_addr & a));
}

static int ends_beyond(uint32_t addr, uint64_t bytes, uint32_t limit) { return (uint64_t)addr + bytes > limit; }

/* Some buffer ends beyond MEM_LIMIT.  K and N have passed TOO_LARGE, so every end is below
 * 2^42 and the device's 48-bit arithmetic (ECIM_CHECK_BITS) cannot wrap: 64 bits give the same. */
static int out_of_range(const edgecim_hwinfo_t *hw, uint32_t limit, const edgecim_gemv_desc_t *d)
{
    const ecim_geom_t *g = &hw->geom;
    int wbits = edgecim_gemv_flags_wbits(d->flags), batch = edgecim_gemv_flags_batch(d->flags);
    return (!flag(d->flags, EDGECIM_GEMV_RES_USE) && ends_beyond(d->w_addr, edgecim_dif_w_bytes(g, d->k, d->n, wbits), limit)) ||
           ends_beyond(d->x_addr, edgecim_dif_x_bytes(d->k, batch), limit) ||
           ends_beyond(d->y_addr, edgecim_dif_y_bytes(g, d->n, batch), limit) ||
           (flag(d->flags, EDGECIM_GEMV_BIAS) && ends_beyond(d->b_addr, edgecim_dif_b_bytes(g, d->n), limit));
}

/* Resident commands: the blocks of a tile from RES_BASE on must fit in its NRes macros. */
static int resident_overflow(const edgecim_hwinfo_t *hw, const edgecim_gemv_desc_t *d)
{
    if (!flag(d->flags, EDGECIM_GEMV_RES_LOAD) && !flag(d->flags, EDGECIM_GEMV_RES_USE)) return 0;
    uint64_t base = d->flags >> EDGECIM_CMD_FLAGS_RES_BASE_LSB & EDGECIM_CMD_FLAGS_RES_BASE_MASK;
    uint64_t blocks = ecim_tile_blocks(d->k, d->n, (uint64_t)hw->geom.rows, (uint64_t)hw->geom.cols,
                                       (uint64_t)hw->cfg.ntiles);
    return base + blocks > (uint64_t)hw->cfg.nres;
}

/* The ERR_CODE the device latches for d: its rules in its order, the first that fails. */
static uint32_t descriptor_error(const edgecim_hwinfo_t *hw, uint32_t limit, const edgecim_gemv_desc_t *d)
{
    uint32_t f = d->flags;
    int wbits = edgecim_gemv_flags_wbits(f);
    if ((f & ~FLAGS_DEFINED) || (flag(f, EDGECIM_GEMV_RES_LOAD) && flag(f, EDGECIM_GEMV_RES_USE)))
        return EDGECIM_ERR_BAD_FLAGS;
    if (d->k == 0 || d->n == 0) return EDGECIM_ERR_ZERO_SIZE;
    if (d->k > hw->max_k || d->n > ECIM_MAX_N) return EDGECIM_ERR_TOO_LARGE;
    if (!ecim_wbits_ok(wbits) || wbits > hw->cfg.max_wbits) return EDGECIM_ERR_BAD_PRECISION;
    if (edgecim_gemv_flags_batch(f) > edgecim_dif_max_batch(hw, d->k)) return EDGECIM_ERR_BAD_BATCH;
    if (misaligned(d)) return EDGECIM_ERR_MISALIGNED;
    if (out_of_range(hw, limit, d)) return EDGECIM_ERR_OUT_OF_RANGE;
    if (resident_overflow(hw, d)) return EDGECIM_ERR_RESIDENT_RANGE;
    return EDGECIM_ERR_NONE;
}

edgecim_status_t edgecim_dif_gemv_check(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d, uint32_t *err_code)
{
    uint32_t code = EDGECIM_ERR_NONE;
    edgecim_status_t s = EDGECIM_BAD_ARG;
    if (dif && dif->ready && d) {
        code = descriptor_error(&dif->hw, dif->mem_limit, d);
        s = code == EDGECIM_ERR_NONE ? EDGECIM_OK : EDGECIM_BAD_ARG;
    }
    if (err_code) *err_code = code;
    return s;
}

edgecim_status_t edgecim_dif_gemv_submit(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    edgecim_status_t s = edgecim_dif_gemv_check(dif, d, NULL);
    if (s != EDGECIM_OK) return s;
    uint32_t code = push(dif, d);
    if (code != EDGECIM_ERR_NONE || faulted(dif)) {
        dif->last_err = code;
        return EDGECIM_DEVICE_ERROR;
    }
    return EDGECIM_OK;
}

edgecim_status_t edgecim_dif_gemv_push_unchecked(edgecim_dif_t *dif, const edgecim_gemv_desc_t *d, uint32_t *err_code)
{
    if (!dif || !dif->ready || !d || !err_code) return EDGECIM_BAD_ARG;
    *err_code = push(dif, d);
    if (!faulted(dif)) return EDGECIM_OK;
    dif->last_err = 0;
    return EDGECIM_DEVICE_ERROR;
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

/* ---- device DRAM ------------------------------------------------------------------------- */
edgecim_status_t edgecim_dif_alloc(edgecim_dif_t *dif, uint64_t bytes, uint32_t *addr)
{
    if (!dif || !dif->ready || !addr || bytes == 0) return EDGECIM_BAD_ARG;
    uint64_t a = ((uint64_t)dif->heap + EDGECIM_ALIGN - 1) / EDGECIM_ALIGN * EDGECIM_ALIGN;
    if (a > dif->mem_limit || bytes > dif->mem_limit - a) return EDGECIM_NO_MEMORY; /* no wrap-around */
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
