/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of the VF32 modules (rtl/vu/): every cycle, each function's module
 * (one "lane" each, plus the quantization group) gets new inputs, and its result of the previous
 * cycle is compared with the C model (cmodel/ecim_vf.h). Each lane runs through its corner
 * inputs first, then random ones. Plain C; tb/vf_dpi.c connects it to tb/tb_vf.sv. */
#ifndef VF_TB_H
#define VF_TB_H
#include <stdint.h>

#include "ecim_vf.h"

/* The lanes, in the order of tb/tb_vf.sv's localparams. */
typedef enum {
  VF_LANE_ADD, VF_LANE_SUB, VF_LANE_MUL, VF_LANE_NEG, VF_LANE_ABS, VF_LANE_MAX, VF_LANE_LT,
  VF_LANE_FROM_Q24, VF_LANE_TO_Q24, VF_LANE_TO_INT, VF_LANE_FROM_FP16, VF_LANE_TO_FP16,
  VF_LANE_EXP, VF_LANE_RECIP, VF_LANE_RSQRT, VF_LANE_SIGMOID, VF_LANE_SILU, VF_LANE_GELU,
  VF_LANE_RELU2, VF_NLANES
} vf_lane_id_t;

/* A lane's inputs: a (binary32, or the Q39.24 int64, or the FP16 pattern), b (second operand,
 * or lo of vf_to_int_rne), c (hi of vf_to_int_rne). */
typedef struct {
  uint64_t a;
  uint32_t b, c;
} vf_operands_t;

/* What the RTL computed for the inputs of the previous cycle. */
typedef struct {
  uint64_t res[VF_NLANES];
  int8_t q[VF_GROUP];
  uint16_t s16;
} vf_dut_out_t;

/* What to drive this cycle. */
typedef struct {
  vf_operands_t op[VF_NLANES];
  uint32_t v[VF_GROUP];
} vf_dut_in_t;

typedef struct {
  uint64_t seed;
  long random;   /* random inputs per lane after its corners */
} vf_tb_opts_t;

enum { VF_TB_RUN = 0, VF_TB_PASS = 1, VF_TB_FAIL = 2 };

void vf_tb_set_options(const vf_tb_opts_t *o);   /* before vf_tb_init */
int vf_tb_init(int nlanes, int group);           /* the RTL's lane count and group size; 0 or -1 */
/* One clock edge: dut holds the RTL outputs for the inputs of the previous step (not read on
 * the first); next receives the inputs to drive. Returns VF_TB_RUN, VF_TB_PASS or VF_TB_FAIL. */
int vf_tb_step(const vf_dut_out_t *dut, vf_dut_in_t *next);
int vf_tb_status(void);
void vf_tb_summary(double host_seconds);
#endif
