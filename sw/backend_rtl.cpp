// SPDX-License-Identifier: Apache-2.0
// Backend "rtl" of the MMIO layer (sw/edgecim_mmio.h): the Verilator model of rtl/edgecim_top.sv
// in process, built for one named hardware configuration (EDGECIM_RTL_HW, from the Makefile).
// Every cycle drives the top's ports from C++: the MMIO bus from the driver's
// accesses, the memory port from cmodel/dram_model.c (dram_out() before the edge, dram_clock()
// with the sampled outputs after it, as tb/edgecim_top_tb.c does), so each register access and
// each DRAM beat goes through the simulated buses. C API in sw/backend.h.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "Vedgecim_top.h"
#include "verilated.h"

extern "C" {
#include "backend.h"
}

namespace {

struct Rtl {
  VerilatedContext *vc = nullptr;
  Vedgecim_top *top = nullptr;
  dram_model_t *dram = nullptr;
  uint64_t cycles = 0;
  int irq = 0;
  bool faulted = false;
  char fault[200] = {0};
};

#ifndef EDGECIM_RTL_HW
#error "build with -DEDGECIM_RTL_HW=\"<name>\": the configuration (include/edgecim_hw.h) the model was verilated with"
#endif

const ecim_hw_t *built_hw() { return ecim_hw_find(EDGECIM_RTL_HW); }

// Memory-port vectors: Verilator makes ports of up to 64 bits integers, wider ones VlWide arrays
// of 32-bit words (the data of every port width, 16..256 bytes; the strobes from 128 bits on).
template <std::size_t N>
void put_bytes(VlWide<N> &v, const uint8_t *b, int n) {
  for (std::size_t w = 0; w < N; w++) {
    uint32_t x = 0;
    for (int i = 0; i < 4 && (int)(4 * w) + i < n; i++) x |= (uint32_t)b[4 * w + i] << (8 * i);
    v[w] = x;
  }
}
template <typename T>
void put_bytes(T &v, const uint8_t *b, int n) {
  uint64_t x = 0;
  for (int i = 0; i < n && i < 8; i++) x |= (uint64_t)b[i] << (8 * i);
  v = (T)x;
}
template <std::size_t N>
void get_bytes(const VlWide<N> &v, uint8_t *b, int n) {
  for (int i = 0; i < n; i++) b[i] = (uint8_t)(v[i / 4] >> (8 * (i % 4)));
}
template <typename T>
void get_bytes(const T &v, uint8_t *b, int n) {
  for (int i = 0; i < n && i < 8; i++) b[i] = (uint8_t)((uint64_t)v >> (8 * i));
}
// The byte enables: one bit per byte on the port, one byte (0 or 1) each for the DRAM model.
template <std::size_t N>
void get_bits(const VlWide<N> &v, uint8_t *b, int n) {
  for (int i = 0; i < n; i++) b[i] = (uint8_t)(v[i / 32] >> (i % 32) & 1u);
}
template <typename T>
void get_bits(const T &v, uint8_t *b, int n) {
  for (int i = 0; i < n && i < 64; i++) b[i] = (uint8_t)((uint64_t)v >> i & 1u);
}

// One clock cycle: inputs set, outputs sampled after the combinational eval, then the edge.
void cycle(Rtl *r, int valid, int write, uint32_t addr, uint32_t wdata, int *rvalid, uint32_t *rdata) {
  Vedgecim_top *t = r->top;
  dram_out_t mo;
  dram_out(r->dram, &mo);
  t->mmio_valid_i = valid;
  t->mmio_write_i = write;
  t->mmio_addr_i = addr & 0xFF;
  t->mmio_wdata_i = wdata;
  t->mem_req_ready_i = mo.req_ready;
  t->mem_w_ready_i = mo.w_ready;
  t->mem_r_valid_i = mo.r_valid;
  const int db = built_hw()->data_bytes;
  put_bytes(t->mem_r_data_i, mo.r_data, db);
  t->clk_i = 0;
  t->eval();
  uint8_t wd[sizeof mo.r_data], ws[sizeof mo.r_data];
  get_bytes(t->mem_w_data_o, wd, db);
  get_bits(t->mem_w_strb_o, ws, db);
  dram_in_t in;
  in.req_valid = t->mem_req_valid_o;
  in.req_we = t->mem_req_we_o;
  in.req_addr = t->mem_req_addr_o;
  in.req_len = t->mem_req_len_o;
  in.w_valid = t->mem_w_valid_o;
  in.w_data = wd;
  in.w_strb = ws;
  in.r_ready = t->mem_r_ready_o;
  if (rvalid) *rvalid = t->mmio_rvalid_o;
  if (rdata) *rdata = t->mmio_rdata_o;
  r->irq = t->irq_o;
  t->clk_i = 1;
  t->eval();
  r->vc->timeInc(1);
  if (dram_clock(r->dram, &in) && !r->faulted) {
    r->faulted = true;
    std::snprintf(r->fault, sizeof r->fault, "DRAM model: %s", dram_error(r->dram));
  }
  r->cycles++;
}

uint32_t rtl_read32(void *ctx, uint32_t off) {
  Rtl *r = static_cast<Rtl *>(ctx);
  int rvalid = 0;
  uint32_t rdata = 0;
  cycle(r, 1, 0, off, 0, nullptr, nullptr);
  cycle(r, 0, 0, 0, 0, &rvalid, &rdata);
  if (!rvalid && !r->faulted) {
    r->faulted = true;
    std::snprintf(r->fault, sizeof r->fault, "no mmio_rvalid one cycle after a read of 0x%02x", off);
  }
  return rdata;
}

void rtl_write32(void *ctx, uint32_t off, uint32_t v) { cycle(static_cast<Rtl *>(ctx), 1, 1, off, v, nullptr, nullptr); }

int rtl_wait(void *ctx, uint64_t max_cycles) {
  Rtl *r = static_cast<Rtl *>(ctx);
  for (uint64_t i = 0; i < max_cycles && !r->irq && !r->faulted; i++) cycle(r, 0, 0, 0, 0, nullptr, nullptr);
  return r->irq;
}

uint8_t *rtl_dram(void *ctx, size_t *size) {
  Rtl *r = static_cast<Rtl *>(ctx);
  if (size) *size = dram_cfg(r->dram)->size;
  return dram_mem(r->dram);
}

uint64_t rtl_cycles(void *ctx) { return static_cast<Rtl *>(ctx)->cycles; }

const char *rtl_fault(void *ctx) {
  Rtl *r = static_cast<Rtl *>(ctx);
  return r->faulted ? r->fault : nullptr;
}

void rtl_destroy(void *ctx) {
  Rtl *r = static_cast<Rtl *>(ctx);
  if (!r) return;
  if (r->top) {
    r->top->final();
    delete r->top;
  }
  delete r->vc;
  dram_free(r->dram);
  delete r;
}

}  // namespace

