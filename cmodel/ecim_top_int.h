/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the C model of edgecim_top (cmodel/edgecim_model.c): one state struct and one
 * pair of functions per RTL module, named after it. *_comb() computes a module's combinational
 * outputs for the current cycle from its registers and inputs; *_clock() applies the rising edge.
 * Within a cycle the top calls the combs in the RTL's dependency order, then every clock. */
#ifndef ECIM_TOP_INT_H
#define ECIM_TOP_INT_H

#include <stdint.h>

#include "cim_macro.h"
#include "ecim_desc.h"
#include "ecim_vu.h"
#include "edgecim_hw.h"
#include "edgecim_model.h"

#define ECIM_OPQ_DEPTH 4 /* cim_tile's operation queue */

/* ------------------------------------------------------------------------------ edgecim_fifo */
typedef struct {
  unsigned depth, bytes;
  uint8_t *mem;              /* depth x bytes: the SRAM */
  uint8_t *rdata;            /* the SRAM's read-data register */
  uint8_t *oq[2];            /* the output queue */
  unsigned sram_cnt, wptr, rptr, oq_cnt;
  int rd_pend;
} ecim_fifo_t;

typedef struct {
  int rd, bypass, to_sram;
  unsigned oq_left;
} ecim_fifo_comb_t;

int ecim_fifo_init(ecim_fifo_t *f, unsigned depth, unsigned bytes);
void ecim_fifo_free(ecim_fifo_t *f);
void ecim_fifo_reset(ecim_fifo_t *f);
ecim_fifo_comb_t ecim_fifo_comb(const ecim_fifo_t *f, int push, int pop);
void ecim_fifo_clock(ecim_fifo_t *f, const ecim_fifo_comb_t *c, int pop, const uint8_t *push_data);

/* ------------------------------------------------------------------------------- edgecim_dma */
typedef struct {
  int w_busy;
  unsigned w_left, inflight;
  ecim_fifo_t fifo;
} ecim_dma_t;

typedef struct { /* the DMA's side of the sequencer, and the memory port */
  int rd_req_valid;
  uint32_t rd_req_addr;
  unsigned rd_req_beats;
  int rd_pop;
  int wr_req_valid;
  uint32_t wr_req_addr;
  unsigned wr_req_beats;
  int wr_valid;
} ecim_dma_req_t;

typedef struct {
  int credit_ok, wr_req_ready, wr_req_fire, rd_req_ready, rd_req_fire, wr_ready, w_fire, rd_valid;
  int mem_req_valid, mem_req_we, mem_w_valid;
  uint32_t mem_req_addr;
  int mem_req_len;
  ecim_fifo_comb_t fifo;
} ecim_dma_comb_t;

/* ------------------------------------------------------------------------ edgecim_seg_walker */
typedef struct {
  int kind;
  unsigned b, nb, kb;
  uint32_t x_off, y_off, yb_off, w_off;
  uint32_t w_nb;           /* offset of the current output block's first weight block */
} ecim_walker_t;

typedef struct {
  int active, kind, first_kb, last_kb;
  uint32_t addr;
  unsigned len, b, nb, kb;
} ecim_walk_out_t;

/* ----------------------------------------------------------------------------- tile_sequencer */
typedef struct { /* the command and its layout, as registered at the start */
  uint32_t w_addr, x_addr, y_addr, b_addr;
  int bias, accum, res, res_use, res_base, prec;
  unsigned last_b, last_kb, last_nb;
  unsigned xq_beats, xs_beats, xs_keep, blk_beats, last_blk_beats;
  unsigned word_beats, last_word_beats, scale_beats, last_scale_beats;
  unsigned last_rows, last_rows_k, last_cols;
  uint32_t y_stride, kpad, xs_stride;
  uint32_t nb_stride;      /* bytes from one output block of W to the next */
} ecim_cmd_t;

typedef struct {
  int run, finish;
  ecim_cmd_t c;
  ecim_walker_t wa, wb;
  unsigned a_off, ci;
  unsigned tile, rot[ECIM_MAX_TILES], resc[ECIM_MAX_TILES];
  int wact, wdata;
  unsigned wnb, wtile, wb_vec, wbeat;
  uint32_t wyb_off, wy_off;
} ecim_seq_t;

/* ---------------------------------------------------------------------------------- cim_ppu */
typedef struct {
  int valid, first, last, last_b, half;
  unsigned b, cg, groups;
} ecim_ppu_meta_t;

