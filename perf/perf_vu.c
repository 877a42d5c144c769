/* SPDX-License-Identifier: Apache-2.0 */
/* Analytic timing of a vector op: the closed form of its slot program (cmodel/ecim_vu_prog.c,
 * docs/VECTOR_UNIT.md "The unit inside"), calibrated by `make calibrate` against the
 * cycle-exact C model. Per segment, pass and chunk of ce = VecBankBytes/8 elements:
 *
 *   LOAD    = latency + LOAD_FIXED + beats x cycles per beat      (a disabled slot: 1 cycle)
 *   COMPUTE = ceil(n / VecLanes) + VuPipe        SCALAR = VuPipe (last chunk of a pass, else 1)
 *   QSCALE  = ceil(n / 32) + VuPipe (1 + VuPipe for one row scale)   QCODES = ceil(n / VecLanes) + VuPipe
 *   STORE   = requests x latency + STORE_FIXED + beats x cycles per beat (requests of at most
 *             256 beats; a store slot ends when its last beat is written)
 *   SCATTER = writes x (latency + SCATTER_WRITE)  (one single-beat write at a time)
 *   total   = START_END + the slots
 * The op's shapes alone set every slot: the unit's timing never depends on the data. */
#include "perf_vu.h"

#include <math.h>
#include <stdio.h>

#include "ecim_desc.h"

/* Calibrated constants (make calibrate: cycle-exact C model). */
#define START_END 2.0     /* queue to the first slot, last slot to idle */
#define LOAD_FIXED 1.0    /* a load's request and FIFO pipeline beyond the DRAM latency */
#define STORE_FIXED -0.6  /* a store's request and handshake (the first beat overlaps the latency) */
#define SCATTER_WRITE 1.0 /* one single-beat write beyond the latency: its beat */

typedef struct {
  const ecim_hw_t *hw;
  double cpb, lat;   /* cycles per port beat, DRAM latency */
  double wlat;       /* a write's latency (perf_dram_write_latency) */
  double cyc, bytes; /* sums */
} acc_t;

static double beats(const acc_t *a, double bytes) { return ceil(bytes / a->hw->data_bytes); }

static void load(acc_t *a, double b0, double b1) {
  double w = (b0 > 0 ? beats(a, b0) : 0) + (b1 > 0 ? beats(a, b1) : 0);
  a->cyc += w > 0 ? a->lat + LOAD_FIXED + w * a->cpb : 1;
  a->bytes += w * a->hw->data_bytes;
}
/* A store of `bytes` starting `off` bytes into a beat. */
static void store(acc_t *a, double bytes, double off, int enabled) {
  if (!enabled) { a->cyc += 1; return; }
  double w = ceil((off + bytes) / a->hw->data_bytes);
  a->cyc += a->wlat * ceil(w / 256) + STORE_FIXED + w * a->cpb;
  a->bytes += bytes;
}
static double lanes_pass(const acc_t *a, double n) { return ceil(n / a->hw->vec_lanes) + ECIM_VU_PIPE; }
static void compute(acc_t *a, double n, int enabled) { a->cyc += enabled ? lanes_pass(a, n) : 1; }
static void scalar(acc_t *a, int enabled) { a->cyc += enabled ? ECIM_VU_PIPE : 1; }
/* QSCALE, QCODES, STORE, SSTORE of a chunk's output in format fmt. */
static void qss(acc_t *a, double n, int fmt, double st_off, int scale_store, double scale_bytes) {
  int qx = fmt == ECIM_VU_FMT_QX;
  a->cyc += qx ? ceil(n / 32) + ECIM_VU_PIPE : 1;
  a->cyc += qx ? lanes_pass(a, n) : 1;
  store(a, fmt == ECIM_VU_FMT_Q24 ? n * 8 : fmt == ECIM_VU_FMT_F32 ? n * 4 : n, st_off, 1);
  store(a, scale_bytes, 0, qx && scale_store);
}

static int out_fmt(const perf_vop_t *op) {
  return op->op == ECIM_CMD_OP_SOFTMAX ? ECIM_VU_FMT_QX : op->op == ECIM_CMD_OP_EMBED ? ECIM_VU_FMT_Q24 : op->out_fmt;
}

