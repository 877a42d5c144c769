/* SPDX-License-Identifier: Apache-2.0 */
/* Bring-up of the EdgeCIM driver (register map v2) on one MMIO backend, in the order a chip is
 * brought up:
 *   regs     reset values (ID, HWCFG, HWCFG2, ...), read/write, an unmapped address,
 *            edgecim_dif_init (every build parameter decoded), BAD_ID, UNSUPPORTED
 *   dma      data moves DRAM -> device -> DRAM: a permutation-matrix GEMV gives back x reordered
 *   gemv     GEMVs through the accel layer, every precision up to MaxWBits, batches of one to
 *            several waves of commands, bias, accumulate, vs ecim_gemv_ref on the host layout;
 *            resident load/use through the DIF
 *   verdict  thousands of random and corner descriptors: edgecim_dif_gemv_check's verdict is
 *            the device's ERR_CODE (refused with the same code, or accepted), on every named
 *            hardware configuration the backend has
 *   layer    the QKV projection of layer 0 of a tiny mkmodel model vs cmodel-functional
 *   model    decode steps of the tiny model: logits bit-identical to the reference backend
 *            (cmodel: cmodel-functional; rtl: cmodel, whose GEMV cycle counts must match too);
 *            the same tokens as one batched prefill: the same bits, fewer GEMV calls and cycles
 *   errors   bad arguments refused with the device's code and no bus access (counted), device
 *            errors (OUT_OF_RANGE, QUEUE_OVERFLOW) surfaced as EDGECIM_DEVICE_ERROR and cleared,
 *            TIMEOUT, the accel layer's refusals, DRAM exhausted by matrices and by vectors
 * Usage: test_drv --backend cmodel|rtl --work DIR [--hw NAME] [--seed N] [--steps N]
 *                 [--verdicts N] [--only NAME] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "backend.h"
#include "ecim_gemv.h"
#include "edgecim_dif.h"
#include "forward.h"
#include "mkmodel.h"
#include "model.h"
#include "quant.h"
#include "rng.h"

static int fails;
static const char *backend = "cmodel", *work = "build/drv/work", *hw_name = "default";
static const ecim_hw_t *hw; /* the configuration under test */
static uint64_t seed = 1;
static int steps = 10, verdicts = 3000;
#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fails++;                                                                         \
            printf("FAIL %s:%d [%s %s seed=%" PRIu64 "]: ", __FILE__, __LINE__, backend, hw_name, seed); \
            printf(__VA_ARGS__);                                                             \
            printf("\n");                                                                    \
        }                                                                                    \
    } while (0)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "test_drv: out of memory\n");
        exit(2);
    }
    return p;
}

static edgecim_backend_cfg_t backend_cfg(const ecim_hw_t *h, uint32_t dram_bytes)
{
    return (edgecim_backend_cfg_t){.dram_bytes = dram_bytes, .hw = h};
}

static int open_mmio(const ecim_hw_t *h, uint32_t dram_bytes, edgecim_mmio_t *m)
{
    char err[256];
    edgecim_backend_cfg_t cfg = backend_cfg(h, dram_bytes);
    if (edgecim_backend_open(backend, &cfg, m, err, sizeof err)) {
        CHECK(0, "open backend: %s", err);
        return -1;
    }
    return 0;
}

static int open_dif(edgecim_mmio_t *m, edgecim_dif_t *dif)
{
    if (open_mmio(hw, 0, m)) return -1;
    edgecim_status_t s = edgecim_dif_init(dif, m, 0);
    CHECK(s == EDGECIM_OK, "edgecim_dif_init: %s", edgecim_status_name(s));
    return s == EDGECIM_OK ? 0 : -1;
}

static int create_accel(const ecim_hw_t *h, uint32_t dram_bytes, ecim_accel_t *a)
{
    edgecim_backend_cfg_t cfg = backend_cfg(h, dram_bytes);
    int rc = accel_create_cfg(backend, &cfg, a);
    CHECK(rc == ACCEL_OK, "accel_create_cfg(%s): %d", backend, rc);
    return rc;
}

/* A random matrix in the host layout: wbits-bit weights (3% the most negative), zero beyond K;
 * scales 2^-7 .. 2^0, a fifth of them negative. */
static uint8_t *random_host_matrix(rng_t *r, int K, int N, int wbits)
{
    int kp = (int)ecim_kp((uint64_t)K), lo = -(1 << (wbits - 1)), span = 1 << wbits;
    int8_t *vals = xcalloc((size_t)kp, 1);
    uint16_t *sc = xcalloc((size_t)kp / ECIM_GROUP, sizeof *sc);
    uint8_t *host = xcalloc(ecim_packed_bytes(K, N, wbits), 1);
    for (int n = 0; n < N; n++) {
        for (int k = 0; k < kp; k++)
            vals[k] = (int8_t)(k >= K ? 0 : rng_below(r, 100) < 3 ? lo : lo + (int)rng_below(r, (uint32_t)span));
        for (int g = 0; g < kp / ECIM_GROUP; g++)
            sc[g] = (uint16_t)((8 + rng_below(r, 8)) << 10 | rng_below(r, 1024) | (rng_below(r, 5) ? 0 : 0x8000));
        ecim_fmt_pack_rows(vals, sc, K, 1, host, n, wbits);
    }
    free(vals);
    free(sc);
    return host;
}

/* batch activation vectors, Kp codes and Kp/32 scales each. */
static void random_x(rng_t *r, int K, int batch, int8_t *xq, uint16_t *xs)
{
    int kp = (int)ecim_kp((uint64_t)K);
    for (int b = 0; b < batch; b++) {
        for (int k = 0; k < kp; k++) xq[(size_t)b * kp + k] = k < K ? (int8_t)((int)rng_below(r, 255) - 127) : 0;
        for (int g = 0; g < kp / ECIM_GROUP; g++)
            xs[(size_t)b * (kp / ECIM_GROUP) + g] = (uint16_t)((10 + rng_below(r, 6)) << 10 | rng_below(r, 1024));
    }
}

static int64_t random_q24(rng_t *r, int shift) { return (int64_t)(rng_u64(r) >> shift) - (int64_t)(1ull << (63 - shift)); }

/* ecim_gemv_ref for each vector of a batch (the accel layout: Kp, Kp/32 and N apart). */
static void ref_batch(const uint8_t *host, int K, int N, int wbits, int batch, const int8_t *xq, const uint16_t *xs,
                      const int64_t *bias, int accumulate, int64_t *y)
{
    int kp = (int)ecim_kp((uint64_t)K);
    for (int b = 0; b < batch; b++)
        ecim_gemv_ref(host, K, N, wbits, xq + (size_t)b * kp, xs + (size_t)b * (kp / ECIM_GROUP), bias, accumulate,
                      y + (size_t)b * N);
}

/* The first differing index of two int64 vectors, -1 if none. */
static long first_diff(const int64_t *a, const int64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return (long)i;
    return -1;
}

/* A matrix converted to the device layout of the DIF's hardware and copied to DRAM. */
static uint32_t load_dev_matrix(edgecim_dif_t *dif, const uint8_t *host, int K, int N, int wbits)
{
    size_t bytes = ecim_dev_bytes(&dif->hw.geom, K, N, wbits);
    uint8_t *dev = xcalloc(bytes, 1);
    ecim_dev_from_host(&dif->hw.geom, host, K, N, wbits, dev);
    uint32_t a = 0;
    CHECK(edgecim_dif_alloc(dif, bytes, &a) == EDGECIM_OK && edgecim_dif_dram_write(dif, a, dev, bytes) == EDGECIM_OK,
          "load a %dx%d matrix into device DRAM", N, K);
    free(dev);
    return a;
}

/* One activation vector in the device's layout at a fresh DRAM address. */
static uint32_t load_x(edgecim_dif_t *dif, const int8_t *xq, const uint16_t *xs, int K)
{
    size_t bytes = (size_t)edgecim_dif_x_stride((uint32_t)K);
    uint8_t *x = xcalloc(bytes, 1);
    ecim_fmt_pack_x(xq, xs, K, x);
    uint32_t a = 0;
    CHECK(edgecim_dif_alloc(dif, bytes, &a) == EDGECIM_OK && edgecim_dif_dram_write(dif, a, x, bytes) == EDGECIM_OK,
          "load x (K=%d)", K);
    free(x);
    return a;
}

/* The first N outputs of the vector at addr. */
static void read_y(edgecim_dif_t *dif, uint32_t addr, int64_t *y, int N)
{
    uint8_t *b = xcalloc((size_t)N, 8);
    CHECK(edgecim_dif_dram_read(dif, addr, b, (size_t)N * 8) == EDGECIM_OK, "read y");
    for (int n = 0; n < N; n++) y[n] = ecim_get_le64(b + 8 * n);
    free(b);
}

