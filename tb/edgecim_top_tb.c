/* SPDX-License-Identifier: Apache-2.0 */
/* Co-simulation testbench of edgecim_top, the engine (see edgecim_top_tb.h): it runs the script
 * of edgecim_top_script.c in order, one MMIO access per cycle at most, serves the memory port
 * from the DRAM model, and compares the RTL with the C model on every output of every cycle.
 * A GEMV's buffers are written (backdoor) just before it is programmed; once STATUS.BUSY drops
 * its y is compared with the golden model. */
#include "edgecim_top_tb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgecim_regs.h"
#include "edgecim_top_tb_int.h"

top_tb_t tb;
/* EDGECIM_TB_NO_CHECK=1: the scoreboard still runs but never stops the simulation (make sva-fire:
 * a broken design runs on until its assertions fire). */
static int no_check;

top_tb_opts_t top_tb_default_opts(void) {
  top_tb_opts_t o;
  memset(&o, 0, sizeof o);
  o.seed = 1;
  o.random_cases = 20;
  o.vu = 1;
  o.vu_cases = 24;
  o.max_dim = 2048;
  o.real_shapes = 1;
  o.errors = 1;
  o.latency = 40;
  o.inject_mismatch = -1;
  return o;
}

void top_tb_set_options(const top_tb_opts_t *o) { tb.opt = *o; }
int top_tb_status(void) { return tb.status; }

static int fail(void) {
  if (tb.model) ecim_top_debug(tb.model, stdout);
  fflush(stdout);
  tb.status = TOP_TB_FAIL;
  return TOP_TB_FAIL;
}

int top_tb_init(const ecim_hw_t *cfg) {
  char err[160];
  if (ecim_hw_check(cfg, err, sizeof err)) {
    fprintf(stderr, "top_tb: %s\n", err);
    return -1;
  }
  tb.cfg = *cfg;
  no_check = getenv("EDGECIM_TB_NO_CHECK") && atoi(getenv("EDGECIM_TB_NO_CHECK"));
  tb.geom = ecim_geom_of(cfg);
  tb.max_k = cfg->act_bytes < ECIM_MAX_K ? cfg->act_bytes : ECIM_MAX_K;
  dram_cfg_t dc = {64u << 20, cfg->data_bytes, tb.opt.bw > 0 ? tb.opt.bw : cfg->data_bytes,
                   tb.opt.latency > 0 ? tb.opt.latency : 40, tb.opt.stall_pct, 8, tb.opt.seed,
                   tb.opt.posted_writes};
  if (dram_cfg_check(&dc, err, sizeof err)) {
    fprintf(stderr, "top_tb: %s\n", err);
    return -1;
  }
  tb.model = ecim_top_new(cfg);
  tb.dram = dram_new(&dc);
  if (!tb.model || !tb.dram) {
    fprintf(stderr, "top_tb: out of memory\n");
    return -1;
  }
  tb.rng.s = tb.opt.seed;
  tb.heap = TB_HEAP_BASE;
  tb.read_act.kind = A_MARK; /* no read in flight */
  if (tb.opt.max_dim <= 0) tb.opt.max_dim = 2048;
  if (tb_build()) return -1;
  printf("edgecim_top co-simulation: %s (NTiles=%d NMacros=%d NRes=%d MaxWBits=%d ABits=%d DataBytes=%d "
         "macro %dx%d PpuCols=%d ActBytes=%d MaxBatch=%d) seed=%" PRIu64 " gemvs=%d dram: %.1f B/cycle, latency %d, "
         "stalls %d%%%s\n",
         ecim_hw_name(cfg), cfg->ntiles, cfg->nmacros, cfg->nres, cfg->max_wbits, cfg->abits, cfg->data_bytes,
         cfg->macro_rows, cfg->macro_cols, cfg->ppu_cols, cfg->act_bytes, cfg->max_batch, tb.opt.seed, tb.n_gemvs,
         dc.bytes_per_cycle, dc.latency, dc.stall_pct, dc.posted_writes ? ", posted writes" : "");
  return 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Per cycle                                                                                   */
/* ----------------------------------------------------------------------------------------- */
static const char *action_str(void) {
  static char s[256];
  int i = tb.pc < tb.n_acts ? tb.pc : tb.n_acts - 1;
  int g = -1;
  for (int j = i; j >= 0 && g < 0; j--) g = tb.acts[j].gemv; /* the GEMV this part of the script is about */
  if (g >= 0)
    snprintf(s, sizeof s, "action %d, gemv %d (%s, K=%d N=%d wbits=%d batch=%d flags=0x%x)", i, g, tb.gemvs[g].name,
             tb.gemvs[g].K, tb.gemvs[g].N, tb.gemvs[g].wbits, tb.gemvs[g].batch, tb.gemvs[g].flags);
  else
    snprintf(s, sizeof s, "action %d (register bring-up)", i);
  return s;
}

static int mismatch(const char *sig, uint64_t exp, uint64_t act) {
  printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " signal=%s expected=0x%" PRIx64 " actual=0x%" PRIx64
         " (C model vs RTL; %s)\n",
         tb.opt.seed, tb.cycle, sig, exp, act, action_str());
  return 1;
}

