/* SPDX-License-Identifier: Apache-2.0 */
/* Area from the synthesized design: see perf_area.h. The logic of each module is its Yosys cell
 * count (perf/area_cells.txt through perf/perf_area_cells.h) in NAND2 equivalents. The top's
 * modules come from the synthesized configuration equal to the design if there is one (exactly
 * its cells), else from the nearest one, scaled by what the module's logic grows with (stated per
 * module below). The macro and the vector unit are fitted over several syntheses (laws in
 * perf_area.h). The macro's weight banks are flip-flops in the RTL: they are taken out of its
 * logic and counted as SRAM bit-cells. */
#include "perf_area.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *cfg, *source, *module, *part;
  double instances, ge, flops, flop_ge;
} perf_area_cells_t;

#include "perf_area_cells.h"

#define NCELLS (sizeof PERF_AREA_CELLS / sizeof PERF_AREA_CELLS[0])
#define NPATHS (sizeof PERF_PATHS / sizeof PERF_PATHS[0])

const char *const perf_a_names[PERF_A_COUNT] = {"cim_macro", "cim_ppu", "cim_tile", "tile_sequencer",
                                                "edgecim_dma+fifo", "edgecim_regs+list", "edgecim_vu"};
const char *const perf_a_sram_names[PERF_A_COUNT] = {"weight banks", "accumulators", "activation buffers", "",
                                                     "read FIFO", "", "vector banks"};

/* One flip-flop of a weight bank: $_DFFE_PP_ (no reset, an enable) = DFF 5.67 + MUX2 2.33 GE
 * (scripts/area_cells.py) */
#define BANK_FF_GE 8.0

/* GE of one part in one synthesis (cfg, source) */
static double cells_ge(const char *cfg, const char *source, const char *part) {
  double ge = 0;
  for (size_t i = 0; i < NCELLS; i++)
    if (!strcmp(PERF_AREA_CELLS[i].cfg, cfg) && !strcmp(PERF_AREA_CELLS[i].source, source) &&
        !strcmp(PERF_AREA_CELLS[i].part, part))
      ge += PERF_AREA_CELLS[i].ge;
  return ge;
}

/* The parameters that define a build's area (everything but MemBytes) */
static int same_build(const ecim_hw_t *a, const ecim_hw_t *b) {
  ecim_hw_t x = *a, y = *b;
  x.mem_bytes = y.mem_bytes = 0;
  return !memcmp(&x, &y, sizeof x);
}

static double ldist(double a, double b) { return fabs(log2(a / b)); }

/* The synthesized top configuration equal to e, else the nearest (log distance over the
 * parameters the logic grows with); NULL if none is recorded. */
static const char *ref_top(const ecim_hw_t *e, int *exact) {
  const char *best = NULL;
  double bd = INFINITY;
  *exact = 0;
  for (size_t i = 0; i < NCELLS; i++) {
    if (strcmp(PERF_AREA_CELLS[i].source, "top")) continue;
    const ecim_hw_t *r = ecim_hw_find(PERF_AREA_CELLS[i].cfg);
    if (!r) continue;
    if (same_build(e, r)) {
      *exact = 1;
      return PERF_AREA_CELLS[i].cfg;
    }
    double d = ldist(e->ntiles, r->ntiles) + ldist(e->nmacros + e->nres, r->nmacros + r->nres) +
               ldist(e->data_bytes, r->data_bytes) + ldist(e->macro_rows, r->macro_rows) +
               ldist(e->macro_cols, r->macro_cols) + ldist(e->ppu_cols, r->ppu_cols) +
               ldist(e->vec_lanes, r->vec_lanes) + ldist(e->queue_depth, r->queue_depth);
    if (d < bd) bd = d, best = PERF_AREA_CELLS[i].cfg;
  }
  return best;
}

/* Bits of one macro's two banks: bit-plane words and FP16 scales. */
static double bank_bits(double rows, double cols, double wbits) {
  return 2 * (rows * cols * wbits + rows / ECIM_GROUP_ROWS * cols * 16);
}

/* Least squares y = a + b x (n >= 2 distinct x), y = b x (one point). */
static void fit_line(const double *x, const double *y, int n, double *a, double *b) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < n; i++) sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i];
  double den = n * sxx - sx * sx;
  if (n < 2 || fabs(den) < 1e-9 * sxx) {
    *a = 0;
    *b = sxx > 0 ? sxy / sxx : 0;
    return;
  }
  *b = (n * sxy - sx * sy) / den;
  *a = (sy - *b * sx) / n;
}

#define MAXPTS 32

/* The macro's logic law: the macro syntheses at the design's MaxWBits and write width (else at
 * any, the per-bit term scaled by MaxWBits). */
