/* SPDX-License-Identifier: Apache-2.0 */
/* Decode steps and batched prefill driven by the op plan; see forward.h. */
#include "forward.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecim_gemv.h"
#include "accel_dev.h"
#include "quant.h"
#include "rope_pairs.h"
#include "tpool.h"
#include "vec.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int widx(const forward_t *f, int layer, slm_weight_t w)
{
    return w == SLM_W_LM_HEAD ? f->c->layers * 4 : layer * 4 + (int)w;
}

/* The tensors whose rows, stacked, make fused weight w of a layer. */
static int weight_parts(const model_t *m, int layer, slm_weight_t w, const gguf_tensor_t *parts[3])
{
    if (w == SLM_W_LM_HEAD) { parts[0] = m->output; return 1; }
    const model_layer_t *L = &m->layers[layer];
    switch (w) {
    case SLM_W_QKV:
        if (L->wqkv) { parts[0] = L->wqkv; return 1; }
        parts[0] = L->wq; parts[1] = L->wk; parts[2] = L->wv;
        return 3;
    case SLM_W_O: parts[0] = L->wo; return 1;
    case SLM_W_GATE_UP:
        if (!L->gate) { parts[0] = L->up; return 1; }
        parts[0] = L->gate; parts[1] = L->up;
        return 2;
    case SLM_W_DOWN: parts[0] = L->down; return 1;
    default: return 0;
    }
}

/* Dequantized copy of a 1-D tensor (NULL tensor -> NULL). */
static float *vec_of(const gguf_tensor_t *t)
{
    if (!t) return NULL;
    float *v = malloc((size_t)t->ne[0] * sizeof *v);
    if (v && dequantize_row(t->type, t->data, v, (size_t)t->ne[0])) {
        free(v);
        return NULL;
    }
    return v;
}

/* verbose >= 2: one line per tensor saying how it maps onto the accelerator. */
static void report_packing(const gguf_tensor_t *t, int wbits, const pack_stats_t *st)
{
    const char *fmt = wbits == 2 ? "ternary" : wbits == 8 ? "INT8" : "INT4";
    if (st->exact)
        fprintf(stderr, "  %-28s %-6s -> %s: bit for bit\n", t->name, gguf_type_name(t->type), fmt);
    else
        fprintf(stderr, "  %-28s %-6s -> %s: requantized, relative RMS error %.3e\n", t->name,
                gguf_type_name(t->type), fmt, st->ref2 > 0 ? sqrt(st->err2 / st->ref2) : 0.0);
}

/* The parts' rows stacked into one packed matrix of N rows. */
static int pack_parts(const gguf_tensor_t *const *parts, int np, uint8_t *packed, int N, int wbits, int verbose,
                      char *err, size_t errlen)
{
    int row = 0, rc = 0;
    for (int p = 0; p < np && !rc; p++) {
        pack_stats_t st = {0, 0, 1};
        rc = pack_weight_rows_stats(parts[p], 0, (int)parts[p]->ne[1], packed, N, row, wbits, &st, err, errlen);
        if (!rc && verbose >= 2) report_packing(parts[p], wbits, &st);
        row += (int)parts[p]->ne[1];
    }
    return rc;
}

/* The [q; k; v] rows with each head of q and k reordered (rope_pairs_qkv_row), row by row. */
static int pack_qkv_adjacent(const forward_t *f, const gguf_tensor_t *const *parts, int np, uint8_t *packed, int N,
                             int wbits, char *err, size_t errlen)
{
    const slm_config_t *c = f->c;
    int hd = c->head_dim, qd = c->heads * hd, kvd = c->kv_heads * hd;
    for (int r = 0; r < N; r++) {
        int src = rope_pairs_qkv_row(r, qd, kvd, hd), p = 0;
        while (p < np - 1 && src >= (int)parts[p]->ne[1]) src -= (int)parts[p++]->ne[1];
        pack_stats_t st = {0, 0, 1};
        if (pack_weight_rows_stats(parts[p], src, 1, packed, N, r, wbits, &st, err, errlen)) return -1;
    }
    return 0;
}

