/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter table, defaults and parsing. Sources of each default: docs/PERF_MODEL.md. The build
 * parameters take their defaults and legal values from include/edgecim_hw.h (ECIM_HW_PARAMS,
 * ecim_hw_check), generated from hw/edgecim_hw.json: none is copied here. */
#include "perf_hw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perf_area.h"

#define P(field, def, lo, hi, isint, unit, help) \
  {#field, offsetof(perf_hw_t, field), def, lo, hi, isint, unit, help, NULL}
/* A build parameter: default and range filled in from ECIM_HW_PARAMS by table() */
#define HWP(field, help) {#field, offsetof(perf_hw_t, field), 0, 0, 0, 1, "", help, NULL}

static perf_param_t table_[] = {
  HWP(ntiles, "CIM tiles (NTiles)"),
  HWP(nmacros, "streaming macros per tile (NMacros)"),
  HWP(nres, "resident macros per tile (NRes)"),
  HWP(max_wbits, "widest weight a command may use (MaxWBits)"),
  HWP(abits, "activation bits = bit-planes per macro operation (ABits)"),
  HWP(data_bytes, "memory port bytes per cycle (DataBytes)"),
  HWP(macro_rows, "macro rows: inputs of a weight block (MacroRows)"),
  HWP(macro_cols, "macro columns: outputs of a weight block (MacroCols)"),
  HWP(ppu_cols, "output columns post-processed per cycle (PpuCols)"),
  HWP(act_bytes, "activation buffer of a tile in bytes (ActBytes)"),
  HWP(max_batch, "largest batch of one command (MaxBatch)"),
  HWP(fifo_beats, "read FIFO of the DMA in port beats (FifoBeats)"),
  HWP(max_burst, "largest read burst in beats (MaxBurst)"),
  HWP(queue_depth, "command queue entries (QueueDepth)"),
  HWP(vec_lanes, "vector unit lanes: elements per cycle (VecLanes)"),
  HWP(vec_bank_bytes, "bytes of each vector unit bank (VecBankBytes)"),
  P(wbits, 0, 0, 8, 1, "bit", "weight bits of every layer (0 = the model's: 4, BitNet 2)"),
  P(wbits_attn, 0, 0, 8, 1, "bit", "weight bits of the attention projections (0 = wbits)"),
  P(wbits_ffn, 0, 0, 8, 1, "bit", "weight bits of the feed-forward matrices (0 = wbits)"),
  P(wbits_lm_head, 0, 0, 8, 1, "bit", "weight bits of the LM head (0 = wbits)"),
  P(clock_mhz, 400, 1, 5000, 0, "MHz", "accelerator clock"),
  P(clock_max_mhz, 500, 1, 5000, 0, "MHz", "clock reachable at vdd_nom"),
  P(vdd_nom, 1.0, 0.3, 2.0, 0, "V", "nominal supply"),
  P(vdd_min, 0.7, 0.3, 2.0, 0, "V", "supply at clock -> 0"),
  P(dram_gb_s, 68, 0.1, 10000, 0, "GB/s", "DRAM bandwidth"),
  P(dram_latency_ns, 100, 0, 1e5, 0, "ns", "DRAM first-access latency"),
  P(dram_stall_pct, 0, 0, 90, 0, "%", "cycles in which the DRAM moves no beat (refresh, conflicts)"),
  P(dram_queue, 8, 1, 256, 1, "", "read/write requests the DRAM queues"),
  P(dram_posted_writes, 0, 0, 1, 1, "", "1: the DRAM takes write data at once (a write buffer); 0: writes wait the latency"),
  P(dram_pj_bit, 5.0, 0, 100, 0, "pJ/bit", "DRAM access energy incl. interface"),
  P(kv_bits, 16, 4, 32, 1, "bit", "KV-cache element bits"),
  P(mac_fj_bitop, 8.0, 0, 1e4, 0, "fJ", "CIM energy per 1b x 1b MAC"),
  P(sram_rd_pj_bit, 0.22, 0, 100, 0, "pJ/bit", "buffer SRAM read"),
  P(sram_wr_pj_bit, 0.22, 0, 100, 0, "pJ/bit", "macro/buffer SRAM write"),
  P(pp_pj_term, 1.4, 0, 1e3, 0, "pJ", "post-processing per group term"),
  P(host_gops, 64, 0.01, 1e5, 0, "Gop/s", "firmware element-op throughput"),
  P(host_pj_op, 5.0, 0, 1e4, 0, "pJ", "firmware energy per element op"),
  P(host_op_ns, 200, 0, 1e6, 0, "ns", "fixed cost per non-GEMV op"),
  P(leak_mw_base, 10, 0, 1e5, 0, "mW", "leakage of controller, PHY, host glue"),
  P(leak_mw_tile, 0.5, 0, 1e4, 0, "mW", "leakage per tile (sequencer, post-proc, buffer)"),
  P(leak_mw_macro_bank, 0.05, 0, 1e4, 0, "mW", "leakage per macro bank"),
  P(area_mm2_base, 4.0, 0, 1e4, 0, "mm2", "LPDDR PHY, memory controller, host interface"),
  P(nand2_um2, 1.44, 0.01, 100, 0, "um2", "area of one NAND2 gate equivalent (65 nm)"),
  P(sram_um2_bit, 0.57, 0.01, 100, 0, "um2", "6T SRAM bit-cell (65 nm)"),
  P(sram_array_eff, 0.6, 0.05, 1, 0, "", "share of an SRAM macro's area that is bit-cells"),
  P(fo4_ps, 33, 1, 1000, 0, "ps", "FO4 inverter delay (65 nm)"),
  P(cell_fo4, 1.5, 0.1, 10, 0, "FO4", "delay of one Yosys gate-level cell on a path"),
  P(seq_fo4, 4, 0, 100, 0, "FO4", "flip-flop clock-to-output + setup + skew per cycle"),
};
#undef P
#undef HWP

static const perf_param_t *table(void) {
  static int done;
  if (!done) {
    for (size_t i = 0; i < sizeof table_ / sizeof table_[0]; i++) {
      const ecim_hw_param_t *h = ecim_hw_param_find(table_[i].key);
      if (!h) continue;
      table_[i].hw = h;
      table_[i].def = (double)h->def;
      table_[i].min = (double)h->min;
      table_[i].max = (double)h->max;
    }
    done = 1;
  }
  return table_;
}

const perf_param_t *perf_params = table_;
int perf_n_params = (int)(sizeof table_ / sizeof table_[0]);

double perf_hw_get(const perf_hw_t *hw, const perf_param_t *p) {
  return *(const double *)((const char *)hw + p->offset);
}

void perf_hw_put(perf_hw_t *hw, const perf_param_t *p, double v) {
  *(double *)((char *)hw + p->offset) = v;
}

void perf_hw_default(perf_hw_t *hw) {
  const perf_param_t *t = table();
  memset(hw, 0, sizeof *hw);
  for (int i = 0; i < perf_n_params; i++) perf_hw_put(hw, &t[i], t[i].def);
}

const perf_param_t *perf_param_find(const char *key) {
  const perf_param_t *t = table();
  for (int i = 0; i < perf_n_params; i++)
    if (strcmp(t[i].key, key) == 0) return &t[i];
  return NULL;
}

int perf_param_check(const perf_param_t *p, double v, char *err, size_t errlen) {
  table();
  if (p->integer && v != floor(v)) {
    snprintf(err, errlen, "parameter '%s': %g is not an integer", p->key, v);
    return -1;
  }
  if (!(v >= p->min && v <= p->max)) {
    snprintf(err, errlen, "parameter '%s': %g out of range [%g, %g]", p->key, v, p->min, p->max);
    return -1;
  }
  if (p->hw && !ecim_hw_param_legal(p->hw, (long long)v)) {
    snprintf(err, errlen, "parameter '%s': %g is not a legal %s (hw/edgecim_hw.json)", p->key, v, p->hw->name);
    return -1;
  }
  return 0;
}

int perf_hw_set(perf_hw_t *hw, const char *key, const char *value, char *err, size_t errlen) {
  const perf_param_t *p = perf_param_find(key);
  if (!p) {
    snprintf(err, errlen, "unknown parameter '%s' (see `edgecim perf --params`)", key);
    return -1;
  }
  char *end;
  errno = 0;
  double v = strtod(value, &end);
  while (*end == ' ' || *end == '\t') end++;
  if (end == value || *end || errno || !isfinite(v)) {
    snprintf(err, errlen, "parameter '%s': '%s' is not a number", key, value);
    return -1;
  }
  if (p->integer && v != floor(v)) {
    snprintf(err, errlen, "parameter '%s': '%s' is not an integer", key, value);
    return -1;
  }
  if (perf_param_check(p, v, err, errlen)) return -1;
  perf_hw_put(hw, p, v);
  return 0;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) *--e = 0;
  return s;
}

