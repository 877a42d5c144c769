/* SPDX-License-Identifier: Apache-2.0 */
/* Number conversions of the firmware: FP16/BF16, ggml's block formats (llama.cpp compatible,
 * sw/quant_blocks.c), activation quantization (docs/NUMERICS.md "Activations") and the packer
 * that turns a GGUF weight tensor into the accelerator's packed DRAM layout. */
#ifndef EDGECIM_QUANT_H
#define EDGECIM_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

#define QK 32 /* elements per Q4_0 / Q8_0 block and per activation group */

typedef struct { uint16_t d; uint8_t qs[QK / 2]; } block_q4_0; /* 18 bytes */
typedef struct { uint16_t d; int8_t qs[QK]; } block_q8_0;      /* 34 bytes */

uint16_t fp32_to_fp16(float f);   /* round to nearest even; overflow -> Inf, NaN kept */
float    fp16_to_fp32(uint16_t h);
uint16_t fp32_to_bf16(float f);   /* round to nearest even, NaN kept quiet */
float    bf16_to_fp32(uint16_t h);

/* n must be a multiple of 32.  Byte layout identical to ggml's. */
void quantize_row_q4_0(const float *x, void *dst, size_t n);
void dequantize_row_q4_0(const void *src, float *y, size_t n);
void quantize_row_q8_0(const float *x, void *dst, size_t n);
void dequantize_row_q8_0(const void *src, float *y, size_t n);

/* Any supported GGUF type -> float (n elements, a multiple of gguf_type_block()).  Bit-exact
 * to ggml's dequantize_row_* (F16/BF16: exact conversions).  0, or -1 for a bad type or n. */
int dequantize_row(gguf_type_t type, const void *src, float *y, size_t n);
/* float -> any supported GGUF type (quantized types: ggml's reference quantizers). */
int quantize_row(gguf_type_t type, const float *x, void *dst, size_t n);
/* The same for the block types only (Q*, IQ4_*, TQ*); sw/quant_blocks.c. */
int dequantize_blocks(gguf_type_t type, const void *src, float *y, size_t n);
int quantize_blocks(gguf_type_t type, const float *x, void *dst, size_t n);

/* The floating-point fields of one block (its scales and mins) or, for F32/F16/BF16, of one
 * element: byte offset and encoding.  They are what must be finite in a file; the tests
 * also use them to make random blocks with finite scales. */
typedef enum { QF_NONE, QF_FP16, QF_BF16, QF_FP32 } quant_float_kind_t;
typedef struct { uint16_t off; quant_float_kind_t kind; } quant_field_t;
/* Number of fields (0 for an unsupported type); *fields points at a static list. */
int quant_float_fields(gguf_type_t type, const quant_field_t **fields);
/* Index of the first block (element, for F32/F16/BF16) of n elements at src whose float
 * fields hold a NaN or an Inf, or -1 if all are finite. */
int64_t quant_find_nonfinite(gguf_type_t type, const void *src, uint64_t n);

/* Activation quantization (NUMERICS.md): x[K] -> q[Kp] (zero padded) and scales[Kp/32]
 * (FP16 bit patterns), Kp = roundup(K, 32).  amax == 0 gives scale 0 and q 0.  Two cases the
 * spec leaves open are pinned down here: a group whose amax/127 underflows to FP16 zero is
 * treated as amax == 0, and amax/127 beyond the largest finite FP16 is clamped to 65504
 * (q then saturates at +-127), so no Inf scale ever reaches the accelerator. */
void quantize_activations(const float *x, int K, int8_t *q, uint16_t *scales);

/* Squared error of a requantization: sum over the packed rows of (w - w_acc)^2 and of w^2,
 * w the weights as the file defines them (dequantized), w_acc the accelerator's.  `exact`
 * stays 1 when the tensor mapped bit for bit (Q4_0 on WBits 4, Q8_0 and Q5_0 on WBits 8,
 * TQ1_0/TQ2_0 on WBits 2: every w_acc equals w). */
typedef struct { double err2, ref2; int exact; } pack_stats_t;

/* Row `row` of a 2-D tensor (ne[0] = K) as INT8 codes v[Kp] and FP16 scales s[Kp/32] per group
 * of 32, zero padded: bit for bit from Q4_0 (q - 8, d) and Q8_0, else dequantized and requantized
 * with Q8_0's rounding (the device step's embedding table). tmp: Kp floats. 0, or -1. */
int quant_row_int8(const gguf_tensor_t *t, int row, float *tmp, int8_t *v, uint16_t *s);

/* Packs a weight matrix W[N][K] (GGUF tensor: ne[0] = K, ne[1] = N, rows contiguous) into
 * the accelerator's packed layout with WBits-bit weights (4: Q4_0, bit for bit from a Q4_0
 * tensor, other types dequantized and requantized with the Q4_0 rounding; 8: Q8_0 the same
 * way; 2: ternary per group, scale = the better of absmean and absmax by squared error).  rows may
 * be a sub-range [row0, row0 + n_rows) of the tensor, written at output row out_row0 of a
 * destination matrix of N_total outputs (used to fuse q/k/v and gate/up into one matrix).
 * dst must hold ecim_packed_bytes(K, N_total, wbits) bytes (fmt/ecim_fmt.h), zeroed by the caller.
 * Returns 0, or -1 with a message in err. */
int pack_weight_rows(const gguf_tensor_t *t, int row0, int n_rows, uint8_t *dst, int N_total,
                     int out_row0, int wbits, char *err, size_t errlen);
/* The same, adding the requantization error to *st (st->exact cleared when not bit for bit). */
int pack_weight_rows_stats(const gguf_tensor_t *t, int row0, int n_rows, uint8_t *dst, int N_total,
                           int out_row0, int wbits, pack_stats_t *st, char *err, size_t errlen);

/* The precision (WBits) a weight tensor of this GGUF type runs at on the accelerator: the
 * narrowest of 2/4/8 that holds it bit for bit (TQ1_0/TQ2_0: 2; Q4_0: 4; Q8_0, Q5_0: 8), else
 * the one nearest its own bits (Q2_K, Q3_K, Q4_1, Q4_K, IQ4_*: 4; Q5_1, Q5_K, Q6_K, Q8_K: 8,
 * requantized).  Float tensors (F32/F16/BF16) carry no precision: they run at float_wbits, the
 * model's default (4, BitNet 2).  So a Q4_K_M file runs with per-layer precision. */
int quant_tensor_wbits(int ggml_type, int float_wbits);

#endif