static int compare(const top_tb_dut_t *d, const ecim_top_out_t *m) {
  tb.outputs_compared++;
  if (tb.opt.inject_mismatch >= 0 && tb.cycle == (uint64_t)tb.opt.inject_mismatch) {
    printf("(--inject-mismatch %" PRId64 ": the C model's irq is inverted at this cycle)\n", tb.opt.inject_mismatch);
    return mismatch("irq", (uint64_t)!m->irq, (uint64_t)d->irq);
  }
  if (d->mmio_rvalid != m->mmio_rvalid) return mismatch("mmio_rvalid", (uint64_t)m->mmio_rvalid, (uint64_t)d->mmio_rvalid);
  if (m->mmio_rvalid && d->mmio_rdata != m->mmio_rdata) return mismatch("mmio_rdata", m->mmio_rdata, d->mmio_rdata);
  if (d->irq != m->irq) return mismatch("irq", (uint64_t)m->irq, (uint64_t)d->irq);
  if (d->mem.req_valid != m->mem.req_valid) return mismatch("mem_req_valid", (uint64_t)m->mem.req_valid, (uint64_t)d->mem.req_valid);
  if (m->mem.req_valid) {
    if (d->mem.req_we != m->mem.req_we) return mismatch("mem_req_we", (uint64_t)m->mem.req_we, (uint64_t)d->mem.req_we);
    if (d->mem.req_addr != m->mem.req_addr) return mismatch("mem_req_addr", m->mem.req_addr, d->mem.req_addr);
    if (d->mem.req_len != m->mem.req_len) return mismatch("mem_req_len", (uint64_t)m->mem.req_len, (uint64_t)d->mem.req_len);
  }
  if (d->mem.w_valid != m->mem.w_valid) return mismatch("mem_w_valid", (uint64_t)m->mem.w_valid, (uint64_t)d->mem.w_valid);
  if (m->mem.w_valid) {
    for (int i = 0; i < tb.cfg.data_bytes; i++) {
      char s[40];
      if (d->mem.w_strb[i] != m->mem.w_strb[i]) {
        snprintf(s, sizeof s, "mem_w_strb bit %d", i);
        return mismatch(s, m->mem.w_strb[i], d->mem.w_strb[i]);
      }
      if (m->mem.w_strb[i] && d->mem.w_data[i] != m->mem.w_data[i]) {
        snprintf(s, sizeof s, "mem_w_data byte %d", i);
        return mismatch(s, m->mem.w_data[i], d->mem.w_data[i]);
      }
    }
  }
  if (d->mem.r_ready != m->mem.r_ready) return mismatch("mem_r_ready", (uint64_t)m->mem.r_ready, (uint64_t)d->mem.r_ready);
  return 0;
}

static void report_gemv(gemv_t *g) {
  if (!tb.opt.bench) return;
  uint64_t cyc = g->end_cycle - g->start_cycle;
  double util = cyc ? (double)g->bytes / ((double)cyc * tb.cfg.data_bytes) : 0;
  printf("BENCH %-26s K=%5d N=%6d wbits=%d batch=%2d cycles=%9" PRIu64 " bytes=%10" PRIu64 " port-utilization=%.1f%%\n",
         g->name, g->K, g->N, g->wbits, g->batch, cyc, g->bytes, 100.0 * util);
  fflush(stdout);
}

