// SPDX-License-Identifier: Apache-2.0
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
      "usage: %s [--seed N] [--ops N] [--verbose] [--inject-mismatch CYCLE] [common options]\n"
      "  Co-simulates cim_macro (RTL, Verilator) against the C model; exit 0 when every\n"
      "  result matches. --seed reproduces a run exactly; --inject-mismatch fails the run at\n"
      "  that cycle on purpose (a test of the failure path).\n%s",
      prog, sim_common_usage());
}

int main(int argc, char **argv) {
  cim_tb_opts_t opt = {1, 1000, 0, -1};
  SimOpts so;
  std::vector<std::string> args = sim_plusargs(argc, argv, {"verbose"});
  for (size_t i = 0; i < args.size(); i++) {
    unsigned long long v = 0;
    const std::string &a = args[i];
    bool has_val = i + 1 < args.size();
    size_t first = i;
    if (a == "--help" || a == "-h") {
      usage(argv[0]);
      return 0;
    } else if (sim_common_arg(args, &i, &so)) {
      continue;
    } else if (a == "--seed" && has_val && sim_parse_num(args[i + 1].c_str(), &v)) {
      opt.seed = v, i++;
    } else if (a == "--ops" && has_val && sim_parse_num(args[i + 1].c_str(), &v) && v > 0) {
      opt.ops = (long)v, i++;
    } else if (a == "--inject-mismatch" && has_val && sim_parse_num(args[i + 1].c_str(), &v)) {
      opt.inject_mismatch = (int64_t)v, i++;
    } else if (a == "--verbose") {
      opt.verbose = 1;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a.c_str());
      usage(argv[0]);
      return 2;
    }
    for (size_t j = first; j <= i; j++) so.args.push_back(args[j]);  // for the rerun on failure
  }
  cim_tb_set_options(&opt);
  SimResult r = sim_run<Vtb_cim_macro>(argv[0], so, [] { return cim_tb_done() != 0; }, cim_tb_progress);
  cim_tb_summary(r.cpu_seconds);
  if (cim_tb_status() == CIM_TB_PASS) {
    if (so.trace) std::printf("waveform    %s (open: gtkwave %s tb/tb_cim_macro.gtkw)\n", so.trace, so.trace);
    return 0;
  }
  return sim_after_failure(argv[0], so, r.cycles, "tb/tb_cim_macro.gtkw");
}
