/* SPDX-License-Identifier: Apache-2.0 */
/* The one interface every linear layer goes through.  A backend is a context plus functions;
 * the firmware never knows whether it talks to the functional C model, the register-level C
 * model or the Verilator RTL.  Status codes: ACCEL_OK (0) or a negative ACCEL_E*. */
#ifndef EDGECIM_ACCEL_H
#define EDGECIM_ACCEL_H

#include <stddef.h>
#include <stdint.h>

struct tpool;     /* sw/tpool.h */
struct accel_dev; /* sw/accel_dev.h */

enum {
    ACCEL_OK = 0,
    ACCEL_EINVAL = -1,        /* bad argument (sizes, handle) */
    ACCEL_ENOMEM = -2,        /* device memory exhausted */
    ACCEL_EDEVICE = -3,       /* the device/model reported an error */
    ACCEL_EUNIMPLEMENTED = -4 /* e.g. cycles() on a backend without timing */
};

typedef struct ecim_accel {
    void *ctx;
    /* Loads the weight matrix W[N][K] given in the host layout (fmt/ecim_fmt.h: row-major blocks
     * of 128 x 32, ecim_packed_bytes(K, N, wbits) bytes) with wbits-bit weights (2, 4 or 8; each
     * matrix has its own); *handle names it in later gemv calls.  A device backend converts it
     * to its device layout and refuses (ACCEL_EINVAL, with a message) a precision wider than its
     * MaxWBits or a K beyond its activation buffer. */
    int (*load_matrix)(void *ctx, const uint8_t *host_packed, int K, int N, int wbits, uint64_t *handle);
    /* batch (>= 1) GEMVs through one matrix; K and N are the matrix's, Kp = ecim_kp(K):
     * for each vector b, y[b*N .. b*N+N-1] (Q39.24) = [accumulate ? y : 0] + [bias] + W x_b with
     * x_b = xq[b*Kp ..] (Kp int8) and its scales xs[b*Kp/32 ..] (Kp/32 FP16).  bias (N values, may
     * be NULL) is the same for every vector.  Every vector's y is what a batch of one gives. */
    int (*gemv)(void *ctx, uint64_t handle, int batch, const int8_t *xq, const uint16_t *xs,
                const int64_t *bias, int accumulate, int64_t *y);
    /* Cycles spent by the device since it was created (ACCEL_EUNIMPLEMENTED if untimed). */
    int (*cycles)(void *ctx, uint64_t *cycles);
    /* The device behind the backend for whole steps as command lists (sw/accel_dev.h): fills
     * *dev; ACCEL_EUNIMPLEMENTED (or a NULL function) if it has none. */
    int (*device)(void *ctx, struct accel_dev *dev);
    /* Host threads for work the backend does on the host (NULL: the calling thread only); the
     * pool stays the caller's and must outlive its use.  NULL function: the backend does its
     * work on the device (cmodel, rtl) and takes no threads. */
    void (*set_pool)(void *ctx, struct tpool *pool);
    void (*destroy)(void *ctx);
    const char *name;
} ecim_accel_t;

struct edgecim_backend_cfg; /* sw/backend.h: DRAM timing and hardware configuration */

/* The backends, one table (sw/backend_registry.c): "cmodel-functional" (the bit-exact GEMV of
 * the golden model, no timing, sw/accel_cmodel_functional.c), "cmodel" (the register-level C
 * model of edgecim_top through the DIF driver, sw/accel_hw.c) and "rtl" (its Verilator RTL,
 * only in build/edgecim-rtl).  Returns ACCEL_OK and fills *a; ACCEL_EINVAL for an unknown
 * name, ACCEL_EUNIMPLEMENTED if the backend is not built into this binary, ACCEL_EDEVICE if
 * the device failed its bring-up (the reason is printed on stderr).  cfg NULL: defaults. */
int accel_create(const char *name, ecim_accel_t *a);
int accel_create_cfg(const char *name, const struct edgecim_backend_cfg *cfg, ecim_accel_t *a);

/* The names of the backends, for help texts: "cmodel-functional|cmodel|rtl". */
const char *accel_backend_names(void);

#endif
