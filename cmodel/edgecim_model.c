/* Cycle-exact C model of rtl/edgecim_top.sv; see edgecim_model.h. Each section mirrors one RTL
 * module (edgecim_regs, tile_sequencer + edgecim_seg_walker, edgecim_dma, cim_tile); names
 * follow the RTL's. step() computes every combinational signal of a cycle from the registers
 * and the inputs, in dependency order, and then (clock = 1) the next register values. */
#include "edgecim_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim_macro.h"
#include "ecim_gemv.h"
#include "edgecim_hw.h"
#include "edgecim_regs.h"

/* Encodings shared with the RTL (hw/edgecim_hw.json). */
enum {
  SEG_XQ = ECIM_SEG_KIND_XQ, SEG_XS = ECIM_SEG_KIND_XS, SEG_YI = ECIM_SEG_KIND_YI, SEG_BI = ECIM_SEG_KIND_BI,
  SEG_W = ECIM_SEG_KIND_W, SEG_END = ECIM_SEG_KIND_END
};
enum {
  K_WROW = ECIM_CHUNK_KIND_WROW, K_WSCALE = ECIM_CHUNK_KIND_WSCALE, K_XQ = ECIM_CHUNK_KIND_XQ,
  K_XS = ECIM_CHUNK_KIND_XS, K_INIT_SET = ECIM_CHUNK_KIND_INIT_SET, K_INIT_ADD = ECIM_CHUNK_KIND_INIT_ADD
};
enum { S_IDLE, S_RDX, S_PLANES, S_WAIT, S_PPU, S_FLUSH };
#define NCOLS ECIM_MACRO_COLS
#define NGROUPS (ECIM_MACRO_ROWS / ECIM_GROUP_ROWS)
#define MAXT 4 /* largest NTiles (hw/edgecim_hw.json) */
#define FLAG(f, name) ((f) >> EDGECIM_CMD_FLAGS_##name##_LSB & EDGECIM_CMD_FLAGS_##name##_MASK)

/* ---------------------------------------------------------------------------------------- */
/* State                                                                                      */
/* ---------------------------------------------------------------------------------------- */
typedef ecim_gemv_desc_t desc_t;

typedef struct {
  int kind, nb, kb;
  uint32_t w_off;
} walker_t;

typedef struct { /* combinational outputs of a walker */
  int active, kind, nb, kb, rows, krows, first, last;
  uint32_t addr, len;
} walk_out_t;

typedef struct {
  int macro, kb, groups, rows, swap, first, last, init;
} entry_t;

typedef struct {
  cim_macro_t **m;
  uint16_t (*sc)[2][NGROUPS * NCOLS]; /* weight scales per macro and bank */
  uint8_t *xq;                        /* activations, maxk bytes */
  uint16_t *xs;                       /* activation scales, maxk / 32 */
  uint8_t x_word[128];                /* SRAM read data */
  uint16_t xs_word[8];
  int64_t init[NCOLS], out[NCOLS], acc[NCOLS];
  int init_full, out_full;
  entry_t q[2];
  int q_count, q_rd, q_wr;
  int state, bit, col, cur_macro, kb_odd, groups, rows, swap, last;
  uint32_t pend; /* bit per macro */
} tile_t;

struct ecim_top {
  ecim_hw_t cfg;
  int nm;
  /* edgecim_regs */
  desc_t st; /* staged descriptor */
  uint32_t mem_limit, cmds_done, cycles_hi;
  uint64_t cycles;
  int irq_en, err, err_code, irq_status, rvalid;
  uint32_t rdata;
  desc_t *qmem;
  int q_count, q_rd, q_wr;
  /* tile_sequencer */
  int run, finish;
  desc_t c;
  uint32_t kp, kbn, nbn;
  int bias, accum, res, res_use, res_base;
  walker_t wa, wb;
  uint32_t a_off, ci;
  int rot[MAXT], resc[MAXT];
  int w_data, wci;
  uint32_t wnb;
  /* edgecim_dma */
  int w_busy, w_half;
  uint32_t w_beats, w_last_bytes, inflight, wptr, rptr;
  uint8_t (*fifo)[16];
  uint8_t low[8];
  int half;
  /* tiles */
  tile_t tile[MAXT];
  /* scratch for the macros' inputs */
  int32_t wrow[NCOLS];
  uint8_t plane[128];
};

