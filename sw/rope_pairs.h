/* SPDX-License-Identifier: Apache-2.0 */
/* NeoX RoPE on a vector unit that pairs neighbouring lanes.  NeoX rotates (x[i], x[i + d/2]) of
 * each head; when d/2 is not a multiple of the unit's lane count (head_dim 96 on 32 lanes) the two
 * halves of a pair sit in different lanes.  The firmware then loads q and k with each head's
 * elements reordered so that NeoX pair i becomes the adjacent pair (2i, 2i + 1): it permutes the
 * rows of the QKV weight, the QKV bias and the q/k norm weights alike, and runs the GPT-J pairing
 * with the same table (pair i keeps its frequency).  q.k is the same sum in any order of the
 * elements, the V rows are left alone, so attention is unchanged; only the INT8 blocks of q and
 * the K cache group different elements. */
#ifndef EDGECIM_ROPE_PAIRS_H
#define EDGECIM_ROPE_PAIRS_H

/* The element of a head (head_dim hd, even) that lands at index j: j/2, or j/2 + hd/2 for odd j. */
int rope_pairs_src(int j, int hd);

/* The row of the unpermuted [q; k; v] matrix (qd = heads x hd and kvd = kv_heads x hd rows of q
 * and k) that lands at row r: q and k rows reordered within each head, v rows in place. */
int rope_pairs_qkv_row(int r, int qd, int kvd, int hd);

/* Reorders n_heads heads of hd floats in place (v may be NULL); 0, or -1 out of memory. */
int rope_pairs_permute(float *v, int n_heads, int hd);

#endif
