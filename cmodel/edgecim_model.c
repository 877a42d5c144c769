/* SPDX-License-Identifier: Apache-2.0 */
/* Cycle-exact C model of rtl/edgecim_top.sv; see edgecim_model.h. This file holds the top (the
 * order of the modules within a cycle) and edgecim_regs; the sequencer, the DMA and the tiles
 * are in cmodel/ecim_seq.c, ecim_dma.c and ecim_tile.c (ecim_top_int.h). */
#include "edgecim_model.h"

#include <stdlib.h>
#include <string.h>

#include "ecim_top_int.h"
#include "edgecim_regs.h"

#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)
#define BIT(name) (EDGECIM_##name##_MASK << EDGECIM_##name##_LSB)

/* ---------------------------------------------------------------------------- construction */
ecim_top_t *ecim_top_new(const ecim_hw_t *cfg) {
  if (ecim_hw_check(cfg, NULL, 0)) return NULL;
  ecim_top_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->cfg = *cfg;
  t->nm = cfg->nmacros + cfg->nres;
  int ok = (t->r.qmem = calloc((size_t)cfg->queue_depth, sizeof *t->r.qmem)) != NULL;
  ok = ok && ecim_fifo_init(&t->dma.fifo, (unsigned)cfg->fifo_beats, (unsigned)cfg->data_bytes) == 0;
  ok = ok && ecim_vu_init(&t->vu, cfg) == 0;
  for (int i = 0; i < cfg->ntiles && ok; i++) ok = ecim_tile_init(&t->tile[i], cfg, t->nm) == 0;
  if (!ok) {
    ecim_top_free(t);
    return NULL;
  }
  ecim_top_reset(t);
  return t;
}

void ecim_top_free(ecim_top_t *t) {
  if (!t) return;
  for (int i = 0; i < t->cfg.ntiles; i++) ecim_tile_free(&t->tile[i], t->nm);
  ecim_fifo_free(&t->dma.fifo);
  ecim_vu_free(&t->vu);
  free(t->r.qmem);
  free(t);
}

/* Reset: the registers with a reset in the RTL. Memories (SRAMs, banks, FIFO data) keep their
 * contents, as the RTL's do. */
static void regs_reset(ecim_regs_t *r, const ecim_hw_t *h) {
  ecim_cmd_desc_t *q = r->qmem;
  memset(r, 0, sizeof *r);
  r->qmem = q;
  r->mem_limit = h->mem_bytes;
}

void ecim_top_reset(ecim_top_t *t) {
  memset(&t->stats, 0, sizeof t->stats);
  regs_reset(&t->r, &t->cfg);
  ecim_list_reset(&t->list);
  ecim_vu_reset(&t->vu);
  ecim_seq_reset(&t->seq);
  ecim_dma_reset(&t->dma);
  for (int i = 0; i < t->cfg.ntiles; i++) ecim_tile_reset(&t->tile[i], &t->cfg, t->nm);
}

