/* SPDX-License-Identifier: Apache-2.0 */
/* Analytic timing of one vector-unit op (docs/VECTOR_UNIT.md) on an EdgeCIM build behind a
 * DRAM: the closed form of the op's slot program (cmodel/ecim_vu_prog.c) in its shapes (LEN,
 * COUNT), VecLanes, VecBankBytes (chunk = VecBankBytes/8 elements) and the port (DataBytes, the
 * DRAM's rate and latency). `make calibrate` checks it against the cycle-exact C model. */
#ifndef PERF_VU_H
#define PERF_VU_H

#include <stddef.h>

#include "edgecim_hw.h"
#include "perf_gemv.h"

/* One vector op as the firmware's step list has it. */
typedef struct {
  int op;        /* ECIM_CMD_OP_EMBED .. ECIM_CMD_OP_VAPPEND */
  int len, count;
  int x_f32;     /* input already VF32 (4 bytes an element), else Q24 (8) */
  int out_fmt;   /* ECIM_VU_FMT_* (SOFTMAX: QX, EMBED: Q24) */
  int vscale;    /* SOFTMAX: times the V-cache scales */
  int concat;    /* QUANT: the segments form one QX vector */
  int qx_in;     /* KAPPEND: the k heads come quantized (the RoPE output) */
  int pos;       /* TOKEN_POS (VAPPEND writes a group's scales when pos % 32 == 0) */
  int cap;       /* KV / RoPE table capacity (positions) */
} perf_vop_t;

/* 0, or -1 with a message if hw cannot run the op (the shapes ecim_vu_error refuses). */
int perf_vu_check(const ecim_hw_t *hw, const perf_vop_t *op, char *err, size_t errlen);
/* Cycles from the push to idle (the op must pass perf_vu_check). */
double perf_vu_cycles(const ecim_hw_t *hw, const perf_dram_t *dram, const perf_vop_t *op);
/* DRAM bytes the op reads and writes. */
double perf_vu_bytes(const ecim_hw_t *hw, const perf_vop_t *op);

#endif
