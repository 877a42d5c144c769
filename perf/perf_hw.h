/* SPDX-License-Identifier: Apache-2.0 */
/* Parameters of an EdgeCIM chip for the performance/energy model: the build parameters of the
 * hardware (the fields of ecim_hw_t, with their legal values and rules from hw/edgecim_hw.json
 * through include/edgecim_hw.h: the model only takes a design the RTL can be built as), the
 * workload's weight precision per layer kind, the clock, the DRAM, and the energy, leakage and
 * area constants.
 *
 * Every field is a double so that one table drives the defaults, `key = value` config files,
 * `--set key=value` overrides and the DSE. Sources of the constants: docs/PERF_MODEL.md. */
#ifndef PERF_HW_H
#define PERF_HW_H

#include <stddef.h>
#include <stdio.h>

#include "edgecim_hw.h"
#include "perf_gemv.h"

typedef struct {
  /* Build parameters of edgecim_top (ecim_hw_t; MemBytes is not a performance parameter) */
  double ntiles, nmacros, nres, max_wbits, abits, data_bytes, macro_rows, macro_cols, ppu_cols;
  double act_bytes, max_batch, fifo_beats, max_burst, queue_depth, vec_lanes, vec_bank_bytes;
  /* Weight precision: wbits for every layer (0 = the model's: 4, BitNet 2), per layer kind
   * overrides (0 = wbits) */
  double wbits, wbits_attn, wbits_ffn, wbits_lm_head;
  /* Clock and voltage */
  double clock_mhz, clock_max_mhz, vdd_nom, vdd_min;
  /* DRAM */
  double dram_gb_s, dram_latency_ns, dram_stall_pct, dram_queue, dram_posted_writes, dram_pj_bit, kv_bits;
  /* Energy (at vdd_nom) */
  double mac_fj_bitop;   /* CIM: energy per 1b x 1b partial product incl. adder tree */
  double sram_rd_pj_bit, sram_wr_pj_bit; /* buffer read, macro/buffer write */
  double pp_pj_term;     /* post-processing: one FP16-scaled group term (mult + shift + add) */
  double host_gops;      /* firmware/host element operations per second (G) */
  double host_pj_op;     /* energy per firmware element operation */
  double host_op_ns;     /* fixed cost of issuing one non-GEMV op */
  /* Leakage (at vdd_nom) */
  double leak_mw_base, leak_mw_tile, leak_mw_macro_bank;
  /* Area (perf/perf_area.c: synthesized cells in NAND2 equivalents + SRAM bit-cells) */
  double area_mm2_base, nand2_um2, sram_um2_bit, sram_array_eff;
  /* Timing of the synthesized paths (perf_path_ns): FO4 delay, FO4 per Yosys cell, flop overhead */
  double fo4_ps, cell_fo4, seq_fo4;
} perf_hw_t;

typedef struct {
  const char *key;
  size_t offset;
  double def, min, max; /* build parameters: from ECIM_HW_PARAMS (perf_hw_init) */
  int integer;
  const char *unit, *help;
  const ecim_hw_param_t *hw; /* a build parameter: its legal values */
} perf_param_t;

extern const perf_param_t *perf_params; /* perf_n_params entries */
extern int perf_n_params;

void perf_hw_default(perf_hw_t *hw);
const perf_param_t *perf_param_find(const char *key);
double perf_hw_get(const perf_hw_t *hw, const perf_param_t *p);
void perf_hw_put(perf_hw_t *hw, const perf_param_t *p, double v); /* no checks */
/* 0 if v is a legal value of p on its own, else -1 with a message. */
int perf_param_check(const perf_param_t *p, double v, char *err, size_t errlen);

/* Sets one parameter from text. Returns 0, or -1 with a message in err (unknown key, value
 * not a number, not an integer, out of range, not a legal value). */
int perf_hw_set(perf_hw_t *hw, const char *key, const char *value, char *err, size_t errlen);
/* Parses "key=value" (as given to --set). */
int perf_hw_set_kv(perf_hw_t *hw, const char *kv, char *err, size_t errlen);
/* Reads a config file of `key = value` lines (# comments, blank lines). Returns 0, or -1 with
 * "file:line: reason" in err. */
int perf_hw_load(perf_hw_t *hw, const char *path, char *err, size_t errlen);
/* Every parameter legal, the build parameters under the rules of ecim_hw_check(), and the
 * cross checks (clock <= clock_max, ...). 0 or -1 with err. */
int perf_hw_validate(const perf_hw_t *hw, char *err, size_t errlen);
/* Writes all parameters as a loadable config file. */
void perf_hw_write(const perf_hw_t *hw, FILE *f);

/* The build configuration (ecim_hw_t) and the DRAM at the clock (perf_dram_t) of a design. */
void perf_hw_ecim(const perf_hw_t *hw, ecim_hw_t *out);
void perf_hw_from_ecim(perf_hw_t *hw, const ecim_hw_t *e);
void perf_hw_dram(const perf_hw_t *hw, perf_dram_t *out);

/* Derived quantities */
static inline double perf_hw_macros(const perf_hw_t *hw) { return hw->ntiles * (hw->nmacros + hw->nres); }
static inline double perf_hw_dram_bytes_per_cycle(const perf_hw_t *hw) {
  return hw->dram_gb_s * 1e3 / hw->clock_mhz; /* GB/s / MHz = kB per cycle */
}
/* Supply voltage at the clock (first-order: linear in f between vdd_min and vdd_nom). */
double perf_hw_vdd(const perf_hw_t *hw);
double perf_hw_area_mm2(const perf_hw_t *hw);
double perf_hw_leak_mw(const perf_hw_t *hw); /* at the operating voltage */

#endif
