/* Backend "cmodel-functional": the bit-exact GEMV of cmodel/ecim_gemv (fast path) on matrices
 * held in host memory.  It has no notion of time: cycles() is unimplemented. */
#include <stdlib.h>
#include <string.h>

#include "accel_backends.h"
#include "ecim_gemv.h"

typedef struct {
    uint8_t *data;
    size_t bytes;
    int wbits;
} fmat_t;

typedef struct {
    fmat_t *m;
    size_t n, cap;
} fctx_t;

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
    uint8_t *d = malloc(bytes ? bytes : 1);
    if (!d) return ACCEL_ENOMEM;
    memcpy(d, packed, bytes);
    c->m[c->n] = (fmat_t){d, bytes, wbits};
    *handle = c->n++;
    return ACCEL_OK;
}

static int f_gemv(void *vctx, uint64_t handle, int K, int N, const int8_t *xq, const uint16_t *xs,
                  const int64_t *bias, int accumulate, int64_t *y)
{
    fctx_t *c = vctx;
    if (handle >= c->n) return ACCEL_EINVAL;
    const fmat_t *m = &c->m[handle];
    if (ecim_packed_bytes(K, N, m->wbits) != m->bytes) return ACCEL_EINVAL;
    return ecim_gemv_fast(m->data, K, N, m->wbits, xq, xs, bias, accumulate, y) == ECIM_OK
               ? ACCEL_OK : ACCEL_EINVAL;
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
                        .destroy = f_destroy, .name = "cmodel-functional"};
    return ACCEL_OK;
}
