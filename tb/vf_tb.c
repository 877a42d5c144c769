/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of the VF32 modules (see vf_tb.h). Every lane is described once in
 * lane_table: its model, its corner inputs and its random inputs. */
#include "vf_tb.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tb_rng.h"
#include "vf_stim.h"

typedef struct {
  const char *name;
  int out_bits;                                   /* compared bits of the result */
  uint64_t (*model)(const vf_operands_t *op);
  long (*corner_count)(void);
  void (*corner)(long i, vf_operands_t *op);
  void (*random)(tb_rng_t *r, vf_operands_t *op);
} vf_lane_t;

/* ---- models: the C function of each lane on its operands ------------------------------------ */

static uint32_t a32(const vf_operands_t *op) { return (uint32_t)op->a; }
static uint64_t m_add(const vf_operands_t *op) { return vf_add(a32(op), op->b); }
static uint64_t m_sub(const vf_operands_t *op) { return vf_sub(a32(op), op->b); }
static uint64_t m_mul(const vf_operands_t *op) { return vf_mul(a32(op), op->b); }
static uint64_t m_max(const vf_operands_t *op) { return vf_max(a32(op), op->b); }
static uint64_t m_lt(const vf_operands_t *op) { return (uint64_t)vf_lt(a32(op), op->b); }
static uint64_t m_neg(const vf_operands_t *op) { return vf_neg(a32(op)); }
static uint64_t m_abs(const vf_operands_t *op) { return vf_abs(a32(op)); }
static uint64_t m_from_q24(const vf_operands_t *op) { return vf_from_q24((int64_t)op->a); }
static uint64_t m_to_q24(const vf_operands_t *op) { return (uint64_t)vf_to_q24(a32(op)); }
static uint64_t m_to_int(const vf_operands_t *op) {
  return (uint32_t)vf_to_int_rne(a32(op), (int32_t)op->b, (int32_t)op->c);
}
static uint64_t m_from_fp16(const vf_operands_t *op) { return vf_from_fp16((uint16_t)op->a); }
static uint64_t m_to_fp16(const vf_operands_t *op) { return vf_to_fp16(a32(op)); }
static uint64_t m_exp(const vf_operands_t *op) { return vf_exp(a32(op)); }
static uint64_t m_recip(const vf_operands_t *op) { return vf_recip(a32(op)); }
static uint64_t m_rsqrt(const vf_operands_t *op) { return vf_rsqrt(a32(op)); }
static uint64_t m_sigmoid(const vf_operands_t *op) { return vf_sigmoid(a32(op)); }
static uint64_t m_silu(const vf_operands_t *op) { return vf_silu(a32(op)); }
static uint64_t m_gelu(const vf_operands_t *op) { return vf_gelu(a32(op)); }
static uint64_t m_relu2(const vf_operands_t *op) { return vf_relu2(a32(op)); }

/* ---- corners -------------------------------------------------------------------------------- */

static long c_f32_count(void) { return vf_stim_corner_count(); }
static void c_f32(long i, vf_operands_t *op) { op->a = vf_stim_corner((int)i); }

/* Every ordered pair of corners. */
static long c_pair_count(void) { return (long)vf_stim_corner_count() * vf_stim_corner_count(); }
static void c_pair(long i, vf_operands_t *op) {
  op->a = vf_stim_corner((int)(i / vf_stim_corner_count()));
  op->b = vf_stim_corner((int)(i % vf_stim_corner_count()));
}

/* Every corner with each of a few bound pairs: the quantizer's, the widest, empty and reversed. */
static const int32_t int_bounds[][2] = {{-127, 127}, {INT32_MIN, INT32_MAX}, {0, 0}, {5, -5}, {-1, INT32_MAX}};
#define N_INT_BOUNDS ((long)(sizeof int_bounds / sizeof int_bounds[0]))
static long c_int_count(void) { return vf_stim_corner_count() * N_INT_BOUNDS; }
static void c_int(long i, vf_operands_t *op) {
  op->a = vf_stim_corner((int)(i / N_INT_BOUNDS));
  op->b = (uint32_t)int_bounds[i % N_INT_BOUNDS][0];
  op->c = (uint32_t)int_bounds[i % N_INT_BOUNDS][1];
}

static long c_q24_count(void) { return vf_stim_q24_corner_count(); }
static void c_q24(long i, vf_operands_t *op) { op->a = (uint64_t)vf_stim_q24_corner((int)i); }

static long c_fp16_all_count(void) { return 0x10000; }
static void c_fp16_all(long i, vf_operands_t *op) { op->a = (uint64_t)i; }

