// SPDX-License-Identifier: Apache-2.0
// Shared part of the Verilator harnesses: number parsing, the options every co-simulation takes
// (tracing, its cycle window, progress, the waveform on failure), and the clock/reset/trace loop.
//
// Cycles: cycle N is the N-th rising clock edge after reset (0-based), the `cycle=` of the
// testbenches' MISMATCH messages; in a waveform its rising edge is at time 10*N.
#ifndef SIM_COMMON_H
#define SIM_COMMON_H
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
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
// Wall-clock seconds (progress is promised every 10 s of host time).
static inline double sim_wall_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

// The options of every co-simulation (parsed by sim_common_arg).
struct SimOpts {
  const char *trace = nullptr;       // FST file (needs a --trace-fst build: TRACE=1)
  uint64_t trace_from = 0;           // first and last cycle written to it
  uint64_t trace_to = UINT64_MAX;
  bool quiet = false;                // no progress lines
  double progress_secs = 10;         // a progress line on stderr at least this often (host time)
  uint64_t fail_cycles = 2000;       // on a failure: rerun with a trace of this many cycles before it (0: no)
  const char *fail_fst = nullptr;    // that trace's file [<binary dir>-fail.fst]
  long long expect_fail = -1;        // set on the rerun: the cycle the first run failed at
  std::vector<std::string> args;     // the arguments that reproduce the run (for the rerun)
};

static inline const char *sim_common_usage() {
  return "  --trace F.fst       waveform (a trace build: TRACE=1, build/sim/<name>-trace/Vsim)\n"
         "  --trace-from N      first cycle traced                                [0]\n"
         "  --trace-to N        last cycle traced                                 [end]\n"
         "  --fail-trace N      on a failure, rerun with a trace of the N cycles before it\n"
         "                      (0: no rerun; the trace build is SIM_TRACE_BIN, or <dir>-trace/<binary>;\n"
         "                      the command SIM_TRACE_BUILD, when set, builds it first) [2000]\n"
         "  --fail-fst F.fst    that waveform's file                              [<binary dir>-fail.fst]\n"
         "  --quiet             no progress lines (otherwise on stderr at least every 10 s)\n"
         "  Every --name value is also accepted as +name=value (FuseSoC plusargs; '_' for '-').\n";
}

// Turns FuseSoC's plusargs into options: +name=value -> --name value ('_' -> '-'); a flag (one
// of flags, and --quiet) as FuseSoC passes a bool: +name=1 -> --name, +name=0 -> nothing.
static inline std::vector<std::string> sim_plusargs(int argc, char **argv, std::vector<std::string> flags = {}) {
  flags.push_back("quiet");
  std::vector<std::string> out;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '+') {
      out.push_back(a);
      continue;
    }
    size_t eq = a.find('=');
    std::string name = a.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
    std::string val = eq == std::string::npos ? "" : a.substr(eq + 1);
    for (auto &ch : name)
      if (ch == '_') ch = '-';
    bool flag = false;
    for (const auto &f : flags) flag = flag || f == name;
    if (flag) {
      if (val != "0" && val != "false") out.push_back("--" + name);
    } else {
      out.push_back("--" + name);
      if (eq != std::string::npos) out.push_back(val);
    }
  }
  return out;
}

// Consumes a common option at args[*i] (and its value); false if it is not one (or its value is
// bad: the caller reports it). Every other option is kept for the rerun in o->args.
static inline bool sim_common_arg(const std::vector<std::string> &args, size_t *i, SimOpts *o) {
  const std::string &a = args[*i];
  bool has_val = *i + 1 < args.size();
  unsigned long long v = 0;
  const char *val = has_val ? args[*i + 1].c_str() : "";
  if (a == "--quiet") return o->quiet = true;
  if (a == "--expect-fail" && has_val && sim_parse_num(val, &v)) return o->expect_fail = (long long)v, ++*i, true;
  if (!has_val) return false;
  if (a == "--trace") o->trace = strdup(val);
  else if (a == "--trace-from" && sim_parse_num(val, &v)) o->trace_from = v;
  else if (a == "--trace-to" && sim_parse_num(val, &v)) o->trace_to = v;
  else if (a == "--fail-trace" && sim_parse_num(val, &v)) o->fail_cycles = v;
  else if (a == "--fail-fst") o->fail_fst = strdup(val);
  else return false;
  ++*i;
  return true;
}

// Progress of the run as the testbench tells it (e.g. "GEMV 3/40"), for the progress lines.
typedef void (*sim_progress_fn)(char *buf, size_t n);

// What sim_run did: host CPU seconds, cycles after reset.
struct SimResult {
  double cpu_seconds;
  uint64_t cycles;
};

