/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the GEMV timing equations (perf_gemv.c) and the writer's chain of requests
 * (perf_gemv_writer.c): constants calibrated against the cycle-exact C model and the DRAM's
 * per-beat rates. Not part of the perf model's interface. */
#ifndef PERF_GEMV_INT_H
#define PERF_GEMV_INT_H

#include "perf_gemv.h"

#define PPU_DRAIN 6.0 /* macro result, PPU stages, accumulator to writer */
#define WRITE_GAP 2.0 /* cycles of one write request beyond latency and beats */
#define OPQ_DEPTH 4.0 /* operations a tile queues for its post-processor (cim_tile) */

/* Cycles per port beat (bandwidth, random stalls); per weight read beat (also Little's law). */
double perf_cycles_per_beat(const ecim_hw_t *hw, const perf_dram_t *d);
double perf_cycles_per_read_beat(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c);

/* The cycle the writer's last request of cmd ends (from the command push), given the traffic
 * and terms of o (start_cycles filled) and the cycle the read stream would end unthrottled. */
double perf_gemv_writer(const ecim_hw_t *hw, const perf_dram_t *d, const perf_cmd_t *c, const perf_gemv_t *o,
                        double reads_end);

#endif
