/* SPDX-License-Identifier: Apache-2.0 */
/* Area from the synthesized design: see perf_area.h. The logic of each module is its Yosys cell
 * count (perf/perf_area_cells.h) in NAND2 equivalents, scaled from the synthesized configuration
 * to the design's parameters by what the module's logic grows with (stated per module below);
 * a design equal to the synthesized configuration gets exactly its cells. The macro's weight
 * banks are flip-flops in the RTL: they are taken out of its logic and counted as bit-cells. */
#include "perf_area.h"

#include <string.h>

typedef struct {
  const char *module, *part;
  double ge, flops;
} perf_area_cells_t;

#include "perf_area_cells.h"

const char *const perf_a_names[PERF_A_COUNT] = {"cim_macro", "cim_ppu", "cim_tile", "tile_sequencer",
                                                "edgecim_dma+fifo", "edgecim_regs"};

#define DFF_GE 5.67 /* one flip-flop of a weight bank (scripts/area_cells.py) */

static double part_ge(const char *part) {
  double ge = 0;
  for (size_t i = 0; i < sizeof PERF_AREA_CELLS / sizeof PERF_AREA_CELLS[0]; i++)
    if (!strcmp(PERF_AREA_CELLS[i].part, part)) ge += PERF_AREA_CELLS[i].ge;
  return ge;
}

/* Bits of one macro's two banks: bit-plane words and FP16 scales. */
static double bank_bits(const ecim_hw_t *e) {
  double r = e->macro_rows, c = e->macro_cols;
  return 2 * (r * c * e->max_wbits + r / ECIM_GROUP_ROWS * c * 16);
}

/* The activation-scale buffer of a tile: ActBytes/16 + MaxBatch x DataBytes, to a power of two. */
static double xs_buf_bytes(const ecim_hw_t *e) {
  return (double)(UINT64_C(1) << ecim_log2u((uint64_t)e->act_bytes / 16 + (uint64_t)e->max_batch * (uint64_t)e->data_bytes));
}

void perf_area(const perf_hw_t *hw, perf_area_t *a) {
  memset(a, 0, sizeof *a);
  ecim_hw_t e, r;
  perf_hw_ecim(hw, &e);
  r = *ecim_hw_find(PERF_AREA_CELLS_OF);
  const double macros = (double)e.ntiles * (e.nmacros + e.nres), tiles = e.ntiles;
  /* macro: AND gates, adder trees and accumulators per (row, column, bit-plane) */
  /* (0 while the macro's own synthesis is not in perf_area_cells.h: make area-synth area-cells) */
  double macro_logic = part_ge("macro") > 0 ? part_ge("macro") - bank_bits(&r) * DFF_GE : 0;
  a->logic_ge[PERF_A_MACRO] = macros * macro_logic * ((double)e.macro_rows * e.macro_cols * e.max_wbits) /
                              ((double)r.macro_rows * r.macro_cols * r.max_wbits);
  /* post-processor: PpuCols x groups term units (FP16 multiply, shift, adds) */
  a->logic_ge[PERF_A_PPU] = tiles * part_ge("ppu") * ((double)e.ppu_cols * e.macro_rows) / ((double)r.ppu_cols * r.macro_rows);
  /* tile: the write path and the bit-plane selection grow with the port and the rows */
  a->logic_ge[PERF_A_TILE] = tiles * part_ge("tile") * ((double)e.data_bytes + e.macro_rows) / ((double)r.data_bytes + r.macro_rows);
  /* sequencer and DMA: the beat datapath */
  a->logic_ge[PERF_A_SEQ] = part_ge("seq") * ((double)e.data_bytes / r.data_bytes) * (0.5 + 0.5 * e.ntiles / r.ntiles);
  a->logic_ge[PERF_A_DMA] = part_ge("dma") * ((double)e.data_bytes / r.data_bytes);
  a->logic_ge[PERF_A_REGS] = part_ge("regs") * ((double)e.queue_depth / r.queue_depth);
  a->sram_bits[PERF_A_MACRO] = macros * bank_bits(&e);
  a->sram_bits[PERF_A_PPU] = tiles * 2 * (double)e.max_batch * e.macro_cols * ECIM_ACC_BITS;
  a->sram_bits[PERF_A_TILE] = tiles * 8 * ((double)e.act_bytes + xs_buf_bytes(&e));
  a->sram_bits[PERF_A_DMA] = (double)e.fifo_beats * e.data_bytes * 8;
  for (int i = 0; i < PERF_A_COUNT; i++) {
    a->logic_mm2[i] = a->logic_ge[i] * hw->nand2_um2 * 1e-6;
    a->sram_mm2[i] = a->sram_bits[i] * hw->sram_um2_bit / hw->sram_array_eff * 1e-6;
    a->total_mm2 += a->logic_mm2[i] + a->sram_mm2[i];
  }
  a->base_mm2 = hw->area_mm2_base;
  a->total_mm2 += a->base_mm2;
  a->cells_of = PERF_AREA_CELLS_OF;
}