/* Whether the accelerator's vector unit needs q and k reordered for the model's NeoX RoPE: its
 * lanes pair x[i] with x[i + d/2] only when d is a multiple of 2 x VecLanes. */
static int needs_qk_adjacent(const model_t *m, ecim_accel_t *acc)
{
    accel_dev_t dev;
    if (!acc || !acc->device || !m->rope_neox || acc->device(acc->ctx, &dev) != ACCEL_OK) return 0;
    return dev.hw.vec_lanes > 0 && m->cfg.head_dim % (2 * dev.hw.vec_lanes) != 0;
}

static int prepare_weight(forward_t *f, int layer, slm_weight_t w, int verbose, char *err, size_t errlen)
{
    const gguf_tensor_t *parts[3];
    int np = weight_parts(f->m, layer, w, parts), i = widx(f, layer, w);
    int K = (int)parts[0]->ne[0], N = 0;
    for (int p = 0; p < np; p++) N += (int)parts[p]->ne[1];
    f->wK[i] = K;
    f->wN[i] = N;
    /* a fused matrix (qkv, gate+up) runs at the widest of its parts' precisions */
    int wbits = 0;
    for (int p = 0; p < np; p++) {
        int b = quant_tensor_wbits(parts[p]->type, f->wbits);
        if (b > wbits) wbits = b;
    }
    f->wbits_w[i] = wbits;
    if (f->acc) {
        size_t bytes = ecim_packed_bytes(K, N, wbits);
        uint8_t *packed = calloc(bytes, 1);
        if (!packed) { snprintf(err, errlen, "out of memory packing %s", parts[0]->name); return -1; }
        int rc = w == SLM_W_QKV && f->qk_adjacent ? pack_qkv_adjacent(f, parts, np, packed, N, wbits, err, errlen)
                                                   : pack_parts(parts, np, packed, N, wbits, verbose, err, errlen);
        if (!rc && f->acc->load_matrix(f->acc->ctx, packed, K, N, wbits, &f->handle[i]) != ACCEL_OK) {
            snprintf(err, errlen, "%s: load_matrix failed for %s", f->acc->name, parts[0]->name);
            rc = -1;
        }
        free(packed);
        return rc;
    }
    float *m = malloc((size_t)N * K * sizeof *m);
    if (!m) { snprintf(err, errlen, "out of memory for float weights of %s", parts[0]->name); return -1; }
    f->fw[i] = m;
    for (int p = 0; p < np; p++) {
        const gguf_tensor_t *t = parts[p];
        size_t rb = (size_t)gguf_type_size(t->type, t->ne[0]);
        for (uint64_t r = 0; r < t->ne[1]; r++, m += K)
            if (dequantize_row(t->type, t->data + r * rb, m, (size_t)K)) {
                snprintf(err, errlen, "cannot dequantize %s", t->name);
                return -1;
            }
    }
    return 0;
}

static void *zalloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }
#define ALLOC(p, n) do { if (!((p) = zalloc((size_t)(n), sizeof *(p)))) goto oom; } while (0)