/* ---------------------------------------------------------------- edgecim_regs: registers */
/* busy and list: STATUS.BUSY and STATUS.LIST of the cycle (before the edge). */
static int read_reg(const ecim_top_t *t, uint32_t addr, int busy, int list, uint32_t *v) {
  const ecim_regs_t *r = &t->r;
  if (addr >= EDGECIM_REG_CMD_W_ADDR && addr <= EDGECIM_REG_CMD_W_BYTES && addr % 4 == 0) {
    *v = r->w[(addr - EDGECIM_REG_CMD_W_ADDR) / 4];
    return 1;
  }
  switch (addr) {
    case EDGECIM_REG_ID: *v = EDGECIM_ID_VALUE; return 1;
    case EDGECIM_REG_HWCFG: *v = ecim_hwcfg_pack(&t->cfg); return 1;
    case EDGECIM_REG_HWCFG2: *v = ecim_hwcfg2_pack(&t->cfg); return 1;
    case EDGECIM_REG_HWCFG3: *v = ecim_hwcfg3_pack(&t->cfg); return 1;
    case EDGECIM_REG_CTRL: *v = (uint32_t)r->irq_en << EDGECIM_CTRL_IRQ_EN_LSB; return 1;
    case EDGECIM_REG_STATUS:
      *v = (uint32_t)busy << EDGECIM_STATUS_BUSY_LSB | (uint32_t)r->err << EDGECIM_STATUS_ERROR_LSB |
           (uint32_t)list << EDGECIM_STATUS_LIST_LSB |
           (r->q_count & EDGECIM_STATUS_QUEUE_COUNT_MASK) << EDGECIM_STATUS_QUEUE_COUNT_LSB;
      return 1;
    case EDGECIM_REG_ERR_CODE: *v = (uint32_t)r->err_code; return 1;
    case EDGECIM_REG_IRQ_STATUS:
      *v = (uint32_t)r->irq_done << EDGECIM_IRQ_STATUS_DONE_LSB | (uint32_t)r->irq_error << EDGECIM_IRQ_STATUS_ERROR_LSB |
           (uint32_t)r->irq_idle << EDGECIM_IRQ_STATUS_IDLE_LSB;
      return 1;
    case EDGECIM_REG_MEM_LIMIT: *v = r->mem_limit; return 1;
    case EDGECIM_REG_CMDS_DONE: *v = r->cmds_done; return 1;
    case EDGECIM_REG_CYCLES_LO: *v = (uint32_t)r->cycles; return 1;
    case EDGECIM_REG_CYCLES_HI: *v = r->cycles_hi; return 1;
    case EDGECIM_REG_CMD_PUSH:
    case EDGECIM_REG_LIST_START: *v = 0; return 1;
    case EDGECIM_REG_LIST_ADDR: *v = r->list_addr; return 1;
    case EDGECIM_REG_LIST_COUNT: *v = r->list_count; return 1;
    case EDGECIM_REG_LIST_DONE: *v = r->list_done; return 1;
    case EDGECIM_REG_TOKEN_ID: *v = r->token_id; return 1;
    case EDGECIM_REG_TOKEN_POS: *v = r->token_pos; return 1;
    case EDGECIM_REG_KV_BASE: *v = r->kv_base; return 1;
    case EDGECIM_REG_KV_LIMIT: *v = r->kv_limit; return 1;
    default: *v = 0; return 0;
  }
}

