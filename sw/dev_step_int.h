/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the device step (sw/dev_step.c): the memory map (sw/dev_step_map.c) and the
 * command list (sw/dev_step_list.c). */
#ifndef EDGECIM_DEV_STEP_INT_H
#define EDGECIM_DEV_STEP_INT_H

#include "dev_step.h"

/* The model's shape as the step uses it. */
typedef struct {
    int H, nh, nkv, hd, ff, V, L, G, qd, kvd, qkvd;
} ds_shape_t;

ds_shape_t ds_shape(const dev_step_t *s);

/* Why the device cannot run this model's step with caches of s->cap positions (NULL: it can);
 * the checks of the descriptors themselves come later, per descriptor. */
const char *ds_unsupported(const dev_step_t *s, char *buf, size_t len);

/* bytes of device DRAM for `what`: 0, or -1 with a message. */
int ds_alloc(dev_step_t *s, uint64_t bytes, uint32_t *addr, const char *what, char *err, size_t errlen);
/* The same, then bytes from src written there. */
int ds_put(dev_step_t *s, const void *src, uint64_t bytes, uint32_t *addr, const char *what, char *err, size_t errlen);

/* Lays out everything but the list: 0, or -1 with err. */
int ds_map(dev_step_t *s, char *err, size_t errlen);
/* Builds the list of one step into s->cmds / s->info from the shared layer list
 * (slm_plan_decode): 0, or -1 with *why set when the plan holds an op sequence the translation
 * does not know (NULL: out of memory). */
int ds_build_list(dev_step_t *s, const char **why);

#endif
