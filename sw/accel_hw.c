/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator interface (sw/accel.h) over the DIF driver (sw/edgecim_dif.h), for every
 * MMIO backend (sw/backend.h): "cmodel" (register-level C model) and "rtl" (Verilator).
 *
 * Device DRAM: the packed matrices are copied in once (a host DMA: the DRAM backdoor) one
 * after the other from the bottom of the driver's bump allocator, and a matrix's handle is its
 * device address.  Each gemv takes its x, bias and y buffers above the matrices and gives them
 * back when it returns.  A gemv: write x (docs/NUMERICS.md layout), bias and, for ACCUM, the
 * old y; program the command; sleep until STATUS.BUSY drops (woken by the DONE interrupt);
 * read y. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_backends.h"
#include "backend.h"
#include "ecim_gemv.h"
#include "edgecim_dif.h"

typedef struct {
    uint32_t addr;
    size_t bytes;
    int wbits;
} hw_mat_t;

typedef struct {
    edgecim_mmio_t mmio;
    edgecim_dif_t dif;
    hw_mat_t *mats;
    size_t n_mats, cap_mats;
    uint8_t *buf; /* host staging of x / bias / y */
    size_t buf_cap;
    char name[16];
} hw_t;

static uint8_t *staging(hw_t *h, size_t bytes)
{
    if (bytes > h->buf_cap) {
        uint8_t *p = realloc(h->buf, bytes);
        if (!p) return NULL;
        h->buf = p;
        h->buf_cap = bytes;
    }
    return h->buf;
}

static int report(hw_t *h, const char *what, edgecim_status_t s)
{
    if (s == EDGECIM_DEVICE_ERROR && h->dif.last_err)
        fprintf(stderr, "edgecim %s: %s: device error %s (ERR_CODE %u)\n", h->name, what,
                edgecim_err_name(h->dif.last_err), h->dif.last_err);
    else if (s == EDGECIM_DEVICE_ERROR && h->mmio.fault && h->mmio.fault(h->mmio.ctx))
        fprintf(stderr, "edgecim %s: %s: %s\n", h->name, what, h->mmio.fault(h->mmio.ctx));
    else
        fprintf(stderr, "edgecim %s: %s: %s\n", h->name, what, edgecim_status_name(s));
    return s == EDGECIM_BAD_ARG ? ACCEL_EINVAL : s == EDGECIM_NO_MEMORY ? ACCEL_ENOMEM : ACCEL_EDEVICE;
}

static int hw_load(void *ctx, const uint8_t *packed, size_t bytes, int wbits, uint64_t *handle)
{
    hw_t *h = ctx;
    if (!packed || !handle || bytes == 0) return ACCEL_EINVAL;
    if (wbits != h->dif.hw.wbits) {
        fprintf(stderr, "edgecim %s: the device has %d-bit weights, the matrix %d-bit\n", h->name,
                h->dif.hw.wbits, wbits);
        return ACCEL_EINVAL;
    }
    if (h->n_mats == h->cap_mats) {
        size_t cap = h->cap_mats ? 2 * h->cap_mats : 64;
        hw_mat_t *p = realloc(h->mats, cap * sizeof *p);
        if (!p) return ACCEL_ENOMEM;
        h->mats = p;
        h->cap_mats = cap;
    }
    uint32_t addr;
    edgecim_status_t s = edgecim_dif_alloc(&h->dif, bytes, &addr);
    if (s == EDGECIM_NO_MEMORY) {
        fprintf(stderr, "edgecim %s: the model does not fit in the device DRAM (%u MiB, %u bytes already used, "
                        "a matrix of %zu more): set EDGECIM_DRAM_MB (at most 4095)\n",
                h->name, h->dif.mem_limit >> 20, h->dif.heap, bytes);
        return ACCEL_ENOMEM;
    }
    if (s == EDGECIM_OK) s = edgecim_dif_dram_write(&h->dif, addr, packed, bytes);
    if (s != EDGECIM_OK) return report(h, "load_matrix", s);
    h->mats[h->n_mats++] = (hw_mat_t){addr, bytes, wbits};
    *handle = addr;
    return ACCEL_OK;
}