/* ---- regs ------------------------------------------------------------------------------- */
/* A bus with no device (reads all ones) or with a device whose HWCFG reads 0 (no legal build). */
static uint32_t no_device_read(void *ctx, uint32_t off) { (void)ctx; (void)off; return 0xFFFFFFFFu; }
static uint32_t bad_hwcfg_read(void *ctx, uint32_t off) { (void)ctx; return off == EDGECIM_REG_ID ? EDGECIM_ID_VALUE : 0; }
static void fake_write(void *ctx, uint32_t off, uint32_t v) { (void)ctx; (void)off; (void)v; }
static int fake_wait(void *ctx, uint64_t n) { (void)ctx; (void)n; return 0; }
static uint64_t fake_cycles(void *ctx) { (void)ctx; return 0; }

static void check_reset_values(edgecim_mmio_t *m)
{
    const struct { uint32_t off, val; const char *name; } reset[] = {
        {EDGECIM_REG_ID, EDGECIM_ID_VALUE, "ID"}, {EDGECIM_REG_HWCFG, ecim_hwcfg_pack(hw), "HWCFG"},
        {EDGECIM_REG_HWCFG2, ecim_hwcfg2_pack(hw), "HWCFG2"}, {EDGECIM_REG_HWCFG3, ecim_hwcfg3_pack(hw), "HWCFG3"},
        {EDGECIM_REG_CTRL, 0, "CTRL"}, {EDGECIM_REG_CMD_OP, 0, "CMD_OP"}, {EDGECIM_REG_LIST_DONE, 0, "LIST_DONE"},
        {EDGECIM_REG_TOKEN_POS, 0, "TOKEN_POS"}, {EDGECIM_REG_KV_LIMIT, 0, "KV_LIMIT"},
        {EDGECIM_REG_STATUS, 0, "STATUS"}, {EDGECIM_REG_ERR_CODE, 0, "ERR_CODE"}, {EDGECIM_REG_IRQ_STATUS, 0, "IRQ_STATUS"},
        {EDGECIM_REG_MEM_LIMIT, hw->mem_bytes, "MEM_LIMIT"}, {EDGECIM_REG_CMDS_DONE, 0, "CMDS_DONE"},
        {EDGECIM_REG_CMD_K, 0, "CMD_K"}, {EDGECIM_REG_CMD_FLAGS, 0, "CMD_FLAGS"}};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) {
        uint32_t v = edgecim_mmio_read32(m, reset[i].off);
        CHECK(v == reset[i].val, "reset value of %s: 0x%08x, expected 0x%08x", reset[i].name, v, reset[i].val);
    }
}

static void check_cycles_and_rw(edgecim_mmio_t *m)
{
    uint32_t lo1 = edgecim_mmio_read32(m, EDGECIM_REG_CYCLES_LO), hi1 = edgecim_mmio_read32(m, EDGECIM_REG_CYCLES_HI);
    uint32_t lo2 = edgecim_mmio_read32(m, EDGECIM_REG_CYCLES_LO);
    uint64_t sim = m->cycles(m->ctx);
    CHECK(hi1 == 0 && lo2 == lo1 + 4, "CYCLES: %u then %u (hi %u): a read takes 2 cycles", lo1, lo2, hi1);
    CHECK(lo2 < sim && lo2 + 4 >= sim, "CYCLES %u vs %" PRIu64 " simulated", lo2, sim);
    rng_t r;
    rng_seed(&r, seed);
    static const uint32_t rw[] = {EDGECIM_REG_CMD_W_ADDR, EDGECIM_REG_CMD_X_ADDR, EDGECIM_REG_CMD_Y_ADDR,
                                  EDGECIM_REG_CMD_B_ADDR, EDGECIM_REG_CMD_K,      EDGECIM_REG_CMD_N,
                                  EDGECIM_REG_CMD_FLAGS,  EDGECIM_REG_MEM_LIMIT};
    for (size_t i = 0; i < sizeof rw / sizeof rw[0]; i++) {
        uint32_t w = (uint32_t)rng_u64(&r);
        edgecim_mmio_write32(m, rw[i], w);
        uint32_t v = edgecim_mmio_read32(m, rw[i]);
        CHECK(v == w, "register 0x%02x: wrote 0x%08x, read 0x%08x", rw[i], w, v);
    }
    edgecim_mmio_write32(m, EDGECIM_REG_CTRL, 3);
    uint32_t v = edgecim_mmio_read32(m, EDGECIM_REG_CTRL);
    CHECK(v == 1, "CTRL after writing IRQ_EN|CLEAR_ERR: 0x%x, expected 1 (CLEAR_ERR reads 0)", v);
    edgecim_mmio_write32(m, EDGECIM_REG_CTRL, 0);
    v = edgecim_mmio_read32(m, 0xFC);
    CHECK(v == 0, "unmapped address read 0x%x", v);
    v = edgecim_mmio_read32(m, EDGECIM_REG_ERR_CODE);
    CHECK(v == EDGECIM_ERR_BAD_ADDRESS, "ERR_CODE after an unmapped read: %u", v);
    CHECK(m->fault(m->ctx) == NULL, "backend fault: %s", m->fault(m->ctx));
}

/* edgecim_dif_init on a fresh device: every build parameter as the configuration has it. */
static void check_init_decodes(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    size_t dram_size = 0;
    m.dram(m.ctx, &dram_size);
    CHECK(!memcmp(&dif.hw.cfg, hw, sizeof *hw), "HWCFG/HWCFG2/MEM_LIMIT decoded as another build than '%s'", hw_name);
    CHECK(dif.hw.geom.rows == hw->macro_rows && dif.hw.geom.cols == hw->macro_cols, "geometry %dx%d", dif.hw.geom.rows,
          dif.hw.geom.cols);
    uint32_t max_k = (uint32_t)(hw->act_bytes < ECIM_MAX_K ? hw->act_bytes : ECIM_MAX_K);
    CHECK(dif.hw.max_k == max_k, "max_k %u, expected min(ActBytes, MaxK) = %u", dif.hw.max_k, max_k);
    CHECK(dif.mem_limit == dram_size / EDGECIM_ALIGN * EDGECIM_ALIGN, "MEM_LIMIT %u, DRAM %zu", dif.mem_limit, dram_size);
    edgecim_mmio_close(&m);
}

static void test_regs(void)
{
    edgecim_mmio_t m;
    if (open_mmio(hw, 0, &m)) return;
    check_reset_values(&m);
    check_cycles_and_rw(&m);
    /* the driver's bring-up on a device with an error pending and dirty registers */
    edgecim_dif_t dif;
    uint32_t dirty_limit = edgecim_mmio_read32(&m, EDGECIM_REG_MEM_LIMIT);
    edgecim_status_t s = edgecim_dif_init(&dif, &m, 0);
    CHECK(s == EDGECIM_OK, "edgecim_dif_init: %s", edgecim_status_name(s));
    ecim_hw_t want = *hw;
    want.mem_bytes = dirty_limit; /* what MEM_LIMIT held when init read it */
    CHECK(!memcmp(&dif.hw.cfg, &want, sizeof want), "build parameters decoded wrong on a dirty device");
    uint32_t e = 1, st = 1, irq = 1;
    edgecim_dif_error_read(&dif, &e);
    edgecim_dif_status(&dif, &st);
    edgecim_dif_irq_status(&dif, &irq);
    CHECK(e == 0 && st == 0 && irq == 0, "after init: ERR_CODE %u STATUS 0x%x IRQ_STATUS 0x%x", e, st, irq);
    uint64_t cy0 = 0, cy1 = 0;
    edgecim_dif_cycles(&dif, &cy0);
    edgecim_dif_cycles(&dif, &cy1);
    CHECK(cy1 == cy0 + 4, "edgecim_dif_cycles: %" PRIu64 " then %" PRIu64, cy0, cy1);
    uint32_t max_k = dif.hw.max_k;
    edgecim_mmio_close(&m);
    check_init_decodes();
    /* no device (the bus reads all ones): BAD_ID after a single read */
    edgecim_mmio_t fake = {.read32 = no_device_read, .write32 = fake_write, .wait = fake_wait, .cycles = fake_cycles};
    s = edgecim_dif_init(&dif, &fake, 1u << 20);
    CHECK(s == EDGECIM_BAD_ID && fake.n_reads == 1 && fake.n_writes == 0, "no device: %s after %" PRIu64 " reads",
          edgecim_status_name(s), fake.n_reads);
    /* an EdgeCIM whose build parameters are no legal build: UNSUPPORTED, nothing written */
    fake = (edgecim_mmio_t){.read32 = bad_hwcfg_read, .write32 = fake_write, .wait = fake_wait, .cycles = fake_cycles};
    s = edgecim_dif_init(&dif, &fake, 1u << 20);
    CHECK(s == EDGECIM_UNSUPPORTED && fake.n_writes == 0 && !dif.ready, "HWCFG 0: %s after %" PRIu64 " writes",
          edgecim_status_name(s), fake.n_writes);
    printf("regs: reset values, read/write, unmapped address, init decodes every build parameter of '%s' "
           "(max_k %u), BAD_ID, UNSUPPORTED\n", hw_name, max_k);
}

