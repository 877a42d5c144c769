/* SPDX-License-Identifier: Apache-2.0 */
/* The one JSON string writer of the project (run --json, perf --json, the DSE's pareto.json).
 * Plain C, no project headers: util/ sits at the bottom of the layers with slm/. */
#ifndef EDGECIM_UTIL_JSON_H
#define EDGECIM_UTIL_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes n bytes of s as a quoted JSON string: '"' and '\\' escaped, control characters
 * (< 0x20 and 0x7f) as \n, \r, \t or \u00XX, and every byte that is not part of a valid
 * UTF-8 sequence as \ufffd (JSON text must be UTF-8; a token may end inside a character). */
void json_write_str(FILE *o, const char *s, size_t n);

/* The same for a NUL-terminated string (NULL writes null). */
void json_write_cstr(FILE *o, const char *s);

#endif
