// Verilator harness of the vector-unit co-simulation: options, then the shared clock loop.
// Stimulus and checks live in C (tb/edgecim_vu_tb.c).
#include <cstdio>
#include <cstring>

#include "Vtb_edgecim_vu.h"
#include "sim_common.h"

extern "C" {
#include "edgecim_vu_tb.h"
int vu_tb_done(void);
}

static void usage(const char *prog) {
  std::printf(
      "usage: %s [--seed N] [--ops N] [--max-count N] [--long] [--max-cycles N] [--trace FILE.fst] [--verbose]\n"
      "  Co-simulates edgecim_vu (RTL, Verilator) against its C model on random vector ops; exit 0\n"
      "  when every output matched on every cycle. --seed reproduces a run; --long adds ops of many\n"
      "  chunks; --trace needs a TRACE=1 build. (+seed=N +ops=N as plusargs too.)\n",
      prog);
}

int main(int argc, char **argv) {
  vu_tb_opts_t opt = {1, 200, 0, 0, 3, 0};
  const char *trace = nullptr;
  for (int i = 1; i < argc; i++) {
    unsigned long long v = 0;
    const char *a = argv[i];
    bool has_val = i + 1 < argc;
    if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
      usage(argv[0]);
      return 0;
    } else if (!std::strcmp(a, "--seed") && has_val && sim_parse_num(argv[i + 1], &v)) {
      opt.seed = v, i++;
    } else if (!std::strcmp(a, "--ops") && has_val && sim_parse_num(argv[i + 1], &v) && v > 0) {
      opt.ops = (long)v, i++;
    } else if (!std::strcmp(a, "--max-count") && has_val && sim_parse_num(argv[i + 1], &v) && v > 0 && v <= 256) {
      opt.max_count = (int)v, i++;
    } else if (!std::strcmp(a, "--max-cycles") && has_val && sim_parse_num(argv[i + 1], &v)) {
      opt.max_cycles = (long)v, i++;
    } else if (!std::strcmp(a, "--long")) {
      opt.long_ops = 1;
    } else if (!std::strcmp(a, "--trace") && has_val) {
      trace = argv[++i];
    } else if (!std::strncmp(a, "+seed=", 6) && sim_parse_num(a + 6, &v)) {
      opt.seed = v;
    } else if (!std::strncmp(a, "+ops=", 5) && sim_parse_num(a + 5, &v) && v > 0) {
      opt.ops = (long)v;
    } else if (!std::strncmp(a, "+trace=", 7)) {
      trace = a + 7;
    } else if (!std::strcmp(a, "--verbose")) {
      opt.verbose++;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a);
      usage(argv[0]);
      return 2;
    }
  }
  vu_tb_set_options(&opt);
  double secs = sim_run<Vtb_edgecim_vu>(argv[0], trace, [] { return vu_tb_done() != 0; });
  vu_tb_summary(secs);
  vu_tb_free();
  if (trace) std::printf("waveform    %s\n", trace);
  return vu_tb_status() == VU_TB_PASS ? 0 : 1;
}