/* ---- dma -------------------------------------------------------------------------------- */
/* W[n][perm[n]] = 1 with unit scales: y = x reordered. */
static uint8_t *permutation_matrix(const int *perm, int K, int N)
{
    int kp = (int)ecim_kp((uint64_t)K);
    uint8_t *host = xcalloc(ecim_packed_bytes(K, N, 4), 1);
    int8_t *row = xcalloc((size_t)kp, 1);
    uint16_t *sc = xcalloc((size_t)kp / ECIM_GROUP, sizeof *sc);
    for (int g = 0; g < kp / ECIM_GROUP; g++) sc[g] = 0x3C00; /* 1.0 */
    for (int n = 0; n < N; n++) {
        memset(row, 0, (size_t)kp);
        row[perm[n]] = 1;
        ecim_fmt_pack_rows(row, sc, K, 1, host, n, 4);
    }
    free(row);
    free(sc);
    return host;
}

static void test_dma(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    enum { K = 64, N = 63, GUARD = 256 };
    rng_t r;
    rng_seed(&r, seed + 1);
    int perm[N];
    for (int n = 0; n < N; n++) perm[n] = n;
    for (int n = N - 1; n > 0; n--) {
        int j = (int)rng_below(&r, (uint32_t)n + 1), t = perm[n];
        perm[n] = perm[j];
        perm[j] = t;
    }
    uint8_t *host = permutation_matrix(perm, K, N);
    int8_t xq[K];
    uint16_t xs[K / ECIM_GROUP] = {0x3C00, 0x3C00};
    for (int k = 0; k < K; k++) xq[k] = (int8_t)((int)rng_below(&r, 255) - 127);
    uint32_t wa = load_dev_matrix(&dif, host, K, N, 4), xa = load_x(&dif, xq, xs, K), ya = 0;
    size_t yspan = (size_t)edgecim_dif_y_stride(&dif.hw.geom, N) + GUARD;
    uint8_t *sentinel = xcalloc(yspan, 1), *y = xcalloc(yspan, 1);
    memset(sentinel, 0xA5, yspan);
    CHECK(edgecim_dif_alloc(&dif, yspan, &ya) == EDGECIM_OK, "alloc y");
    CHECK(wa % EDGECIM_ALIGN == 0 && xa % EDGECIM_ALIGN == 0 && ya % EDGECIM_ALIGN == 0 && wa >= EDGECIM_DIF_HEAP_BASE,
          "addresses 0x%x 0x%x 0x%x not 256-byte aligned", wa, xa, ya);
    edgecim_dif_dram_write(&dif, ya, sentinel, yspan);
    edgecim_dif_irq_enable(&dif, 1);
    edgecim_gemv_desc_t d = {wa, xa, ya, 0, K, N, EDGECIM_GEMV_WBITS(4)};
    edgecim_status_t s = edgecim_dif_gemv_submit(&dif, &d);
    CHECK(s == EDGECIM_OK, "submit: %s", edgecim_status_name(s));
    int irq = m.wait(m.ctx, 100000);
    CHECK(irq, "no interrupt within 100000 cycles");
    uint32_t ist = 0, done = 0;
    edgecim_dif_irq_status(&dif, &ist);
    CHECK(ist == (EDGECIM_IRQ_STATUS_DONE | EDGECIM_IRQ_STATUS_IDLE), "IRQ_STATUS 0x%x, expected DONE and IDLE", ist);
    s = edgecim_dif_wait_idle(&dif, 1000);
    CHECK(s == EDGECIM_OK, "wait_idle: %s", edgecim_status_name(s));
    edgecim_dif_cmds_done(&dif, &done);
    CHECK(done == 1, "CMDS_DONE %u", done);
    edgecim_dif_dram_read(&dif, ya, y, yspan);
    int bad = 0;
    for (int n = 0; n < N && bad < 5; n++) {
        int64_t v = ecim_get_le64(y + 8 * n), want = (int64_t)xq[perm[n]] * (1 << 24);
        if (v != want) {
            bad++;
            CHECK(0, "y[%d] = %" PRId64 ", expected x[%d] = %d << 24", n, v, perm[n], xq[perm[n]]);
        }
    }
    CHECK(!memcmp(y + 8 * N, sentinel, yspan - 8 * N), "bytes after y[N-1] were written (padding outputs, strobes)");
    printf("dma: %d-output permutation GEMV moved x through DRAM and back%s; y padding and guard untouched\n", N,
           bad ? " WRONGLY" : "");
    free(host), free(sentinel), free(y);
    edgecim_mmio_close(&m);
}

/* ---- gemv ------------------------------------------------------------------------------- */
/* What edgecim_dif_init reads from a device of configuration h. */
static edgecim_hwinfo_t hwinfo_of(const ecim_hw_t *h)
{
    edgecim_hwinfo_t i = {*h, ecim_geom_of(h), (uint32_t)(h->act_bytes < ECIM_MAX_K ? h->act_bytes : ECIM_MAX_K)};
    return i;
}

enum { B_CMD = -1, B_WAVES = -2 }; /* batches: the most one command takes; two waves and a bit */

typedef struct {
    int K, N, wbits, batch, bias, accum;
} gemv_case_t;

/* The case's batch for this hardware. */
static int case_batch(const gemv_case_t *c)
{
    edgecim_hwinfo_t info = hwinfo_of(hw);
    int per_cmd = edgecim_dif_max_batch(&info, (uint32_t)c->K);
    if (c->batch == B_CMD) return per_cmd;
    if (c->batch == B_WAVES) return 2 * per_cmd * hw->queue_depth + 3;
    return c->batch;
}

typedef struct {
    gemv_case_t c;
    int batch;
    uint8_t *host;
    int8_t *xq;
    uint16_t *xs;
    int64_t *bias, *y, *ref;
    uint64_t handle;
} gemv_run_t;

static void gemv_run_init(gemv_run_t *g, const gemv_case_t *c, rng_t *r)
{
    int kp = (int)ecim_kp((uint64_t)c->K);
    memset(g, 0, sizeof *g);
    g->c = *c;
    g->batch = case_batch(c);
    size_t ny = (size_t)g->batch * c->N;
    g->host = random_host_matrix(r, c->K, c->N, c->wbits);
    g->xq = xcalloc((size_t)g->batch * kp, 1);
    g->xs = xcalloc((size_t)g->batch * kp / ECIM_GROUP, sizeof *g->xs);
    g->bias = xcalloc((size_t)c->N, 8);
    g->y = xcalloc(ny, 8);
    g->ref = xcalloc(ny, 8);
    random_x(r, c->K, g->batch, g->xq, g->xs);
    for (int n = 0; n < c->N; n++) g->bias[n] = random_q24(r, 20);
    for (size_t i = 0; i < ny; i++) g->y[i] = g->ref[i] = random_q24(r, 16);
    ref_batch(g->host, c->K, c->N, c->wbits, g->batch, g->xq, g->xs, c->bias ? g->bias : NULL, c->accum, g->ref);
}

static void gemv_run_free(gemv_run_t *g)
{
    free(g->host), free(g->xq), free(g->xs), free(g->bias), free(g->y), free(g->ref);
}

/* Every case loaded first (matrices of every precision side by side in DRAM), then run. */
static int accel_cases(const gemv_case_t *cases, int n_cases)
{
    ecim_accel_t a;
    if (create_accel(hw, 0, &a)) return 0;
    rng_t r;
    rng_seed(&r, seed + 2);
    gemv_run_t *g = xcalloc((size_t)n_cases, sizeof *g);
    int n_ok = 0;
    for (int i = 0; i < n_cases; i++) {
        gemv_run_init(&g[i], &cases[i], &r);
        int rc = a.load_matrix(a.ctx, g[i].host, cases[i].K, cases[i].N, cases[i].wbits, &g[i].handle);
        CHECK(rc == ACCEL_OK && g[i].handle % EDGECIM_ALIGN == 0, "load_matrix %dx%d w%d: %d", cases[i].N, cases[i].K,
              cases[i].wbits, rc);
    }
    for (int i = 0; i < n_cases; i++) {
        const gemv_case_t *c = &cases[i];
        uint64_t c0 = 0, c1 = 0;
        a.cycles(a.ctx, &c0);
        int rc = a.gemv(a.ctx, g[i].handle, g[i].batch, g[i].xq, g[i].xs, c->bias ? g[i].bias : NULL, c->accum, g[i].y);
        a.cycles(a.ctx, &c1);
        long bad = first_diff(g[i].y, g[i].ref, (size_t)g[i].batch * c->N);
        CHECK(rc == ACCEL_OK && bad < 0, "K=%d N=%d w%d batch=%d bias=%d accum=%d: rc %d, vector %ld y[%ld] = %" PRId64
              ", ecim_gemv_ref %" PRId64, c->K, c->N, c->wbits, g[i].batch, c->bias, c->accum, rc,
              bad < 0 ? 0 : bad / c->N, bad < 0 ? 0 : bad % c->N, bad < 0 ? 0 : g[i].y[bad], bad < 0 ? 0 : g[i].ref[bad]);
        n_ok += rc == ACCEL_OK && bad < 0;
        printf("gemv K=%5d N=%4d w%d batch=%2d bias=%d accum=%d: %s, %" PRIu64 " cycles\n", c->K, c->N, c->wbits,
               g[i].batch, c->bias, c->accum, rc == ACCEL_OK && bad < 0 ? "bit-exact" : "MISMATCH", c1 - c0);
        gemv_run_free(&g[i]);
    }
    free(g);
    a.destroy(a.ctx);
    return n_ok;
}