/* LIST_START's own checks (the descriptors are checked one by one as they are queued). */
static int list_start_error(const ecim_top_t *t) {
  const ecim_regs_t *r = &t->r;
  uint64_t unit = t->cfg.data_bytes > ECIM_DESC_BYTES ? (uint64_t)t->cfg.data_bytes : ECIM_DESC_BYTES;
  uint64_t end = (uint64_t)r->list_addr + ((uint64_t)r->list_count * ECIM_DESC_BYTES + unit - 1) / unit * unit;
  if (t->list.active) return EDGECIM_ERR_LIST_BUSY;
  if (r->list_count == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (r->list_count > 0xFFFF) return EDGECIM_ERR_TOO_LARGE;
  if (r->list_addr & (ECIM_ALIGN - 1)) return EDGECIM_ERR_MISALIGNED;
  if (end > r->mem_limit) return EDGECIM_ERR_OUT_OF_RANGE;
  return EDGECIM_ERR_NONE;
}

/* What the register file decides this cycle. */
typedef struct {
  int push, list_start, bad_addr;  /* MMIO CMD_PUSH, LIST_START, unmapped access */
  int list_active;                 /* the fetcher before the edge */
  int push_err, start_err, list_err; /* their errors; the fetched descriptor's */
  int q_push, list_taken, list_refused;
  ecim_cmd_desc_t queued;           /* what q_push queues */
} regs_comb_t;

static void regs_comb(const ecim_top_t *t, const ecim_top_in_t *in, const ecim_list_comb_t *lc, regs_comb_t *rc) {
  const ecim_regs_t *r = &t->r;
  const ecim_hw_t *h = &t->cfg;
  int wr = in->mmio_valid && in->mmio_write;
  uint32_t addr = in->mmio_addr & 0xFF, v;
  ecim_check_ctx_t x = {r->mem_limit, r->kv_base, r->kv_limit};
  memset(rc, 0, sizeof *rc);
  rc->push = wr && addr == EDGECIM_REG_CMD_PUSH;
  rc->list_start = wr && addr == EDGECIM_REG_LIST_START;
  rc->bad_addr = in->mmio_valid && !read_reg(t, addr, 0, 0, &v);
  rc->list_active = t->list.active;
  ecim_desc_t md = ecim_desc_of_words(r->w), fd = ecim_desc_of_words(lc->desc);
  ecim_cand_t mc = ecim_cand_of(&md, r->token_pos, r->token_id), fc = ecim_cand_of(&fd, r->token_pos, r->token_id);
  int full = r->q_count == (unsigned)h->queue_depth;
  rc->push_err = t->list.active ? EDGECIM_ERR_LIST_BUSY : ecim_cand_error(h, &x, &mc);
  if (rc->push_err == EDGECIM_ERR_NONE && full) rc->push_err = EDGECIM_ERR_QUEUE_OVERFLOW;
  rc->start_err = list_start_error(t);
  if (lc->desc_valid) {
    rc->list_err = ecim_cand_error(h, &x, &fc);
    rc->list_refused = rc->list_err != EDGECIM_ERR_NONE;
    rc->list_taken = !rc->list_refused && !full;
  }
  rc->q_push = (rc->push && rc->push_err == EDGECIM_ERR_NONE) || rc->list_taken;
  rc->queued = ecim_cand_queued(rc->list_taken ? &fc : &mc);
}

/* The first error of the cycle, in the order the RTL picks it. */
static int new_error(const regs_comb_t *rc) {
  if (rc->bad_addr) return EDGECIM_ERR_BAD_ADDRESS;
  if (rc->push && rc->push_err) return rc->push_err;
  if (rc->list_start && rc->start_err) return rc->start_err;
  if (rc->list_refused) return rc->list_err;
  return EDGECIM_ERR_NONE;
}

static void regs_write(ecim_regs_t *r, uint32_t addr, uint32_t d) {
  if (addr >= EDGECIM_REG_CMD_W_ADDR && addr <= EDGECIM_REG_CMD_W_BYTES && addr % 4 == 0) {
    r->w[(addr - EDGECIM_REG_CMD_W_ADDR) / 4] = d;
    return;
  }
  switch (addr) {
    case EDGECIM_REG_CTRL: r->irq_en = (int)(d >> EDGECIM_CTRL_IRQ_EN_LSB & 1); break;
    case EDGECIM_REG_MEM_LIMIT: r->mem_limit = d; break;
    case EDGECIM_REG_LIST_ADDR: r->list_addr = d; break;
    case EDGECIM_REG_LIST_COUNT: r->list_count = d; break;
    case EDGECIM_REG_TOKEN_ID: r->token_id = d; break;
    case EDGECIM_REG_TOKEN_POS: r->token_pos = d & 0xFFFF; break;
    case EDGECIM_REG_KV_BASE: r->kv_base = d; break;
    case EDGECIM_REG_KV_LIMIT: r->kv_limit = d; break;
    default: break;
  }
}

static void regs_clock(ecim_top_t *t, const ecim_top_in_t *in, const regs_comb_t *rc, int start, int busy, int done) {
  ecim_regs_t *r = &t->r;
  int wr = in->mmio_valid && in->mmio_write, rd = in->mmio_valid && !in->mmio_write;
  uint32_t addr = in->mmio_addr & 0xFF, wdata = in->mmio_wdata, v = 0;
  read_reg(t, addr, busy, rc->list_active, &v);
  if (rc->q_push) r->qmem[r->q_wr] = rc->queued;
  r->rvalid = rd;
  if (rd) r->rdata = v;
  if (rd && addr == EDGECIM_REG_CYCLES_LO) r->cycles_hi = (uint32_t)(r->cycles >> 32);
  if (wr) regs_write(r, addr, wdata);
  int err = new_error(rc);
  if (wr && addr == EDGECIM_REG_CTRL && (wdata & BIT(CTRL_CLEAR_ERR))) {
    r->err = 0;
    r->err_code = 0;
  } else if (!r->err && err) {
    r->err = 1;
    r->err_code = err;
  }
  int w1c = wr && addr == EDGECIM_REG_IRQ_STATUS;
  r->irq_done = (r->irq_done && !(w1c && (wdata & BIT(IRQ_STATUS_DONE)))) || done;
  r->irq_error = (r->irq_error && !(w1c && (wdata & BIT(IRQ_STATUS_ERROR)))) || err != 0;
  r->irq_idle = (r->irq_idle && !(w1c && (wdata & BIT(IRQ_STATUS_IDLE)))) || (r->busy_q && !busy);
  r->busy_q = busy;
  if (done) r->cmds_done++;
  if (rc->list_taken) r->list_done++;
  if (rc->list_start && rc->start_err == EDGECIM_ERR_NONE) {
    r->list_done = 0;
    ecim_list_start(&t->list, r->list_addr, r->list_count);
  }
  if (rc->q_push) r->q_wr = (r->q_wr + 1) % (unsigned)t->cfg.queue_depth;
  if (start) r->q_rd = (r->q_rd + 1) % (unsigned)t->cfg.queue_depth;
  r->q_count = r->q_count + (unsigned)rc->q_push - (unsigned)start;
  r->cycles++;
}

/* ---------------------------------------------------------------------------------- one cycle */
typedef struct {
  regs_comb_t regs;
  ecim_list_comb_t list;
  ecim_seq_comb_t seq;
  ecim_vu_comb_t vu;
  ecim_tile_comb_t tile[ECIM_MAX_TILES];
  ecim_dma_req_t rq;
  ecim_dma_comb_t dma, data; /* the DMA, and the running command's view of it */
  struct ecim_dma_view dv;
  int head_gemv, seq_busy, vu_on, any_tile_busy, done, busy, list_fire, data_pop;
  const uint8_t *wr_data;
} top_comb_t;

/* The read request of the cycle: the fetcher's first, else the running command's. */
static void read_request(const ecim_top_t *t, top_comb_t *c) {
  if (c->list.rd_req_valid) {
    c->rq.rd_req_valid = 1;
    c->rq.rd_req_addr = c->list.rd_req_addr;
    c->rq.rd_req_beats = c->list.rd_req_beats;
  } else if (c->vu_on) {
    c->rq.rd_req_valid = c->vu.rd_req_valid;
    c->rq.rd_req_addr = c->vu.rd_req_addr;
    c->rq.rd_req_beats = c->vu.rd_req_beats;
  } else {
    /* the sequencer's requester: its burst needs only walker A's output */
    const ecim_walk_out_t *a = &c->seq.a;
    unsigned left = (a->len - t->seq.a_off) & 0xFFFF;
    c->rq.rd_req_beats = left > (unsigned)t->cfg.max_burst ? (unsigned)t->cfg.max_burst : left;
    c->rq.rd_req_addr = a->addr + t->seq.a_off * (unsigned)t->cfg.data_bytes;
    c->rq.rd_req_valid = t->seq.run && a->active && a->len != 0;
  }
}

/* The running command's view of the DMA: no read grant while the fetcher requests, no read
 * data while the FIFO head is the fetcher's. */
static void data_view(const ecim_top_t *t, top_comb_t *c) {
  c->data = c->dma;
  c->data.rd_req_ready = c->dma.rd_req_ready && !c->list.rd_req_valid;
  c->data.rd_valid = c->dma.rd_valid && !ecim_list_owns_head(&t->list);
  c->dv = (struct ecim_dma_view){c->data.rd_req_ready, c->data.rd_valid, c->dma.wr_req_ready, c->dma.wr_ready,
                                 !t->dma.w_busy, t->dma.fifo.oq[0]};
}

/* Every combinational signal of the cycle, in the RTL's dependency order. */
static void comb(ecim_top_t *t, const ecim_top_in_t *in, top_comb_t *c) {
  const int nt = t->cfg.ntiles;
  const ecim_regs_t *r = &t->r;
  memset(&c->rq, 0, sizeof c->rq);
  ecim_list_comb(&t->cfg, &t->list, t->dma.fifo.oq_cnt != 0, &c->list);
  regs_comb(t, in, &c->list, &c->regs);
  c->head_gemv = r->q_count != 0 && r->qmem[r->q_rd].op == ECIM_CMD_OP_GEMV;
  c->vu_on = t->vu.run;
  ecim_seq_comb_walk(t, c->head_gemv && !t->vu.run, &c->seq);
  c->any_tile_busy = 0;
  for (int i = 0; i < nt; i++) {
    ecim_tile_comb(t, &t->tile[i], &c->tile[i]);
    c->any_tile_busy |= ecim_tile_busy(&t->tile[i], &c->tile[i], t->nm);
  }
  ecim_seq_comb_writer(t, c->tile, &c->seq);
  /* the writer: the VU's while it runs, else the sequencer's */
  c->rq.wr_req_valid = c->vu_on ? c->vu.wr_req_valid : c->seq.wr_req_valid;
  read_request(t, c);
  c->dma = ecim_dma_comb(t, &c->rq, &in->mem);
  data_view(t, c);
  ecim_vu_comb(&t->cfg, &t->vu, r->q_count != 0 && !c->head_gemv && !t->seq.run, &c->dv, &c->vu);
  /* the VU's requests and writes now known: the DMA's view again */
  if (c->vu_on) {
    c->rq.wr_req_valid = c->vu.wr_req_valid;
    c->rq.wr_req_addr = c->vu.wr_req_addr;
    c->rq.wr_req_beats = c->vu.wr_req_beats;
    c->rq.wr_valid = c->vu.wr_valid;
    c->wr_data = c->vu.wr_data;
  } else {
    c->rq.wr_req_addr = c->seq.wr_req_addr;
    c->rq.wr_req_beats = c->seq.wr_req_beats;
    c->rq.wr_valid = c->seq.wr_valid;
    c->wr_data = ecim_tile_out_data(t, &t->tile[t->seq.wtile]);
  }
  read_request(t, c);
  c->dma = ecim_dma_comb(t, &c->rq, &in->mem);
  data_view(t, c);
  ecim_seq_comb_route(t, c->tile, &c->data, c->dma.wr_ready, t->dma.fifo.oq[0], &c->seq);
  c->data_pop = c->vu_on ? c->vu.rd_pop : c->seq.beat_fire;
  c->rq.rd_pop = c->data_pop || c->list.rd_pop;
  c->dma = ecim_dma_comb(t, &c->rq, &in->mem); /* again, with the pops */
  c->list_fire = c->list.rd_req_valid && c->dma.rd_req_ready;
  c->seq_busy = t->seq.run || c->any_tile_busy;
  c->done = (c->seq.done && !t->dma.w_busy) || c->vu.done;
  c->busy = c->seq_busy || t->vu.run || r->q_count != 0 || t->list.active;
}

static void outputs(const ecim_top_t *t, const top_comb_t *c, ecim_top_out_t *out) {
  const ecim_regs_t *r = &t->r;
  memset(out, 0, sizeof *out);
  out->mmio_ready = 1;
  out->mmio_rvalid = r->rvalid;
  out->mmio_rdata = r->rdata;
  out->irq = r->irq_en && (r->irq_done || r->irq_error || r->irq_idle);
  out->busy = c->busy;
  out->mem.req_valid = c->dma.mem_req_valid;
  out->mem.req_we = c->dma.mem_req_we;
  out->mem.req_addr = c->dma.mem_req_addr;
  out->mem.req_len = c->dma.mem_req_len;
  out->mem.w_valid = c->dma.mem_w_valid;
  memcpy(out->w_data, c->wr_data, (size_t)t->cfg.data_bytes);
  memcpy(out->w_strb, c->vu_on ? c->vu.wr_strb : c->seq.wr_strb, (size_t)t->cfg.data_bytes);
  out->mem.w_data = out->w_data;
  out->mem.w_strb = out->w_strb;
  out->mem.r_ready = 1;
}

/* Observation only: the cycle goes to the command that started last (a start goes to the new
 * one); a cycle with the device idle ends the span, so the next busy cycles are a list's start. */
static void op_stats(ecim_top_t *t, const top_comb_t *c) {
  ecim_top_stats_t *st = &t->stats;
  if (!c->busy) { st->op_cur = ECIM_OPC_LIST; return; }
  if (c->seq.start || c->vu.start) {
    const ecim_cmd_desc_t *d = &t->r.qmem[t->r.q_rd];
    st->op_cur = ecim_op_class(d->op, d->flags);
    st->op_cmds[st->op_cur]++;
  }
  st->op_span[st->op_cur]++;
  st->op_run[st->op_cur] += (uint64_t)(c->seq_busy || t->vu.run || c->seq.start || c->vu.start);
}

void ecim_top_eval(ecim_top_t *t, const ecim_top_in_t *in, ecim_top_out_t *out) {
  top_comb_t c;
  comb(t, in, &c);
  outputs(t, &c, out);
}

void ecim_top_clock(ecim_top_t *t, const ecim_top_in_t *in) {
  top_comb_t c;
  comb(t, in, &c);
  const ecim_seq_comb_t *s = &c.seq;
  unsigned inflight = t->dma.inflight;
  t->stats.gemv += (uint64_t)(c.seq_busy != 0);
  t->stats.vu += (uint64_t)(t->vu.run != 0);
  t->stats.busy += (uint64_t)(c.busy != 0);
  op_stats(t, &c);
  for (int i = 0; i < t->cfg.ntiles; i++) {
    int beat = s->beat_fire && s->r.kind != ECIM_BEAT_KIND_PAD && (s->x_broadcast || (unsigned)i == s->tile);
    int blk = s->blk_push && (unsigned)i == s->tile;
    int mine = (unsigned)i == t->seq.wtile;
    ecim_tile_clock(t, &t->tile[i], &c.tile[i], s, beat, blk, mine && s->out_rd, mine && s->release);
  }
  const uint8_t *head = t->dma.fifo.oq[0];
  uint8_t head_copy[ECIM_MAX_PORT];
  memcpy(head_copy, head, (size_t)t->cfg.data_bytes); /* the FIFO moves on at its clock */
  ecim_vu_clock(&t->cfg, &t->vu, &t->r.qmem[t->r.q_rd], &c.dv, &c.vu);
  ecim_list_clock(&t->cfg, &t->list, &c.list, c.list_fire, inflight, c.data_pop, head_copy, c.regs.list_taken,
                  c.regs.list_refused);
  ecim_dma_clock(t, &c.dma, &c.rq, &in->mem);
  ecim_seq_clock(t, s, c.seq.done && !t->dma.w_busy); /* before regs_clock: it reads the queue head the edge retires */
  regs_clock(t, in, &c.regs, s->start || c.vu.start, c.busy, c.done);
}

void ecim_top_stats(const ecim_top_t *t, ecim_top_stats_t *s) { *s = t->stats; }

int ecim_top_run_cycle(ecim_top_t *t, dram_model_t *d, int mmio_valid, int mmio_write, uint32_t mmio_addr,
                       uint32_t mmio_wdata, ecim_top_out_t *out) {
  ecim_top_in_t in = {mmio_valid, mmio_write, mmio_addr, mmio_wdata, {0}};
  ecim_top_out_t o;
  dram_out(d, &in.mem);
  ecim_top_eval(t, &in, &o);
  ecim_top_clock(t, &in);
  if (out) *out = o;
  return dram_clock(d, &o.mem);
}

void ecim_top_debug(const ecim_top_t *t, FILE *f) {
  const ecim_seq_t *s = &t->seq;
  fprintf(f, "model: cycle %llu run %d finish %d wnb %u/%u wb %u wact %d walkerA %d/%u/%u walkerB %d/%u/%u ci %u "
             "inflight %u fifo %u+%u queue %u\n",
          (unsigned long long)t->r.cycles, s->run, s->finish, s->wnb, s->c.last_nb + 1, s->wb_vec, s->wact, s->wa.kind,
          s->wa.nb, s->wa.kb, s->wb.kind, s->wb.nb, s->wb.kb, s->ci, t->dma.inflight, t->dma.fifo.sram_cnt,
          t->dma.fifo.oq_cnt, t->r.q_count);
  for (int i = 0; i < t->cfg.ntiles; i++) {
    const ecim_tile_t *tl = &t->tile[i];
    fprintf(f, "  tile %d: entries %u b %u planes %d bit %u macro %u opq %u pend 0x%x ppu ir %d cg %u blk %u/%u/%u/%u\n", i,
            tl->q_count, tl->b, tl->pl_active, tl->bit, tl->pl_op.macro, tl->opq_count, tl->pend, tl->ppu.ir_valid,
            tl->ppu.cg, tl->ppu.in_blk, tl->ppu.load_blk, tl->ppu.done_blk, tl->ppu.drained);
  }
  const ecim_vu_t *v = &t->vu;
  fprintf(f, "  vu: run %d drain %d op %d seg %u pass %u chunk %u slot %u in_slot %d kind %d load %u/%u store %u/%u scatter %u\n",
          v->run, v->drain, v->c.op, v->pc.seg, v->pc.pass, v->pc.chunk, v->pc.slot, v->in_slot, v->cur.kind, v->ld_got,
          v->ld_req, v->st_sent, v->st_req_left, v->sc_i);
  fprintf(f, "  list: active %d left %u have %u next %u req_out %d ahead %u\n", t->list.active, t->list.left,
          t->list.have, t->list.next, t->list.req_out, t->list.ahead);
}
