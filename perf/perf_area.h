/* SPDX-License-Identifier: Apache-2.0 */
/* Chip area from the design itself: logic as NAND2 gate equivalents of the Yosys cells of each
 * module (perf/perf_area_cells.h, synthesized by `make area-synth`), SRAM as bit-cells of the
 * storage each module holds (macro weight banks, activation buffers, read FIFO, accumulators),
 * plus the fixed PHY/controller area. Sources: docs/PERF_MODEL.md. */
#ifndef PERF_AREA_H
#define PERF_AREA_H

#include "perf_hw.h"

enum { PERF_A_MACRO, PERF_A_PPU, PERF_A_TILE, PERF_A_SEQ, PERF_A_DMA, PERF_A_REGS, PERF_A_COUNT };
extern const char *const perf_a_names[PERF_A_COUNT];

typedef struct {
  double logic_ge[PERF_A_COUNT];  /* gate equivalents, all instances */
  double sram_bits[PERF_A_COUNT]; /* bit-cells, all instances */
  double logic_mm2[PERF_A_COUNT], sram_mm2[PERF_A_COUNT];
  double base_mm2, total_mm2;
  const char *cells_of;           /* the synthesized configuration the logic comes from */
} perf_area_t;

void perf_area(const perf_hw_t *hw, perf_area_t *out);

#endif