static void program(acc_t *a, const perf_vop_t *op) {
  const ecim_hw_t *hw = a->hw;
  const double len = op->len, es = op->x_f32 ? 4 : 8, ce = (double)ecim_chunk((uint64_t)hw->vec_bank_bytes);
  const int nch = (int)ceil(len / ce), multi = nch > 1, fmt = out_fmt(op);
  const double sc_bytes = (double)(ecim_kp((uint64_t)op->len) / 16), cols = hw->macro_cols;
  for (int s = 0; s < op->count; s++) {
    for (int ch = 0; ch < nch; ch++) {
      const double n = multi ? fmin(ce, len - ch * ce) : len;
      const int last = ch + 1 == nch;
      switch (op->op) {
        case ECIM_CMD_OP_EMBED:
          load(a, n, ch == 0 ? sc_bytes : 0), compute(a, n, 1), store(a, n * 8, 0, 1);
          break;
        case ECIM_CMD_OP_NORM:
          load(a, n * es, 0), compute(a, n, 1), scalar(a, last);
          break;
        case ECIM_CMD_OP_SOFTMAX:
          load(a, n * 8, 0), compute(a, n, 1), scalar(a, last);
          break;
        case ECIM_CMD_OP_GATE:
          load(a, n * es, n * es), compute(a, n, 1), qss(a, n, fmt, 0, last, sc_bytes);
          break;
        case ECIM_CMD_OP_QUANT: {
          double off = op->concat ? fmod(s * len, hw->data_bytes) : 0;
          double scb = op->concat ? (double)(ecim_kp((uint64_t)(len * op->count)) / 16) : sc_bytes;
          load(a, n * es, 0), compute(a, n, 1);
          qss(a, n, fmt, off, last && (!op->concat || s + 1 == op->count), scb);
          break;
        }
        default: break;
      }
    }
    /* the later passes */
    switch (op->op) {
      case ECIM_CMD_OP_NORM:
        for (int ch = 0; ch < nch; ch++) {
          const double n = multi ? fmin(ce, len - ch * ce) : len;
          load(a, multi ? n * es : 0, multi || s == 0 ? n * 4 : 0), compute(a, n, 1);
          qss(a, n, fmt, 0, ch + 1 == nch, sc_bytes);
        }
        break;
      case ECIM_CMD_OP_SOFTMAX:
        for (int pass = 1; pass < 3; pass++)
          for (int ch = 0; ch < nch; ch++) {
            const double n = multi ? fmin(ce, len - ch * ce) : len;
            load(a, multi ? n * 8 : 0, pass == 2 && op->vscale && (multi || s == 0) ? n * 4 : 0), compute(a, n, 1);
            if (pass == 1) scalar(a, ch + 1 == nch);
            else qss(a, n, fmt, 0, ch + 1 == nch, sc_bytes);
          }
        break;
      case ECIM_CMD_OP_ROPE:
        load(a, len * es, s == 0 ? len * 4 : 0), compute(a, len, 1), qss(a, len, fmt, 0, 1, sc_bytes);
        break;
      case ECIM_CMD_OP_KAPPEND: /* with QX_IN the codes and scales go straight to the row registers */
        if (op->qx_in) load(a, len, len / 16);
        else load(a, len * es, 0);
        compute(a, len, !op->qx_in);
        a->cyc += op->qx_in ? 2 : ceil(len / 32) + ECIM_VU_PIPE + lanes_pass(a, len);
        a->cyc += len / 32 * 9 * (a->wlat + SCATTER_WRITE), a->bytes += len / 32 * 9 * 4;
        break;
      case ECIM_CMD_OP_VAPPEND: {
        const double nnb = ceil(len / cols), per_nb = 2 * cols > hw->data_bytes ? 2 * cols / hw->data_bytes : 1;
        const double writes = 1 + (op->pos % 32 == 0 ? nnb * per_nb : 0);
        load(a, len * es, 0), compute(a, len, 1);
        a->cyc += 1 + ECIM_VU_PIPE + lanes_pass(a, len) + writes * (a->wlat + SCATTER_WRITE);
        a->bytes += 4 + (writes - 1) * fmin(2 * cols, hw->data_bytes);
        for (int nb = 0; nb < nnb; nb++) load(a, 8 * cols * 4, 0), compute(a, 8 * cols, 1), store(a, 8 * cols * 4, 0, 1);
        break;
      }
      default: break;
    }
  }
}

int perf_vu_check(const ecim_hw_t *hw, const perf_vop_t *op, char *err, size_t errlen) {
  ecim_cand_t c = {0};
  c.op = (uint32_t)op->op;
  c.k = (uint32_t)op->len;
  c.n = (uint32_t)op->count;
  c.flags = (uint32_t)out_fmt(op) << 1 | (op->concat ? 1u << 8 : 0);
  c.pos = (uint32_t)op->pos;
  c.p0 = (uint32_t)op->cap;
  c.stride = 256 * 1024; /* EMBED's row stride: above x_stride(LEN) */
  const char *why = NULL;
  if (op->op < ECIM_CMD_OP_EMBED || op->op > ECIM_CMD_OP_VAPPEND) why = "not a vector op";
  else if (op->len < 1 || op->count < 1) why = "empty";
  else if (op->len > ECIM_MAX_K) why = "LEN too large";
  else if ((op->op == ECIM_CMD_OP_KAPPEND || op->op == ECIM_CMD_OP_VAPPEND || op->op == ECIM_CMD_OP_ROPE) &&
           op->pos >= op->cap) why = "position past the capacity";
  else if (ecim_vu_shape_error(hw, &c)) why = "a shape the unit cannot run (VU_SHAPE)";
  if (why && err) snprintf(err, errlen, "vector op %d LEN %d COUNT %d: %s", op->op, op->len, op->count, why);
  return why ? -1 : 0;
}

double perf_vu_cycles(const ecim_hw_t *hw, const perf_dram_t *d, const perf_vop_t *op) {
  acc_t a = {hw, fmax(1.0, hw->data_bytes / fmax(d->bytes_per_cycle, 1e-6)) / (1 - d->stall_pct / 100), d->latency,
             perf_dram_write_latency(d), 0, 0};
  program(&a, op);
  return START_END + a.cyc;
}

double perf_vu_bytes(const ecim_hw_t *hw, const perf_vop_t *op) {
  acc_t a = {hw, 1, 0, 0, 0};
  program(&a, op);
  return a.bytes;
}
