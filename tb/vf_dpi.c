/* SPDX-License-Identifier: Apache-2.0 */
/* DPI-C shim between tb/tb_vf.sv and the plain-C testbench (vf_tb.c): it only converts the
 * svBitVecVal vectors (lane l's operands at bits [64l, 64l+64) of a, [32l, 32l+32) of b and c;
 * its result at [64l, 64l+64) of res) to and from the testbench's structs. */
#include "svdpi.h"
#include "vf_tb.h"

int vf_tb_init_dpi(int nlanes, int group) { return vf_tb_init(nlanes, group); }

int vf_tb_cycle_dpi(const svBitVecVal *res, const svBitVecVal *q, int s16, svBitVecVal *a, svBitVecVal *b,
                    svBitVecVal *c, svBitVecVal *v) {
  vf_dut_out_t dut;
  vf_dut_in_t next;
  for (int l = 0; l < VF_NLANES; l++) dut.res[l] = (uint64_t)res[2 * l] | (uint64_t)res[2 * l + 1] << 32;
  for (int i = 0; i < VF_GROUP; i++) dut.q[i] = (int8_t)(q[i / 4] >> (8 * (i % 4)));
  dut.s16 = (uint16_t)s16;
  int st = vf_tb_step(&dut, &next);
  for (int l = 0; l < VF_NLANES; l++) {
    a[2 * l] = (svBitVecVal)next.op[l].a;
    a[2 * l + 1] = (svBitVecVal)(next.op[l].a >> 32);
    b[l] = next.op[l].b;
    c[l] = next.op[l].c;
  }
  for (int i = 0; i < VF_GROUP; i++) v[i] = next.v[i];
  return st;
}

static int done;
void vf_tb_finish(int status) { (void)status; done = 1; }
int vf_tb_done(void) { return done; }
