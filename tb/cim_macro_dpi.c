/* SPDX-License-Identifier: Apache-2.0 */
/* DPI-C shim between tb/tb_cim_macro.sv and the plain-C testbench (cim_macro_tb.c): it only
 * converts svBitVecVal vectors to and from the C model's arrays. */
#include <stdlib.h>
#include <string.h>

#include "cim_macro_tb.h"
#include "svdpi.h"

static cim_macro_cfg_t cfg;
static int32_t *r_data;
static uint16_t *r_scale;
static int out_bits;

/* n <= 32 bits of v from bit lsb; total_bits bounds the words that may be read. */
static uint32_t get_bits(const svBitVecVal *v, int lsb, int n, int total_bits) {
  int w = lsb / 32, sh = lsb % 32;
  uint64_t x = v[w];
  if (sh + n > 32 && (w + 1) * 32 < total_bits) x |= (uint64_t)v[w + 1] << 32;
  x >>= sh;
  return (uint32_t)(n == 32 ? x : x & ((1ull << n) - 1));
}

static int32_t sign_extend(uint32_t x, int n) {
  uint32_t m = 1u << (n - 1);
  return (int32_t)((x ^ m) - m);
}

int cim_tb_init_dpi(int rows, int cols, int group_rows, int wbits, int abits, int wr_bits) {
  cfg = (cim_macro_cfg_t){rows, cols, group_rows, wbits, abits, wr_bits};
  if (cim_tb_init(&cfg)) return -1;
  out_bits = cim_macro_out_bits(&cfg);
  r_data = calloc((size_t)cim_macro_groups(&cfg) * cols, sizeof(int32_t));
  r_scale = calloc((size_t)cim_macro_groups(&cfg) * cols, sizeof(uint16_t));
  return r_data && r_scale ? 0 : -1;
}

int cim_tb_cycle_dpi(svBit in_reset, svBit w_ready, svBit a_ready, svBit r_valid,
                     const svBitVecVal *r_data_v, const svBitVecVal *r_scale_v, svBit bank, svBit idle,
                     svBit *w_valid, svBit *w_kind, int *w_idx, svBitVecVal *w_data_v, svBit *a_valid,
                     svBitVecVal *a_plane_v, svBit *a_swap, int *a_prec, svBit *r_ready) {
  int nsums = cim_macro_groups(&cfg) * cfg.cols;
  if (r_valid)
    for (int i = 0; i < nsums; i++) {
      r_data[i] = sign_extend(get_bits(r_data_v, i * out_bits, out_bits, nsums * out_bits), out_bits);
      r_scale[i] = (uint16_t)get_bits(r_scale_v, i * 16, 16, nsums * 16);
    }
  cim_macro_out_t dut = {w_ready, a_ready, r_valid, bank, idle, r_data, r_scale};
  cim_macro_in_t next;
  int st = cim_tb_step(in_reset, &dut, &next);
  *w_valid = (svBit)next.w_valid;
  *w_kind = (svBit)next.w_kind;
  *w_idx = (int)next.w_idx;
  for (int i = 0; i < cfg.wr_bits / 32; i++)
    w_data_v[i] = (svBitVecVal)next.w_data[4 * i] | (svBitVecVal)next.w_data[4 * i + 1] << 8 |
                  (svBitVecVal)next.w_data[4 * i + 2] << 16 | (svBitVecVal)next.w_data[4 * i + 3] << 24;
  *a_valid = (svBit)next.a_valid;
  for (int i = 0; i < (cfg.rows + 31) / 32; i++) a_plane_v[i] = 0;
  for (int r = 0; r < cfg.rows; r++) a_plane_v[r / 32] |= (svBitVecVal)(next.a_plane[r] & 1) << (r % 32);
  *a_swap = (svBit)next.a_swap;
  *a_prec = next.a_prec;
  *r_ready = (svBit)next.r_ready;
  return st;
}

static int done;
void cim_tb_finish(int status) { (void)status; done = 1; }
int cim_tb_done(void) { return done; }
