/* SPDX-License-Identifier: Apache-2.0 */
/* Small seeded PRNG (splitmix64) shared by the testbenches: runs reproduce from the seed. */
#ifndef TB_RNG_H
#define TB_RNG_H
#include <stdint.h>

typedef struct { uint64_t s; } tb_rng_t;

static inline uint64_t tb_rng_next(tb_rng_t *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
/* Uniform in [0, n). */
static inline uint32_t tb_rng_below(tb_rng_t *r, uint32_t n) {
  return n ? (uint32_t)(((tb_rng_next(r) >> 32) * (uint64_t)n) >> 32) : 0;
}
/* Uniform in [lo, hi]. */
static inline int32_t tb_rng_range(tb_rng_t *r, int32_t lo, int32_t hi) {
  return lo + (int32_t)tb_rng_below(r, (uint32_t)(hi - lo + 1));
}
/* 1 with probability pct/100. */
static inline int tb_rng_pct(tb_rng_t *r, int pct) { return (int)tb_rng_below(r, 100) < pct; }
#endif
