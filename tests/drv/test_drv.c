/* SPDX-License-Identifier: Apache-2.0 */
/* Bring-up of the EdgeCIM driver on one MMIO backend, in the order a chip is brought up:
 *   regs   register reset values, read/write, an unmapped address, edgecim_dif_init
 *   dma    data moves DRAM -> device -> DRAM: a permutation-matrix GEMV gives back x reordered
 *   gemv   GEMVs of corner shapes and flags through the accel layer vs ecim_gemv_ref(), and
 *          resident load/use through the DIF
 *   layer  the QKV projection of layer 0 of a tiny mkmodel model vs cmodel-functional
 *   model  decode steps of the tiny model: logits bit-identical to the reference backend
 *          (cmodel: cmodel-functional; rtl: cmodel, whose GEMV cycle counts must match too)
 *   errors bad arguments refused with no bus access (counted), device errors (OUT_OF_RANGE,
 *          QUEUE_OVERFLOW) surfaced as EDGECIM_DEVICE_ERROR, TIMEOUT, BAD_ID, DRAM exhausted
 * Usage: test_drv --backend cmodel|rtl --work DIR [--seed N] [--steps N] [--only NAME] */
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
static const char *backend = "cmodel", *work = "build/drv/work";
static uint64_t seed = 1;
static int steps = 10;
#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fails++;                                                                         \
            printf("FAIL %s:%d [%s seed=%" PRIu64 "]: ", __FILE__, __LINE__, backend, seed); \
            printf(__VA_ARGS__);                                                             \
            printf("\n");                                                                    \
        }                                                                                    \
    } while (0)

static int open_dif(edgecim_mmio_t *m, edgecim_dif_t *dif)
{
    char err[256];
    if (edgecim_backend_open(backend, NULL, m, err, sizeof err)) {
        CHECK(0, "open backend: %s", err);
        return -1;
    }
    edgecim_status_t s = edgecim_dif_init(dif, m, 0, 0);
    CHECK(s == EDGECIM_OK, "edgecim_dif_init: %s", edgecim_status_name(s));
    return s == EDGECIM_OK ? 0 : -1;
}

/* A random packed INT4 matrix (zero weights and scales in the padding), as the testbench. */
static uint8_t *random_matrix(rng_t *r, int K, int N, size_t *bytes)
{
    *bytes = ecim_packed_bytes(K, N, 4);
    uint8_t *p = calloc(*bytes, 1);
    int kp = ecim_round_up(K, 32);
    for (int nb = 0; nb < ecim_round_up(N, 32) / 32; nb++)
        for (int kb = 0; kb < (kp + 127) / 128; kb++) {
            int rows = 0;
            uint8_t *blk = p + ecim_block_offset(K, 4, nb, kb, &rows);
            for (int row = 0; row < rows; row++)
                for (int c = 0; c < 32; c++) {
                    int k = kb * 128 + row, n = nb * 32 + c;
                    int v = (k < K && n < N) ? (int)rng_below(r, 16) : 0;
                    blk[row * 16 + c / 2] |= (uint8_t)(v << (4 * (c & 1)));
                }
            uint8_t *sc = blk + rows * 16;
            for (int g = 0; g < rows / 32; g++)
                for (int c = 0; c < 32; c++) {
                    uint16_t h = 0;
                    if (nb * 32 + c < N) h = (uint16_t)((8 + rng_below(r, 8)) << 10 | rng_below(r, 1024) | (rng_below(r, 5) ? 0 : 0x8000));
                    sc[(g * 32 + c) * 2] = (uint8_t)h;
                    sc[(g * 32 + c) * 2 + 1] = (uint8_t)(h >> 8);
                }
        }
    return p;
}

static void random_x(rng_t *r, int K, int8_t *xq, uint16_t *xs)
{
    int kp = ecim_round_up(K, 32);
    for (int k = 0; k < kp; k++) xq[k] = k < K ? (int8_t)((int)rng_below(r, 255) - 127) : 0;
    for (int g = 0; g < kp / 32; g++) xs[g] = (uint16_t)((10 + rng_below(r, 6)) << 10 | rng_below(r, 1024));
}

/* ---- regs ------------------------------------------------------------------------------- */
static uint32_t fake_read(void *ctx, uint32_t off) { (void)ctx; (void)off; return 0xFFFFFFFFu; }
static void fake_write(void *ctx, uint32_t off, uint32_t v) { (void)ctx; (void)off; (void)v; }
static int fake_wait(void *ctx, uint64_t n) { (void)ctx; (void)n; return 0; }
static uint64_t fake_cycles(void *ctx) { (void)ctx; return 0; }


