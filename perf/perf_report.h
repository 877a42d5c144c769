/* SPDX-License-Identifier: Apache-2.0 */
/* `edgecim report`: the DSE, the tables and plots of docs/results.md (perf/perf_report.c). */
#ifndef PERF_REPORT_H
#define PERF_REPORT_H

#include "perf_opts.h"

/* Runs the report for the options; 0, or -1 with a message printed. */
int perf_report_run(const perf_cli_t *o);

#endif
