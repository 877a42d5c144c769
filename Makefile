# SPDX-License-Identifier: Apache-2.0
# EdgeCIM top-level Makefile. `make help` lists targets and knobs.
# Each part adds its rules in mk/<part>.mk; this file holds what they share.
.DEFAULT_GOAL := help
SHELL := /bin/bash

BUILD   ?= build
CC      ?= cc
CXX     ?= c++
OPT     ?= -O2
# The popcount instruction where the host has it (every x86-64 since 2008): the bit-plane
# popcounts of the macro and its C model compile to one instruction each.  Defined before CSTD
# takes it (CSTD is a simple variable: it takes the value HOST_POPCNT has at this line).
HOST_POPCNT := $(if $(filter x86_64,$(shell uname -m)),$(if $(shell grep -qw popcnt /proc/cpuinfo 2>/dev/null && echo y),-mpopcnt))
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L $(HOST_POPCNT)
CWARN   := -Wall -Wextra -Wshadow -Wno-unused-parameter
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SEED    ?= 1
# ccache in front of the compilers of the Verilated models and testbench libraries when it is
# installed (apt-get install ccache); CCACHE= builds without it.
ifeq ($(origin CCACHE),undefined)
CCACHE  := $(shell command -v ccache 2>/dev/null)
endif
# Paths below the top of the tree hash as relative ones: another clone of the same commit (CI's
# fresh clone) finds the objects of this one in the cache.
ifneq ($(CCACHE),)
export CCACHE_BASEDIR ?= $(CURDIR)
endif

# Folders in dependency order (docs/ARCHITECTURE.md, "Where things live"); a layer sees only its
# own headers and those of the layers below it.
#   include/ (generated) -> fmt/ -> cmodel/, slm/, util/ -> tb/ sim/ | sw/ | perf/ -> app/
# util/ (JSON strings, command-line numbers, the version) includes nothing of the project.
HW_INCLUDE_DIRS := include fmt cmodel
C_INCLUDE_DIRS  := $(HW_INCLUDE_DIRS)
C_INCLUDES      := $(addprefix -I,$(HW_INCLUDE_DIRS))
SW_INCLUDES     := $(C_INCLUDES) -Islm -Iutil -Isw
PERF_INCLUDES   := -Iinclude -Ifmt -Islm -Iutil -Iperf
APP_INCLUDES    := $(SW_INCLUDES) -Iperf
# The release version: the one line of VERSION that is not a comment (util/version.c).
EDGECIM_VERSION := $(shell sed -n '/^[0-9]/p' VERSION)
CFLAGS_COMMON   := $(CSTD) $(CWARN) -DEDGECIM_VERSION='"$(EDGECIM_VERSION)"'

TEST_TARGETS :=
# The slow tests (whole-top synthesis, long soak runs): make test-full, or make test SLOW=1.
TEST_FULL_TARGETS :=
BENCH_TARGETS :=
HELP_LINES :=

