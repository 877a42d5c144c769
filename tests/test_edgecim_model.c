/* SPDX-License-Identifier: Apache-2.0 */
/* The top-level testbench script (tb/edgecim_top_tb.c) run against the C model alone: a second
 * instance of the model stands in for the RTL, so every GEMV's y is checked against the golden
 * model ecim_gemv_ref() without Verilator, quickly and under the sanitizers.
 * Usage: test_edgecim_model [--seed N] [--cases N] [--hw NAME] (a configuration of include/edgecim_hw.h) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgecim_model.h"
#include "edgecim_top_tb.h"

int main(int argc, char **argv) {
  top_tb_opts_t opt = top_tb_default_opts();
  opt.random_cases = 30;
  opt.max_dim = 1200;
  ecim_hw_t cfg = ECIM_HW_CONFIGS[0].hw;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) opt.seed = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--cases") && i + 1 < argc) opt.random_cases = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--vu-cases") && i + 1 < argc) opt.vu_cases = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--stall") && i + 1 < argc) opt.stall_pct = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--bench")) opt.bench = 1;
    else if (!strcmp(argv[i], "--no-real")) opt.real_shapes = 0;
    else if (!strcmp(argv[i], "--no-vu")) opt.vu = 0;
    else if (!strcmp(argv[i], "--shapes") && i + 1 < argc) opt.shapes = argv[++i], opt.bench = 1;
    else if (!strcmp(argv[i], "--bw") && i + 1 < argc) opt.bw = atof(argv[++i]);
    else if (!strcmp(argv[i], "--latency") && i + 1 < argc) opt.latency = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--posted-writes")) opt.posted_writes = 1;
    else if (!strcmp(argv[i], "--hw") && i + 1 < argc) {
      const ecim_hw_t *h = ecim_hw_find(argv[++i]);
      if (!h) {
        fprintf(stderr, "%s: no hardware configuration '%s' in include/edgecim_hw.h\n", argv[0], argv[i]);
        return 2;
      }
      cfg = *h;
    } else {
      fprintf(stderr, "usage: %s [--seed N] [--cases N] [--stall P] [--bw B] [--latency L] [--posted-writes] [--hw NAME] [--bench]\n",
              argv[0]);
      return 2;
    }
  }
  top_tb_set_options(&opt);
  ecim_top_t *dut = ecim_top_new(&cfg);
  if (!dut || top_tb_init(&cfg)) return 2;
  ecim_top_in_t in;
  memset(&in, 0, sizeof in);
  ecim_top_out_t out;
  int st = TOP_TB_RUN;
  for (int c = 0; c < 4; c++) top_tb_step(1, &out, &in);
  while (st == TOP_TB_RUN) {
    ecim_top_eval(dut, &in, &out);
    ecim_top_in_t cur = in;
    st = top_tb_step(0, &out, &in);
    ecim_top_clock(dut, &cur);
  }
  top_tb_summary(0);
  ecim_top_free(dut);
  return st == TOP_TB_PASS ? 0 : 1;
}
