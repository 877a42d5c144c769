/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line entry points of the performance model, dispatched by sw/edgecim_main.c:
 *   edgecim perf   [options]   evaluate one design on one or all models (table or --json)
 *   edgecim dse    [options]   grid / NSGA-II design-space exploration, Pareto fronts
 *   edgecim report [options]   write docs/results.md (+ SVG plots) for the chosen design
 * argv[0] is the sub-command name; each returns a process exit code (0 ok, 2 usage error).
 * `--help` on each lists its options. */
#ifndef PERF_CLI_H
#define PERF_CLI_H

int edgecim_cmd_perf(int argc, char **argv);
int edgecim_cmd_dse(int argc, char **argv);
int edgecim_cmd_report(int argc, char **argv);

#endif