/* Runs actions until one needs a cycle of MMIO or waiting; fills tb.in's mmio fields. */
static int next_action(const top_tb_dut_t *d) {
  tb.in.mmio_valid = tb.in.mmio_write = 0;
  tb.in.mmio_addr = tb.in.mmio_wdata = 0;
  if (tb.pending_read && --tb.pending_read) return 0; /* the DUT samples the read this cycle */
  if (tb.read_act.kind != A_MARK) {
    /* the read issued two steps ago returns now (driven next cycle, answered the one after) */
    action_t done_act = tb.read_act;
    tb.read_act.kind = A_MARK;
    if (!d->mmio_rvalid && !no_check) return mismatch("mmio_rvalid after a read", 1, 0), fail();
    if (done_act.kind == A_READ && done_act.mask && (d->mmio_rdata & done_act.mask) != done_act.val && !no_check) {
      printf("MISMATCH seed=%" PRIu64 " cycle=%" PRIu64 " register 0x%02x (%s): expected 0x%08x (mask 0x%08x) actual 0x%08x\n",
             tb.opt.seed, tb.cycle, done_act.addr, done_act.what, done_act.val, done_act.mask, d->mmio_rdata);
      return fail();
    }
    if (done_act.kind == A_READ) tb.reg_checks++;
    tb_fcov_read(done_act.kind == A_WAIT_IDLE ? EDGECIM_REG_STATUS : done_act.addr, d->mmio_rdata);
    if (done_act.kind == A_WAIT_IDLE && !(d->mmio_rdata & 1)) tb.pc++; /* STATUS.BUSY dropped */
  }
  while (tb.pc < tb.n_acts) {
    action_t *a = &tb.acts[tb.pc];
    switch (a->kind) {
      case A_SETUP:
        tb_setup_gemv(&tb.gemvs[a->gemv]);
        tb.pc++;
        continue;
      case A_VSETUP:
        tb_setup_vop((int)a->addr);
        tb.pc++;
        continue;
      case A_VCHECK:
        if (tb_check_vop((int)a->addr)) return fail();
        tb.checks++;
        tb.pc++;
        continue;
      case A_POKE: {
        uint8_t *m = dram_mem(tb.dram) + a->addr;
        for (int i = 0; i < 4; i++) m[i] = (uint8_t)(a->val >> (8 * i));
        tb.pc++;
        continue;
      }
      case A_MARK: {
        gemv_t *g = &tb.gemvs[a->gemv];
        tb_fcov_gemv(g);
        g->start_cycle = tb.cycle + 1;
        dram_stats_t s = dram_stats(tb.dram);
        g->bytes = s.bytes_read + s.beats_written * (uint64_t)tb.cfg.data_bytes;
        tb.pc++;
        continue;
      }
      case A_CALL:
        if (a->call(a) && !no_check) return fail();
        tb.pc++;
        continue;
      case A_CHECK: {
        gemv_t *g = &tb.gemvs[a->gemv];
        if (tb_check_gemv(g) && !no_check) return fail();
        tb.gemvs_checked++;
        report_gemv(g);
        tb_release_gemv(g);
        tb.pc++;
        continue;
      }
      case A_WRITE:
        tb.in.mmio_valid = tb.in.mmio_write = 1;
        tb.in.mmio_addr = a->addr;
        tb.in.mmio_wdata = a->val;
        tb.pc++;
        return 0;
      case A_READ:
        tb.in.mmio_valid = 1;
        tb.in.mmio_addr = a->addr;
        tb.pending_read = 2;
        tb.read_act = *a;
        tb.pc++;
        return 0;
      case A_WAIT_IDLE:
        /* poll STATUS every 8 cycles; tb.pc advances when BUSY reads 0 */
        if (tb.cycle % 8 == 0) {
          tb.in.mmio_valid = 1;
          tb.in.mmio_addr = EDGECIM_REG_STATUS;
          tb.pending_read = 2;
          tb.read_act = *a;
        }
        return 0;
    }
  }
  return 0;
}

