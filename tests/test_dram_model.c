/* SPDX-License-Identifier: Apache-2.0 */
/* The DRAM model alone (cmodel/dram_model.c): a read and a write with and without posted
 * writes (when each beat may move), and the posted write that would overtake a queued read of
 * the same bytes, refused with an error. Exit 0 if every check holds. */
#include <stdio.h>
#include <string.h>

#include "dram_model.h"

static int failures;
#define CHECK(c, ...)                                                                                                \
  do {                                                                                                               \
    if (!(c)) {                                                                                                      \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                                    \
      printf(__VA_ARGS__);                                                                                           \
      printf("\n");                                                                                                  \
      failures++;                                                                                                    \
    }                                                                                                                \
  } while (0)

enum { PORT = 16, LAT = 20 };

static dram_model_t *make(int posted) {
  dram_cfg_t c = {1u << 16, PORT, PORT, LAT, 0, 8, 1, posted};
  return dram_new(&c);
}

/* Requests one burst (we, addr, beats) and clocks until its last beat moved, writing `fill`;
 * returns the cycle (from the request) of its first beat, or -1 after 1000 cycles. */
static int one_request(dram_model_t *d, int we, uint32_t addr, int beats, uint8_t fill, int *rc) {
  uint8_t data[PORT], strb[PORT];
  memset(data, fill, sizeof data);
  memset(strb, 1, sizeof strb);
  int first = -1, done = 0;
  *rc = 0;
  for (int t = 0; t < 1000 && done < beats; t++) {
    dram_out_t o;
    dram_out(d, &o);
    dram_in_t in = {t == 0, we, addr, beats - 1, we, data, strb, !we};
    if (t == 0 && !o.req_ready) return -1;
    if ((we && o.w_ready) || (!we && o.r_valid)) {
      if (first < 0) first = t;
      done++;
    }
    if (dram_clock(d, &in)) *rc = -1;
  }
  return done == beats ? first : -1;
}

static void timing(void) {
  for (int posted = 0; posted <= 1; posted++) {
    dram_model_t *d = make(posted);
    int rc;
    int r = one_request(d, 0, 0x100, 4, 0, &rc);
    CHECK(r == LAT, "posted=%d: a read's first beat after %d cycles, want the latency %d", posted, r, LAT);
    int w = one_request(d, 1, 0x200, 2, 0xA5, &rc);
    int want = posted ? 1 : LAT;
    CHECK(w == want, "posted=%d: a write's first beat after %d cycles, want %d", posted, w, want);
    CHECK(dram_mem(d)[0x200] == 0xA5 && dram_mem(d)[0x21F] == 0xA5, "posted=%d: the write did not land", posted);
    CHECK(dram_idle(d), "posted=%d: not idle after both requests", posted);
    dram_free(d);
  }
}

/* A read of 0x400.. queued (its latency not yet over), then a posted write into it. */
static void overtaking_write_refused(void) {
  dram_model_t *d = make(1);
  dram_out_t o;
  uint8_t data[PORT] = {0}, strb[PORT] = {0};
  dram_in_t rd = {1, 0, 0x400, 3, 0, data, strb, 0};
  dram_out(d, &o);
  CHECK(dram_clock(d, &rd) == 0, "queueing a read failed: %s", dram_error(d));
  dram_in_t wr = {1, 1, 0x420, 0, 0, data, strb, 0};
  dram_out(d, &o);
  CHECK(o.req_ready, "no request ready with one read queued");
  int rc = dram_clock(d, &wr);
  CHECK(rc == -1 && strstr(dram_error(d), "overtakes a queued read"),
        "a posted write into a queued read was accepted (rc %d, '%s')", rc, dram_error(d));
  dram_free(d);
  /* the same write beside the read, not into it, is fine */
  d = make(1);
  dram_out(d, &o);
  dram_clock(d, &rd);
  wr.req_addr = 0x440;
  dram_out(d, &o);
  CHECK(dram_clock(d, &wr) == 0, "a posted write beside a queued read refused: %s", dram_error(d));
  dram_free(d);
}

static void bad_config(void) {
  dram_cfg_t c = {1u << 16, PORT, PORT, LAT, 0, 8, 1, 2};
  char err[160] = "";
  CHECK(dram_cfg_check(&c, err, sizeof err) == -1 && strstr(err, "posted"), "posted_writes=2 accepted ('%s')", err);
}

int main(void) {
  timing();
  overtaking_write_refused();
  bad_config();
  printf("test_dram_model: %s (%d failure%s)\n", failures ? "FAIL" : "PASS", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