/* RES_LOAD computes and keeps the matrix; RES_USE (a batch) computes with it, W erased. */
static void resident_through_dif(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (hw->nres == 0 || open_dif(&m, &dif)) {
        if (hw->nres == 0) printf("gemv: resident skipped (NRes = 0)\n");
        return;
    }
    int K = hw->macro_rows < 88 ? hw->macro_rows : 88, N = 59, wbits = hw->max_wbits, kp = (int)ecim_kp((uint64_t)K);
    int batch = edgecim_dif_max_batch(&dif.hw, (uint32_t)K) >= 2 ? 2 : 1;
    rng_t r;
    rng_seed(&r, seed + 5);
    uint8_t *host = random_host_matrix(&r, K, N, wbits);
    int8_t *xq = xcalloc((size_t)batch * kp, 1);
    uint16_t *xs = xcalloc((size_t)batch * kp / ECIM_GROUP, 2);
    random_x(&r, K, batch, xq, xs);
    int64_t *ref = xcalloc((size_t)batch * N, 8), *y = xcalloc((size_t)batch * N, 8);
    ref_batch(host, K, N, wbits, batch, xq, xs, NULL, 0, ref);
    uint32_t wa = load_dev_matrix(&dif, host, K, N, wbits), xa = load_x(&dif, xq, xs, K), ya = 0;
    if (batch == 2) load_x(&dif, xq + kp, xs + kp / ECIM_GROUP, K); /* the allocator keeps x_stride */
    uint64_t ys = edgecim_dif_y_stride(&dif.hw.geom, (uint32_t)N);
    edgecim_dif_alloc(&dif, edgecim_dif_y_bytes(&dif.hw.geom, (uint32_t)N, batch), &ya);
    edgecim_gemv_desc_t d = {wa, xa, ya, 0, (uint32_t)K, (uint32_t)N, EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_WBITS(wbits)};
    edgecim_status_t s = edgecim_dif_gemv_submit(&dif, &d);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(&dif, 100000);
    read_y(&dif, ya, y, N);
    int load_ok = first_diff(y, ref, (size_t)N) < 0;
    uint8_t *zero = xcalloc(ecim_dev_bytes(&dif.hw.geom, K, N, wbits), 1); /* the resident run must not read W */
    edgecim_dif_dram_write(&dif, wa, zero, ecim_dev_bytes(&dif.hw.geom, K, N, wbits));
    d.flags = EDGECIM_GEMV_RES_USE | EDGECIM_GEMV_WBITS(wbits) | EDGECIM_GEMV_BATCH(batch);
    if (s == EDGECIM_OK) s = edgecim_dif_gemv_submit(&dif, &d);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(&dif, 100000);
    for (int b = 0; b < batch; b++) read_y(&dif, ya + (uint32_t)(b * ys), y + (size_t)b * N, N);
    CHECK(s == EDGECIM_OK, "resident: %s", edgecim_status_name(s));
    CHECK(load_ok && first_diff(y, ref, (size_t)batch * N) < 0, "resident load/use differ from ecim_gemv_ref");
    printf("gemv: resident load + use (batch %d, %d-bit) bit-exact\n", batch, wbits);
    free(host), free(xq), free(xs), free(ref), free(y), free(zero);
    edgecim_mmio_close(&m);
}

static void test_gemv(void)
{
    int R = hw->macro_rows, C = hw->macro_cols, W8 = hw->max_wbits, kfill = hw->act_bytes / 2 - 7;
    const gemv_case_t cases[] = {
        {1, 1, 4, 1, 0, 0},          {32, 32, 2, 1, 0, 0},         {R, C, 4, 1, 1, 0},
        {200, 45, W8, 1, 0, 1},      {333, 77, 4, 2, 1, 1},        {R + 2, C + 1, 2, 3, 0, 0},
        {64, 3 * C - 1, W8, B_CMD, 1, 1}, {64, 40, 4, B_WAVES, 1, 0}, {896, 130, 4, 5, 1, 0},
        {1000, 7, 2, 1, 0, 0},       {kfill, 2 * C, 4, 3, 0, 1},   {(int)hwinfo_of(hw).max_k, 5, 2, 1, 1, 0},
    };
    int n = (int)(sizeof cases / sizeof cases[0]);
    int n_ok = accel_cases(cases, n);
    printf("gemv: %d/%d cases bit-exact vs ecim_gemv_ref (precisions 2..%d, batches up to several waves)\n", n_ok, n, W8);
    resident_through_dif();
}

/* ---- verdict ---------------------------------------------------------------------------- */
/* Descriptors are a small valid one with mutations applied: each mutator has variants, most of
 * them at a rule's boundary (just fitting, one past it).  Corners: every variant alone and
 * every pair of variants of two mutators (the device's order of checks); then random ones. */
enum { MUT_K, MUT_N, MUT_UNDEF, MUT_RES, MUT_WBITS, MUT_BATCH, MUT_FILL, MUT_W, MUT_X, MUT_Y, MUT_B, MUT_BIAS, N_MUT };
static const int mut_variants[N_MUT] = {5, 4, 4, 6, 7, 4, 2, 5, 5, 5, 5, 3};
#define VERDICT_LIMIT 0x10000u /* MEM_LIMIT of the verdicts: a command the device takes is short */

static uint32_t set_field(uint32_t flags, uint32_t lsb, uint32_t mask, uint32_t v)
{
    return (flags & ~(mask << lsb)) | (v & mask) << lsb;
}

/* The device's reading of the sizes of d (truncated as the queue would), for the address edges. */
static uint64_t buffer_bytes(const edgecim_hwinfo_t *h, const edgecim_gemv_desc_t *d, int which)
{
    uint32_t k = d->k & 0xFFFF, n = d->n & 0xFFFFFF;
    int wbits = edgecim_gemv_flags_wbits(d->flags), batch = edgecim_gemv_flags_batch(d->flags);
    if (!ecim_wbits_ok(wbits)) wbits = 8;
    switch (which) {
    case MUT_W: return edgecim_dif_w_bytes(&h->geom, k, n, wbits);
    case MUT_X: return edgecim_dif_x_bytes(k, batch);
    case MUT_Y: return edgecim_dif_y_bytes(&h->geom, n, batch);
    default: return edgecim_dif_b_bytes(&h->geom, n);
    }
}

static void mutate_addr(const edgecim_hwinfo_t *h, uint32_t limit, edgecim_gemv_desc_t *d, int which, int v, rng_t *r)
{
    uint32_t *a = which == MUT_W ? &d->w_addr : which == MUT_X ? &d->x_addr : which == MUT_Y ? &d->y_addr : &d->b_addr;
    uint64_t end = (uint64_t)limit / EDGECIM_ALIGN * EDGECIM_ALIGN, bytes = buffer_bytes(h, d, which);
    uint32_t edge = bytes <= end ? (uint32_t)(end - bytes) : 0;
    switch (v) {
    case 0: *a += 1 + rng_below(r, EDGECIM_ALIGN - 1); break; /* misaligned */
    case 1: *a = edge; break;                                  /* ends at the limit */
    case 2: *a = edge + EDGECIM_ALIGN; break;                  /* one unit past it */
    case 3: *a = (uint32_t)rng_u64(r); break;
    default: *a = 0xFFFFFF00u; break;                          /* no wrap-around past 2^32 */
    }
}

static void mutate_res(const edgecim_hwinfo_t *h, edgecim_gemv_desc_t *d, int v)
{
    uint64_t blocks = ecim_tile_blocks(d->k & 0xFFFF, d->n & 0xFFFFFF, (uint64_t)h->geom.rows, (uint64_t)h->geom.cols,
                                       (uint64_t)h->cfg.ntiles);
    uint32_t fit = blocks <= (uint64_t)h->cfg.nres ? (uint32_t)(h->cfg.nres - blocks) : 0;
    static const uint32_t kinds[] = {EDGECIM_GEMV_RES_LOAD, EDGECIM_GEMV_RES_USE,
                                     EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_RES_USE, EDGECIM_GEMV_RES_LOAD,
                                     EDGECIM_GEMV_RES_USE, EDGECIM_GEMV_RES_LOAD};
    const uint32_t base[] = {0, 0, 0, (uint32_t)h->cfg.nres, fit, 255};
    d->flags = (d->flags & ~(EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_RES_USE)) | kinds[v];
    d->flags = set_field(d->flags, EDGECIM_CMD_FLAGS_RES_BASE_LSB, EDGECIM_CMD_FLAGS_RES_BASE_MASK, base[v]);
}

