/* SPDX-License-Identifier: Apache-2.0 */
/* The command list of one step, translated op by op from the shared layer list
 * (slm/slm_plan.h: slm_plan_decode, the list the host step and the performance model run), so
 * that the device, the host and the cost model cannot disagree on what a token is. The commands
 * of each plan op (docs/VECTOR_UNIT.md, "A decoder layer as commands"; docs/FIRMWARE.md, "The
 * device step"):
 *
 *   EMBED                         EMBED token -> residual (Q24)
 *   RMSNORM + QUANT_ACT           NORM(residual | att | g32, weight) -> xn (QX): the quantization fused
 *   GEMV QKV (+ QKV_BIAS)         GEMV -> qkv (Q24), the bias as the GEMV's BIAS
 *   QK_NORM (Qwen3)               NORM(q heads), NORM(k heads) -> qk32 (VF32)
 *   ROPE                          ROPE(q and k heads; NeoX by family) -> rq (QX per head)
 *   KV_WRITE                      (no ROPE in the layer, SmolLM3: QUANT q and k heads -> rq)
 *                                 KAPPEND(k heads of rq), VAPPEND(v heads of qkv, their scales)
 *   ATTENTION                     per KV head and batch of its query heads: GEMV scores (K cache,
 *                                 N_POS), SOFTMAX (LEN_POS, 1/sqrt(head_dim), VSCALE), GEMV ·V
 *                                 (V cache, K_POS, FULL_BLK, strided) -> att (Q24)
 *   QUANT_ACT (after ATTENTION)   QUANT(att heads, CONCAT) -> xn
 *   GEMV O / DOWN + ADD           GEMV with ACCUM into the residual: the add fused
 *   SILU_MUL / RELU2_MUL          GATE -> xn (QX, the next QUANT_ACT fused) or g32 (VF32, BitNet's
 *                                 sub-norm follows)
 *   SAMPLE                        nothing: the host reads the logits and samples
 *
 * The final RMSNORM and the LM head GEMV are the list's last DEV_STEP_HEAD_CMDS commands. Every
 * descriptor is position-independent: TOKEN_POS reaches K, N and LEN through the flags, the RoPE
 * row and the appends' column and row, so the one list serves every token. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dev_step_int.h"
#include "slm_plan.h"
#include "edgecim_regs.h"

#define UP256(v) ((uint32_t)(((uint64_t)(v) + 255) / 256 * 256))
#define GBIT(name) (EDGECIM_CMD_FLAGS_##name##_MASK << EDGECIM_CMD_FLAGS_##name##_LSB)
#define GFIELD(name, v) ((uint32_t)(v) << EDGECIM_CMD_FLAGS_##name##_LSB)
#define VBIT(name) (EDGECIM_VU_FLAGS_##name##_MASK << EDGECIM_VU_FLAGS_##name##_LSB)
#define VFIELD(name, v) ((uint32_t)(v) << EDGECIM_VU_FLAGS_##name##_LSB)
#define OUT_QX VFIELD(OUT_FMT, ECIM_VU_FMT_QX)
#define OUT_F32 VFIELD(OUT_FMT, ECIM_VU_FMT_F32)

typedef struct {
    dev_step_t *s;
    ds_shape_t d;
    int layer, failed;
    int rq_ready; /* the layer's q and k heads are in rq (ROPE ran) */
    const char *why; /* a plan the translation does not know (failed = 2) */
} emit_t;

static void emit(emit_t *e, const ecim_desc_t *d, const char *what)
{
    dev_step_t *s = e->s;
    if (s->n_cmds == s->cap_cmds) {
        int cap = s->cap_cmds ? 2 * s->cap_cmds : 256;
        ecim_desc_t *c = realloc(s->cmds, (size_t)cap * sizeof *c);
        dev_cmd_info_t *i = c ? realloc(s->info, (size_t)cap * sizeof *i) : NULL;
        if (c) s->cmds = c;
        if (!c || !i) { e->failed = 1; return; }
        s->info = i;
        s->cap_cmds = cap;
    }
    s->info[s->n_cmds] = (dev_cmd_info_t){e->layer, what};
    s->cmds[s->n_cmds++] = *d;
}

static uint32_t f32_bits(float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    return u;
}

