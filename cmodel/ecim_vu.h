/* SPDX-License-Identifier: Apache-2.0 */
/* C model of the vector unit (rtl/edgecim_vu.sv; docs/VECTOR_UNIT.md is the specification).
 *
 * The unit runs one vector op at a time, as a program of slots over segments, passes and
 * chunks (ecim_vu_prog.c): each slot loads regions of DRAM into its banks, computes over a
 * chunk, quantizes, stores, or scatters the small writes of a KV-cache append. Every slot has a
 * duration fixed by the shapes and the DMA's handshakes, never by the data, so this model computes
 * a slot's results at once (ecim_vu_exec.c) and mirrors the RTL's cycles slot by slot. */
#ifndef ECIM_VU_H
#define ECIM_VU_H

#include <stdint.h>

#include "edgecim_hw.h"

struct ecim_top;

/* The five banks of the unit; VB_AD loads A and D with the same data (RoPE reads a pair from
 * two banks); RQ/RS are the row registers of the KV appends (codes, group scales). */
enum { VB_A, VB_B, VB_C, VB_D, VB_T, VB_N, VB_RQ = VB_N, VB_RS, VB_AD, VB_NONE };

/* Slot kinds. */
typedef enum {
  VS_END,      /* past the last slot of a chunk: the program moves on */
  VS_LOAD,     /* up to two DRAM regions into banks */
  VS_COMPUTE,  /* the lanes over a chunk */
  VS_SCALAR,   /* a scalar from the lanes' reduction */
  VS_QSCALE,   /* the group scales of a chunk */
  VS_QCODES,   /* the INT8 codes of a chunk */
  VS_STORE,    /* a bank (or part) to DRAM: the output of a chunk */
  VS_SSTORE,   /* the group scales of a quantized output (bank D) to DRAM */
  VS_SCATTER,  /* the single-beat writes of an append */
  VS_DRAIN     /* wait until the DMA has sent every write */
} vu_slot_kind_t;

/* Compute kinds of VS_COMPUTE and VS_SCALAR. */
typedef enum {
  VC_EMBED, VC_SS, VC_APPLY, VC_ROPE, VC_MAX, VC_EXPSUM, VC_EXPOUT, VC_GATE, VC_COPY, VC_VMOD,
  VC_RSQRT, VC_RECIP
} vu_compute_t;

/* Scatter kinds. */
typedef enum { VX_KWORDS, VX_VSCALE } vu_scatter_t;

typedef struct {
  uint32_t addr, bytes;
  int bank; /* VB_*; VB_NONE: region unused */
  uint32_t boff; /* byte offset in the bank */
} vu_region_t;

/* One slot of the program, as the sequencer evaluates it for the current position. */
typedef struct {
  vu_slot_kind_t kind;
  int enabled;         /* a disabled slot takes one cycle and does nothing */
  vu_region_t r[2];    /* LOAD: two regions; STORE: r[0] */
  int compute;         /* VC_* */
  int scatter;         /* VX_* */
  int first;           /* COMPUTE: the first chunk of a reduction pass (accumulators start) */
  int out;             /* COMPUTE: output format (ECIM_VU_FMT_*), QSCALE/QCODES: to the row registers */
  unsigned n;          /* elements (COMPUTE, QCODES), groups (QSCALE), writes (SCATTER) */
  uint32_t elem0;      /* index of the chunk's first element in its segment */
  uint32_t scale_off;  /* QSCALE: group index of the chunk's first group in bank D */
  int row_mode;        /* QSCALE/QCODES: one scale for the whole segment (VAPPEND) */
} vu_slot_t;

/* The op as the unit registers it at its start (the queued descriptor and derived shapes). */
typedef struct {
  int op;
  uint32_t src0, src1, dst, stride, dstride, p0, p1, flags;
  unsigned len, count, pos, token;
  unsigned nch;        /* chunks per segment */
  unsigned ce;         /* elements per chunk */
} vu_cmd_t;

