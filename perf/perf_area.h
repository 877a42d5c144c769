/* SPDX-License-Identifier: Apache-2.0 */
/* Chip area from the design itself: logic as NAND2 gate equivalents of the Yosys cells of each
 * module (perf/area_cells.txt -> perf/perf_area_cells.h, synthesized by `make area-synth`), SRAM
 * as bit-cells of the storage each module holds (macro weight banks, accumulators, activation
 * buffers, read FIFO, vector-unit banks), plus the fixed PHY/controller area; and the longest
 * combinational path of the synthesized design against the clock. Sources: docs/PERF_MODEL.md. */
#ifndef PERF_AREA_H
#define PERF_AREA_H

#include "perf_hw.h"

enum { PERF_A_MACRO, PERF_A_PPU, PERF_A_TILE, PERF_A_SEQ, PERF_A_DMA, PERF_A_REGS, PERF_A_VU, PERF_A_COUNT };
extern const char *const perf_a_names[PERF_A_COUNT];      /* the modules of each part */
extern const char *const perf_a_sram_names[PERF_A_COUNT]; /* what its SRAM is ("" = none) */

typedef struct {
  double logic_ge[PERF_A_COUNT];  /* gate equivalents, all instances */
  double sram_bits[PERF_A_COUNT]; /* bit-cells, all instances */
  double logic_mm2[PERF_A_COUNT], sram_mm2[PERF_A_COUNT];
  double base_mm2, total_mm2;
  const char *cells_of;           /* the synthesized configuration the non-macro logic comes from */
  int cells_exact;                /* 1: the design is that configuration (no scaling) */
  /* The macro's logic (its weight banks taken out): GE = macro_a + macro_b x Rows x Cols, fitted
   * over macro_points syntheses at the design's MaxWBits and write width (exact if one of them
   * has the design's geometry); macro_points = 0: no synthesis, the macro logic is 0. */
  double macro_a, macro_b;
  int macro_points, macro_exact;
  /* The vector unit's logic: GE = vu_a + vu_b x VecLanes + vu_c x log2(VecBankBytes), fitted over
   * vu_points configurations (exact if one is the design's lanes and banks). */
  double vu_a, vu_b, vu_c;
  int vu_points, vu_exact;
  /* The post-processors when only narrower ones were synthesized (their accumulator write path
   * grows with the lanes, max(PpuCols, DataBytes / 8)): GE of the reference's post-processors =
   * ppu_a + ppu_b x lanes over ppu_points syntheses (0: synthesized at the reference itself). */
  double ppu_a, ppu_b;
  int ppu_points;
} perf_area_t;

void perf_area(const perf_hw_t *hw, perf_area_t *out);

/* The longest combinational path of one module of a synthesized configuration (Yosys `ltp -noff`
 * on the flattened module: depth in cells), from perf/area_cells.txt. */
typedef struct {
  const char *cfg, *module, *from, *to;
  int depth;
} perf_path_t;

/* The deepest path of the configuration cfg (NULL if none is recorded), and its delay in ns:
 * depth x cell_fo4 x fo4_ps + seq_fo4 x fo4_ps (flop clock-to-output and setup). */
const perf_path_t *perf_crit_path(const char *cfg);
double perf_path_ns(const perf_hw_t *hw, int depth);
/* All recorded paths of cfg (n of them). */
const perf_path_t *perf_paths(const char *cfg, int *n);

/* The area table by module and the critical-path statement of hw, as text or (md) Markdown
 * (perf/perf_area_print.c). */
void perf_area_write(FILE *f, const perf_hw_t *hw, int md);

#endif
