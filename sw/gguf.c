/* SPDX-License-Identifier: Apache-2.0 */
/* GGUF v3 reader/writer; see gguf.h.  The reader checks every length against the bytes left
 * before it allocates or reads, so no count in a file can make it crash or over-allocate. */
#include "gguf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const vtype_names[GGUF_TYPE_COUNT] = {
    "u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};
static const int vtype_size[GGUF_TYPE_COUNT] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};

const char *gguf_vtype_name(gguf_vtype_t t)
{
    return (unsigned)t < GGUF_TYPE_COUNT ? vtype_names[t] : "?";
}

/* Every ggml type id (ggml.h), for names in messages; block/bytes only for the supported ones. */
typedef struct { uint32_t id; const char *name; uint16_t block, bytes; } type_trait_t;
static const type_trait_t type_traits[] = {
    {0, "F32", 1, 4},        {1, "F16", 1, 2},        {2, "Q4_0", 32, 18},     {3, "Q4_1", 32, 20},
    {6, "Q5_0", 32, 22},     {7, "Q5_1", 32, 24},     {8, "Q8_0", 32, 34},     {9, "Q8_1", 0, 0},
    {10, "Q2_K", 256, 84},   {11, "Q3_K", 256, 110},  {12, "Q4_K", 256, 144},  {13, "Q5_K", 256, 176},
    {14, "Q6_K", 256, 210},  {15, "Q8_K", 256, 292},  {16, "IQ2_XXS", 0, 0},   {17, "IQ2_XS", 0, 0},
    {18, "IQ3_XXS", 0, 0},   {19, "IQ1_S", 0, 0},     {20, "IQ4_NL", 32, 18},  {21, "IQ3_S", 0, 0},
    {22, "IQ2_S", 0, 0},     {23, "IQ4_XS", 256, 136}, {24, "I8", 0, 0},       {25, "I16", 0, 0},
    {26, "I32", 0, 0},       {27, "I64", 0, 0},       {28, "F64", 0, 0},       {29, "IQ1_M", 0, 0},
    {30, "BF16", 1, 2},      {31, "Q4_0_4_4", 0, 0},  {32, "Q4_0_4_8", 0, 0},  {33, "Q4_0_8_8", 0, 0},
    {34, "TQ1_0", 256, 54},  {35, "TQ2_0", 256, 66},  {36, "IQ4_NL_4_4", 0, 0}, {37, "IQ4_NL_4_8", 0, 0},
    {38, "IQ4_NL_8_8", 0, 0}, {39, "MXFP4", 0, 0},  {40, "NVFP4", 0, 0},     {41, "Q1_0", 0, 0},
};

static const type_trait_t *trait(uint32_t t)
{
    for (size_t i = 0; i < sizeof type_traits / sizeof type_traits[0]; i++)
        if (type_traits[i].id == t) return &type_traits[i];
    return NULL;
}

int gguf_type_supported(uint32_t t)
{
    const type_trait_t *tr = trait(t);
    return tr && tr->block != 0;
}

const char *gguf_type_name(gguf_type_t t)
{
    const type_trait_t *tr = trait((uint32_t)t);
    return tr ? tr->name : "?";
}

const char *gguf_supported_type_list(void)
{
    static char list[256];
    if (!list[0])
        for (size_t i = 0, n = 0; i < sizeof type_traits / sizeof type_traits[0]; i++)
            if (type_traits[i].block)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", type_traits[i].name);
    return list;
}

uint64_t gguf_type_block(gguf_type_t t)
{
    const type_trait_t *tr = trait((uint32_t)t);
    return tr && tr->block ? tr->block : 1;
}

uint64_t gguf_type_size(gguf_type_t t, uint64_t n)
{
    const type_trait_t *tr = trait((uint32_t)t);
    if (!tr || !tr->block || n % tr->block) return 0;
    return n / tr->block * tr->bytes;
}

/* ------------------------------------------------------------------ name index */

static uint64_t hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull; /* FNV-1a, then a final mix so that the low bits spread */
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

/* Table of at least 2n slots (load <= 1/2).  A slot holds index + 1 in its low 32 bits and
 * the upper half of the name's hash above, so that a probe past another name rarely has to
 * read that name (a cache miss into the file) to tell them apart. */
static uint64_t *index_new(uint64_t n, uint64_t *mask)
{
    uint64_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    *mask = cap - 1;
    return calloc((size_t)cap, sizeof(uint64_t));
}

static gguf_str_t kv_key(const gguf_file_t *f, uint64_t i) { return f->kv[i].key; }
static gguf_str_t t_name(const gguf_file_t *f, uint64_t i)
{
    gguf_str_t s = {f->tensors[i].name, strlen(f->tensors[i].name)};
    return s;
}

