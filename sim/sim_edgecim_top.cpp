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
      "usage: %s [options]\n"
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
      "  --stall P       DRAM random stall percentage                      [0]\n"
      "  --bench         print DRAM-port utilization per GEMV\n"
      "  --shapes LIST   run only these GEMVs, LIST = KxN[:wW][:bB][,...] (W: weight bits,\n"
      "                  B: batch; implies --bench)\n"
      "  --trace F.fst   waveform (TRACE=1 build)\n",
      prog);
}

int main(int argc, char **argv) {
  top_tb_opts_t opt = top_tb_default_opts();
  const char *trace = nullptr;
  for (int i = 1; i < argc; i++) {
    unsigned long long v = 0;
    const char *a = argv[i];
    bool has_val = i + 1 < argc && sim_parse_num(argv[i + 1], &v);
    if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
      usage(argv[0]);
      return 0;
    } else if (!std::strcmp(a, "--seed") && has_val) {
      opt.seed = v, i++;
    } else if (!std::strcmp(a, "--cases") && has_val) {
      opt.random_cases = (int)v, i++;
    } else if (!std::strcmp(a, "--vu-cases") && has_val) {
      opt.vu_cases = (int)v, i++;
    } else if (!std::strcmp(a, "--max-dim") && has_val && v >= 1 && v <= 16384) {
      opt.max_dim = (int)v, i++;
    } else if (!std::strcmp(a, "--latency") && has_val) {
      opt.latency = (int)v, i++;
    } else if (!std::strcmp(a, "--stall") && has_val) {
      opt.stall_pct = (int)v, i++;
    } else if (!std::strcmp(a, "--bw") && i + 1 < argc) {
      opt.bw = std::atof(argv[++i]);
    } else if (!std::strcmp(a, "--no-real")) {
      opt.real_shapes = 0;
    } else if (!std::strcmp(a, "--no-vu")) {
      opt.vu = 0;
    } else if (!std::strcmp(a, "--no-errors")) {
      opt.errors = 0;
    } else if (!std::strcmp(a, "--bench")) {
      opt.bench = 1;
    } else if (!std::strcmp(a, "--shapes") && i + 1 < argc) {
      opt.shapes = argv[++i];
      opt.bench = 1;
    } else if (!std::strcmp(a, "--trace") && i + 1 < argc) {
      trace = argv[++i];
    } else if (!std::strncmp(a, "+seed=", 6) && sim_parse_num(a + 6, &v)) {
      opt.seed = v;
    } else {
      std::fprintf(stderr, "%s: bad argument '%s' (or missing/invalid value)\n", argv[0], a);
      usage(argv[0]);
      return 2;
    }
  }
  top_tb_set_options(&opt);
  double secs = sim_run<Vtb_edgecim_top>(argv[0], trace, [] { return top_tb_done() != 0; });
  top_tb_summary(secs);
  return top_tb_status() == TOP_TB_PASS ? 0 : 1;
}
