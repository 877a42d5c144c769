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
  int ok = (t->qmem = calloc((size_t)cfg->queue_depth, sizeof *t->qmem)) != NULL;
  ok = ok && ecim_fifo_init(&t->dma.fifo, (unsigned)cfg->fifo_beats, (unsigned)cfg->data_bytes) == 0;
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
  free(t->qmem);
  free(t);
}

/* Reset: the registers with a reset in the RTL. Memories (SRAMs, banks, FIFO data) keep their
 * contents, as the RTL's do. */
void ecim_top_reset(ecim_top_t *t) {
  memset(&t->st, 0, sizeof t->st);
  t->mem_limit = t->cfg.mem_bytes;
  t->cmds_done = t->cycles_hi = 0;
  t->cycles = 0;
  t->irq_en = t->err = t->err_code = t->irq_done = t->irq_error = t->rvalid = 0;
  t->rdata = 0;
  t->q_count = t->q_rd = t->q_wr = 0;
  ecim_seq_reset(&t->seq);
  ecim_dma_reset(&t->dma);
  for (int i = 0; i < t->cfg.ntiles; i++) ecim_tile_reset(&t->tile[i], &t->cfg, t->nm);
}

/* ------------------------------------------------------------- edgecim_regs: descriptor checks */
static int push_error(const ecim_top_t *t) {
  const ecim_hw_t *h = &t->cfg;
  const ecim_gemv_desc_t *s = &t->st;
  uint64_t k = s->k & 0xFFFF, n = s->n, lim = t->mem_limit;
  uint64_t rows = (uint64_t)h->macro_rows, cols = (uint64_t)h->macro_cols;
  uint64_t wf = FLAG(s->flags, WBITS), wbits = wf ? wf : 4, batch = FLAG(s->flags, BATCH_M1) + 1;
  int res_load = (int)FLAG(s->flags, RES_LOAD), res_use = (int)FLAG(s->flags, RES_USE);
  int bias = (int)FLAG(s->flags, BIAS);
  uint32_t defined = BIT(CMD_FLAGS_BIAS) | BIT(CMD_FLAGS_ACCUM) | BIT(CMD_FLAGS_RES_LOAD) | BIT(CMD_FLAGS_RES_USE) |
                     BIT(CMD_FLAGS_RES_BASE) | BIT(CMD_FLAGS_WBITS) | BIT(CMD_FLAGS_BATCH_M1);
  uint64_t w_end = ((uint64_t)s->w_addr + ecim_w_bytes(k, n, rows, cols, wbits)) & 0xFFFFFFFFFFFFull;
  uint64_t x_end = ((uint64_t)s->x_addr + ecim_x_bytes(k, batch)) & 0xFFFFFFFFFFFFull;
  uint64_t y_end = ((uint64_t)s->y_addr + ecim_y_bytes(n, cols, batch)) & 0xFFFFFFFFFFFFull;
  uint64_t b_end = ((uint64_t)s->b_addr + ecim_b_bytes(n, cols)) & 0xFFFFFFFFFFFFull;
  uint32_t align = ECIM_ALIGN - 1;
  int bad_flags = (res_load && res_use) || (s->flags & ~defined);
  int bad_prec = !(wbits == 2 || wbits == 4 || wbits == 8) || wbits > (uint64_t)h->max_wbits;
  int bad_batch = batch > (uint64_t)h->max_batch || batch * ecim_kpad(k) > (uint64_t)h->act_bytes;
  int bad_align = (!res_use && (s->w_addr & align)) || (s->x_addr & align) || (s->y_addr & align) ||
                  (bias && (s->b_addr & align));
  int bad_range = (!res_use && w_end > lim) || x_end > lim || y_end > lim || (bias && b_end > lim);
  if (bad_flags) return EDGECIM_ERR_BAD_FLAGS;
  if (s->k == 0 || s->n == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (s->k > (uint32_t)h->act_bytes || s->k > ECIM_MAX_K || s->n > ECIM_MAX_N) return EDGECIM_ERR_TOO_LARGE;
  if (bad_prec) return EDGECIM_ERR_BAD_PRECISION;
  if (bad_batch) return EDGECIM_ERR_BAD_BATCH;
  if (bad_align) return EDGECIM_ERR_MISALIGNED;
  if (bad_range) return EDGECIM_ERR_OUT_OF_RANGE;
  if ((res_load || res_use) &&
      FLAG(s->flags, RES_BASE) + ecim_tile_blocks(k, n, rows, cols, (uint64_t)h->ntiles) > (uint64_t)h->nres)
    return EDGECIM_ERR_RESIDENT_RANGE;
  if (t->q_count == (unsigned)h->queue_depth) return EDGECIM_ERR_QUEUE_OVERFLOW;
  return EDGECIM_ERR_NONE;
}

static int read_reg(const ecim_top_t *t, uint32_t addr, int seq_busy, uint32_t *v) {
  switch (addr) {
    case EDGECIM_REG_ID: *v = EDGECIM_ID_VALUE; return 1;
    case EDGECIM_REG_HWCFG: *v = ecim_hwcfg_pack(&t->cfg); return 1;
    case EDGECIM_REG_HWCFG2: *v = ecim_hwcfg2_pack(&t->cfg); return 1;
    case EDGECIM_REG_CTRL: *v = (uint32_t)t->irq_en << EDGECIM_CTRL_IRQ_EN_LSB; return 1;
    case EDGECIM_REG_STATUS:
      *v = (uint32_t)(seq_busy || t->q_count) << EDGECIM_STATUS_BUSY_LSB | (uint32_t)t->err << EDGECIM_STATUS_ERROR_LSB |
           (t->q_count & EDGECIM_STATUS_QUEUE_COUNT_MASK) << EDGECIM_STATUS_QUEUE_COUNT_LSB;
      return 1;
    case EDGECIM_REG_ERR_CODE: *v = (uint32_t)t->err_code; return 1;
    case EDGECIM_REG_IRQ_STATUS:
      *v = (uint32_t)t->irq_done << EDGECIM_IRQ_STATUS_DONE_LSB | (uint32_t)t->irq_error << EDGECIM_IRQ_STATUS_ERROR_LSB;
      return 1;
    case EDGECIM_REG_MEM_LIMIT: *v = t->mem_limit; return 1;
    case EDGECIM_REG_CMDS_DONE: *v = t->cmds_done; return 1;
    case EDGECIM_REG_CYCLES_LO: *v = (uint32_t)t->cycles; return 1;
    case EDGECIM_REG_CYCLES_HI: *v = t->cycles_hi; return 1;
    case EDGECIM_REG_CMD_W_ADDR: *v = t->st.w_addr; return 1;
    case EDGECIM_REG_CMD_X_ADDR: *v = t->st.x_addr; return 1;
    case EDGECIM_REG_CMD_Y_ADDR: *v = t->st.y_addr; return 1;
    case EDGECIM_REG_CMD_B_ADDR: *v = t->st.b_addr; return 1;
    case EDGECIM_REG_CMD_K: *v = t->st.k; return 1;
    case EDGECIM_REG_CMD_N: *v = t->st.n; return 1;
    case EDGECIM_REG_CMD_FLAGS: *v = t->st.flags; return 1;
    case EDGECIM_REG_CMD_PUSH: *v = 0; return 1;
    default: *v = 0; return 0;
  }
}

static void regs_clock(ecim_top_t *t, const ecim_top_in_t *in, int push_err, int start, int seq_busy, int seq_done) {
  int wr = in->mmio_valid && in->mmio_write, rd = in->mmio_valid && !in->mmio_write;
  uint32_t addr = in->mmio_addr & 0xFF, wdata = in->mmio_wdata;
  int push = wr && addr == EDGECIM_REG_CMD_PUSH;
  uint32_t v = 0;
  int mapped = read_reg(t, addr, seq_busy, &v);
  int bad_addr = in->mmio_valid && !mapped;
  int q_push = push && push_err == EDGECIM_ERR_NONE;
  if (q_push) t->qmem[t->q_wr] = ecim_gemv_desc_trunc(t->st);
  t->rvalid = rd;
  if (rd) t->rdata = v;
  if (rd && addr == EDGECIM_REG_CYCLES_LO) t->cycles_hi = (uint32_t)(t->cycles >> 32);
  int new_err = (push && push_err != EDGECIM_ERR_NONE) || bad_addr;
  if (wr) {
    switch (addr) {
      case EDGECIM_REG_CTRL: t->irq_en = (int)(wdata >> EDGECIM_CTRL_IRQ_EN_LSB & 1); break;
      case EDGECIM_REG_MEM_LIMIT: t->mem_limit = wdata; break;
      case EDGECIM_REG_CMD_W_ADDR: t->st.w_addr = wdata; break;
      case EDGECIM_REG_CMD_X_ADDR: t->st.x_addr = wdata; break;
      case EDGECIM_REG_CMD_Y_ADDR: t->st.y_addr = wdata; break;
      case EDGECIM_REG_CMD_B_ADDR: t->st.b_addr = wdata; break;
      case EDGECIM_REG_CMD_K: t->st.k = wdata; break;
      case EDGECIM_REG_CMD_N: t->st.n = wdata; break;
      case EDGECIM_REG_CMD_FLAGS: t->st.flags = wdata; break;
      default: break;
    }
  }
  if (wr && addr == EDGECIM_REG_CTRL && (wdata & BIT(CTRL_CLEAR_ERR))) {
    t->err = 0;
    t->err_code = 0;
  } else if (!t->err && new_err) {
    t->err = 1;
    t->err_code = bad_addr ? EDGECIM_ERR_BAD_ADDRESS : push_err;
  }
  int w1c = wr && addr == EDGECIM_REG_IRQ_STATUS;
  t->irq_done = (t->irq_done && !(w1c && (wdata & BIT(IRQ_STATUS_DONE)))) || seq_done;
  t->irq_error = (t->irq_error && !(w1c && (wdata & BIT(IRQ_STATUS_ERROR)))) || new_err;
  if (seq_done) t->cmds_done++;
  if (q_push) t->q_wr = (t->q_wr + 1) % (unsigned)t->cfg.queue_depth;
  if (start) t->q_rd = (t->q_rd + 1) % (unsigned)t->cfg.queue_depth;
  t->q_count = t->q_count + (unsigned)q_push - (unsigned)start;
  t->cycles++;
}

/* ---------------------------------------------------------------------------------- one cycle */
typedef struct {
  ecim_seq_comb_t seq;
  ecim_tile_comb_t tile[ECIM_MAX_TILES];
  ecim_dma_req_t rq;
  ecim_dma_comb_t dma;
  int push_err, seq_busy, any_tile_busy, done;
  const uint8_t *wr_data;
} top_comb_t;

/* Every combinational signal of the cycle, in the RTL's dependency order. */
static void comb(ecim_top_t *t, const ecim_top_in_t *in, top_comb_t *c) {
  const int nt = t->cfg.ntiles;
  c->push_err = push_error(t);
  ecim_seq_comb_walk(t, t->q_count != 0, &c->seq);
  c->any_tile_busy = 0;
  for (int i = 0; i < nt; i++) {
    ecim_tile_comb(t, &t->tile[i], &c->tile[i]);
    c->any_tile_busy |= ecim_tile_busy(&t->tile[i], &c->tile[i], t->nm);
  }
  ecim_seq_comb_writer(t, c->tile, &c->seq);
  /* the DMA's view: the writer's request and beat, the requester's burst, the router's pop */
  memset(&c->rq, 0, sizeof c->rq);
  c->rq.wr_req_valid = c->seq.wr_req_valid;
  c->rq.wr_req_addr = c->seq.wr_req_addr;
  c->rq.wr_req_beats = c->seq.wr_req_beats;
  c->rq.wr_valid = c->seq.wr_valid;
  {
    /* the requester's burst needs only the walker A output: computed here as the router does */
    const ecim_walk_out_t *a = &c->seq.a;
    unsigned left = (a->len - t->seq.a_off) & 0xFFFF;
    c->rq.rd_req_beats = left > (unsigned)t->cfg.max_burst ? (unsigned)t->cfg.max_burst : left;
    c->rq.rd_req_addr = a->addr + t->seq.a_off * (unsigned)t->cfg.data_bytes;
    c->rq.rd_req_valid = t->seq.run && a->active && a->len != 0;
  }
  c->dma = ecim_dma_comb(t, &c->rq, &in->mem);
  c->wr_data = ecim_tile_out_data(t, &t->tile[t->seq.wtile]);
  ecim_seq_comb_route(t, c->tile, &c->dma, c->dma.wr_ready, t->dma.fifo.oq[0], &c->seq);
  c->rq.rd_pop = c->seq.beat_fire;
  c->dma = ecim_dma_comb(t, &c->rq, &in->mem); /* again, with the router's pop */
  c->seq_busy = t->seq.run || c->any_tile_busy;
  c->done = c->seq.done && !t->dma.w_busy;
}

static void outputs(const ecim_top_t *t, const top_comb_t *c, ecim_top_out_t *out) {
  memset(out, 0, sizeof *out);
  out->mmio_ready = 1;
  out->mmio_rvalid = t->rvalid;
  out->mmio_rdata = t->rdata;
  out->irq = t->irq_en && (t->irq_done || t->irq_error);
  out->busy = c->seq_busy || t->q_count;
  out->mem.req_valid = c->dma.mem_req_valid;
  out->mem.req_we = c->dma.mem_req_we;
  out->mem.req_addr = c->dma.mem_req_addr;
  out->mem.req_len = c->dma.mem_req_len;
  out->mem.w_valid = c->dma.mem_w_valid;
  memcpy(out->w_data, c->wr_data, (size_t)t->cfg.data_bytes);
  memcpy(out->w_strb, c->seq.wr_strb, (size_t)t->cfg.data_bytes);
  out->mem.w_data = out->w_data;
  out->mem.w_strb = out->w_strb;
  out->mem.r_ready = 1;
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
  for (int i = 0; i < t->cfg.ntiles; i++) {
    int beat = s->beat_fire && s->r.kind != ECIM_BEAT_KIND_PAD && (s->x_broadcast || (unsigned)i == s->tile);
    int blk = s->blk_push && (unsigned)i == s->tile;
    int mine = (unsigned)i == t->seq.wtile;
    ecim_tile_clock(t, &t->tile[i], &c.tile[i], s, beat, blk, mine && s->out_rd, mine && s->release);
  }
  ecim_dma_clock(t, &c.dma, &c.rq, &in->mem);
  ecim_seq_clock(t, s, c.done); /* before regs_clock: it reads the queue head the edge retires */
  regs_clock(t, in, c.push_err, s->start, c.seq_busy, c.done);
}

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
          (unsigned long long)t->cycles, s->run, s->finish, s->wnb, s->c.last_nb + 1, s->wb_vec, s->wact, s->wa.kind,
          s->wa.nb, s->wa.kb, s->wb.kind, s->wb.nb, s->wb.kb, s->ci, t->dma.inflight, t->dma.fifo.sram_cnt,
          t->dma.fifo.oq_cnt, t->q_count);
  for (int i = 0; i < t->cfg.ntiles; i++) {
    const ecim_tile_t *tl = &t->tile[i];
    fprintf(f, "  tile %d: entries %u b %u planes %d bit %u macro %u opq %u pend 0x%x ppu ir %d cg %u blk %u/%u/%u/%u\n", i,
            tl->q_count, tl->b, tl->pl_active, tl->bit, tl->pl_op.macro, tl->opq_count, tl->pend, tl->ppu.ir_valid,
            tl->ppu.cg, tl->ppu.in_blk, tl->ppu.load_blk, tl->ppu.done_blk, tl->ppu.drained);
  }
}
