// Verilator harness of the cim_macro co-simulation: options, then the shared clock loop.
// Stimulus and checks live in C (tb/cim_macro_tb.c).
#include <cstdio>
#include <cstring>

#include "Vtb_cim_macro.h"
#include "sim_common.h"

extern "C" {
#include "cim_macro_tb.h"
int cim_tb_done(void);
}

static void usage(const char *prog) {
  std::printf(
      "usage: %s [--seed N] [--ops N] [--trace FILE.fst] [--verbose]   (or +seed=N +ops=N +trace=F)\n"
      "  Co-simulates cim_macro (RTL, Verilator) against the C model; exit 0 when every\n"
      "  result matches. --seed reproduces a run exactly; --trace needs a TRACE=1 build.\n",
      prog);
}

int main(int argc, char **argv) {
  cim_tb_opts_t opt = {1, 1000, 0};
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
    } else if (!std::strcmp(a, "--trace") && has_val) {
      trace = argv[++i];
    } else if (!std::strncmp(a, "+seed=", 6) && sim_parse_num(a + 6, &v)) {  // FuseSoC plusargs
      opt.seed = v;
    } else if (!std::strncmp(a, "+ops=", 5) && sim_parse_num(a + 5, &v) && v > 0) {
      opt.ops = (long)v;
    } else if (!std::strncmp(a, "+trace=", 7)) {
      trace = a + 7;
    } else if (!std::strcmp(a, "--verbose")) {
      opt.verbose = 1;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a);
      usage(argv[0]);
      return 2;
    }
  }
  cim_tb_set_options(&opt);
  double secs = sim_run<Vtb_cim_macro>(argv[0], trace, [] { return cim_tb_done() != 0; });
  cim_tb_summary(secs);
  if (trace) std::printf("waveform    %s\n", trace);
  return cim_tb_status() == CIM_TB_PASS ? 0 : 1;
}
