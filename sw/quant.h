/* Number conversions of the firmware: FP16/BF16, GGUF Q8_0/Q4_0 blocks (llama.cpp
 * compatible), activation quantization (docs/NUMERICS.md "Activations") and the packer that
 * turns a GGUF weight tensor into the accelerator's packed DRAM layout. */
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

/* Any supported GGUF type -> float (n elements; for Q types a multiple of 32). */
int dequantize_row(gguf_type_t type, const void *src, float *y, size_t n);
/* float -> any supported GGUF type. */
int quantize_row(gguf_type_t type, const float *x, void *dst, size_t n);

/* Activation quantization (NUMERICS.md): x[K] -> q[Kp] (zero padded) and scales[Kp/32]
 * (FP16 bit patterns), Kp = roundup(K, 32).  amax == 0 gives scale 0 and q 0.  Two cases the
 * spec leaves open are pinned down here: a group whose amax/127 underflows to FP16 zero is
 * treated as amax == 0, and amax/127 beyond the largest finite FP16 is clamped to 65504
 * (q then saturates at +-127), so no Inf scale ever reaches the accelerator. */
void quantize_activations(const float *x, int K, int8_t *q, uint16_t *scales);

/* Packs a weight matrix W[N][K] (GGUF tensor: ne[0] = K, ne[1] = N, rows contiguous) into
 * the accelerator's packed layout with WBits-bit weights (4: Q4_0, bit for bit from a Q4_0
 * tensor, other types requantized with the Q4_0 rounding; 8: Q8_0 the same way; 2: ternary
 * per group, scale = the better of absmean and absmax by squared error).  rows may
 * be a sub-range [row0, row0 + n_rows) of the tensor, written at output row out_row0 of a
 * destination matrix of N_total outputs (used to fuse q/k/v and gate/up into one matrix).
 * dst must hold ecim_packed_bytes(K, N_total, wbits) bytes (fmt/ecim_fmt.h), zeroed by the caller.
 * Returns 0, or -1 with a message in err. */
int pack_weight_rows(const gguf_tensor_t *t, int row0, int n_rows, uint8_t *dst, int N_total,
                     int out_row0, int wbits, char *err, size_t errlen);

#endif