int perf_hw_set_kv(perf_hw_t *hw, const char *kv, char *err, size_t errlen) {
  char buf[256];
  if (strlen(kv) >= sizeof buf) {
    snprintf(err, errlen, "setting too long: '%.40s...'", kv);
    return -1;
  }
  strcpy(buf, kv);
  char *eq = strchr(buf, '=');
  if (!eq) {
    snprintf(err, errlen, "expected key=value, got '%s'", kv);
    return -1;
  }
  *eq = 0;
  char *key = trim(buf), *val = trim(eq + 1);
  if (!*val) {
    snprintf(err, errlen, "parameter '%s': missing value", key);
    return -1;
  }
  return perf_hw_set(hw, key, val, err, errlen);
}

int perf_hw_load(perf_hw_t *hw, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  char line[512], msg[256];
  int lineno = 0, rc = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash) *hash = 0;
    char *s = trim(line);
    if (!*s) continue;
    if (!strchr(s, '=')) {
      snprintf(err, errlen, "%s:%d: expected 'key = value', got '%s'", path, lineno, s);
      rc = -1;
      break;
    }
    if (perf_hw_set_kv(hw, s, msg, sizeof msg)) {
      snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
      rc = -1;
      break;
    }
  }
  if (!rc && ferror(f)) { /* e.g. a directory: fopen succeeds, reading fails with EISDIR */
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    rc = -1;
  }
  fclose(f);
  return rc;
}

