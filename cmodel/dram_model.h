/* SPDX-License-Identifier: Apache-2.0 */
/* DRAM model behind the accelerator's memory port (plain C). The RTL testbench (through DPI)
 * and the C model of the top use this same model, so both see the same memory timing.
 *
 * Port (docs/ARCHITECTURE.md): requests (we, byte address, beats - 1) are queued in order;
 * the first beat of a request can move `latency` cycles after it was accepted; a beat moves
 * only when the bandwidth budget (a token bucket refilled by bytes_per_cycle each cycle) holds
 * a whole beat and the cycle is not a random stall. With `posted_writes` the controller takes
 * a write into a write buffer instead (one at a time; no request is accepted meanwhile): its beats
 * move from the next cycle, ahead of the queued reads, and it must not overlap a queued read
 * (dram_clock fails if it does: the read would return the new data). Outputs depend only on the state (Moore):
 * call dram_out() for the current cycle, then dram_clock() with the sampled inputs. */
#ifndef DRAM_MODEL_H
#define DRAM_MODEL_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t size;          /* bytes of memory */
  int data_bytes;         /* port width: a power of two, 16..256 bytes */
  double bytes_per_cycle; /* bandwidth, at most data_bytes */
  int latency;            /* cycles from request to its first beat, >= 1 */
  int stall_pct;          /* percent of cycles that move no beat (refresh, conflicts) */
  int queue_depth;        /* requests in flight */
  uint64_t seed;
  int posted_writes;      /* 1: the controller takes write data at once (a write buffer), so a
                           * write's first beat skips the latency; 0: it waits as a read does */
} dram_cfg_t;

typedef struct {
  int req_ready, r_valid, w_ready;
  uint8_t r_data[256]; /* a beat: data_bytes of them */
} dram_out_t;

typedef struct {
  int req_valid, req_we;
  uint32_t req_addr;
  int req_len; /* beats - 1 */
  int w_valid;
  const uint8_t *w_data;
  const uint8_t *w_strb;  /* data_bytes byte enables (0 or 1 each) */
  int r_ready;
} dram_in_t;

typedef struct {
  uint64_t cycles, beats_read, beats_written, bytes_read, bytes_written, busy_cycles;
} dram_stats_t;

typedef struct dram_model dram_model_t;

/* 0 if cfg is valid; otherwise -1 and a message in err. */
int dram_cfg_check(const dram_cfg_t *cfg, char *err, size_t errlen);
dram_model_t *dram_new(const dram_cfg_t *cfg); /* NULL on a bad cfg or no memory */
void dram_free(dram_model_t *d);
uint8_t *dram_mem(dram_model_t *d);
const dram_cfg_t *dram_cfg(const dram_model_t *d);
void dram_out(const dram_model_t *d, dram_out_t *out);
/* Returns 0, or -1 after an access outside the memory (message in dram_error()). */
int dram_clock(dram_model_t *d, const dram_in_t *in);
const char *dram_error(const dram_model_t *d);
int dram_idle(const dram_model_t *d); /* no request queued */
dram_stats_t dram_stats(const dram_model_t *d);
#endif