static void test_regs(void)
{
    char err[256];
    edgecim_mmio_t m;
    if (edgecim_backend_open(backend, NULL, &m, err, sizeof err)) {
        CHECK(0, "open backend: %s", err);
        return;
    }
    const ecim_hw_t *c = edgecim_backend_hw(NULL);
    uint32_t hwcfg = ecim_hwcfg_pack(c);
    static const struct { uint32_t off, val; const char *name; } reset[] = {
        {EDGECIM_REG_ID, EDGECIM_ID_VALUE, "ID"}, {EDGECIM_REG_CTRL, 0, "CTRL"}, {EDGECIM_REG_STATUS, 0, "STATUS"},
        {EDGECIM_REG_ERR_CODE, 0, "ERR_CODE"}, {EDGECIM_REG_IRQ_STATUS, 0, "IRQ_STATUS"},
        {EDGECIM_REG_CMDS_DONE, 0, "CMDS_DONE"}, {EDGECIM_REG_CMD_K, 0, "CMD_K"}, {EDGECIM_REG_CMD_FLAGS, 0, "CMD_FLAGS"}};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) {
        uint32_t v = edgecim_mmio_read32(&m, reset[i].off);
        CHECK(v == reset[i].val, "reset value of %s: 0x%08x, expected 0x%08x", reset[i].name, v, reset[i].val);
    }
    uint32_t v = edgecim_mmio_read32(&m, EDGECIM_REG_HWCFG);
    CHECK(v == hwcfg, "HWCFG 0x%08x, expected 0x%08x", v, hwcfg);
    v = edgecim_mmio_read32(&m, EDGECIM_REG_MEM_LIMIT);
    CHECK(v == c->mem_bytes, "MEM_LIMIT reset 0x%08x, expected 0x%08x", v, c->mem_bytes);
    uint32_t lo1 = edgecim_mmio_read32(&m, EDGECIM_REG_CYCLES_LO), hi1 = edgecim_mmio_read32(&m, EDGECIM_REG_CYCLES_HI);
    uint32_t lo2 = edgecim_mmio_read32(&m, EDGECIM_REG_CYCLES_LO);
    uint64_t sim = m.cycles(m.ctx);
    CHECK(hi1 == 0 && lo2 == lo1 + 4, "CYCLES: %u then %u (hi %u): a read takes 2 cycles", lo1, lo2, hi1);
    CHECK(lo2 < sim && lo2 + 4 >= sim, "CYCLES %u vs %" PRIu64 " simulated", lo2, sim);
    rng_t r;
    rng_seed(&r, seed);
    static const uint32_t rw[] = {EDGECIM_REG_CMD_W_ADDR, EDGECIM_REG_CMD_X_ADDR, EDGECIM_REG_CMD_Y_ADDR,
                                  EDGECIM_REG_CMD_B_ADDR, EDGECIM_REG_CMD_K, EDGECIM_REG_CMD_N,
                                  EDGECIM_REG_CMD_FLAGS, EDGECIM_REG_MEM_LIMIT};
    for (size_t i = 0; i < sizeof rw / sizeof rw[0]; i++) {
        uint32_t w = (uint32_t)rng_u64(&r);
        edgecim_mmio_write32(&m, rw[i], w);
        v = edgecim_mmio_read32(&m, rw[i]);
        CHECK(v == w, "register 0x%02x: wrote 0x%08x, read 0x%08x", rw[i], w, v);
    }
    edgecim_mmio_write32(&m, EDGECIM_REG_CTRL, 3);
    v = edgecim_mmio_read32(&m, EDGECIM_REG_CTRL);
    CHECK(v == 1, "CTRL after writing IRQ_EN|CLEAR_ERR: 0x%x, expected 1 (CLEAR_ERR reads 0)", v);
    edgecim_mmio_write32(&m, EDGECIM_REG_CTRL, 0);
    v = edgecim_mmio_read32(&m, 0xFC);
    CHECK(v == 0, "unmapped address read 0x%x", v);
    v = edgecim_mmio_read32(&m, EDGECIM_REG_ERR_CODE);
    CHECK(v == EDGECIM_ERR_BAD_ADDRESS, "ERR_CODE after an unmapped read: %u", v);
    CHECK(m.fault(m.ctx) == NULL, "backend fault: %s", m.fault(m.ctx));
    /* the driver's bring-up on a device with an error pending and dirty registers */
    edgecim_dif_t dif;
    edgecim_status_t s = edgecim_dif_init(&dif, &m, 0, 0);
    CHECK(s == EDGECIM_OK, "edgecim_dif_init: %s", edgecim_status_name(s));
    size_t dram_size = 0;
    m.dram(m.ctx, &dram_size);
    CHECK(dif.hw.ntiles == c->ntiles && dif.hw.nmacros == c->nmacros && dif.hw.nres == c->nres &&
              dif.hw.data_bytes == c->data_bytes && dif.hw.wbits == 4 && dif.hw.abits == c->abits &&
              dif.hw.queue_depth == c->queue_depth,
          "HWCFG decoded wrong");
    CHECK(dif.hw.max_k == (uint32_t)c->maxk, "MaxK probed %u, expected %d", dif.hw.max_k, c->maxk);
    CHECK(dif.mem_limit == dram_size, "MEM_LIMIT %u, DRAM %zu", dif.mem_limit, dram_size);
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
    /* no device (the bus reads all ones): BAD_ID after a single read */
    edgecim_mmio_t fake = {.read32 = fake_read, .write32 = fake_write, .wait = fake_wait, .cycles = fake_cycles};
    s = edgecim_dif_init(&dif, &fake, 1u << 20, 0);
    CHECK(s == EDGECIM_BAD_ID && fake.n_reads == 1 && fake.n_writes == 0, "no device: %s after %" PRIu64 " reads",
          edgecim_status_name(s), fake.n_reads);
    printf("regs: reset values, read/write, unmapped address, init (MaxK %u probed), BAD_ID\n", max_k);
}