/* Position in the program. */
typedef struct {
  unsigned seg, pass, chunk, slot;
  int tail;            /* 0: in the chunk slots; 1: end-of-pass; 2: end-of-segment; 3: end-of-op */
} vu_pc_t;

typedef struct {
  int run, drain;      /* an op is running; its slots are done, its writes draining */
  vu_cmd_t c;
  vu_pc_t pc;
  vu_slot_t cur;       /* the slot being executed */
  int in_slot;         /* cur holds a started slot */
  unsigned cyc, dur;   /* compute-like slots: next cycle's index in the slot, and the duration */
  unsigned ld_req, ld_got;            /* LOAD: words requested, received */
  unsigned st_sent, st_req_left, st_burst; /* STORE: beats sent, to request, left in the open request */
  unsigned sc_i; int sc_beat;         /* SCATTER: the write, its beat is next */
  uint8_t *bank[VB_N]; /* VecBankBytes each */
  uint8_t rq[256];     /* codes of one row (KV appends) */
  uint8_t rs[16];      /* their group scales (FP16, little-endian) */
  uint32_t acc[32];    /* lane accumulators (VF32) */
  uint32_t gmax[ECIM_MAX_PORT]; /* group maxima of the chunk (|v|) */
  uint32_t inv[ECIM_MAX_PORT];  /* group inverse scales */
  uint32_t rowmax, row_inv;
  uint16_t row_s16;
  uint32_t r_norm, m_max, inv_sum; /* scalars */
} ecim_vu_t;

typedef struct {
  int start, done, slot_end;
  int rd_req_valid, rd_pop, wr_req_valid, wr_valid;
  uint32_t rd_req_addr, wr_req_addr;
  unsigned rd_req_beats, wr_req_beats;
  uint8_t wr_data[ECIM_MAX_PORT], wr_strb[ECIM_MAX_PORT];
  int busy;
} ecim_vu_comb_t;

int ecim_vu_init(ecim_vu_t *v, const ecim_hw_t *h);
void ecim_vu_free(ecim_vu_t *v);
void ecim_vu_reset(ecim_vu_t *v);

/* cmd_valid: the queue head is a vector op; its descriptor in *d. DMA handshakes as the
 * sequencer sees them. */
struct ecim_dma_view {
  int rd_req_ready, rd_valid, wr_req_ready, wr_ready, wr_idle;
  const uint8_t *rd_data;
};
void ecim_vu_comb(const ecim_hw_t *h, const ecim_vu_t *v, int cmd_valid, const struct ecim_dma_view *dv,
                  ecim_vu_comb_t *c);
void ecim_vu_clock(const ecim_hw_t *h, ecim_vu_t *v, const ecim_cmd_desc_t *queued, const struct ecim_dma_view *dv,
                   const ecim_vu_comb_t *c);

/* The program (ecim_vu_prog.c): the command as the unit registers it, the slot at pc, and the
 * next position. */
vu_cmd_t ecim_vu_command(const ecim_hw_t *h, const ecim_cmd_desc_t *d);
vu_slot_t ecim_vu_slot(const ecim_hw_t *h, const vu_cmd_t *c, const vu_pc_t *pc);
/* VAPPEND's addresses: the V^T block of (segment s, output block nb) holding TOKEN_POS's row,
 * and the region of its group's bit-plane words. */
uint32_t ecim_vu_v_block(const ecim_hw_t *h, const vu_cmd_t *c, unsigned s, unsigned nb);
uint32_t ecim_vu_v_region(const ecim_hw_t *h, const vu_cmd_t *c, unsigned s, unsigned nb);
/* Advances pc past its slot; returns 1 when the op has no slot left. */
int ecim_vu_advance(const ecim_hw_t *h, const vu_cmd_t *c, vu_pc_t *pc);

/* Executes a compute-like slot at its start (ecim_vu_exec.c): banks and registers as the RTL has
 * them at the slot's end. Returns the slot's duration in cycles. */
unsigned ecim_vu_execute(const ecim_hw_t *h, ecim_vu_t *v, const vu_slot_t *s);
#endif
