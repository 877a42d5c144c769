/* SPDX-License-Identifier: Apache-2.0 */
/* The vector ops as functions on memory (docs/VECTOR_UNIT.md): what each op reads and writes,
 * element by element, in VF32 (cmodel/ecim_vf.h), with the reductions in the unit's lane order.
 * Independent of the cycle model of the unit (cmodel/ecim_vu*.c): the testbenches compare the
 * two, and the firmware's functional backend runs the ops with it. Plain C, no timing. */
#ifndef ECIM_VU_REF_H
#define ECIM_VU_REF_H

#include <stddef.h>
#include <stdint.h>

#include "edgecim_hw.h"

/* Memory as the op sees it: reads and writes through the callbacks (a flat array, or a
 * copy-on-write view in a testbench). */
typedef struct {
  void *ctx;
  void (*read)(void *ctx, uint32_t addr, void *dst, size_t n);
  void (*write)(void *ctx, uint32_t addr, const void *src, size_t n);
} ecim_mem_t;

/* Runs the queued vector op d (a descriptor the register file accepted: op, flags, addresses,
 * LEN = d->k, COUNT = d->n, TOKEN_POS/ID in d->pos/d->token) on memory m, for the hardware h
 * (its VecLanes order the reductions; MacroRows/MacroCols lay out the KV caches). Returns 0, or -1
 * for a descriptor that is not a vector op. */
int ecim_vu_ref(const ecim_hw_t *h, const ecim_cmd_desc_t *d, const ecim_mem_t *m);

/* A flat memory of size bytes (for the firmware's functional backend and tests). */
typedef struct {
  uint8_t *bytes;
  size_t size;
} ecim_flat_mem_t;
ecim_mem_t ecim_flat_mem(ecim_flat_mem_t *f);

#endif
