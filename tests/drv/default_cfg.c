/* The build parameters of the default edgecim_top (what HWCFG must report), in a file of its
 * own: cmodel/edgecim_model.h and sw/model.h share the include guard EDGECIM_MODEL_H. */
#include "edgecim_model.h"

void drv_default_cfg(int *ntiles, int *nmacros, int *nres, int *maxk, int *abits, int *data_bytes,
                     int *queue_depth, unsigned *mem_bytes);
void drv_default_cfg(int *ntiles, int *nmacros, int *nres, int *maxk, int *abits, int *data_bytes,
                     int *queue_depth, unsigned *mem_bytes)
{
    const ecim_top_cfg_t *c = &ECIM_TOP_DEFAULT_CFG;
    *ntiles = c->ntiles, *nmacros = c->nmacros, *nres = c->nres, *maxk = c->maxk, *abits = c->abits;
    *data_bytes = c->data_bytes, *queue_depth = c->queue_depth, *mem_bytes = c->mem_bytes;
}