static void mutate(const edgecim_hwinfo_t *h, uint32_t limit, edgecim_gemv_desc_t *d, int m, int v, rng_t *r)
{
    int batch = edgecim_gemv_flags_batch(d->flags), fit = edgecim_dif_max_batch(h, d->k);
    switch (m) {
    case MUT_K: {
        const uint32_t k[] = {0, h->max_k, h->max_k + 1, 0x10000, (uint32_t)rng_u64(r)};
        d->k = k[v];
        break;
    }
    case MUT_N: {
        const uint32_t n[] = {0, ECIM_MAX_N, ECIM_MAX_N + 1, (uint32_t)rng_u64(r)};
        d->n = n[v];
        break;
    }
    case MUT_UNDEF: {
        static const int bit[] = {4, 20, 28, 31};
        d->flags |= 1u << bit[v];
        break;
    }
    case MUT_RES: mutate_res(h, d, v); break;
    case MUT_WBITS: {
        const uint32_t w[] = {0, 2, 8, 3, 1, 15, (uint32_t)h->cfg.max_wbits};
        d->flags = set_field(d->flags, EDGECIM_CMD_FLAGS_WBITS_LSB, EDGECIM_CMD_FLAGS_WBITS_MASK, w[v]);
        break;
    }
    case MUT_BATCH: {
        const int b[] = {fit ? fit : 1, fit + 1, 16, h->cfg.max_batch};
        d->flags = set_field(d->flags, EDGECIM_CMD_FLAGS_BATCH_M1_LSB, EDGECIM_CMD_FLAGS_BATCH_M1_MASK, (uint32_t)b[v] - 1);
        break;
    }
    case MUT_FILL: /* K that fills the activation buffer with the batch, or one past it */
        d->k = (uint32_t)(h->cfg.act_bytes / batch) + (uint32_t)v;
        break;
    case MUT_BIAS: {
        const uint32_t f[] = {EDGECIM_GEMV_BIAS, 0, EDGECIM_GEMV_ACCUM};
        d->flags = v == 1 ? d->flags & ~EDGECIM_GEMV_BIAS : d->flags | f[v];
        break;
    }
    default: mutate_addr(h, limit, d, m, v, r); break;
    }
}

/* A small descriptor the device takes: K <= 256, N <= 64, its buffers apart below 0x10000. */
static edgecim_gemv_desc_t valid_desc(const edgecim_hwinfo_t *h, rng_t *r)
{
    static const int wb[] = {2, 4, 8};
    uint32_t k = 1 + rng_below(r, 256), n = 1 + rng_below(r, 64);
    int wbits = wb[rng_below(r, h->cfg.max_wbits >= 8 ? 3 : 2)];
    int batch = 1 + (int)rng_below(r, (uint32_t)edgecim_dif_max_batch(h, k));
    uint32_t flags = EDGECIM_GEMV_WBITS(wbits == 4 && rng_below(r, 2) ? 0 : wbits) | EDGECIM_GEMV_BATCH(batch) |
                     (rng_below(r, 2) ? EDGECIM_GEMV_BIAS : 0) | (rng_below(r, 3) ? 0 : EDGECIM_GEMV_ACCUM);
    uint32_t slot = EDGECIM_ALIGN * rng_below(r, 8);
    edgecim_gemv_desc_t d = {0x1000 + slot, 0x6000 + slot, 0x8000 + slot, 0xA000 + slot, k, n, flags};
    return d;
}

typedef struct {
    edgecim_dif_t dif;
    long count[EDGECIM_ERR_COUNT];
    long mismatches, total;
} verdicts_t;

/* The driver's verdict on d, then the device's. */
static void compare_verdict(verdicts_t *v, const edgecim_gemv_desc_t *d, const char *what)
{
    uint32_t want = 99, got = 99;
    edgecim_status_t cs = edgecim_dif_gemv_check(&v->dif, d, &want);
    edgecim_status_t ps = edgecim_dif_gemv_push_unchecked(&v->dif, d, &got);
    if (ps == EDGECIM_OK && got == EDGECIM_ERR_NONE) ps = edgecim_dif_wait_idle(&v->dif, 1000000);
    int same = ps == EDGECIM_OK && want == got && (cs == EDGECIM_OK) == (want == EDGECIM_ERR_NONE);
    if (!same && v->mismatches++ < 10)
        CHECK(0, "%s descriptor W 0x%x X 0x%x Y 0x%x B 0x%x K %u N %u FLAGS 0x%x (MEM_LIMIT 0x%x): driver %s (%s), "
                 "device %s (%s)", what, d->w_addr, d->x_addr, d->y_addr, d->b_addr, d->k, d->n, d->flags,
              v->dif.mem_limit, edgecim_err_name(want), edgecim_status_name(cs), edgecim_err_name(got),
              edgecim_status_name(ps));
    if (got < EDGECIM_ERR_COUNT) v->count[got]++;
    v->total++;
}

/* Every variant alone, and (pairs) every two variants of two mutators, on a fresh valid base. */
static void corner_verdicts(verdicts_t *v, rng_t *r, int pairs)
{
    const edgecim_hwinfo_t *h = &v->dif.hw;
    for (int m1 = 0; m1 < N_MUT; m1++)
        for (int v1 = 0; v1 < mut_variants[m1]; v1++) {
            edgecim_gemv_desc_t d = valid_desc(h, r);
            mutate(h, v->dif.mem_limit, &d, m1, v1, r);
            compare_verdict(v, &d, "corner");
            for (int m2 = m1 + 1; pairs && m2 < N_MUT; m2++)
                for (int v2 = 0; v2 < mut_variants[m2]; v2++) {
                    edgecim_gemv_desc_t e = valid_desc(h, r);
                    mutate(h, v->dif.mem_limit, &e, m1, v1, r);
                    mutate(h, v->dif.mem_limit, &e, m2, v2, r);
                    compare_verdict(v, &e, "corner pair");
                }
        }
}

/* n descriptors with 0 to 3 random mutations each (a quarter of them unmutated: accepted). */
static void random_verdicts(verdicts_t *v, rng_t *r, int n)
{
    const edgecim_hwinfo_t *h = &v->dif.hw;
    for (int i = 0; i < n; i++) {
        edgecim_gemv_desc_t d = valid_desc(h, r);
        int muts = (int)rng_below(r, 4);
        for (int j = 0; j < muts; j++) {
            int m = (int)rng_below(r, N_MUT);
            mutate(h, v->dif.mem_limit, &d, m, (int)rng_below(r, (uint32_t)mut_variants[m]), r);
        }
        compare_verdict(v, &d, "random");
    }
}

/* One configuration: corners at an aligned MEM_LIMIT, random ones at an aligned and at an
 * unaligned one.  Returns the mismatches. */
static long verdicts_on(const ecim_hw_t *h, const char *name, int n_random, int pairs)
{
    edgecim_mmio_t m;
    verdicts_t v;
    memset(&v, 0, sizeof v);
    if (open_mmio(h, 1u << 20, &m)) return 1;
    rng_t r;
    rng_seed(&r, seed + 6);
    edgecim_status_t s = edgecim_dif_init(&v.dif, &m, VERDICT_LIMIT);
    if (s == EDGECIM_OK) corner_verdicts(&v, &r, pairs);
    if (s == EDGECIM_OK) random_verdicts(&v, &r, n_random / 2);
    if (s == EDGECIM_OK) s = edgecim_dif_init(&v.dif, &m, VERDICT_LIMIT + 100);
    if (s == EDGECIM_OK) random_verdicts(&v, &r, n_random - n_random / 2);
    CHECK(s == EDGECIM_OK, "%s: init: %s", name, edgecim_status_name(s));
    printf("verdict %-7s: %ld descriptors, driver == device on %ld;", name, v.total, v.total - v.mismatches);
    for (int c = 0; c < EDGECIM_ERR_COUNT; c++)
        if (v.count[c]) printf(" %s %ld", edgecim_err_name((unsigned)c), v.count[c]);
    printf("\n");
    /* the rules the driver checks must all have been hit, and acceptance too */
    static const int codes[] = {EDGECIM_ERR_NONE,         EDGECIM_ERR_ZERO_SIZE,   EDGECIM_ERR_MISALIGNED,
                                EDGECIM_ERR_OUT_OF_RANGE, EDGECIM_ERR_TOO_LARGE,   EDGECIM_ERR_BAD_FLAGS,
                                EDGECIM_ERR_BAD_PRECISION, EDGECIM_ERR_BAD_BATCH};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK(v.count[codes[i]] > 0, "%s: no descriptor gave %s", name, edgecim_err_name((unsigned)codes[i]));
    CHECK(h->nres == 0 || v.count[EDGECIM_ERR_RESIDENT_RANGE] > 0, "%s: no descriptor gave RESIDENT_RANGE", name);
    edgecim_mmio_close(&m);
    return v.mismatches;
}

static void test_verdict(void)
{
    long bad = verdicts_on(hw, hw_name, verdicts, verdicts >= 1000);
    /* the C model takes every configuration: the others with fewer descriptors */
    for (int i = 0; !strcmp(backend, "cmodel") && i < ECIM_HW_N_CONFIGS; i++)
        if (memcmp(&ECIM_HW_CONFIGS[i].hw, hw, sizeof *hw))
            bad += verdicts_on(&ECIM_HW_CONFIGS[i].hw, ECIM_HW_CONFIGS[i].name, verdicts / 4, 1);
    printf("verdict: %ld mismatches between edgecim_dif_gemv_check and the device's ERR_CODE\n", bad);
}

