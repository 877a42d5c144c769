/* Bit-exact, cycle-exact C model of rtl/cim_macro.sv (plain C: no DPI, no Verilator types).
 *
 * The model is clocked like the RTL: cim_macro_eval() gives the outputs of the current cycle
 * for the current state and inputs (the combinational paths), cim_macro_clock() applies the
 * rising edge. cim_macro_ref_dot() is an independent reference: the plain integer dot products
 * of one operation, for checking the model (and the RTL) against the arithmetic itself. */
#ifndef CIM_MACRO_H
#define CIM_MACRO_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int rows;       /* inputs per macro */
  int cols;       /* output channels */
  int group_rows; /* rows per quantization group; rows % group_rows == 0 */
  int wbits;      /* signed weight width, 2..16 */
  int abits;      /* signed activation width, 2..16 */
} cim_macro_cfg_t;

extern const cim_macro_cfg_t CIM_MACRO_DEFAULT_CFG; /* 128 x 32, groups of 32, W4 A8 */

/* 0 if cfg is valid; otherwise -1 and a message in err. */
int cim_macro_cfg_check(const cim_macro_cfg_t *cfg, char *err, size_t errlen);
int cim_macro_groups(const cim_macro_cfg_t *cfg);    /* rows / group_rows */
int cim_macro_row_addr_bits(const cim_macro_cfg_t *cfg);
int cim_macro_tree_bits(const cim_macro_cfg_t *cfg); /* width of one adder-tree sum */
int cim_macro_out_bits(const cim_macro_cfg_t *cfg);  /* width of one result sum */
/* Cycles from the first plane accepted to the result valid, with no stall: abits + 1. */
int cim_macro_latency(const cim_macro_cfg_t *cfg);
/* Cycles between back-to-back operations (one plane per cycle): abits. */
int cim_macro_interval(const cim_macro_cfg_t *cfg);

typedef struct {
  int w_valid;
  unsigned w_row;
  const int32_t *w_data;  /* cols weights, each in [-2^(wbits-1), 2^(wbits-1)) */
  int a_valid;
  const uint8_t *a_plane; /* rows bits, one per byte (0 or 1) */
  int a_swap;
  int r_ready;
} cim_macro_in_t;

typedef struct {
  int w_ready, a_ready, r_valid, bank, idle;
  const int32_t *r_data; /* groups * cols sums, index g * cols + c */
} cim_macro_out_t;

typedef struct cim_macro cim_macro_t;

cim_macro_t *cim_macro_new(const cim_macro_cfg_t *cfg); /* NULL on a bad cfg or no memory */
void cim_macro_free(cim_macro_t *m);
void cim_macro_reset(cim_macro_t *m); /* control state only: the banks are SRAM, not reset */
void cim_macro_eval(const cim_macro_t *m, const cim_macro_in_t *in, cim_macro_out_t *out);
void cim_macro_clock(cim_macro_t *m, const cim_macro_in_t *in);
/* Weight currently held at (bank, row, col); for tests. */
int32_t cim_macro_weight(const cim_macro_t *m, int bank, int row, int col);

/* Reference: sums[g * cols + c] = sum over rows r of group g of act[r] * w[r * cols + c]. */
void cim_macro_ref_dot(const cim_macro_cfg_t *cfg, const int32_t *w, const int32_t *act,
                       int32_t *sums);

#endif
