/* SPDX-License-Identifier: Apache-2.0 */
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
      "usage: %s [--seed N] [--ops N] [--max-count N] [--long] [--max-cycles N] [--verbose] [options]\n"
      "  Co-simulates edgecim_vu (RTL, Verilator) against its C model on random vector ops; exit 0\n"
      "  when every output matched on every cycle. --seed reproduces a run; --long adds ops of many\n"
      "  chunks. (+seed=N +ops=N as plusargs too.)\n%s",
      prog, sim_common_usage());
}

int main(int argc, char **argv) {
  vu_tb_opts_t opt = {1, 200, 0, 0, 3, 0};
  SimOpts so;
  so.fail_cycles = 0;  // no trace build of the unit in make: a rerun only with --fail-trace N
  std::vector<std::string> args = sim_plusargs(argc, argv, {"long", "verbose"});
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
    } else if (a == "--ops" && has_val && v > 0) {
      opt.ops = (long)v, i++;
    } else if (a == "--max-count" && has_val && v > 0 && v <= 256) {
      opt.max_count = (int)v, i++;
    } else if (a == "--max-cycles" && has_val) {
      opt.max_cycles = (long)v, i++;
    } else if (a == "--long") {
      opt.long_ops = 1;
    } else if (a == "--verbose") {
      opt.verbose++;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a.c_str());
      usage(argv[0]);
      return 2;
    }
    for (size_t j = first; j <= i; j++) so.args.push_back(args[j]);  // for a rerun on failure
  }
  vu_tb_set_options(&opt);
  SimResult r = sim_run<Vtb_edgecim_vu>(argv[0], so, [] { return vu_tb_done() != 0; }, nullptr);
  vu_tb_summary(r.cpu_seconds);
  vu_tb_free();
  if (vu_tb_status() == VU_TB_PASS) {
    if (so.trace) std::printf("waveform    %s\n", so.trace);
    return 0;
  }
  return sim_after_failure(argv[0], so, r.cycles, "(no .gtkw)");
}