/* ---- layer and model -------------------------------------------------------------------- */
static int make_model(char *path, size_t len)
{
    mkdir(work, 0777);
    snprintf(path, len, "%s/tiny-qwen2.5.gguf", work);
    slm_config_t c = *slm_preset_find("qwen2.5-0.5b");
    c.hidden = 128, c.intermediate = 256, c.layers = 2, c.heads = 4, c.kv_heads = 2, c.head_dim = 32, c.vocab = 400;
    char err[256] = "";
    if (mkmodel_write(&c, GGML_TYPE_Q4_0, seed, path, 0, err, sizeof err)) {
        CHECK(0, "mkmodel: %s", err);
        return -1;
    }
    return 0;
}

static const char *ref_backend(void) { return strcmp(backend, "cmodel") ? "cmodel" : "cmodel-functional"; }

/* The tiny model on the backend under test (h) and on a reference backend (r). */
typedef struct {
    model_t mod;
    ecim_accel_t ah, ar;
    forward_t fh, fr;
} pair_t;

static int pair_open(pair_t *p, const char *ref, int ctx)
{
    char path[512], err[512] = "";
    memset(p, 0, sizeof *p);
    edgecim_backend_cfg_t cfg = backend_cfg(hw, 0);
    if (make_model(path, sizeof path) || model_load(&p->mod, path, err, sizeof err)) {
        CHECK(0, "model: %s", err);
        return -1;
    }
    if (accel_create_cfg(backend, &cfg, &p->ah) || accel_create_cfg(ref, &cfg, &p->ar)) {
        CHECK(0, "accel_create %s / %s", backend, ref);
        return -1; /* the process is failing anyway: no clean-up */
    }
    if (forward_init(&p->fh, &p->mod, &p->ah, ctx, 0, err, sizeof err) ||
        forward_init(&p->fr, &p->mod, &p->ar, ctx, 0, err, sizeof err)) {
        CHECK(0, "forward_init: %s", err);
        return -1;
    }
    return 0;
}

static void pair_close(pair_t *p)
{
    forward_free(&p->fh), forward_free(&p->fr);
    p->ah.destroy(p->ah.ctx), p->ar.destroy(p->ar.ctx);
    model_free(&p->mod);
}

static void test_layer(void)
{
    pair_t p;
    if (pair_open(&p, "cmodel-functional", 4)) return;
    ecim_accel_t ah = p.ah, af = p.ar;
    int K = p.fh.wK[0], N = p.fh.wN[0], kp = ecim_round_up(K, 32); /* weight 0: QKV of layer 0 */
    rng_t r;
    rng_seed(&r, seed + 3);
    float *x = xcalloc((size_t)K, sizeof *x);
    for (int k = 0; k < K; k++) x[k] = (float)rng_normal(&r);
    int8_t *xq = xcalloc((size_t)kp, 1);
    uint16_t *xs = xcalloc((size_t)kp / 32, 2);
    quantize_activations(x, K, xq, xs);
    int64_t *yh = xcalloc((size_t)N, 8), *yf = xcalloc((size_t)N, 8);
    uint64_t c0 = 0, c1 = 0;
    ah.cycles(ah.ctx, &c0);
    int rh = ah.gemv(ah.ctx, p.fh.handle[0], 1, xq, xs, NULL, 0, yh);
    ah.cycles(ah.ctx, &c1);
    int rf = af.gemv(af.ctx, p.fr.handle[0], 1, xq, xs, NULL, 0, yf);
    CHECK(rh == ACCEL_OK && rf == ACCEL_OK, "QKV gemv: %d / %d", rh, rf);
    CHECK(!memcmp(yh, yf, (size_t)N * 8), "QKV projection (K=%d N=%d) differs from cmodel-functional", K, N);
    uint64_t wbytes = ecim_dev_bytes(&(ecim_geom_t){hw->macro_rows, hw->macro_cols}, K, N, 4);
    uint64_t floor_cycles = wbytes / (uint64_t)hw->data_bytes;
    CHECK(c1 - c0 >= floor_cycles, "QKV took %" PRIu64 " cycles, less than its weight stream (%" PRIu64 ")", c1 - c0,
          floor_cycles);
    printf("layer: QKV projection of layer 0 (K=%d N=%d) bit-exact vs cmodel-functional, %" PRIu64
           " cycles (weights alone %" PRIu64 " at %d B/cycle)\n",
           K, N, c1 - c0, floor_cycles, hw->data_bytes);
    free(x), free(xq), free(xs), free(yh), free(yf);
    pair_close(&p);
}

/* The tokens fh stepped through, as one prefill on a fresh engine of the backend: the same
 * logits and KV cache, each layer GEMV one call for all of them, fewer device cycles. */
static void check_prefill(const pair_t *p, const int *toks, int n)
{
    ecim_accel_t a;
    forward_t f;
    char err[512];
    if (create_accel(hw, 0, &a)) return;
    if (forward_init(&f, &p->mod, &a, n, 0, err, sizeof err) || forward_prefill(&f, toks, n, 0, NULL, NULL, err, sizeof err)) {
        CHECK(0, "prefill: %s", err);
        a.destroy(a.ctx);
        return;
    }
    const slm_config_t *c = &p->mod.cfg;
    size_t kv = (size_t)c->layers * n * c->kv_heads * c->head_dim * sizeof(float);
    CHECK(!memcmp(f.logits, p->fh.logits, (size_t)c->vocab * sizeof(float)) && !memcmp(f.kcache, p->fh.kcache, kv) &&
              !memcmp(f.vcache, p->fh.vcache, kv),
          "a prefill of %d tokens differs from %d decode steps (last logits or KV cache)", n, n);
    long calls = f.st.gemv_calls[SLM_W_QKV], vectors = f.st.gemv_vectors[SLM_W_QKV];
    uint64_t cp = forward_gemv_cycles(&f), cs = forward_gemv_cycles(&p->fh);
    CHECK(calls == c->layers && vectors == (long)n * c->layers, "prefill: %ld QKV calls for %ld vectors", calls, vectors);
    CHECK(n < 2 || cp < cs, "prefill of %d tokens took %" PRIu64 " GEMV cycles, the steps %" PRIu64, n, cp, cs);
    printf("model: prefill of the %d tokens bit-identical to the steps: %" PRIu64 " GEMV cycles instead of %" PRIu64
           " (%.2fx), %ld QKV calls instead of %ld\n", n, cp, cs, cp ? (double)cs / (double)cp : 0.0, calls,
           p->fh.st.gemv_calls[SLM_W_QKV]);
    forward_free(&f);
    a.destroy(a.ctx);
}

static void test_model(void)
{
    pair_t p;
    if (pair_open(&p, ref_backend(), steps)) return;
    forward_t *fh = &p.fh, *fr = &p.fr;
    const model_t *mod = &p.mod;
    char err[512];
    int tok = mod->tok.bos >= 0 ? mod->tok.bos : 1, same = 0, *toks = xcalloc((size_t)steps, sizeof *toks), done = 0;
    double t0 = (double)clock() / CLOCKS_PER_SEC, th = 0;
    printf("model: %s backend vs %s, tokens:", backend, ref_backend());
    for (int pos = 0; pos < steps; pos++, done++) {
        double ts = (double)clock() / CLOCKS_PER_SEC;
        toks[pos] = tok;
        if (forward_step(fh, tok, pos, NULL, NULL, err, sizeof err)) {
            CHECK(0, "step %d (%s): %s", pos, backend, err);
            break;
        }
        th += (double)clock() / CLOCKS_PER_SEC - ts;
        if (forward_step(fr, tok, pos, NULL, NULL, err, sizeof err)) {
            CHECK(0, "step %d (%s): %s", pos, ref_backend(), err);
            break;
        }
        int nh = op_argmax(fh->logits, mod->cfg.vocab), nr = op_argmax(fr->logits, mod->cfg.vocab), first = -1;
        for (int v = 0; v < mod->cfg.vocab && first < 0; v++)
            if (memcmp(&fh->logits[v], &fr->logits[v], sizeof(float))) first = v;
        int eq = first < 0;
        CHECK(eq && nh == nr, "step %d: tokens %d vs %d; first differing logit [%d]: %.9g (%s) vs %.9g (%s)", pos, nh,
              nr, first, eq ? 0.0 : fh->logits[first], backend, eq ? 0.0 : fr->logits[first], ref_backend());
        same += eq && nh == nr;
        printf(" %d", nh);
        tok = nh;
    }
    printf("\nmodel: %d/%d decode steps with bit-identical logits and tokens\n", same, steps);
    uint64_t ch = forward_gemv_cycles(fh), cr = forward_gemv_cycles(fr);
    if (fr->st.cycles_valid) {
        CHECK(ch == cr, "GEMV cycles %" PRIu64 " (%s) vs %" PRIu64 " (%s): the C model is cycle-exact", ch, backend, cr,
              ref_backend());
        printf("model: GEMV cycles identical: %" PRIu64 " (%.0f per token)\n", ch, (double)ch / steps);
    } else {
        printf("model: %" PRIu64 " GEMV cycles (%.0f per token)\n", ch, (double)ch / steps);
    }
    printf("model: host %.2f tokens/s on %s (CPU time %.2f s of %.2f s)\n", th > 0 ? steps / th : 0, backend, th,
           (double)clock() / CLOCKS_PER_SEC - t0);
    if (done == steps) check_prefill(&p, toks, steps);
    free(toks);
    pair_close(&p);
}