int forward_init(forward_t *f, const model_t *m, ecim_accel_t *acc, int max_ctx, int verbose,
                 char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    const slm_config_t *c = &m->cfg;
    f->m = m;
    f->c = c;
    f->acc = acc;
    f->wbits = c->wbits;
    f->max_ctx = max_ctx > 0 ? max_ctx : 1;
    f->batch_cap = f->max_ctx < FORWARD_MAX_BATCH ? f->max_ctx : FORWARD_MAX_BATCH;
    f->threads = 1;
    f->n_weights = 4 * c->layers + 1;
    int qd = c->heads * c->head_dim, kvd = c->kv_heads * c->head_dim;
    int qkvd = qd + 2 * kvd, ff = c->intermediate, L = c->layers, B = f->batch_cap;
    int maxk = c->hidden > qd ? c->hidden : qd;
    if (ff > maxk) maxk = ff;
    /* the layers' GEMVs run batched, the LM head for one token */
    size_t maxn = (size_t)(qkvd > 2 * ff ? qkvd : 2 * ff);
    if ((size_t)c->hidden > maxn) maxn = (size_t)c->hidden;
    maxn *= (size_t)B;
    if ((size_t)c->vocab > maxn) maxn = (size_t)c->vocab;
    ALLOC(f->handle, f->n_weights); ALLOC(f->fw, f->n_weights);
    ALLOC(f->wK, f->n_weights); ALLOC(f->wN, f->n_weights); ALLOC(f->wbits_w, f->n_weights);
    ALLOC(f->norm_attn, L); ALLOC(f->norm_ffn, L); ALLOC(f->norm_q, L); ALLOC(f->norm_k, L);
    ALLOC(f->norm_attn_sub, L); ALLOC(f->norm_ffn_sub, L); ALLOC(f->bias_qkv, L);
    ALLOC(f->x, (size_t)B * c->hidden); ALLOC(f->xb, (size_t)B * c->hidden); ALLOC(f->qkv, (size_t)B * qkvd);
    ALLOC(f->att, (size_t)B * qd); ALLOC(f->hb, (size_t)B * 2 * ff); ALLOC(f->tmp, (size_t)B * c->hidden);
    ALLOC(f->logits, c->vocab);
    ALLOC(f->scratch, f->max_ctx);
    ALLOC(f->kcache, (size_t)L * f->max_ctx * kvd); ALLOC(f->vcache, (size_t)L * f->max_ctx * kvd);
    ALLOC(f->xq, (size_t)B * ecim_round_up(maxk, 32)); ALLOC(f->xs, (size_t)B * ecim_round_up(maxk, 32) / 32);
    ALLOC(f->y64, maxn);
    f->y64_cap = maxn;
    f->qk_adjacent = needs_qk_adjacent(m, acc);
    f->rope_neox = m->rope_neox && !f->qk_adjacent;
    f->ops_cap = slm_plan_count(c);
    if (f->ops_cap <= 0) { snprintf(err, errlen, "%s: the plan rejects this configuration", m->file.path); goto fail; }
    ALLOC(f->ops, f->ops_cap);
    if (!(f->norm_out = vec_of(m->output_norm))) goto oom;
    for (int l = 0; l < L; l++) {
        const model_layer_t *ly = &m->layers[l];
        if (!(f->norm_attn[l] = vec_of(ly->attn_norm)) || !(f->norm_ffn[l] = vec_of(ly->ffn_norm))) goto oom;
        f->norm_q[l] = vec_of(ly->q_norm);
        f->norm_k[l] = vec_of(ly->k_norm);
        if (f->qk_adjacent && (rope_pairs_permute(f->norm_q[l], 1, c->head_dim) ||
                               rope_pairs_permute(f->norm_k[l], 1, c->head_dim))) goto oom;
        f->norm_attn_sub[l] = vec_of(ly->attn_sub_norm);
        f->norm_ffn_sub[l] = vec_of(ly->ffn_sub_norm);
        if (ly->bq) {
            ALLOC(f->bias_qkv[l], qkvd);
            if (dequantize_row(ly->bq->type, ly->bq->data, f->bias_qkv[l], (size_t)qd) ||
                dequantize_row(ly->bk->type, ly->bk->data, f->bias_qkv[l] + qd, (size_t)kvd) ||
                dequantize_row(ly->bv->type, ly->bv->data, f->bias_qkv[l] + qd + kvd, (size_t)kvd))
                goto oom;
            if (f->qk_adjacent && (rope_pairs_permute(f->bias_qkv[l], c->heads, c->head_dim) ||
                                   rope_pairs_permute(f->bias_qkv[l] + qd, c->kv_heads, c->head_dim))) goto oom;
        }
    }
    for (int l = 0; l <= L; l++) {
        for (int w = 0; w < 4; w++) {
            slm_weight_t wt = l == L ? SLM_W_LM_HEAD : (slm_weight_t)w;
            if (prepare_weight(f, l, wt, verbose, err, errlen)) goto fail;
            if (l == L) break;
        }
        if (verbose == 1)
            fprintf(stderr, "\r%s: preparing weights, %s %d/%d ", acc ? acc->name : "float",
                    l < L ? "layer" : "LM head, layers", l < L ? l + 1 : L, L);
    }
    if (verbose == 1) fprintf(stderr, "\n");
    uint64_t cyc;
    f->st.cycles_valid = acc && acc->cycles && acc->cycles(acc->ctx, &cyc) == ACCEL_OK;
    return 0;
oom:
    snprintf(err, errlen, "out of memory preparing the model");
fail:
    forward_free(f);
    return -1;
}

