/* SPDX-License-Identifier: Apache-2.0 */
/* The functional device: what the accelerator computes, command by command, on memory, without
 * timing (plain C). A queued descriptor (ecim_cmd_desc_t, TOKEN_POS already applied) runs whole:
 * a GEMV with every feature of the queued form (device layout of the hardware's geometry, batch,
 * WBITS 2/4/8, BIAS, ACCUM, FULL_BLK, the CMD_STRIDE column-block stride, K and N with TOKEN_POS
 * added), bit-exact to the tiles (the arithmetic of ecim_group_term/ecim_sat_add, docs/NUMERICS.md:
 * rows at and beyond K masked, terms added in group order, the N outputs of each vector written and
 * nothing else); a vector op through ecim_vu_ref. A command list runs as the register file and the
 * fetcher run it: each descriptor read from memory, TOKEN_POS/ID applied, checked by the shared
 * ecim_cand_error; the first refused one stops the list (the ones before it ran).
 *
 * The cycle-exact model (cmodel/edgecim_model.h) leaves the same memory (tests/test_ecim_func.c).
 * Two things it does not model: residency (RES_LOAD computes as a plain GEMV; RES_USE is refused
 * with -1: the functional device keeps no macro contents), and a list that its own commands
 * overwrite (the fetcher reads ahead of the running command; here each descriptor is read just
 * before it runs).
 *
 * Speed: a GEMV works on whole column blocks with per-group tables of the activation codes (one
 * table lookup per byte of a bit-plane word). A caller that wrote a plain packed matrix itself and
 * keeps a copy in another form (the firmware's host layout) may name it (ecim_func_know) and
 * compute its GEMVs with a hook instead; a write by the device or announced by the caller
 * (ecim_func_forget) over such a matrix drops it. */
#ifndef ECIM_FUNC_H
#define ECIM_FUNC_H

#include <stddef.h>
#include <stdint.h>

#include "ecim_desc.h"
#include "ecim_vu_ref.h"
#include "edgecim_hw.h"

typedef struct ecim_func ecim_func_t;

/* y[b*N ..] = [accumulate ? y : 0] + [bias] + W x_b for the matrix named `handle`, as the
 * accel interface's gemv (sw/accel.h): xq batch x Kp codes, xs batch x Kp/32 scales. 0 ok. */
typedef int (*ecim_func_gemv_fn)(void *ctx, uint64_t handle, int batch, const int8_t *xq, const uint16_t *xs,
                                 const int64_t *bias, int accumulate, int64_t *y);

/* A functional device of build h over memory m (both must outlive it); NULL if out of memory. */
ecim_func_t *ecim_func_new(const ecim_hw_t *h, const ecim_mem_t *m);
void ecim_func_free(ecim_func_t *f);

/* Runs one queued descriptor. 0, or -1 for one it cannot run (an undefined op, RES_USE). */
int ecim_func_run(ecim_func_t *f, const ecim_cmd_desc_t *d);

/* The registers a list is checked and run with. */
typedef struct {
  uint32_t token_id, token_pos, mem_limit, kv_base, kv_limit;
} ecim_func_regs_t;

/* Runs the command list of count descriptors at addr. Returns the ERR_CODE the device latches
 * (EDGECIM_ERR_NONE when every descriptor ran; LIST_START's own refusals included), with *done =
 * the descriptors queued (LIST_DONE); -1 if a command could not run (ecim_func_run). */
int ecim_func_list(ecim_func_t *f, const ecim_func_regs_t *r, uint32_t addr, uint32_t count, uint32_t *done);

/* The GEMV hook of known matrices (NULL: none; every GEMV on memory). */
void ecim_func_set_hook(ecim_func_t *f, ecim_func_gemv_fn fn, void *ctx);
/* The packed device-layout matrix of K x N, wbits at addr is the hook's `handle` as long as its
 * bytes are not written: a GEMV of exactly that shape (no FULL_BLK, no stride, no KV_W) goes
 * through the hook. 0, or -1 if out of memory. */
int ecim_func_know(ecim_func_t *f, uint32_t addr, int K, int N, int wbits, uint64_t handle);
/* Bytes [addr, addr + n) were written outside the device: known matrices there are dropped. */
void ecim_func_forget(ecim_func_t *f, uint32_t addr, size_t n);

#endif
