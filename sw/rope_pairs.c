/* SPDX-License-Identifier: Apache-2.0 */
/* NeoX pairs made adjacent for the vector unit's lane pairing; see rope_pairs.h. */
#include "rope_pairs.h"

#include <stdlib.h>
#include <string.h>

int rope_pairs_src(int j, int hd)
{
    return j / 2 + (j & 1) * (hd / 2);
}

int rope_pairs_qkv_row(int r, int qd, int kvd, int hd)
{
    if (r >= qd + kvd) return r;
    int base = r < qd ? 0 : qd, off = r - base;
    return base + off / hd * hd + rope_pairs_src(off % hd, hd);
}

int rope_pairs_permute(float *v, int n_heads, int hd)
{
    if (!v) return 0;
    float *t = malloc((size_t)hd * sizeof *t);
    if (!t) return -1;
    for (int h = 0; h < n_heads; h++) {
        float *head = v + (size_t)h * hd;
        for (int j = 0; j < hd; j++) t[j] = head[rope_pairs_src(j, hd)];
        memcpy(head, t, (size_t)hd * sizeof *t);
    }
    free(t);
    return 0;
}
