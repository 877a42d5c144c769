/* SPDX-License-Identifier: Apache-2.0 */
/* A command as the accelerator takes it: the descriptor words (the registers CMD_W_ADDR ..
 * CMD_W_BYTES, word i at 0x40 + 4i; a command list holds them as 64-byte entries) and the
 * checks the register file applies before it queues one (docs/REGISTERS.md, docs/VECTOR_UNIT.md).
 * The C model of the register file and the driver both call these, so the driver refuses exactly
 * what the device would (the co-simulation holds the RTL to the same verdicts). Every buffer end
 * is computed in 64 bits, where none can wrap around. */
#ifndef ECIM_DESC_H
#define ECIM_DESC_H

#include <stdint.h>

#include "edgecim_hw.h"

#define ECIM_DESC_WORDS 16 /* words of a command-list entry: the registers at 0x40 .. 0x7C */
#define ECIM_DESC_REGS 14  /* of which have a register: CMD_W_ADDR .. CMD_W_BYTES */

/* The descriptor words by name, in register order (a GEMV's names; a vector op reads w_addr as
 * SRC0, x_addr as SRC1, y_addr as DST, k as LEN, n as COUNT). */
typedef struct {
  uint32_t w_addr, x_addr, y_addr, b_addr, k, n, flags, op, stride, dstride, p0, p1, p2, w_bytes;
} ecim_desc_t;

void ecim_desc_to_words(const ecim_desc_t *d, uint32_t w[ECIM_DESC_WORDS]);
ecim_desc_t ecim_desc_of_words(const uint32_t w[ECIM_DESC_WORDS]);

/* A descriptor about to be queued: its words with TOKEN_POS applied (K_POS/LEN_POS, N_POS), not
 * yet truncated (the checks see the full values). */
typedef struct {
  uint32_t op, w_addr, x_addr, y_addr, b_addr, k, n, flags, stride, dstride, p0, p1, p2, w_bytes;
  uint32_t pos, token;
} ecim_cand_t;

/* What the checks need from the register file besides the configuration. */
typedef struct {
  uint32_t mem_limit, kv_base, kv_limit;
} ecim_check_ctx_t;

ecim_cand_t ecim_cand_of(const ecim_desc_t *d, uint32_t token_pos, uint32_t token_id);
/* The error a candidate is refused with (EDGECIM_ERR_NONE: it can be queued), the queue aside
 * (QUEUE_OVERFLOW and LIST_BUSY are the register file's state). */
int ecim_cand_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c);
int ecim_gemv_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c);
int ecim_vu_error(const ecim_hw_t *h, const ecim_check_ctx_t *x, const ecim_cand_t *c); /* ecim_desc_vu.c */
/* 1 if the op's shapes are ones the unit cannot run (VU_SHAPE): COUNT, LEN against the chunk, the
 * bank and the lanes (the analytic model asks before timing an op). */
int ecim_vu_shape_error(const ecim_hw_t *h, const ecim_cand_t *c);
/* The queued form: fields cut to their widths. */
ecim_cmd_desc_t ecim_cand_queued(const ecim_cand_t *c);

#endif