/* ---- commands ------------------------------------------------------------------------------- */
static ecim_desc_t gemv_desc(uint32_t w, uint32_t x, uint32_t y, int k, int n, int wbits, int batch, uint32_t flags)
{
    ecim_desc_t d = {.w_addr = w, .x_addr = x, .y_addr = y, .k = (uint32_t)k, .n = (uint32_t)n, .op = ECIM_CMD_OP_GEMV,
                     .flags = flags | GFIELD(WBITS, wbits) | GFIELD(BATCH_M1, batch - 1)};
    return d;
}

static void gemv(emit_t *e, const char *what, uint32_t w, uint32_t x, uint32_t y, int k, int n, int wbits, int batch,
                 uint32_t flags)
{
    ecim_desc_t d = gemv_desc(w, x, y, k, n, wbits, batch, flags);
    emit(e, &d, what);
}

/* RMSNorm of count segments of len (stride apart) with weight w: eps and 1/len as VF32. */
static void norm(emit_t *e, const char *what, uint32_t src, uint32_t stride, int count, int len, uint32_t w, uint32_t dst,
                 uint32_t dstride, uint32_t flags)
{
    ecim_desc_t d = {.op = ECIM_CMD_OP_NORM, .w_addr = src, .x_addr = w, .y_addr = dst, .k = (uint32_t)len,
                     .n = (uint32_t)count, .flags = flags, .stride = stride, .dstride = dstride,
                     .p0 = f32_bits((float)e->s->f->c->rms_eps), .p1 = f32_bits(1.0f / (float)len)};
    emit(e, &d, what);
}

/* The residual normed with w into xn, quantized for the GEMV that follows. */
static void norm_residual(emit_t *e, const char *what, uint32_t w)
{
    norm(e, what, e->s->a.resid, 0, 1, e->d.H, w, e->s->a.xn, 0, OUT_QX);
}

/* ---- the ops of the plan -------------------------------------------------------------------- */
static void unknown(emit_t *e, const char *why)
{
    if (!e->failed) e->why = why;
    e->failed = 2;
}

/* QK_NORM: the q and k heads normed into qk32 (VF32). */
static void qk_norm(emit_t *e, const dev_layer_t *L)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    uint32_t s32 = UP256(4 * (uint64_t)d->hd), stride = (uint32_t)d->hd * 8;
    if (!L->q_norm) { unknown(e, "QK_NORM without q/k norm weights"); return; }
    norm(e, "NORM q heads", s->a.qkv, stride, d->nh, d->hd, L->q_norm, s->a.qk32, s32, OUT_F32);
    norm(e, "NORM k heads", s->a.qkv + (uint32_t)d->qd * 8, stride, d->nkv, d->hd, L->k_norm,
         s->a.qk32 + (uint32_t)d->nh * s32, s32, OUT_F32);
}

/* The q and k heads into rq, one quantized vector each: rotated (ROPE) or not (QUANT, the no-RoPE
 * layers of SmolLM3), from qk32 when QK_NORM normed them. */
static void qk_heads(emit_t *e, const dev_layer_t *L, int rope)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    uint32_t src = s->a.qkv, stride = (uint32_t)d->hd * 8, x_f32 = 0, segs = (uint32_t)(d->nh + d->nkv);
    if (L->q_norm) {
        src = s->a.qk32;
        stride = UP256(4 * (uint64_t)d->hd);
        x_f32 = VBIT(X_F32);
    }
    ecim_desc_t r = {.w_addr = src, .y_addr = s->a.rq, .k = (uint32_t)d->hd, .n = segs, .stride = stride,
                     .dstride = (uint32_t)ecim_x_stride((uint64_t)d->hd), .flags = x_f32 | OUT_QX};
    if (rope) {
        r.op = ECIM_CMD_OP_ROPE;
        r.x_addr = s->rope;
        r.p0 = (uint32_t)s->cap;
        r.p1 = s->rope_stride;
        if (s->f->rope_neox) r.flags |= VBIT(NEOX);
        emit(e, &r, "ROPE q and k heads");
    } else {
        r.op = ECIM_CMD_OP_QUANT;
        emit(e, &r, "QUANT q and k heads (no RoPE)");
    }
    e->rq_ready = 1;
}