# The hardware configuration of the RTL-linked binaries and the top builds (mk/hwcfg.mk lists
# them); set before the includes, which use it in prerequisites.
HW ?= default
FIRST_MK := mk/tools.mk mk/hwcfg.mk mk/filelists.mk mk/sources.mk
# Sanitizer objects: each C source is compiled once (ASan/UBSan, -O1) for every test binary that
# links it, instead of once per binary.
SAN_OBJ     := $(BUILD)/obj-san
ALL_C_HDRS  := $(wildcard include/*.h fmt/*.h cmodel/*.h slm/*.h util/*.h sw/*.h perf/*.h tb/*.h)
san_objs     = $(sort $(patsubst %.c,$(SAN_OBJ)/%.o,$(1)))

include $(FIRST_MK)
include $(sort $(filter-out $(FIRST_MK),$(wildcard mk/*.mk)))
# (after the includes: SW_LIB_DEPS comes from mk/sources.mk)
$(SAN_OBJ)/%.o: %.c $(ALL_C_HDRS) VERSION | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) -Itb -O1 -g $(SAN) -c $< -o $@

.PHONY: help test test-clean bench clean
# Every .PHONY target and every ?= knob must be named here (or, test-NAME, in the list of tests):
# tests/check_help.sh checks it (make test-help).
help:
	@echo "EdgeCIM $(EDGECIM_VERSION) — targets:"
	@echo "  make sim        build the RTL with Verilator and run the default co-simulation (CIM macro),"
	@echo "                  then decode a tiny SLM on the RTL of the whole accelerator (SIM_DECODE=0: not)"
	@echo "  make sim-build  only build that co-simulation [CFG=name TRACE=1]"
	@echo "  make test       every test but the slow ones; last line 'N passed, N failed' [T=name1,name2: only those]"
	@echo "  make test-full  every test, the slow ones too (= make test SLOW=1): $(patsubst test-%,%,$(TEST_FULL_TARGETS))"
	@echo "  make test-NAME  one test (NAME below); exits non-zero when it fails"
	@echo "  make build-times  the Verilator builds under BUILD with their wall and CPU time, costliest first"
	@echo "  make test-clean forget the recorded test results (build/tests/*.result, *.log)"
	@echo "  make lint       verilator --lint-only -Wall over all RTL, every configuration [LINT_CFGS=...]"
	@echo "  make synth      Yosys synthesis of edgecim_top [HW=name]; prints the cell count"
	@echo "  make synth-macro  Yosys synthesis of one CIM macro (flattened) [CFG=name]; prints the cell count"
	@echo "  make bench      benchmarks (figures, not pass/fail): $(BENCH_TARGETS)"
	@echo "  make bench-macro  simulated cycles/s of the CIM macro RTL alone (default and wide macros)"
	@echo "  make deps       install/check Verilator >= 5.006, Yosys, the FuseSoC venv, PCRE2, utf8proc"
	@echo "  make regen      regenerate the views of hw/*.json and the file lists of the cores (alias: regmap)"
	@echo "  make help       this text"
	@echo "  make clean      remove build/"
	@$(foreach l,$(HELP_LINES),printf '  %s\n' '$(subst ~, ,$(l))';)
	@echo "Tests (make test-NAME, make test T=NAME,...):"
	@echo "  $(patsubst test-%,%,$(TEST_TARGETS))" | fold -s -w 96 | sed '2,$$s/^/  /'
	@echo "Slow tests (make test-full, make test SLOW=1, or by name):"
	@echo "  $(patsubst test-%,%,$(TEST_FULL_TARGETS))" | fold -s -w 96 | sed '2,$$s/^/  /'
	@echo "Knobs:"
	@echo "  SEED=n         seeds of tests and simulations: reproduces a run [$(SEED)]"
	@echo "  CFG=name       macro configuration of sim, sim-build, synth-macro, fusesoc-sim: $(MACRO_CFGS)"
	@echo "  HW=name TCFG=name  hardware configuration (synth, edgecim-rtl, run-rtl / sim-top): $(HW_CFGS)"
	@echo "  OPS=n          operations of make sim [$(OPS)]; TEST_OPS=n of the cosim-macro-* tests [$(TEST_OPS)]"
	@echo "  TOP_ARGS=...   testbench options of make sim-top (Vsim --help); SIM_DECODE=0: make sim without the decode"
	@echo "  TRACE=1        FST waveform build/sim/<name>.fst (a trace build, build/sim/<name>-trace/)"
	@echo "  TRACE_FROM=c0 TRACE_TO=c1  only those cycles of it (cycle N at time 10*N)"
	@echo "  FAIL_TRACE=n   on a failure, rerun with a waveform of the n cycles before it [$(FAIL_TRACE)] (0: no)"
	@echo "  QUIET=1        no progress lines of the co-simulations (otherwise on stderr every 10 s)"
	@echo "  T=name,...     make test: only those; SLOW=1: the slow tests too; TEST_JOBS=n at a time [$(TEST_JOBS)]"
	@echo "  LINT_CFGS='a b'  hardware configurations make lint goes through [every named one; test-lint: default]"
	@echo "  TOP_FULL_CFGS='wide'  hardware configurations co-simulated by make test-full only [$(TOP_FULL_CFGS)]"
	@echo "  VF_RANDOM=n    random inputs per VF32 function of test-vf [$(VF_RANDOM)]"
	@echo "  VU_TEST_OPS=n VU_SOAK_OPS=n  ops of the cosim-vu-* tests / of soak-vu [$(VU_TEST_OPS) / $(VU_SOAK_OPS)]"
	@echo "  FUSESOC_TEST_CFG=name FUSESOC_TEST_TCFG=name  configurations of test-fusesoc's sims [$(FUSESOC_TEST_CFG) / $(FUSESOC_TEST_TCFG)]"
	@echo "  FUSESOC_OPS=n FUSESOC_TOP_ARGS=...  what fusesoc-sim / fusesoc-sim-top run [$(FUSESOC_OPS) / $(FUSESOC_TOP_ARGS)]"
	@echo "  FUSESOC_VOPT=-On FUSESOC_TEST_VOPT=-On  C++ level of FuseSoC's Verilated builds (empty: the cores' -O2) / of test-fusesoc's [$(FUSESOC_VOPT) / $(FUSESOC_TEST_VOPT)]"
	@echo "  DEMO_PROMPT=... DEMO_N=n  run-rtl, demo;  BENCH_DSE_THREADS=n  bench-dse"
	@echo "  BENCH_RUNS=n   runs of bench-macro, which prints their median [$(BENCH_RUNS)]"
	@echo "  BENCH_THREADS='1 2'  thread counts of bench-host;  LLAMA_PY=python  llama-cpp-check"
	@echo "  OPT=-O2        C optimization; VOPT_FAST=-O2 VOPT_GLOBAL=-O2  Verilated C++ (model, run-time library)"
	@echo "  VOPT_TEST=-O1  Verilated model code of the tests' -sva builds and of the trace builds [$(VOPT_TEST)]"
	@echo "  CCACHE=path    compiler cache of the Verilated builds [$(or $(CCACHE),none found)] (CCACHE= : none)"
	@echo "  CC= CXX= VERILATOR= YOSYS= VENV=.venv  tools;  BUILD=build  outputs"

# Where tests/run_one.sh records results and tests/summary.sh reads them: under BUILD.
TEST_OUT := $(BUILD)/tests
export TEST_OUT
# Recorded results only: the test binaries and work directories stay (make rebuilds what changed).
test-clean:
	@rm -f $(TEST_OUT)/*.result $(TEST_OUT)/*.log

# make test T=sw-cli,perf-cli: only the listed tests (names of TEST_TARGETS or TEST_FULL_TARGETS,
# "test-" optional); SLOW=1 adds the slow ones (make test-full).
comma := ,
SLOW ?= 0
TEST_DEFAULT  = $(TEST_TARGETS) $(if $(filter 1,$(SLOW)),$(TEST_FULL_TARGETS))
TEST_SELECTED = $(if $(T),$(addprefix test-,$(patsubst test-%,%,$(subst $(comma), ,$(T)))),$(TEST_DEFAULT))
# The tests behind the costliest builds start first (make -j takes them in this order), so that
# none of them is left running alone at the end.
TEST_HEAVY    := test-cosim-top-wide test-cosim-top-edge68 test-cosim-top-odd test-drv-rtl test-cosim-top-default
TEST_ORDERED  = $(foreach t,$(TEST_HEAVY),$(filter $(t),$(TEST_SELECTED))) $(filter-out $(TEST_HEAVY),$(TEST_SELECTED))
TEST_UNKNOWN  = $(filter-out $(TEST_TARGETS) $(TEST_FULL_TARGETS),$(TEST_SELECTED))
# Tests run TEST_JOBS at a time (each prints its line when it ends: --output-sync).
TEST_JOBS ?= 2

# Tests record results; the summary decides the exit code.  It is given the selected tests, so
# that one whose build failed (make -k skips its recipe: no result) counts as failed.
test: test-clean
	@$(if $(TEST_UNKNOWN),echo "make test: unknown test(s) in T: $(patsubst test-%,%,$(TEST_UNKNOWN)) (make help lists them)"; exit 2)
	@mkdir -p $(TEST_OUT) && touch $(TEST_OUT)/.started
	@TIMEFORMAT='make test: %0R s wall, %0U+%0S s CPU (user+sys), $(TEST_JOBS) at a time'; \
	  time { $(MAKE) --no-print-directory -k -j$(TEST_JOBS) --output-sync=target $(TEST_ORDERED) || true; }; \
	  echo "make test: load average at the end $$(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
	@tests/build_times.sh $(BUILD) 10 $(TEST_OUT)/.started
	@tests/summary.sh $(sort $(patsubst test-%,%,$(TEST_SELECTED)))
.PHONY: test-full build-times
build-times:
	@tests/build_times.sh $(BUILD)
test-full:
	@$(MAKE) --no-print-directory test SLOW=1

# make help names every .PHONY target and knob (tests/check_help.sh).
.PHONY: test-help
test-help:
	@tests/run_one.sh help tests/check_help.sh
TEST_TARGETS += test-help
# Every source file names its licence in its first lines (tests/check_spdx.sh).
.PHONY: test-spdx
test-spdx:
	@tests/run_one.sh spdx tests/check_spdx.sh
TEST_TARGETS += test-spdx
# No include against the folders' dependency order (docs/ARCHITECTURE.md, scripts/check_layers.py).
.PHONY: test-layers
test-layers:
	@tests/run_one.sh layers tests/layers.sh $(BUILD)/tests/layers-work
TEST_TARGETS += test-layers

# The harness itself (run_one.sh passes the status on, summary.sh counts).
.PHONY: test-harness
test-harness:
	@tests/run_one.sh harness tests/harness.sh $(BUILD)/tests/harness-work
TEST_TARGETS += test-harness

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