static void macro_law(const ecim_hw_t *e, perf_area_t *a) {
  double x[MAXPTS], y[MAXPTS], w[MAXPTS];
  int n = 0, same = 0;
  for (int pass = 0; pass < 2 && !same; pass++) {
    n = 0;
    for (size_t i = 0; i < NCELLS && n < MAXPTS; i++) {
      const perf_area_cells_t *c = &PERF_AREA_CELLS[i];
      int rows, cols;
      if (strcmp(c->part, "macro") || sscanf(c->source, "macro-%dx%d", &rows, &cols) != 2) continue;
      const ecim_hw_t *r = ecim_hw_find(c->cfg);
      if (!r) continue;
      int match = r->max_wbits == e->max_wbits && r->data_bytes == e->data_bytes && r->abits == e->abits;
      if (pass == 0 && !match) continue;
      x[n] = (double)rows * cols;
      y[n] = c->ge - bank_bits(rows, cols, r->max_wbits) * BANK_FF_GE;
      w[n] = r->max_wbits;
      if (rows == e->macro_rows && cols == e->macro_cols && match) a->macro_exact = 1;
      n++;
    }
    same = pass == 0 && n > 0;
  }
  a->macro_points = n;
  if (!n) return;
  if (!same) /* per bit-plane: the adder trees grow with the weight bits */
    for (int i = 0; i < n; i++) y[i] *= e->max_wbits / w[i];
  fit_line(x, y, n, &a->macro_a, &a->macro_b);
}

/* The vector unit's logic law over every configuration it was synthesized in (alone, or in the
 * top), one point per configuration. */
static void vu_law(const ecim_hw_t *e, perf_area_t *a) {
  double lanes[MAXPTS], lb[MAXPTS], ge[MAXPTS];
  const char *seen[MAXPTS];
  int n = 0;
  for (size_t i = 0; i < NCELLS && n < MAXPTS; i++) {
    const perf_area_cells_t *c = &PERF_AREA_CELLS[i];
    if (strcmp(c->part, "vu")) continue;
    int dup = 0;
    for (int k = 0; k < n; k++) dup |= !strcmp(seen[k], c->cfg);
    const ecim_hw_t *r = ecim_hw_find(c->cfg);
    if (dup || !r) continue;
    seen[n] = c->cfg;
    lanes[n] = r->vec_lanes;
    lb[n] = log2(r->vec_bank_bytes);
    ge[n] = cells_ge(c->cfg, "vu", "vu");
    if (ge[n] == 0) ge[n] = cells_ge(c->cfg, "top", "vu");
    n++;
  }
  a->vu_points = n;
  a->vu_a = a->vu_b = a->vu_c = 0;
  for (int k = 0; k < n; k++)
    if (lanes[k] == e->vec_lanes && lb[k] == log2(e->vec_bank_bytes)) {
      a->vu_exact = 1;
      a->vu_a = ge[k];
      return;
    }
  /* three or more points with distinct bank sizes: a + b lanes + c log2(bank), normal equations */
  int nb = 0;
  for (int k = 1; k < n; k++) nb |= lb[k] != lb[0];
  if (n >= 3 && nb) {
    double m[3][4] = {{0}};
    for (int k = 0; k < n; k++) {
      double v[3] = {1, lanes[k], lb[k]};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) m[i][j] += v[i] * v[j];
        m[i][3] += v[i] * ge[k];
      }
    }
    for (int i = 0; i < 3; i++) { /* Gauss-Jordan, partial pivoting */
      int p = i;
      for (int r = i + 1; r < 3; r++)
        if (fabs(m[r][i]) > fabs(m[p][i])) p = r;
      for (int j = 0; j < 4; j++) { double t = m[i][j]; m[i][j] = m[p][j]; m[p][j] = t; }
      if (fabs(m[i][i]) < 1e-12) goto line;
      for (int r = 0; r < 3; r++)
        if (r != i) {
          double f = m[r][i] / m[i][i];
          for (int j = 0; j < 4; j++) m[r][j] -= f * m[i][j];
        }
    }
    a->vu_a = m[0][3] / m[0][0];
    a->vu_b = m[1][3] / m[1][1];
    a->vu_c = m[2][3] / m[2][2];
    return;
  }
line:
  fit_line(lanes, ge, n, &a->vu_a, &a->vu_b);
  a->vu_c = 0;
}

/* The activation-scale buffer of a tile: ActBytes/16 + MaxBatch x DataBytes, to a power of two. */
static double xs_buf_bytes(const ecim_hw_t *e) {
  return (double)(UINT64_C(1) << ecim_log2u((uint64_t)e->act_bytes / 16 + (uint64_t)e->max_batch * (uint64_t)e->data_bytes));
}