/* The corners, every FP16 grid value, every midpoint between grid neighbours. */
static long c_to_fp16_count(void) { return vf_stim_corner_count() + 0x10000 + 0x10000; }
static void c_to_fp16(long i, vf_operands_t *op) {
  long nc = vf_stim_corner_count();
  uint32_t h = (uint32_t)(i - nc) & 0xFFFFu;
  if (i < nc) op->a = vf_stim_corner((int)i);
  else if (i < nc + 0x10000) op->a = vf_from_fp16((uint16_t)h);
  else op->a = vf_stim_fp16_midpoint((h & 0x7FFFu) == 0x7FFFu ? h - 1 : h);
}

/* ---- random inputs -------------------------------------------------------------------------- */

static void r_pair(tb_rng_t *r, vf_operands_t *op) {
  op->a = vf_stim_f32(r);
  op->b = vf_stim_partner(r, (uint32_t)op->a);
}
static void r_f32(tb_rng_t *r, vf_operands_t *op) { op->a = vf_stim_f32(r); }
static void r_exp_arg(tb_rng_t *r, vf_operands_t *op) { op->a = vf_stim_exp_arg(r); }
static void r_q24(tb_rng_t *r, vf_operands_t *op) { op->a = (uint64_t)vf_stim_q24(r); }
static void r_to_q24(tb_rng_t *r, vf_operands_t *op) {
  op->a = tb_rng_pct(r, 50) ? vf_stim_f32(r) : vf_stim_f32_in(r, -30, 45);   /* the rounding and saturation range */
}
static void r_to_int(tb_rng_t *r, vf_operands_t *op) {
  int32_t lo, hi;
  op->a = vf_stim_int_arg(r);
  vf_stim_int_bounds(r, &lo, &hi);
  op->b = (uint32_t)lo;
  op->c = (uint32_t)hi;
}
static void r_fp16(tb_rng_t *r, vf_operands_t *op) { op->a = tb_rng_below(r, 0x10000); }
static void r_to_fp16(tb_rng_t *r, vf_operands_t *op) { op->a = vf_stim_fp16_arg(r); }

static const vf_lane_t lane_table[VF_NLANES] = {
  [VF_LANE_ADD] = {"vf_add", 32, m_add, c_pair_count, c_pair, r_pair},
  [VF_LANE_SUB] = {"vf_sub", 32, m_sub, c_pair_count, c_pair, r_pair},
  [VF_LANE_MUL] = {"vf_mul", 32, m_mul, c_pair_count, c_pair, r_pair},
  [VF_LANE_NEG] = {"vf_neg", 32, m_neg, c_f32_count, c_f32, r_f32},
  [VF_LANE_ABS] = {"vf_abs", 32, m_abs, c_f32_count, c_f32, r_f32},
  [VF_LANE_MAX] = {"vf_max", 32, m_max, c_pair_count, c_pair, r_pair},
  [VF_LANE_LT] = {"vf_lt", 1, m_lt, c_pair_count, c_pair, r_pair},
  [VF_LANE_FROM_Q24] = {"vf_from_q24", 32, m_from_q24, c_q24_count, c_q24, r_q24},
  [VF_LANE_TO_Q24] = {"vf_to_q24", 64, m_to_q24, c_f32_count, c_f32, r_to_q24},
  [VF_LANE_TO_INT] = {"vf_to_int_rne", 32, m_to_int, c_int_count, c_int, r_to_int},
  [VF_LANE_FROM_FP16] = {"vf_from_fp16", 32, m_from_fp16, c_fp16_all_count, c_fp16_all, r_fp16},
  [VF_LANE_TO_FP16] = {"vf_to_fp16", 16, m_to_fp16, c_to_fp16_count, c_to_fp16, r_to_fp16},
  [VF_LANE_EXP] = {"vf_exp", 32, m_exp, c_f32_count, c_f32, r_exp_arg},
  [VF_LANE_RECIP] = {"vf_recip", 32, m_recip, c_f32_count, c_f32, r_f32},
  [VF_LANE_RSQRT] = {"vf_rsqrt", 32, m_rsqrt, c_f32_count, c_f32, r_f32},
  [VF_LANE_SIGMOID] = {"vf_sigmoid", 32, m_sigmoid, c_f32_count, c_f32, r_exp_arg},
  [VF_LANE_SILU] = {"vf_silu", 32, m_silu, c_f32_count, c_f32, r_exp_arg},
  [VF_LANE_GELU] = {"vf_gelu", 32, m_gelu, c_f32_count, c_f32, r_exp_arg},
  [VF_LANE_RELU2] = {"vf_relu2", 32, m_relu2, c_f32_count, c_f32, r_f32},
};

/* Quantization groups: first groups made of the corners (32 at a time), then random groups. */
static long quant_corner_groups(void) { return (vf_stim_corner_count() + VF_GROUP - 1) / VF_GROUP; }

