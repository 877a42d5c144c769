// SPDX-License-Identifier: Apache-2.0
// Simulation speed of the CIM macro RTL alone (no C model, no scoreboard): the Verilated macro is
// kept busy as the top keeps it at full rate — a plane every cycle, a weight write every cycle,
// a bank swap on every operation, r_ready high — and the CPU time per simulated cycle is printed.
// Usage: Vbench [--cycles N] [--runs N] [--quiet]   (N runs, each printed, then their median; a
// progress line on stderr every 10 s unless --quiet)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "Vcim_macro.h"
#include "sim_common.h"

namespace {
// xorshift64: cheap stimulus that does not dominate the measurement.
uint64_t rng_state = 0x9E3779B97F4A7C15ull;
uint32_t rnd() {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)rng_state;
}

template <std::size_t N>
void fill(VlWide<N> &v) {
  for (std::size_t i = 0; i < N; i++) v[i] = rnd();
}
template <typename T>
void fill(T &v) {
  v = (T)(((uint64_t)rnd() << 32) | rnd());
}
}  // namespace

// One run of the given cycles on a fresh model; returns its CPU seconds.
static double run_once(unsigned long long cycles, bool quiet, int run, int runs) {
  auto ctx = std::make_unique<VerilatedContext>();
  auto m = std::make_unique<Vcim_macro>(ctx.get());
  m->rst_ni = 0;
  for (int i = 0; i < 4; i++) {
    m->clk_i = i & 1;
    m->eval();
  }
  m->rst_ni = 1;
  m->a_valid_i = 1;
  m->r_ready_i = 1;
  m->w_valid_i = 1;
  m->a_prec_i = 1;  // 4-bit weights
  unsigned plane = 0;
  double t0 = sim_cpu_seconds(), w0 = sim_wall_seconds(), next_report = w0 + 10;
  for (unsigned long long c = 0; c < cycles; c++) {
    if (!quiet && (c & 0xFFFF) == 0xFFFF && sim_wall_seconds() >= next_report) {
      double cpu = sim_cpu_seconds() - t0;
      std::fprintf(stderr, "bench-macro: run %d/%d, %.0f s: cycle %llu of %llu, %.0f cycles/s (CPU)\n", run, runs,
                   sim_wall_seconds() - w0, c + 1, cycles, (double)(c + 1) / cpu);
      next_report += 10;
    }
    fill(m->a_plane_i);
    fill(m->w_data_i);
    m->w_idx_i = rnd();
    m->w_kind_i = (rnd() & 7) == 0;
    m->a_swap_i = plane == 0;
    m->clk_i = 0;
    m->eval();
    m->clk_i = 1;
    m->eval();
    if (m->a_ready_o) plane = (plane + 1) % 8;
  }
  double t = sim_cpu_seconds() - t0;
  m->final();
  return t;
}

int main(int argc, char **argv) {
  unsigned long long cycles = 2000000, runs = 5;
  bool quiet = false;
  for (int i = 1; i < argc; i++) {
    unsigned long long v;
    if (!std::strcmp(argv[i], "--cycles") && i + 1 < argc && sim_parse_num(argv[i + 1], &v) && v > 0) {
      cycles = v;
      i++;
    } else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc && sim_parse_num(argv[i + 1], &v) && v > 0 && v <= 99) {
      runs = v;
      i++;
    } else if (!std::strcmp(argv[i], "--quiet")) {
      quiet = true;
    } else {
      std::fprintf(stderr, "usage: %s [--cycles N] [--runs N] [--quiet]\n", argv[0]);
      return 2;
    }
  }
  // Each run on a fresh model; the figure is the median (the machine is shared: one run may be
  // slowed by another process, CPU time or not).
  std::vector<double> rate;
  for (unsigned r = 1; r <= runs; r++) {
    double t = run_once(cycles, quiet, (int)r, (int)runs);
    rate.push_back((double)cycles / t);
    std::printf("bench-macro: run %u/%llu: %llu cycles in %.2f s CPU: %.0f cycles/s\n", r, runs, cycles, t, rate.back());
    std::fflush(stdout);
  }
  std::sort(rate.begin(), rate.end());
  size_t n = rate.size();
  double median = n % 2 ? rate[n / 2] : (rate[n / 2 - 1] + rate[n / 2]) / 2;
  std::printf("bench-macro: median of %zu runs: %.0f simulated cycles/s (min %.0f, max %.0f; RTL alone, busy every cycle)\n",
              n, median, rate.front(), rate.back());
  return 0;
}