void forward_free(forward_t *f)
{
    int L = f->c ? f->c->layers : 0;
    if (f->acc && f->acc->set_pool) f->acc->set_pool(f->acc->ctx, NULL); /* the pool goes first */
    tpool_destroy(f->pool);
    if (f->fw)
        for (int i = 0; i < f->n_weights; i++) free(f->fw[i]);
    for (int l = 0; l < L; l++) {
        if (f->norm_attn) free(f->norm_attn[l]);
        if (f->norm_ffn) free(f->norm_ffn[l]);
        if (f->norm_q) free(f->norm_q[l]);
        if (f->norm_k) free(f->norm_k[l]);
        if (f->norm_attn_sub) free(f->norm_attn_sub[l]);
        if (f->norm_ffn_sub) free(f->norm_ffn_sub[l]);
        if (f->bias_qkv) free(f->bias_qkv[l]);
    }
    free(f->handle); free(f->fw); free(f->wK); free(f->wN); free(f->wbits_w);
    free(f->norm_attn); free(f->norm_ffn); free(f->norm_q); free(f->norm_k);
    free(f->norm_attn_sub); free(f->norm_ffn_sub); free(f->bias_qkv); free(f->norm_out);
    free(f->x); free(f->xb); free(f->qkv); free(f->att); free(f->hb); free(f->tmp);
    free(f->logits); free(f->scratch); free(f->kcache); free(f->vcache);
    free(f->xq); free(f->xs); free(f->y64); free(f->ops); free(f->vlogits_buf);
    memset(f, 0, sizeof *f);
}

int forward_set_threads(forward_t *f, int n_threads)
{
    if (f->acc && f->acc->set_pool) f->acc->set_pool(f->acc->ctx, NULL);
    tpool_destroy(f->pool);
    f->pool = n_threads > 1 ? tpool_create(n_threads) : NULL;
    int n = tpool_threads(f->pool);
    float *scratch = calloc((size_t)n * f->max_ctx, sizeof *scratch); /* attention: one per thread */
    if (!scratch) {
        tpool_destroy(f->pool);
        f->pool = NULL;
        n = 1;
    } else {
        free(f->scratch);
        f->scratch = scratch;
    }
    f->threads = n;
    if (f->acc && f->acc->set_pool) f->acc->set_pool(f->acc->ctx, f->pool);
    return n;
}

/* ---- the vectors of token b of a batch ------------------------------------------------- */
static int q_dim(const slm_config_t *c) { return c->heads * c->head_dim; }
static int qkv_dim(const slm_config_t *c) { return (c->heads + 2 * c->kv_heads) * c->head_dim; }

static float *x_of(forward_t *f, int b) { return f->x + (size_t)b * f->c->hidden; }
static float *xb_of(forward_t *f, int b) { return f->xb + (size_t)b * f->c->hidden; }
static float *qkv_of(forward_t *f, int b) { return f->qkv + (size_t)b * qkv_dim(f->c); }
static float *att_of(forward_t *f, int b) { return f->att + (size_t)b * q_dim(f->c); }
static float *hb_of(forward_t *f, int b) { return f->hb + (size_t)b * 2 * f->c->intermediate; }
static float *tmp_of(forward_t *f, int b) { return f->tmp + (size_t)b * f->c->hidden; }

/* Input and output vectors of each GEMV for token b (the LM head runs for one token only). */
static float *gemv_in(forward_t *f, slm_weight_t w, int b)
{
    switch (w) {
    case SLM_W_O: return att_of(f, b);
    case SLM_W_DOWN: return hb_of(f, b);
    default: return xb_of(f, b); /* QKV, GATE_UP, LM_HEAD read the normed vector */
    }
}

