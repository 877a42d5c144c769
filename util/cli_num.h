/* SPDX-License-Identifier: Apache-2.0 */
/* Numbers on the command line, one set of rules for every sub-command (run, mkmodel, perf, dse,
 * report): the whole string must be the number (no "", "12x", "1e3" for an integer), integers
 * must fit the stated range without wrapping, floating-point values must be finite (no nan,
 * inf) and in range.  On a bad value each helper prints "WHO: FLAG: 'VALUE' is not ..." on
 * stderr and returns -1, so the caller only returns its usage exit code (2).
 * Plain C, no project headers (util/ is below every other C layer). */
#ifndef EDGECIM_UTIL_CLI_NUM_H
#define EDGECIM_UTIL_CLI_NUM_H

#include <stdint.h>

/* Decimal integer in [lo, hi] (an optional sign, digits, nothing else). 0 or -1. */
int cli_llong(const char *who, const char *flag, const char *s, long long lo, long long hi, long long *out);
int cli_int(const char *who, const char *flag, const char *s, int lo, int hi, int *out);

/* Unsigned 64-bit value (seeds): decimal or 0x-hexadecimal, no sign. 0 or -1. */
int cli_u64(const char *who, const char *flag, const char *s, uint64_t *out);

/* Finite number in the interval lo..hi; `open` says which ends are excluded.  hi = INFINITY
 * means no upper bound (the value itself must still be finite). 0 or -1. */
enum { CLI_CLOSED = 0, CLI_LO_OPEN = 1, CLI_HI_OPEN = 2 };
int cli_double(const char *who, const char *flag, const char *s, double lo, double hi, int open, double *out);

/* The scanner under cli_llong, without a message, for values inside lists ("--tokens 1,2,3",
 * "--shard K/N"): reads an optional sign and at least one digit at s; *end is set past them.
 * 0, or -1 if there is no digit or the value does not fit a long long. */
int cli_scan_llong(const char *s, const char **end, long long *v);

#endif
