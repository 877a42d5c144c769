/* SPDX-License-Identifier: Apache-2.0 */
/* C model of rtl/edgecim_fifo.sv and rtl/edgecim_dma.sv; see ecim_top_int.h. */
#include <stdlib.h>
#include <string.h>

#include "ecim_top_int.h"

/* ------------------------------------------------------------------------------ edgecim_fifo */
int ecim_fifo_init(ecim_fifo_t *f, unsigned depth, unsigned bytes) {
  memset(f, 0, sizeof *f);
  f->depth = depth;
  f->bytes = bytes;
  f->mem = calloc((size_t)depth, bytes);
  f->rdata = calloc(1, bytes);
  f->oq[0] = calloc(1, bytes);
  f->oq[1] = calloc(1, bytes);
  return f->mem && f->rdata && f->oq[0] && f->oq[1] ? 0 : -1;
}

void ecim_fifo_free(ecim_fifo_t *f) {
  free(f->mem);
  free(f->rdata);
  free(f->oq[0]);
  free(f->oq[1]);
}

void ecim_fifo_reset(ecim_fifo_t *f) {
  f->sram_cnt = f->wptr = f->rptr = f->oq_cnt = 0;
  f->rd_pend = 0;
}

ecim_fifo_comb_t ecim_fifo_comb(const ecim_fifo_t *f, int push, int pop) {
  ecim_fifo_comb_t c;
  c.oq_left = f->oq_cnt - (unsigned)pop;
  unsigned room = 2 - c.oq_left - (unsigned)f->rd_pend;
  c.rd = f->sram_cnt != 0 && room != 0;
  c.bypass = push && f->sram_cnt == 0 && !f->rd_pend && room != 0;
  c.to_sram = push && !c.bypass;
  return c;
}

void ecim_fifo_clock(ecim_fifo_t *f, const ecim_fifo_comb_t *c, int pop, const uint8_t *push_data) {
  /* Output queue: shift on a pop, then append the SRAM data (older) and the bypassed push. */
  uint8_t *q0 = pop ? f->oq[1] : f->oq[0], *q1 = f->oq[1];
  const uint8_t *n0 = q0, *n1 = q1;
  if (f->rd_pend) {
    if (c->oq_left == 0) n0 = f->rdata;
    else n1 = f->rdata;
  }
  if (c->bypass) {
    if (c->oq_left + (unsigned)f->rd_pend == 0) n0 = push_data;
    else n1 = push_data;
  }
  /* n0 may be oq[1] (after a pop): copy it first, then n1 (never oq[0]). */
  if (n0 != f->oq[0]) memcpy(f->oq[0], n0, f->bytes);
  if (n1 != f->oq[1]) memcpy(f->oq[1], n1, f->bytes);
  /* SRAM: the read sees the memory before this cycle's write. */
  if (c->rd) memcpy(f->rdata, f->mem + (size_t)f->rptr * f->bytes, f->bytes);
  if (c->to_sram) memcpy(f->mem + (size_t)f->wptr * f->bytes, push_data, f->bytes);
  f->sram_cnt = f->sram_cnt + (unsigned)c->to_sram - (unsigned)c->rd;
  f->oq_cnt = c->oq_left + (unsigned)f->rd_pend + (unsigned)c->bypass;
  f->rd_pend = c->rd;
  if (c->to_sram) f->wptr = (f->wptr + 1) % f->depth;
  if (c->rd) f->rptr = (f->rptr + 1) % f->depth;
}

/* ------------------------------------------------------------------------------- edgecim_dma */
void ecim_dma_reset(ecim_dma_t *d) {
  d->w_busy = 0;
  d->w_left = d->inflight = 0;
  ecim_fifo_reset(&d->fifo);
}

ecim_dma_comb_t ecim_dma_comb(const ecim_top_t *t, const ecim_dma_req_t *rq, const dram_out_t *mem) {
  const ecim_dma_t *d = &t->dma;
  ecim_dma_comb_t c;
  memset(&c, 0, sizeof c);
  c.credit_ok = d->inflight + rq->rd_req_beats <= (unsigned)t->cfg.fifo_beats;
  c.wr_req_ready = mem->req_ready && !d->w_busy;
  c.wr_req_fire = rq->wr_req_valid && c.wr_req_ready;
  c.rd_req_ready = mem->req_ready && !rq->wr_req_valid && c.credit_ok;
  c.rd_req_fire = rq->rd_req_valid && c.rd_req_ready;
  c.mem_req_valid = (rq->wr_req_valid && !d->w_busy) || (rq->rd_req_valid && !rq->wr_req_valid && c.credit_ok);
  c.mem_req_we = rq->wr_req_valid;
  c.mem_req_addr = rq->wr_req_valid ? rq->wr_req_addr : rq->rd_req_addr;
  c.mem_req_len = (int)((rq->wr_req_valid ? rq->wr_req_beats - 1 : rq->rd_req_beats - 1) & 0xFF);
  c.mem_w_valid = d->w_busy && rq->wr_valid;
  c.wr_ready = d->w_busy && mem->w_ready;
  c.w_fire = c.mem_w_valid && mem->w_ready;
  c.rd_valid = d->fifo.oq_cnt != 0;
  c.fifo = ecim_fifo_comb(&d->fifo, mem->r_valid, rq->rd_pop);
  return c;
}

void ecim_dma_clock(ecim_top_t *t, const ecim_dma_comb_t *c, const ecim_dma_req_t *rq, const dram_out_t *mem) {
  ecim_dma_t *d = &t->dma;
  if (c->wr_req_fire) {
    d->w_busy = 1;
    d->w_left = rq->wr_req_beats;
  } else if (c->w_fire) {
    if (d->w_left == 1) d->w_busy = 0;
    d->w_left--;
  }
  d->inflight = d->inflight + (c->rd_req_fire ? rq->rd_req_beats : 0) - (unsigned)rq->rd_pop;
  ecim_fifo_clock(&d->fifo, &c->fifo, rq->rd_pop, mem->r_data);
}