#define SLOT_INDEX(v) (((v) & 0xffffffffu) - 1)
#define SLOT_TAG(h) ((h) & ~0xffffffffull)

/* The slot of `s`: the one holding an equal name, or the empty one where it goes (the caller
 * stores SLOT_TAG(hash) | (index + 1) there). */
static uint64_t *index_slot(const gguf_file_t *f, uint64_t *index, uint64_t mask,
                            gguf_str_t (*get)(const gguf_file_t *, uint64_t), const char *s, size_t n,
                            uint64_t *hash)
{
    uint64_t hv = hash_bytes(s, n);
    *hash = hv;
    for (uint64_t h = hv & mask;; h = (h + 1) & mask) {
        uint64_t v = index[h];
        if (!v) return &index[h];
        if (SLOT_TAG(v) != SLOT_TAG(hv)) continue;
        gguf_str_t o = get(f, SLOT_INDEX(v));
        if (o.len == n && memcmp(o.ptr, s, n) == 0) return &index[h];
    }
}

/* ------------------------------------------------------------------ reader */

typedef struct {
    const uint8_t *p;
    size_t size, pos;
    const char *path;
    char *err;
    size_t errlen;
} cursor_t;

static int fail(cursor_t *c, int code, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        int n = snprintf(c->err, c->errlen, "%s: ", c->path);
        if (n < 0) n = 0;
        if ((size_t)n < c->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

static size_t left(const cursor_t *c) { return c->size - c->pos; }

static uint64_t rd_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static int rd(cursor_t *c, int n, uint64_t *v, const char *what)
{
    *v = 0;
    if (left(c) < (size_t)n)
        return fail(c, GGUF_ETRUNC, "truncated: file ends at byte %zu while reading %s",
                    c->size, what);
    *v = rd_le(c->p + c->pos, n);
    c->pos += (size_t)n;
    return 0;
}

/* Printable (truncated) copy of a key for messages. */
static const char *show(gguf_str_t s, char *buf, size_t len)
{
    size_t n = s.len < len - 1 ? (size_t)s.len : len - 1;
    for (size_t i = 0; i < n; i++) buf[i] = (s.ptr[i] >= 32 && s.ptr[i] < 127) ? s.ptr[i] : '?';
    buf[n] = 0;
    return buf;
}

#define NO_INDEX UINT64_MAX

/* Reads a string; `what` [#idx] [of KV 'owner'] names it in a message.  The names are only
 * formatted on error: a file of 10^6 keys or a vocabulary of 150k tokens parses without one
 * snprintf per string. */
static int rd_str(cursor_t *c, gguf_str_t *s, const char *what, uint64_t idx, const gguf_str_t *owner)
{
    uint64_t len = 0;
    int trunc = left(c) < 8;
    if (!trunc) len = rd_le(c->p + c->pos, 8);
    if (trunc || len > left(c) - 8) {
        char num[32] = "", kb[80] = "";
        if (idx != NO_INDEX) snprintf(num, sizeof num, " #%llu", (unsigned long long)idx);
        if (owner) snprintf(kb, sizeof kb, " of KV '%s'", show(*owner, (char[64]){0}, 64));
        if (trunc)
            return fail(c, GGUF_ETRUNC, "truncated: file ends at byte %zu while reading %s%s%s",
                        c->size, what, num, kb);
        return fail(c, GGUF_ECOUNT, "%s%s%s: string length %llu exceeds the %zu bytes left in the file",
                    what, num, kb, (unsigned long long)len, left(c) - 8);
    }
    c->pos += 8;
    s->ptr = (const char *)c->p + c->pos;
    s->len = len;
    c->pos += (size_t)len;
    return 0;
}

int gguf_str_eq(gguf_str_t s, const char *z)
{
    size_t n = strlen(z);
    return s.len == n && memcmp(s.ptr, z, n) == 0;
}

static int parse_kv(cursor_t *c, gguf_kv_t *kv, uint64_t idx)
{
    char kb[80];
    int rc = rd_str(c, &kv->key, "key of KV", idx, NULL);
    if (rc) return rc;
    uint64_t t;
    if ((rc = rd(c, 4, &t, "a KV value type"))) return rc;
    if (t >= GGUF_TYPE_COUNT)
        return fail(c, GGUF_ETYPE, "KV '%s' has unknown value type %llu", show(kv->key, kb, sizeof kb),
                    (unsigned long long)t);
    kv->type = (gguf_vtype_t)t;
    if (t == GGUF_TYPE_STRING) return rd_str(c, &kv->v.str, "the string value", NO_INDEX, &kv->key);
    if (t != GGUF_TYPE_ARRAY) {
        uint64_t v;
        if ((rc = rd(c, vtype_size[t], &v, "a KV value"))) return rc;
        int bits = vtype_size[t] * 8;
        if (t == GGUF_TYPE_FLOAT32) {
            uint32_t u = (uint32_t)v;
            float f;
            memcpy(&f, &u, 4);
            kv->v.f64 = f;
        } else if (t == GGUF_TYPE_FLOAT64) {
            memcpy(&kv->v.f64, &v, 8);
        } else if (t == GGUF_TYPE_INT8 || t == GGUF_TYPE_INT16 || t == GGUF_TYPE_INT32 ||
                   t == GGUF_TYPE_INT64) {
            /* sign-extend without shifting negative values */
            if (bits < 64 && (v >> (bits - 1)) & 1) v |= ~((1ull << bits) - 1);
            memcpy(&kv->v.i64, &v, 8);
        } else {
            kv->v.u64 = v;
        }
        return 0;
    }
    uint64_t et, n;
    if ((rc = rd(c, 4, &et, "an array element type"))) return rc;
    if (et >= GGUF_TYPE_COUNT || et == GGUF_TYPE_ARRAY)
        return fail(c, GGUF_ETYPE, "KV '%s': unsupported array element type %llu",
                    show(kv->key, kb, sizeof kb), (unsigned long long)et);
    if ((rc = rd(c, 8, &n, "an array length"))) return rc;
    kv->arr_type = (gguf_vtype_t)et;
    kv->arr_n = n;
    if (et == GGUF_TYPE_STRING) {
        if (n > left(c) / 8)
            return fail(c, GGUF_ECOUNT, "KV '%s': array of %llu strings cannot fit in the %zu "
                        "bytes left in the file", show(kv->key, kb, sizeof kb), (unsigned long long)n, left(c));
        kv->arr_str = malloc((size_t)(n ? n : 1) * sizeof *kv->arr_str);
        if (!kv->arr_str) return fail(c, GGUF_ENOMEM, "out of memory for KV '%s'", show(kv->key, kb, sizeof kb));
        for (uint64_t i = 0; i < n; i++)
            if ((rc = rd_str(c, &kv->arr_str[i], "element", i, &kv->key))) return rc;
        return 0;
    }
    uint64_t es = (uint64_t)vtype_size[et];
    if (n > left(c) / es)
        return fail(c, GGUF_ECOUNT, "KV '%s': array of %llu %s elements exceeds the %zu bytes "
                    "left in the file", show(kv->key, kb, sizeof kb), (unsigned long long)n, vtype_names[et], left(c));
    kv->arr_data = c->p + c->pos;
    c->pos += (size_t)(n * es);
    return 0;
}

static int parse_tensor_info(cursor_t *c, gguf_tensor_t *t, uint64_t idx)
{
    gguf_str_t name;
    int rc = rd_str(c, &name, "name of tensor", idx, NULL);
    if (rc) return rc;
    if (name.len >= sizeof t->name)
        return fail(c, GGUF_ECOUNT, "tensor #%llu: name length %llu exceeds %zu",
                    (unsigned long long)idx, (unsigned long long)name.len, sizeof t->name - 1);
    memcpy(t->name, name.ptr, (size_t)name.len);
    t->name[name.len] = 0;
    uint64_t v;
    if ((rc = rd(c, 4, &v, "n_dims"))) return rc;
    if (v < 1 || v > GGUF_MAX_DIMS)
        return fail(c, GGUF_ECOUNT, "tensor '%s': n_dims = %llu (must be 1..%d)", t->name,
                    (unsigned long long)v, GGUF_MAX_DIMS);
    t->n_dims = (uint32_t)v;
    uint64_t nel = 1;
    for (int d = 0; d < GGUF_MAX_DIMS; d++) t->ne[d] = 1;
    for (uint32_t d = 0; d < t->n_dims; d++) {
        if ((rc = rd(c, 8, &t->ne[d], "a tensor dimension"))) return rc;
        if (t->ne[d] > (1ull << 40) || (t->ne[d] && nel > (1ull << 62) / t->ne[d]))
            return fail(c, GGUF_ECOUNT, "tensor '%s': dimension %u = %llu is absurd", t->name, d,
                        (unsigned long long)t->ne[d]);
        nel *= t->ne[d];
    }
    if ((rc = rd(c, 4, &v, "a tensor type"))) return rc;
    if (!gguf_type_supported((uint32_t)v)) {
        const char *tn = v <= UINT32_MAX ? gguf_type_name((gguf_type_t)v) : "?";
        return fail(c, GGUF_ETYPE, "tensor '%s': unsupported tensor type %llu (%s; supported: %s)",
                    t->name, (unsigned long long)v, strcmp(tn, "?") ? tn : "not a ggml type",
                    gguf_supported_type_list());
    }
    t->type = (gguf_type_t)v;
    if (t->ne[0] % gguf_type_block(t->type))
        return fail(c, GGUF_ESIZE, "tensor '%s': row length %llu is not a multiple of the %s "
                    "block size %llu", t->name, (unsigned long long)t->ne[0],
                    gguf_type_name(t->type), (unsigned long long)gguf_type_block(t->type));
    t->nbytes = gguf_type_size(t->type, nel);
    return rd(c, 8, &t->offset, "a tensor offset");
}

static int cmp_offset(const void *a, const void *b)
{
    const gguf_tensor_t *x = *(const gguf_tensor_t *const *)a, *y = *(const gguf_tensor_t *const *)b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int check_layout(cursor_t *c, gguf_file_t *f)
{
    uint64_t data_size = f->size - f->data_offset;
    if (f->n_tensors == 0) return 0;
    gguf_tensor_t **order = malloc((size_t)f->n_tensors * sizeof *order);
    if (!order) return fail(c, GGUF_ENOMEM, "out of memory");
    for (uint64_t i = 0; i < f->n_tensors; i++) order[i] = &f->tensors[i];
    qsort(order, (size_t)f->n_tensors, sizeof *order, cmp_offset);
    int rc = 0;
    for (uint64_t i = 0; i < f->n_tensors && !rc; i++) {
        gguf_tensor_t *t = order[i];
        if (t->offset % f->alignment)
            rc = fail(c, GGUF_EBOUNDS, "tensor '%s': data offset %llu is not a multiple of the "
                      "alignment %llu", t->name, (unsigned long long)t->offset,
                      (unsigned long long)f->alignment);
        else if (i + 1 < f->n_tensors && t->offset + t->nbytes > order[i + 1]->offset)
            rc = fail(c, GGUF_ESIZE, "tensor '%s': shape [%llu,%llu,%llu,%llu] of %s needs %llu "
                      "bytes but only %llu lie before the next tensor '%s'", t->name,
                      (unsigned long long)t->ne[0], (unsigned long long)t->ne[1],
                      (unsigned long long)t->ne[2], (unsigned long long)t->ne[3],
                      gguf_type_name(t->type), (unsigned long long)t->nbytes,
                      (unsigned long long)(order[i + 1]->offset - t->offset), order[i + 1]->name);
        else if (t->offset > data_size || t->nbytes > data_size - t->offset)
            rc = fail(c, GGUF_EBOUNDS, "tensor '%s': data [%llu, %llu) lies outside the file "
                      "(data section holds %llu bytes)", t->name, (unsigned long long)t->offset,
                      (unsigned long long)(t->offset + t->nbytes), (unsigned long long)data_size);
        else
            t->data = f->map + f->data_offset + t->offset;
    }
    free(order);
    return rc;
}

static int parse(cursor_t *c, gguf_file_t *f)
{
    uint64_t v;
    int rc;
    if (c->size < 4)
        return fail(c, GGUF_ETRUNC, "truncated: %zu bytes is too short for a GGUF header", c->size);
    if (memcmp(c->p, "GGUF", 4) != 0)
        return fail(c, GGUF_EMAGIC, "bad magic (not a GGUF file): first bytes %02x %02x %02x %02x",
                    c->p[0], c->p[1], c->p[2], c->p[3]);
    c->pos = 4;
    if ((rc = rd(c, 4, &v, "the version"))) return rc;
    if (v != 3 && v != 2)
        return fail(c, GGUF_EVERSION, "unsupported GGUF version %llu (this reader accepts "
                    "versions 2 and 3)", (unsigned long long)v);
    f->version = (uint32_t)v;
    if ((rc = rd(c, 8, &f->n_tensors, "the tensor count"))) return rc;
    if ((rc = rd(c, 8, &f->n_kv, "the KV count"))) return rc;
    /* smallest KV: 8-byte key length + 4-byte type + 1-byte value; tensor info: 8+4+8+4+8 */
    if (f->n_kv > left(c) / 13)
        return fail(c, GGUF_ECOUNT, "KV count %llu cannot fit in a file of %zu bytes",
                    (unsigned long long)f->n_kv, c->size);
    if (f->n_tensors > left(c) / 32)
        return fail(c, GGUF_ECOUNT, "tensor count %llu cannot fit in a file of %zu bytes",
                    (unsigned long long)f->n_tensors, c->size);
    if (f->n_kv >= UINT32_MAX || f->n_tensors >= UINT32_MAX) /* the name indexes hold 32-bit indexes */
        return fail(c, GGUF_ECOUNT, "more than 2^32 - 2 KVs or tensors");
    f->kv = calloc((size_t)(f->n_kv ? f->n_kv : 1), sizeof *f->kv);
    f->tensors = calloc((size_t)(f->n_tensors ? f->n_tensors : 1), sizeof *f->tensors);
    uint64_t *kv_index = index_new(f->n_kv, &f->kv_mask);
    uint64_t *t_index = index_new(f->n_tensors, &f->t_mask);
    if (!f->kv || !f->tensors || !kv_index || !t_index) {
        free(kv_index);
        free(t_index);
        return fail(c, GGUF_ENOMEM, "out of memory");
    }
    /* published only when complete, so that lookups during the parse scan linearly */
    for (uint64_t i = 0; i < f->n_kv && !rc; i++) {
        if ((rc = parse_kv(c, &f->kv[i], i))) break;
        uint64_t hash, *slot = index_slot(f, kv_index, f->kv_mask, kv_key, f->kv[i].key.ptr,
                                          (size_t)f->kv[i].key.len, &hash);
        if (*slot) {
            char kb[80];
            rc = fail(c, GGUF_EDUP, "duplicate key '%s'", show(f->kv[i].key, kb, sizeof kb));
        }
        *slot = SLOT_TAG(hash) | (i + 1);
    }
    if (rc) {
        free(kv_index);
        free(t_index);
        return rc;
    }
    f->kv_index = kv_index;
    f->alignment = GGUF_DEFAULT_ALIGNMENT;
    const gguf_kv_t *al = gguf_find_kv(f, "general.alignment");
    if (al) {
        if (al->type != GGUF_TYPE_UINT32 || al->v.u64 == 0 || (al->v.u64 & (al->v.u64 - 1))) {
            free(t_index);
            return fail(c, GGUF_ECOUNT, "general.alignment must be a u32 power of two");
        }
        f->alignment = al->v.u64;
    }
    for (uint64_t i = 0; i < f->n_tensors && !rc; i++) {
        if ((rc = parse_tensor_info(c, &f->tensors[i], i))) break;
        uint64_t hash, *slot = index_slot(f, t_index, f->t_mask, t_name, f->tensors[i].name,
                                          strlen(f->tensors[i].name), &hash);
        if (*slot) rc = fail(c, GGUF_EDUP, "duplicate tensor name '%s'", f->tensors[i].name);
        *slot = SLOT_TAG(hash) | (i + 1);
    }
    if (rc) {
        free(t_index);
        return rc;
    }
    f->t_index = t_index;
    f->data_offset = (c->pos + f->alignment - 1) / f->alignment * f->alignment;
    if (f->n_tensors && f->data_offset > f->size)
        return fail(c, GGUF_ETRUNC, "truncated: the data section would start at byte %llu but "
                    "the file has %zu bytes", (unsigned long long)f->data_offset, f->size);
    if (f->data_offset > f->size) f->data_offset = f->size;
    return check_layout(c, f);
}

int gguf_open(gguf_file_t *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s", path);
    cursor_t c = {.path = path, .err = err, .errlen = errlen};
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail(&c, GGUF_EIO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return fail(&c, GGUF_EIO, "cannot stat");
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(&c, GGUF_ENOTFILE, "%s, not a GGUF file", S_ISDIR(st.st_mode) ? "is a directory"
                                                                                 : "is not a regular file");
    }
    f->size = (size_t)st.st_size;
    if (f->size > 0) {
        void *m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            close(fd);
            return fail(&c, GGUF_EIO, "cannot mmap %zu bytes: %s", f->size, strerror(errno));
        }
        f->map = m;
    }
    close(fd);
    c.p = f->map;
    c.size = f->size;
    int rc = parse(&c, f);
    if (rc) gguf_close(f);
    return rc;
}

void gguf_close(gguf_file_t *f)
{
    if (f->kv)
        for (uint64_t i = 0; i < f->n_kv; i++) free(f->kv[i].arr_str);
    free(f->kv);
    free(f->tensors);
    free(f->kv_index);
    free(f->t_index);
    if (f->map) munmap((void *)f->map, f->size);
    f->kv = NULL;
    f->tensors = NULL;
    f->kv_index = f->t_index = NULL;
    f->map = NULL;
}

const gguf_kv_t *gguf_find_kv(const gguf_file_t *f, const char *key)
{
    uint64_t hash;
    if (f->kv_index) {
        uint64_t slot = *index_slot(f, f->kv_index, f->kv_mask, kv_key, key, strlen(key), &hash);
        return slot ? &f->kv[SLOT_INDEX(slot)] : NULL;
    }
    for (uint64_t i = 0; i < f->n_kv; i++) /* during the parse (general.alignment) */
        if (gguf_str_eq(f->kv[i].key, key)) return &f->kv[i];
    return NULL;
}

const gguf_tensor_t *gguf_find_tensor(const gguf_file_t *f, const char *name)
{
    uint64_t hash;
    if (f->t_index) {
        uint64_t slot = *index_slot(f, f->t_index, f->t_mask, t_name, name, strlen(name), &hash);
        return slot ? &f->tensors[SLOT_INDEX(slot)] : NULL;
    }
    for (uint64_t i = 0; i < f->n_tensors; i++)
        if (strcmp(f->tensors[i].name, name) == 0) return &f->tensors[i];
    return NULL;
}

int gguf_get_str(const gguf_file_t *f, const char *key, char *out, size_t outlen)
{
    const gguf_kv_t *kv = gguf_find_kv(f, key);
    if (!kv || kv->type != GGUF_TYPE_STRING || outlen == 0) return -1;
    size_t n = kv->v.str.len < outlen - 1 ? (size_t)kv->v.str.len : outlen - 1;
    memcpy(out, kv->v.str.ptr, n);
    out[n] = 0;
    return 0;
}

static int is_signed(gguf_vtype_t t)
{
    return t == GGUF_TYPE_INT8 || t == GGUF_TYPE_INT16 || t == GGUF_TYPE_INT32 || t == GGUF_TYPE_INT64;
}

static int is_unsigned(gguf_vtype_t t)
{
    return t == GGUF_TYPE_UINT8 || t == GGUF_TYPE_UINT16 || t == GGUF_TYPE_UINT32 ||
           t == GGUF_TYPE_UINT64 || t == GGUF_TYPE_BOOL;
}

int gguf_get_int(const gguf_file_t *f, const char *key, int64_t *out)
{
    const gguf_kv_t *kv = gguf_find_kv(f, key);
    if (!kv) return -1;
    if (is_signed(kv->type)) *out = kv->v.i64;
    else if (is_unsigned(kv->type)) *out = (int64_t)kv->v.u64;
    else return -1;
    return 0;
}

int gguf_get_float(const gguf_file_t *f, const char *key, double *out)
{
    const gguf_kv_t *kv = gguf_find_kv(f, key);
    if (!kv) return -1;
    if (kv->type == GGUF_TYPE_FLOAT32 || kv->type == GGUF_TYPE_FLOAT64) *out = kv->v.f64;
    else if (is_signed(kv->type)) *out = (double)kv->v.i64;
    else if (is_unsigned(kv->type)) *out = (double)kv->v.u64;
    else return -1;
    return 0;
}

static uint64_t arr_raw(const gguf_kv_t *kv, uint64_t i)
{
    int es = vtype_size[kv->arr_type];
    return rd_le(kv->arr_data + i * (uint64_t)es, es);
}

double gguf_arr_f64(const gguf_kv_t *kv, uint64_t i)
{
    if (!kv || kv->type != GGUF_TYPE_ARRAY || i >= kv->arr_n || !kv->arr_data) return 0;
    uint64_t v = arr_raw(kv, i);
    if (kv->arr_type == GGUF_TYPE_FLOAT32) {
        uint32_t u = (uint32_t)v;
        float x;
        memcpy(&x, &u, 4);
        return x;
    }
    if (kv->arr_type == GGUF_TYPE_FLOAT64) {
        double d;
        memcpy(&d, &v, 8);
        return d;
    }
    return (double)gguf_arr_i64(kv, i);
}

int64_t gguf_arr_i64(const gguf_kv_t *kv, uint64_t i)
{
    if (!kv || kv->type != GGUF_TYPE_ARRAY || i >= kv->arr_n || !kv->arr_data) return 0;
    if (kv->arr_type == GGUF_TYPE_FLOAT32 || kv->arr_type == GGUF_TYPE_FLOAT64)
        return (int64_t)gguf_arr_f64(kv, i);
    uint64_t v = arr_raw(kv, i);
    int bits = vtype_size[kv->arr_type] * 8;
    if (is_signed(kv->arr_type) && bits < 64 && ((v >> (bits - 1)) & 1)) v |= ~((1ull << bits) - 1);
    int64_t s;
    memcpy(&s, &v, 8);
    return s;
}

/* ------------------------------------------------------------------ writer */

typedef struct {
    char name[96];
    gguf_type_t type;
    int n_dims;
    uint64_t ne[GGUF_MAX_DIMS];
    uint64_t nbytes, offset;
    void *data;
} wtensor_t;

struct gguf_writer {
    uint8_t *kv;         /* serialized KV pairs */
    size_t kv_len, kv_cap;
    uint64_t n_kv;
    char **keys;
    uint32_t alignment;
    wtensor_t *t;
    int n_t, cap_t;
};

gguf_writer_t *gguf_writer_new(void)
{
    gguf_writer_t *w = calloc(1, sizeof *w);
    if (w) w->alignment = GGUF_DEFAULT_ALIGNMENT;
    return w;
}

void gguf_writer_free(gguf_writer_t *w)
{
    if (!w) return;
    for (uint64_t i = 0; i < w->n_kv; i++) free(w->keys[i]);
    free(w->keys);
    for (int i = 0; i < w->n_t; i++) free(w->t[i].data);
    free(w->t);
    free(w->kv);
    free(w);
}

static int put(gguf_writer_t *w, const void *p, size_t n)
{
    if (w->kv_len + n > w->kv_cap) {
        size_t cap = w->kv_cap ? w->kv_cap : 1024;
        while (cap < w->kv_len + n) cap *= 2;
        uint8_t *q = realloc(w->kv, cap);
        if (!q) return GGUF_ENOMEM;
        w->kv = q;
        w->kv_cap = cap;
    }
    if (n) memcpy(w->kv + w->kv_len, p, n);
    w->kv_len += n;
    return 0;
}

static int put_le(gguf_writer_t *w, uint64_t v, int n)
{
    uint8_t b[8];
    for (int i = 0; i < n; i++) b[i] = (uint8_t)(v >> (8 * i));
    return put(w, b, (size_t)n);
}

static int put_str(gguf_writer_t *w, const char *s, uint64_t len)
{
    int rc = put_le(w, len, 8);
    return rc ? rc : put(w, s, (size_t)len);
}

static int begin_kv(gguf_writer_t *w, const char *key, gguf_vtype_t type)
{
    if (!key) return GGUF_EINVAL;
    for (uint64_t i = 0; i < w->n_kv; i++)
        if (strcmp(w->keys[i], key) == 0) return GGUF_EDUP;
    char **k = realloc(w->keys, (size_t)(w->n_kv + 1) * sizeof *k);
    if (!k) return GGUF_ENOMEM;
    w->keys = k;
    if (!(k[w->n_kv] = strdup(key))) return GGUF_ENOMEM;
    w->n_kv++;
    int rc = put_str(w, key, strlen(key));
    return rc ? rc : put_le(w, (uint64_t)type, 4);
}

int gguf_w_scalar(gguf_writer_t *w, const char *key, gguf_vtype_t type, const void *v)
{
    if ((unsigned)type >= GGUF_TYPE_COUNT || type == GGUF_TYPE_STRING || type == GGUF_TYPE_ARRAY)
        return GGUF_EINVAL;
    int rc = begin_kv(w, key, type);
    if (rc) return rc;
    uint64_t raw = 0;
    memcpy(&raw, v, (size_t)vtype_size[type]); /* host is little-endian (x86/ARM/RISC-V) */
    if (type == GGUF_TYPE_UINT32 && strcmp(key, "general.alignment") == 0) {
        if (raw == 0 || (raw & (raw - 1))) return GGUF_EINVAL;
        w->alignment = (uint32_t)raw;
    }
    return put_le(w, raw, vtype_size[type]);
}

int gguf_w_u32(gguf_writer_t *w, const char *k, uint32_t v) { return gguf_w_scalar(w, k, GGUF_TYPE_UINT32, &v); }
int gguf_w_i32(gguf_writer_t *w, const char *k, int32_t v) { return gguf_w_scalar(w, k, GGUF_TYPE_INT32, &v); }
int gguf_w_u64(gguf_writer_t *w, const char *k, uint64_t v) { return gguf_w_scalar(w, k, GGUF_TYPE_UINT64, &v); }
int gguf_w_f32(gguf_writer_t *w, const char *k, float v) { return gguf_w_scalar(w, k, GGUF_TYPE_FLOAT32, &v); }
int gguf_w_f64(gguf_writer_t *w, const char *k, double v) { return gguf_w_scalar(w, k, GGUF_TYPE_FLOAT64, &v); }
int gguf_w_bool(gguf_writer_t *w, const char *k, int v)
{
    uint8_t b = v != 0;
    return gguf_w_scalar(w, k, GGUF_TYPE_BOOL, &b);
}

int gguf_w_str(gguf_writer_t *w, const char *key, const char *v)
{
    int rc = begin_kv(w, key, GGUF_TYPE_STRING);
    return rc ? rc : put_str(w, v, strlen(v));
}

int gguf_w_arr(gguf_writer_t *w, const char *key, gguf_vtype_t et, const void *data, uint64_t n)
{
    if ((unsigned)et >= GGUF_TYPE_COUNT || et == GGUF_TYPE_STRING || et == GGUF_TYPE_ARRAY)
        return GGUF_EINVAL;
    int rc = begin_kv(w, key, GGUF_TYPE_ARRAY);
    if (!rc) rc = put_le(w, (uint64_t)et, 4);
    if (!rc) rc = put_le(w, n, 8);
    if (!rc) rc = put(w, data, (size_t)(n * (uint64_t)vtype_size[et]));
    return rc;
}

int gguf_w_arr_str(gguf_writer_t *w, const char *key, const char *const *strs,
                   const uint64_t *lens, uint64_t n)
{
    int rc = begin_kv(w, key, GGUF_TYPE_ARRAY);
    if (!rc) rc = put_le(w, GGUF_TYPE_STRING, 4);
    if (!rc) rc = put_le(w, n, 8);
    for (uint64_t i = 0; i < n && !rc; i++)
        rc = put_str(w, strs[i], lens ? lens[i] : strlen(strs[i]));
    return rc;
}

int gguf_w_tensor(gguf_writer_t *w, const char *name, gguf_type_t type, int n_dims,
                  const uint64_t *ne, const void *data)
{
    if (!name || strlen(name) >= sizeof w->t[0].name || n_dims < 1 || n_dims > GGUF_MAX_DIMS ||
        !gguf_type_supported(type))
        return GGUF_EINVAL;
    for (int i = 0; i < w->n_t; i++)
        if (strcmp(w->t[i].name, name) == 0) return GGUF_EDUP;
    uint64_t nel = 1;
    for (int d = 0; d < n_dims; d++) nel *= ne[d];
    uint64_t nbytes = gguf_type_size(type, nel);
    if (ne[0] % gguf_type_block(type) || (nel && !nbytes)) return GGUF_EINVAL;
    if (w->n_t == w->cap_t) {
        int cap = w->cap_t ? 2 * w->cap_t : 64;
        wtensor_t *t = realloc(w->t, (size_t)cap * sizeof *t);
        if (!t) return GGUF_ENOMEM;
        w->t = t;
        w->cap_t = cap;
    }
    wtensor_t *t = &w->t[w->n_t];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->type = type;
    t->n_dims = n_dims;
    for (int d = 0; d < GGUF_MAX_DIMS; d++) t->ne[d] = d < n_dims ? ne[d] : 1;
    t->nbytes = nbytes;
    if (data) {
        if (!(t->data = malloc(nbytes ? (size_t)nbytes : 1))) return GGUF_ENOMEM;
        memcpy(t->data, data, (size_t)nbytes);
    }
    w->n_t++;
    return 0;
}

static int write_all(FILE *fp, const void *p, size_t n) { return fwrite(p, 1, n, fp) == n ? 0 : -1; }

static int write_pad(FILE *fp, uint64_t *pos, uint64_t align)
{
    static const uint8_t zeros[64];
    uint64_t pad = (align - *pos % align) % align;
    *pos += pad;
    while (pad) {
        size_t n = pad > sizeof zeros ? sizeof zeros : (size_t)pad;
        if (write_all(fp, zeros, n)) return -1;
        pad -= n;
    }
    return 0;
}

int gguf_writer_write(gguf_writer_t *w, const char *path, gguf_fill_fn fill, void *ctx,
                      char *err, size_t errlen)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot create", path);
        return GGUF_EIO;
    }
    /* header + tensor infos, serialized through the KV buffer machinery */
    gguf_writer_t hdr = {0};
    int rc = 0;
    rc |= put(&hdr, "GGUF", 4);
    rc |= put_le(&hdr, 3, 4);
    rc |= put_le(&hdr, (uint64_t)w->n_t, 8);
    rc |= put_le(&hdr, w->n_kv, 8);
    rc |= put(&hdr, w->kv, w->kv_len);
    uint64_t off = 0;
    for (int i = 0; i < w->n_t; i++) {
        wtensor_t *t = &w->t[i];
        t->offset = off;
        rc |= put_str(&hdr, t->name, strlen(t->name));
        rc |= put_le(&hdr, (uint64_t)t->n_dims, 4);
        for (int d = 0; d < t->n_dims; d++) rc |= put_le(&hdr, t->ne[d], 8);
        rc |= put_le(&hdr, (uint64_t)t->type, 4);
        rc |= put_le(&hdr, off, 8);
        off += (t->nbytes + w->alignment - 1) / w->alignment * w->alignment;
    }
    uint64_t pos = hdr.kv_len;
    if (!rc) rc = write_all(fp, hdr.kv, hdr.kv_len);
    free(hdr.kv);
    if (!rc) rc = write_pad(fp, &pos, w->alignment);
    void *buf = NULL;
    for (int i = 0; i < w->n_t && !rc; i++) {
        wtensor_t *t = &w->t[i];
        const void *src = t->data;
        if (!src) {
            void *nb = realloc(buf, t->nbytes ? (size_t)t->nbytes : 1);
            if (!nb || !fill) {
                free(nb ? nb : buf);
                buf = NULL;
                rc = -1;
                break;
            }
            buf = nb;
            if (fill(ctx, i, buf, t->nbytes)) {
                rc = -1;
                break;
            }
            src = buf;
        }
        rc = write_all(fp, src, (size_t)t->nbytes);
        pos += t->nbytes;
        if (!rc) rc = write_pad(fp, &pos, w->alignment);
    }
    free(buf);
    if (fclose(fp) != 0) rc = -1;
    if (rc) {
        snprintf(err, errlen, "%s: write failed", path);
        return GGUF_EIO;
    }
    return 0;
}
