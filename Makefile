# SPDX-License-Identifier: Apache-2.0
# EdgeCIM top-level Makefile. `make help` lists targets and knobs.
# Each part adds its rules in mk/<part>.mk; this file holds what they share.
.DEFAULT_GOAL := help
SHELL := /bin/bash

BUILD   ?= build
CC      ?= cc
CXX     ?= c++
OPT     ?= -O2
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
CWARN   := -Wall -Wextra -Wshadow -Wno-unused-parameter
CSTD    += $(HOST_POPCNT)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SEED    ?= 1
# The popcount instruction where the host has it (every x86-64 since 2008): the bit-plane
# popcounts of the macro and its C model compile to one instruction each.
HOST_POPCNT := $(if $(filter x86_64,$(shell uname -m)),$(if $(shell grep -qw popcnt /proc/cpuinfo 2>/dev/null && echo y),-mpopcnt))

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
BENCH_TARGETS :=
HELP_LINES :=

FIRST_MK := mk/tools.mk mk/hwcfg.mk mk/filelists.mk mk/sources.mk
include $(FIRST_MK)
include $(sort $(filter-out $(FIRST_MK),$(wildcard mk/*.mk)))

.PHONY: help test test-clean bench clean
help:
	@echo "EdgeCIM $(EDGECIM_VERSION) — targets:"
	@echo "  make sim        build the RTL with Verilator and run the default co-simulation (CIM macro)"
	@echo "  make sim-build  only build that co-simulation [CFG=name TRACE=1]"
	@echo "  make test       every test; last line 'N passed, N failed' [T=name1,name2: only those]"
	@echo "  make test-NAME  one test (NAME below); exits non-zero when it fails"
	@echo "  make test-clean forget the recorded test results (build/tests/*.result, *.log)"
	@echo "  make lint       verilator --lint-only -Wall over all RTL"
	@echo "  make synth      Yosys synthesis of edgecim_top [HW=name]; prints the cell count"
	@echo "  make synth-macro  Yosys synthesis of one CIM macro (flattened); prints the cell count"
	@echo "  make bench      benchmarks (figures, not pass/fail): $(BENCH_TARGETS)"
	@echo "  make deps       install/check Verilator >= 5.006, Yosys, the FuseSoC venv, PCRE2, utf8proc"
	@echo "  make regen      regenerate the views of hw/*.json and the file lists of the cores (alias: regmap)"
	@echo "  make clean      remove build/"
	@$(foreach l,$(HELP_LINES),printf '  %s\n' '$(subst ~, ,$(l))';)
	@echo "Tests (make test-NAME, make test T=NAME,...):"
	@echo "  $(patsubst test-%,%,$(TEST_TARGETS))" | fold -s -w 96 | sed '2,$$s/^/  /'
	@echo "Knobs: SEED=n (seeds of tests and simulations: reproduces a run), TRACE=1 (FST waveform),"
	@echo "       OPS=n (operations of make sim), TEST_OPS=n (of the test-cosim-macro-* tests),"
	@echo "       CFG=name (macro configuration: $(MACRO_CFGS)),"
	@echo "       HW=name / TCFG=name (hardware configuration: $(HW_CFGS); docs/HW_CONFIG.md),"
	@echo "       SIM_DECODE=0 (make sim without the decode on the RTL), TOP_ARGS=... (make sim-top),"
	@echo "       DEMO_PROMPT=... DEMO_N=n (run-rtl, demo), BENCH_DSE_THREADS=n (bench-dse),"
	@echo "       BENCH_STEPS=n BENCH_THREADS='1 2' (decode steps, thread counts of bench-host),"
	@echo "       FUSESOC_OPS=n (fusesoc-sim), T=name,... (make test), OPT=-O2 (C), VOPT_FAST=-O2"
	@echo "       (Verilated C++), CC= CXX= VERILATOR= YOSYS= VENV=.venv, BUILD=build (outputs)"

# Where tests/run_one.sh records results and tests/summary.sh reads them: under BUILD.
TEST_OUT := $(BUILD)/tests
export TEST_OUT
# Recorded results only: the test binaries and work directories stay (make rebuilds what changed).
test-clean:
	@rm -f $(TEST_OUT)/*.result $(TEST_OUT)/*.log

# make test T=sw-cli,perf-cli: only the listed tests (names of TEST_TARGETS, "test-" optional).
comma := ,
TEST_SELECTED = $(if $(T),$(addprefix test-,$(patsubst test-%,%,$(subst $(comma), ,$(T)))),$(TEST_TARGETS))
TEST_UNKNOWN  = $(filter-out $(TEST_TARGETS),$(TEST_SELECTED))

# Tests record results; the summary decides the exit code.  It is given the selected tests, so
# that one whose build failed (make -k skips its recipe: no result) counts as failed.
test: test-clean
	@$(if $(TEST_UNKNOWN),echo "make test: unknown test(s) in T: $(patsubst test-%,%,$(TEST_UNKNOWN)) (make help lists them)"; exit 2)
	@$(MAKE) --no-print-directory -k $(TEST_SELECTED) || true
	@tests/summary.sh $(sort $(patsubst test-%,%,$(TEST_SELECTED)))

# The harness itself (run_one.sh passes the status on, summary.sh counts).
.PHONY: test-harness
test-harness:
	@tests/run_one.sh harness tests/harness.sh $(BUILD)/tests/harness-work
TEST_TARGETS += test-harness

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