/* ---------------------------------------------------------------------------------------- */
/* Construction                                                                               */
/* ---------------------------------------------------------------------------------------- */
ecim_top_t *ecim_top_new(const ecim_hw_t *cfg) {
  if (ecim_hw_check(cfg, NULL, 0)) return NULL;
  ecim_top_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->cfg = *cfg;
  t->nm = cfg->nmacros + cfg->nres;
  t->qmem = calloc((size_t)cfg->queue_depth, sizeof *t->qmem);
  t->fifo = calloc((size_t)cfg->fifo_chunks, sizeof *t->fifo);
  int ok = t->qmem && t->fifo;
  cim_macro_cfg_t mc = {ECIM_MACRO_ROWS, NCOLS, ECIM_GROUP_ROWS, ECIM_TOP_WBITS, cfg->abits};
  for (int i = 0; i < cfg->ntiles && ok; i++) {
    tile_t *tl = &t->tile[i];
    tl->m = calloc((size_t)t->nm, sizeof *tl->m);
    tl->sc = calloc((size_t)t->nm, sizeof *tl->sc);
    tl->xq = calloc((size_t)cfg->maxk, 1);
    tl->xs = calloc((size_t)cfg->maxk / 32, sizeof(uint16_t));
    ok = tl->m && tl->sc && tl->xq && tl->xs;
    for (int m = 0; m < t->nm && ok; m++) ok = (tl->m[m] = cim_macro_new(&mc)) != NULL;
  }
  if (!ok) {
    ecim_top_free(t);
    return NULL;
  }
  ecim_top_reset(t);
  return t;
}

void ecim_top_free(ecim_top_t *t) {
  if (!t) return;
  for (int i = 0; i < MAXT; i++) {
    tile_t *tl = &t->tile[i];
    if (tl->m)
      for (int m = 0; m < t->nm; m++) cim_macro_free(tl->m[m]);
    free(tl->m);
    free(tl->sc);
    free(tl->xq);
    free(tl->xs);
  }
  free(t->qmem);
  free(t->fifo);
  free(t);
}

/* Reset: the registers with a reset in the RTL. Memories (SRAMs, banks, FIFO data) keep their
 * contents, as the RTL's do. */
void ecim_top_reset(ecim_top_t *t) {
  memset(&t->st, 0, sizeof t->st);
  t->mem_limit = t->cfg.mem_bytes;
  t->cmds_done = t->cycles_hi = 0;
  t->cycles = 0;
  t->irq_en = t->err = t->err_code = t->irq_status = t->rvalid = 0;
  t->rdata = 0;
  t->q_count = t->q_rd = t->q_wr = 0;
  t->run = t->finish = 0;
  memset(&t->c, 0, sizeof t->c);
  t->kp = t->kbn = t->nbn = 0;
  t->bias = t->accum = t->res = t->res_use = t->res_base = 0;
  t->wa = t->wb = (walker_t){SEG_END, 0, 0, 0};
  t->a_off = t->ci = 0;
  memset(t->rot, 0, sizeof t->rot);
  memset(t->resc, 0, sizeof t->resc);
  t->w_data = t->wci = 0;
  t->wnb = 0;
  t->w_busy = t->w_half = 0;
  t->w_beats = t->w_last_bytes = t->inflight = t->wptr = t->rptr = 0;
  t->half = 0;
  for (int i = 0; i < t->cfg.ntiles; i++) {
    tile_t *tl = &t->tile[i];
    for (int m = 0; m < t->nm; m++) cim_macro_reset(tl->m[m]);
    tl->init_full = tl->out_full = 0;
    tl->q_count = tl->q_rd = tl->q_wr = 0;
    tl->state = S_IDLE;
    tl->bit = tl->col = tl->cur_macro = tl->kb_odd = tl->groups = tl->rows = tl->swap = tl->last = 0;
    tl->pend = 0;
  }
}

/* ---------------------------------------------------------------------------------------- */
/* edgecim_seg_walker                                                                         */
/* ---------------------------------------------------------------------------------------- */
static walk_out_t walk_eval(const ecim_top_t *t, const walker_t *w) {
  walk_out_t o = {0};
  uint32_t krem = (t->kp - ((uint32_t)w->kb << 7)) & 0xFFFFu;
  uint32_t nrem = (t->c.n - ((uint32_t)w->nb << 5)) & 0xFFFFFFu;
  uint32_t ycnt = nrem > 32 ? 32 : nrem;
  uint32_t kr = (t->c.k - ((uint32_t)w->kb << 7)) & 0xFFFFu;
  uint32_t ylen = (ycnt + 1) >> 1;
  o.active = w->kind != SEG_END;
  o.kind = w->kind;
  o.nb = w->nb;
  o.kb = w->kb;
  o.rows = krem > 128 ? 128 : (int)(krem & 0xFF);
  o.krows = kr > 128 ? 128 : (int)(kr & 0xFF);
  o.first = w->kb == 0;
  o.last = (uint32_t)w->kb == t->kbn - 1;
  switch (w->kind) {
    case SEG_XQ: o.addr = t->c.x_addr; o.len = t->kp >> 4; break;
    case SEG_XS: o.addr = t->c.x_addr + t->kp; o.len = (t->kp + 255) >> 8; break;
    case SEG_YI: o.addr = t->c.y_addr + ((uint32_t)w->nb << 8); o.len = ylen; break;
    case SEG_BI: o.addr = t->c.b_addr + ((uint32_t)w->nb << 8); o.len = ylen; break;
    case SEG_W: o.addr = t->c.w_addr + w->w_off; o.len = t->res_use ? 0 : (uint32_t)o.rows + ((uint32_t)o.rows >> 3); break;
    default: break;
  }
  return o;
}