static float *gemv_out(forward_t *f, slm_weight_t w, int b)
{
    switch (w) {
    case SLM_W_QKV: return qkv_of(f, b);
    case SLM_W_GATE_UP: return hb_of(f, b);
    case SLM_W_LM_HEAD: return f->vlogits ? f->vlogits + (size_t)b * f->c->vocab : f->logits;
    default: return tmp_of(f, b); /* O, DOWN: added to the residual by the next ADD */
    }
}

/* The parallel parts of a step.  Each item computes a fixed range of outputs with the same
 * code as one thread would, so results do not depend on the thread count. */
typedef struct {
    const float *w, *x;
    const int64_t *acc;
    float *y;
    int K, N, n_items;
} rows_job_t;

/* Float engine: y[n] = w[n] . x for the rows of the item. */
static void float_rows_item(void *arg, int i, int tid)
{
    const rows_job_t *j = arg;
    (void)tid;
    int r0, r1;
    tpool_range(j->N, i, j->n_items, &r0, &r1);
    for (int r = r0; r < r1; r++) j->y[r] = vec_dot(j->w + (size_t)r * j->K, j->x, j->K);
}

/* Accelerator outputs (Q39.24) to float for the item. */
static void q24_item(void *arg, int i, int tid)
{
    const rows_job_t *j = arg;
    (void)tid;
    int r0, r1;
    tpool_range(j->N, i, j->n_items, &r0, &r1);
    vec_q24_to_float(j->acc + r0, j->y + r0, r1 - r0);
}

typedef struct {
    forward_t *f;
    float *out;
    const float *q, *k, *v;
    int ctx;
} attn_job_t;

/* One head; scratch is the running thread's. */
static void attention_item(void *arg, int h, int tid)
{
    const attn_job_t *j = arg;
    const slm_config_t *c = j->f->c;
    op_attention_heads(j->out, j->q, j->k, j->v, j->ctx, c->heads, c->kv_heads, c->head_dim, h, h + 1,
                       j->f->scratch + (size_t)tid * j->f->max_ctx);
}

/* ---- GEMVs ------------------------------------------------------------------------------- */
/* Tokens [b0, b1) of a batch through op's matrix on the accelerator: one call for all of them,
 * their inputs quantized by QUANT_ACT at f->xq / f->xs (Kp apart), their outputs converted to
 * float. */
static int accel_gemv(forward_t *f, const slm_op_t *op, int i, int b0, int b1, char *err, size_t errlen)
{
    uint64_t c0 = 0, c1 = 0;
    if (f->st.cycles_valid) f->acc->cycles(f->acc->ctx, &c0);
    int rc = f->acc->gemv(f->acc->ctx, f->handle[i], b1 - b0, f->xq, f->xs, NULL, 0, f->y64);
    if (rc != ACCEL_OK) {
        snprintf(err, errlen, "%s: gemv %s layer %d (batch %d) failed (%d)", f->acc->name, slm_weight_name(op->weight),
                 op->layer, b1 - b0, rc);
        return -1;
    }
    if (f->st.cycles_valid && f->acc->cycles(f->acc->ctx, &c1) == ACCEL_OK) f->st.gemv_cycles[op->weight] += c1 - c0;
    for (int b = b0; b < b1; b++) {
        rows_job_t j = {.acc = f->y64 + (size_t)(b - b0) * op->n, .y = gemv_out(f, op->weight, b), .N = op->n};
        j.n_items = tpool_items(f->pool, op->n, 8192); /* below that, not worth waking the pool */
        tpool_run(f->pool, j.n_items, q24_item, &j);
    }
    return 0;
}

/* The float engine: token by token, rows over the threads. */
static void float_gemv(forward_t *f, const slm_op_t *op, int i, int b0, int b1)
{
    for (int b = b0; b < b1; b++) {
        rows_job_t j = {.w = f->fw[i], .x = gemv_in(f, op->weight, b), .y = gemv_out(f, op->weight, b), .K = op->k,
                        .N = op->n};
        j.n_items = tpool_items(f->pool, op->n, 16);
        tpool_run(f->pool, j.n_items, float_rows_item, &j);
    }
}

