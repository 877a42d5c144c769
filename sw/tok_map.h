/* SPDX-License-Identifier: Apache-2.0 */
/* The tokenizers' string -> int hash map (open addressing, FNV-1a); keys are not copied. */
#ifndef EDGECIM_TOK_MAP_H
#define EDGECIM_TOK_MAP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key;
    size_t len;
    int val;
} tok_slot_t;

typedef struct {
    tok_slot_t *slots;
    size_t cap;
} tok_map_t;

static inline uint64_t tok_map_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

/* Room for n keys at a load factor <= 1/2.  0 or -1. */
static inline int tok_map_init(tok_map_t *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n + 16) m->cap *= 2;
    m->slots = calloc(m->cap, sizeof *m->slots);
    return m->slots ? 0 : -1;
}

/* Keeps the first value stored for a key (a duplicate token keeps its lowest id, a duplicate
 * merge its best rank, as llama.cpp's emplace). */
static inline void tok_map_put(tok_map_t *m, const char *k, size_t n, int v)
{
    size_t i = tok_map_hash(k, n) & (m->cap - 1);
    while (m->slots[i].key) {
        if (m->slots[i].len == n && memcmp(m->slots[i].key, k, n) == 0) return;
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i] = (tok_slot_t){k, n, v};
}

/* The value of a key or -1. */
static inline int tok_map_get(const tok_map_t *m, const char *k, size_t n)
{
    if (!m->slots) return -1;
    size_t i = tok_map_hash(k, n) & (m->cap - 1);
    while (m->slots[i].key) {
        if (m->slots[i].len == n && memcmp(m->slots[i].key, k, n) == 0) return m->slots[i].val;
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

#endif
