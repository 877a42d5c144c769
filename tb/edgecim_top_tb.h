/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of edgecim_top (plain C; tb/edgecim_top_dpi.c connects it to
 * tb/tb_edgecim_top.sv). Every cycle, every output of the RTL top is compared with the C model
 * (cmodel/edgecim_model.h) for the same inputs; the memory port is served by the DRAM model
 * (cmodel/dram_model.h); after every GEMV, each y vector in DRAM is compared with the functional
 * golden model ecim_gemv_ref() (cmodel/ecim_gemv.h) run on the host layout of the same matrix,
 * so the device layout the driver writes (fmt/ecim_fmt.h) is checked too. */
#ifndef EDGECIM_TOP_TB_H
#define EDGECIM_TOP_TB_H
#include <stddef.h>
#include <stdint.h>

#include "dram_model.h"
#include "edgecim_model.h"

typedef struct {
  uint64_t seed;
  int random_cases;   /* random-shape GEMVs */
  int vu;             /* run the vector-op scenarios */
  int vu_cases;       /* random vector ops (after one of each op) */
  int max_dim;        /* largest random K and N */
  int real_shapes;    /* also run the real SLM layer shapes */
  int errors;         /* run the error-path tests */
  int bench;          /* print DRAM-port utilization per GEMV */
  double bw;          /* DRAM bytes per cycle (0: the port width) */
  int latency, stall_pct;
  int posted_writes;  /* the DRAM takes write data at once (dram_cfg_t.posted_writes) */
  int verbose;
  const char *shapes; /* "KxN[:wW][:bB][,...]": run only these GEMVs (benchmark/calibration) */
  int64_t inject_mismatch; /* >= 0: a deliberate mismatch at that cycle (tests the failure path) */
} top_tb_opts_t;

/* The defaults of the co-simulation (seed 1, 20 random cases up to 2048, real shapes, errors). */
top_tb_opts_t top_tb_default_opts(void);

enum { TOP_TB_RUN = 0, TOP_TB_PASS = 1, TOP_TB_FAIL = 2 };

/* The RTL's outputs of one cycle (and its mem.w_data bytes). */
typedef ecim_top_out_t top_tb_dut_t;
/* The inputs to drive in the next cycle. */
typedef ecim_top_in_t top_tb_drive_t;

void top_tb_set_options(const top_tb_opts_t *o);
int top_tb_init(const ecim_hw_t *cfg); /* 0 or -1 (message printed) */
int top_tb_step(int in_reset, const top_tb_dut_t *dut, top_tb_drive_t *next);
int top_tb_status(void);
void top_tb_summary(double host_seconds);
void top_tb_progress(char *buf, size_t n); /* GEMVs checked / in the script, for progress lines */
#endif
