/* SPDX-License-Identifier: Apache-2.0 */
/* The functional device behind the "cmodel-functional" backend (sw/accel_func_dev.c). */
#ifndef EDGECIM_ACCEL_FUNC_DEV_H
#define EDGECIM_ACCEL_FUNC_DEV_H

#include <stdint.h>

#include "accel_dev.h"
#include "ecim_func.h"
#include "edgecim_hw.h"

typedef struct func_dev func_dev_t;

/* The host-layout matrix behind a handle of the backend (fmt/ecim_fmt.h). 0, or -1 if none. */
typedef int (*func_host_matrix_fn)(void *src, uint64_t handle, const uint8_t **host, int *K, int *N, int *wbits);

/* A device of build hw with mem_limit bytes of DRAM whose matrices come from host_matrix and
 * whose GEMVs on them run through gemv (both called with src). NULL if out of memory. */
func_dev_t *func_dev_new(const ecim_hw_t *hw, uint32_t mem_limit, ecim_func_gemv_fn gemv, func_host_matrix_fn host_matrix,
                         void *src);
void func_dev_free(func_dev_t *d);
/* Its interface (valid as long as d). */
void func_dev_open(func_dev_t *d, accel_dev_t *dev);

#endif
