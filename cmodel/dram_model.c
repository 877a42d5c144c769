/* SPDX-License-Identifier: Apache-2.0 */
/* DRAM model: see dram_model.h. */
#include "dram_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int we;
  uint32_t addr;
  int beats, done;
  uint64_t ready_cycle;
} dram_req_t;

struct dram_model {
  dram_cfg_t cfg;
  uint8_t *mem;
  dram_req_t *q;
  int q_head, q_count;
  dram_req_t wbuf; /* posted_writes: the write the controller is taking (beats > done) */
  uint64_t cycle, rng;
  int64_t tokens, refill, beat_cost; /* in 1/256 byte */
  int stall;
  dram_stats_t st;
  char err[160];
};

int dram_cfg_check(const dram_cfg_t *c, char *err, size_t errlen) {
  const char *why = NULL;
  if (c->size == 0) why = "memory size is 0";
  else if (c->data_bytes < 16 || c->data_bytes > 256 || (c->data_bytes & (c->data_bytes - 1)))
    why = "port width must be a power of two in 16..256 bytes";
  else if (!(c->bytes_per_cycle > 0) || c->bytes_per_cycle > c->data_bytes)
    why = "bandwidth must be in (0, port width] bytes per cycle";
  else if (c->latency < 1 || c->latency > 100000) why = "latency must be in 1..100000 cycles";
  else if (c->stall_pct < 0 || c->stall_pct > 90) why = "stall percentage must be in 0..90";
  else if (c->queue_depth < 1 || c->queue_depth > 256) why = "queue depth must be in 1..256";
  else if (c->posted_writes != 0 && c->posted_writes != 1) why = "posted writes must be 0 or 1";
  if (why && err && errlen) snprintf(err, errlen, "dram: %s", why);
  return why ? -1 : 0;
}

static uint64_t rng_next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

dram_model_t *dram_new(const dram_cfg_t *cfg) {
  if (dram_cfg_check(cfg, NULL, 0)) return NULL;
  dram_model_t *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->cfg = *cfg;
  d->mem = calloc(cfg->size, 1);
  d->q = calloc((size_t)cfg->queue_depth, sizeof *d->q);
  if (!d->mem || !d->q) {
    dram_free(d);
    return NULL;
  }
  d->rng = cfg->seed ^ 0xD7A3u;
  d->beat_cost = (int64_t)cfg->data_bytes * 256;
  d->refill = (int64_t)(cfg->bytes_per_cycle * 256.0 + 0.5);
  d->tokens = d->beat_cost;
  return d;
}

void dram_free(dram_model_t *d) {
  if (!d) return;
  free(d->mem);
  free(d->q);
  free(d);
}

uint8_t *dram_mem(dram_model_t *d) { return d->mem; }
const dram_cfg_t *dram_cfg(const dram_model_t *d) { return &d->cfg; }
const char *dram_error(const dram_model_t *d) { return d->err; }
int dram_idle(const dram_model_t *d) { return d->q_count == 0 && d->wbuf.done == d->wbuf.beats; }
dram_stats_t dram_stats(const dram_model_t *d) { return d->st; }

static const dram_req_t *head(const dram_model_t *d) { return d->q_count ? &d->q[d->q_head] : NULL; }

static int posting(const dram_model_t *d) { return d->wbuf.done < d->wbuf.beats; }

static int can_beat(const dram_model_t *d, const dram_req_t *h) {
  return h && d->cycle >= h->ready_cycle && d->tokens >= d->beat_cost && !d->stall;
}

/* The request whose beat may move this cycle: a posted write first (its beats are few and the
 * writer waits on them), else the head of the in-order queue. */
static const dram_req_t *mover(const dram_model_t *d) { return posting(d) ? &d->wbuf : head(d); }

void dram_out(const dram_model_t *d, dram_out_t *o) {
  const dram_req_t *h = mover(d);
  int beat = can_beat(d, h);
  /* Moore: one ready for both kinds; while a posted write is taken no request is accepted */
  o->req_ready = d->q_count < d->cfg.queue_depth && !posting(d);
  o->r_valid = beat && !h->we;
  o->w_ready = beat && h->we;
  memset(o->r_data, 0, sizeof o->r_data);
  if (o->r_valid) {
    uint64_t a = (uint64_t)h->addr + (uint64_t)h->done * d->cfg.data_bytes;
    if (a + d->cfg.data_bytes <= d->cfg.size) memcpy(o->r_data, d->mem + a, (size_t)d->cfg.data_bytes);
  }
}

