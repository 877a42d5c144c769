/* SPDX-License-Identifier: Apache-2.0 */
/* The device of the "cmodel-functional" backend (sw/accel_dev.h): the functional device
 * (cmodel/ecim_func.h) on a host memory image laid out as device DRAM would be (the same
 * allocator rules as the DIF driver: 256-aligned from EDGECIM_DIF_HEAP_BASE up to MEM_LIMIT),
 * so that a step built through it computes what the cmodel and rtl backends compute, bit for bit.
 *
 * A matrix of the backend is placed in the image on first use, in the device layout of the
 * configuration, and named to the functional device as known: its GEMVs then run on the
 * backend's host-layout copy through the backend's own (threaded, SIMD) GEMV, which is bit-exact
 * to the device's. The image only grows: the part past the allocator reads as zeros. */
#include "accel_func_dev.h"

#include <stdlib.h>
#include <string.h>

#include "accel.h"
#include "ecim_fmt.h"
#include "edgecim_dif.h"

struct func_dev {
    ecim_hw_t hw;
    uint32_t mem_limit, heap, kv_base, kv_limit;
    ecim_flat_mem_t img;   /* bytes 0 .. img.size - 1 of device DRAM */
    ecim_mem_t mem;
    ecim_func_t *func;
    uint32_t *addr_of;     /* device address of matrix handle i (0: not placed yet) */
    size_t n_addr;
    func_host_matrix_fn host_matrix;
    void *src;
};

func_dev_t *func_dev_new(const ecim_hw_t *hw, uint32_t mem_limit, ecim_func_gemv_fn gemv, func_host_matrix_fn host_matrix,
                         void *src)
{
    func_dev_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->hw = *hw;
    d->mem_limit = mem_limit / EDGECIM_ALIGN * EDGECIM_ALIGN;
    d->heap = EDGECIM_DIF_HEAP_BASE;
    d->mem = ecim_flat_mem(&d->img);
    d->host_matrix = host_matrix;
    d->src = src;
    if (!(d->func = ecim_func_new(&d->hw, &d->mem))) {
        free(d);
        return NULL;
    }
    ecim_func_set_hook(d->func, gemv, src);
    return d;
}

void func_dev_free(func_dev_t *d)
{
    if (!d) return;
    ecim_func_free(d->func);
    free(d->img.bytes);
    free(d->addr_of);
    free(d);
}

/* ---- memory ---------------------------------------------------------------------------------- */
/* The image holds at least `end` bytes (new bytes zero). */
static int grow_image(func_dev_t *d, uint64_t end)
{
    if (end <= d->img.size) return 0;
    uint64_t size = d->img.size ? 2 * (uint64_t)d->img.size : 1u << 20;
    if (size < end) size = end;
    if (size > d->mem_limit) size = d->mem_limit;
    uint8_t *p = realloc(d->img.bytes, (size_t)size);
    if (!p) return -1;
    memset(p + d->img.size, 0, (size_t)size - d->img.size);
    d->img.bytes = p;
    d->img.size = (size_t)size;
    return 0;
}

static int fd_alloc(void *ctx, uint64_t bytes, uint32_t *addr)
{
    func_dev_t *d = ctx;
    uint64_t a = ((uint64_t)d->heap + EDGECIM_ALIGN - 1) / EDGECIM_ALIGN * EDGECIM_ALIGN;
    if (bytes == 0 || a > d->mem_limit || bytes > d->mem_limit - a) return ACCEL_ENOMEM;
    if (grow_image(d, a + bytes)) return ACCEL_ENOMEM;
    *addr = (uint32_t)a;
    d->heap = (uint32_t)(a + bytes);
    return ACCEL_OK;
}

static int fd_write(void *ctx, uint32_t addr, const void *src, size_t n)
{
    func_dev_t *d = ctx;
    if ((uint64_t)addr + n > d->img.size) return ACCEL_EINVAL;
    ecim_func_forget(d->func, addr, n);
    memcpy(d->img.bytes + addr, src, n);
    return ACCEL_OK;
}

