/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter table, defaults and parsing. Sources of each default: docs/PERF_MODEL.md. */
#include "perf_hw.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define P(field, def, lo, hi, isint, unit, help) \
  {#field, offsetof(perf_hw_t, field), def, lo, hi, isint, unit, help}

const perf_param_t perf_params[] = {
  P(tiles, 8, 1, 4096, 1, "", "tiles"),
  P(macros_per_tile, 4, 1, 1024, 1, "", "CIM macros per tile"),
  P(rows, 128, 32, 4096, 1, "", "macro rows (inputs per block)"),
  P(cols, 32, 8, 1024, 1, "", "macro columns (outputs per block)"),
  P(group_rows, 32, 8, 1024, 1, "", "rows per scale group"),
  P(wbits, 0, 0, 8, 1, "bit", "weight bits (0 = the model's: 4, BitNet 2)"),
  P(abits, 8, 1, 16, 1, "bit", "activation bits = compute cycles per block"),
  P(resident_banks, 0, 0, 64, 1, "", "extra banks per macro holding resident weights"),
  P(write_bytes_per_cycle, 16, 1, 1024, 0, "B", "macro bank write port width per cycle"),
  P(xbuf_kb, 64, 1, 65536, 0, "KiB", "input vector buffer per tile"),
  P(clock_mhz, 400, 1, 5000, 0, "MHz", "accelerator clock"),
  P(clock_max_mhz, 500, 1, 5000, 0, "MHz", "clock reachable at vdd_nom"),
  P(vdd_nom, 1.0, 0.3, 2.0, 0, "V", "nominal supply"),
  P(vdd_min, 0.7, 0.3, 2.0, 0, "V", "supply at clock -> 0"),
  P(gemv_cmd_cycles, 32, 0, 1e6, 0, "cycle", "per-GEMV command overhead"),
  P(fill_extra_cycles, 0, 0, 1e6, 0, "cycle", "extra pipeline fill per GEMV"),
  P(block_handoff_cycles, 2.5, 0, 1e4, 0, "cycle", "router bubble per weight block, one streaming macro per tile"),
  P(dram_inflight_bytes, 1e6, 16, 1e9, 0, "B", "read bytes in flight (DMA FIFO credits, DRAM request queue)"),
  P(dram_gb_s, 68, 0.1, 10000, 0, "GB/s", "DRAM bandwidth"),
  P(dram_latency_ns, 100, 0, 1e5, 0, "ns", "DRAM first-access latency"),
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
  P(area_mm2_base, 4.0, 0, 1e4, 0, "mm2", "controller, DRAM PHY, host interface"),
  P(area_mm2_tile, 0.15, 0, 1e3, 0, "mm2", "per tile: sequencer, post-processing"),
  P(area_mm2_macro, 0.30, 0, 1e3, 0, "mm2", "per macro with its 2 banks + adder trees"),
  P(area_mm2_bank, 0.05, 0, 1e3, 0, "mm2", "per extra (resident) bank"),
  P(area_mm2_buf_kb, 0.012, 0, 10, 0, "mm2/KiB", "buffer SRAM area"),
};
#undef P

const int perf_n_params = (int)(sizeof perf_params / sizeof perf_params[0]);

double perf_hw_get(const perf_hw_t *hw, const perf_param_t *p) {
  return *(const double *)((const char *)hw + p->offset);
}

void perf_hw_put(perf_hw_t *hw, const perf_param_t *p, double v) {
  *(double *)((char *)hw + p->offset) = v;
}

void perf_hw_default(perf_hw_t *hw) {
  memset(hw, 0, sizeof *hw);
  for (int i = 0; i < perf_n_params; i++) perf_hw_put(hw, &perf_params[i], perf_params[i].def);
}

const perf_param_t *perf_param_find(const char *key) {
  for (int i = 0; i < perf_n_params; i++)
    if (strcmp(perf_params[i].key, key) == 0) return &perf_params[i];
  return NULL;
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
  if (v < p->min || v > p->max) {
    snprintf(err, errlen, "parameter '%s': %g out of range [%g, %g]", key, v, p->min, p->max);
    return -1;
  }
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

int perf_hw_validate(const perf_hw_t *hw, char *err, size_t errlen) {
  for (int i = 0; i < perf_n_params; i++) {
    const perf_param_t *p = &perf_params[i];
    double v = perf_hw_get(hw, p);
    if (!(v >= p->min && v <= p->max) || (p->integer && v != floor(v))) {
      snprintf(err, errlen, "parameter '%s' = %g invalid", p->key, v);
      return -1;
    }
  }
  if (hw->clock_mhz > hw->clock_max_mhz) {
    snprintf(err, errlen, "clock_mhz %g > clock_max_mhz %g", hw->clock_mhz, hw->clock_max_mhz);
    return -1;
  }
  if (hw->vdd_min > hw->vdd_nom) {
    snprintf(err, errlen, "vdd_min %g > vdd_nom %g", hw->vdd_min, hw->vdd_nom);
    return -1;
  }
  if (fmod(hw->rows, hw->group_rows) != 0 || fmod(hw->rows, 32) != 0) {
    snprintf(err, errlen, "rows %g must be a multiple of group_rows %g and of 32", hw->rows,
             hw->group_rows);
    return -1;
  }
  if (hw->wbits != 0 && hw->wbits != 2 && hw->wbits != 4 && hw->wbits != 8) {
    snprintf(err, errlen, "wbits %g must be 0 (model's), 2, 4 or 8", hw->wbits);
    return -1;
  }
  return 0;
}

void perf_hw_write(const perf_hw_t *hw, FILE *f) {
  for (int i = 0; i < perf_n_params; i++)
    fprintf(f, "%-22s = %-10.6g # %s%s%s\n", perf_params[i].key, perf_hw_get(hw, &perf_params[i]),
            perf_params[i].help, *perf_params[i].unit ? ", " : "", perf_params[i].unit);
}

double perf_hw_vdd(const perf_hw_t *hw) {
  double f = hw->clock_mhz / hw->clock_max_mhz;
  if (f > 1) f = 1;
  return hw->vdd_min + (hw->vdd_nom - hw->vdd_min) * f;
}

/* Banks per macro: active + shadow (double buffering) + resident ones. */
static double banks_per_macro(const perf_hw_t *hw) { return 2 + hw->resident_banks; }

double perf_hw_area_mm2(const perf_hw_t *hw) {
  double macros = perf_hw_macros(hw);
  return hw->area_mm2_base +
         hw->tiles * (hw->area_mm2_tile + hw->xbuf_kb * hw->area_mm2_buf_kb) +
         macros * (hw->area_mm2_macro + hw->resident_banks * hw->area_mm2_bank);
}

double perf_hw_leak_mw(const perf_hw_t *hw) {
  double v = perf_hw_vdd(hw) / hw->vdd_nom; /* leakage ~ V (first order, DIBL ignored) */
  return v * (hw->leak_mw_base + hw->tiles * hw->leak_mw_tile +
              perf_hw_macros(hw) * banks_per_macro(hw) * hw->leak_mw_macro_bank);
}