/* ---- dma -------------------------------------------------------------------------------- */
static void test_dma(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    enum { K = 64, N = 63 };
    rng_t r;
    rng_seed(&r, seed + 1);
    int perm[N];
    for (int n = 0; n < N; n++) perm[n] = n;
    for (int n = N - 1; n > 0; n--) {
        int j = (int)rng_below(&r, (uint32_t)n + 1), t = perm[n];
        perm[n] = perm[j];
        perm[j] = t;
    }
    size_t wb = ecim_packed_bytes(K, N, 4);
    uint8_t *w = calloc(wb, 1);
    int rows = 0;
    for (int nb = 0; nb < 2; nb++) {
        uint8_t *blk = w + ecim_block_offset(K, 4, nb, 0, &rows);
        for (int c = 0; c < 32 && nb * 32 + c < N; c++) {
            int k = perm[nb * 32 + c];
            blk[k * 16 + c / 2] |= (uint8_t)(1 << (4 * (c & 1))); /* weight +1 */
            for (int g = 0; g < rows / 32; g++) {                  /* scale 1.0 */
                blk[rows * 16 + (g * 32 + c) * 2] = 0x00;
                blk[rows * 16 + (g * 32 + c) * 2 + 1] = 0x3C;
            }
        }
    }
    uint8_t x[K + 16];
    memset(x, 0, sizeof x);
    for (int k = 0; k < K; k++) x[k] = (uint8_t)(rng_below(&r, 255) - 127);
    for (int g = 0; g < K / 32; g++) x[K + 2 * g + 1] = 0x3C; /* activation scales 1.0 */
    uint32_t wa, xa, ya;
    uint8_t sentinel[16 * 32];
    memset(sentinel, 0xA5, sizeof sentinel);
    CHECK(edgecim_dif_alloc(&dif, wb, &wa) == EDGECIM_OK && edgecim_dif_alloc(&dif, sizeof x, &xa) == EDGECIM_OK &&
              edgecim_dif_alloc(&dif, sizeof sentinel, &ya) == EDGECIM_OK,
          "alloc");
    CHECK(wa % 16 == 0 && xa % 16 == 0 && ya % 16 == 0 && wa >= EDGECIM_DIF_HEAP_BASE, "alignment");
    edgecim_dif_dram_write(&dif, wa, w, wb);
    edgecim_dif_dram_write(&dif, xa, x, sizeof x);
    edgecim_dif_dram_write(&dif, ya, sentinel, sizeof sentinel);
    edgecim_dif_irq_enable(&dif, 1);
    edgecim_gemv_desc_t d = {wa, xa, ya, 0, K, N, 0};
    edgecim_status_t s = edgecim_dif_gemv_submit(&dif, &d);
    CHECK(s == EDGECIM_OK, "submit: %s", edgecim_status_name(s));
    int irq = m.wait(m.ctx, 100000);
    CHECK(irq, "no interrupt within 100000 cycles");
    uint32_t ist = 0, done = 0;
    edgecim_dif_irq_status(&dif, &ist);
    CHECK(ist == 1, "IRQ_STATUS 0x%x, expected DONE", ist);
    s = edgecim_dif_wait_idle(&dif, 1000);
    CHECK(s == EDGECIM_OK, "wait_idle: %s", edgecim_status_name(s));
    edgecim_dif_cmds_done(&dif, &done);
    CHECK(done == 1, "CMDS_DONE %u", done);
    uint8_t y[sizeof sentinel];
    edgecim_dif_dram_read(&dif, ya, y, sizeof y);
    int bad = 0;
    for (int n = 0; n < N && bad < 5; n++) {
        int64_t v;
        memcpy(&v, y + 8 * n, 8);
        int64_t want = (int64_t)(int8_t)x[perm[n]] * (1 << 24);
        if (v != want) {
            bad++;
            CHECK(0, "y[%d] = %" PRId64 ", expected x[%d] = %d << 24", n, v, perm[n], (int8_t)x[perm[n]]);
        }
    }
    CHECK(!memcmp(y + 8 * N, sentinel, sizeof y - 8 * N), "bytes after y[N-1] were written (strobes)");
    printf("dma: %d-output permutation GEMV moved x through DRAM and back%s\n", N, bad ? " WRONGLY" : "");
    free(w);
    edgecim_mmio_close(&m);
}

