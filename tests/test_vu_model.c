/* SPDX-License-Identifier: Apache-2.0 */
/* The vector unit's testbench (tb/edgecim_vu_tb.c) run against the C model alone: a second
 * instance of the model stands in for the RTL, so the stimulus, the DMA stand-in and the model
 * run quickly under the sanitizers (crashes, undefined behaviour, hangs), in any configuration.
 * Usage: test_vu_model [--seed N] [--ops N] [--hw NAME] [--long] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecim_vu.h"
#include "edgecim_vu_tb.h"

static void outputs(const ecim_hw_t *h, const ecim_vu_comb_t *c, vu_tb_out_t *o) {
  memset(o, 0, sizeof *o);
  o->start = c->start;
  o->done = c->done;
  o->busy = c->busy;
  o->rd_req_valid = c->rd_req_valid;
  o->rd_req_addr = c->rd_req_addr;
  o->rd_req_beats = c->rd_req_beats;
  o->rd_pop = c->rd_pop;
  o->wr_req_valid = c->wr_req_valid;
  o->wr_req_addr = c->wr_req_addr;
  o->wr_req_beats = c->wr_req_beats;
  o->wr_valid = c->wr_valid;
  memcpy(o->wr_data, c->wr_data, (size_t)h->data_bytes);
  memcpy(o->wr_strb, c->wr_strb, (size_t)h->data_bytes);
}

int main(int argc, char **argv) {
  vu_tb_opts_t opt = {1, 300, 0, 0, 3, 0};
  const ecim_hw_t *hw = &ECIM_HW_CONFIGS[0].hw;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) opt.seed = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--ops") && i + 1 < argc) opt.ops = atol(argv[++i]);
    else if (!strcmp(argv[i], "--long")) opt.long_ops = 1;
    else if (!strcmp(argv[i], "--verbose")) opt.verbose++;
    else if (!strcmp(argv[i], "--hw") && i + 1 < argc) {
      static ecim_hw_t extra;   /* the extra builds of mk/vu.mk */
      extra = ECIM_HW_CONFIGS[0].hw;
      if (!strcmp(argv[++i], "lanes1")) {
        extra.data_bytes = 64, extra.macro_rows = 256, extra.max_burst = 1, extra.vec_lanes = 1, extra.vec_bank_bytes = 2048;
        hw = &extra;
      } else if (!strcmp(argv[i], "bigbank")) {
        extra.macro_cols = 64, extra.max_burst = 64, extra.vec_bank_bytes = 65536;
        hw = &extra;
      } else if (!(hw = ecim_hw_find(argv[i]))) {
        fprintf(stderr, "%s: no hardware configuration '%s'\n", argv[0], argv[i]);
        return 2;
      }
    } else {
      fprintf(stderr, "usage: %s [--seed N] [--ops N] [--hw NAME] [--long] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  vu_tb_set_options(&opt);
  if (vu_tb_init(hw->data_bytes, hw->vec_lanes, hw->vec_bank_bytes, hw->max_burst, hw->macro_rows, hw->macro_cols))
    return 2;
  const ecim_hw_t *h = vu_tb_hw();
  ecim_vu_t dut;
  if (ecim_vu_init(&dut, h)) return 2;
  vu_tb_in_t in;
  vu_tb_out_t out;
  memset(&in, 0, sizeof in);
  memset(&out, 0, sizeof out);
  for (int c = 0; c < 4; c++) vu_tb_step(1, &out, &in);
  int st = VU_TB_RUN;
  while (st == VU_TB_RUN) {
    struct ecim_dma_view dv = {in.rd_req_ready, in.rd_valid, in.wr_req_ready, in.wr_ready, in.wr_idle, in.rd_data};
    ecim_vu_comb_t c;
    ecim_vu_comb(h, &dut, in.cmd_valid, &dv, &c);
    outputs(h, &c, &out);
    vu_tb_in_t cur = in;
    st = vu_tb_step(0, &out, &in);
    dv.rd_data = cur.rd_data;
    ecim_vu_clock(h, &dut, &cur.cmd, &dv, &c);
  }
  vu_tb_summary(0);
  ecim_vu_free(&dut);
  vu_tb_free();
  return st == VU_TB_PASS ? 0 : 1;
}