typedef struct {
  int ir_valid;
  int32_t *ir_sums;       /* NGroups x Cols */
  uint16_t *ir_wsc;
  uint16_t ir_xs[8];
  ecim_ppu_meta_t ir;     /* b, groups, first, last, last_b, half of the input register */
  unsigned cg;
  ecim_ppu_meta_t p1, p2, p3;
  int64_t *p1_terms, *p2_terms, *p3_terms; /* PpuCols x NGroups terms at each stage */
  int64_t *p2_acc;        /* the accumulator word latched at P1 (Lanes values) */
  int64_t *p3_sum;        /* PpuCols partial sums */
  int64_t *bias[2];       /* Cols values per half */
  int64_t *acc[2];        /* MaxBatch x Cols per half: the lane SRAMs */
  int64_t *rdata[2];      /* their read-data registers (Lanes values) */
  unsigned out_idx;       /* beat of the writer's last read */
  unsigned in_blk, load_blk, done_blk, drained; /* modulo 4 */
} ecim_ppu_t;

/* --------------------------------------------------------------------------------- cim_tile */
typedef struct {
  unsigned macro, kb, groups, rows;
  int swap, first, last;
} ecim_entry_t;

typedef struct {
  unsigned macro, b, groups;
  int first, last, last_b;
} ecim_op_t;

typedef struct {
  cim_macro_t **m;
  uint8_t *xq;            /* ActBytes: the activation buffer */
  uint8_t *xs;            /* the activation-scale buffer */
  uint8_t *x_word;        /* its read data: AWord bytes */
  uint8_t *xs_word;       /* DataBytes */
  ecim_entry_t q[2];
  unsigned q_count, q_rd, q_wr;
  unsigned b, b_xoff, b_soff;
  int pl_active, pl_new, pl_swap;
  unsigned bit, pl_rows, pl_part, pl_spart;
  ecim_op_t pl_op;
  uint32_t pend;
  ecim_op_t opq[ECIM_OPQ_DEPTH];
  uint16_t opq_xs[ECIM_OPQ_DEPTH][8];
  unsigned opq_count, opq_rd, opq_wr;
  ecim_ppu_t ppu;
} ecim_tile_t;

/* What a tile tells the sequencer before the router decides (depends on its state only). */
typedef struct {
  int blk_ready, init_ok, out_ready;
  uint32_t pend;
  cim_macro_out_t mo[ECIM_MAX_MACROS];
  int cur_ready, pl_fire, pl_last, swap_fire, op_rd, q_pop;
  int ppu_ready, ppu_valid, ppu_load, ir_done;
  uint8_t plane[256];     /* the operation's current bit-plane, one row per byte */
} ecim_tile_comb_t;

/* The router's beat and entry for the tiles. */
typedef struct {
  int kind;               /* ECIM_BEAT_KIND_* */
  unsigned macro, b, yidx, addr, midx;
  const uint8_t *data;
  int blk_macro, blk_kb, blk_groups, blk_rows, blk_swap, blk_first, blk_last;
} ecim_route_t;

/* ------------------------------------------------------------------------ edgecim_regs */
typedef struct {
  uint32_t w[ECIM_DESC_WORDS]; /* staged descriptor words */
  uint32_t mem_limit, cmds_done, cycles_hi;
  uint64_t cycles;
  int irq_en, err, err_code, irq_done, irq_error, irq_idle, rvalid, busy_q;
  uint32_t rdata;
  uint32_t list_addr, list_count, list_done, token_id, token_pos, kv_base, kv_limit;
  ecim_cmd_desc_t *qmem;
  unsigned q_count, q_rd, q_wr;
} ecim_regs_t;

/* -------------------------------------------------------------------------- edgecim_list */
typedef struct {
  int active;              /* a list is being fetched */
  uint32_t addr;           /* next unit to fetch */
  unsigned left;           /* descriptors still to queue */
  int req_out;             /* a fetch request is in flight */
  unsigned ahead;          /* data beats in the FIFO order before the fetched beats */
  unsigned beats;          /* beats of the unit received so far */
  unsigned in_unit;        /* descriptors of the list in the unit in flight */
  unsigned have, next;     /* descriptors in the buffer, index of the next one */
  uint8_t buf[ECIM_MAX_PORT > 64 ? ECIM_MAX_PORT : 64]; /* one fetch unit */
} ecim_list_t;

typedef struct {
  int rd_req_valid, rd_pop, desc_valid;
  uint32_t rd_req_addr;
  unsigned rd_req_beats;
  uint32_t desc[ECIM_DESC_WORDS];
} ecim_list_comb_t;

void ecim_list_reset(ecim_list_t *l);
/* The FIFO head beat is the fetcher's (the running command does not see it). */
int ecim_list_owns_head(const ecim_list_t *l);
void ecim_list_comb(const ecim_hw_t *h, const ecim_list_t *l, int fifo_valid, ecim_list_comb_t *c);
void ecim_list_start(ecim_list_t *l, uint32_t addr, unsigned count);
/* req_fire: its request was accepted (inflight: the DMA's beats in flight before it); data_pop:
 * the running command popped a beat; desc_taken/refused: the register file's verdict. */
