/* SPDX-License-Identifier: Apache-2.0 */
/* Unit test of the C model of the CIM macro (cmodel/cim_macro.c), without the RTL:
 * results against the reference dot product, stated latency and interval, the bank rules, and
 * configuration checking. Usage: test_cim_macro_model [--seed N] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim_macro.h"
#include "tb_rng.h"

static uint64_t seed = 1;
static int failures;

#define CHECK(cond, ...)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      printf("FAIL seed=%" PRIu64 " %s:%d: ", seed, __FILE__, __LINE__);              \
      printf(__VA_ARGS__);                                                            \
      printf("\n");                                                                   \
      failures++;                                                                     \
      return;                                                                         \
    }                                                                                 \
  } while (0)

typedef struct {
  cim_macro_cfg_t cfg;
  cim_macro_t *m;
  cim_macro_in_t in;
  cim_macro_out_t out;
  uint8_t *wdata; /* one write beat: wr_bits / 8 bytes */
  uint8_t *plane;
  long cycle;
} rig_t;

static void rig_init(rig_t *r, const cim_macro_cfg_t *cfg) {
  memset(r, 0, sizeof *r);
  r->cfg = *cfg;
  r->m = cim_macro_new(cfg);
  r->wdata = calloc((size_t)cfg->wr_bits / 8, 1);
  r->plane = calloc((size_t)cfg->rows, 1);
  r->in.w_data = r->wdata;
  r->in.a_plane = r->plane;
  r->in.r_ready = 1;
}

static void rig_free(rig_t *r) {
  cim_macro_free(r->m);
  free(r->wdata);
  free(r->plane);
}

static void tick(rig_t *r) {
  cim_macro_eval(r->m, &r->in, &r->out);
  cim_macro_clock(r->m, &r->in);
  r->cycle++;
}

/* Bit-plane word (group g, plane j, column col) of w (rows x cols) at wbits-bit precision: bit rr
 * is bit j of the weight of row g * group_rows + rr (two's complement). */
static uint32_t plane_word(const cim_macro_cfg_t *c, const int32_t *w, int wbits, int g, int j, int col) {
  uint32_t v = 0;
  if (j >= wbits) return 0;
  for (int rr = 0; rr < c->group_rows; rr++)
    v |= ((uint32_t)w[(size_t)(g * c->group_rows + rr) * c->cols + col] >> j & 1u) << rr;
  return v;
}

/* Writes w (rows x cols, wbits-bit weights) and its scales into the shadow bank, one beat of
 * wr_bits per cycle: the bit-plane words at index (g * cfg.wbits + j) * cols + col, then the
 * scales at g * cols + col. */
static void load_shadow(rig_t *r, const int32_t *w, int wbits, const uint16_t *scales) {
  const cim_macro_cfg_t *c = &r->cfg;
  int nwords = cim_macro_words(c), nsums = cim_macro_groups(c) * c->cols;
  int per = c->wr_bits / 32, sper = c->wr_bits / 16;
  r->in.w_valid = 1;
  r->in.w_kind = 0;
  for (int base = 0; base < nwords; base += per) {
    memset(r->wdata, 0, (size_t)c->wr_bits / 8);
    for (int e = 0; e < per && base + e < nwords; e++) {
      int idx = base + e, col = idx % c->cols, gj = idx / c->cols;
      uint32_t v = plane_word(c, w, wbits, gj / c->wbits, gj % c->wbits, col);
      for (int b = 0; b < 4; b++) r->wdata[4 * e + b] = (uint8_t)(v >> 8 * b);
    }
    r->in.w_idx = (unsigned)base;
    tick(r);
  }
  r->in.w_kind = 1;
  for (int base = 0; base < nsums; base += sper) {
    memset(r->wdata, 0, (size_t)c->wr_bits / 8);
    for (int e = 0; e < sper && base + e < nsums; e++) {
      r->wdata[2 * e] = (uint8_t)scales[base + e];
      r->wdata[2 * e + 1] = (uint8_t)(scales[base + e] >> 8);
    }
    r->in.w_idx = (unsigned)base;
    tick(r);
  }
  r->in.w_valid = 0;
  r->in.w_kind = 0;
}

