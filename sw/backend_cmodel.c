/* SPDX-License-Identifier: Apache-2.0 */
/* Backend "cmodel": the cycle-exact C model of edgecim_top with its DRAM model, in process.
 * A bus access is one cycle of ecim_top_run_cycle(); a read's data comes back on the next
 * cycle (mmio_rvalid), so a read costs two cycles, as on the RTL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "dram_model.h"
#include "edgecim_model.h"

uint32_t edgecim_backend_dram_bytes(const edgecim_backend_cfg_t *cfg)
{
    if (cfg && cfg->dram_bytes) return cfg->dram_bytes;
    const char *env = getenv("EDGECIM_DRAM_MB");
    if (!env || !*env) return EDGECIM_DRAM_DEFAULT_BYTES;
    char *end;
    unsigned long mb = strtoul(env, &end, 10);
    if (*end || mb == 0 || mb > 4095) return 0; /* MEM_LIMIT is a 32-bit register */
    return (uint32_t)(mb << 20);
}

int edgecim_backend_dram_cfg(const edgecim_backend_cfg_t *cfg, int data_bytes, dram_cfg_t *dc, char *err,
                             size_t errlen)
{
    edgecim_backend_cfg_t d = {0};
    if (!cfg) cfg = &d;
    uint32_t size = edgecim_backend_dram_bytes(cfg);
    if (!size) {
        snprintf(err, errlen, "EDGECIM_DRAM_MB must be a number of MiB in 1..4095");
        return -1;
    }
    *dc = (dram_cfg_t){size, data_bytes, cfg->bytes_per_cycle > 0 ? cfg->bytes_per_cycle : data_bytes,
                       cfg->latency > 0 ? cfg->latency : EDGECIM_DRAM_DEFAULT_LATENCY, cfg->stall_pct, 8, cfg->seed,
                       cfg->posted_writes};
    return dram_cfg_check(dc, err, errlen);
}

typedef struct {
    ecim_top_t *top;
    dram_model_t *dram;
    uint64_t cycles;
    int irq;        /* irq_o in the last simulated cycle */
    int faulted;
    char fault[200];
} cm_t;

static void cm_cycle(cm_t *c, int valid, int write, uint32_t addr, uint32_t wdata, ecim_top_out_t *o)
{
    if (ecim_top_run_cycle(c->top, c->dram, valid, write, addr, wdata, o) && !c->faulted) {
        c->faulted = 1;
        snprintf(c->fault, sizeof c->fault, "DRAM model: %s", dram_error(c->dram));
    }
    c->irq = o->irq;
    c->cycles++;
}

static uint32_t cm_read32(void *ctx, uint32_t off)
{
    cm_t *c = ctx;
    ecim_top_out_t o;
    cm_cycle(c, 1, 0, off, 0, &o);
    cm_cycle(c, 0, 0, 0, 0, &o);
    if (!o.mmio_rvalid && !c->faulted) {
        c->faulted = 1;
        snprintf(c->fault, sizeof c->fault, "no mmio_rvalid one cycle after a read of 0x%02x", off);
    }
    return o.mmio_rdata;
}

static void cm_write32(void *ctx, uint32_t off, uint32_t v)
{
    ecim_top_out_t o;
    cm_cycle(ctx, 1, 1, off, v, &o);
}

static int cm_wait(void *ctx, uint64_t max_cycles)
{
    cm_t *c = ctx;
    ecim_top_out_t o;
    for (uint64_t i = 0; i < max_cycles && !c->irq && !c->faulted; i++) cm_cycle(c, 0, 0, 0, 0, &o);
    return c->irq;
}

static uint8_t *cm_dram(void *ctx, size_t *size)
{
    cm_t *c = ctx;
    if (size) *size = dram_cfg(c->dram)->size;
    return dram_mem(c->dram);
}

static uint64_t cm_cycles(void *ctx) { return ((cm_t *)ctx)->cycles; }

static void cm_unit_cycles(void *ctx, uint64_t *gemv, uint64_t *vu)
{
    ecim_top_stats_t s;
    ecim_top_stats(((cm_t *)ctx)->top, &s);
    *gemv = s.gemv;
    *vu = s.vu;
}

static const char *cm_fault(void *ctx)
{
    cm_t *c = ctx;
    return c->faulted ? c->fault : NULL;
}

/* EDGECIM_OP_CYCLES=1 (a debug aid): at the end, the C model's cycles per command class on
 * stderr (edgecim_model.h: ecim_top_stats_t), to set beside the analytic model's per-op figures
 * (edgecim perf --breakdown). span: from a command's start to the next one's; run: of which its
 * unit ran; the rest is the hand-off. */
static void cm_print_op_cycles(const cm_t *c)
{
    const char *env = getenv("EDGECIM_OP_CYCLES");
    if (!env || !*env || !strcmp(env, "0")) return;
    ecim_top_stats_t s;
    ecim_top_stats(c->top, &s);
    if (!s.busy) return;
    fprintf(stderr, "op-cycles: %llu cycles, %llu busy\n", (unsigned long long)c->cycles, (unsigned long long)s.busy);
    fprintf(stderr, "op-cycles: %-8s %8s %12s %12s %10s\n", "class", "cmds", "span", "run", "gap/cmd");
    for (int i = 0; i < ECIM_OPC_COUNT; i++) {
        if (!s.op_span[i]) continue;
        double n = s.op_cmds[i] ? (double)s.op_cmds[i] : 1;
        fprintf(stderr, "op-cycles: %-8s %8llu %12llu %12llu %10.2f\n", ecim_op_class_name(i),
                (unsigned long long)s.op_cmds[i], (unsigned long long)s.op_span[i], (unsigned long long)s.op_run[i],
                (double)(s.op_span[i] - s.op_run[i]) / n);
    }
}

static void cm_destroy(void *ctx)
{
    cm_t *c = ctx;
    if (!c) return;
    if (c->top) cm_print_op_cycles(c);
    ecim_top_free(c->top);
    dram_free(c->dram);
    free(c);
}

int edgecim_backend_cmodel_open(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err, size_t errlen)
{
    const ecim_hw_t *tc = edgecim_backend_hw(cfg);
    dram_cfg_t dc;
    if (edgecim_backend_dram_cfg(cfg, tc->data_bytes, &dc, err, errlen)) return -1;
    cm_t *c = calloc(1, sizeof *c);
    if (c) c->top = ecim_top_new(tc);
    if (c) c->dram = dram_new(&dc);
    if (!c || !c->top || !c->dram) {
        cm_destroy(c);
        snprintf(err, errlen, "cmodel backend: out of memory (DRAM of %u bytes)", dc.size);
        return -1;
    }
    ecim_top_reset(c->top);
    *m = (edgecim_mmio_t){.ctx = c, .read32 = cm_read32, .write32 = cm_write32, .wait = cm_wait,
                          .dram = cm_dram, .cycles = cm_cycles, .fault = cm_fault, .unit_cycles = cm_unit_cycles, .destroy = cm_destroy,
                          .name = "cmodel"};
    return 0;
}
