/* SPDX-License-Identifier: Apache-2.0 */
/* build/perf/edgecim-perf: the perf/dse/report sub-commands without the firmware, for the perf
 * tests and `make report` (the full CLI is sw/edgecim_main.c). */
#include <stdio.h>
#include <string.h>

#include "perf_cli.h"
#include "version.h"

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "perf")) return edgecim_cmd_perf(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "dse")) return edgecim_cmd_dse(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "report")) return edgecim_cmd_report(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "--version")) { printf("edgecim-perf %s\n", edgecim_version()); return 0; }
  fprintf(stderr, "usage: %s perf|dse|report [options] (--help on each)\n", argv[0]);
  return 2;
}
