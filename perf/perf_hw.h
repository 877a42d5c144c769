/* SPDX-License-Identifier: Apache-2.0 */
/* Hardware parameters of an EdgeCIM chip for the performance/energy model.
 *
 * Every field is a double (integer-valued ones are checked to be integers) so that one table
 * drives the defaults, `key = value` config files, `--set key=value` overrides and the DSE.
 * Sources of the defaults: docs/PERF_MODEL.md. */
#ifndef PERF_HW_H
#define PERF_HW_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
  /* Array organisation */
  double tiles, macros_per_tile;
  double rows, cols, group_rows; /* macro shape: 128 x 32, scale group of 32 rows */
  double wbits;                  /* 0 = the model's (4, BitNet 2); else forced */
  double abits;                  /* activation bits = compute cycles per block (bit-serial) */
  double resident_banks;         /* extra weight banks per macro that keep weights resident */
  double write_bytes_per_cycle;  /* one SRAM row written per cycle per macro (16 B) */
  double xbuf_kb;                /* input-vector buffer per tile (KiB) */
  /* Clock and voltage */
  double clock_mhz, clock_max_mhz, vdd_nom, vdd_min;
  /* GEMV command costs (calibration knobs) */
  double gemv_cmd_cycles, fill_extra_cycles;
  double block_handoff_cycles;  /* router bubble per block with one streaming macro per tile */
  double dram_inflight_bytes;   /* read bytes in flight: DMA credits / DRAM request queue */
  /* DRAM */
  double dram_gb_s, dram_latency_ns, dram_pj_bit, kv_bits;
  /* Energy (at vdd_nom) */
  double mac_fj_bitop;   /* CIM: energy per 1b x 1b partial product incl. adder tree */
  double sram_rd_pj_bit, sram_wr_pj_bit; /* buffer read, macro/buffer write */
  double pp_pj_term;     /* post-processing: one FP16-scaled group term (mult + shift + add) */
  double host_gops;      /* firmware/host element operations per second (G) */
  double host_pj_op;     /* energy per firmware element operation */
  double host_op_ns;     /* fixed cost of issuing one non-GEMV op */
  /* Leakage (at vdd_nom) */
  double leak_mw_base, leak_mw_tile, leak_mw_macro_bank;
  /* Area */
  double area_mm2_base, area_mm2_tile, area_mm2_macro, area_mm2_bank, area_mm2_buf_kb;
} perf_hw_t;

typedef struct {
  const char *key;
  size_t offset;
  double def, min, max;
  int integer;
  const char *unit, *help;
} perf_param_t;

extern const perf_param_t perf_params[];
extern const int perf_n_params;

void perf_hw_default(perf_hw_t *hw);
const perf_param_t *perf_param_find(const char *key);
double perf_hw_get(const perf_hw_t *hw, const perf_param_t *p);
void perf_hw_put(perf_hw_t *hw, const perf_param_t *p, double v); /* no checks */

/* Sets one parameter from text. Returns 0, or -1 with a message in err (unknown key, value
 * not a number, not an integer, out of range). */
int perf_hw_set(perf_hw_t *hw, const char *key, const char *value, char *err, size_t errlen);
/* Parses "key=value" (as given to --set). */
int perf_hw_set_kv(perf_hw_t *hw, const char *kv, char *err, size_t errlen);
/* Reads a config file of `key = value` lines (# comments, blank lines). Returns 0, or -1 with
 * "file:line: reason" in err. */
int perf_hw_load(perf_hw_t *hw, const char *path, char *err, size_t errlen);
/* Consistency checks across parameters (e.g. clock <= clock_max). 0 or -1 with err. */
int perf_hw_validate(const perf_hw_t *hw, char *err, size_t errlen);
/* Writes all parameters as a loadable config file. */
void perf_hw_write(const perf_hw_t *hw, FILE *f);

/* Derived quantities */
static inline double perf_hw_macros(const perf_hw_t *hw) { return hw->tiles * hw->macros_per_tile; }
static inline double perf_hw_dram_bytes_per_cycle(const perf_hw_t *hw) {
  return hw->dram_gb_s * 1e3 / hw->clock_mhz; /* GB/s / MHz = kB per cycle */
}
/* Supply voltage at the clock (first-order: linear in f between vdd_min and vdd_nom). */
double perf_hw_vdd(const perf_hw_t *hw);
double perf_hw_area_mm2(const perf_hw_t *hw);
double perf_hw_leak_mw(const perf_hw_t *hw); /* at the operating voltage */

#endif