static int fd_read(void *ctx, uint32_t addr, void *dst, size_t n)
{
    func_dev_t *d = ctx;
    if ((uint64_t)addr + n > d->img.size) return ACCEL_EINVAL;
    memcpy(dst, d->img.bytes + addr, n);
    return ACCEL_OK;
}

/* ---- matrices -------------------------------------------------------------------------------- */
static int place_matrix(func_dev_t *d, uint64_t handle, uint32_t *addr)
{
    const uint8_t *host;
    int K, N, wbits;
    if (d->host_matrix(d->src, handle, &host, &K, &N, &wbits)) return ACCEL_EINVAL;
    ecim_geom_t g = ecim_geom_of(&d->hw);
    size_t bytes = ecim_dev_bytes(&g, K, N, wbits);
    int rc = fd_alloc(d, bytes, addr);
    if (rc) return rc;
    ecim_dev_from_host(&g, host, K, N, wbits, d->img.bytes + *addr);
    return ecim_func_know(d->func, *addr, K, N, wbits, handle) ? ACCEL_ENOMEM : ACCEL_OK;
}

static int fd_matrix_addr(void *ctx, uint64_t handle, uint32_t *addr)
{
    func_dev_t *d = ctx;
    if (handle >= d->n_addr) {
        size_t n = (size_t)handle + 1 > 2 * d->n_addr ? (size_t)handle + 1 : 2 * d->n_addr;
        uint32_t *p = realloc(d->addr_of, n * sizeof *p);
        if (!p) return ACCEL_ENOMEM;
        memset(p + d->n_addr, 0, (n - d->n_addr) * sizeof *p);
        d->addr_of = p;
        d->n_addr = n;
    }
    if (!d->addr_of[handle]) {
        int rc = place_matrix(d, handle, &d->addr_of[handle]);
        if (rc) return rc;
    }
    *addr = d->addr_of[handle];
    return ACCEL_OK;
}

/* ---- registers and lists -------------------------------------------------------------------- */
static int fd_set_kv(void *ctx, uint32_t base, uint32_t limit)
{
    func_dev_t *d = ctx;
    if (((base | limit) & (EDGECIM_ALIGN - 1)) || base > limit || limit > d->mem_limit) return ACCEL_EINVAL;
    d->kv_base = base;
    d->kv_limit = limit;
    return ACCEL_OK;
}

static uint32_t fd_check(void *ctx, const ecim_desc_t *desc, uint32_t token, uint32_t pos)
{
    const func_dev_t *d = ctx;
    ecim_check_ctx_t x = {d->mem_limit, d->kv_base, d->kv_limit};
    ecim_cand_t c = ecim_cand_of(desc, pos, token);
    return (uint32_t)ecim_cand_error(&d->hw, &x, &c);
}

static int fd_run_list(void *ctx, uint32_t addr, uint32_t count, uint32_t token, uint32_t pos, uint64_t budget,
                       accel_list_result_t *r)
{
    func_dev_t *d = ctx;
    (void)budget; /* no time passes */
    ecim_func_regs_t regs = {token, pos & 0xFFFF, d->mem_limit, d->kv_base, d->kv_limit};
    memset(r, 0, sizeof *r);
    int err = ecim_func_list(d->func, &regs, addr, count, &r->done);
    r->err_code = err > 0 ? (uint32_t)err : 0;
    return err == EDGECIM_ERR_NONE ? ACCEL_OK : ACCEL_EDEVICE;
}

void func_dev_open(func_dev_t *d, accel_dev_t *dev)
{
    *dev = (accel_dev_t){.ctx = d, .hw = d->hw, .mem_limit = d->mem_limit, .name = "cmodel-functional",
                         .matrix_addr = fd_matrix_addr, .alloc = fd_alloc, .write = fd_write, .read = fd_read,
                         .set_kv = fd_set_kv, .check = fd_check, .run_list = fd_run_list};
}
