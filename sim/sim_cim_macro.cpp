// Verilator harness of the cim_macro co-simulation: parses options, drives clock and reset,
// optionally writes an FST waveform. Stimulus and checks live in C (tb/cim_macro_tb.c).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "Vtb_cim_macro.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#if !defined(VERILATOR_VERSION_INTEGER) || VERILATOR_VERSION_INTEGER < 5006000
#error "EdgeCIM needs Verilator >= 5.006"
#endif

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

static bool parse_num(const char *s, unsigned long long *v) {
  char *end = nullptr;
  *v = std::strtoull(s, &end, 0);
  return s[0] != '\0' && *end == '\0';
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
    } else if (!std::strcmp(a, "--seed") && has_val && parse_num(argv[i + 1], &v)) {
      opt.seed = v, i++;
    } else if (!std::strcmp(a, "--ops") && has_val && parse_num(argv[i + 1], &v) && v > 0) {
      opt.ops = (long)v, i++;
    } else if (!std::strcmp(a, "--trace") && has_val) {
      trace = argv[++i];
    } else if (!std::strncmp(a, "+seed=", 6) && parse_num(a + 6, &v)) {  // FuseSoC plusargs
      opt.seed = v;
    } else if (!std::strncmp(a, "+ops=", 5) && parse_num(a + 5, &v) && v > 0) {
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
#if !VM_TRACE
  if (trace) {
    std::fprintf(stderr, "%s: this build has no tracing; rebuild with TRACE=1\n", argv[0]);
    return 2;
  }
#endif
  cim_tb_set_options(&opt);

  auto ctx = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<Vtb_cim_macro>(ctx.get());
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
  if (trace) {
    ctx->traceEverOn(true);
    tfp = std::make_unique<VerilatedFstC>();
    top->trace(tfp.get(), 99);
    tfp->open(trace);
  }
#endif
  auto t0 = std::chrono::steady_clock::now();
  uint64_t time = 0;
  auto half_cycle = [&](int clk) {
    top->clk_i = clk;
    top->eval();
#if VM_TRACE
    if (tfp) tfp->dump(time);
#endif
    time += 5;
  };
  top->rst_ni = 0;
  for (int i = 0; i < 4; i++) half_cycle(i & 1);
  top->rst_ni = 1;
  while (!cim_tb_done() && !ctx->gotFinish()) {
    half_cycle(0);
    half_cycle(1);
  }
  top->final();
#if VM_TRACE
  if (tfp) tfp->close();
#endif
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  cim_tb_summary(secs);
  if (trace) std::printf("waveform    %s\n", trace);
  return cim_tb_status() == CIM_TB_PASS ? 0 : 1;
}