/* KV_WRITE: this token's k (from rq) and v (from qkv) into every KV head's caches. */
static void appends(emit_t *e, const dev_layer_t *L)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    uint64_t R = (uint64_t)s->dev.hw.macro_rows, C = (uint64_t)s->dev.hw.macro_cols, cap = (uint64_t)s->cap;
    if (!e->rq_ready) qk_heads(e, L, 0);
    uint32_t xs = (uint32_t)ecim_x_stride((uint64_t)d->hd), k_bytes = UP256(ecim_kv_k_bytes(cap, (uint64_t)d->hd, R, C));
    uint32_t v_bytes = UP256(ecim_kv_v_bytes(cap, (uint64_t)d->hd, R, C));
    ecim_desc_t k = {.op = ECIM_CMD_OP_KAPPEND, .w_addr = s->a.rq + (uint32_t)d->nh * xs, .y_addr = L->kv,
                     .k = (uint32_t)d->hd, .n = (uint32_t)d->nkv, .stride = xs, .dstride = s->head_bytes,
                     .p0 = (uint32_t)cap, .flags = VBIT(QX_IN)};
    emit(e, &k, "KAPPEND");
    ecim_desc_t v = {.op = ECIM_CMD_OP_VAPPEND, .w_addr = s->a.qkv + (uint32_t)(d->qd + d->kvd) * 8,
                     .x_addr = L->kv + k_bytes + v_bytes, .y_addr = L->kv + k_bytes, .k = (uint32_t)d->hd,
                     .n = (uint32_t)d->nkv, .stride = (uint32_t)d->hd * 8, .dstride = s->head_bytes,
                     .p0 = (uint32_t)cap, .p1 = s->head_bytes};
    emit(e, &v, "VAPPEND");
}

/* Query heads [h0, h0 + n) of KV head kh: scores, softmax, ·V into att. */
static void attend(emit_t *e, const dev_layer_t *L, int kh, int h0, int n)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    uint64_t R = (uint64_t)s->dev.hw.macro_rows, C = (uint64_t)s->dev.hw.macro_cols, cap = (uint64_t)s->cap;
    uint32_t head = L->kv + (uint32_t)kh * s->head_bytes, k_bytes = UP256(ecim_kv_k_bytes(cap, (uint64_t)d->hd, R, C));
    uint32_t v_bytes = UP256(ecim_kv_v_bytes(cap, (uint64_t)d->hd, R, C));
    uint32_t xs = (uint32_t)ecim_x_stride((uint64_t)d->hd), ys = (uint32_t)ecim_y_stride((uint64_t)d->hd, C);
    gemv(e, "GEMV scores (K cache)", head, s->a.rq + (uint32_t)h0 * xs, s->a.scores, d->hd, 1, 8, n,
         GBIT(KV_W) | GBIT(N_POS));
    ecim_desc_t p = {.op = ECIM_CMD_OP_SOFTMAX, .w_addr = s->a.scores, .x_addr = head + k_bytes + v_bytes,
                     .y_addr = s->a.probs, .k = 1, .n = (uint32_t)n, .flags = OUT_QX | VBIT(LEN_POS) | VBIT(VSCALE),
                     .p0 = f32_bits(1.0f / sqrtf((float)d->hd))};
    emit(e, &p, "SOFTMAX");
    ecim_desc_t o = {.op = ECIM_CMD_OP_GEMV, .w_addr = head + k_bytes, .x_addr = s->a.probs,
                     .y_addr = s->a.att + (uint32_t)h0 * ys, .k = 1, .n = (uint32_t)d->hd,
                     .stride = (uint32_t)ecim_full_colblock_bytes(cap, R, C, 8),
                     .flags = GBIT(KV_W) | GBIT(K_POS) | GBIT(FULL_BLK) | GFIELD(WBITS, 8) | GFIELD(BATCH_M1, n - 1)};
    emit(e, &o, "GEMV ·V (V cache)");
}

static void attention(emit_t *e, const dev_layer_t *L)
{
    const ds_shape_t *d = &e->d;
    dev_step_t *s = e->s;
    for (int kh = 0; kh < d->nkv; kh++)
        for (int j = 0; j < d->G; j += s->head_batch)
            attend(e, L, kh, kh * d->G + j, d->G - j < s->head_batch ? d->G - j : s->head_batch);
    e->rq_ready = 0;
}