static walker_t walk_next(const ecim_top_t *t, const walker_t *w, const walk_out_t *o, int start, int adv) {
  walker_t n = *w;
  int first_nb_seg = t->accum ? SEG_YI : (t->bias ? SEG_BI : SEG_W);
  if (start) return (walker_t){SEG_XQ, 0, 0, 0};
  if (!adv) return n;
  switch (w->kind) {
    case SEG_XQ: n.kind = SEG_XS; break;
    case SEG_XS: n.kind = first_nb_seg; break;
    case SEG_YI: n.kind = t->bias ? SEG_BI : SEG_W; break;
    case SEG_BI: n.kind = SEG_W; break;
    case SEG_W:
      n.w_off = w->w_off + o->len * 16;
      if (!o->last) {
        n.kb = w->kb + 1;
      } else {
        n.kb = 0;
        n.nb = w->nb + 1;
        n.kind = (uint32_t)(w->nb + 1) == t->nbn ? SEG_END : first_nb_seg;
      }
      break;
    default: break;
  }
  return n;
}

/* ---------------------------------------------------------------------------------------- */
/* edgecim_regs: descriptor checks                                                            */
/* ---------------------------------------------------------------------------------------- */
static int log2i(int v) {
  int b = 0;
  while ((1 << b) < v) b++;
  return b;
}

static int push_error(const ecim_top_t *t) {
  const desc_t *s = &t->st;
  uint64_t k = s->k & 0xFFFF, n = s->n, lim = t->mem_limit;
  uint64_t res_blocks = ecim_tile_blocks(k, n, log2i(t->cfg.ntiles));
  int res_load = FLAG(s->flags, RES_LOAD), res_use = FLAG(s->flags, RES_USE), bias = FLAG(s->flags, BIAS);
  uint64_t w_end = ((uint64_t)s->w_addr + ecim_w_bytes(k, n, ECIM_TOP_WBITS)) & 0xFFFFFFFFFFFFull;
  uint64_t x_end = (uint64_t)s->x_addr + ecim_x_bytes(k);
  uint64_t y_end = (uint64_t)s->y_addr + ecim_y_bytes(n);
  uint64_t b_end = (uint64_t)s->b_addr + ecim_y_bytes(n);
  uint32_t defined = EDGECIM_CMD_FLAGS_BIAS_MASK << EDGECIM_CMD_FLAGS_BIAS_LSB |
                     EDGECIM_CMD_FLAGS_ACCUM_MASK << EDGECIM_CMD_FLAGS_ACCUM_LSB |
                     EDGECIM_CMD_FLAGS_RES_LOAD_MASK << EDGECIM_CMD_FLAGS_RES_LOAD_LSB |
                     EDGECIM_CMD_FLAGS_RES_USE_MASK << EDGECIM_CMD_FLAGS_RES_USE_LSB |
                     EDGECIM_CMD_FLAGS_RES_BASE_MASK << EDGECIM_CMD_FLAGS_RES_BASE_LSB;
  int bad_flags = (res_load && res_use) || (s->flags & ~defined);
  int bad_align = (!res_use && (s->w_addr & 15)) || (s->x_addr & 15) || (s->y_addr & 15) || (bias && (s->b_addr & 15));
  int bad_range = (!res_use && w_end > lim) || x_end > lim || y_end > lim || (bias && b_end > lim);
  if (bad_flags) return EDGECIM_ERR_BAD_FLAGS;
  if (s->k == 0 || s->n == 0) return EDGECIM_ERR_ZERO_SIZE;
  if (s->k > (uint32_t)t->cfg.maxk || s->n > ECIM_MAX_N) return EDGECIM_ERR_TOO_LARGE;
  if (bad_align) return EDGECIM_ERR_MISALIGNED;
  if (bad_range) return EDGECIM_ERR_OUT_OF_RANGE;
  if ((res_load || res_use) && FLAG(s->flags, RES_BASE) + res_blocks > (uint64_t)t->cfg.nres)
    return EDGECIM_ERR_RESIDENT_RANGE;
  if (t->q_count == t->cfg.queue_depth) return EDGECIM_ERR_QUEUE_OVERFLOW;
  return EDGECIM_ERR_NONE;
}