static int run_gemv(forward_t *f, const slm_op_t *op, int b0, int b1, char *err, size_t errlen)
{
    int i = widx(f, op->layer, op->weight);
    if (f->wK[i] != op->k || f->wN[i] != op->n) {
        snprintf(err, errlen, "plan GEMV %s of layer %d is %dx%d but the model's is %dx%d",
                 slm_weight_name(op->weight), op->layer, op->n, op->k, f->wN[i], f->wK[i]);
        return -1;
    }
    if (f->acc) return accel_gemv(f, op, i, b0, b1, err, errlen);
    float_gemv(f, op, i, b0, b1);
    return 0;
}

/* The INT8 activations of tokens [b0, b1) for the GEMV op that follows QUANT_ACT. */
static void quantize_inputs(forward_t *f, const slm_op_t *gemv, int b0, int b1)
{
    int kp = ecim_round_up(gemv->k, ECIM_GROUP);
    for (int b = b0; b < b1; b++)
        vec_quantize_activations(gemv_in(f, gemv->weight, b), gemv->k, f->xq + (size_t)(b - b0) * kp,
                                 f->xs + (size_t)(b - b0) * (kp / ECIM_GROUP));
}

/* ---- one batch --------------------------------------------------------------------------- */
/* A batch: n tokens from position pos; head: the last token goes through the head ops; argmax
 * (verification): every token goes through them and argmax[b] is token b's greedy next;
 * n_layers > 0: only the first n_layers layers run (an early-exit draft). */
typedef struct {
    const int *tokens;
    int n, pos, head;
    sampler_t *sampler;
    int *next;
    int *argmax;
    int n_layers;
} batch_t;

/* The final norm, the LM head and SAMPLE: after the layers, for the last token (or, verifying,
 * every token). */
static int head_op(const slm_op_t *op) { return op->layer < 0 && op->kind != SLM_OP_EMBED; }

static int rmsnorm(forward_t *f, const slm_op_t *op, int b, char *err, size_t errlen)
{
    const slm_config_t *c = f->c;
    float eps = (float)c->rms_eps;
    int l = op->layer;
    switch (op->norm) {
    case SLM_NORM_ATTN: op_rmsnorm(xb_of(f, b), x_of(f, b), f->norm_attn[l], c->hidden, eps); return 0;
    case SLM_NORM_FFN: op_rmsnorm(xb_of(f, b), x_of(f, b), f->norm_ffn[l], c->hidden, eps); return 0;
    case SLM_NORM_FINAL: op_rmsnorm(xb_of(f, b), x_of(f, b), f->norm_out, c->hidden, eps); return 0;
    case SLM_NORM_ATTN_SUB: op_rmsnorm(att_of(f, b), att_of(f, b), f->norm_attn_sub[l], q_dim(c), eps); return 0;
    case SLM_NORM_FFN_SUB: op_rmsnorm(hb_of(f, b), hb_of(f, b), f->norm_ffn_sub[l], c->intermediate, eps); return 0;
    default: snprintf(err, errlen, "unknown norm in plan"); return -1;
    }
}