int top_tb_step(int in_reset, const top_tb_dut_t *dut, top_tb_drive_t *next) {
  if (in_reset || tb.status != TOP_TB_RUN) {
    if (in_reset) {
      ecim_top_reset(tb.model);
      memset(&tb.in, 0, sizeof tb.in);
      dram_out(tb.dram, &tb.in.mem);
    }
    *next = tb.in;
    return tb.status;
  }
  ecim_top_out_t mo;
  ecim_top_eval(tb.model, &tb.in, &mo);
  if (!no_check && compare(dut, &mo)) return fail();
  tb_fcov_cycle(dut, &tb.in);
  ecim_top_clock(tb.model, &tb.in);
  top_tb_dut_t dd = *dut;
  dd.mem.w_data = dut->w_data;
  if (dram_clock(tb.dram, &dd.mem) && !(tb.oor_ok && ++tb.oor_beats) && !no_check) {
    printf("FAIL seed=%" PRIu64 ": %s\n", tb.opt.seed, dram_error(tb.dram));
    return fail();
  }
  tb.cycle++;
  int before = tb.pc;
  if (next_action(dut) == TOP_TB_FAIL) return TOP_TB_FAIL;
  if (tb.pc != before) tb.last_progress = tb.cycle;
  /* figures: a GEMV ends when the accelerator goes idle (exact for GEMVs run alone) */
  for (int gi = 0; gi < tb.n_gemvs; gi++) {
    gemv_t *g = &tb.gemvs[gi];
    if (g->start_cycle && !g->end_cycle && mo.mem.req_valid == 0 && !mo.busy && tb.cycle > g->start_cycle + 2) {
      dram_stats_t s = dram_stats(tb.dram);
      g->end_cycle = tb.cycle;
      g->bytes = s.bytes_read + s.beats_written * (uint64_t)tb.cfg.data_bytes - g->bytes;
    }
  }
  if (tb.pc >= tb.n_acts && tb.read_act.kind == A_MARK) {
    tb.status = TOP_TB_PASS;
    *next = tb.in;
    return tb.status;
  }
  if (tb.cycle - tb.last_progress > 20000000) {
    printf("FAIL seed=%" PRIu64 " cycle=%" PRIu64 ": no progress for 20M cycles at action %d (hang)\n", tb.opt.seed,
           tb.cycle, tb.pc);
    return fail();
  }
  dram_out(tb.dram, &tb.in.mem);
  *next = tb.in;
  return TOP_TB_RUN;
}

void top_tb_progress(char *buf, size_t n) {
  int i = tb.pc < tb.n_acts ? tb.pc : tb.n_acts - 1, g = -1;
  for (int j = i; j >= 0 && g < 0; j--) g = tb.acts[j].gemv;
  snprintf(buf, n, "%d/%d GEMVs checked, at %s", tb.gemvs_checked, tb.n_gemvs,
           g >= 0 ? tb.gemvs[g].name : "register bring-up");
}

void top_tb_summary(double host_seconds) {
  dram_stats_t s = dram_stats(tb.dram);
  printf("config      %s: NTiles=%d NMacros=%d NRes=%d MaxWBits=%d DataBytes=%d macro %dx%d MaxBatch=%d\n",
         ecim_hw_name(&tb.cfg), tb.cfg.ntiles, tb.cfg.nmacros, tb.cfg.nres, tb.cfg.max_wbits, tb.cfg.data_bytes,
         tb.cfg.macro_rows, tb.cfg.macro_cols, tb.cfg.max_batch);
  printf("seed        %" PRIu64 "\n", tb.opt.seed);
  printf("gemvs       %d run, %ld y vectors compared with the golden model, %ld register checks, %ld error paths\n",
         tb.n_gemvs, tb.checks, tb.reg_checks, tb.errors_checked);
  printf("cycles      %" PRIu64 " simulated, every output compared with the C model (%ld cycles)\n", tb.cycle,
         tb.outputs_compared);
  printf("dram        %" PRIu64 " bytes read, %" PRIu64 " written, port busy %.1f%% of cycles\n", s.bytes_read,
         s.bytes_written, s.cycles ? 100.0 * (double)s.busy_cycles / (double)s.cycles : 0.0);
  if (host_seconds > 0)
    printf("speed       %.0f simulated cycles/s (%.2f s host CPU)\n", (double)tb.cycle / host_seconds, host_seconds);
  tb_fcov_summary();
  printf("mismatches  %d\n", tb.status == TOP_TB_FAIL ? 1 : 0);
  printf("result      %s\n", tb.status == TOP_TB_PASS ? "PASS" : "FAIL");
}
