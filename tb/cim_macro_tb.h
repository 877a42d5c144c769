/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of cim_macro: stimulus, scoreboard and cycle-by-cycle comparison of
 * the RTL against the C model (cmodel/cim_macro.h). Plain C; tb/cim_macro_dpi.c connects it to
 * the SystemVerilog testbench tb/tb_cim_macro.sv. */
#ifndef CIM_MACRO_TB_H
#define CIM_MACRO_TB_H
#include <stddef.h>
#include <stdint.h>
#include "cim_macro.h"

typedef struct {
  uint64_t seed;
  long ops;     /* operations to compare */
  int verbose;
  int64_t inject_mismatch; /* >= 0: a deliberate mismatch at that cycle (tests the failure path) */
} cim_tb_opts_t;

enum { CIM_TB_RUN = 0, CIM_TB_PASS = 1, CIM_TB_FAIL = 2 };

void cim_tb_set_options(const cim_tb_opts_t *o); /* before cim_tb_init */
int cim_tb_init(const cim_macro_cfg_t *cfg);      /* 0 or -1 (message printed) */
/* One clock edge: dut holds the RTL outputs sampled before the edge; next receives the inputs
 * to drive after it. Returns CIM_TB_RUN, CIM_TB_PASS or CIM_TB_FAIL. */
int cim_tb_step(int in_reset, const cim_macro_out_t *dut, cim_macro_in_t *next);
int cim_tb_status(void);  /* CIM_TB_* of the last step */
void cim_tb_summary(double host_seconds); /* prints the run's figures */
void cim_tb_progress(char *buf, size_t n); /* "ops done/total" for the harness's progress lines */
#endif
