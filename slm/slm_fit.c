/* SPDX-License-Identifier: Apache-2.0 */
#include "slm_fit.h"

#include <stdio.h>

int slm_rope_neox(slm_arch_t arch)
{
    return arch == SLM_ARCH_QWEN2 || arch == SLM_ARCH_QWEN3 || arch == SLM_ARCH_PHI3 || arch == SLM_ARCH_BITNET;
}

const char *slm_step_unsupported(const ecim_hw_t *h, const slm_config_t *c, int ctx, char *buf, size_t len)
{
    const int hd = c->head_dim, nh = c->heads, nkv = c->kv_heads, ff = c->intermediate;
    unsigned chunk = (unsigned)ecim_chunk((uint64_t)h->vec_bank_bytes);
    uint64_t most_ctx = ecim_min_u64((uint64_t)h->act_bytes, 0xFFFF);
    if (h->max_wbits < 8)
        snprintf(buf, len, "the KV caches are 8-bit matrices and this configuration's macros hold at most %d-bit weights "
                 "(MaxWBits %d)", h->max_wbits, h->max_wbits);
    else if (hd % 32 || hd > 256 || (unsigned)hd > chunk)
        snprintf(buf, len, "head_dim %d: the appends take a multiple of 32 up to min(256, VecBankBytes/8 = %u)", hd, chunk);
    /* (NeoX RoPE at any head_dim: where 2 x VecLanes does not divide it, the firmware loads q
     * and k with the pairs made adjacent, sw/rope_pairs.h) */
    else if (nh + nkv > ECIM_MAX_SEGS)
        snprintf(buf, len, "%d query and %d KV heads: RoPE takes at most %d segments", nh, nkv, ECIM_MAX_SEGS);
    else if (ff % 32)
        snprintf(buf, len, "feed_forward_length %d is not a multiple of 32 (the up half of GATE is 256-aligned)", ff);
    else if (c->arch == SLM_ARCH_BITNET && hd % h->macro_cols)
        snprintf(buf, len, "BitNet's attention sub-norm reads the heads as one vector: head_dim %d must be a multiple of "
                 "MacroCols %d", hd, h->macro_cols);
    else if ((uint64_t)ctx > most_ctx || ecim_kp((uint64_t)ctx) / 16 > (uint64_t)h->vec_bank_bytes)
        snprintf(buf, len, "a context of %d positions: attention over the V cache takes K = 1 + position <= %llu "
                 "(ActBytes and the 16-bit K) with the softmax's scales in one %d-byte bank", ctx,
                 (unsigned long long)most_ctx, h->vec_bank_bytes);
    else
        return NULL;
    return buf;
}
