/* SPDX-License-Identifier: Apache-2.0 */
/* Decode step driven by the op plan; see forward.h. */
#include "forward.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecim_gemv.h"
#include "quant.h"
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

static int prepare_weight(forward_t *f, int layer, slm_weight_t w, int verbose, char *err, size_t errlen)
{
    const gguf_tensor_t *parts[3];
    int np = weight_parts(f->m, layer, w, parts), i = widx(f, layer, w);
    int K = (int)parts[0]->ne[0], N = 0;
    for (int p = 0; p < np; p++) N += (int)parts[p]->ne[1];
    f->wK[i] = K;
    f->wN[i] = N;
    if (f->acc) {
        size_t bytes = ecim_packed_bytes(K, N, f->wbits);
        uint8_t *packed = calloc(bytes, 1);
        if (!packed) { snprintf(err, errlen, "out of memory packing %s", parts[0]->name); return -1; }
        int row = 0, rc = 0;
        for (int p = 0; p < np && !rc; p++) {
            pack_stats_t st = {0, 0, 1};
            rc = pack_weight_rows_stats(parts[p], 0, (int)parts[p]->ne[1], packed, N, row, f->wbits, &st, err, errlen);
            if (!rc && verbose >= 2) report_packing(parts[p], f->wbits, &st);
            row += (int)parts[p]->ne[1];
        }
        if (!rc && f->acc->load_matrix(f->acc->ctx, packed, bytes, f->wbits, &f->handle[i]) != ACCEL_OK) {
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
    f->threads = 1;
    f->n_weights = 4 * c->layers + 1;
    int qd = c->heads * c->head_dim, kvd = c->kv_heads * c->head_dim;
    int qkvd = qd + 2 * kvd, ff = c->intermediate, L = c->layers;
    int maxk = c->hidden > qd ? c->hidden : qd;
    if (ff > maxk) maxk = ff;
    int maxn = qkvd > 2 * ff ? qkvd : 2 * ff;
    if (c->vocab > maxn) maxn = c->vocab;
    if (c->hidden > maxn) maxn = c->hidden;
    ALLOC(f->handle, f->n_weights); ALLOC(f->fw, f->n_weights);
    ALLOC(f->wK, f->n_weights); ALLOC(f->wN, f->n_weights);
    ALLOC(f->norm_attn, L); ALLOC(f->norm_ffn, L); ALLOC(f->norm_q, L); ALLOC(f->norm_k, L);
    ALLOC(f->norm_attn_sub, L); ALLOC(f->norm_ffn_sub, L); ALLOC(f->bias_qkv, L);
    ALLOC(f->x, c->hidden); ALLOC(f->xb, maxk); ALLOC(f->qkv, qkvd); ALLOC(f->att, qd);
    ALLOC(f->hb, 2 * ff); ALLOC(f->tmp, c->hidden); ALLOC(f->logits, c->vocab);
    ALLOC(f->scratch, f->max_ctx);
    ALLOC(f->kcache, (size_t)L * f->max_ctx * kvd); ALLOC(f->vcache, (size_t)L * f->max_ctx * kvd);
    ALLOC(f->xq, ecim_round_up(maxk, 32)); ALLOC(f->xs, ecim_round_up(maxk, 32) / 32);
    ALLOC(f->y64, maxn);
    f->ops_cap = slm_plan_count(c);
    if (f->ops_cap <= 0) { snprintf(err, errlen, "%s: the plan rejects this configuration", m->file.path); goto fail; }
    ALLOC(f->ops, f->ops_cap);
    if (!(f->norm_out = vec_of(m->output_norm))) goto oom;
    for (int l = 0; l < L; l++) {
        const model_layer_t *ly = &m->layers[l];
        if (!(f->norm_attn[l] = vec_of(ly->attn_norm)) || !(f->norm_ffn[l] = vec_of(ly->ffn_norm))) goto oom;
        f->norm_q[l] = vec_of(ly->q_norm);
        f->norm_k[l] = vec_of(ly->k_norm);
        f->norm_attn_sub[l] = vec_of(ly->attn_sub_norm);
        f->norm_ffn_sub[l] = vec_of(ly->ffn_sub_norm);
        if (ly->bq) {
            ALLOC(f->bias_qkv[l], qkvd);
            if (dequantize_row(ly->bq->type, ly->bq->data, f->bias_qkv[l], (size_t)qd) ||
                dequantize_row(ly->bk->type, ly->bk->data, f->bias_qkv[l] + qd, (size_t)kvd) ||
                dequantize_row(ly->bv->type, ly->bv->data, f->bias_qkv[l] + qd + kvd, (size_t)kvd))
                goto oom;
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
    free(f->handle); free(f->fw); free(f->wK); free(f->wN);
    free(f->norm_attn); free(f->norm_ffn); free(f->norm_q); free(f->norm_k);
    free(f->norm_attn_sub); free(f->norm_ffn_sub); free(f->bias_qkv); free(f->norm_out);
    free(f->x); free(f->xb); free(f->qkv); free(f->att); free(f->hb); free(f->tmp);
    free(f->logits); free(f->scratch); free(f->kcache); free(f->vcache);
    free(f->xq); free(f->xs); free(f->y64); free(f->ops);
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

/* Input and output vectors of each GEMV. */
static float *gemv_in(forward_t *f, slm_weight_t w)
{
    switch (w) {
    case SLM_W_O: return f->att;
    case SLM_W_DOWN: return f->hb;
    default: return f->xb; /* QKV, GATE_UP, LM_HEAD read the normed vector */
    }
}

static float *gemv_out(forward_t *f, slm_weight_t w)
{
    switch (w) {
    case SLM_W_QKV: return f->qkv;
    case SLM_W_GATE_UP: return f->hb;
    case SLM_W_LM_HEAD: return f->logits;
    default: return f->tmp; /* O, DOWN: added to the residual by the next ADD */
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
    const float *q, *k, *v;
    int ctx;
} attn_job_t;

/* One head; scratch is the running thread's. */
static void attention_item(void *arg, int h, int tid)
{
    const attn_job_t *j = arg;
    const slm_config_t *c = j->f->c;
    op_attention_heads(j->f->att, j->q, j->k, j->v, j->ctx, c->heads, c->kv_heads, c->head_dim, h, h + 1,
                       j->f->scratch + (size_t)tid * j->f->max_ctx);
}

static int run_gemv(forward_t *f, const slm_op_t *op, char *err, size_t errlen)
{
    int i = widx(f, op->layer, op->weight);
    if (f->wK[i] != op->k || f->wN[i] != op->n) {
        snprintf(err, errlen, "plan GEMV %s of layer %d is %dx%d but the model's is %dx%d",
                 slm_weight_name(op->weight), op->layer, op->n, op->k, f->wN[i], f->wK[i]);
        return -1;
    }
    float *y = gemv_out(f, op->weight);
    if (f->acc) {
        uint64_t c0 = 0, c1 = 0;
        if (f->st.cycles_valid) f->acc->cycles(f->acc->ctx, &c0);
        int rc = f->acc->gemv(f->acc->ctx, f->handle[i], op->k, op->n, f->xq, f->xs, NULL, 0, f->y64);
        if (rc != ACCEL_OK) {
            snprintf(err, errlen, "%s: gemv %s layer %d failed (%d)", f->acc->name, slm_weight_name(op->weight), op->layer, rc);
            return -1;
        }
        if (f->st.cycles_valid && f->acc->cycles(f->acc->ctx, &c1) == ACCEL_OK)
            f->st.gemv_cycles[op->weight] += c1 - c0;
        rows_job_t j = {.acc = f->y64, .y = y, .N = op->n};
        j.n_items = tpool_items(f->pool, op->n, 8192); /* below that, not worth waking the pool */
        tpool_run(f->pool, j.n_items, q24_item, &j);
        return 0;
    }
    rows_job_t j = {.w = f->fw[i], .x = gemv_in(f, op->weight), .y = y, .K = op->k, .N = op->n};
    j.n_items = tpool_items(f->pool, op->n, 16);
    tpool_run(f->pool, j.n_items, float_rows_item, &j);
    return 0;
}

int forward_step(forward_t *f, int token, int pos, sampler_t *sampler, int *next, char *err,
                 size_t errlen)
{
    const slm_config_t *c = f->c;
    if (pos < 0 || pos >= f->max_ctx) {
        snprintf(err, errlen, "position %d outside the context of %d", pos, f->max_ctx);
        return -1;
    }
    if (token < 0 || token >= c->vocab) {
        snprintf(err, errlen, "token %d outside the vocabulary of %d", token, c->vocab);
        return -1;
    }
    int n_ops = slm_plan_decode(c, pos, f->ops, f->ops_cap);
    if (n_ops < 0 || n_ops > f->ops_cap) {
        snprintf(err, errlen, "slm_plan_decode failed (%d)", n_ops);
        return -1;
    }
    int qd = c->heads * c->head_dim, kvd = c->kv_heads * c->head_dim;
    float eps = (float)c->rms_eps;
    for (int i = 0; i < n_ops; i++) {
        const slm_op_t *op = &f->ops[i];
        int l = op->layer;
        double t0 = now_s();
        switch (op->kind) {
        case SLM_OP_EMBED:
            if (op_embed(f->m->tok_embd, token, f->x)) { snprintf(err, errlen, "embedding lookup failed"); return -1; }
            break;
        case SLM_OP_RMSNORM:
            switch (op->norm) {
            case SLM_NORM_ATTN: op_rmsnorm(f->xb, f->x, f->norm_attn[l], c->hidden, eps); break;
            case SLM_NORM_FFN: op_rmsnorm(f->xb, f->x, f->norm_ffn[l], c->hidden, eps); break;
            case SLM_NORM_FINAL: op_rmsnorm(f->xb, f->x, f->norm_out, c->hidden, eps); break;
            case SLM_NORM_ATTN_SUB: op_rmsnorm(f->att, f->att, f->norm_attn_sub[l], qd, eps); break;
            case SLM_NORM_FFN_SUB: op_rmsnorm(f->hb, f->hb, f->norm_ffn_sub[l], c->intermediate, eps); break;
            default: snprintf(err, errlen, "unknown norm in plan"); return -1;
            }
            break;
        case SLM_OP_QUANT_ACT:
            if (i + 1 >= n_ops || f->ops[i + 1].kind != SLM_OP_GEMV) {
                snprintf(err, errlen, "plan: QUANT_ACT not followed by a GEMV");
                return -1;
            }
            if (f->acc) vec_quantize_activations(gemv_in(f, f->ops[i + 1].weight), op->len, f->xq, f->xs);
            break;
        case SLM_OP_GEMV: {
            int rc = run_gemv(f, op, err, errlen);
            if (rc) return rc;
            double dt = now_s() - t0;
            f->st.gemv_host_s[op->weight] += dt;
            f->st.gemv_calls[op->weight]++;
            break;
        }
        case SLM_OP_QKV_BIAS:
            if (f->bias_qkv[l]) op_add(f->qkv, f->bias_qkv[l], op->len);
            break;
        case SLM_OP_QK_NORM:
            op_head_rmsnorm(f->qkv, f->norm_q[l], c->heads, c->head_dim, eps);
            op_head_rmsnorm(f->qkv + qd, f->norm_k[l], c->kv_heads, c->head_dim, eps);
            break;
        case SLM_OP_ROPE:
            op_rope(f->qkv, c->heads, c->head_dim, pos, c->rope_theta, f->m->rope_neox, f->m->rope_freq_factors);
            op_rope(f->qkv + qd, c->kv_heads, c->head_dim, pos, c->rope_theta, f->m->rope_neox, f->m->rope_freq_factors);
            break;
        case SLM_OP_KV_WRITE: {
            size_t off = ((size_t)l * f->max_ctx + (size_t)pos) * kvd;
            memcpy(f->kcache + off, f->qkv + qd, (size_t)kvd * sizeof(float));
            memcpy(f->vcache + off, f->qkv + qd + kvd, (size_t)kvd * sizeof(float));
            break;
        }
        case SLM_OP_ATTENTION: {
            size_t off = (size_t)l * f->max_ctx * kvd;
            attn_job_t j = {f, f->qkv, f->kcache + off, f->vcache + off, op->ctx};
            tpool_run(f->pool, c->heads, attention_item, &j);
            break;
        }
        case SLM_OP_ADD: op_add(f->x, f->tmp, c->hidden); break;
        case SLM_OP_SILU_MUL: op_silu_mul(f->hb, f->hb, op->len); break;
        case SLM_OP_RELU2_MUL: op_relu2_mul(f->hb, f->hb, op->len); break;
        case SLM_OP_SAMPLE:
            if (sampler && next) *next = op_sample(sampler, f->logits, c->vocab);
            break;
        default:
            snprintf(err, errlen, "plan: unknown op kind %d", (int)op->kind);
            return -1;
        }
        f->st.host_s[op->kind] += now_s() - t0;
        f->st.calls[op->kind]++;
    }
    f->st.steps++;
    return 0;
}