/* RMSNORM, quantized for the GEMV that follows (the plan's next op is its QUANT_ACT). */
static void rmsnorm(emit_t *e, const dev_layer_t *L, slm_norm_t which)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    switch (which) {
    case SLM_NORM_ATTN: norm_residual(e, "NORM attn_norm", L->attn_norm); break;
    case SLM_NORM_FFN: norm_residual(e, "NORM ffn_norm", L->ffn_norm); break;
    case SLM_NORM_FINAL: norm_residual(e, "NORM output_norm", s->out_norm); break;
    /* BitNet: the heads are one vector (head_dim a multiple of MacroCols: ds_unsupported) */
    case SLM_NORM_ATTN_SUB: norm(e, "NORM attn_sub_norm", s->a.att, 0, 1, d->qd, L->attn_sub_norm, s->a.xn, 0, OUT_QX); break;
    case SLM_NORM_FFN_SUB:
        norm(e, "NORM ffn_sub_norm", s->a.g32, 0, 1, d->ff, L->ffn_sub_norm, s->a.xn, 0, VBIT(X_F32) | OUT_QX);
        break;
    default: unknown(e, "an RMSNORM of no known weight");
    }
}

/* QUANT_ACT not fused into a norm or a gate: the attention heads as one vector. */
static void quant_heads(emit_t *e)
{
    dev_step_t *s = e->s;
    const ds_shape_t *d = &e->d;
    uint32_t ys = (uint32_t)ecim_y_stride((uint64_t)d->hd, (uint64_t)s->dev.hw.macro_cols);
    ecim_desc_t q = {.op = ECIM_CMD_OP_QUANT, .w_addr = s->a.att, .y_addr = s->a.xn, .k = (uint32_t)d->hd,
                     .n = (uint32_t)d->nh, .stride = ys, .flags = VBIT(CONCAT) | OUT_QX};
    emit(e, &q, "QUANT heads (CONCAT)");
}

/* SILU_MUL / RELU2_MUL: into xn quantized when the next GEMV reads it (fused), else VF32 into g32. */
static void gate(emit_t *e, int relu2, int quantized)
{
    dev_step_t *s = e->s;
    if (!quantized && !s->a.g32) { unknown(e, "a gate whose output is neither a GEMV's input nor BitNet's sub-norm's"); return; }
    ecim_desc_t g = {.op = ECIM_CMD_OP_GATE, .w_addr = s->a.gu, .x_addr = s->a.gu + (uint32_t)e->d.ff * 8,
                     .y_addr = quantized ? s->a.xn : s->a.g32, .k = (uint32_t)e->d.ff, .n = 1,
                     .flags = VFIELD(GATE, relu2 ? ECIM_VU_GATE_RELU2 : ECIM_VU_GATE_SILU) | (quantized ? OUT_QX : OUT_F32)};
    emit(e, &g, relu2 ? "GATE ReLU²" : "GATE SiLU");
}

/* GEMV op: its matrix, input xn, output by kind; bias / accumulate: the plan's next op fused. Each
 * matrix at its own precision (a Q4_K_M file mixes INT4 and INT8 layers). */
static void gemv_op(emit_t *e, const dev_layer_t *L, const slm_op_t *op, int bias, int accum)
{
    dev_step_t *s = e->s;
    int w = op->weight == SLM_W_LM_HEAD ? 4 * e->d.L : 4 * op->layer + (int)op->weight;
    if (op->weight < SLM_W_QKV || op->weight > SLM_W_LM_HEAD || w < 0 || w >= s->f->n_weights) {
        unknown(e, "a GEMV of no known matrix");
        return;
    }
    int wb = s->f->wbits_w[w];
    switch (op->weight) {
    case SLM_W_QKV: {
        ecim_desc_t d = gemv_desc(L->w_qkv, s->a.xn, s->a.qkv, op->k, op->n, wb, 1, bias ? GBIT(BIAS) : 0);
        d.b_addr = bias ? L->qkv_bias : 0;
        emit(e, &d, bias ? "GEMV QKV + bias" : "GEMV QKV");
        return;
    }
    case SLM_W_O: gemv(e, "GEMV O", L->w_o, s->a.xn, s->a.resid, op->k, op->n, wb, 1, accum ? GBIT(ACCUM) : 0); break;
    case SLM_W_GATE_UP: gemv(e, "GEMV GATE_UP", L->w_gate_up, s->a.xn, s->a.gu, op->k, op->n, wb, 1, 0); break;
    case SLM_W_DOWN: gemv(e, "GEMV DOWN", L->w_down, s->a.xn, s->a.resid, op->k, op->n, wb, 1, accum ? GBIT(ACCUM) : 0); break;
    case SLM_W_LM_HEAD: gemv(e, "GEMV LM head", s->w_lm_head, s->a.xn, s->a.logits, op->k, op->n, wb, 1, 0); break;
    default: unknown(e, "a GEMV of no known matrix"); return;
    }
    if ((op->weight == SLM_W_O || op->weight == SLM_W_DOWN) != (accum != 0))
        unknown(e, "a residual ADD not right after the O or down GEMV");
}

