/* Co-simulation testbench of cim_macro (see cim_macro_tb.h).
 *
 * Two independent checks run on every cycle:
 *  1. cycle level: every RTL output (ready/valid, bank, idle, and the result data whenever it is
 *     valid) equals the C model's, cim_macro_eval(), for the same inputs;
 *  2. transaction level: every result equals the plain integer dot products of the operation's
 *     activations with the weights that the bank rules say are active (cim_macro_ref_dot()),
 *     tracked by this file from the handshakes alone.
 * Stimulus runs through phases of random and corner-case patterns; see phase_table. */
#include "cim_macro_tb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb_rng.h"

typedef enum { PAT_RAND, PAT_MIN, PAT_MAX, PAT_ALT, PAT_ZERO, PAT_ONEROW, PAT_SPARSE } pattern_t;
typedef enum { SWAP_ON_LOAD, SWAP_EVERY_OP, SWAP_RANDOM } swap_mode_t;

typedef struct {
  const char *name;
  pattern_t act, wgt;
  int pa, pr, pw;   /* percent: a_valid, r_ready, w_valid per cycle */
  swap_mode_t swap;
} phase_t;

/* Every phase runs a random number of operations; the list repeats until the run is done. */
static const phase_t phase_table[] = {
  {"random, back-to-back", PAT_RAND, PAT_RAND, 100, 100, 100, SWAP_ON_LOAD},
  {"most negative x most negative", PAT_MIN, PAT_MIN, 100, 100, 100, SWAP_ON_LOAD},
  {"random, backpressure", PAT_RAND, PAT_RAND, 80, 50, 60, SWAP_ON_LOAD},
  {"all max", PAT_MAX, PAT_MAX, 100, 100, 100, SWAP_ON_LOAD},
  {"alternating signs", PAT_ALT, PAT_ALT, 90, 90, 100, SWAP_ON_LOAD},
  {"zero activations", PAT_ZERO, PAT_RAND, 100, 70, 100, SWAP_ON_LOAD},
  {"zero weights", PAT_RAND, PAT_ZERO, 100, 100, 100, SWAP_ON_LOAD},
  {"single non-zero row", PAT_ONEROW, PAT_RAND, 100, 100, 100, SWAP_ON_LOAD},
  {"back-to-back swaps", PAT_RAND, PAT_RAND, 100, 80, 0, SWAP_EVERY_OP},
  {"sparse, heavy backpressure", PAT_SPARSE, PAT_SPARSE, 70, 20, 50, SWAP_ON_LOAD},
  {"chaos: random writes and swaps", PAT_RAND, PAT_RAND, 70, 60, 70, SWAP_RANDOM},
};
#define NPHASES ((int)(sizeof phase_table / sizeof phase_table[0]))

#define QCAP 8 /* results in flight: at most 3 in the RTL, more is a bug */

typedef struct {
  long op;
  uint64_t first_cycle, last_cycle;
  int bubbles;      /* the op's planes were not accepted back to back */
  int backpressure; /* r_ready was low at some cycle since its first plane */
  int32_t *sums;
} expect_t;

static struct {
  cim_tb_opts_t opt;
  cim_macro_cfg_t cfg;
  int groups, nsums, wmin, wmax, amin, amax, row_space;
  cim_macro_t *model;
  tb_rng_t rng;
  int status;
  uint64_t cycle;
  /* driven inputs */
  cim_macro_in_t in;
  int32_t *w_data;
  uint8_t *plane;
  /* spec-level bank state, from the handshakes */
  int32_t *ref_bank[2];
  int ref_active;
  /* operation being sent */
  int32_t *act;
  int op_plane, op_active, op_swap, op_bubble;
  uint64_t op_first, op_last;
  long ops_issued, ops_done;
  /* weight loader */
  int32_t *pattern;
  int load_row, load_done;
  /* phase */
  int phase, phase_ops_left;
  /* scoreboard */
  expect_t q[QCAP];
  int q_head, q_count;
  uint64_t last_progress;
  /* figures */
  long writes, swaps, latency_checked, stall_cycles;
  long phase_ops[NPHASES];
} tb;

