/* SPDX-License-Identifier: Apache-2.0 */
/* The area breakdown by module and the critical-path statement of a design, as text
 * (`edgecim perf`) or Markdown (`edgecim report`, docs/PERF_MODEL.md). Every figure names its
 * source: the Yosys synthesis it comes from (perf/area_cells.txt) and the constants of
 * docs/PERF_MODEL.md. */
#include "perf_area.h"

#include <math.h>
#include <string.h>

static const char *logic_source(const perf_area_t *a, int i, char *buf, size_t len) {
  if (i == PERF_A_MACRO) {
    if (!a->macro_points) return "no macro synthesis: 0";
    snprintf(buf, len, "%s: %.0f + %.3f x rows x cols GE per macro (fit, %d macro syntheses)",
             a->macro_exact ? "synthesized geometry" : "scaling law", a->macro_a, a->macro_b, a->macro_points);
  } else if (i == PERF_A_VU) {
    if (a->vu_exact) snprintf(buf, len, "Yosys, the design's lanes and banks");
    else snprintf(buf, len, "fit %.0f + %.0f x lanes + %.0f x log2(bank bytes) over %d configurations", a->vu_a,
                  a->vu_b, a->vu_c, a->vu_points);
  } else if (i == PERF_A_PPU && a->logic_ge[i] == 0) {
    return "not synthesized yet (make area-synth AREA_PARTS=ppu:64): 0";
  } else if (i == PERF_A_PPU && a->ppu_points) {
    snprintf(buf, len, "Yosys, configuration %s at narrower ports: %.0f + %.0f x lanes GE (fit, %d syntheses)%s",
             a->cells_of, a->ppu_a, a->ppu_b, a->ppu_points, a->cells_exact ? "" : " (scaled)");
  } else {
    if (!strcmp(a->cells_of, "none")) return "no synthesis recorded: 0";
    snprintf(buf, len, "Yosys, configuration %s%s", a->cells_of, a->cells_exact ? "" : " (scaled)");
  }
  return buf;
}

void perf_area_write(FILE *f, const perf_hw_t *hw, int md) {
  perf_area_t a;
  perf_area(hw, &a);
  char src[160];
  double lg = 0, sr = 0;
  if (md)
    fprintf(f, "| part | logic kGE | logic mm2 | SRAM | SRAM Mbit | SRAM mm2 | total mm2 | logic source |\n"
               "|---|---:|---:|---|---:|---:|---:|---|\n");
  else
    fprintf(f, "area by module (65 nm: %g um2 per NAND2 GE, %g um2 per SRAM bit-cell at %.0f%% array efficiency; "
               "docs/PERF_MODEL.md):\n  %-18s %10s %9s  %-18s %9s %9s %9s  %s\n", hw->nand2_um2, hw->sram_um2_bit,
            hw->sram_array_eff * 100, "part", "logic kGE", "logic mm2", "SRAM", "Mbit", "SRAM mm2", "total mm2", "logic source");
  for (int i = 0; i < PERF_A_COUNT; i++) {
    const char *sn = *perf_a_sram_names[i] ? perf_a_sram_names[i] : "-";
    const char *ls = logic_source(&a, i, src, sizeof src);
    if (md)
      fprintf(f, "| %s | %.1f | %.3f | %s | %.3f | %.3f | %.3f | %s |\n", perf_a_names[i], a.logic_ge[i] / 1e3,
              a.logic_mm2[i], sn, a.sram_bits[i] / 1e6, a.sram_mm2[i], a.logic_mm2[i] + a.sram_mm2[i], ls);
    else
      fprintf(f, "  %-18s %10.1f %9.3f  %-18s %9.3f %9.3f %9.3f  %s\n", perf_a_names[i], a.logic_ge[i] / 1e3,
              a.logic_mm2[i], sn, a.sram_bits[i] / 1e6, a.sram_mm2[i], a.logic_mm2[i] + a.sram_mm2[i], ls);
    lg += a.logic_mm2[i];
    sr += a.sram_mm2[i];
  }
  if (md)
    fprintf(f, "| PHY, controller, host interface | | | | | | %.3f | `area_mm2_base` (assumption) |\n"
               "| **total** | | **%.3f** | | | **%.3f** | **%.3f** | |\n\n", a.base_mm2, lg, sr, a.total_mm2);
  else
    fprintf(f, "  %-18s %10s %9.3f  %-18s %9s %9.3f %9.3f\n  %-18s %10s %9s  %-18s %9s %9s %9.3f  area_mm2_base (assumption)\n"
               "  %-18s %10s %9s  %-18s %9s %9s %9.3f\n", "sum", "", lg, "", "", sr, lg + sr, "PHY/controller", "", "", "", "", "",
            a.base_mm2, "total", "", "", "", "", "", a.total_mm2);

  ecim_hw_t e;
  perf_hw_ecim(hw, &e);
  const char *name = ecim_hw_name(&e);
  /* the design's own paths, else those of the configuration its cells come from */
  const perf_path_t *p = perf_crit_path(name);
  const char *of = name;
  if (!p) p = perf_crit_path(of = a.cells_of);
  if (!p) {
    fprintf(f, md ? "Critical path: no path of this configuration is recorded (`make area-path`).\n\n"
                  : "critical path: none recorded (make area-synth area-path area-cells)\n");
    return;
  }
  double ns = perf_path_ns(hw, p->depth), period = 1e3 / hw->clock_mhz;
  double fmax = 1e3 / ns;
  int n;
  const perf_path_t *all = perf_paths(of, &n);
  if (md) {
    fprintf(f, "Critical path (Yosys `ltp -noff` over the gate-level netlist of configuration `%s`%s): **%d cells** in "
               "`%s`, from `%s` to `%s`; at %g ps per FO4 (`fo4_ps`), %g FO4 per cell (`cell_fo4`) and %g FO4 of "
               "flip-flop overhead (`seq_fo4`): **%.2f ns**, i.e. up to %.0f MHz: %g MHz %s.\n\n",
            of, name && !strcmp(of, name) ? "" : ", not the design's own", p->depth, p->module, p->from, p->to,
            hw->fo4_ps, hw->cell_fo4, hw->seq_fo4, ns, fmax, hw->clock_mhz,
            ns <= period ? "**closes**" : "**does not close**");
    fprintf(f, "| module | depth (cells) | ns | from | to |\n|---|---:|---:|---|---|\n");
    for (int i = 0; i < n; i++)
      fprintf(f, "| %s | %d | %.2f | `%s` | `%s` |\n", all[i].module, all[i].depth, perf_path_ns(hw, all[i].depth),
              all[i].from, all[i].to);
    fprintf(f, "\n");
  } else {
    fprintf(f, "critical path (%s, Yosys ltp): %d cells in %s, %s -> %s: %.2f ns at %g ps/FO4 x %g FO4/cell + %g FO4; "
               "fmax %.0f MHz: %g MHz %s\n", of, p->depth, p->module, p->from, p->to, ns, hw->fo4_ps, hw->cell_fo4,
            hw->seq_fo4, fmax, hw->clock_mhz, ns <= period ? "closes" : "does NOT close");
  }
}