/* ---- gemv ------------------------------------------------------------------------------- */
static void test_gemv(void)
{
    ecim_accel_t a;
    int rc = accel_create(backend, &a);
    CHECK(rc == ACCEL_OK, "accel_create(%s): %d", backend, rc);
    if (rc) return;
    static const struct { int K, N, bias, accum; } shapes[] = {
        {1, 1, 0, 0}, {32, 32, 0, 0}, {128, 32, 1, 0}, {200, 45, 0, 1}, {333, 77, 1, 1}, {130, 33, 0, 0},
        {896, 130, 1, 0}, {1000, 7, 0, 0}};
    rng_t r;
    rng_seed(&r, seed + 2);
    int n_ok = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        int K = shapes[i].K, N = shapes[i].N, kp = ecim_round_up(K, 32);
        size_t bytes;
        uint8_t *w = random_matrix(&r, K, N, &bytes);
        int8_t *xq = calloc((size_t)kp, 1);
        uint16_t *xs = calloc((size_t)kp / 32, 2);
        int64_t *bias = calloc((size_t)N, 8), *y = calloc((size_t)N, 8), *ref = calloc((size_t)N, 8);
        random_x(&r, K, xq, xs);
        for (int n = 0; n < N; n++) {
            bias[n] = (int64_t)(rng_u64(&r) >> 20) - (1LL << 43);
            y[n] = ref[n] = (int64_t)(rng_u64(&r) >> 16) - (1LL << 47);
        }
        uint64_t h, c0 = 0, c1 = 0;
        rc = a.load_matrix(a.ctx, w, bytes, 4, &h);
        CHECK(rc == ACCEL_OK && h % 16 == 0, "load_matrix %dx%d: %d", N, K, rc);
        a.cycles(a.ctx, &c0);
        rc = a.gemv(a.ctx, h, K, N, xq, xs, shapes[i].bias ? bias : NULL, shapes[i].accum, y);
        a.cycles(a.ctx, &c1);
        ecim_gemv_ref(w, K, N, 4, xq, xs, shapes[i].bias ? bias : NULL, shapes[i].accum, ref);
        CHECK(rc == ACCEL_OK, "gemv K=%d N=%d: %d", K, N, rc);
        int first = -1;
        for (int n = 0; n < N && first < 0; n++)
            if (y[n] != ref[n]) first = n;
        CHECK(first < 0, "K=%d N=%d bias=%d accum=%d: y[%d] = %" PRId64 ", ecim_gemv_ref %" PRId64, K, N,
              shapes[i].bias, shapes[i].accum, first, first >= 0 ? y[first] : 0, first >= 0 ? ref[first] : 0);
        n_ok += first < 0 && rc == ACCEL_OK;
        printf("gemv K=%4d N=%4d bias=%d accum=%d: %s, %" PRIu64 " cycles\n", K, N, shapes[i].bias, shapes[i].accum,
               first < 0 ? "bit-exact" : "MISMATCH", c1 - c0);
        free(w), free(xq), free(xs), free(bias), free(y), free(ref);
    }
    a.destroy(a.ctx);

    /* resident weights through the DIF: RES_LOAD computes and keeps the matrix, RES_USE reuses it */
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    enum { K = 88, N = 59 };
    size_t bytes;
    uint8_t *w = random_matrix(&r, K, N, &bytes);
    int8_t xq[96];
    uint16_t xs[3];
    int64_t ref[N], y1[N], y2[N];
    random_x(&r, K, xq, xs);
    uint8_t xbuf[96 + 16] = {0};
    memcpy(xbuf, xq, 96);
    for (int g = 0; g < 3; g++) xbuf[96 + 2 * g] = (uint8_t)xs[g], xbuf[97 + 2 * g] = (uint8_t)(xs[g] >> 8);
    ecim_gemv_ref(w, K, N, 4, xq, xs, NULL, 0, ref);
    uint32_t wa, xa, ya;
    edgecim_dif_alloc(&dif, bytes, &wa);
    edgecim_dif_alloc(&dif, sizeof xbuf, &xa);
    edgecim_dif_alloc(&dif, edgecim_dif_y_bytes(N), &ya);
    edgecim_dif_dram_write(&dif, wa, w, bytes);
    edgecim_dif_dram_write(&dif, xa, xbuf, sizeof xbuf);
    edgecim_gemv_desc_t d = {wa, xa, ya, 0, K, N, EDGECIM_GEMV_RES_LOAD};
    edgecim_status_t s = edgecim_dif_gemv_submit(&dif, &d);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(&dif, 100000);
    edgecim_dif_dram_read(&dif, ya, y1, sizeof y1);
    memset(w, 0, bytes); /* the resident run must not read the matrix */
    edgecim_dif_dram_write(&dif, wa, w, bytes);
    d.flags = EDGECIM_GEMV_RES_USE;
    if (s == EDGECIM_OK) s = edgecim_dif_gemv_submit(&dif, &d);
    if (s == EDGECIM_OK) s = edgecim_dif_wait_idle(&dif, 100000);
    edgecim_dif_dram_read(&dif, ya, y2, sizeof y2);
    CHECK(s == EDGECIM_OK, "resident: %s", edgecim_status_name(s));
    CHECK(!memcmp(y1, ref, sizeof ref) && !memcmp(y2, ref, sizeof ref), "resident load/use differ from ecim_gemv_ref");
    printf("gemv: %d/%zu shapes bit-exact vs ecim_gemv_ref; resident load + use bit-exact\n", n_ok,
           sizeof shapes / sizeof shapes[0]);
    free(w);
    edgecim_mmio_close(&m);
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
    if (make_model(path, sizeof path) || model_load(&p->mod, path, err, sizeof err)) {
        CHECK(0, "model: %s", err);
        return -1;
    }
    if (accel_create(backend, &p->ah) || accel_create(ref, &p->ar)) {
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
    float *x = malloc(sizeof(float) * (size_t)K);
    for (int k = 0; k < K; k++) x[k] = (float)rng_normal(&r);
    int8_t *xq = calloc((size_t)kp, 1);
    uint16_t *xs = calloc((size_t)kp / 32, 2);
    quantize_activations(x, K, xq, xs);
    int64_t *yh = calloc((size_t)N, 8), *yf = calloc((size_t)N, 8);
    uint64_t c0 = 0, c1 = 0;
    ah.cycles(ah.ctx, &c0);
    int rh = ah.gemv(ah.ctx, p.fh.handle[0], K, N, xq, xs, NULL, 0, yh);
    ah.cycles(ah.ctx, &c1);
    int rf = af.gemv(af.ctx, p.fr.handle[0], K, N, xq, xs, NULL, 0, yf);
    CHECK(rh == ACCEL_OK && rf == ACCEL_OK, "QKV gemv: %d / %d", rh, rf);
    CHECK(!memcmp(yh, yf, (size_t)N * 8), "QKV projection (K=%d N=%d) differs from cmodel-functional", K, N);
    uint64_t wbytes = ecim_packed_bytes(K, N, 4);
    CHECK(c1 - c0 >= wbytes / 16, "QKV took %" PRIu64 " cycles, less than its weight stream (%" PRIu64 ")", c1 - c0,
          wbytes / 16);
    printf("layer: QKV projection of layer 0 (K=%d N=%d) bit-exact vs cmodel-functional, %" PRIu64
           " cycles (weights alone %" PRIu64 " at 16 B/cycle)\n",
           K, N, c1 - c0, wbytes / 16);
    free(x), free(xq), free(xs), free(yh), free(yf);
    pair_close(&p);
}