// Runs the model (a Verilated top with clk_i and rst_ni) from reset until done() is true.
template <typename Top, typename Done>
SimResult sim_run(const char *prog, const SimOpts &o, Done done, sim_progress_fn progress) {
#if !VM_TRACE
  if (o.trace) {
    std::fprintf(stderr, "%s: this build has no tracing; use the trace build (TRACE=1: build/sim/<name>-trace/Vsim)\n",
                 prog);
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
  uint64_t cycle = 0;  // rising edges after reset
  bool tracing = false;
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
  if (o.trace) {
    ctx->traceEverOn(true);
    tfp = std::make_unique<VerilatedFstC>();
    top->trace(tfp.get(), 99);
    tfp->open(o.trace);
  }
#endif
  // Rising edge of cycle N at time 10*N, the falling edge before it at 10*N - 5 (not dumped for
  // cycle 0; reset is not dumped).
  auto edge = [&](int clk) {
    top->clk_i = clk;
    top->eval();
#if VM_TRACE
    if (tracing && (clk || cycle > 0)) tfp->dump(clk ? 10 * cycle : 10 * cycle - 5);
#endif
  };
  top->rst_ni = 0;
  for (int i = 0; i < 4; i++) edge(i & 1);
  top->rst_ni = 1;
  double t0 = sim_cpu_seconds(), w0 = sim_wall_seconds(), next_report = w0 + o.progress_secs;
  while (!done() && !ctx->gotFinish()) {
    tracing = o.trace && cycle >= o.trace_from && cycle <= o.trace_to;
    edge(0);
    edge(1);
    cycle++;
    if (!o.quiet && (cycle & 0xFFF) == 0) {
      double w = sim_wall_seconds();
      if (w >= next_report) {
        char what[160] = "";
        if (progress) progress(what, sizeof what);
        double cpu = sim_cpu_seconds() - t0;
        std::fprintf(stderr, "%s: %.0f s: cycle %llu, %.0f cycles/s (CPU)%s%s\n", prog, w - w0,
                     (unsigned long long)cycle, cpu > 0 ? (double)cycle / cpu : 0.0, what[0] ? ", " : "", what);
        next_report = w + o.progress_secs;
      }
    }
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
  // The cycle of the last edge (the one whose check ended the run).
  return {sim_cpu_seconds() - t0, cycle ? cycle - 1 : 0};
}

// After a failed run at cycle fail_cycle: checks the rerun's failure cycle (on the rerun), or
// reruns the same options with a trace of the cycles before the failure, in the trace build,
// and names the waveform. gtkw: the save file of this testbench. Returns the exit status.
static inline int sim_after_failure(const char *prog, const SimOpts &o, uint64_t fail_cycle, const char *gtkw) {
  std::fflush(stdout);
  if (o.expect_fail >= 0) {  // this is the rerun
    if ((uint64_t)o.expect_fail != fail_cycle)
      std::fprintf(stderr, "WARNING: the traced rerun failed at cycle %llu, the first run at cycle %lld (not deterministic?)\n",
                  (unsigned long long)fail_cycle, o.expect_fail);
    return 1;
  }
  if (o.trace || o.fail_cycles == 0) {
    if (o.trace) std::printf("waveform    %s (open: gtkwave %s %s)\n", o.trace, o.trace, gtkw);
    return 1;
  }
  // The trace build: SIM_TRACE_BIN, else <dir>-trace/<name> next to this binary.
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::string me = n > 0 ? std::string(self, (size_t)n) : std::string(prog);
  size_t slash = me.rfind('/');
  std::string dir = slash == std::string::npos ? "." : me.substr(0, slash);
  std::string base = slash == std::string::npos ? me : me.substr(slash + 1);
  const char *env_bin = std::getenv("SIM_TRACE_BIN");
  std::string bin = env_bin && *env_bin ? env_bin : dir + "-trace/" + base;
#if VM_TRACE
  bin = me;  // this build traces
#endif
  std::string fst = o.fail_fst ? o.fail_fst : dir + "-fail.fst";
  uint64_t from = fail_cycle > o.fail_cycles ? fail_cycle - o.fail_cycles : 0;
  // SIM_TRACE_BUILD (make's runs set it) brings the trace build up to date; by hand, it must be
  // there already.
  const char *build = std::getenv("SIM_TRACE_BUILD");
  if (bin != me && build && *build) {
    std::printf("trace-on-failure: bringing the trace build up to date: %s\n", build);
    std::fflush(stdout);
    if (std::system(build) != 0) {
      std::printf("trace-on-failure: the trace build failed; no waveform\n");
      return 1;
    }
  }
  if (access(bin.c_str(), X_OK) != 0) {
    std::printf("FAILED at cycle %llu; for a waveform of the cycles before it, build the trace build %s (make %s)\n"
                "  and rerun with the same options (it does so itself once that build exists)\n",
                (unsigned long long)fail_cycle, bin.c_str(), bin.c_str());
    return 1;
  }
  std::vector<std::string> args = {bin};
  args.insert(args.end(), o.args.begin(), o.args.end());
  for (const std::string &s : {std::string("--trace"), fst, std::string("--trace-from"), std::to_string(from),
                               std::string("--trace-to"), std::to_string(fail_cycle + 1),
                               std::string("--expect-fail"), std::to_string(fail_cycle)})
    args.push_back(s);
  std::string line;
  for (const auto &s : args) line += " " + s;
  std::printf("trace-on-failure: rerunning with a trace of cycles %llu..%llu:%s\n", (unsigned long long)from,
              (unsigned long long)fail_cycle + 1, line.c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char *> av;
    for (auto &s : args) av.push_back(const_cast<char *>(s.c_str()));
    av.push_back(nullptr);
    // The rerun's report repeats the first one's: into F.fst.log (its progress stays on stderr).
    int logfd = open((fst + ".log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (logfd >= 0) dup2(logfd, 1);
    execv(av[0], av.data());
    _exit(127);
  }
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 1) {
    std::printf("trace-on-failure: the traced rerun did not fail as the first run did (status 0x%x, its output: %s.log)\n",
                st, fst.c_str());
    return 1;
  }
  std::printf("FAILED at cycle %llu; waveform of cycles %llu..%llu (cycle N at time 10*N): %s\n"
              "  open: gtkwave %s %s   (the rerun's output: %s.log)\n",
              (unsigned long long)fail_cycle, (unsigned long long)from, (unsigned long long)fail_cycle + 1,
              fst.c_str(), fst.c_str(), gtkw, fst.c_str());
  return 1;
}
#endif