static int wbits_ok(double w) { return w == 0 || w == 2 || w == 4 || w == 8; }

int perf_hw_validate(const perf_hw_t *hw, char *err, size_t errlen) {
  const perf_param_t *t = table();
  for (int i = 0; i < perf_n_params; i++)
    if (perf_param_check(&t[i], perf_hw_get(hw, &t[i]), err, errlen)) return -1;
  ecim_hw_t e;
  perf_hw_ecim(hw, &e);
  if (ecim_hw_check(&e, err, errlen)) return -1;
  if (hw->clock_mhz > hw->clock_max_mhz) {
    snprintf(err, errlen, "clock_mhz %g > clock_max_mhz %g", hw->clock_mhz, hw->clock_max_mhz);
    return -1;
  }
  if (hw->vdd_min > hw->vdd_nom) {
    snprintf(err, errlen, "vdd_min %g > vdd_nom %g", hw->vdd_min, hw->vdd_nom);
    return -1;
  }
  if (!wbits_ok(hw->wbits) || !wbits_ok(hw->wbits_attn) || !wbits_ok(hw->wbits_ffn) || !wbits_ok(hw->wbits_lm_head)) {
    snprintf(err, errlen, "wbits, wbits_attn, wbits_ffn, wbits_lm_head must each be 0, 2, 4 or 8");
    return -1;
  }
  return 0;
}

void perf_hw_write(const perf_hw_t *hw, FILE *f) {
  const perf_param_t *t = table();
  for (int i = 0; i < perf_n_params; i++)
    fprintf(f, "%-22s = %-10.6g # %s%s%s\n", t[i].key, perf_hw_get(hw, &t[i]), t[i].help, *t[i].unit ? ", " : "",
            t[i].unit);
}

void perf_hw_ecim(const perf_hw_t *hw, ecim_hw_t *e) {
  const perf_param_t *t = table();
  *e = ECIM_HW_CONFIGS[0].hw; /* MemBytes: not a performance parameter */
  for (int i = 0; i < perf_n_params; i++)
    if (t[i].hw) ecim_hw_put(e, t[i].hw, (long long)perf_hw_get(hw, &t[i]));
}

void perf_hw_from_ecim(perf_hw_t *hw, const ecim_hw_t *e) {
  const perf_param_t *t = table();
  for (int i = 0; i < perf_n_params; i++)
    if (t[i].hw) perf_hw_put(hw, &t[i], (double)ecim_hw_get(e, t[i].hw));
}

void perf_hw_dram(const perf_hw_t *hw, perf_dram_t *d) {
  double bpc = perf_hw_dram_bytes_per_cycle(hw);
  d->bytes_per_cycle = bpc < hw->data_bytes ? bpc : hw->data_bytes; /* the port is the limit */
  d->latency = fmax(1, round(hw->dram_latency_ns * hw->clock_mhz * 1e-3));
  d->stall_pct = hw->dram_stall_pct;
  d->queue_depth = (int)hw->dram_queue;
  d->posted_writes = (int)hw->dram_posted_writes;
}

double perf_hw_vdd(const perf_hw_t *hw) {
  double f = hw->clock_mhz / hw->clock_max_mhz;
  if (f > 1) f = 1;
  return hw->vdd_min + (hw->vdd_nom - hw->vdd_min) * f;
}

double perf_hw_area_mm2(const perf_hw_t *hw) {
  perf_area_t a;
  perf_area(hw, &a);
  return a.total_mm2;
}

double perf_hw_leak_mw(const perf_hw_t *hw) {
  double v = perf_hw_vdd(hw) / hw->vdd_nom; /* leakage ~ V (first order, DIBL ignored) */
  double banks = hw->ntiles * (2 * hw->nmacros + 2 * hw->nres); /* active + shadow per macro */
  return v * (hw->leak_mw_base + hw->ntiles * hw->leak_mw_tile + banks * hw->leak_mw_macro_bank);
}