static const hw_mat_t *find_mat(const hw_t *h, uint64_t handle)
{
    size_t lo = 0, hi = h->n_mats; /* addresses increase with the index */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->mats[mid].addr == handle) return &h->mats[mid];
        if (h->mats[mid].addr < handle) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static int hw_gemv(void *ctx, uint64_t handle, int K, int N, const int8_t *xq, const uint16_t *xs,
                   const int64_t *bias, int accumulate, int64_t *y)
{
    hw_t *h = ctx;
    const hw_mat_t *m = find_mat(h, handle);
    if (!m || K <= 0 || N <= 0 || !xq || !xs || !y) return ACCEL_EINVAL;
    if (ecim_packed_bytes(K, N, m->wbits) != m->bytes) return ACCEL_EINVAL;
    edgecim_dif_t *dif = &h->dif;
    uint32_t mark = dif->heap;
    uint64_t xb = edgecim_dif_x_bytes((uint32_t)K), yb = edgecim_dif_y_bytes((uint32_t)N);
    edgecim_gemv_desc_t d = {m->addr, 0, 0, 0, (uint32_t)K, (uint32_t)N,
                             (bias ? EDGECIM_GEMV_BIAS : 0) | (accumulate ? EDGECIM_GEMV_ACCUM : 0)};
    uint8_t *b = staging(h, (size_t)(xb > yb ? xb : yb));
    if (!b) return ACCEL_ENOMEM;
    edgecim_status_t s = edgecim_dif_alloc(dif, xb, &d.x_addr);
    if (s == EDGECIM_OK) s = edgecim_dif_alloc(dif, yb, &d.y_addr);
    if (s == EDGECIM_OK && bias) s = edgecim_dif_alloc(dif, yb, &d.b_addr);
    if (s == EDGECIM_OK) {
        ecim_fmt_pack_x(xq, xs, K, b);
        s = edgecim_dif_dram_write(dif, d.x_addr, b, (size_t)xb);
    }
    if (s == EDGECIM_OK && bias) {
        memset(b, 0, (size_t)yb);
        for (int n = 0; n < N; n++) ecim_put_le64(b + 8 * n, bias[n]);
        s = edgecim_dif_dram_write(dif, d.b_addr, b, (size_t)yb);
    }
    if (s == EDGECIM_OK && accumulate) {
        memset(b, 0, (size_t)yb);
        for (int n = 0; n < N; n++) ecim_put_le64(b + 8 * n, y[n]);
        s = edgecim_dif_dram_write(dif, d.y_addr, b, (size_t)yb);
    }
    /* the DONE interrupt wakes the driver: clear the previous command's */
    if (s == EDGECIM_OK) s = edgecim_dif_irq_clear(dif, EDGECIM_IRQ_STATUS_DONE_MASK << EDGECIM_IRQ_STATUS_DONE_LSB);
    if (s == EDGECIM_OK) s = edgecim_dif_gemv_submit(dif, &d);
    /* DRAM time at one byte per cycle plus a fixed start-up: far above any healthy run */
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(dif, 100000 + m->bytes + xb + 2 * yb);
    if (s == EDGECIM_OK) s = edgecim_dif_dram_read(dif, d.y_addr, b, (size_t)N * 8);
    if (s == EDGECIM_OK)
        for (int n = 0; n < N; n++) y[n] = ecim_get_le64(b + 8 * n);
    edgecim_dif_alloc_reset(dif, mark);
    if (s == EDGECIM_NO_MEMORY) {
        fprintf(stderr, "edgecim %s: no device DRAM left for the vectors of a %dx%d GEMV\n", h->name, N, K);
        return ACCEL_ENOMEM;
    }
    return s == EDGECIM_OK ? ACCEL_OK : report(h, "gemv", s);
}

static int hw_cycles(void *ctx, uint64_t *cycles)
{
    hw_t *h = ctx;
    if (!cycles) return ACCEL_EINVAL;
    edgecim_status_t s = edgecim_dif_cycles(&h->dif, cycles);
    return s == EDGECIM_OK ? ACCEL_OK : report(h, "cycles", s);
}

static void hw_destroy(void *ctx)
{
    hw_t *h = ctx;
    if (!h) return;
    edgecim_mmio_close(&h->mmio);
    free(h->mats);
    free(h->buf);
    free(h);
}

int accel_hw_create_cfg(const char *name, const struct edgecim_backend_cfg *cfg, ecim_accel_t *a)
{
    char err[256];
    if (!name || !a) return ACCEL_EINVAL;
    if (strcmp(name, "cmodel") && strcmp(name, "rtl")) return ACCEL_EINVAL;
    hw_t *h = calloc(1, sizeof *h);
    if (!h) return ACCEL_ENOMEM;
    snprintf(h->name, sizeof h->name, "%s", name);
    int rc = edgecim_backend_open(name, cfg, &h->mmio, err, sizeof err);
    if (rc) {
        fprintf(stderr, "edgecim: %s\n", err);
        free(h);
        return rc == -2 ? ACCEL_EUNIMPLEMENTED : ACCEL_EDEVICE;
    }
    edgecim_status_t s = edgecim_dif_init(&h->dif, &h->mmio, 0, 0);
    if (s == EDGECIM_OK) s = edgecim_dif_irq_enable(&h->dif, 1);
    if (s != EDGECIM_OK) {
        report(h, "bring-up (edgecim_dif_init)", s);
        hw_destroy(h);
        return ACCEL_EDEVICE;
    }
    *a = (ecim_accel_t){.ctx = h, .load_matrix = hw_load, .gemv = hw_gemv, .cycles = hw_cycles,
                        .destroy = hw_destroy, .name = h->name};
    return ACCEL_OK;
}
