/* SPDX-License-Identifier: Apache-2.0 */
/* Calibration of the performance model's GEMV timing against the RTL.
 *
 * Reads the RTL's measurements on stdin, one per line, as printed by scripts/calibrate.sh:
 *   CALIB <tiles> <streaming macros per tile> <dram bytes/cycle> <dram latency> <read bytes in flight> <K> <N> <cycles>
 * evaluates perf_gemv_cycles() for the same hardware (clock 1 GHz, so GB/s = bytes/cycle and
 * ns = cycles) and prints the table and the worst relative error. Exit 1 if it exceeds --max
 * percent (default 2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_gemv.h"
#include "perf_hw.h"

int main(int argc, char **argv) {
  double max_pct = 2.0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--max") && i + 1 < argc) max_pct = atof(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--max PERCENT] < measurements\n", argv[0]);
      return 2;
    }
  }
  char line[512];
  int n = 0;
  double worst = 0;
  printf("| tiles | macros | DRAM B/cycle | latency | K | N | RTL cycles | model cycles | error |\n");
  printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  while (fgets(line, sizeof line, stdin)) {
    int tiles, macros, lat, K, N;
    double bw, cyc, inflight;
    if (sscanf(line, "CALIB %d %d %lf %d %lf %d %d %lf", &tiles, &macros, &bw, &lat, &inflight, &K, &N, &cyc) != 8)
      continue;
    perf_hw_t hw;
    perf_hw_default(&hw);
    hw.tiles = tiles;
    hw.macros_per_tile = macros;
    hw.clock_mhz = 1000;
    hw.clock_max_mhz = 1000;
    hw.dram_gb_s = bw;
    hw.dram_latency_ns = lat;
    hw.dram_inflight_bytes = inflight;
    hw.wbits = 4;
    hw.abits = 8;
    double model = perf_gemv_cycles(&hw, K, N, 0);
    double err = 100.0 * (model - cyc) / cyc;
    if (fabs(err) > worst) worst = fabs(err);
    printf("| %d | %d | %.1f | %d | %d | %d | %.0f | %.0f | %+.2f%% |\n", tiles, macros, bw, lat, K, N, cyc, model, err);
    n++;
  }
  if (!n) {
    fprintf(stderr, "perf_calibrate: no CALIB lines on stdin\n");
    return 2;
  }
  printf("\n%d GEMVs, worst error %.2f%% (limit %.1f%%): %s\n", n, worst, max_pct, worst <= max_pct ? "PASS" : "FAIL");
  return worst <= max_pct ? 0 : 1;
}
