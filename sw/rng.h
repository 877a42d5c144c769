/* SPDX-License-Identifier: Apache-2.0 */
/* Small seeded PRNG (splitmix64) shared by mkmodel, sampling and the tests: the same seed
 * gives the same stream on every platform. */
#ifndef EDGECIM_RNG_H
#define EDGECIM_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct { uint64_t s; } rng_t;

static inline void rng_seed(rng_t *r, uint64_t seed) { r->s = seed ^ 0x9e3779b97f4a7c15ull; }

static inline uint64_t rng_u64(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline uint32_t rng_below(rng_t *r, uint32_t n) { return (uint32_t)(rng_u64(r) % n); }

/* Uniform in [0, 1). */
static inline double rng_unit(rng_t *r) { return (double)(rng_u64(r) >> 11) * (1.0 / 9007199254740992.0); }

/* Standard normal (Box-Muller). */
static inline double rng_normal(rng_t *r)
{
    double u1 = rng_unit(r), u2 = rng_unit(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif
