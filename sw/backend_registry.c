/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of backends: accelerator backends by name (accel_create) and the MMIO backends
 * the DIF driver runs over (edgecim_backend_open). */
#include <stdio.h>
#include <string.h>

#include "accel_backends.h"
#include "backend.h"

static int create_functional(const char *name, const edgecim_backend_cfg_t *cfg, ecim_accel_t *a)
{
    (void)name;
    return accel_cmodel_functional_create(cfg, a);
}

static const struct {
    const char *name;
    int (*create)(const char *name, const edgecim_backend_cfg_t *cfg, ecim_accel_t *a);
    int (*open_mmio)(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err, size_t errlen);
} BACKENDS[] = {
    {"cmodel-functional", create_functional, NULL},
    {"cmodel", accel_hw_create_cfg, edgecim_backend_cmodel_open},
    {"rtl", accel_hw_create_cfg, edgecim_backend_rtl_open},
};
#define N_BACKENDS (sizeof BACKENDS / sizeof BACKENDS[0])

const char *accel_backend_names(void) { return "cmodel-functional|cmodel|rtl"; }

int accel_create_cfg(const char *name, const edgecim_backend_cfg_t *cfg, ecim_accel_t *a)
{
    if (!name || !a) return ACCEL_EINVAL;
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (!strcmp(BACKENDS[i].name, name)) return BACKENDS[i].create(name, cfg, a);
    return ACCEL_EINVAL;
}

int accel_create(const char *name, ecim_accel_t *a) { return accel_create_cfg(name, NULL, a); }

int edgecim_backend_open(const char *name, const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err,
                         size_t errlen)
{
    for (size_t i = 0; i < N_BACKENDS; i++)
        if (BACKENDS[i].open_mmio && !strcmp(BACKENDS[i].name, name)) return BACKENDS[i].open_mmio(cfg, m, err, errlen);
    snprintf(err, errlen, "unknown backend '%s' (cmodel, rtl)", name);
    return -1;
}

const ecim_hw_t *edgecim_backend_hw(const edgecim_backend_cfg_t *cfg)
{
    return cfg && cfg->hw ? cfg->hw : &ECIM_HW_CONFIGS[0].hw;
}
