// Shared part of the Verilator harnesses: number parsing, and the clock/reset/trace loop.
#ifndef SIM_COMMON_H
#define SIM_COMMON_H
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#if !defined(VERILATOR_VERSION_INTEGER) || VERILATOR_VERSION_INTEGER < 5006000
#error "EdgeCIM needs Verilator >= 5.006"
#endif

// Parses a whole non-negative number (decimal or 0x hex).
static inline bool sim_parse_num(const char *s, unsigned long long *v) {
  char *end = nullptr;
  *v = std::strtoull(s, &end, 0);
  return s[0] != '\0' && s[0] != '-' && *end == '\0';
}

// CPU seconds of this process (benchmark figures are CPU time: the machine may be shared).
static inline double sim_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Runs the model (a Verilated top with clk_i and rst_ni) from reset until done() is true;
// returns the host CPU seconds. trace: FST file name or nullptr (needs a --trace-fst build).
template <typename Top, typename Done>
double sim_run(const char *prog, const char *trace, Done done) {
#if !VM_TRACE
  if (trace) {
    std::fprintf(stderr, "%s: this build has no tracing; rebuild with TRACE=1\n", prog);
    std::exit(2);
  }
#endif
  auto ctx = std::make_unique<VerilatedContext>();
  // Verilator plusargs from the environment (the harness's own options stay strict), e.g.
  // EDGECIM_PLUSARGS='+verilator+rand+reset+2 +verilator+seed+7' (random values in every flop
  // without a reset) or '+verilator+error+limit+100' (go on after a failed assertion).
  if (const char *pa = std::getenv("EDGECIM_PLUSARGS")) {
    std::vector<std::string> words;
    std::string w;
    for (const char *c = pa;; c++) {
      if (*c == ' ' || *c == '\0') {
        if (!w.empty()) words.push_back(w), w.clear();
        if (!*c) break;
      } else {
        w += *c;
      }
    }
    std::vector<const char *> argv{prog};
    for (const auto &x : words) argv.push_back(x.c_str());
    ctx->commandArgs((int)argv.size(), argv.data());
  }
  auto top = std::make_unique<Top>(ctx.get());
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
  if (trace) {
    ctx->traceEverOn(true);
    tfp = std::make_unique<VerilatedFstC>();
    top->trace(tfp.get(), 99);
    tfp->open(trace);
  }
#endif
  double t0 = sim_cpu_seconds();
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
  while (!done() && !ctx->gotFinish()) {
    half_cycle(0);
    half_cycle(1);
  }
  top->final();
#if VM_COVERAGE
  // Coverage builds (make coverage): the counts of this run, to EDGECIM_COVERAGE or coverage.dat.
  const char *cov = std::getenv("EDGECIM_COVERAGE");
  ctx->coveragep()->write(cov && *cov ? cov : "coverage.dat");
#endif
#if VM_TRACE
  if (tfp) tfp->close();
#endif
  (void)prog;
  return sim_cpu_seconds() - t0;
}
#endif