extern "C" int edgecim_backend_rtl_open(const edgecim_backend_cfg_t *cfg, edgecim_mmio_t *m, char *err,
                                        size_t errlen) {
  const ecim_hw_t *hw = built_hw();
  if (!hw) {
    std::snprintf(err, errlen, "rtl backend: built for configuration '%s', which include/edgecim_hw.h lacks",
                  EDGECIM_RTL_HW);
    return -1;
  }
  if (cfg && cfg->hw && std::memcmp(cfg->hw, hw, sizeof *hw)) {
    const char *want = ecim_hw_name(cfg->hw);
    std::snprintf(err, errlen,
                  "this binary's RTL is the '%s' configuration; build the '%s' one with `make edgecim-rtl HW=%s` "
                  "(build/hw-%s/edgecim-rtl)",
                  EDGECIM_RTL_HW, want ? want : "?", want ? want : "?", want ? want : "?");
    return -1;
  }
  dram_cfg_t dc;
  if (edgecim_backend_dram_cfg(cfg, hw->data_bytes, &dc, err, errlen)) return -1;
  Rtl *r = new (std::nothrow) Rtl;
  if (!r || !(r->dram = dram_new(&dc))) {
    rtl_destroy(r);
    std::snprintf(err, errlen, "rtl backend: out of memory (DRAM of %u bytes)", dc.size);
    return -1;
  }
  r->vc = new VerilatedContext;
  r->top = new Vedgecim_top(r->vc, "edgecim_top");
  // Reset: a few clock edges with rst_ni low, inputs idle, the DRAM not clocked.
  Vedgecim_top *t = r->top;
  t->mmio_valid_i = t->mmio_write_i = 0;
  t->mem_req_ready_i = t->mem_w_ready_i = t->mem_r_valid_i = 0;
  t->rst_ni = 0;
  for (int i = 0; i < 4; i++) {
    t->clk_i = 0;
    t->eval();
    t->clk_i = 1;
    t->eval();
  }
  t->clk_i = 0;
  t->eval();
  t->rst_ni = 1;
  t->eval();
  *m = edgecim_mmio_t{};
  m->ctx = r;
  m->read32 = rtl_read32;
  m->write32 = rtl_write32;
  m->wait = rtl_wait;
  m->dram = rtl_dram;
  m->cycles = rtl_cycles;
  m->fault = rtl_fault;
  m->destroy = rtl_destroy;
  m->name = "rtl";
  return 0;
}
