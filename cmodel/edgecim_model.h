/* SPDX-License-Identifier: Apache-2.0 */
/* Cycle-exact, bit-exact C model of rtl/edgecim_top.sv (plain C11: no DPI, no Verilator).
 *
 * The model mirrors the RTL register for register, one part per RTL module (edgecim_regs,
 * tile_sequencer with its two edgecim_seg_walkers, edgecim_dma with edgecim_fifo, cim_tile with
 * its macros and cim_ppu). ecim_top_eval() gives the outputs of the current cycle for the current
 * state and inputs, ecim_top_clock() applies the rising edge; ecim_top_run_cycle() does one cycle
 * of top + DRAM model (cmodel/dram_model.h). The macros are the cycle-exact cmodel/cim_macro.c;
 * the output arithmetic is ecim_group_term()/ecim_sat_add() of cmodel/ecim_gemv.c.
 * The build parameters are the generated ecim_hw_t (include/edgecim_hw.h): the same table of
 * named configurations drives the RTL's -G parameters; ecim_hw_check() tells what is legal. */
#ifndef EDGECIM_TOP_MODEL_H
#define EDGECIM_TOP_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dram_model.h"
#include "edgecim_hw.h"
#include "edgecim_regs.h"

typedef struct {
  int mmio_valid, mmio_write;
  uint32_t mmio_addr, mmio_wdata;
  dram_out_t mem; /* memory port inputs: req_ready, r_valid, r_data, w_ready */
} ecim_top_in_t;

typedef struct {
  int mmio_ready, mmio_rvalid, irq;
  uint32_t mmio_rdata;
  dram_in_t mem;         /* memory port outputs (mem.w_data and mem.w_strb point into this struct) */
  uint8_t w_data[ECIM_MAX_PORT];
  uint8_t w_strb[ECIM_MAX_PORT];
  int busy;              /* STATUS.BUSY */
} ecim_top_out_t;

typedef struct ecim_top ecim_top_t;

ecim_top_t *ecim_top_new(const ecim_hw_t *cfg); /* NULL on a bad cfg or no memory */
void ecim_top_free(ecim_top_t *t);
void ecim_top_reset(ecim_top_t *t);
void ecim_top_eval(ecim_top_t *t, const ecim_top_in_t *in, ecim_top_out_t *out);
void ecim_top_clock(ecim_top_t *t, const ecim_top_in_t *in);

/* One cycle of the model with its DRAM: mmio_* as inputs, outputs in *out (may be NULL).
 * Returns the DRAM's status (0, or -1 after an out-of-range access). */
int ecim_top_run_cycle(ecim_top_t *t, dram_model_t *d, int mmio_valid, int mmio_write,
                       uint32_t mmio_addr, uint32_t mmio_wdata, ecim_top_out_t *out);

/* Simulation-only observation counters (the RTL has no such registers): cycles the sequencer or a
 * tile ran a GEMV, cycles the vector unit ran an op, cycles STATUS.BUSY was high, since reset.
 * A command runs on one of the two at a time, so busy - gemv - vu is what a command list spends
 * between commands (descriptor fetch, queue hand-off, draining writes). */
/* Per command class (ecim_op_class): commands started, cycles from a command's start to the next
 * one's start (or to idle: what the command costs inside a list, hand-off included), and of those
 * the cycles its unit ran. ECIM_OPC_LIST holds the busy cycles before a list's first command
 * starts (LIST_START, the first descriptor fetch). */
enum {
  ECIM_OPC_LIST, ECIM_OPC_GEMV_W, ECIM_OPC_GEMV_QK, ECIM_OPC_GEMV_V, /* weights; q.K (N_POS); .V (K_POS) */
  ECIM_OPC_VU0, /* + the vector op's CMD_OP - 1: EMBED .. VAPPEND */
  ECIM_OPC_COUNT = ECIM_OPC_VU0 + ECIM_CMD_OP_VAPPEND
};
/* The class of a command: a GEMV over the KV caches (FLAGS.KV_W) by its position flag. */
static inline int ecim_op_class(uint32_t op, uint32_t flags) {
  if (op != ECIM_CMD_OP_GEMV) return op <= ECIM_CMD_OP_VAPPEND ? ECIM_OPC_VU0 + (int)op - 1 : ECIM_OPC_LIST;
  if (!(flags >> EDGECIM_CMD_FLAGS_KV_W_LSB & 1)) return ECIM_OPC_GEMV_W;
  return flags >> EDGECIM_CMD_FLAGS_N_POS_LSB & 1 ? ECIM_OPC_GEMV_QK : ECIM_OPC_GEMV_V;
}
static inline const char *ecim_op_class_name(int c) {
  static const char *const n[ECIM_OPC_COUNT] = {"list", "gemv_w", "gemv_qk", "gemv_v", "embed", "norm", "rope",
                                                "softmax", "gate", "quant", "kappend", "vappend"};
  return c >= 0 && c < ECIM_OPC_COUNT ? n[c] : "?";
}

typedef struct {
  uint64_t gemv, vu, busy;
  uint64_t op_cmds[ECIM_OPC_COUNT], op_span[ECIM_OPC_COUNT], op_run[ECIM_OPC_COUNT];
  int op_cur; /* the class the current cycles go to */
} ecim_top_stats_t;
void ecim_top_stats(const ecim_top_t *t, ecim_top_stats_t *s);

/* Prints the control state (for debugging a mismatch). */
void ecim_top_debug(const ecim_top_t *t, FILE *f);

#endif
