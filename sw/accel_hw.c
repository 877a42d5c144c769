/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator interface (sw/accel.h) over the DIF driver (sw/edgecim_dif.h), for every
 * MMIO backend (sw/backend.h): "cmodel" (register-level C model) and "rtl" (Verilator).
 *
 * Device DRAM: a matrix arrives in the host layout, is converted to the device layout of the
 * hardware's macro geometry (ecim_dev_from_host, MacroRows x MacroCols from HWCFG2) and copied
 * in once (a host DMA: the DRAM backdoor), the matrices one after the other from the bottom of
 * the driver's bump allocator; a matrix's handle is its device address.  A gemv takes its x,
 * bias and y buffers above the matrices and gives them back when it returns.
 *
 * A batch is cut into commands of at most edgecim_dif_max_batch(K) vectors (MaxBatch, and the
 * activation buffer), and the commands into waves of QueueDepth, queued back to back: write the
 * wave's x (fmt/ecim_fmt.h layout, vector b at b * x_stride) and, for ACCUM, the old y; push
 * the commands; sleep until STATUS.BUSY drops (woken by the DONE interrupt); read the y back.
 * Each command reads the weights once for all its vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_backends.h"
#include "backend.h"
#include "ecim_gemv.h"
#include "edgecim_dif.h"

typedef struct {
    uint32_t addr; /* device layout in device DRAM */
    int K, N, wbits;
} hw_mat_t;

typedef struct {
    edgecim_mmio_t mmio;
    edgecim_dif_t dif;
    hw_mat_t *mats;
    size_t n_mats, cap_mats;
    uint8_t *buf; /* host staging of matrices and vectors */
    size_t buf_cap;
    char name[16];
} hw_t;