static int range_ok(dram_model_t *d, uint64_t a, const char *what) {
  if (a + d->cfg.data_bytes <= d->cfg.size) return 1;
  snprintf(d->err, sizeof d->err, "dram: %s beat at 0x%llx beyond the %u-byte memory (cycle %llu)", what,
           (unsigned long long)a, d->cfg.size, (unsigned long long)d->cycle);
  return 0;
}

/* A posted write must not overtake a queued read of the same bytes (the read would return the
 * new data): the RTL never issues one; the co-simulations would fail here if it did. */
static int overtakes_read(dram_model_t *d, uint32_t addr, int beats) {
  uint64_t w0 = addr, w1 = w0 + (uint64_t)beats * d->cfg.data_bytes;
  for (int i = 0; i < d->q_count; i++) {
    const dram_req_t *r = &d->q[(d->q_head + i) % d->cfg.queue_depth];
    uint64_t r0 = (uint64_t)r->addr + (uint64_t)r->done * d->cfg.data_bytes, r1 = (uint64_t)r->addr + (uint64_t)r->beats * d->cfg.data_bytes;
    if (!r->we && r0 < w1 && w0 < r1) {
      snprintf(d->err, sizeof d->err, "dram: posted write of 0x%x..0x%llx overtakes a queued read of 0x%llx..0x%llx (cycle %llu)",
               addr, (unsigned long long)w1, (unsigned long long)r0, (unsigned long long)r1, (unsigned long long)d->cycle);
      return 1;
    }
  }
  return 0;
}

int dram_clock(dram_model_t *d, const dram_in_t *in) {
  dram_out_t o;
  dram_out(d, &o);
  int rc = 0;
  dram_req_t *h = (dram_req_t *)mover(d);
  int moved = 0;
  if (o.r_valid && in->r_ready) {
    uint64_t a = (uint64_t)h->addr + (uint64_t)h->done * d->cfg.data_bytes;
    if (!range_ok(d, a, "read")) rc = -1;
    d->st.beats_read++;
    d->st.bytes_read += (uint64_t)d->cfg.data_bytes;
    moved = 1;
  } else if (o.w_ready && in->w_valid) {
    uint64_t a = (uint64_t)h->addr + (uint64_t)h->done * d->cfg.data_bytes;
    if (!range_ok(d, a, "write")) {
      rc = -1;
    } else {
      for (int i = 0; i < d->cfg.data_bytes; i++)
        if (in->w_strb[i]) d->mem[a + (uint64_t)i] = in->w_data[i], d->st.bytes_written++;
    }
    d->st.beats_written++;
    moved = 1;
  }
  if (moved) {
    d->st.busy_cycles++;
    d->tokens -= d->beat_cost;
    if (++h->done == h->beats && h != &d->wbuf) {
      d->q_head = (d->q_head + 1) % d->cfg.queue_depth;
      d->q_count--;
    }
  }
  if (in->req_valid && o.req_ready) {
    /* posted: a write goes to the write buffer, its beats from the next cycle on; else it joins
     * the in-order queue and waits the latency as a read does */
    int post = in->req_we && d->cfg.posted_writes;
    dram_req_t *r = post ? &d->wbuf : &d->q[(d->q_head + d->q_count++) % d->cfg.queue_depth];
    r->we = in->req_we;
    r->addr = in->req_addr;
    r->beats = in->req_len + 1;
    r->done = 0;
    r->ready_cycle = d->cycle + (post ? 1u : (uint64_t)d->cfg.latency);
    if (post && overtakes_read(d, r->addr, r->beats)) rc = -1;
  }
  /* The bucket holds up to two beats: a bandwidth that is not a divisor of the port width
   * (6 B/cycle on an 8-byte port) still averages out; at most one beat moves per cycle. */
  d->tokens += d->refill;
  if (d->tokens > 2 * d->beat_cost) d->tokens = 2 * d->beat_cost;
  d->stall = d->cfg.stall_pct && (int)(rng_next(&d->rng) % 100) < d->cfg.stall_pct;
  d->cycle++;
  d->st.cycles++;
  return rc;
}
