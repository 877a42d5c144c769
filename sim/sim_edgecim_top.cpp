// SPDX-License-Identifier: Apache-2.0
// Verilator harness of the edgecim_top co-simulation: options, then the shared clock loop.
// Stimulus and checks live in C (tb/edgecim_top_tb.c).
#include <cstdio>
#include <cstring>

#include "Vtb_edgecim_top.h"
#include "sim_common.h"

extern "C" {
#include "edgecim_top_tb.h"
int top_tb_done(void);
}

static void usage(const char *prog) {
  std::printf(
      "usage: %s [options]   (or as plusargs: +seed=N +cases=N +no_real ...)\n"
      "  Co-simulates edgecim_top (RTL, Verilator) against its C model, cycle by cycle, and\n"
      "  checks every GEMV's y against the golden model. Exit 0 when everything matches.\n"
      "  --seed N        random seed (reproduces a run exactly)            [1]\n"
      "  --cases N       random-shape GEMVs                                [20]\n"
      "  --vu-cases N    random vector ops (after one of each op)          [24]\n"
      "  --max-dim N     largest random K and N                            [2048]\n"
      "  --no-real       skip the real SLM layer shapes\n"
      "  --no-errors     skip the error-path tests\n"
      "  --no-vu         skip the vector ops\n"
      "  --bw B          DRAM bandwidth, bytes per cycle (<= port width)   [port width]\n"
      "  --latency L     DRAM latency, cycles                              [40]\n"
      "  --posted-writes the DRAM takes write data at once (a write buffer)  [writes wait the latency]\n"
      "  --stall P       DRAM random stall percentage                      [0]\n"
      "  --bench         print DRAM-port utilization per GEMV\n"
      "  --shapes LIST   run only these GEMVs, LIST = KxN[:wW][:bB][,...] (W: weight bits,\n"
      "                  B: batch; implies --bench)\n"
      "  --inject-mismatch C  fail at cycle C on purpose (a test of the failure path)\n%s",
      prog, sim_common_usage());
}

int main(int argc, char **argv) {
  top_tb_opts_t opt = top_tb_default_opts();
  SimOpts so;
  std::vector<std::string> args = sim_plusargs(argc, argv, {"no-real", "no-errors", "no-vu", "bench"});
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
    } else if (a == "--cases" && has_val) {
      opt.random_cases = (int)v, i++;
    } else if (a == "--vu-cases" && has_val) {
      opt.vu_cases = (int)v, i++;
    } else if (a == "--max-dim" && has_val && v >= 1 && v <= 16384) {
      opt.max_dim = (int)v, i++;
    } else if (a == "--latency" && has_val) {
      opt.latency = (int)v, i++;
    } else if (a == "--posted-writes") {
      opt.posted_writes = 1;
    } else if (a == "--stall" && has_val) {
      opt.stall_pct = (int)v, i++;
    } else if (a == "--bw" && i + 1 < args.size()) {
      opt.bw = std::atof(args[++i].c_str());
    } else if (a == "--inject-mismatch" && has_val) {
      opt.inject_mismatch = (int64_t)v, i++;
    } else if (a == "--no-real") {
      opt.real_shapes = 0;
    } else if (a == "--no-vu") {
      opt.vu = 0;
    } else if (a == "--no-errors") {
      opt.errors = 0;
    } else if (a == "--bench") {
      opt.bench = 1;
    } else if (a == "--shapes" && i + 1 < args.size()) {
      opt.shapes = strdup(args[++i].c_str());
      opt.bench = 1;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a.c_str());
      usage(argv[0]);
      return 2;
    }
    for (size_t j = first; j <= i; j++) so.args.push_back(args[j]);  // for the rerun on failure
  }
  top_tb_set_options(&opt);
  SimResult r = sim_run<Vtb_edgecim_top>(argv[0], so, [] { return top_tb_done() != 0; }, top_tb_progress);
  top_tb_summary(r.cpu_seconds);
  if (top_tb_status() == TOP_TB_PASS) {
    if (so.trace) std::printf("waveform    %s (open: gtkwave %s tb/tb_edgecim_top.gtkw)\n", so.trace, so.trace);
    return 0;
  }
  return sim_after_failure(argv[0], so, r.cycles, "tb/tb_edgecim_top.gtkw");
}