void cim_tb_set_options(const cim_tb_opts_t *o) { tb.opt = *o; }
int cim_tb_status(void) { return tb.status; }

static int fail(void) {
  fflush(stdout);
  tb.status = CIM_TB_FAIL;
  return CIM_TB_FAIL;
}

static const char *cfg_str(void) {
  static char s[96];
  snprintf(s, sizeof s, "Rows=%d Cols=%d GroupRows=%d WBits=%d ABits=%d", tb.cfg.rows,
           tb.cfg.cols, tb.cfg.group_rows, tb.cfg.wbits, tb.cfg.abits);
  return s;
}

static int32_t pattern_value(pattern_t p, int lo, int hi, int r, int c, int special_row) {
  switch (p) {
    case PAT_MIN: return lo;
    case PAT_MAX: return hi;
    case PAT_ALT: return ((r + c) & 1) ? hi : lo;
    case PAT_ZERO: return 0;
    case PAT_ONEROW: return r == special_row ? tb_rng_range(&tb.rng, lo, hi) : 0;
    case PAT_SPARSE: return tb_rng_pct(&tb.rng, 10) ? tb_rng_range(&tb.rng, lo, hi) : 0;
    case PAT_RAND: break;
  }
  return tb_rng_range(&tb.rng, lo, hi);
}

/* Ternary weights for WBits = 2 outside the explicit min/max corners. */
static int32_t random_weight(pattern_t p, int r, int c, int special_row) {
  int lo = tb.wmin;
  if (tb.cfg.wbits == 2 && (p == PAT_RAND || p == PAT_SPARSE || p == PAT_ONEROW)) lo = -1;
  return pattern_value(p, lo, tb.wmax, r, c, special_row);
}

static void new_pattern(void) {
  const phase_t *ph = &phase_table[tb.phase];
  int special = (int)tb_rng_below(&tb.rng, (uint32_t)tb.cfg.rows);
  for (int r = 0; r < tb.cfg.rows; r++)
    for (int c = 0; c < tb.cfg.cols; c++)
      tb.pattern[r * tb.cfg.cols + c] = random_weight(ph->wgt, r, c, special);
  tb.load_row = 0;
  tb.load_done = 0;
}

static void next_phase(void) {
  tb.phase = (tb.phase + 1) % NPHASES;
  tb.phase_ops_left = 16 + (int)tb_rng_below(&tb.rng, 112);
  new_pattern();
  if (tb.opt.verbose) printf("[cycle %" PRIu64 "] phase: %s\n", tb.cycle, phase_table[tb.phase].name);
}