void perf_area(const perf_hw_t *hw, perf_area_t *a) {
  memset(a, 0, sizeof *a);
  ecim_hw_t e;
  perf_hw_ecim(hw, &e);
  const double macros = (double)e.ntiles * (e.nmacros + e.nres), tiles = e.ntiles;
  int exact = 0;
  const char *ref = ref_top(&e, &exact);
  a->cells_of = ref ? ref : "none";
  a->cells_exact = exact;
  if (ref) {
    const ecim_hw_t *r = ecim_hw_find(ref);
#define G(part) (cells_ge(ref, "top", part) + cells_ge(ref, "ppu", part))
    /* post-processor: PpuCols x groups term units (FP16 multiply, shift, adds) per tile, and its
     * accumulator lanes (a law over narrower syntheses if it was not synthesized at ref) */
    double ppu = G("ppu"), lanes_e = fmax(e.ppu_cols, e.data_bytes / 8.0), lanes_r = fmax(r->ppu_cols, r->data_bytes / 8.0);
    if (ppu == 0) {
      double x[MAXPTS], y[MAXPTS];
      int n = 0;
      for (size_t i = 0; i < NCELLS && n < MAXPTS; i++) {
        int db;
        const perf_area_cells_t *c = &PERF_AREA_CELLS[i];
        if (strcmp(c->cfg, ref) || sscanf(c->source, "ppu-%d", &db) != 1) continue;
        int k = 0;
        while (k < n && x[k] != fmax(r->ppu_cols, db / 8.0)) k++;
        if (k == n) x[n] = fmax(r->ppu_cols, db / 8.0), y[n++] = 0;
        y[k] += c->ge;
      }
      a->ppu_points = n;
      if (n) fit_line(x, y, n, &a->ppu_a, &a->ppu_b);
      ppu = a->ppu_a + a->ppu_b * lanes_e;
      lanes_e = lanes_r; /* the lanes are in the law */
    }
    a->logic_ge[PERF_A_PPU] = ppu * lanes_e / lanes_r * (tiles * e.ppu_cols * e.macro_rows) / ((double)r->ntiles * r->ppu_cols * r->macro_rows);
    /* tile: the write path and the bit-plane selection grow with the port and the rows */
    a->logic_ge[PERF_A_TILE] = G("tile") * (tiles * ((double)e.data_bytes + e.macro_rows)) /
                               ((double)r->ntiles * ((double)r->data_bytes + r->macro_rows));
    /* sequencer and DMA: the beat datapath */
    a->logic_ge[PERF_A_SEQ] = G("seq") * ((double)e.data_bytes / r->data_bytes) * (0.5 + 0.5 * e.ntiles / r->ntiles);
    a->logic_ge[PERF_A_DMA] = G("dma") * ((double)e.data_bytes / r->data_bytes);
    /* registers, command queue, list fetcher, checks */
    a->logic_ge[PERF_A_REGS] = G("regs") * ((double)e.queue_depth / r->queue_depth);
#undef G
  }
  macro_law(&e, a);
  a->logic_ge[PERF_A_MACRO] = a->macro_points ? macros * (a->macro_a + a->macro_b * e.macro_rows * e.macro_cols) : 0;
  vu_law(&e, a);
  a->logic_ge[PERF_A_VU] = a->vu_a + a->vu_b * e.vec_lanes + a->vu_c * log2(e.vec_bank_bytes);
  a->sram_bits[PERF_A_MACRO] = macros * bank_bits(e.macro_rows, e.macro_cols, e.max_wbits);
  a->sram_bits[PERF_A_PPU] = tiles * 2 * (double)e.max_batch * e.macro_cols * ECIM_ACC_BITS;
  a->sram_bits[PERF_A_TILE] = tiles * 8 * ((double)e.act_bytes + xs_buf_bytes(&e));
  a->sram_bits[PERF_A_DMA] = (double)e.fifo_beats * e.data_bytes * 8;
  /* five banks A, B, C, D, T and the group-scale memory (VecBankBytes / 256 words of 32 bits) */
  a->sram_bits[PERF_A_VU] = 5 * 8 * (double)e.vec_bank_bytes + (double)e.vec_bank_bytes / 256 * 32;
  for (int i = 0; i < PERF_A_COUNT; i++) {
    if (a->logic_ge[i] < 0) a->logic_ge[i] = 0; /* a fit far outside its points */
    a->logic_mm2[i] = a->logic_ge[i] * hw->nand2_um2 * 1e-6;
    a->sram_mm2[i] = a->sram_bits[i] * hw->sram_um2_bit / hw->sram_array_eff * 1e-6;
    a->total_mm2 += a->logic_mm2[i] + a->sram_mm2[i];
  }
  a->base_mm2 = hw->area_mm2_base;
  a->total_mm2 += a->base_mm2;
}

const perf_path_t *perf_paths(const char *cfg, int *n) {
  *n = 0;
  const perf_path_t *first = NULL;
  for (size_t i = 0; i < NPATHS; i++)
    if (cfg && !strcmp(PERF_PATHS[i].cfg, cfg)) {
      if (!first) first = &PERF_PATHS[i];
      ++*n;
    }
  return first;
}

const perf_path_t *perf_crit_path(const char *cfg) {
  int n;
  const perf_path_t *p = perf_paths(cfg, &n), *best = NULL;
  for (int i = 0; i < n; i++)
    if (!best || p[i].depth > best->depth) best = &p[i];
  return best;
}

double perf_path_ns(const perf_hw_t *hw, int depth) {
  return (depth * hw->cell_fo4 + hw->seq_fo4) * hw->fo4_ps * 1e-3;
}
