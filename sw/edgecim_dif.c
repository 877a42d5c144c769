/* SPDX-License-Identifier: Apache-2.0 */
/* DIF-style driver of the EdgeCIM accelerator: see edgecim_dif.h. */
#include "edgecim_dif.h"

#include <string.h>

#define BIT(name) (EDGECIM_##name##_MASK << EDGECIM_##name##_LSB)

/* Cycles the driver sleeps between two polls of STATUS when no interrupt wakes it. */
#define POLL_CYCLES 64u

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
    uint32_t w[ECIM_DESC_WORDS];
    ecim_desc_to_words(d, w);
    for (uint32_t i = 0; i < ECIM_DESC_REGS; i++) wr(dif, EDGECIM_REG_CMD_W_ADDR + 4 * i, w[i]);
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
/* The build parameters HWCFG, HWCFG2 and HWCFG3 report (the generated decoders of
 * include/edgecim_hw.h); mem_bytes is what MEM_LIMIT reads. */
static ecim_hw_t decode_hwcfg(const uint32_t cfg[3], uint32_t mem_limit)
{
    ecim_hw_t h = {0};
    ecim_hwcfg_decode(cfg[0], &h);
    ecim_hwcfg2_decode(cfg[1], &h);
    ecim_hwcfg3_decode(cfg[2], &h);
    h.mem_bytes = mem_limit;
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
    dif->hwcfg3 = rd(dif, EDGECIM_REG_HWCFG3);
    const uint32_t cfg[3] = {dif->hwcfg, dif->hwcfg2, dif->hwcfg3};
    dif->hw.cfg = decode_hwcfg(cfg, rd(dif, EDGECIM_REG_MEM_LIMIT));
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
static uint32_t descriptor_error(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d)
{
    ecim_check_ctx_t x = {dif->mem_limit, dif->kv_base, dif->kv_limit};
    ecim_cand_t c = ecim_cand_of(d, dif->token_pos, dif->token_id);
    return (uint32_t)ecim_cand_error(&dif->hw.cfg, &x, &c);
}

edgecim_status_t edgecim_dif_gemv_check(const edgecim_dif_t *dif, const edgecim_gemv_desc_t *d, uint32_t *err_code)
{
    uint32_t code = EDGECIM_ERR_NONE;
    edgecim_status_t s = EDGECIM_BAD_ARG;
    if (dif && dif->ready && d) {
        code = descriptor_error(dif, d);
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

edgecim_status_t edgecim_dif_set_token(edgecim_dif_t *dif, uint32_t id, uint32_t pos)
{
    if (!dif || !dif->ready || pos > 0xFFFF) return EDGECIM_BAD_ARG;
    wr(dif, EDGECIM_REG_TOKEN_ID, id);
    wr(dif, EDGECIM_REG_TOKEN_POS, pos);
    dif->token_id = id;
    dif->token_pos = pos;
    return faulted(dif) ? EDGECIM_DEVICE_ERROR : EDGECIM_OK;
}

edgecim_status_t edgecim_dif_set_kv(edgecim_dif_t *dif, uint32_t base, uint32_t limit)
{
    if (!dif || !dif->ready || ((base | limit) & (EDGECIM_ALIGN - 1)) || base > limit || limit > dif->mem_limit)
        return EDGECIM_BAD_ARG;
    wr(dif, EDGECIM_REG_KV_BASE, base);
    wr(dif, EDGECIM_REG_KV_LIMIT, limit);
    dif->kv_base = base;
    dif->kv_limit = limit;
    return faulted(dif) ? EDGECIM_DEVICE_ERROR : EDGECIM_OK;
}

edgecim_status_t edgecim_dif_list_start(edgecim_dif_t *dif, uint32_t addr, uint32_t count)
{
    uint64_t end = (uint64_t)addr + (uint64_t)count * ECIM_DESC_BYTES;
    if (!dif || !dif->ready || count == 0 || count > 0xFFFF || (addr & (EDGECIM_ALIGN - 1)) ||
        (end + EDGECIM_ALIGN - 1) / EDGECIM_ALIGN * EDGECIM_ALIGN > dif->mem_limit)
        return EDGECIM_BAD_ARG;
    wr(dif, EDGECIM_REG_LIST_ADDR, addr);
    wr(dif, EDGECIM_REG_LIST_COUNT, count);
    wr(dif, EDGECIM_REG_LIST_START, 1);
    uint32_t code = rd(dif, EDGECIM_REG_ERR_CODE);
    if (code != EDGECIM_ERR_NONE) {
        clear_error(dif);
        dif->last_err = code;
        return EDGECIM_DEVICE_ERROR;
    }
    return faulted(dif) ? EDGECIM_DEVICE_ERROR : EDGECIM_OK;
}

edgecim_status_t edgecim_dif_list_done(edgecim_dif_t *dif, uint32_t *n)
{
    if (!dif || !dif->ready || !n) return EDGECIM_BAD_ARG;
    *n = rd(dif, EDGECIM_REG_LIST_DONE);
    return faulted(dif) ? EDGECIM_DEVICE_ERROR : EDGECIM_OK;
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
