// Verilator harness of the VF32 co-simulation: options, then the shared clock loop.
// Stimulus and checks live in C (tb/vf_tb.c).
#include <cstdio>
#include <cstring>

#include "Vtb_vf.h"
#include "sim_common.h"

extern "C" {
#include "vf_tb.h"
int vf_tb_done(void);
}

static void usage(const char *prog) {
  std::printf(
      "usage: %s [--seed N] [--random N]   (or +seed=N +random=N)\n"
      "  Co-simulates every VF32 module (rtl/vu/, Verilator) against the C model (cmodel/ecim_vf.c):\n"
      "  the corner inputs of each function, then at least N random ones (default 1000000).\n"
      "  Exit 0 when every result matches; --seed reproduces a run exactly.\n",
      prog);
}

int main(int argc, char **argv) {
  vf_tb_opts_t opt = {1, 1000000};
  for (int i = 1; i < argc; i++) {
    unsigned long long v = 0;
    const char *a = argv[i];
    bool has_val = i + 1 < argc;
    if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
      usage(argv[0]);
      return 0;
    } else if (!std::strcmp(a, "--seed") && has_val && sim_parse_num(argv[i + 1], &v)) {
      opt.seed = v, i++;
    } else if (!std::strcmp(a, "--random") && has_val && sim_parse_num(argv[i + 1], &v)) {
      opt.random = (long)v, i++;
    } else if (!std::strncmp(a, "+seed=", 6) && sim_parse_num(a + 6, &v)) {  // FuseSoC plusargs
      opt.seed = v;
    } else if (!std::strncmp(a, "+random=", 8) && sim_parse_num(a + 8, &v)) {
      opt.random = (long)v;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a);
      usage(argv[0]);
      return 2;
    }
  }
  vf_tb_set_options(&opt);
  double secs = sim_run<Vtb_vf>(argv[0], nullptr, [] { return vf_tb_done() != 0; });
  vf_tb_summary(secs);
  return vf_tb_status() == VF_TB_PASS ? 0 : 1;
}