/* Sends one operation back to back; returns the cycle its result became valid and its sums. */
static long run_op(rig_t *r, const int32_t *act, int swap, int prec, int32_t *sums, uint16_t *scales) {
  long first = r->cycle;
  r->in.a_prec = prec;
  for (int b = 0; b < r->cfg.abits; b++) {
    for (int row = 0; row < r->cfg.rows; row++) r->plane[row] = (uint8_t)(((uint32_t)act[row] >> b) & 1u);
    r->in.a_valid = 1;
    r->in.a_swap = b == 0 && swap;
    tick(r);
  }
  r->in.a_valid = 0;
  r->in.a_swap = 0;
  for (int guard = 0; guard < 100; guard++) {
    cim_macro_eval(r->m, &r->in, &r->out);
    if (r->out.r_valid) {
      memcpy(sums, r->out.r_data, sizeof(int32_t) * (size_t)cim_macro_groups(&r->cfg) * r->cfg.cols);
      memcpy(scales, r->out.r_scale, sizeof(uint16_t) * (size_t)cim_macro_groups(&r->cfg) * r->cfg.cols);
      long lat = r->cycle - first;
      tick(r); /* r_ready = 1: consumed */
      return lat;
    }
    tick(r);
  }
  return -1;
}

static void random_vec(tb_rng_t *g, int32_t *v, int n, int bits) {
  for (int i = 0; i < n; i++) v[i] = tb_rng_range(g, -(1 << (bits - 1)), (1 << (bits - 1)) - 1);
}

/* Random and corner operations at every precision the build holds (2 << prec <= wbits), each
 * checked against the reference dot product, its scales and the stated latency. */
static void test_config(const cim_macro_cfg_t *cfg, int ops) {
  rig_t r;
  rig_init(&r, cfg);
  CHECK(r.m, "cim_macro_new failed");
  tb_rng_t g = {seed ^ (uint64_t)(cfg->rows * 131 + cfg->wbits * 7 + cfg->abits)};
  size_t nw = (size_t)cfg->rows * cfg->cols;
  int nsums = cim_macro_groups(cfg) * cfg->cols, nprec = 0;
  while (cim_macro_prec_bits(nprec) <= cfg->wbits && nprec < 3) nprec++;
  int32_t *w = calloc(nw, sizeof(int32_t)), *act = calloc((size_t)cfg->rows, sizeof(int32_t));
  int32_t *got = calloc((size_t)nsums, sizeof(int32_t)), *want = calloc((size_t)nsums, sizeof(int32_t));
  uint16_t *sc = calloc((size_t)nsums, sizeof(uint16_t)), *got_sc = calloc((size_t)nsums, sizeof(uint16_t));
  int prec = nprec - 1;
  for (int op = 0; op < ops; op++) {
    int corner = op % 4;
    if (corner == 0 || op == 0) {
      prec = (op / 4) % nprec;
      int bits = cim_macro_prec_bits(prec);
      random_vec(&g, w, (int)nw, bits);
      if (op % 8 == 4)
        for (size_t i = 0; i < nw; i++) w[i] = -(1 << (bits - 1));
      for (int i = 0; i < nsums; i++) sc[i] = (uint16_t)tb_rng_below(&g, 65536);
      load_shadow(&r, w, bits, sc);
    }
    random_vec(&g, act, cfg->rows, cfg->abits);
    if (corner == 1)
      for (int i = 0; i < cfg->rows; i++) act[i] = -(1 << (cfg->abits - 1));
    long lat = run_op(&r, act, corner == 0 || op == 0, prec, got, got_sc);
    cim_macro_ref_dot(cfg, w, act, want);
    CHECK(lat == cim_macro_latency(cfg), "latency %ld, stated %d", lat, cim_macro_latency(cfg));
    for (int i = 0; i < nsums; i++) {
      CHECK(got[i] == want[i], "cfg rows=%d wbits=%d abits=%d prec=%d op=%d group=%d col=%d expected=%" PRId32
            " actual=%" PRId32, cfg->rows, cfg->wbits, cfg->abits, prec, op, i / cfg->cols, i % cfg->cols,
            want[i], got[i]);
      CHECK(got_sc[i] == sc[i], "op=%d scale %d expected=%u actual=%u", op, i, sc[i], got_sc[i]);
    }
  }
  free(w);
  free(act);
  free(got);
  free(want);
  free(sc);
  free(got_sc);
  rig_free(&r);
}

