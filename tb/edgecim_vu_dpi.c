/* SPDX-License-Identifier: Apache-2.0 */
/* DPI-C shim between tb/tb_edgecim_vu.sv and the plain-C testbench (edgecim_vu_tb.c): it only
 * converts svBitVecVal vectors (the unit's write beat, the read beat, the descriptor as the
 * packed edgecim_pkg::cmd_desc_t) to and from the testbench's structs. */
#include <string.h>

#include "edgecim_vu_tb.h"
#include "svdpi.h"

/* The fields of edgecim_pkg::cmd_desc_t from the least significant bit up (the struct lists
 * them from the most significant down). */
#define CMD_BITS 376

static void put_bits(svBitVecVal *v, int lsb, int n, uint32_t x) {
  for (int i = 0; i < n; i++) {
    int b = lsb + i;
    if (x >> i & 1u) v[b / 32] |= (svBitVecVal)1 << (b % 32);
  }
}

static void pack_cmd(const ecim_cmd_desc_t *d, svBitVecVal *v) {
  const struct {
    int bits;
    uint32_t val;
  } f[] = {{32, d->token}, {16, d->pos},    {32, d->p1},     {32, d->p0},     {32, d->dstride},
           {32, d->stride}, {4, d->op},      {28, d->flags},  {24, d->n},      {16, d->k},
           {32, d->b_addr}, {32, d->y_addr}, {32, d->x_addr}, {32, d->w_addr}};
  int lsb = 0;
  memset(v, 0, (CMD_BITS + 31) / 32 * sizeof *v);
  for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++) {
    put_bits(v, lsb, f[i].bits, f[i].val);
    lsb += f[i].bits;
  }
}

static int db;

int vu_tb_init_dpi(int data_bytes, int vec_lanes, int vec_bank_bytes, int max_burst, int macro_rows, int macro_cols,
                   int cmd_bits) {
  db = data_bytes;
  if (cmd_bits != CMD_BITS) return -1;
  return vu_tb_init(data_bytes, vec_lanes, vec_bank_bytes, max_burst, macro_rows, macro_cols);
}

int vu_tb_cycle_dpi(svBit in_reset, svBit start, svBit done, svBit busy, svBit rd_req_valid, int rd_req_addr,
                    int rd_req_beats, svBit rd_pop, svBit wr_req_valid, int wr_req_addr, int wr_req_beats,
                    svBit wr_valid, const svBitVecVal *wr_data, const svBitVecVal *wr_strb, svBit *cmd_valid,
                    svBitVecVal *cmd, svBit *rd_req_ready, svBit *rd_valid, svBitVecVal *rd_data, svBit *wr_req_ready,
                    svBit *wr_ready, svBit *wr_idle) {
  vu_tb_out_t o;
  vu_tb_in_t n;
  memset(&o, 0, sizeof o);
  o.start = start;
  o.done = done;
  o.busy = busy;
  o.rd_req_valid = rd_req_valid;
  o.rd_req_addr = (uint32_t)rd_req_addr;
  o.rd_req_beats = (unsigned)rd_req_beats;
  o.rd_pop = rd_pop;
  o.wr_req_valid = wr_req_valid;
  o.wr_req_addr = (uint32_t)wr_req_addr;
  o.wr_req_beats = (unsigned)wr_req_beats;
  o.wr_valid = wr_valid;
  for (int b = 0; b < db; b++) {
    o.wr_data[b] = (uint8_t)(wr_data[b / 4] >> (8 * (b % 4)));
    o.wr_strb[b] = (uint8_t)(wr_strb[b / 32] >> (b % 32) & 1u);
  }
  int st = vu_tb_step(in_reset, &o, &n);
  *cmd_valid = (svBit)n.cmd_valid;
  pack_cmd(&n.cmd, cmd);
  *rd_req_ready = (svBit)n.rd_req_ready;
  *rd_valid = (svBit)n.rd_valid;
  for (int w = 0; w < db / 4; w++)
    rd_data[w] = (svBitVecVal)n.rd_data[4 * w] | (svBitVecVal)n.rd_data[4 * w + 1] << 8 |
                 (svBitVecVal)n.rd_data[4 * w + 2] << 16 | (svBitVecVal)n.rd_data[4 * w + 3] << 24;
  *wr_req_ready = (svBit)n.wr_req_ready;
  *wr_ready = (svBit)n.wr_ready;
  *wr_idle = (svBit)n.wr_idle;
  return st;
}

static int finished;
void vu_tb_finish(int status) { (void)status; finished = 1; }
int vu_tb_done(void) { return finished; }
