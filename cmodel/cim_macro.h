/* SPDX-License-Identifier: Apache-2.0 */
/* Bit-exact, cycle-exact C model of rtl/cim_macro.sv (plain C: no DPI, no Verilator types).
 *
 * The model is clocked like the RTL: cim_macro_eval() gives the outputs of the current cycle
 * for the current state and inputs (the combinational paths), cim_macro_clock() applies the
 * rising edge. Storage is the RTL's: bit-plane words (g*wbits + j)*cols + c of group_rows bits
 * and one FP16 scale per (group, column), two banks. cim_macro_ref_dot() is an independent
 * reference: the plain integer dot products of one operation. */
#ifndef CIM_MACRO_H
#define CIM_MACRO_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int rows;       /* inputs per macro */
  int cols;       /* output channels */
  int group_rows; /* rows per quantization group; rows % group_rows == 0, at most 32 */
  int wbits;      /* bit-planes per column (the widest weight): 2, 4 or 8 */
  int abits;      /* signed activation width, 2..16 */
  int wr_bits;    /* write port width: a power of two >= 32 */
} cim_macro_cfg_t;

extern const cim_macro_cfg_t CIM_MACRO_DEFAULT_CFG; /* 128 x 32, groups of 32, W4 A8, 128-bit port */

/* 0 if cfg is valid; otherwise -1 and a message in err. */
int cim_macro_cfg_check(const cim_macro_cfg_t *cfg, char *err, size_t errlen);
int cim_macro_groups(const cim_macro_cfg_t *cfg);    /* rows / group_rows */
int cim_macro_words(const cim_macro_cfg_t *cfg);     /* bit-plane words per bank */
int cim_macro_tree_bits(const cim_macro_cfg_t *cfg); /* width of one plane sum */
int cim_macro_out_bits(const cim_macro_cfg_t *cfg);  /* width of one result sum */
/* Cycles from the first plane accepted to the result valid, with no stall: abits + 1. */
int cim_macro_latency(const cim_macro_cfg_t *cfg);
/* Cycles between back-to-back operations (one plane per cycle): abits. */
int cim_macro_interval(const cim_macro_cfg_t *cfg);
/* Weight bits of precision code prec (2 << prec): 2, 4, 8. */
static inline int cim_macro_prec_bits(int prec) { return 2 << prec; }

typedef struct {
  int w_valid;
  int w_kind;             /* 0: bit-plane words, 1: scales */
  unsigned w_idx;         /* first element (low bits ignored: aligned to the element count) */
  const uint8_t *w_data;  /* wr_bits / 8 bytes, little-endian: word e at bytes 4e.., scale e at 2e.. */
  int a_valid;
  const uint8_t *a_plane; /* rows bits, one per byte (0 or 1) */
  int a_swap;
  int a_prec;             /* weight precision code of the operation: 2 << a_prec bits */
  int r_ready;
} cim_macro_in_t;

typedef struct {
  int w_ready, a_ready, r_valid, bank, idle;
  const int32_t *r_data;   /* groups * cols sums, index g * cols + c */
  const uint16_t *r_scale; /* the scales of the bank that computed r_data, same index */
} cim_macro_out_t;

typedef struct cim_macro cim_macro_t;

cim_macro_t *cim_macro_new(const cim_macro_cfg_t *cfg); /* NULL on a bad cfg or no memory */
void cim_macro_free(cim_macro_t *m);
void cim_macro_reset(cim_macro_t *m); /* control state only: the banks are SRAM, not reset */
void cim_macro_eval(const cim_macro_t *m, const cim_macro_in_t *in, cim_macro_out_t *out);
void cim_macro_clock(cim_macro_t *m, const cim_macro_in_t *in);
/* Weight (bank, row, col) at precision prec as the array holds it, and a scale; for tests. */
int32_t cim_macro_weight(const cim_macro_t *m, int bank, int row, int col, int prec);
uint16_t cim_macro_scale(const cim_macro_t *m, int bank, int group, int col);

/* Reference: sums[g * cols + c] = sum over rows r of group g of act[r] * w[r * cols + c]. */
void cim_macro_ref_dot(const cim_macro_cfg_t *cfg, const int32_t *w, const int32_t *act,
                       int32_t *sums);

#endif