int cim_tb_init(const cim_macro_cfg_t *cfg) {
  char err[128];
  if (cim_macro_cfg_check(cfg, err, sizeof err)) {
    fprintf(stderr, "cim_tb: %s\n", err);
    return -1;
  }
  if (tb.opt.ops <= 0) tb.opt.ops = 1000;
  tb.cfg = *cfg;
  tb.groups = cim_macro_groups(cfg);
  tb.nsums = tb.groups * cfg->cols;
  tb.wmin = -(1 << (cfg->wbits - 1));
  tb.wmax = (1 << (cfg->wbits - 1)) - 1;
  tb.amin = -(1 << (cfg->abits - 1));
  tb.amax = (1 << (cfg->abits - 1)) - 1;
  tb.row_space = 1 << cim_macro_row_addr_bits(cfg);
  tb.model = cim_macro_new(cfg);
  size_t nw = (size_t)cfg->rows * cfg->cols;
  tb.w_data = calloc((size_t)cfg->cols, sizeof(int32_t));
  tb.plane = calloc((size_t)cfg->rows, 1);
  tb.ref_bank[0] = calloc(nw, sizeof(int32_t));
  tb.ref_bank[1] = calloc(nw, sizeof(int32_t));
  tb.pattern = calloc(nw, sizeof(int32_t));
  tb.act = calloc((size_t)cfg->rows, sizeof(int32_t));
  int ok = tb.model && tb.w_data && tb.plane && tb.ref_bank[0] && tb.ref_bank[1] && tb.pattern && tb.act;
  for (int i = 0; i < QCAP && ok; i++) ok = (tb.q[i].sums = calloc((size_t)tb.nsums, sizeof(int32_t))) != NULL;
  if (!ok) {
    fprintf(stderr, "cim_tb: out of memory\n");
    return -1;
  }
  tb.rng.s = tb.opt.seed;
  tb.in.w_data = tb.w_data;
  tb.in.a_plane = tb.plane;
  tb.phase = -1;
  next_phase();
  printf("cim_macro co-simulation: %s seed=%" PRIu64 " ops=%ld\n", cfg_str(), tb.opt.seed, tb.opt.ops);
  return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Checks                                                                                      */
/* ----------------------------------------------------------------------------------------- */
static int check_bit(const char *what, int expected, int actual) {
  if (expected == actual) return 0;
  printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " op=%ld signal=%s expected=%d actual=%d (%s)\n",
         tb.opt.seed, tb.cycle, tb.ops_done, what, expected, actual, cfg_str());
  return 1;
}

static int check_sums(const char *what, long op, const int32_t *expected, const int32_t *actual) {
  for (int i = 0; i < tb.nsums; i++) {
    if (expected[i] != actual[i]) {
      printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " op=%ld group=%d column=%d expected=%" PRId32
             " actual=%" PRId32 " (%s vs RTL; %s; phase: %s)\n",
             tb.opt.seed, tb.cycle, op, i / tb.cfg.cols, i % tb.cfg.cols, expected[i], actual[i], what,
             cfg_str(), phase_table[tb.phase].name);
      return 1;
    }
  }
  return 0;
}

/* Cycle level: the RTL's outputs equal the model's for the same state and inputs. */
static int compare_outputs(const cim_macro_out_t *dut, const cim_macro_out_t *mod) {
  if (check_bit("w_ready", mod->w_ready, dut->w_ready) || check_bit("a_ready", mod->a_ready, dut->a_ready) ||
      check_bit("r_valid", mod->r_valid, dut->r_valid) || check_bit("bank", mod->bank, dut->bank) ||
      check_bit("idle", mod->idle, dut->idle))
    return 1;
  return mod->r_valid && check_sums("C model", tb.ops_done, mod->r_data, dut->r_data);
}

