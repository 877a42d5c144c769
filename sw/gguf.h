/* SPDX-License-Identifier: Apache-2.0 */
/* GGUF version 3 (and 2) reader and writer (llama.cpp's model file format).
 *
 * Layout: "GGUF" u32 version u64 n_tensors u64 n_kv, n_kv x (string key, u32 type, value),
 * n_tensors x (string name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset), padding to
 * `general.alignment` (default 32), tensor data (each at offset from the data start, aligned).
 * Strings are u64 length + bytes (no NUL).  All little-endian.
 *
 * The reader maps the file read-only and validates everything before use: a malformed file
 * gives GGUF_E* and a message naming the file and the problem, never a crash. */
#ifndef EDGECIM_GGUF_H
#define EDGECIM_GGUF_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    GGUF_TYPE_UINT8 = 0, GGUF_TYPE_INT8 = 1, GGUF_TYPE_UINT16 = 2, GGUF_TYPE_INT16 = 3,
    GGUF_TYPE_UINT32 = 4, GGUF_TYPE_INT32 = 5, GGUF_TYPE_FLOAT32 = 6, GGUF_TYPE_BOOL = 7,
    GGUF_TYPE_STRING = 8, GGUF_TYPE_ARRAY = 9, GGUF_TYPE_UINT64 = 10, GGUF_TYPE_INT64 = 11,
    GGUF_TYPE_FLOAT64 = 12, GGUF_TYPE_COUNT
} gguf_vtype_t;

/* ggml tensor types supported here (ggml.h ids).  Other ggml ids (IQ2_XXS, ...) have names
 * for messages but are refused by the reader. */
typedef enum {
    GGML_TYPE_F32 = 0, GGML_TYPE_F16 = 1, GGML_TYPE_Q4_0 = 2, GGML_TYPE_Q4_1 = 3,
    GGML_TYPE_Q5_0 = 6, GGML_TYPE_Q5_1 = 7, GGML_TYPE_Q8_0 = 8,
    GGML_TYPE_Q2_K = 10, GGML_TYPE_Q3_K = 11, GGML_TYPE_Q4_K = 12, GGML_TYPE_Q5_K = 13,
    GGML_TYPE_Q6_K = 14, GGML_TYPE_Q8_K = 15, GGML_TYPE_IQ4_NL = 20, GGML_TYPE_IQ4_XS = 23,
    GGML_TYPE_BF16 = 30, GGML_TYPE_TQ1_0 = 34, GGML_TYPE_TQ2_0 = 35
} gguf_type_t;

enum {
    GGUF_OK = 0,
    GGUF_EIO = -1,        /* cannot open/read/write the file */
    GGUF_EMAGIC = -2,     /* not a GGUF file */
    GGUF_EVERSION = -3,   /* version other than 2 and 3 (same layout) */
    GGUF_ETRUNC = -4,     /* file ends inside the header */
    GGUF_ECOUNT = -5,     /* absurd count or length (tensors, kv, array, string, dims) */
    GGUF_ETYPE = -6,      /* unknown value type or tensor type */
    GGUF_EBOUNDS = -7,    /* tensor data outside the file, misaligned or overlapping */
    GGUF_ESIZE = -8,      /* tensor shape/type disagrees with its byte size */
    GGUF_EDUP = -9,       /* duplicate key or tensor name */
    GGUF_ENOMEM = -10,
    GGUF_EINVAL = -11,    /* bad argument (writer) */
    GGUF_ENOTFILE = -12   /* a directory or another non-regular file */
};

#define GGUF_MAX_DIMS 4
#define GGUF_DEFAULT_ALIGNMENT 32

typedef struct { const char *ptr; uint64_t len; } gguf_str_t; /* not NUL terminated */

typedef struct {
    gguf_str_t key;
    gguf_vtype_t type;
    /* scalar value (type != ARRAY) */
    union { uint64_t u64; int64_t i64; double f64; gguf_str_t str; } v;
    /* array value */
    gguf_vtype_t arr_type;
    uint64_t arr_n;
    const uint8_t *arr_data;   /* raw little-endian elements (not for string arrays) */
    gguf_str_t *arr_str;       /* string arrays: arr_n entries */
} gguf_kv_t;

typedef struct {
    char name[96];
    uint32_t n_dims;
    uint64_t ne[GGUF_MAX_DIMS]; /* ne[0] innermost (row length); unused dims are 1 */
    gguf_type_t type;
    uint64_t offset;           /* from the start of the data section */
    uint64_t nbytes;
    const uint8_t *data;       /* inside the mapping */
} gguf_tensor_t;

