/* SPDX-License-Identifier: Apache-2.0 */
/* The accelerator backends behind accel_create() (sw/backend_registry.c holds their table). */
#ifndef EDGECIM_ACCEL_BACKENDS_H
#define EDGECIM_ACCEL_BACKENDS_H

#include "accel.h"

/* The bit-exact functional GEMV (sw/accel_cmodel_functional.c): no timing. */
int accel_cmodel_functional_create(const struct edgecim_backend_cfg *cfg, ecim_accel_t *a);
/* The DIF driver over the MMIO backend `name` ("cmodel" or "rtl", sw/accel_hw.c). */
int accel_hw_create_cfg(const char *name, const struct edgecim_backend_cfg *cfg, ecim_accel_t *a);

struct accel_dev;
struct edgecim_dif;
/* The device of a DIF driver (sw/accel_hw_dev.c): matrix handles are device addresses. */
void accel_hw_dev_open(struct edgecim_dif *dif, const char *name, struct accel_dev *dev);

#endif