void ecim_list_clock(const ecim_hw_t *h, ecim_list_t *l, const ecim_list_comb_t *c, int req_fire, unsigned inflight,
                     int data_pop, const uint8_t *rd_data, int desc_taken, int desc_refused);

/* ------------------------------------------------------------------------------- the model */
struct ecim_top {
  ecim_hw_t cfg;
  int nm;                 /* macros per tile */
  ecim_regs_t r;
  ecim_list_t list;
  ecim_vu_t vu;
  ecim_seq_t seq;
  ecim_dma_t dma;
  ecim_tile_t tile[ECIM_MAX_TILES];
  ecim_top_stats_t stats; /* observation only: no RTL register (edgecim_model.h) */
};

/* Geometry derived from the configuration. */
static inline unsigned ecim_ngroups(const ecim_hw_t *h) { return (unsigned)h->macro_rows / ECIM_GROUP_ROWS; }
static inline unsigned ecim_aword(const ecim_hw_t *h) {
  return (unsigned)(h->macro_rows > h->data_bytes ? h->macro_rows : h->data_bytes);
}
static inline unsigned ecim_xs_buf_bytes(const ecim_hw_t *h) {
  return 1u << ecim_log2u((uint64_t)h->act_bytes / 16 + (uint64_t)h->max_batch * (uint64_t)h->data_bytes);
}
static inline unsigned ecim_acc_lanes(const ecim_hw_t *h) {
  unsigned bv = (unsigned)h->data_bytes / 8;
  return (unsigned)h->ppu_cols > bv ? (unsigned)h->ppu_cols : bv;
}

/* Sequencer (cmodel/ecim_seq.c). */
typedef struct {
  int start;
  ecim_walk_out_t a, b;
  /* requester */
  int a_adv, rd_req_valid;
  unsigned a_off_d, rd_req_beats;
  uint32_t rd_req_addr;
  /* router */
  ecim_route_t r;
  int route_ok, beat_fire, blk_push, b_adv, x_broadcast;
  unsigned ci_d, tile;
  /* writer */
  int wr_req_valid, w_req_fire, wr_valid, w_beat_fire, w_last_beat, w_vec_done;
  uint32_t wr_req_addr;
  unsigned wr_req_beats;
  int out_rd, release;
  unsigned out_b, out_idx;
  uint8_t wr_strb[ECIM_MAX_PORT];
  int done;
} ecim_seq_comb_t;

void ecim_seq_reset(ecim_seq_t *s);
/* The walkers and the start of a command (before the tiles and the DMA are known). */
void ecim_seq_comb_walk(const ecim_top_t *t, int cmd_valid, ecim_seq_comb_t *c);
/* The writer's request (it needs the tiles' out_ready). */
void ecim_seq_comb_writer(const ecim_top_t *t, const ecim_tile_comb_t *tc, ecim_seq_comb_t *c);
/* Requester and router (they need the DMA's readiness and the tiles'). */
void ecim_seq_comb_route(const ecim_top_t *t, const ecim_tile_comb_t *tc, const ecim_dma_comb_t *dc,
                         int wr_ready, const uint8_t *rd_data, ecim_seq_comb_t *c);
/* done: the command ends this cycle (its last write has left the DMA). */
void ecim_seq_clock(ecim_top_t *t, const ecim_seq_comb_t *c, int done);

/* DMA (cmodel/ecim_dma.c). */
void ecim_dma_reset(ecim_dma_t *d);
ecim_dma_comb_t ecim_dma_comb(const ecim_top_t *t, const ecim_dma_req_t *rq, const dram_out_t *mem);
void ecim_dma_clock(ecim_top_t *t, const ecim_dma_comb_t *c, const ecim_dma_req_t *rq, const dram_out_t *mem);

/* Tiles (cmodel/ecim_tile.c). */
int ecim_tile_init(ecim_tile_t *tl, const ecim_hw_t *h, int nm);
void ecim_tile_free(ecim_tile_t *tl, int nm);
void ecim_tile_reset(ecim_tile_t *tl, const ecim_hw_t *h, int nm);
void ecim_tile_comb(const ecim_top_t *t, const ecim_tile_t *tl, ecim_tile_comb_t *c);
/* wr_valid: the router's beat is this tile's; blk_valid: its entry is. */
void ecim_tile_clock(ecim_top_t *t, ecim_tile_t *tl, ecim_tile_comb_t *c, const ecim_seq_comb_t *sc,
                     int wr_valid, int blk_valid, int out_rd, int out_release);
/* The writer's read data (valid the cycle after out_rd). */
const uint8_t *ecim_tile_out_data(const ecim_top_t *t, const ecim_tile_t *tl);
int ecim_tile_busy(const ecim_tile_t *tl, const ecim_tile_comb_t *c, int nm);

#endif
