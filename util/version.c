/* SPDX-License-Identifier: Apache-2.0 */
/* The only place that sees EDGECIM_VERSION (version.h). */
#include "version.h"

#ifndef EDGECIM_VERSION
#error "EDGECIM_VERSION is not defined: build through the Makefile, which reads it from VERSION"
#endif

const char *edgecim_version(void) { return EDGECIM_VERSION; }