static int read_reg(const ecim_top_t *t, uint32_t addr, int seq_busy, uint32_t *v) {
  switch (addr) {
    case EDGECIM_REG_ID: *v = EDGECIM_ID_VALUE; return 1;
    case EDGECIM_REG_HWCFG: *v = ecim_hwcfg_pack(&t->cfg); return 1;
    case EDGECIM_REG_CTRL: *v = (uint32_t)t->irq_en; return 1;
    case EDGECIM_REG_STATUS:
      *v = (uint32_t)(seq_busy || t->q_count) | (uint32_t)t->err << 1 | (uint32_t)t->q_count << 8;
      return 1;
    case EDGECIM_REG_ERR_CODE: *v = (uint32_t)t->err_code; return 1;
    case EDGECIM_REG_IRQ_STATUS: *v = (uint32_t)t->irq_status; return 1;
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

/* ---------------------------------------------------------------------------------------- */
/* One cycle                                                                                  */
/* ---------------------------------------------------------------------------------------- */
typedef struct { /* engine outputs of one tile */
  int pop, rd_x, init_take, out_load, busy, swap_now;
  int a_valid, a_swap, r_ready; /* for the current macro */
  uint32_t pend_d;
  int state_d, bit_d, col_d;
  int64_t acc_d[NCOLS];
  cim_macro_out_t mo[16];
  int m_a_ready, m_r_valid, w_ready_row; /* of the macros the sequencer/engine look at */
} eng_t;

static void decode_row(const uint8_t *chunk, int32_t *w) {
  for (int c = 0; c < NCOLS; c++) {
    int v = chunk[c / 2] >> (4 * (c & 1)) & 0xF;
    w[c] = v >= 8 ? v - 16 : v;
  }
}

static void build_plane(ecim_top_t *t, const tile_t *tl) {
  for (int r = 0; r < 128; r++) t->plane[r] = r < tl->rows ? (uint8_t)(tl->x_word[r] >> tl->bit & 1) : 0;
}

static int64_t le64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return (int64_t)v;
}

static void step(ecim_top_t *t, const ecim_top_in_t *in, ecim_top_out_t *out, int clock) {
  const ecim_hw_t *cfg = &t->cfg;
  const int nt = cfg->ntiles, nm = t->nm, db = cfg->data_bytes, bpc = 16 / db;

  /* ---- register file (combinational) ---- */
  int wr = in->mmio_valid && in->mmio_write, rd = in->mmio_valid && !in->mmio_write;
  int push = wr && in->mmio_addr == EDGECIM_REG_CMD_PUSH;
  int push_err = push_error(t);
  int cmd_valid = t->q_count != 0;

  /* ---- sequencer: command start, walkers ---- */
  int start = cmd_valid && !t->run;
  walk_out_t a = walk_eval(t, &t->wa), b = walk_eval(t, &t->wb);

  /* ---- tiles: engine (drives the macros), then the macros' outputs ---- */
  eng_t e[MAXT];
  int any_tile_busy = 0;
  for (int ti = 0; ti < nt; ti++) {
    tile_t *tl = &t->tile[ti];
    eng_t *g = &e[ti];
    memset(g, 0, sizeof *g);
    const entry_t *h = &tl->q[tl->q_rd];
    (void)h;
    g->state_d = tl->state;
    g->bit_d = tl->bit;
    g->col_d = tl->col;
    g->pend_d = tl->pend;
    memcpy(g->acc_d, tl->acc, sizeof g->acc_d);
    build_plane(t, tl);
    /* The macros' a_ready/r_valid do not depend on a_valid: evaluate with the engine's drive. */
    g->a_valid = tl->state == S_PLANES;
    g->a_swap = tl->state == S_PLANES && tl->swap && tl->bit == 0;
    g->r_ready = tl->state == S_PPU && tl->col == NCOLS - 1;
    for (int m = 0; m < nm; m++) {
      cim_macro_in_t mi = {0, 0, t->wrow, m == tl->cur_macro && g->a_valid, t->plane,
                           m == tl->cur_macro && g->a_swap, m == tl->cur_macro && g->r_ready};
      cim_macro_eval(tl->m[m], &mi, &g->mo[m]);
    }
    g->m_a_ready = g->mo[tl->cur_macro].a_ready;
    g->m_r_valid = g->mo[tl->cur_macro].r_valid;
    switch (tl->state) {
      case S_IDLE:
        if (tl->q_count) {
          g->pop = g->rd_x = 1;
          g->state_d = S_RDX;
        }
        break;
      case S_RDX: g->bit_d = 0; g->state_d = S_PLANES; break;
      case S_PLANES:
        if (g->m_a_ready) {
          g->swap_now = tl->bit == 0; /* the banks swap now: pend clears (after any set, as the RTL) */
          g->bit_d = (tl->bit + 1) & (cfg->abits - 1); /* a clog2(ABits)-bit counter */
          if (tl->bit == cfg->abits - 1) g->state_d = S_WAIT;
        }
        break;
      case S_WAIT:
        g->col_d = 0;
        if (g->m_r_valid) g->state_d = S_PPU;
        break;
      case S_PPU: {
        const int32_t *s = g->mo[tl->cur_macro].r_data;
        int bank = g->mo[tl->cur_macro].bank;
        int64_t v = tl->acc[tl->col];
        for (int gi = 0; gi < NGROUPS; gi++)
          if (gi < tl->groups)
            v = ecim_sat_add(v, ecim_group_term(s[gi * NCOLS + tl->col], tl->sc[tl->cur_macro][bank][gi * NCOLS + tl->col],
                                                tl->xs_word[tl->kb_odd * 4 + gi]));
        g->acc_d[tl->col] = v;
        g->col_d = (tl->col + 1) & (NCOLS - 1);
        if (tl->col == NCOLS - 1) {
          g->state_d = tl->last ? S_FLUSH : S_IDLE;
        }
        break;
      }
      case S_FLUSH:
        if (!tl->out_full) {
          g->out_load = 1;
          g->state_d = S_IDLE;
        }
        break;
      default: g->state_d = S_IDLE; break;
    }
    int all_idle = 1;
    for (int m = 0; m < nm; m++) all_idle &= g->mo[m].idle;
    g->busy = tl->state != S_IDLE || tl->q_count != 0 || !all_idle;
    any_tile_busy |= g->busy;
  }

  /* ---- sequencer: writer and DMA request side ---- */
  uint32_t w_tile = t->wnb % (uint32_t)nt;
  uint32_t w_nrem = (t->c.n - (t->wnb << 5)) & 0xFFFFFFu;
  uint32_t w_cnt = w_nrem > 32 ? 32 : w_nrem;
  int w_last_ci = (int)(((w_cnt + 1) >> 1) - 1) & 0xF;
  int w_done_all = t->wnb == t->nbn;
  int wr_req_valid = t->run && !t->finish && !t->w_data && !w_done_all && t->tile[w_tile].out_full;
  uint32_t wr_req_addr = t->c.y_addr + (t->wnb << 8), wr_req_bytes = w_cnt * 8;
  const uint8_t *wr_chunk = (const uint8_t *)NULL;
  uint8_t out_chunk[16];
  {
    const int64_t *o = t->tile[w_tile].out;
    for (int i = 0; i < 2; i++) {
      uint64_t v = (uint64_t)o[(t->wci * 2 + i) & 31];
      for (int j = 0; j < 8; j++) out_chunk[i * 8 + j] = (uint8_t)(v >> (8 * j));
    }
    wr_chunk = out_chunk;
  }
  uint32_t a_left = (a.len - t->a_off) & 0xFFFF;
  uint32_t rd_chunks = a_left > (uint32_t)cfg->max_burst ? (uint32_t)cfg->max_burst : a_left;
  uint32_t rd_addr = a.addr + (t->a_off << 4);
  int rd_req_valid = t->run && a.active && a.len != 0;

  /* ---- DMA (combinational) ---- */
  uint32_t wr_beats = (wr_req_bytes + (uint32_t)db - 1) / (uint32_t)db;
  int credit_ok = t->inflight + rd_chunks <= (uint32_t)cfg->fifo_chunks;
  int wr_req_ready = in->mem.req_ready && !t->w_busy;
  int rd_req_ready = in->mem.req_ready && !wr_req_valid && credit_ok;
  int rd_valid = t->wptr != t->rptr;
  const uint8_t *rd_data = t->fifo[t->rptr % (uint32_t)cfg->fifo_chunks];
  int w_last = t->w_beats == 1;
  int mem_w_valid = t->w_busy && t->w_data;
  int wr_ready = t->w_busy && in->mem.w_ready && (bpc == 1 || t->w_half || w_last);
  int wr_idle = !t->w_busy;

  /* ---- router ---- */
  uint32_t b_tile = (uint32_t)b.nb % (uint32_t)nt;
  int b_macro = t->res ? cfg->nmacros + t->res_base + t->resc[b_tile] : t->rot[b_tile];
  b_macro &= (nm > 1 ? (1 << log2i(nm)) : 2) - 1;
  int route_ok = 0, kind = K_XQ;
  uint32_t idx = t->ci;
  tile_t *bt = &t->tile[b_tile];
  switch (b.kind) {
    case SEG_XQ: kind = K_XQ; route_ok = 1; break;
    case SEG_XS: kind = K_XS; route_ok = 1; break;
    case SEG_YI: kind = K_INIT_SET; route_ok = !bt->init_full; break;
    case SEG_BI: kind = t->accum ? K_INIT_ADD : K_INIT_SET; route_ok = !bt->init_full; break;
    case SEG_W: {
      if (t->ci < (uint32_t)b.rows) {
        kind = K_WROW;
      } else {
        kind = K_WSCALE;
        idx = t->ci - (uint32_t)b.rows;
      }
      /* tile wr_ready: the macro's w_ready for row writes */
      int wr_ready_t = kind != K_WROW || (b_macro < nm && e[b_tile].mo[b_macro].w_ready);
      route_ok = !(bt->pend >> b_macro & 1) && wr_ready_t;
      break;
    }
    default: break;
  }
  int chunk_fire = t->run && b.active && t->ci != b.len && rd_valid && route_ok;
  int blk_valid = t->run && b.active && b.kind == SEG_W && t->ci == b.len;
  int blk_push = blk_valid && bt->q_count != 2;
  int seq_done = t->run && t->finish && wr_idle;
  int seq_busy = t->run || any_tile_busy; /* before the edge: the sequencer section updates run */

  /* ---- outputs ---- */
  if (out) {
    memset(out, 0, sizeof *out);
    out->mmio_ready = 1;
    out->mmio_rvalid = t->rvalid;
    out->mmio_rdata = t->rdata;
    out->irq = t->irq_en && t->irq_status;
    out->busy = t->run || any_tile_busy || t->q_count;
    out->mem.req_valid = (wr_req_valid && !t->w_busy) || (rd_req_valid && !wr_req_valid && credit_ok);
    out->mem.req_we = wr_req_valid;
    out->mem.req_addr = wr_req_valid ? wr_req_addr : rd_addr;
    out->mem.req_len = (int)((wr_req_valid ? wr_beats - 1 : rd_chunks * (uint32_t)bpc - 1) & 0xFF);
    out->mem.w_valid = mem_w_valid;
    memcpy(out->w_data, wr_chunk + ((bpc == 2 && t->w_half) ? 8 : 0), (size_t)db);
    out->mem.w_data = out->w_data;
    out->mem.w_strb = (w_last && t->w_last_bytes != (uint32_t)db) ? 0xFFu : (db == 16 ? 0xFFFFu : 0xFFu);
    out->mem.r_ready = 1;
  }
  if (!clock) return;

  /* =========================== rising edge =========================== */
  /* ---- tiles ---- */
  for (int ti = 0; ti < nt; ti++) {
    tile_t *tl = &t->tile[ti];
    eng_t *g = &e[ti];
    int t_wr_valid = chunk_fire && ((b.kind == SEG_XQ || b.kind == SEG_XS) || (uint32_t)ti == b_tile);
    int t_blk_push = blk_push && (uint32_t)ti == b_tile;
    const entry_t *h = &tl->q[tl->q_rd];
    /* the SRAM reads see the memory before this cycle's writes */
    if (g->rd_x) {
      memcpy(tl->x_word, tl->xq + (size_t)h->kb * 128, 128);
      memcpy(tl->xs_word, tl->xs + (size_t)(h->kb >> 1) * 8, sizeof tl->xs_word);
    }
    /* macros (the plane scratch is shared by the tiles: rebuild this tile's) */
    build_plane(t, tl);
    if (t_wr_valid && kind == K_WROW) decode_row(rd_data, t->wrow);
    for (int m = 0; m < nm; m++) {
      cim_macro_in_t mi = {t_wr_valid && kind == K_WROW && m == b_macro, idx & 0x7F, t->wrow,
                           m == tl->cur_macro && g->a_valid, t->plane, m == tl->cur_macro && g->a_swap,
                           m == tl->cur_macro && g->r_ready};
      int bank = g->mo[m].bank;
      if (t_wr_valid && kind == K_WSCALE && m == b_macro)
        for (int j = 0; j < 8; j++)
          tl->sc[m][!bank][(idx & 15) * 8 + (uint32_t)j] = (uint16_t)(rd_data[2 * j] | rd_data[2 * j + 1] << 8);
      cim_macro_clock(tl->m[m], &mi);
    }
    if (t_wr_valid && kind == K_XQ) memcpy(tl->xq + (size_t)(idx & 0xFFFF) * 16, rd_data, 16);
    if (t_wr_valid && kind == K_XS)
      for (int j = 0; j < 8; j++)
        tl->xs[(size_t)(idx % (uint32_t)(cfg->maxk / 256)) * 8 + (size_t)j] = (uint16_t)(rd_data[2 * j] | rd_data[2 * j + 1] << 8);
    if (t_wr_valid && (kind == K_INIT_SET || kind == K_INIT_ADD))
      for (int j = 0; j < 2; j++) {
        int i = (int)(idx & 15) * 2 + j;
        int64_t v = le64(rd_data + 8 * j);
        tl->init[i] = kind == K_INIT_SET ? v : ecim_sat_add(tl->init[i], v);
      }
    /* engine */
    if (t_blk_push && !t->res_use) g->pend_d |= 1u << b_macro;
    if (g->swap_now) g->pend_d &= ~(1u << tl->cur_macro);
    if (g->pop) {
      if (h->first) {
        if (h->init) memcpy(g->acc_d, tl->init, sizeof g->acc_d);
        else memset(g->acc_d, 0, sizeof g->acc_d);
        g->init_take = h->init;
      }
    }
    if (g->out_load) memcpy(tl->out, g->acc_d, sizeof tl->out);
    if (t_blk_push && b.first && (t->bias || t->accum)) tl->init_full = 1;
    else if (g->init_take) tl->init_full = 0;
    if (g->out_load) tl->out_full = 1;
    else if (t->w_data && wr_ready && t->wci == w_last_ci && (uint32_t)ti == w_tile) tl->out_full = 0;
    if (g->pop) {
      tl->cur_macro = h->macro;
      tl->kb_odd = h->kb & 1;
      tl->groups = h->groups;
      tl->rows = h->rows;
      tl->swap = h->swap;
      tl->last = h->last;
    }
    int pop = g->pop;
    if (t_blk_push) {
      tl->q[tl->q_wr] = (entry_t){b_macro, b.kb, b.rows >> 5, b.krows, !t->res_use, b.first, b.last, t->bias || t->accum};
      tl->q_wr ^= 1;
    }
    if (pop) tl->q_rd ^= 1;
    tl->q_count += t_blk_push - pop;
    tl->state = g->state_d;
    tl->bit = g->bit_d;
    tl->col = g->col_d;
    tl->pend = g->pend_d;
    memcpy(tl->acc, g->acc_d, sizeof tl->acc);
  }

  /* ---- DMA ---- */
  {
    int rd_req_fire = rd_req_valid && rd_req_ready, pop = rd_valid && chunk_fire;
    int chunk_valid = 0;
    uint8_t chunk[16];
    if (bpc == 1) {
      chunk_valid = in->mem.r_valid;
      memcpy(chunk, in->mem.r_data, 16);
    } else {
      chunk_valid = in->mem.r_valid && t->half;
      memcpy(chunk, t->low, 8);
      memcpy(chunk + 8, in->mem.r_data, 8);
      if (in->mem.r_valid && !t->half) memcpy(t->low, in->mem.r_data, 8);
      if (in->mem.r_valid) t->half = !t->half;
    }
    if (chunk_valid) memcpy(t->fifo[t->wptr % (uint32_t)cfg->fifo_chunks], chunk, 16);
    uint32_t inflight_d = t->inflight + (rd_req_fire ? rd_chunks : 0) - (uint32_t)pop;
    int wr_req_fire = wr_req_valid && wr_req_ready;
    if (wr_req_fire) {
      t->w_busy = 1;
      t->w_beats = wr_beats;
      t->w_half = 0;
      t->w_last_bytes = (wr_req_bytes % (uint32_t)db) ? wr_req_bytes % (uint32_t)db : (uint32_t)db;
    } else if (mem_w_valid && in->mem.w_ready) {
      t->w_beats--;
      t->w_half = bpc == 2 && !t->w_half;
      if (w_last) t->w_busy = 0;
    }
    t->inflight = inflight_d;
    if (chunk_valid) t->wptr++;
    if (pop) t->rptr++;
  }

  /* ---- sequencer ---- */
  {
    /* requester */
    int a_adv = 0;
    uint32_t a_off_d = t->a_off;
    if (start) {
      a_off_d = 0;
    } else if (t->run && a.active) {
      if (a.len == 0) {
        a_adv = 1;
      } else if (rd_req_ready) {
        a_off_d = (t->a_off + rd_chunks) & 0xFFFF;
        if (a_off_d == a.len) {
          a_adv = 1;
          a_off_d = 0;
        }
      }
    }
    /* router */
    int b_adv = 0;
    uint32_t ci_d = t->ci;
    if (start) {
      ci_d = 0;
    } else if (blk_push) {
      b_adv = 1;
      ci_d = 0;
    } else if (chunk_fire) {
      ci_d = (t->ci + 1) & 0xFFFF;
      if (b.kind != SEG_W && ci_d == b.len) {
        b_adv = 1;
        ci_d = 0;
      }
    }
    if (start) {
      memset(t->rot, 0, sizeof t->rot);
      memset(t->resc, 0, sizeof t->resc);
    } else if (blk_push) {
      if (t->res) t->resc[b_tile] = (t->resc[b_tile] + 1) & ((nm > 1 ? (1 << log2i(nm)) : 2) - 1);
      else t->rot[b_tile] = t->rot[b_tile] == cfg->nmacros - 1 ? 0 : t->rot[b_tile] + 1;
    }
    walker_t wa_n = walk_next(t, &t->wa, &a, start, a_adv);
    walker_t wb_n = walk_next(t, &t->wb, &b, start, b_adv);
    /* writer */
    if (wr_req_valid && wr_req_ready) {
      t->w_data = 1;
      t->wci = 0;
    } else if (t->w_data && wr_ready) {
      int was_last = t->wci == w_last_ci;
      t->wci = (t->wci + 1) & 0xF;
      if (was_last) {
        t->w_data = 0;
        t->wnb = (t->wnb + 1) & 0x7FFFF;
        if (t->wnb == t->nbn) t->finish = 1;
      }
    }
    if (start) {
      t->c = ecim_gemv_desc_trunc(t->qmem[t->q_rd]);
      t->kp = (uint32_t)ecim_kp(t->c.k) & 0xFFFF;
      t->kbn = (uint32_t)ecim_n_kb(t->c.k); /* k <= MaxK: fits the RTL register */
      t->nbn = (uint32_t)ecim_n_nb(t->c.n) & 0x7FFFF;
      t->bias = FLAG(t->c.flags, BIAS);
      t->accum = FLAG(t->c.flags, ACCUM);
      t->res = FLAG(t->c.flags, RES_LOAD) || FLAG(t->c.flags, RES_USE);
      t->res_use = FLAG(t->c.flags, RES_USE);
      t->res_base = (int)FLAG(t->c.flags, RES_BASE);
      t->run = 1;
      t->finish = 0;
      t->wnb = 0;
      t->wci = 0;
    } else if (seq_done) {
      t->run = 0;
    }
    t->a_off = a_off_d;
    t->ci = ci_d;
    t->wa = wa_n;
    t->wb = wb_n;
  }

  /* ---- register file ---- */
  {
    uint32_t v = 0;
    int mapped = read_reg(t, in->mmio_addr & 0xFF, seq_busy, &v);
    int bad_addr = in->mmio_valid && !mapped;
    int q_push = push && push_err == EDGECIM_ERR_NONE;
    int q_pop = start;
    if (q_push) t->qmem[t->q_wr] = t->st;
    t->rvalid = rd;
    if (rd) t->rdata = v;
    if (rd && (in->mmio_addr & 0xFF) == EDGECIM_REG_CYCLES_LO) t->cycles_hi = (uint32_t)(t->cycles >> 32);
    int new_err = (push && push_err != EDGECIM_ERR_NONE) || bad_addr;
    if (wr) {
      switch (in->mmio_addr & 0xFF) {
        case EDGECIM_REG_CTRL: t->irq_en = in->mmio_wdata & 1; break;
        case EDGECIM_REG_MEM_LIMIT: t->mem_limit = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_W_ADDR: t->st.w_addr = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_X_ADDR: t->st.x_addr = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_Y_ADDR: t->st.y_addr = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_B_ADDR: t->st.b_addr = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_K: t->st.k = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_N: t->st.n = in->mmio_wdata; break;
        case EDGECIM_REG_CMD_FLAGS: t->st.flags = in->mmio_wdata; break;
        default: break;
      }
    }
    if (wr && (in->mmio_addr & 0xFF) == EDGECIM_REG_CTRL && (in->mmio_wdata & 2)) {
      t->err = 0;
      t->err_code = 0;
    } else if (!t->err && new_err) {
      t->err = 1;
      t->err_code = bad_addr ? EDGECIM_ERR_BAD_ADDRESS : push_err;
    }
    int clr = (wr && (in->mmio_addr & 0xFF) == EDGECIM_REG_IRQ_STATUS) ? (int)(in->mmio_wdata & 3) : 0;
    t->irq_status = (t->irq_status & ~clr) | (new_err << 1) | seq_done;
    if (seq_done) t->cmds_done++;
    if (q_push) t->q_wr = (t->q_wr + 1) % cfg->queue_depth;
    if (q_pop) t->q_rd = (t->q_rd + 1) % cfg->queue_depth;
    t->q_count += q_push - q_pop;
    t->cycles++;
  }
}

void ecim_top_eval(ecim_top_t *t, const ecim_top_in_t *in, ecim_top_out_t *out) { step(t, in, out, 0); }
void ecim_top_clock(ecim_top_t *t, const ecim_top_in_t *in) { step(t, in, NULL, 1); }

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
  fprintf(f, "model: cycle %llu run %d finish %d wnb %u/%u w_data %d wci %d walkerA %d/%d/%d walkerB %d/%d/%d ci %u "
             "inflight %u fifo %u queue %d\n",
          (unsigned long long)t->cycles, t->run, t->finish, t->wnb, t->nbn, t->w_data, t->wci, t->wa.kind, t->wa.nb,
          t->wa.kb, t->wb.kind, t->wb.nb, t->wb.kb, t->ci, t->inflight, t->wptr - t->rptr, t->q_count);
  for (int i = 0; i < t->cfg.ntiles; i++) {
    const tile_t *tl = &t->tile[i];
    fprintf(f, "  tile %d: state %d bit %d col %d macro %d q %d pend 0x%x init_full %d out_full %d\n", i, tl->state,
            tl->bit, tl->col, tl->cur_macro, tl->q_count, tl->pend, tl->init_full, tl->out_full);
  }
}