typedef struct {
    char path[256];
    uint32_t version;
    uint64_t alignment;
    uint64_t n_kv, n_tensors;
    gguf_kv_t *kv;
    gguf_tensor_t *tensors;
    const uint8_t *map;
    size_t size;
    uint64_t data_offset;
    /* open-addressing indexes of the keys and tensor names (slot = index + 1, 0 empty): they
     * find duplicates in linear time and make the lookups below O(1) */
    uint64_t *kv_index, *t_index;
    uint64_t kv_mask, t_mask;
} gguf_file_t;

/* Opens and validates path.  On error returns GGUF_E* with "path: what" in err. */
int  gguf_open(gguf_file_t *f, const char *path, char *err, size_t errlen);
void gguf_close(gguf_file_t *f);

const char *gguf_vtype_name(gguf_vtype_t t);
/* Name of any ggml type id ("IQ2_XXS" too), "?" when ggml has no such id. */
const char *gguf_type_name(gguf_type_t t);
int gguf_type_supported(uint32_t t);             /* 1 for the types of gguf_type_t */
/* Bytes of n elements of a supported type (n a multiple of the block size), 0 if invalid. */
uint64_t gguf_type_size(gguf_type_t t, uint64_t n);
uint64_t gguf_type_block(gguf_type_t t);         /* elements per block: 1, 32 or 256 */
/* "F32, F16, ..." (for messages). */
const char *gguf_supported_type_list(void);

/* Lookups (NULL / default when missing or of another type). */
const gguf_kv_t     *gguf_find_kv(const gguf_file_t *f, const char *key);
const gguf_tensor_t *gguf_find_tensor(const gguf_file_t *f, const char *name);
int gguf_get_str(const gguf_file_t *f, const char *key, char *out, size_t outlen); /* 0 ok */
int gguf_get_int(const gguf_file_t *f, const char *key, int64_t *out);  /* any int/bool type */
int gguf_get_float(const gguf_file_t *f, const char *key, double *out); /* float or int */
/* Element i of a numeric array as double / int64 (0 if out of range). */
double  gguf_arr_f64(const gguf_kv_t *kv, uint64_t i);
int64_t gguf_arr_i64(const gguf_kv_t *kv, uint64_t i);
int gguf_str_eq(gguf_str_t s, const char *c);

/* ------------------------------------------------------------------ writer */
typedef struct gguf_writer gguf_writer_t;

gguf_writer_t *gguf_writer_new(void);
void gguf_writer_free(gguf_writer_t *w);
/* Scalar KVs. */
int gguf_w_u32(gguf_writer_t *w, const char *key, uint32_t v);
int gguf_w_i32(gguf_writer_t *w, const char *key, int32_t v);
int gguf_w_u64(gguf_writer_t *w, const char *key, uint64_t v);
int gguf_w_f32(gguf_writer_t *w, const char *key, float v);
int gguf_w_f64(gguf_writer_t *w, const char *key, double v);
int gguf_w_bool(gguf_writer_t *w, const char *key, int v);
int gguf_w_str(gguf_writer_t *w, const char *key, const char *v);
/* Any scalar by type with raw little-endian bytes (size must match the type). */
int gguf_w_scalar(gguf_writer_t *w, const char *key, gguf_vtype_t type, const void *v);
/* Numeric array: n elements of elem_type, raw little-endian. */
int gguf_w_arr(gguf_writer_t *w, const char *key, gguf_vtype_t elem_type, const void *data,
               uint64_t n);
/* String array: n strings with lengths (lens NULL: NUL-terminated). */
int gguf_w_arr_str(gguf_writer_t *w, const char *key, const char *const *strs,
                   const uint64_t *lens, uint64_t n);
/* Tensor: data copied unless NULL (then the fill callback of gguf_writer_write supplies it). */
int gguf_w_tensor(gguf_writer_t *w, const char *name, gguf_type_t type, int n_dims,
                  const uint64_t *ne, const void *data);
typedef int (*gguf_fill_fn)(void *ctx, int tensor_index, void *buf, uint64_t nbytes);
/* Writes the file; alignment from a `general.alignment` u32 KV if set, else 32. */
int gguf_writer_write(gguf_writer_t *w, const char *path, gguf_fill_fn fill, void *ctx,
                      char *err, size_t errlen);

#endif