static struct {
  vf_tb_opts_t opt;
  tb_rng_t rng;
  int status, have_prev;
  long cycle, cycles;      /* cycles driven; cycles to drive */
  long corners[VF_NLANES]; /* corner inputs of each lane */
  vf_dut_in_t prev;        /* what the RTL's outputs belong to */
  long checked[VF_NLANES], groups_checked;
} tb;

void vf_tb_set_options(const vf_tb_opts_t *o) { tb.opt = *o; }
int vf_tb_status(void) { return tb.status; }

int vf_tb_init(int nlanes, int group) {
  if (nlanes != VF_NLANES || group != VF_GROUP) {
    printf("vf_tb: the RTL testbench has %d lanes and groups of %d, the C side %d and %d\n", nlanes, group,
           VF_NLANES, VF_GROUP);
    return -1;
  }
  tb.rng.s = tb.opt.seed;
  long most = quant_corner_groups();
  for (int l = 0; l < VF_NLANES; l++) {
    tb.corners[l] = lane_table[l].corner_count();
    if (tb.corners[l] > most) most = tb.corners[l];
  }
  tb.cycles = most + tb.opt.random;   /* every lane gets at least opt.random random inputs */
  printf("vf_tb: seed %" PRIu64 ", %d lanes + the quantization group, %ld cycles (corners, then at least %ld random "
         "inputs per function)\n", tb.opt.seed, VF_NLANES, tb.cycles, tb.opt.random);
  return 0;
}

static int fail_lane(int l, uint64_t got, uint64_t want) {
  const vf_operands_t *op = &tb.prev.op[l];
  printf("MISMATCH seed=%" PRIu64 " cycle=%ld %s: a=0x%" PRIX64 " b=0x%08X c=0x%08X RTL=0x%" PRIX64 " C=0x%" PRIX64 "\n",
         tb.opt.seed, tb.cycle - 1, lane_table[l].name, op->a, op->b, op->c, got, want);
  return tb.status = VF_TB_FAIL;
}

static int check_group(const vf_dut_out_t *dut) {
  int8_t q[VF_GROUP];
  uint16_t s16;
  vf_quant_group(tb.prev.v, q, &s16);
  if (s16 == dut->s16 && !memcmp(q, dut->q, sizeof q)) {
    tb.groups_checked++;
    return 0;
  }
  printf("MISMATCH seed=%" PRIu64 " cycle=%ld vf_quant_group: scale RTL=0x%04X C=0x%04X\n", tb.opt.seed, tb.cycle - 1,
         dut->s16, s16);
  for (int i = 0; i < VF_GROUP; i++)
    printf("  v[%2d]=0x%08X q RTL=%4d C=%4d%s\n", i, tb.prev.v[i], dut->q[i], q[i], dut->q[i] != q[i] ? "  <--" : "");
  return tb.status = VF_TB_FAIL;
}

static int check(const vf_dut_out_t *dut) {
  for (int l = 0; l < VF_NLANES; l++) {
    int bits = lane_table[l].out_bits;
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t want = lane_table[l].model(&tb.prev.op[l]) & mask, got = dut->res[l] & mask;
    if (got != want) return fail_lane(l, got, want);
    tb.checked[l]++;
  }
  return check_group(dut);
}

static void drive(vf_dut_in_t *next) {
  memset(next, 0, sizeof *next);
  for (int l = 0; l < VF_NLANES; l++) {
    if (tb.cycle < tb.corners[l]) lane_table[l].corner(tb.cycle, &next->op[l]);
    else lane_table[l].random(&tb.rng, &next->op[l]);
  }
  if (tb.cycle < quant_corner_groups())
    for (int i = 0; i < VF_GROUP; i++)
      next->v[i] = vf_stim_corner((int)((tb.cycle * VF_GROUP + i) % vf_stim_corner_count()));
  else
    vf_stim_group(&tb.rng, next->v);
}

int vf_tb_step(const vf_dut_out_t *dut, vf_dut_in_t *next) {
  if (tb.status != VF_TB_RUN) return tb.status;
  if (tb.have_prev && check(dut)) return tb.status;
  if (tb.cycle == tb.cycles) return tb.status = VF_TB_PASS;
  drive(next);
  tb.prev = *next;
  tb.have_prev = 1;
  tb.cycle++;
  return VF_TB_RUN;
}

void vf_tb_summary(double host_seconds) {
  for (int l = 0; l < VF_NLANES; l++)
    printf("  %-14s %9ld compared (%ld corners)\n", lane_table[l].name, tb.checked[l], tb.corners[l]);
  printf("  %-14s %9ld groups of %d compared (%ld of corners)\n", "vf_quant_group", tb.groups_checked, VF_GROUP,
         quant_corner_groups());
  printf("result      %s (seed %" PRIu64 ", %.1f s host CPU)\n", tb.status == VF_TB_PASS ? "PASS: RTL == C model on every input" : "FAIL",
         tb.opt.seed, host_seconds);
}