/* A non-GEMV op for token b of the batch (at position pos + b). */
static int token_op(forward_t *f, const batch_t *bt, const slm_op_t *op, int b, char *err, size_t errlen)
{
    const slm_config_t *c = f->c;
    int l = op->layer, pos = bt->pos + b, qd = q_dim(c), kvd = c->kv_heads * c->head_dim;
    float *qkv = qkv_of(f, b);
    switch (op->kind) {
    case SLM_OP_EMBED:
        if (op_embed(f->m->tok_embd, bt->tokens[b], x_of(f, b))) { snprintf(err, errlen, "embedding lookup failed"); return -1; }
        return 0;
    case SLM_OP_RMSNORM: return rmsnorm(f, op, b, err, errlen);
    case SLM_OP_QKV_BIAS:
        if (f->bias_qkv[l]) op_add(qkv, f->bias_qkv[l], op->len);
        return 0;
    case SLM_OP_QK_NORM:
        op_head_rmsnorm(qkv, f->norm_q[l], c->heads, c->head_dim, (float)c->rms_eps);
        op_head_rmsnorm(qkv + qd, f->norm_k[l], c->kv_heads, c->head_dim, (float)c->rms_eps);
        return 0;
    case SLM_OP_ROPE:
        op_rope(qkv, c->heads, c->head_dim, pos, c->rope_theta, f->rope_neox, f->m->rope_freq_factors);
        op_rope(qkv + qd, c->kv_heads, c->head_dim, pos, c->rope_theta, f->rope_neox, f->m->rope_freq_factors);
        return 0;
    case SLM_OP_KV_WRITE: {
        size_t off = ((size_t)l * f->max_ctx + (size_t)pos) * kvd;
        memcpy(f->kcache + off, qkv + qd, (size_t)kvd * sizeof(float));
        memcpy(f->vcache + off, qkv + qd + kvd, (size_t)kvd * sizeof(float));
        return 0;
    }
    case SLM_OP_ATTENTION: { /* the plan's ctx is the batch's first token's */
        size_t off = (size_t)l * f->max_ctx * kvd;
        attn_job_t j = {f, att_of(f, b), qkv, f->kcache + off, f->vcache + off, op->ctx + b};
        tpool_run(f->pool, c->heads, attention_item, &j);
        return 0;
    }
    case SLM_OP_ADD: op_add(x_of(f, b), tmp_of(f, b), c->hidden); return 0;
    case SLM_OP_SILU_MUL: op_silu_mul(hb_of(f, b), hb_of(f, b), op->len); return 0;
    case SLM_OP_RELU2_MUL: op_relu2_mul(hb_of(f, b), hb_of(f, b), op->len); return 0;
    case SLM_OP_SAMPLE:
        if (bt->argmax) bt->argmax[b] = op_argmax(gemv_out(f, SLM_W_LM_HEAD, b), c->vocab);
        else if (bt->sampler && bt->next) *bt->next = op_sample(bt->sampler, f->logits, c->vocab);
        return 0;
    default: snprintf(err, errlen, "plan: unknown op kind %d", (int)op->kind); return -1;
    }
}

/* Op i of the plan for tokens [b0, b1) of the batch. */
static int batch_op(forward_t *f, const batch_t *bt, int i, int n_ops, int b0, int b1, char *err, size_t errlen)
{
    const slm_op_t *op = &f->ops[i];
    switch (op->kind) {
    case SLM_OP_QUANT_ACT:
        if (i + 1 >= n_ops || f->ops[i + 1].kind != SLM_OP_GEMV) {
            snprintf(err, errlen, "plan: QUANT_ACT not followed by a GEMV");
            return -1;
        }
        if (f->acc) quantize_inputs(f, &f->ops[i + 1], b0, b1);
        return 0;
    case SLM_OP_GEMV: {
        double t0 = now_s();
        if (run_gemv(f, op, b0, b1, err, errlen)) return -1;
        f->st.gemv_host_s[op->weight] += now_s() - t0;
        f->st.gemv_calls[op->weight]++;
        f->st.gemv_vectors[op->weight] += b1 - b0;
        return 0;
    }
    default:
        for (int b = b0; b < b1; b++)
            if (token_op(f, bt, op, b, err, errlen)) return -1;
        return 0;
    }
}

static int run_batch(forward_t *f, const batch_t *bt, char *err, size_t errlen)
{
    slm_config_t draft = *f->c; /* an early exit: the first n_layers layers, then the head */
    if (bt->n_layers > 0) draft.layers = bt->n_layers;
    int n_ops = slm_plan_decode(&draft, bt->pos, f->ops, f->ops_cap);
    if (n_ops < 0 || n_ops > f->ops_cap) {
        snprintf(err, errlen, "slm_plan_decode failed (%d)", n_ops);
        return -1;
    }
    for (int i = 0; i < n_ops; i++) {
        const slm_op_t *op = &f->ops[i];
        int b0 = head_op(op) && !bt->argmax ? bt->n - 1 : 0;
        if (head_op(op) && !bt->head) continue;
        double t0 = now_s();
        if (batch_op(f, bt, i, n_ops, b0, bt->n, err, errlen)) return -1;
        f->st.host_s[op->kind] += now_s() - t0;
        f->st.calls[op->kind]++;
    }
    return 0;
}

