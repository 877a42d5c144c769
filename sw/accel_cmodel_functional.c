/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "cmodel-functional": the bit-exact GEMV of cmodel/ecim_gemv (fast path) on matrices
 * held in host memory.  It has no notion of time: cycles() is unimplemented.
 *
 * With a thread pool (set_pool) a GEMV is split into items of a few column blocks: each is
 * ecim_gemv_fast on a contiguous range of them, which the packed layout stores as one
 * contiguous matrix of its own (blocks are nb-major and their layout depends on K only).  An
 * output depends on its own column block alone, so any split gives the same bits. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "accel_backends.h"
#include "ecim_gemv.h"
#include "tpool.h"

/* Matrices are 64-byte aligned: the SIMD kernels load whole cache lines of weights. */
#define MATRIX_ALIGN 64

typedef struct {
    uint8_t *data;
    size_t bytes;
    int wbits;
} fmat_t;

typedef struct {
    fmat_t *m;
    size_t n, cap;
    tpool_t *pool; /* not owned; NULL: the calling thread only */
} fctx_t;

/* One GEMV, shared by the threads of the pool. */
typedef struct {
    const fmat_t *m;
    int K, N, accumulate, n_items;
    const int8_t *xq;
    const uint16_t *xs;
    const int64_t *bias;
    int64_t *y;
    atomic_int failed;
} gemv_job_t;

static int f_load(void *vctx, const uint8_t *packed, size_t bytes, int wbits, uint64_t *handle)
{
    fctx_t *c = vctx;
    if (!packed || !handle || (wbits != 2 && wbits != 4 && wbits != 8)) return ACCEL_EINVAL;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        fmat_t *p = realloc(c->m, cap * sizeof *p);
        if (!p) return ACCEL_ENOMEM;
        c->m = p;
        c->cap = cap;
    }
    uint8_t *d = aligned_alloc(MATRIX_ALIGN, (bytes / MATRIX_ALIGN + 1) * MATRIX_ALIGN);
    if (!d) return ACCEL_ENOMEM;
    memcpy(d, packed, bytes);
    c->m[c->n] = (fmat_t){d, bytes, wbits};
    *handle = c->n++;
    return ACCEL_OK;
}

/* Item i of n: the column blocks [nb0, nb1) as a matrix of their own. */
static void gemv_item(void *arg, int i, int tid)
{
    gemv_job_t *j = arg;
    (void)tid;
    int nb0, nb1;
    tpool_range((j->N + ECIM_COLS - 1) / ECIM_COLS, i, j->n_items, &nb0, &nb1);
    if (nb0 == nb1) return;
    int n0 = nb0 * ECIM_COLS, n1 = nb1 * ECIM_COLS < j->N ? nb1 * ECIM_COLS : j->N;
    const uint8_t *sub = j->m->data + ecim_block_offset(j->K, j->m->wbits, nb0, 0, NULL);
    int rc = ecim_gemv_fast(sub, j->K, n1 - n0, j->m->wbits, j->xq, j->xs, j->bias ? j->bias + n0 : NULL,
                            j->accumulate, j->y + n0);
    if (rc != ECIM_OK) atomic_store(&j->failed, 1);
}

static int f_gemv(void *vctx, uint64_t handle, int K, int N, const int8_t *xq, const uint16_t *xs,
                  const int64_t *bias, int accumulate, int64_t *y)
{
    fctx_t *c = vctx;
    if (handle >= c->n) return ACCEL_EINVAL;
    const fmat_t *m = &c->m[handle];
    if (ecim_packed_bytes(K, N, m->wbits) != m->bytes || !xq || !xs || !y) return ACCEL_EINVAL;
    gemv_job_t j = {.m = m, .K = K, .N = N, .accumulate = accumulate, .xq = xq, .xs = xs, .bias = bias, .y = y};
    atomic_init(&j.failed, 0);
    /* items of at least 2 column blocks: a claim costs about as much as a few groups */
    j.n_items = tpool_items(c->pool, (N + ECIM_COLS - 1) / ECIM_COLS, 2);
    tpool_run(c->pool, j.n_items, gemv_item, &j);
    return atomic_load(&j.failed) ? ACCEL_EINVAL : ACCEL_OK;
}

static void f_set_pool(void *vctx, tpool_t *pool) { ((fctx_t *)vctx)->pool = pool; }

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
    for (size_t i = 0; i < c->n; i++) free(c->m[i].data);
    free(c->m);
    free(c);
}

int accel_cmodel_functional_create(const struct edgecim_backend_cfg *cfg, ecim_accel_t *a)
{
    (void)cfg; /* no timing: no DRAM and no hardware configuration */
    fctx_t *c = calloc(1, sizeof *c);
    if (!c) return ACCEL_ENOMEM;
    *a = (ecim_accel_t){.ctx = c, .load_matrix = f_load, .gemv = f_gemv, .cycles = f_cycles,
                        .set_pool = f_set_pool, .destroy = f_destroy, .name = "cmodel-functional"};
    return ACCEL_OK;
}
