/* SPDX-License-Identifier: Apache-2.0 */
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
      "usage: %s [--seed N] [--random N] [options]   (or +seed=N +random=N)\n"
      "  Co-simulates every VF32 module (rtl/vu/, Verilator) against the C model (cmodel/ecim_vf.c):\n"
      "  the corner inputs of each function, then at least N random ones (default 1000000).\n"
      "  Exit 0 when every result matches; --seed reproduces a run exactly.\n%s",
      prog, sim_common_usage());
}

int main(int argc, char **argv) {
  vf_tb_opts_t opt = {1, 1000000};
  SimOpts so;
  so.fail_cycles = 0;  // every input is checked on its own cycle: a rerun only with --fail-trace N
  std::vector<std::string> args = sim_plusargs(argc, argv);
  for (size_t i = 0; i < args.size(); i++) {
    unsigned long long v = 0;
    const std::string &a = args[i];
    bool has_val = i + 1 < args.size() && sim_parse_num(args[i + 1].c_str(), &v);
    size_t first = i;
    if (a == "--help" || a == "-h") {
      usage(argv[0]);
      return 0;
    } else if (sim_common_arg(args, &i, &so)) {
      continue;
    } else if (a == "--seed" && has_val) {
      opt.seed = v, i++;
    } else if (a == "--random" && has_val) {
      opt.random = (long)v, i++;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a.c_str());
      usage(argv[0]);
      return 2;
    }
    for (size_t j = first; j <= i; j++) so.args.push_back(args[j]);  // for a rerun on failure
  }
  vf_tb_set_options(&opt);
  SimResult r = sim_run<Vtb_vf>(argv[0], so, [] { return vf_tb_done() != 0; }, nullptr);
  vf_tb_summary(r.cpu_seconds);
  if (vf_tb_status() == VF_TB_PASS) return 0;
  return sim_after_failure(argv[0], so, r.cycles, "(no .gtkw)");
}