/* Back-to-back operations: one result every abits cycles. */
static void test_interval(void) {
  const cim_macro_cfg_t *cfg = &CIM_MACRO_DEFAULT_CFG;
  rig_t r;
  rig_init(&r, cfg);
  memset(r.plane, 1, (size_t)cfg->rows);
  r.in.a_valid = 1;
  long prev = -1, intervals = 0;
  for (int c = 0; c < 20 * cfg->abits; c++) {
    cim_macro_eval(r.m, &r.in, &r.out);
    CHECK(r.out.a_ready, "stalled at cycle %ld with r_ready high", r.cycle);
    if (r.out.r_valid) {
      if (prev >= 0) {
        CHECK(r.cycle - prev == cim_macro_interval(cfg), "interval %ld, stated %d", r.cycle - prev,
              cim_macro_interval(cfg));
        intervals++;
      }
      prev = r.cycle;
    }
    tick(&r);
  }
  CHECK(intervals > 10, "only %ld results", intervals);
  rig_free(&r);
}

/* Bank rules: a write in a swap cycle waits (w_ready low) and lands in the new shadow bank; a
 * write beyond the bank's words is dropped; bits above group_rows are not stored; the active
 * bank is never written. */
static void put_word(rig_t *r, unsigned idx, uint32_t v) {
  for (int b = 0; b < 4; b++) r->wdata[b] = (uint8_t)(v >> 8 * b);
  r->in.w_valid = 1;
  r->in.w_kind = 0;
  r->in.w_idx = idx;
}

static void test_bank_rules(void) {
  cim_macro_cfg_t cfg = {24, 3, 8, 4, 8, 32}; /* 3 groups x 3 cols x 4 planes = 36 words */
  rig_t r;
  rig_init(&r, &cfg);
  put_word(&r, 0, 0xFFFFFF04u); /* group 0, plane 0, col 0: row 2 only (bits >= 8 dropped) */
  r.in.a_valid = 1;
  r.in.a_swap = 1;
  cim_macro_eval(r.m, &r.in, &r.out);
  CHECK(!r.out.w_ready, "write accepted in a swap cycle");
  tick(&r); /* swap: bank 1 active, the write waits */
  CHECK(cim_macro_weight(r.m, 1, 2, 0, 1) == 0, "write landed in the bank that became active");
  r.in.a_swap = 0;
  cim_macro_eval(r.m, &r.in, &r.out);
  CHECK(r.out.w_ready && r.out.bank == 1, "write not ready after the swap (bank %d)", r.out.bank);
  tick(&r);
  CHECK(cim_macro_weight(r.m, 0, 2, 0, 1) == 1, "write did not land in the new shadow bank");
  put_word(&r, 40, 0xFFFFFFFFu); /* beyond the 36 words */
  tick(&r);
  for (int row = 0; row < cfg.rows; row++)
    for (int col = 0; col < cfg.cols; col++)
      CHECK(cim_macro_weight(r.m, 0, row, col, 1) == (row == 2 && col == 0 ? 1 : 0),
            "write changed row %d col %d", row, col);
  rig_free(&r);
}

static void test_cfg_check(void) {
  const cim_macro_cfg_t bad[] = {
      {128, 32, 48, 4, 8, 128}, {128, 32, 32, 1, 8, 128}, {128, 32, 32, 4, 1, 128}, {0, 32, 32, 4, 8, 128},
      {128, 0, 32, 4, 8, 128},  {4096, 32, 4096, 16, 16, 128}, {128, 32, 32, 4, 8, 48}, {128, 32, 32, 4, 8, 16},
  };
  char err[128];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK(cim_macro_cfg_check(&bad[i], err, sizeof err) == -1 && err[0], "bad config %zu accepted", i);
    CHECK(cim_macro_new(&bad[i]) == NULL, "cim_macro_new accepted bad config %zu", i);
  }
  CHECK(cim_macro_cfg_check(&CIM_MACRO_DEFAULT_CFG, err, sizeof err) == 0, "default rejected");
  CHECK(cim_macro_out_bits(&CIM_MACRO_DEFAULT_CFG) == 17, "default out bits %d", cim_macro_out_bits(&CIM_MACRO_DEFAULT_CFG));
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
    else {
      fprintf(stderr, "usage: %s [--seed N]\n", argv[0]);
      return 2;
    }
  }
  printf("test_cim_macro_model seed=%" PRIu64 "\n", seed);
  const cim_macro_cfg_t cfgs[] = {{128, 32, 32, 4, 8, 128}, {128, 32, 32, 8, 8, 128}, {128, 32, 32, 2, 8, 128},
                                  {128, 32, 32, 4, 4, 256}, {24, 5, 8, 4, 8, 32},    {32, 8, 32, 8, 4, 64}};
  for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) test_config(&cfgs[i], 200);
  test_interval();
  test_bank_rules();
  test_cfg_check();
  printf("%s\n", failures ? "FAIL" : "PASS");
  return failures ? 1 : 0;
}
