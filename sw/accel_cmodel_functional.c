/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "cmodel-functional": the bit-exact GEMV of cmodel/ecim_gemv (fast path) on matrices
 * held in host memory.  It has no notion of time: cycles() is unimplemented.
 *
 * The matrices stay in the host layout: the functional GEMV computes on it directly.
 * With a thread pool (set_pool) a GEMV is split into items of a few column blocks: each is
 * ecim_gemv_fast on a contiguous range of them, which the packed layout stores as one
 * contiguous matrix of its own (blocks are nb-major and their layout depends on K only).  An
 * output depends on its own column block alone, so any split gives the same bits.  A batch is
 * the vectors one after the other, each split the same way: one pool run covers the whole
 * batch, so the threads stay busy across vectors.
 *
 * For whole steps as command lists it has a functional device (sw/accel_func_dev.c): a memory
 * image of the configuration's device DRAM whose GEMVs on these matrices come back here. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accel_backends.h"
#include "accel_func_dev.h"
#include "backend.h"
#include "ecim_gemv.h"
#include "tpool.h"

/* Matrices are 64-byte aligned: the SIMD kernels load whole cache lines of weights. */
#define MATRIX_ALIGN 64

typedef struct {
    uint8_t *data;
    int K, N, wbits;
} fmat_t;

typedef struct {
    fmat_t *m;
    size_t n, cap;
    tpool_t *pool; /* not owned; NULL: the calling thread only */
    ecim_hw_t hw;  /* the build the device step lays itself out for (--hw) */
    uint32_t dram_bytes;
    func_dev_t *dev; /* the functional device, made on first use */
} fctx_t;

/* The GEMVs of one batch, shared by the threads of the pool: n_items items per vector. */
typedef struct {
    const fmat_t *m;
    int accumulate, n_items;
    const int8_t *xq;
    const uint16_t *xs;
    const int64_t *bias;
    int64_t *y;
    atomic_int failed;
} gemv_job_t;

static int f_load(void *vctx, const uint8_t *host_packed, int K, int N, int wbits, uint64_t *handle)
{
    fctx_t *c = vctx;
    size_t bytes = ecim_packed_bytes(K, N, wbits); /* 0 for bad sizes or precision */
    if (!host_packed || !handle || bytes == 0) return ACCEL_EINVAL;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        fmat_t *p = realloc(c->m, cap * sizeof *p);
        if (!p) return ACCEL_ENOMEM;
        c->m = p;
        c->cap = cap;
    }
    uint8_t *d = aligned_alloc(MATRIX_ALIGN, (bytes / MATRIX_ALIGN + 1) * MATRIX_ALIGN);
    if (!d) return ACCEL_ENOMEM;
    memcpy(d, host_packed, bytes);
    c->m[c->n] = (fmat_t){d, K, N, wbits};
    *handle = c->n++;
    return ACCEL_OK;
}

/* Item i: vector i / n_items, its column blocks [nb0, nb1) as a matrix of their own. */
static void gemv_item(void *arg, int i, int tid)
{
    gemv_job_t *j = arg;
    (void)tid;
    const fmat_t *m = j->m;
    int b = i / j->n_items, nb0, nb1;
    tpool_range((m->N + ECIM_COLS - 1) / ECIM_COLS, i % j->n_items, j->n_items, &nb0, &nb1);
    if (nb0 == nb1) return;
    int n0 = nb0 * ECIM_COLS, n1 = nb1 * ECIM_COLS < m->N ? nb1 * ECIM_COLS : m->N, kp = (int)ecim_kp((uint64_t)m->K);
    const uint8_t *sub = m->data + ecim_block_offset(m->K, m->wbits, nb0, 0, NULL);
    int rc = ecim_gemv_fast(sub, m->K, n1 - n0, m->wbits, j->xq + (size_t)b * kp, j->xs + (size_t)b * (kp / ECIM_GROUP),
                            j->bias ? j->bias + n0 : NULL, j->accumulate, j->y + (size_t)b * m->N + n0);
    if (rc != ECIM_OK) atomic_store(&j->failed, 1);
}

static int f_gemv(void *vctx, uint64_t handle, int batch, const int8_t *xq, const uint16_t *xs,
                  const int64_t *bias, int accumulate, int64_t *y)
{
    fctx_t *c = vctx;
    if (handle >= c->n || batch < 1 || !xq || !xs || !y) return ACCEL_EINVAL;
    const fmat_t *m = &c->m[handle];
    gemv_job_t j = {.m = m, .accumulate = accumulate, .xq = xq, .xs = xs, .bias = bias, .y = y};
    atomic_init(&j.failed, 0);
    /* items of at least 2 column blocks: a claim costs about as much as a few groups */
    j.n_items = tpool_items(c->pool, (m->N + ECIM_COLS - 1) / ECIM_COLS, 2);
    if ((int64_t)j.n_items * batch > INT32_MAX) return ACCEL_EINVAL;
    tpool_run(c->pool, j.n_items * batch, gemv_item, &j);
    return atomic_load(&j.failed) ? ACCEL_EINVAL : ACCEL_OK;
}

static void f_set_pool(void *vctx, tpool_t *pool) { ((fctx_t *)vctx)->pool = pool; }

static int f_host_matrix(void *vctx, uint64_t handle, const uint8_t **host, int *K, int *N, int *wbits)
{
    const fctx_t *c = vctx;
    if (handle >= c->n) return -1;
    const fmat_t *m = &c->m[handle];
    *host = m->data;
    *K = m->K;
    *N = m->N;
    *wbits = m->wbits;
    return 0;
}

static int f_device(void *vctx, struct accel_dev *dev)
{
    fctx_t *c = vctx;
    if (!c->dev && !(c->dev = func_dev_new(&c->hw, c->dram_bytes, f_gemv, f_host_matrix, c))) return ACCEL_ENOMEM;
    func_dev_open(c->dev, dev);
    return ACCEL_OK;
}

static int f_cycles(void *vctx, uint64_t *cycles)
{
    (void)vctx;
    (void)cycles;
    return ACCEL_EUNIMPLEMENTED;
}

static void f_destroy(void *vctx)
{
    fctx_t *c = vctx;
    if (!c) return;
    func_dev_free(c->dev);
    for (size_t i = 0; i < c->n; i++) free(c->m[i].data);
    free(c->m);
    free(c);
}

int accel_cmodel_functional_create(const struct edgecim_backend_cfg *cfg, ecim_accel_t *a)
{
    fctx_t *c = calloc(1, sizeof *c);
    if (!c) return ACCEL_ENOMEM;
    /* no timing; the hardware configuration and the DRAM size only shape the device step */
    c->hw = *edgecim_backend_hw(cfg);
    c->dram_bytes = edgecim_backend_dram_bytes(cfg);
    if (!c->dram_bytes) c->dram_bytes = EDGECIM_DRAM_DEFAULT_BYTES;
    *a = (ecim_accel_t){.ctx = c, .load_matrix = f_load, .gemv = f_gemv, .cycles = f_cycles, .device = f_device,
                        .set_pool = f_set_pool, .destroy = f_destroy, .name = "cmodel-functional"};
    return ACCEL_OK;
}
