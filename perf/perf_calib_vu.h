/* SPDX-License-Identifier: Apache-2.0 */
/* make calibrate, second part: the vector ops and the attention GEMVs of real layers at ctx 1,
 * 512 and 4096 (perf/perf_calib_vu.c). Prints the table; returns the worst |error| in percent
 * (negative if a case could not run). */
#ifndef PERF_CALIB_VU_H
#define PERF_CALIB_VU_H

double perf_calib_vu(const char *only);

#endif