/* Op i of the plan (n ops); returns the ops it consumed (the fused ones after it too). */
static int translate(emit_t *e, const slm_op_t *ops, int i, int n)
{
    const slm_op_t *op = &ops[i];
    slm_op_kind_t next = i + 1 < n ? ops[i + 1].kind : SLM_OP_KIND_COUNT;
    dev_step_t *s = e->s;
    if (op->layer >= e->d.L) { unknown(e, "a layer out of range"); return 1; }
    const dev_layer_t *L = op->layer >= 0 ? &s->layer[op->layer] : NULL;
    e->layer = op->layer;
    switch (op->kind) {
    case SLM_OP_EMBED: {
        ecim_desc_t em = {.op = ECIM_CMD_OP_EMBED, .w_addr = s->embed, .y_addr = s->a.resid, .k = (uint32_t)e->d.H, .n = 1,
                          .stride = (uint32_t)ecim_x_stride((uint64_t)e->d.H), .p0 = (uint32_t)e->d.V};
        emit(e, &em, "EMBED");
        return 1;
    }
    case SLM_OP_RMSNORM:
        if (next != SLM_OP_QUANT_ACT) { unknown(e, "an RMSNORM whose output no GEMV reads"); return 1; }
        rmsnorm(e, L, op->norm);
        return 2;
    case SLM_OP_QUANT_ACT: quant_heads(e); return 1;
    case SLM_OP_GEMV: {
        int bias = next == SLM_OP_QKV_BIAS, accum = next == SLM_OP_ADD;
        if (bias && !(L && L->qkv_bias)) { unknown(e, "a QKV_BIAS without a bias"); return 1; }
        gemv_op(e, L, op, bias, accum);
        return 1 + bias + accum;
    }
    case SLM_OP_QK_NORM: qk_norm(e, L); return 1;
    case SLM_OP_ROPE: qk_heads(e, L, 1); return 1;
    case SLM_OP_KV_WRITE: appends(e, L); return 1;
    case SLM_OP_ATTENTION: attention(e, L); return 1;
    case SLM_OP_SILU_MUL:
    case SLM_OP_RELU2_MUL:
        gate(e, op->kind == SLM_OP_RELU2_MUL, next == SLM_OP_QUANT_ACT);
        return next == SLM_OP_QUANT_ACT ? 2 : 1;
    case SLM_OP_SAMPLE: return 1; /* the host's */
    default: unknown(e, "a QKV_BIAS or ADD with no GEMV before it"); return 1;
    }
}

int ds_build_list(dev_step_t *s, const char **why)
{
    emit_t e = {s, ds_shape(s), -1, 0, 0, NULL};
    const slm_config_t *c = s->f->c;
    int n = slm_plan_decode(c, 0, NULL, 0);
    slm_op_t *ops = n > 0 ? malloc((size_t)n * sizeof *ops) : NULL;
    *why = NULL;
    if (!ops || slm_plan_decode(c, 0, ops, n) != n) {
        free(ops);
        *why = n > 0 ? NULL : "the shared layer list refuses the model's configuration";
        return -1;
    }
    for (int i = 0; i < n && !e.failed;) i += translate(&e, ops, i, n);
    free(ops);
    if (e.failed == 2) *why = e.why;
    return e.failed ? -1 : 0;
}