/* ---- errors ----------------------------------------------------------------------------- */
/* d is refused by the driver with the device's code and not one bus access. */
static void expect_refused(edgecim_dif_t *dif, edgecim_gemv_desc_t d, uint32_t code, const char *what)
{
    uint64_t r0 = dif->mmio->n_reads, w0 = dif->mmio->n_writes;
    uint32_t why = 99;
    edgecim_status_t c = edgecim_dif_gemv_check(dif, &d, &why), s = edgecim_dif_gemv_submit(dif, &d);
    CHECK(c == EDGECIM_BAD_ARG && why == code && s == EDGECIM_BAD_ARG, "%s: check %s (%s), submit %s; expected BAD_ARG (%s)",
          what, edgecim_status_name(c), edgecim_err_name(why), edgecim_status_name(s), edgecim_err_name(code));
    CHECK(dif->mmio->n_reads == r0 && dif->mmio->n_writes == w0, "%s: %" PRIu64 " reads, %" PRIu64 " writes made", what,
          dif->mmio->n_reads - r0, dif->mmio->n_writes - w0);
}

/* Every rule of the descriptor check, alone; returns how many. */
static int refused_descriptors(edgecim_dif_t *dif)
{
    const edgecim_hwinfo_t *h = &dif->hw;
    uint32_t lim = dif->mem_limit, b0 = 0x1000, mk = h->max_k, W4 = EDGECIM_GEMV_WBITS(4);
    uint32_t R = (uint32_t)h->geom.rows, C = (uint32_t)h->geom.cols, act = (uint32_t)h->cfg.act_bytes;
    edgecim_gemv_desc_t ok = {b0, b0, b0, 0, 64, 64, W4}, d;
    int n = 0;
#define REFUSE(assign, code, what) (d = ok, assign, expect_refused(dif, d, code, what), n++)
    REFUSE(d.k = 0, EDGECIM_ERR_ZERO_SIZE, "K = 0");
    REFUSE(d.n = 0, EDGECIM_ERR_ZERO_SIZE, "N = 0");
    REFUSE(d.k = mk + 1, EDGECIM_ERR_TOO_LARGE, "K > min(ActBytes, MaxK)");
    REFUSE(d.k = 0x10000, EDGECIM_ERR_TOO_LARGE, "K = 2^16");
    REFUSE(d.n = 1u << 24, EDGECIM_ERR_TOO_LARGE, "N = 2^24");
    REFUSE(d.flags = EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_RES_USE, EDGECIM_ERR_BAD_FLAGS, "RES_LOAD with RES_USE");
    REFUSE(d.flags |= 1u << 20, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 20");
    REFUSE(d.flags |= 1u << 20, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 20");
    REFUSE(d.flags |= 1u << 28, EDGECIM_ERR_BAD_FLAGS, "undefined flag bit 28");
    REFUSE(d.flags = EDGECIM_GEMV_WBITS(3), EDGECIM_ERR_BAD_PRECISION, "WBITS = 3");
    REFUSE(d.flags = EDGECIM_GEMV_WBITS(1), EDGECIM_ERR_BAD_PRECISION, "WBITS = 1");
    if (h->cfg.max_wbits < 8) REFUSE(d.flags = EDGECIM_GEMV_WBITS(8), EDGECIM_ERR_BAD_PRECISION, "WBITS 8 > MaxWBits");
    if (h->cfg.max_batch < 16)
        REFUSE(d.flags |= EDGECIM_GEMV_BATCH(h->cfg.max_batch + 1), EDGECIM_ERR_BAD_BATCH, "batch > MaxBatch");
    if (h->cfg.max_batch >= 2)
        REFUSE((d.k = act / 2 + 1, d.flags |= EDGECIM_GEMV_BATCH(2)), EDGECIM_ERR_BAD_BATCH,
               "batch x roundup(K, 256) > ActBytes");
    REFUSE(d.w_addr = b0 + 128, EDGECIM_ERR_MISALIGNED, "W not a multiple of 256");
    REFUSE(d.x_addr = b0 + 4, EDGECIM_ERR_MISALIGNED, "X not a multiple of 256");
    REFUSE(d.y_addr = b0 + 16, EDGECIM_ERR_MISALIGNED, "Y not a multiple of 256");
    REFUSE((d.b_addr = b0 + 2, d.flags |= EDGECIM_GEMV_BIAS), EDGECIM_ERR_MISALIGNED, "bias not a multiple of 256");
    REFUSE(d.w_addr = lim - 256, EDGECIM_ERR_OUT_OF_RANGE, "W beyond MEM_LIMIT");
    REFUSE(d.x_addr = lim - 256, EDGECIM_ERR_OUT_OF_RANGE, "X beyond MEM_LIMIT");
    if (h->cfg.max_batch >= 2)
        REFUSE((d.x_addr = lim - 512, d.flags |= EDGECIM_GEMV_BATCH(2)), EDGECIM_ERR_OUT_OF_RANGE,
               "second vector of X beyond MEM_LIMIT");
    REFUSE(d.y_addr = lim - 256, EDGECIM_ERR_OUT_OF_RANGE, "Y beyond MEM_LIMIT");
    REFUSE((d.b_addr = lim - 256, d.flags |= EDGECIM_GEMV_BIAS), EDGECIM_ERR_OUT_OF_RANGE, "bias beyond MEM_LIMIT");
    REFUSE((d.w_addr = 0xFFFFFF00u, d.k = mk, d.n = 0xFFFFFF), EDGECIM_ERR_OUT_OF_RANGE, "W end beyond 2^32");
    REFUSE((d.k = R * (uint32_t)(h->cfg.nres + 1), d.n = C, d.flags |= EDGECIM_GEMV_RES_LOAD),
           EDGECIM_ERR_RESIDENT_RANGE, "resident blocks beyond NRes");
    REFUSE((d.k = 10, d.n = 10, d.flags |= EDGECIM_GEMV_RES_USE | EDGECIM_GEMV_RES_BASE(h->cfg.nres)),
           EDGECIM_ERR_RESIDENT_RANGE, "RES_BASE = NRes");
#undef REFUSE
    return n;
}

/* Calls the driver refuses before touching the bus; returns how many. */
static int refused_calls(edgecim_dif_t *dif, edgecim_mmio_t *m)
{
    uint64_t r0 = m->n_reads, w0 = m->n_writes;
    uint32_t lim = dif->mem_limit, a, code = 7;
    uint8_t byte = 0;
    size_t dram_size = 0;
    m->dram(m->ctx, &dram_size);
    edgecim_gemv_desc_t ok = {0x1000, 0x1000, 0x1000, 0, 64, 64, 0};
    CHECK(edgecim_dif_irq_clear(dif, 4) == EDGECIM_BAD_ARG, "irq_clear of an undefined bit");
    CHECK(edgecim_dif_dram_write(dif, (uint32_t)dram_size, &byte, 1) == EDGECIM_BAD_ARG, "dram_write beyond the DRAM");
    CHECK(edgecim_dif_dram_read(dif, 0xFFFFFFFFu, &byte, 2) == EDGECIM_BAD_ARG, "dram_read wrapping");
    CHECK(edgecim_dif_alloc(dif, 0, &a) == EDGECIM_BAD_ARG, "alloc 0 bytes");
    CHECK(edgecim_dif_alloc(dif, lim, &a) == EDGECIM_NO_MEMORY, "alloc beyond MEM_LIMIT");
    CHECK(edgecim_dif_alloc(dif, UINT64_MAX, &a) == EDGECIM_NO_MEMORY, "alloc of 2^64 - 1 bytes (no wrap-around)");
    CHECK(edgecim_dif_gemv_submit(dif, NULL) == EDGECIM_BAD_ARG, "NULL descriptor");
    CHECK(edgecim_dif_gemv_check(dif, NULL, &code) == EDGECIM_BAD_ARG && code == EDGECIM_ERR_NONE, "check of NULL");
    CHECK(edgecim_dif_gemv_push_unchecked(dif, &ok, NULL) == EDGECIM_BAD_ARG, "push_unchecked without err_code");
    edgecim_dif_t cold = {0};
    CHECK(edgecim_dif_gemv_submit(&cold, &ok) == EDGECIM_BAD_ARG, "submit before init");
    CHECK(edgecim_dif_wait_idle(&cold, 10) == EDGECIM_BAD_ARG, "wait_idle before init");
    CHECK(edgecim_dif_init(&cold, NULL, 0) == EDGECIM_BAD_ARG, "init without a bus");
    CHECK(edgecim_dif_init(&cold, m, (uint32_t)dram_size + 256) == EDGECIM_BAD_ARG, "init with MEM_LIMIT beyond the DRAM");
    CHECK(edgecim_dif_init(&cold, m, EDGECIM_DIF_HEAP_BASE) == EDGECIM_BAD_ARG, "init with no DRAM above the heap base");
    CHECK(m->n_reads == r0 && m->n_writes == w0, "refused calls touched the bus");
    return 14;
}

/* The device's own refusals: OUT_OF_RANGE with MEM_LIMIT lowered behind the driver's back. */
static void device_range_error(edgecim_dif_t *dif, edgecim_mmio_t *m)
{
    edgecim_gemv_desc_t ok = {0x1000, 0x1000, 0x1000, 0, 64, 64, EDGECIM_GEMV_WBITS(4)};
    edgecim_mmio_write32(m, EDGECIM_REG_MEM_LIMIT, 0x1100); /* W ends at 0x1A00 */
    edgecim_status_t s = edgecim_dif_gemv_submit(dif, &ok);
    CHECK(s == EDGECIM_DEVICE_ERROR && dif->last_err == EDGECIM_ERR_OUT_OF_RANGE, "device range check: %s, ERR_CODE %u",
          edgecim_status_name(s), dif->last_err);
    uint32_t e = 99, st = 99, irq = 99;
    edgecim_dif_error_read(dif, &e);
    edgecim_dif_status(dif, &st);
    edgecim_dif_irq_status(dif, &irq);
    CHECK(e == 0 && !(st & EDGECIM_STATUS_ERROR) && !(irq & EDGECIM_IRQ_STATUS_ERROR),
          "after the driver cleared the error: ERR_CODE %u STATUS 0x%x IRQ_STATUS 0x%x", e, st, irq);
    edgecim_mmio_write32(m, EDGECIM_REG_MEM_LIMIT, dif->mem_limit);
}

/* Commands pushed faster than they run: QUEUE_OVERFLOW, TIMEOUT, then every queued y right. */
static int queue_overflow(edgecim_dif_t *dif)
{
    enum { OVK = 512, OVN = 64, MAXQ = 16 };
    rng_t r;
    rng_seed(&r, seed + 4);
    uint8_t *host = random_host_matrix(&r, OVK, OVN, 4);
    int8_t xq[OVK];
    uint16_t xs[OVK / 32];
    random_x(&r, OVK, 1, xq, xs);
    uint32_t wa = load_dev_matrix(dif, host, OVK, OVN, 4), xa = load_x(dif, xq, xs, OVK), ya[MAXQ];
    int accepted = 0, overflow = 0;
    edgecim_status_t s = EDGECIM_OK;
    for (int i = 0; i < MAXQ && !overflow; i++) {
        edgecim_dif_alloc(dif, edgecim_dif_y_bytes(&dif->hw.geom, OVN, 1), &ya[i]);
        edgecim_gemv_desc_t q = {wa, xa, ya[i], 0, OVK, OVN, EDGECIM_GEMV_WBITS(4)};
        s = edgecim_dif_gemv_submit(dif, &q);
        if (s == EDGECIM_OK) accepted++;
        else overflow = s == EDGECIM_DEVICE_ERROR && dif->last_err == EDGECIM_ERR_QUEUE_OVERFLOW;
    }
    CHECK(overflow && accepted >= dif->hw.cfg.queue_depth, "queue overflow: %d accepted, overflow %d (last_err %u)",
          accepted, overflow, dif->last_err);
    s = edgecim_dif_wait_idle(dif, 50);
    CHECK(s == EDGECIM_TIMEOUT, "wait_idle(50 cycles) with %d commands queued: %s", accepted, edgecim_status_name(s));
    s = edgecim_dif_wait_idle(dif, 10000000);
    CHECK(s == EDGECIM_OK, "wait_idle: %s", edgecim_status_name(s));
    uint32_t done = 0;
    edgecim_dif_cmds_done(dif, &done);
    CHECK(done == (uint32_t)accepted, "CMDS_DONE %u, %d accepted", done, accepted);
    int64_t ref[OVN], y[OVN];
    ecim_gemv_ref(host, OVK, OVN, 4, xq, xs, NULL, 0, ref);
    for (int i = 0; i < accepted; i++) {
        read_y(dif, ya[i], y, OVN);
        CHECK(first_diff(y, ref, OVN) < 0, "queued command %d: wrong y", i);
    }
    free(host);
    return accepted;
}

/* The accel layer's refusals, and a device DRAM exhausted by matrices and then by vectors. */
static void accel_errors(void)
{
    ecim_accel_t a;
    enum { DRAM = 256 << 10, FK = 256, FN = 1600 };
    if (create_accel(hw, DRAM, &a)) return;
    int8_t q[FK * 64] = {0};
    uint16_t sc[FK * 64 / 32] = {0};
    int64_t *yy = xcalloc((size_t)FN * 64, 8);
    uint8_t *big = xcalloc(ecim_packed_bytes(1024, 1024, 4), 1);
    uint64_t h;
    CHECK(a.gemv(a.ctx, 12345, 1, q, sc, NULL, 0, yy) == ACCEL_EINVAL, "gemv with an unknown handle");
    CHECK(a.load_matrix(a.ctx, big, 64, 64, 3, &h) == ACCEL_EINVAL, "3-bit weights");
    CHECK(a.load_matrix(a.ctx, big, 64, 0, 4, &h) == ACCEL_EINVAL, "N = 0");
    printf("errors: expect messages (K too large, does not fit, no DRAM left for the vectors):\n");
    fflush(stdout);
    CHECK(a.load_matrix(a.ctx, big, (int)hwinfo_of(hw).max_k + 1, 4, 4, &h) == ACCEL_EINVAL, "K beyond max_k");
    CHECK(a.load_matrix(a.ctx, big, 1024, 1024, 4, &h) == ACCEL_ENOMEM, "a 590 KB matrix in 256 KiB of DRAM");
    uint8_t *fill = xcalloc(ecim_packed_bytes(FK, FN, 4), 1);
    CHECK(a.load_matrix(a.ctx, fill, FK, FN, 4, &h) == ACCEL_OK, "a matrix that leaves 27 KB of DRAM");
    CHECK(a.gemv(a.ctx, h, 0, q, sc, NULL, 0, yy) == ACCEL_EINVAL && a.gemv(a.ctx, h, 1, NULL, sc, NULL, 0, yy) == ACCEL_EINVAL,
          "gemv of batch 0, of no activations");
    CHECK(a.gemv(a.ctx, h, 64, q, sc, NULL, 0, yy) == ACCEL_ENOMEM, "a batch of 64 in the 27 KB left");
    CHECK(a.gemv(a.ctx, h, 1, q, sc, NULL, 0, yy) == ACCEL_OK, "batch 1 after that: the vectors' DRAM came back");
    free(fill);
    a.destroy(a.ctx);
    /* a device whose macros hold 4-bit weights: 8-bit matrices refused */
    const ecim_hw_t *w4 = hw->max_wbits < 8 ? hw : !strcmp(backend, "cmodel") ? ecim_hw_find("narrow") : NULL;
    if (w4 && create_accel(w4, 1u << 20, &a) == ACCEL_OK) {
        CHECK(a.load_matrix(a.ctx, big, 64, 64, 8, &h) == ACCEL_EINVAL, "8-bit matrix on a MaxWBits 4 device");
        CHECK(a.load_matrix(a.ctx, big, 64, 64, 2, &h) == ACCEL_OK, "2-bit matrix on a MaxWBits 4 device");
        a.destroy(a.ctx);
    }
    free(big);
    free(yy);
}

static void test_errors(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    int n = refused_descriptors(&dif);
    n += refused_calls(&dif, &m);
    device_range_error(&dif, &m);
    int accepted = queue_overflow(&dif);
    edgecim_mmio_close(&m);
    accel_errors();
    printf("errors: %d bad arguments refused with the device's code and no bus access; OUT_OF_RANGE and QUEUE_OVERFLOW "
           "(after %d accepted) surfaced as DEVICE_ERROR and cleared; TIMEOUT; DRAM exhausted\n",
           n, accepted);
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--backend") && i + 1 < argc) backend = argv[++i];
        else if (!strcmp(argv[i], "--work") && i + 1 < argc) work = argv[++i];
        else if (!strcmp(argv[i], "--hw") && i + 1 < argc) hw_name = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--steps") && i + 1 < argc) steps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--verdicts") && i + 1 < argc) verdicts = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else {
            fprintf(stderr, "usage: %s --backend cmodel|rtl --work DIR [--hw NAME] [--seed N] [--steps N] "
                            "[--verdicts N] [--only NAME]\n", argv[0]);
            return 2;
        }
    }
    if (!(hw = ecim_hw_find(hw_name)) || steps < 1 || verdicts < 0) {
        fprintf(stderr, "test_drv: unknown --hw '%s' (docs/HW_CONFIG.md), or --steps < 1, or --verdicts < 0\n", hw_name);
        return 2;
    }
    static const struct { const char *name; void (*fn)(void); } tests[] = {
        {"regs", test_regs},   {"dma", test_dma},     {"gemv", test_gemv},    {"verdict", test_verdict},
        {"layer", test_layer}, {"model", test_model}, {"errors", test_errors}};
    printf("driver bring-up on backend %s, hardware '%s', seed %" PRIu64 "\n", backend, hw_name, seed);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (only && strcmp(only, tests[i].name)) continue;
        int before = fails;
        clock_t t0 = clock();
        tests[i].fn();
        printf("%-7s %s (%.1f s)\n", tests[i].name, fails == before ? "PASS" : "FAIL",
               (double)(clock() - t0) / CLOCKS_PER_SEC);
        fflush(stdout);
    }
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
    return fails ? 1 : 0;
}
