/* SPDX-License-Identifier: Apache-2.0 */
/* C model of rtl/edgecim_list.sv: the command-list fetcher (see ecim_top_int.h).
 *
 * It reads the list one unit at a time (max(64, DataBytes) bytes: one descriptor, or one port
 * beat holding several) into its buffer and offers the descriptors to the register file, which
 * checks and queues them in order as CMD_PUSH does. Its read requests share the DMA with the
 * running command's: one fetch request is in flight at most, and `ahead` counts the beats
 * requested before it and not yet popped, so the FIFO head is the fetcher's when it is 0. */
#include <string.h>

#include "ecim_top_int.h"

static unsigned unit_bytes(const ecim_hw_t *h) { return h->data_bytes > ECIM_DESC_BYTES ? (unsigned)h->data_bytes : ECIM_DESC_BYTES; }

void ecim_list_reset(ecim_list_t *l) { memset(l, 0, sizeof *l); }

int ecim_list_owns_head(const ecim_list_t *l) { return l->req_out && l->ahead == 0; }

void ecim_list_comb(const ecim_hw_t *h, const ecim_list_t *l, int fifo_valid, ecim_list_comb_t *c) {
  unsigned db = (unsigned)h->data_bytes;
  memset(c, 0, sizeof *c);
  c->rd_req_valid = l->active && !l->req_out && l->have == 0 && l->left != 0;
  c->rd_req_addr = l->addr;
  c->rd_req_beats = unit_bytes(h) / db;
  c->rd_pop = ecim_list_owns_head(l) && fifo_valid;
  c->desc_valid = l->active && l->next < l->have;
  for (int i = 0; i < ECIM_DESC_WORDS; i++) {
    const uint8_t *p = l->buf + l->next * ECIM_DESC_BYTES + 4 * i;
    c->desc[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  }
}

void ecim_list_start(ecim_list_t *l, uint32_t addr, unsigned count) {
  l->active = 1;
  l->addr = addr;
  l->left = count;
  l->have = l->next = 0;
}

void ecim_list_clock(const ecim_hw_t *h, ecim_list_t *l, const ecim_list_comb_t *c, int req_fire, unsigned inflight,
                     int data_pop, const uint8_t *rd_data, int desc_taken, int desc_refused) {
  unsigned db = (unsigned)h->data_bytes, per_unit = unit_bytes(h) / ECIM_DESC_BYTES;
  if (l->req_out && l->ahead && data_pop) l->ahead--;
  if (req_fire) {
    l->req_out = 1;
    l->ahead = inflight - (unsigned)data_pop;
    l->beats = 0;
    l->in_unit = l->left < per_unit ? l->left : per_unit;
    l->left -= l->in_unit;
    l->addr += unit_bytes(h);
  }
  if (c->rd_pop) {
    memcpy(l->buf + l->beats * db, rd_data, db);
    if (++l->beats == unit_bytes(h) / db) {
      l->req_out = 0;
      l->have = l->in_unit;
      l->next = 0;
    }
  }
  if (desc_refused) {
    l->active = 0;
    l->have = l->next = 0;
  } else if (desc_taken && ++l->next == l->have) {
    l->have = l->next = 0;
    if (l->left == 0) l->active = 0;
  }
}
