/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of the vector unit (rtl/edgecim_vu.sv) alone: random descriptors of
 * every vector op (those the register file accepts, fmt/ecim_desc.h), random DMA readiness and a
 * small DRAM answering reads in order after a random latency; every output of the unit is
 * compared with the C model's (cmodel/ecim_vu.h, a second ecim_vu_t) on every cycle. Plain C;
 * tb/edgecim_vu_dpi.c connects it to tb/tb_edgecim_vu.sv, tests/test_vu_model.c to a second C
 * model (the same stimulus under the sanitizers). */
#ifndef EDGECIM_VU_TB_H
#define EDGECIM_VU_TB_H
#include <stdint.h>

#include "edgecim_hw.h"

typedef struct {
  uint64_t seed;
  long ops;          /* vector ops to run to completion */
  long max_cycles;   /* 0: no limit */
  int verbose;       /* 1: one line per op */
  int max_count;     /* largest COUNT (segments) of a random op */
  int long_ops;      /* 1: also ops of several chunks at the longest lengths (the soak) */
} vu_tb_opts_t;

enum { VU_TB_RUN = 0, VU_TB_PASS = 1, VU_TB_FAIL = 2 };

/* The unit's outputs in a cycle (what the RTL drives, sampled before the clock edge). */
typedef struct {
  int start, done, busy;
  int rd_req_valid, rd_pop, wr_req_valid, wr_valid;
  uint32_t rd_req_addr, wr_req_addr;
  unsigned rd_req_beats, wr_req_beats;
  uint8_t wr_data[ECIM_MAX_PORT], wr_strb[ECIM_MAX_PORT];
} vu_tb_out_t;

/* Its inputs for the next cycle. */
typedef struct {
  int cmd_valid;
  ecim_cmd_desc_t cmd;
  int rd_req_ready, rd_valid, wr_req_ready, wr_ready, wr_idle;
  uint8_t rd_data[ECIM_MAX_PORT];
} vu_tb_in_t;

void vu_tb_set_options(const vu_tb_opts_t *o);   /* before vu_tb_init */
/* The build: DataBytes, VecLanes, VecBankBytes, MaxBurst, MacroRows, MacroCols (the other
 * parameters of the default configuration). 0 or -1 (message printed). */
int vu_tb_init(int data_bytes, int vec_lanes, int vec_bank_bytes, int max_burst, int macro_rows, int macro_cols);
const ecim_hw_t *vu_tb_hw(void);
/* One clock edge: dut holds the outputs sampled before it (for the inputs *next held since the
 * last call), next receives the inputs to drive after it. Returns VU_TB_RUN, _PASS or _FAIL. */
int vu_tb_step(int in_reset, const vu_tb_out_t *dut, vu_tb_in_t *next);
int vu_tb_status(void);
void vu_tb_summary(double host_seconds);
void vu_tb_free(void);
#endif
