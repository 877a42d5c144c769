/* SPDX-License-Identifier: Apache-2.0 */
/* The EdgeCIM version: the VERSION file at the top of the tree, passed in by the Makefile as
 * -DEDGECIM_VERSION (`edgecim --version`, the "version" field of every --json output, the
 * header of docs/results.md). */
#ifndef EDGECIM_UTIL_VERSION_H
#define EDGECIM_UTIL_VERSION_H

const char *edgecim_version(void);

#endif