static int tokens_ok(const forward_t *f, const int *tokens, int n, int pos, char *err, size_t errlen)
{
    if (!tokens || n < 1) {
        snprintf(err, errlen, "no tokens to run");
        return 0;
    }
    if (pos < 0 || pos > f->max_ctx - n) {
        if (n == 1) snprintf(err, errlen, "position %d outside the context of %d", pos, f->max_ctx);
        else snprintf(err, errlen, "positions %d..%d outside the context of %d", pos, pos + n - 1, f->max_ctx);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if (tokens[i] < 0 || tokens[i] >= f->c->vocab) {
            snprintf(err, errlen, "token %d outside the vocabulary of %d", tokens[i], f->c->vocab);
            return 0;
        }
    return 1;
}

int forward_prefill(forward_t *f, const int *tokens, int n, int pos, sampler_t *sampler, int *next, char *err,
                    size_t errlen)
{
    if (!tokens_ok(f, tokens, n, pos, err, errlen)) return -1;
    for (int done = 0; done < n;) {
        int nb = n - done < f->batch_cap ? n - done : f->batch_cap;
        batch_t bt = {tokens + done, nb, pos + done, done + nb == n, sampler, next, NULL, 0};
        if (run_batch(f, &bt, err, errlen)) return -1;
        done += nb;
        f->st.steps += nb;
    }
    return 0;
}

uint64_t forward_gemv_cycles(const forward_t *f)
{
    uint64_t c = 0;
    for (int w = 0; w < SLM_W_COUNT; w++) c += f->st.gemv_cycles[w];
    return c;
}

int forward_step(forward_t *f, int token, int pos, sampler_t *sampler, int *next, char *err, size_t errlen)
{
    return forward_prefill(f, &token, 1, pos, sampler, next, err, errlen);
}

/* The LM head's outputs of n tokens at once: n x vocab floats and int64 results. */
static int verify_buffers(forward_t *f, int n, char *err, size_t errlen)
{
    size_t need = (size_t)n * f->c->vocab;
    if (need > f->vlogits_cap) {
        float *l = realloc(f->vlogits_buf, need * sizeof *l);
        if (l) f->vlogits_buf = l;
        int64_t *y = l && need > f->y64_cap ? realloc(f->y64, need * sizeof *y) : f->y64;
        if (!l || !y) { snprintf(err, errlen, "out of memory for the logits of %d tokens", n); return -1; }
        if (need > f->y64_cap) { f->y64 = y; f->y64_cap = need; }
        f->vlogits_cap = need;
    }
    return 0;
}

int forward_verify(forward_t *f, const int *tokens, int n, int pos, int *argmax, char *err, size_t errlen)
{
    if (!tokens_ok(f, tokens, n, pos, err, errlen)) return -1;
    if (n > f->batch_cap) {
        snprintf(err, errlen, "verify: %d tokens, more than a batch of %d", n, f->batch_cap);
        return -1;
    }
    if (verify_buffers(f, n, err, errlen)) return -1;
    batch_t bt = {tokens, n, pos, 1, NULL, NULL, argmax, 0};
    f->vlogits = f->vlogits_buf;
    int rc = run_batch(f, &bt, err, errlen);
    f->vlogits = NULL;
    if (!rc) f->st.steps += n;
    return rc;
}

int forward_draft(forward_t *f, int n_layers, int token, int pos, int *next, char *err, size_t errlen)
{
    if (n_layers < 1 || n_layers > f->c->layers) {
        snprintf(err, errlen, "draft: %d layers, the model has %d", n_layers, f->c->layers);
        return -1;
    }
    if (!tokens_ok(f, &token, 1, pos, err, errlen)) return -1;
    batch_t bt = {&token, 1, pos, 1, NULL, NULL, next, n_layers};
    return run_batch(f, &bt, err, errlen);
}