/* The staging buffer with room for bytes (NULL: out of host memory). */
static uint8_t *staging(hw_t *h, uint64_t bytes)
{
    if (bytes > SIZE_MAX) return NULL;
    if (bytes > h->buf_cap) {
        uint8_t *p = realloc(h->buf, (size_t)bytes);
        if (!p) return NULL;
        h->buf = p;
        h->buf_cap = (size_t)bytes;
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

/* ---- load_matrix ------------------------------------------------------------------------- */
/* Can the device run GEMVs through a KxN matrix of wbits-bit weights?  Says why not. */
static int device_takes(const hw_t *h, int K, int N, int wbits)
{
    const edgecim_hwinfo_t *hw = &h->dif.hw;
    if (wbits > hw->cfg.max_wbits) {
        fprintf(stderr, "edgecim %s: a %d-bit matrix (%dx%d) on a device whose macros hold at most %d-bit weights "
                        "(MaxWBits %d): use a configuration with MaxWBits 8 (--hw, docs/HW_CONFIG.md)\n",
                h->name, wbits, N, K, hw->cfg.max_wbits, hw->cfg.max_wbits);
        return 0;
    }
    if ((uint32_t)K > hw->max_k || N > ECIM_MAX_N) {
        fprintf(stderr, "edgecim %s: a %dx%d matrix: one command takes K <= %u (the %d-byte activation buffer) and "
                        "N <= %d\n",
                h->name, N, K, hw->max_k, hw->cfg.act_bytes, ECIM_MAX_N);
        return 0;
    }
    return 1;
}

static int grow_mats(hw_t *h)
{
    if (h->n_mats < h->cap_mats) return 1;
    size_t cap = h->cap_mats ? 2 * h->cap_mats : 64;
    hw_mat_t *p = realloc(h->mats, cap * sizeof *p);
    if (!p) return 0;
    h->mats = p;
    h->cap_mats = cap;
    return 1;
}

static int hw_load(void *ctx, const uint8_t *host_packed, int K, int N, int wbits, uint64_t *handle)
{
    hw_t *h = ctx;
    if (!host_packed || !handle || ecim_packed_bytes(K, N, wbits) == 0) return ACCEL_EINVAL;
    if (!device_takes(h, K, N, wbits)) return ACCEL_EINVAL;
    const ecim_geom_t *g = &h->dif.hw.geom;
    size_t bytes = ecim_dev_bytes(g, K, N, wbits);
    uint8_t *dev = staging(h, bytes);
    if (!dev || !grow_mats(h)) return ACCEL_ENOMEM;
    uint32_t addr;
    edgecim_status_t s = edgecim_dif_alloc(&h->dif, bytes, &addr);
    if (s == EDGECIM_NO_MEMORY) {
        fprintf(stderr, "edgecim %s: the model does not fit in the device DRAM (%.1f MiB, %u bytes already used, "
                        "a matrix of %zu more): set EDGECIM_DRAM_MB (at most 4095)\n",
                h->name, h->dif.mem_limit / 1048576.0, h->dif.heap, bytes);
        return ACCEL_ENOMEM;
    }
    ecim_dev_from_host(g, host_packed, K, N, wbits, dev);
    if (s == EDGECIM_OK) s = edgecim_dif_dram_write(&h->dif, addr, dev, bytes);
    if (s != EDGECIM_OK) return report(h, "load_matrix", s);
    h->mats[h->n_mats++] = (hw_mat_t){addr, K, N, wbits};
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

/* ---- gemv -------------------------------------------------------------------------------- */
/* One gemv call: the matrix, the vectors of a wave and where they sit in device DRAM. */
typedef struct {
    const hw_mat_t *m;
    int per_cmd, wave;      /* vectors per command, per wave (QueueDepth commands) */
    uint64_t x_stride, y_stride;
    uint32_t x_addr, y_addr, b_addr;
    uint32_t flags;         /* BIAS, ACCUM, WBITS of every command */
} gemv_plan_t;

/* The activations of vectors [0, n) at p->x_addr, x_stride apart. */
static edgecim_status_t put_x(hw_t *h, const gemv_plan_t *p, const int8_t *xq, const uint16_t *xs, int n)
{
    int K = p->m->K, kp = (int)ecim_kp((uint64_t)K);
    for (int b = 0; b < n; b++)
        ecim_fmt_pack_x(xq + (size_t)b * kp, xs + (size_t)b * (kp / ECIM_GROUP), K, h->buf + b * p->x_stride);
    return edgecim_dif_dram_write(&h->dif, p->x_addr, h->buf, (size_t)(n * p->x_stride));
}

/* n Q39.24 vectors of N values (bias, old y) at addr, stride apart; the padding outputs zero. */
static edgecim_status_t put_q24(hw_t *h, uint32_t addr, uint64_t stride, const int64_t *v, int N, int n)
{
    memset(h->buf, 0, (size_t)(n * stride));
    for (int b = 0; b < n; b++)
        for (int i = 0; i < N; i++) ecim_put_le64(h->buf + b * stride + 8 * (size_t)i, v[(size_t)b * N + i]);
    return edgecim_dif_dram_write(&h->dif, addr, h->buf, (size_t)(n * stride));
}

/* The first N values of n vectors at addr, stride apart. */
static edgecim_status_t get_q24(hw_t *h, uint32_t addr, uint64_t stride, int64_t *v, int N, int n)
{
    edgecim_status_t s = edgecim_dif_dram_read(&h->dif, addr, h->buf, (size_t)(n * stride));
    for (int b = 0; b < n && s == EDGECIM_OK; b++)
        for (int i = 0; i < N; i++) v[(size_t)b * N + i] = ecim_get_le64(h->buf + b * stride + 8 * (size_t)i);
    return s;
}

/* Pushes the commands of the n vectors of a wave, per_cmd vectors each. */
static edgecim_status_t push_wave(hw_t *h, const gemv_plan_t *p, int n)
{
    edgecim_status_t s = EDGECIM_OK;
    for (int b = 0; b < n && s == EDGECIM_OK; b += p->per_cmd) {
        int cmd = n - b < p->per_cmd ? n - b : p->per_cmd;
        edgecim_gemv_desc_t d = {.w_addr = p->m->addr,
                                 .x_addr = p->x_addr + (uint32_t)(b * p->x_stride),
                                 .y_addr = p->y_addr + (uint32_t)(b * p->y_stride),
                                 .b_addr = p->b_addr,
                                 .k = (uint32_t)p->m->K,
                                 .n = (uint32_t)p->m->N,
                                 .flags = p->flags | EDGECIM_GEMV_BATCH(cmd),
                                 .op = ECIM_CMD_OP_GEMV};
        s = edgecim_dif_gemv_submit(&h->dif, &d);
    }
    return s;
}

/* Cycles a wave may take: its DRAM traffic at one byte per cycle plus a fixed start-up, far
 * above any healthy run. */
static uint64_t wave_budget(const hw_t *h, const gemv_plan_t *p, int n)
{
    uint64_t cmds = (uint64_t)((n + p->per_cmd - 1) / p->per_cmd);
    uint64_t w = edgecim_dif_w_bytes(&h->dif.hw.geom, (uint32_t)p->m->K, (uint32_t)p->m->N, p->m->wbits);
    return 100000 + cmds * (w + p->y_stride) + (uint64_t)n * (p->x_stride + 2 * p->y_stride);
}

/* One wave: vectors [0, n) of the arguments (already offset by the caller). */
static edgecim_status_t run_wave(hw_t *h, const gemv_plan_t *p, const int8_t *xq, const uint16_t *xs,
                                 int accumulate, int64_t *y, int n)
{
    edgecim_dif_t *dif = &h->dif;
    int N = p->m->N;
    edgecim_status_t s = put_x(h, p, xq, xs, n);
    if (s == EDGECIM_OK && accumulate) s = put_q24(h, p->y_addr, p->y_stride, y, N, n);
    /* the DONE interrupt wakes the driver: clear the previous wave's */
    if (s == EDGECIM_OK) s = edgecim_dif_irq_clear(dif, EDGECIM_IRQ_STATUS_DONE);
    if (s == EDGECIM_OK) s = push_wave(h, p, n);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(dif, wave_budget(h, p, n));
    if (s == EDGECIM_OK) s = get_q24(h, p->y_addr, p->y_stride, y, N, n);
    return s;
}

/* How a batch of GEMVs through m runs: commands, waves, strides, flags. */
static gemv_plan_t plan_gemv(const hw_t *h, const hw_mat_t *m, int batch, const int64_t *bias, int accumulate)
{
    const edgecim_hwinfo_t *hw = &h->dif.hw;
    gemv_plan_t p = {.m = m, .per_cmd = edgecim_dif_max_batch(hw, (uint32_t)m->K)};
    p.wave = p.per_cmd * hw->cfg.queue_depth;
    if (p.wave > batch) p.wave = batch;
    p.x_stride = edgecim_dif_x_stride((uint32_t)m->K);
    p.y_stride = edgecim_dif_y_stride(&hw->geom, (uint32_t)m->N);
    p.flags = (bias ? EDGECIM_GEMV_BIAS : 0) | (accumulate ? EDGECIM_GEMV_ACCUM : 0) | EDGECIM_GEMV_WBITS(m->wbits);
    return p;
}

/* Device DRAM for the x and y of one wave and the bias (written once for every wave). */
static edgecim_status_t place_buffers(hw_t *h, gemv_plan_t *p, const int64_t *bias)
{
    edgecim_dif_t *dif = &h->dif;
    const ecim_geom_t *g = &dif->hw.geom;
    uint32_t K = (uint32_t)p->m->K, N = (uint32_t)p->m->N;
    edgecim_status_t s = edgecim_dif_alloc(dif, edgecim_dif_x_bytes(K, p->wave), &p->x_addr);
    if (s == EDGECIM_OK) s = edgecim_dif_alloc(dif, edgecim_dif_y_bytes(g, N, p->wave), &p->y_addr);
    if (s == EDGECIM_OK && bias) s = edgecim_dif_alloc(dif, edgecim_dif_b_bytes(g, N), &p->b_addr);
    if (s == EDGECIM_OK && bias) s = put_q24(h, p->b_addr, p->y_stride, bias, (int)N, 1);
    return s;
}

static int hw_gemv(void *ctx, uint64_t handle, int batch, const int8_t *xq, const uint16_t *xs,
                   const int64_t *bias, int accumulate, int64_t *y)
{
    hw_t *h = ctx;
    const hw_mat_t *m = find_mat(h, handle);
    if (!m || batch < 1 || !xq || !xs || !y) return ACCEL_EINVAL;
    edgecim_dif_t *dif = &h->dif;
    uint32_t mark = dif->heap;
    int kp = (int)ecim_kp((uint64_t)m->K), N = m->N;
    gemv_plan_t p = plan_gemv(h, m, batch, bias, accumulate);
    if (!staging(h, (uint64_t)p.wave * (p.x_stride > p.y_stride ? p.x_stride : p.y_stride))) return ACCEL_ENOMEM;
    edgecim_status_t s = place_buffers(h, &p, bias);
    for (int b = 0; b < batch && s == EDGECIM_OK; b += p.wave) {
        int n = batch - b < p.wave ? batch - b : p.wave;
        s = run_wave(h, &p, xq + (size_t)b * kp, xs + (size_t)b * (kp / ECIM_GROUP), accumulate, y + (size_t)b * N, n);
    }
    edgecim_dif_alloc_reset(dif, mark);
    if (s == EDGECIM_NO_MEMORY) {
        fprintf(stderr, "edgecim %s: no device DRAM left for the vectors of a %dx%d GEMV (batch %d)\n", h->name, N,
                m->K, batch);
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

static int hw_device(void *ctx, struct accel_dev *dev)
{
    hw_t *h = ctx;
    accel_hw_dev_open(&h->dif, h->name, dev);
    return ACCEL_OK;
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
    edgecim_status_t s = edgecim_dif_init(&h->dif, &h->mmio, 0);
    if (s == EDGECIM_OK) s = edgecim_dif_irq_enable(&h->dif, 1);
    if (s != EDGECIM_OK) {
        report(h, "bring-up (edgecim_dif_init)", s);
        hw_destroy(h);
        return ACCEL_EDEVICE;
    }
    *a = (ecim_accel_t){.ctx = h, .load_matrix = hw_load, .gemv = hw_gemv, .cycles = hw_cycles,
                        .device = hw_device, .destroy = hw_destroy, .name = h->name};
    return ACCEL_OK;
}
