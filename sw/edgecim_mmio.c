/* SPDX-License-Identifier: Apache-2.0 */
#include "edgecim_mmio.h"

#include <string.h>

void edgecim_mmio_close(edgecim_mmio_t *m)
{
    if (m && m->destroy) m->destroy(m->ctx);
    if (m) memset(m, 0, sizeof *m);
}