/* ----------------------------------------------------------------------------------------- */
/* Handshakes observed this cycle: update the spec-level state and the scoreboard             */
/* ----------------------------------------------------------------------------------------- */
static int observe(const cim_macro_out_t *dut) {
  const cim_macro_in_t *in = &tb.in;
  int w_fire = in->w_valid && dut->w_ready;
  int a_fire = in->a_valid && dut->a_ready;
  int r_fire = dut->r_valid && in->r_ready;

  if (!dut->a_ready) tb.stall_cycles++;
  if (!in->r_ready) {
    for (int i = 0; i < tb.q_count; i++) tb.q[(tb.q_head + i) % QCAP].backpressure = 1;
    if (tb.op_active) tb.op_bubble |= 2;
  }
  if (w_fire) {
    tb.writes++;
    if (in->w_row < (unsigned)tb.cfg.rows)
      memcpy(tb.ref_bank[!tb.ref_active] + (size_t)in->w_row * tb.cfg.cols, in->w_data,
             (size_t)tb.cfg.cols * sizeof(int32_t));
    if (!tb.load_done && (int)in->w_row == tb.load_row && ++tb.load_row == tb.cfg.rows) tb.load_done = 1;
  }
  if (tb.op_active && in->a_valid && !a_fire && tb.op_plane > 0) tb.op_bubble |= 1;
  if (a_fire) {
    if (tb.op_plane == 0) {
      tb.op_first = tb.cycle;
      if (in->a_swap) {
        tb.ref_active ^= 1;
        tb.swaps++;
        if (tb.load_done) new_pattern(); /* the loaded bank is active: load the other one */
      }
    } else if (tb.cycle != tb.op_last + 1) {
      tb.op_bubble |= 1;
    }
    tb.op_last = tb.cycle;
    if (++tb.op_plane == tb.cfg.abits) {
      if (tb.q_count == QCAP) {
        printf("FAIL seed=%" PRIu64 " cycle=%" PRIu64 ": more than %d results in flight (%s)\n", tb.opt.seed,
               tb.cycle, QCAP, cfg_str());
        return 1;
      }
      expect_t *e = &tb.q[(tb.q_head + tb.q_count++) % QCAP];
      e->op = tb.ops_issued++;
      e->first_cycle = tb.op_first;
      e->last_cycle = tb.cycle;
      e->bubbles = tb.op_bubble & 1;
      e->backpressure = (tb.op_bubble & 2) != 0;
      cim_macro_ref_dot(&tb.cfg, tb.ref_bank[tb.ref_active], tb.act, e->sums);
      tb.op_active = 0;
      tb.op_plane = 0;
    }
  }
  if (dut->r_valid && tb.q_count == 0) {
    printf("FAIL seed=%" PRIu64 " cycle=%" PRIu64 ": result valid with no operation in flight (%s)\n",
           tb.opt.seed, tb.cycle, cfg_str());
    return 1;
  }
  if (dut->r_valid) {
    expect_t *e = &tb.q[tb.q_head];
    /* Latency: an operation fed back to back, with r_ready high throughout, is exactly on time. */
    uint64_t lat = tb.cycle - e->first_cycle;
    if (!e->bubbles && !e->backpressure && e->first_cycle != UINT64_MAX) {
      if (lat != (uint64_t)cim_macro_latency(&tb.cfg)) {
        printf("MISMATCH seed=%" PRIu64 " op=%ld latency expected=%d actual=%" PRIu64 " (%s)\n", tb.opt.seed,
               e->op, cim_macro_latency(&tb.cfg), lat, cfg_str());
        return 1;
      }
      tb.latency_checked++;
    }
    e->first_cycle = UINT64_MAX; /* checked once, at the first valid cycle */
  }
  if (r_fire) {
    expect_t *e = &tb.q[tb.q_head];
    if (check_sums("reference dot product", e->op, e->sums, dut->r_data)) return 1;
    tb.q_head = (tb.q_head + 1) % QCAP;
    tb.q_count--;
    tb.ops_done++;
    tb.phase_ops[tb.phase]++;
    tb.last_progress = tb.cycle;
  }
  return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Stimulus for the next cycle                                                                 */
/* ----------------------------------------------------------------------------------------- */
static void start_op(void) {
  if (--tb.phase_ops_left <= 0) next_phase();
  const phase_t *ph = &phase_table[tb.phase];
  int special = (int)tb_rng_below(&tb.rng, (uint32_t)tb.cfg.rows);
  for (int r = 0; r < tb.cfg.rows; r++) tb.act[r] = pattern_value(ph->act, tb.amin, tb.amax, r, 0, special);
  switch (ph->swap) {
    case SWAP_ON_LOAD: tb.op_swap = tb.load_done; break;
    case SWAP_EVERY_OP: tb.op_swap = 1; break;
    case SWAP_RANDOM: tb.op_swap = tb_rng_pct(&tb.rng, 30); break;
  }
  tb.op_active = 1;
  tb.op_plane = 0;
  tb.op_bubble = 0;
}

static void drive(const cim_macro_out_t *dut) {
  const phase_t *ph = &phase_table[tb.phase];
  cim_macro_in_t *in = &tb.in;
  int w_fire = in->w_valid && dut->w_ready;
  int a_fire = in->a_valid && dut->a_ready;

  /* Weight writes: a valid request is held until accepted. */
  if (!in->w_valid || w_fire) {
    in->w_valid = 0;
    int chaos = ph->swap == SWAP_RANDOM;
    if ((chaos || !tb.load_done) && tb_rng_pct(&tb.rng, ph->pw)) {
      int row = chaos ? (int)tb_rng_below(&tb.rng, (uint32_t)tb.row_space) : tb.load_row;
      for (int c = 0; c < tb.cfg.cols; c++)
        tb.w_data[c] = row < tb.cfg.rows ? tb.pattern[row * tb.cfg.cols + c] : random_weight(PAT_RAND, 0, c, 0);
      in->w_row = (unsigned)row;
      in->w_valid = 1;
    }
  }

  /* Activation planes: held until accepted; a new operation starts when the last one is sent. */
  if (!in->a_valid || a_fire) {
    in->a_valid = 0;
    if (!tb.op_active && tb.ops_issued < tb.opt.ops) start_op();
    ph = &phase_table[tb.phase];
    if (tb.op_active && tb_rng_pct(&tb.rng, ph->pa)) {
      int b = tb.op_plane;
      for (int r = 0; r < tb.cfg.rows; r++) tb.plane[r] = (uint8_t)(((uint32_t)tb.act[r] >> b) & 1u);
      in->a_swap = b == 0 ? tb.op_swap : (int)tb_rng_below(&tb.rng, 2); /* ignored after plane 0 */
      in->a_valid = 1;
    }
  }
  in->r_ready = tb_rng_pct(&tb.rng, ph->pr);
}

int cim_tb_step(int in_reset, const cim_macro_out_t *dut, cim_macro_in_t *next) {
  *next = tb.in;
  if (tb.status != CIM_TB_RUN) return tb.status;
  if (in_reset) {
    cim_macro_reset(tb.model);
    memset(&tb.in, 0, sizeof tb.in);
    tb.in.w_data = tb.w_data;
    tb.in.a_plane = tb.plane;
    *next = tb.in;
    return CIM_TB_RUN;
  }
  cim_macro_out_t mod;
  cim_macro_eval(tb.model, &tb.in, &mod);
  if (compare_outputs(dut, &mod) || observe(dut)) return fail();
  cim_macro_clock(tb.model, &tb.in);
  if (tb.ops_done >= tb.opt.ops) {
    tb.status = CIM_TB_PASS;
    return tb.status;
  }
  if (tb.cycle - tb.last_progress > 10000) {
    printf("FAIL seed=%" PRIu64 " cycle=%" PRIu64 ": no result for 10000 cycles (hang) after op %ld (%s)\n",
           tb.opt.seed, tb.cycle, tb.ops_done, cfg_str());
    return fail();
  }
  drive(dut);
  tb.cycle++;
  *next = tb.in;
  return CIM_TB_RUN;
}

void cim_tb_summary(double host_seconds) {
  printf("config      %s\n", cfg_str());
  printf("seed        %" PRIu64 "\n", tb.opt.seed);
  printf("operations  %ld compared (%ld weight writes, %ld bank swaps, %ld latency checks)\n", tb.ops_done,
         tb.writes, tb.swaps, tb.latency_checked);
  for (int p = 0; p < NPHASES; p++) printf("  %-34s %ld ops\n", phase_table[p].name, tb.phase_ops[p]);
  printf("cycles      %" PRIu64 " simulated (%ld stalled by backpressure)\n", tb.cycle, tb.stall_cycles);
  if (host_seconds > 0)
    printf("speed       %.0f simulated cycles/s (%.2f s host)\n", (double)tb.cycle / host_seconds, host_seconds);
  printf("mismatches  %d\n", tb.status == CIM_TB_FAIL ? 1 : 0);
  printf("result      %s\n", tb.status == CIM_TB_PASS ? "PASS" : "FAIL");
}