static void test_model(void)
{
    pair_t p;
    if (pair_open(&p, ref_backend(), steps)) return;
    forward_t *fh = &p.fh, *fr = &p.fr;
    const model_t *mod = &p.mod;
    char err[512];
    int tok = mod->tok.bos >= 0 ? mod->tok.bos : 1, same = 0;
    double t0 = (double)clock() / CLOCKS_PER_SEC, th = 0;
    printf("model: %s backend vs %s, tokens:", backend, ref_backend());
    for (int pos = 0; pos < steps; pos++) {
        double ts = (double)clock() / CLOCKS_PER_SEC;
        int nh = -1, nr = -1;
        if (forward_step(fh, tok, pos, NULL, NULL, err, sizeof err)) {
            CHECK(0, "step %d (%s): %s", pos, backend, err);
            break;
        }
        th += (double)clock() / CLOCKS_PER_SEC - ts;
        if (forward_step(fr, tok, pos, NULL, NULL, err, sizeof err)) {
            CHECK(0, "step %d (%s): %s", pos, ref_backend(), err);
            break;
        }
        nh = op_argmax(fh->logits, mod->cfg.vocab);
        nr = op_argmax(fr->logits, mod->cfg.vocab);
        int first = -1;
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
    uint64_t ch = 0, cr = 0;
    for (int w = 0; w < SLM_W_COUNT; w++) ch += fh->st.gemv_cycles[w], cr += fr->st.gemv_cycles[w];
    if (fr->st.cycles_valid) {
        CHECK(ch == cr, "GEMV cycles %" PRIu64 " (%s) vs %" PRIu64 " (%s): the C model is cycle-exact", ch, backend, cr,
              ref_backend());
        printf("model: GEMV cycles identical: %" PRIu64 " (%.0f per token)\n", ch, (double)ch / steps);
    } else {
        printf("model: %" PRIu64 " GEMV cycles (%.0f per token)\n", ch, (double)ch / steps);
    }
    printf("model: host %.2f tokens/s on %s (CPU time %.2f s of %.2f s)\n", th > 0 ? steps / th : 0, backend, th,
           (double)clock() / CLOCKS_PER_SEC - t0);
    pair_close(&p);
}

/* ---- errors ----------------------------------------------------------------------------- */
static void expect_refused(edgecim_dif_t *dif, edgecim_gemv_desc_t d, const char *what)
{
    uint64_t r0 = dif->mmio->n_reads, w0 = dif->mmio->n_writes;
    edgecim_status_t s = edgecim_dif_gemv_submit(dif, &d);
    CHECK(s == EDGECIM_BAD_ARG, "%s: %s, expected BAD_ARG", what, edgecim_status_name(s));
    CHECK(dif->mmio->n_reads == r0 && dif->mmio->n_writes == w0, "%s: %" PRIu64 " reads, %" PRIu64 " writes made",
          what, dif->mmio->n_reads - r0, dif->mmio->n_writes - w0);
}

static void test_errors(void)
{
    edgecim_mmio_t m;
    edgecim_dif_t dif;
    if (open_dif(&m, &dif)) return;
    uint32_t lim = dif.mem_limit, b0 = 0x1000, mk = dif.hw.max_k;
    edgecim_gemv_desc_t ok = {b0, b0, b0, 0, 64, 64, 0}, d;
    int n = 0;
#define REFUSE(field_assign, what) (d = ok, field_assign, expect_refused(&dif, d, what), n++)
    REFUSE(d.k = 0, "K = 0");
    REFUSE(d.n = 0, "N = 0");
    REFUSE(d.k = mk + 1, "K > MaxK");
    REFUSE(d.n = 1u << 24, "N = 2^24");
    REFUSE(d.w_addr = b0 + 8, "misaligned W");
    REFUSE(d.x_addr = b0 + 4, "misaligned X");
    REFUSE(d.y_addr = b0 + 1, "misaligned Y");
    REFUSE((d.b_addr = b0 + 2, d.flags = EDGECIM_GEMV_BIAS), "misaligned bias");
    REFUSE(d.w_addr = lim - 16, "W beyond MEM_LIMIT");
    REFUSE(d.x_addr = lim - 32, "X beyond MEM_LIMIT");
    REFUSE(d.y_addr = lim - 16, "Y beyond MEM_LIMIT");
    REFUSE((d.b_addr = lim - 16, d.flags = EDGECIM_GEMV_BIAS), "bias beyond MEM_LIMIT");
    REFUSE((d.w_addr = 0xFFFFFFF0u, d.k = mk, d.n = 0xFFFFFF), "W end beyond 2^32");
    REFUSE(d.flags = EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_RES_USE, "RES_LOAD with RES_USE");
    REFUSE(d.flags = 1u << 4, "undefined flag bit 4");
    REFUSE(d.flags = 1u << 16, "undefined flag bit 16");
    REFUSE((d.k = 512, d.n = 32, d.flags = EDGECIM_GEMV_RES_LOAD), "resident blocks beyond NRes");
    REFUSE((d.k = 10, d.n = 10, d.flags = EDGECIM_GEMV_RES_LOAD | EDGECIM_GEMV_RES_BASE(dif.hw.nres)), "RES_BASE = NRes");
    uint64_t r0 = m.n_reads, w0 = m.n_writes;
    uint8_t byte = 0;
    uint32_t a;
    CHECK(edgecim_dif_irq_clear(&dif, 4) == EDGECIM_BAD_ARG, "irq_clear of an undefined bit");
    CHECK(edgecim_dif_dram_write(&dif, lim, &byte, 1) == EDGECIM_BAD_ARG, "dram_write beyond the DRAM");
    CHECK(edgecim_dif_dram_read(&dif, 0xFFFFFFFFu, &byte, 2) == EDGECIM_BAD_ARG, "dram_read wrapping");
    CHECK(edgecim_dif_alloc(&dif, 0, &a) == EDGECIM_BAD_ARG, "alloc 0 bytes");
    CHECK(edgecim_dif_alloc(&dif, lim, &a) == EDGECIM_NO_MEMORY, "alloc beyond MEM_LIMIT");
    CHECK(edgecim_dif_gemv_submit(&dif, NULL) == EDGECIM_BAD_ARG, "NULL descriptor");
    edgecim_dif_t cold = {0};
    CHECK(edgecim_dif_gemv_submit(&cold, &ok) == EDGECIM_BAD_ARG, "submit before init");
    CHECK(edgecim_dif_init(&cold, &m, 0, 300) == EDGECIM_BAD_ARG, "init with MaxK not a power of two");
    CHECK(m.n_reads == r0 && m.n_writes == w0, "refused calls touched the bus");
    n += 8;

    /* device errors: the device's MEM_LIMIT lowered behind the driver's back -> OUT_OF_RANGE */
    edgecim_mmio_write32(&m, EDGECIM_REG_MEM_LIMIT, 0x1100); /* W ends at 0x1900 */
    edgecim_status_t s = edgecim_dif_gemv_submit(&dif, &ok);
    CHECK(s == EDGECIM_DEVICE_ERROR && dif.last_err == EDGECIM_ERR_OUT_OF_RANGE, "device range check: %s, ERR_CODE %u",
          edgecim_status_name(s), dif.last_err);
    uint32_t e = 99;
    edgecim_dif_error_read(&dif, &e);
    CHECK(e == 0, "ERR_CODE %u after the driver cleared it", e);
    edgecim_mmio_write32(&m, EDGECIM_REG_MEM_LIMIT, lim);

    /* queue overflow: commands pushed faster than they run */
    enum { QKK = 512, QNN = 64 };
    rng_t r;
    rng_seed(&r, seed + 4);
    size_t bytes;
    uint8_t *w = random_matrix(&r, QKK, QNN, &bytes);
    uint32_t wa, xa, ya[16];
    edgecim_dif_alloc(&dif, bytes, &wa);
    edgecim_dif_alloc(&dif, edgecim_dif_x_bytes(QKK), &xa);
    edgecim_dif_dram_write(&dif, wa, w, bytes);
    int accepted = 0, overflow = 0;
    for (int i = 0; i < 16 && !overflow; i++) {
        edgecim_dif_alloc(&dif, edgecim_dif_y_bytes(QNN), &ya[i]);
        edgecim_gemv_desc_t q = {wa, xa, ya[i], 0, QKK, QNN, 0};
        s = edgecim_dif_gemv_submit(&dif, &q);
        if (s == EDGECIM_OK) accepted++;
        else overflow = s == EDGECIM_DEVICE_ERROR && dif.last_err == EDGECIM_ERR_QUEUE_OVERFLOW;
    }
    CHECK(overflow && accepted >= dif.hw.queue_depth, "queue overflow: %d accepted, overflow %d (last_err %u)", accepted,
          overflow, dif.last_err);
    /* TIMEOUT, then the same wait with enough time */
    s = edgecim_dif_wait_idle(&dif, 50);
    CHECK(s == EDGECIM_TIMEOUT, "wait_idle(50 cycles) with %d commands queued: %s", accepted, edgecim_status_name(s));
    s = edgecim_dif_wait_idle(&dif, 10000000);
    CHECK(s == EDGECIM_OK, "wait_idle: %s", edgecim_status_name(s));
    uint32_t done = 0;
    edgecim_dif_cmds_done(&dif, &done);
    CHECK(done == (uint32_t)accepted, "CMDS_DONE %u, %d accepted", done, accepted);
    int8_t xq[QKK];
    uint16_t xs[QKK / 32];
    uint8_t xb[QKK + 32];
    edgecim_dif_dram_read(&dif, xa, xb, sizeof xb);
    memcpy(xq, xb, QKK);
    for (int g = 0; g < QKK / 32; g++) xs[g] = (uint16_t)(xb[QKK + 2 * g] | xb[QKK + 2 * g + 1] << 8);
    int64_t ref[QNN], y[QNN];
    ecim_gemv_ref(w, QKK, QNN, 4, xq, xs, NULL, 0, ref);
    for (int i = 0; i < accepted; i++) {
        edgecim_dif_dram_read(&dif, ya[i], y, sizeof y);
        CHECK(!memcmp(y, ref, sizeof y), "queued command %d: wrong y", i);
    }
    free(w);
    edgecim_mmio_close(&m);

    /* accel layer: unknown handle, a model larger than the device DRAM */
    ecim_accel_t acc;
    edgecim_backend_cfg_t small = {.dram_bytes = 1u << 20};
    if (accel_create_cfg(backend, &small, &acc) == ACCEL_OK) {
        int64_t yy[4];
        int8_t q[32] = {0};
        uint16_t sc[1] = {0};
        CHECK(acc.gemv(acc.ctx, 12345, 32, 4, q, sc, NULL, 0, yy) == ACCEL_EINVAL, "gemv with an unknown handle");
        uint8_t *big = calloc(2u << 20, 1);
        uint64_t h;
        printf("errors: expect a 'does not fit' message: ");
        fflush(stdout);
        CHECK(acc.load_matrix(acc.ctx, big, 2u << 20, 4, &h) == ACCEL_ENOMEM, "2 MiB matrix in 1 MiB of DRAM");
        CHECK(acc.load_matrix(acc.ctx, big, 1024, 8, &h) == ACCEL_EINVAL, "8-bit matrix on a 4-bit device");
        free(big);
        acc.destroy(acc.ctx);
    } else {
        CHECK(0, "accel_create_cfg with 1 MiB");
    }
    printf("errors: %d bad arguments refused with no bus access; OUT_OF_RANGE and QUEUE_OVERFLOW (after %d accepted) "
           "surfaced as DEVICE_ERROR; TIMEOUT; DRAM exhausted\n",
           n, accepted);
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--backend") && i + 1 < argc) backend = argv[++i];
        else if (!strcmp(argv[i], "--work") && i + 1 < argc) work = argv[++i];
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--steps") && i + 1 < argc) steps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else {
            fprintf(stderr, "usage: %s --backend cmodel|rtl --work DIR [--seed N] [--steps N] [--only NAME]\n", argv[0]);
            return 2;
        }
    }
    static const struct { const char *name; void (*fn)(void); } tests[] = {
        {"regs", test_regs}, {"dma", test_dma}, {"gemv", test_gemv}, {"layer", test_layer},
        {"model", test_model}, {"errors", test_errors}};
    printf("driver bring-up on backend %s, seed %" PRIu64 "\n", backend, seed);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (only && strcmp(only, tests[i].name)) continue;
        int before = fails;
        tests[i].fn();
        printf("%-7s %s\n", tests[i].name, fails == before ? "PASS" : "FAIL");
        fflush(stdout);
    }
    printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
    return fails ? 1 : 0;
}
