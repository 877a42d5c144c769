/* SPDX-License-Identifier: Apache-2.0 */
/* DPI-C shim between tb/tb_edgecim_top.sv and the plain-C testbench (edgecim_top_tb.c): it only
 * converts svBitVecVal vectors to and from bytes. */
#include <string.h>

#include "edgecim_top_tb.h"
#include "svdpi.h"

static int data_bytes = 16; /* of the memory port: the DPI vectors' width */
static int done;

/* The parameters in the field order of ecim_hw_t (tb/tb_edgecim_top.sv passes them so). */
int top_tb_init_dpi(int ntiles, int nmacros, int nres, int max_wbits, int abits, int data_bytes_, int macro_rows, int macro_cols, int ppu_cols, int act_bytes, int max_batch, int fifo_beats, int max_burst, int vec_lanes, int vec_bank_bytes, int queue_depth, int mem_bytes) {
  ecim_hw_t cfg = {ntiles, nmacros, nres, max_wbits, abits, data_bytes_, macro_rows, macro_cols, ppu_cols, act_bytes, max_batch, fifo_beats, max_burst, vec_lanes, vec_bank_bytes, queue_depth, (uint32_t)mem_bytes};
  data_bytes = data_bytes_;
  return top_tb_init(&cfg);
}

static void to_bytes(const svBitVecVal *v, uint8_t *b, int n) {
  for (int i = 0; i < n; i++) b[i] = (uint8_t)(v[i / 4] >> (8 * (i % 4)));
}

static void from_bytes(svBitVecVal *v, const uint8_t *b, int n) {
  for (int i = 0; i < (n + 3) / 4; i++) v[i] = 0;
  for (int i = 0; i < n; i++) v[i / 4] |= (svBitVecVal)b[i] << (8 * (i % 4));
}

int top_tb_cycle_dpi(svBit in_reset, svBit mmio_rvalid, int mmio_rdata, svBit irq, svBit req_valid,
                     svBit req_we, int req_addr, int req_len, svBit w_valid, const svBitVecVal *w_data,
                     const svBitVecVal *w_strb, svBit r_ready, svBit *mmio_valid, svBit *mmio_write,
                     int *mmio_addr, int *mmio_wdata, svBit *req_ready, svBit *w_ready, svBit *r_valid,
                     svBitVecVal *r_data) {
  top_tb_dut_t d;
  memset(&d, 0, sizeof d);
  d.mmio_ready = 1;
  d.mmio_rvalid = mmio_rvalid;
  d.mmio_rdata = (uint32_t)mmio_rdata;
  d.irq = irq;
  d.mem.req_valid = req_valid;
  d.mem.req_we = req_we;
  d.mem.req_addr = (uint32_t)req_addr;
  d.mem.req_len = req_len & 0xFF;
  d.mem.w_valid = w_valid;
  to_bytes(w_data, d.w_data, data_bytes);
  d.mem.w_data = d.w_data;
  for (int i = 0; i < data_bytes; i++) d.w_strb[i] = (uint8_t)(w_strb[i / 32] >> (i % 32) & 1u);
  d.mem.w_strb = d.w_strb;
  d.mem.r_ready = r_ready;
  top_tb_drive_t n;
  int st = top_tb_step(in_reset, &d, &n);
  *mmio_valid = (svBit)n.mmio_valid;
  *mmio_write = (svBit)n.mmio_write;
  *mmio_addr = (int)n.mmio_addr;
  *mmio_wdata = (int)n.mmio_wdata;
  *req_ready = (svBit)n.mem.req_ready;
  *w_ready = (svBit)n.mem.w_ready;
  *r_valid = (svBit)n.mem.r_valid;
  from_bytes(r_data, n.mem.r_data, data_bytes);
  return st;
}

void top_tb_finish(int status) { (void)status; done = 1; }
int top_tb_done(void) { return done; }
