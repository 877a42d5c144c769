/* SPDX-License-Identifier: Apache-2.0 */
/* The device of the "cmodel" and "rtl" backends (sw/accel_dev.h) through the DIF driver: device
 * DRAM from the driver's allocator (above the matrices load_matrix placed: a matrix's handle is
 * its device address), backdoor copies, KV_BASE/KV_LIMIT, and a command list as TOKEN_ID/POS,
 * LIST_START and a wait for STATUS.BUSY to drop. */
#include <string.h>

#include "accel.h"
#include "accel_backends.h"
#include "accel_dev.h"
#include "edgecim_dif.h"
#include "edgecim_mmio.h"

static int status_rc(edgecim_status_t s)
{
    return s == EDGECIM_OK ? ACCEL_OK : s == EDGECIM_BAD_ARG ? ACCEL_EINVAL : s == EDGECIM_NO_MEMORY ? ACCEL_ENOMEM : ACCEL_EDEVICE;
}

static int hd_matrix_addr(void *ctx, uint64_t handle, uint32_t *addr)
{
    (void)ctx;
    if (handle == 0 || handle > UINT32_MAX) return ACCEL_EINVAL;
    *addr = (uint32_t)handle;
    return ACCEL_OK;
}

static int hd_alloc(void *ctx, uint64_t bytes, uint32_t *addr) { return status_rc(edgecim_dif_alloc(ctx, bytes, addr)); }
static int hd_write(void *ctx, uint32_t addr, const void *src, size_t n) { return status_rc(edgecim_dif_dram_write(ctx, addr, src, n)); }
static int hd_read(void *ctx, uint32_t addr, void *dst, size_t n) { return status_rc(edgecim_dif_dram_read(ctx, addr, dst, n)); }
static int hd_set_kv(void *ctx, uint32_t base, uint32_t limit) { return status_rc(edgecim_dif_set_kv(ctx, base, limit)); }

/* The driver's check against the registers as they will be: its copy with TOKEN_* set. */
static uint32_t hd_check(void *ctx, const ecim_desc_t *d, uint32_t token, uint32_t pos)
{
    edgecim_dif_t as_run = *(const edgecim_dif_t *)ctx;
    uint32_t code;
    as_run.token_id = token;
    as_run.token_pos = pos;
    edgecim_dif_gemv_check(&as_run, d, &code);
    return code;
}

/* After a refusal the commands queued before it still run: wait for them too, so that the next
 * list starts on an idle device. */
static void drain(edgecim_dif_t *dif, uint64_t budget)
{
    while (edgecim_dif_wait_idle(dif, budget) == EDGECIM_DEVICE_ERROR && dif->last_err)
        ;
}

static int hd_run_list(void *ctx, uint32_t addr, uint32_t count, uint32_t token, uint32_t pos, uint64_t budget,
                       accel_list_result_t *r)
{
    edgecim_dif_t *dif = ctx;
    memset(r, 0, sizeof *r);
    edgecim_status_t s = edgecim_dif_set_token(dif, token, pos);
    if (s == EDGECIM_OK) s = edgecim_dif_irq_clear(dif, EDGECIM_IRQ_STATUS_DONE | EDGECIM_IRQ_STATUS_ERROR);
    if (s == EDGECIM_OK) s = edgecim_dif_list_start(dif, addr, count);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(dif, budget);
    if (s == EDGECIM_DEVICE_ERROR) {
        r->err_code = dif->last_err;
        drain(dif, budget);
    }
    r->timeout = s == EDGECIM_TIMEOUT;
    edgecim_dif_list_done(dif, &r->done);
    return s == EDGECIM_OK && r->done == count ? ACCEL_OK : ACCEL_EDEVICE;
}

static void hd_unit_cycles(void *ctx, uint64_t *gemv, uint64_t *vu)
{
    const edgecim_mmio_t *m = ((edgecim_dif_t *)ctx)->mmio;
    m->unit_cycles(m->ctx, gemv, vu);
}

void accel_hw_dev_open(edgecim_dif_t *dif, const char *name, accel_dev_t *dev)
{
    *dev = (accel_dev_t){.ctx = dif, .hw = dif->hw.cfg, .mem_limit = dif->mem_limit, .name = name,
                         .matrix_addr = hd_matrix_addr, .alloc = hd_alloc, .write = hd_write, .read = hd_read,
                         .set_kv = hd_set_kv, .check = hd_check, .run_list = hd_run_list,
                         .unit_cycles = dif->mmio->unit_cycles ? hd_unit_cycles : NULL};
}
