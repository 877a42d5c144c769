/* SPDX-License-Identifier: Apache-2.0 */
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
  uint16_t *scales;
} expect_t;

static struct {
  cim_tb_opts_t opt;
  cim_macro_cfg_t cfg;
  int groups, nsums, nwords, amin, amax, words_per_wr, scales_per_wr, idx_space;
  cim_macro_t *model;
  tb_rng_t rng;
  int status;
  uint64_t cycle;
  /* driven inputs */
  cim_macro_in_t in;
  uint8_t *w_data;
  uint8_t *plane;
  /* spec-level bank state, from the handshakes: bit-plane words and scales as written */
  uint32_t *ref_word[2];
  uint16_t *ref_scale[2];
  int ref_active;
  int32_t *ref_w[2];  /* the bank's weights decoded at precision ref_w_prec[b] (-1: stale) */
  int ref_w_prec[2];
  /* operation being sent */
  int32_t *act, *wtmp;
  int op_plane, op_active, op_swap, op_bubble, op_prec;
  uint64_t op_first, op_last;
  long ops_issued, ops_done;
  /* loader: a weight pattern at one precision, written word by word then scale by scale */
  uint32_t *pattern_words;
  uint16_t *pattern_scales;
  int pattern_prec, shadow_prec, active_prec; /* precision loaded into each bank */
  int load_pos, load_done;                    /* elements written: words, then scales */
  /* phase */
  int phase, phase_ops_left;
  /* scoreboard */
  expect_t q[QCAP];
  int q_head, q_count;
  uint64_t last_progress;
  /* figures */
  long writes, swaps, latency_checked, stall_cycles;
  long swap_r_low, swap_r_full, swap_w_refused, stall_swaps; /* functional bins: swaps under backpressure */
  long phase_ops[NPHASES], prec_ops[3];
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
  snprintf(s, sizeof s, "Rows=%d Cols=%d GroupRows=%d WBits=%d ABits=%d WrBits=%d", tb.cfg.rows,
           tb.cfg.cols, tb.cfg.group_rows, tb.cfg.wbits, tb.cfg.abits, tb.cfg.wr_bits);
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

/* A weight of precision prec: ternary (-1, 0, 1) at 2 bits outside the explicit min/max corners. */
static int32_t random_weight(pattern_t p, int prec, int r, int c, int special_row) {
  int w = cim_macro_prec_bits(prec), lo = -(1 << (w - 1)), hi = (1 << (w - 1)) - 1;
  if (w == 2 && (p == PAT_RAND || p == PAT_SPARSE || p == PAT_ONEROW)) lo = -1;
  return pattern_value(p, lo, hi, r, c, special_row);
}

/* Bit-plane words of a weight matrix w[r * cols + c] at precision prec (the storage format of
 * cmodel/cim_macro.h, written here from its definition). */
static void to_words(const int32_t *w, int prec, uint32_t *words) {
  const cim_macro_cfg_t *c = &tb.cfg;
  memset(words, 0, (size_t)tb.nwords * sizeof *words);
  for (int r = 0; r < c->rows; r++)
    for (int col = 0; col < c->cols; col++)
      for (int j = 0; j < cim_macro_prec_bits(prec) && j < c->wbits; j++)
        words[((r / c->group_rows) * c->wbits + j) * c->cols + col] |=
            (uint32_t)((w[r * c->cols + col] >> j) & 1) << (r % c->group_rows);
}

/* Weight (r, c) of a bank as the spec reads it at precision prec: two's complement of bits 0..w-1. */
static int32_t ref_weight(const uint32_t *words, int prec, int r, int col) {
  const cim_macro_cfg_t *c = &tb.cfg;
  int w = cim_macro_prec_bits(prec);
  uint32_t v = 0;
  for (int j = 0; j < w && j < c->wbits; j++)
    v |= (words[((r / c->group_rows) * c->wbits + j) * c->cols + col] >> (r % c->group_rows) & 1u) << j;
  return w > c->wbits ? (int32_t)v : (int32_t)(v ^ (1u << (w - 1))) - (int32_t)(1u << (w - 1));
}

static uint16_t random_scale(void) {
  return (uint16_t)tb_rng_below(&tb.rng, 0x10000u);
}

static void new_pattern(void) {
  const phase_t *ph = &phase_table[tb.phase];
  const cim_macro_cfg_t *c = &tb.cfg;
  int special = (int)tb_rng_below(&tb.rng, (uint32_t)c->rows);
  int max_prec = c->wbits == 8 ? 2 : c->wbits == 4 ? 1 : 0;
  tb.pattern_prec = (int)tb_rng_below(&tb.rng, (uint32_t)max_prec + 1);
  for (int r = 0; r < c->rows; r++)
    for (int col = 0; col < c->cols; col++)
      tb.wtmp[r * c->cols + col] = random_weight(ph->wgt, tb.pattern_prec, r, col, special);
  to_words(tb.wtmp, tb.pattern_prec, tb.pattern_words);
  for (int i = 0; i < tb.nsums; i++) tb.pattern_scales[i] = random_scale();
  tb.load_pos = 0;
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
  tb.nwords = cim_macro_words(cfg);
  tb.amin = -(1 << (cfg->abits - 1));
  tb.amax = (1 << (cfg->abits - 1)) - 1;
  tb.words_per_wr = cfg->wr_bits / 32;
  tb.scales_per_wr = cfg->wr_bits / 16;
  tb.idx_space = 1;
  while (tb.idx_space < tb.nwords) tb.idx_space <<= 1;
  tb.model = cim_macro_new(cfg);
  size_t nw = (size_t)cfg->rows * cfg->cols;
  tb.w_data = calloc((size_t)cfg->wr_bits / 8, 1);
  tb.plane = calloc((size_t)cfg->rows, 1);
  int ok = tb.model && tb.w_data && tb.plane;
  for (int b = 0; b < 2; b++) {
    ok = ok && (tb.ref_word[b] = calloc((size_t)tb.nwords, sizeof(uint32_t))) != NULL;
    ok = ok && (tb.ref_scale[b] = calloc((size_t)tb.nsums, sizeof(uint16_t))) != NULL;
    ok = ok && (tb.ref_w[b] = calloc(nw, sizeof(int32_t))) != NULL;
    tb.ref_w_prec[b] = -1;
  }
  ok = ok && (tb.pattern_words = calloc((size_t)tb.nwords, sizeof(uint32_t))) != NULL;
  ok = ok && (tb.pattern_scales = calloc((size_t)tb.nsums, sizeof(uint16_t))) != NULL;
  ok = ok && (tb.wtmp = calloc(nw, sizeof(int32_t))) != NULL;
  ok = ok && (tb.act = calloc((size_t)cfg->rows, sizeof(int32_t))) != NULL;
  for (int i = 0; i < QCAP && ok; i++) {
    ok = (tb.q[i].sums = calloc((size_t)tb.nsums, sizeof(int32_t))) != NULL;
    ok = ok && (tb.q[i].scales = calloc((size_t)tb.nsums, sizeof(uint16_t))) != NULL;
  }
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

static int check_scales(const char *what, long op, const uint16_t *expected, const uint16_t *actual) {
  for (int i = 0; i < tb.nsums; i++) {
    if (expected[i] != actual[i]) {
      printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " op=%ld scale group=%d column=%d expected=0x%04x"
             " actual=0x%04x (%s vs RTL; %s; phase: %s)\n",
             tb.opt.seed, tb.cycle, op, i / tb.cfg.cols, i % tb.cfg.cols, expected[i], actual[i], what, cfg_str(),
             phase_table[tb.phase].name);
      return 1;
    }
  }
  return 0;
}

/* Cycle level: the RTL's outputs equal the model's for the same state and inputs. */
static int compare_outputs(const cim_macro_out_t *dut, const cim_macro_out_t *mod) {
  if (tb.opt.inject_mismatch >= 0 && tb.cycle == (uint64_t)tb.opt.inject_mismatch) {
    printf("(--inject-mismatch %" PRId64 ": the C model's idle is inverted at this cycle)\n", tb.opt.inject_mismatch);
    return check_bit("idle", !mod->idle, dut->idle);
  }
  if (check_bit("w_ready", mod->w_ready, dut->w_ready) || check_bit("a_ready", mod->a_ready, dut->a_ready) ||
      check_bit("r_valid", mod->r_valid, dut->r_valid) || check_bit("bank", mod->bank, dut->bank) ||
      check_bit("idle", mod->idle, dut->idle))
    return 1;
  return mod->r_valid && (check_sums("C model", tb.ops_done, mod->r_data, dut->r_data) ||
                          check_scales("C model", tb.ops_done, mod->r_scale, dut->r_scale));
}

/* ----------------------------------------------------------------------------------------- */
/* Handshakes observed this cycle: update the spec-level state and the scoreboard             */
/* ----------------------------------------------------------------------------------------- */
/* A write as the spec defines it: element e at index (w_idx aligned down) + e of the shadow
 * bank; elements past the array are dropped. */
static void ref_write(const cim_macro_in_t *in) {
  int shadow = !tb.ref_active;
  tb.ref_w_prec[shadow] = -1;
  if (!in->w_kind) {
    unsigned n = (unsigned)tb.words_per_wr, base = in->w_idx / n * n;
    uint32_t mask = tb.cfg.group_rows == 32 ? ~0u : (1u << tb.cfg.group_rows) - 1;
    for (unsigned e = 0; e < n; e++) {
      if (base + e >= (unsigned)tb.nwords) continue;
      const uint8_t *d = in->w_data + 4 * e;
      tb.ref_word[shadow][base + e] =
          ((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24) & mask;
    }
  } else {
    /* the scale index is the low clog2(nsums) bits of w_idx */
    unsigned space = 1;
    while (space < (unsigned)tb.nsums) space <<= 1;
    unsigned n = (unsigned)tb.scales_per_wr, base = (in->w_idx & (space - 1)) / n * n;
    for (unsigned e = 0; e < n; e++)
      if (base + e < (unsigned)tb.nsums)
        tb.ref_scale[shadow][base + e] = (uint16_t)(in->w_data[2 * e] | in->w_data[2 * e + 1] << 8);
  }
}

/* The loader wrote its next element group: words first, then scales. */
static void load_advance(void) {
  if (tb.load_pos < tb.nwords) {
    tb.load_pos += tb.words_per_wr;
    if (tb.load_pos >= tb.nwords) tb.load_pos = tb.nwords;
  } else {
    tb.load_pos += tb.scales_per_wr;
  }
  if (tb.load_pos >= tb.nwords + tb.nsums) {
    tb.load_done = 1;
    tb.shadow_prec = tb.pattern_prec;
  }
}
static int observe(const cim_macro_out_t *dut) {
  const cim_macro_in_t *in = &tb.in;
  int w_fire = in->w_valid && dut->w_ready;
  int a_fire = in->a_valid && dut->a_ready;
  int r_fire = dut->r_valid && in->r_ready;

  if (!dut->a_ready) tb.stall_cycles++;
  if (!dut->a_ready && in->a_valid && tb.op_plane == 0 && in->a_swap) tb.stall_swaps++;
  if (!in->r_ready) {
    for (int i = 0; i < tb.q_count; i++) tb.q[(tb.q_head + i) % QCAP].backpressure = 1;
    if (tb.op_active) tb.op_bubble |= 2;
  }
  if (w_fire) {
    tb.writes++;
    ref_write(in);
    int loading_scales = tb.load_pos >= tb.nwords;
    unsigned want = (unsigned)(loading_scales ? tb.load_pos - tb.nwords : tb.load_pos);
    if (!tb.load_done && in->w_idx == want && in->w_kind == loading_scales) load_advance();
  }
  if (tb.op_active && in->a_valid && !a_fire && tb.op_plane > 0) tb.op_bubble |= 1;
  if (a_fire) {
    if (tb.op_plane == 0) {
      tb.op_first = tb.cycle;
      if (in->a_swap) {
        tb.ref_active ^= 1;
        tb.swaps++;
        tb.swap_r_low += !in->r_ready;
        tb.swap_r_full += dut->r_valid && !in->r_ready;
        tb.swap_w_refused += in->w_valid && !dut->w_ready;
        int p = tb.active_prec;
        tb.active_prec = tb.shadow_prec;
        tb.shadow_prec = p;
        if (tb.load_done) new_pattern(); /* the loaded bank is active: load the other one */
      }
      tb.op_prec = in->a_prec; /* the precision the operation was given */
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
      int b = tb.ref_active;
      if (tb.ref_w_prec[b] != tb.op_prec) { /* decode the bank once per contents and precision */
        for (int r = 0; r < tb.cfg.rows; r++)
          for (int c = 0; c < tb.cfg.cols; c++)
            tb.ref_w[b][r * tb.cfg.cols + c] = ref_weight(tb.ref_word[b], tb.op_prec, r, c);
        tb.ref_w_prec[b] = tb.op_prec;
      }
      cim_macro_ref_dot(&tb.cfg, tb.ref_w[b], tb.act, e->sums);
      memcpy(e->scales, tb.ref_scale[tb.ref_active], (size_t)tb.nsums * sizeof(uint16_t));
      tb.prec_ops[tb.op_prec]++;
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
    if (check_sums("reference dot product", e->op, e->sums, dut->r_data) ||
        check_scales("bank scales", e->op, e->scales, dut->r_scale))
      return 1;
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
      if (chaos) { /* any index (past the end too), either kind, random bits */
        in->w_kind = (int)tb_rng_below(&tb.rng, 2);
        in->w_idx = tb_rng_below(&tb.rng, (uint32_t)tb.idx_space);
        for (int i = 0; i < tb.cfg.wr_bits / 8; i++) tb.w_data[i] = (uint8_t)tb_rng_below(&tb.rng, 256);
      } else if (tb.load_pos < tb.nwords) {
        in->w_kind = 0;
        in->w_idx = (unsigned)tb.load_pos;
        for (int e = 0; e < tb.words_per_wr; e++) {
          uint32_t v = tb.load_pos + e < tb.nwords ? tb.pattern_words[tb.load_pos + e] : 0;
          for (int k = 0; k < 4; k++) tb.w_data[4 * e + k] = (uint8_t)(v >> (8 * k));
        }
      } else {
        int s0 = tb.load_pos - tb.nwords;
        in->w_kind = 1;
        in->w_idx = (unsigned)s0;
        for (int e = 0; e < tb.scales_per_wr; e++) {
          uint16_t v = s0 + e < tb.nsums ? tb.pattern_scales[s0 + e] : 0;
          tb.w_data[2 * e] = (uint8_t)v;
          tb.w_data[2 * e + 1] = (uint8_t)(v >> 8);
        }
      }
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
      /* the precision of the bank the operation will use (the shadow one if it swaps) */
      in->a_prec = b == 0 ? (tb.op_swap ? tb.shadow_prec : tb.active_prec) : in->a_prec;
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
  {
    int bad = compare_outputs(dut, &mod);
    bad |= observe(dut);
    /* EDGECIM_TB_NO_CHECK=1 (make sva-fire): report, never stop, so that assertions can fire */
    if (bad && !(getenv("EDGECIM_TB_NO_CHECK") && atoi(getenv("EDGECIM_TB_NO_CHECK")))) return fail();
  }
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

void cim_tb_progress(char *buf, size_t n) {
  snprintf(buf, n, "%ld/%ld operations compared, phase: %s", tb.ops_done, tb.opt.ops,
           tb.phase >= 0 ? phase_table[tb.phase].name : "-");
}

void cim_tb_summary(double host_seconds) {
  printf("config      %s\n", cfg_str());
  printf("seed        %" PRIu64 "\n", tb.opt.seed);
  printf("operations  %ld compared (%ld weight writes, %ld bank swaps, %ld latency checks)\n", tb.ops_done,
         tb.writes, tb.swaps, tb.latency_checked);
  for (int p = 0; p < NPHASES; p++) printf("  %-34s %ld ops\n", phase_table[p].name, tb.phase_ops[p]);
  printf("precisions  %ld ops at 2 bits, %ld at 4, %ld at 8\n", tb.prec_ops[0], tb.prec_ops[1], tb.prec_ops[2]);
  printf("cycles      %" PRIu64 " simulated (%ld stalled by backpressure)\n", tb.cycle, tb.stall_cycles);
  printf("bins        %ld swaps with r_ready low, %ld swaps with a result waiting, %ld swaps refusing a write, "
         "%ld swaps held by a stall, %ld ops at 2 bits, %ld ops at 4 bits, %ld ops at 8 bits\n",
         tb.swap_r_low, tb.swap_r_full, tb.swap_w_refused, tb.stall_swaps, tb.prec_ops[0], tb.prec_ops[1], tb.prec_ops[2]);
  if (host_seconds > 0)
    printf("speed       %.0f simulated cycles/s (%.2f s host CPU)\n", (double)tb.cycle / host_seconds, host_seconds);
  printf("mismatches  %d\n", tb.status == CIM_TB_FAIL ? 1 : 0);
  printf("result      %s\n", tb.status == CIM_TB_PASS ? "PASS" : "FAIL");
}
