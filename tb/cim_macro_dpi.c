/* DPI-C shim between tb/tb_cim_macro.sv and the plain-C testbench (cim_macro_tb.c): it only
 * converts svBitVecVal vectors to and from the C model's arrays. */
#include <stdlib.h>
#include <string.h>

#include "cim_macro_tb.h"
#include "svdpi.h"

static cim_macro_cfg_t cfg;
static int32_t *r_data;
static int out_bits;

static uint32_t get_bits(const svBitVecVal *v, int lsb, int n) {
  uint32_t x = 0;
  for (int i = 0; i < n; i++) x |= (uint32_t)((v[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1u) << i;
  return x;
}

static void put_bits(svBitVecVal *v, int lsb, int n, uint32_t x) {
  for (int i = 0; i < n; i++) {
    int b = lsb + i;
    v[b / 32] = (v[b / 32] & ~(1u << (b % 32))) | (((x >> i) & 1u) << (b % 32));
  }
}

static int32_t sign_extend(uint32_t x, int n) {
  uint32_t m = 1u << (n - 1);
  return (int32_t)((x ^ m) - m);
}

int cim_tb_init_dpi(int rows, int cols, int group_rows, int wbits, int abits) {
  cfg = (cim_macro_cfg_t){rows, cols, group_rows, wbits, abits};
  if (cim_tb_init(&cfg)) return -1;
  out_bits = cim_macro_out_bits(&cfg);
  r_data = calloc((size_t)cim_macro_groups(&cfg) * cols, sizeof(int32_t));
  return r_data ? 0 : -1;
}

int cim_tb_cycle_dpi(svBit in_reset, svBit w_ready, svBit a_ready, svBit r_valid,
                     const svBitVecVal *r_data_v, svBit bank, svBit idle, svBit *w_valid,
                     int *w_row, svBitVecVal *w_data_v, svBit *a_valid, svBitVecVal *a_plane_v,
                     svBit *a_swap, svBit *r_ready) {
  int nsums = cim_macro_groups(&cfg) * cfg.cols;
  if (r_valid)
    for (int i = 0; i < nsums; i++) r_data[i] = sign_extend(get_bits(r_data_v, i * out_bits, out_bits), out_bits);
  cim_macro_out_t dut = {w_ready, a_ready, r_valid, bank, idle, r_data};
  cim_macro_in_t next;
  int st = cim_tb_step(in_reset, &dut, &next);
  *w_valid = (svBit)next.w_valid;
  *w_row = (int)next.w_row;
  for (int c = 0; c < cfg.cols; c++) put_bits(w_data_v, c * cfg.wbits, cfg.wbits, (uint32_t)next.w_data[c]);
  *a_valid = (svBit)next.a_valid;
  for (int r = 0; r < cfg.rows; r++) put_bits(a_plane_v, r, 1, next.a_plane[r]);
  *a_swap = (svBit)next.a_swap;
  *r_ready = (svBit)next.r_ready;
  return st;
}

static int done;
void cim_tb_finish(int status) { (void)status; done = 1; }
int cim_tb_done(void) { return done; }
