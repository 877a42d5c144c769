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
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SEED    ?= 1

# Folders in dependency order (docs/ARCHITECTURE.md, "Where things live"); a layer sees only its
# own headers and those of the layers below it.
#   include/ (generated) -> fmt/ -> cmodel/, slm/ -> tb/ sim/ | sw/ | perf/ -> app/
HW_INCLUDE_DIRS := include fmt cmodel
C_INCLUDE_DIRS  := $(HW_INCLUDE_DIRS)
C_INCLUDES      := $(addprefix -I,$(HW_INCLUDE_DIRS))
SW_INCLUDES     := $(C_INCLUDES) -Islm -Isw
PERF_INCLUDES   := -Iinclude -Ifmt -Islm -Iperf
APP_INCLUDES    := $(SW_INCLUDES) -Iperf
CFLAGS_COMMON   := $(CSTD) $(CWARN)

TEST_TARGETS :=
BENCH_TARGETS :=
HELP_LINES :=

FIRST_MK := mk/tools.mk mk/hwcfg.mk mk/filelists.mk mk/sources.mk
include $(FIRST_MK)
include $(sort $(filter-out $(FIRST_MK),$(wildcard mk/*.mk)))

.PHONY: help test test-clean bench clean
help:
	@echo "EdgeCIM — targets:"
	@echo "  make sim        build the RTL with Verilator and run the default co-simulation (CIM macro)"
	@echo "  make test       every test; last line 'N passed, N failed'"
	@echo "  make lint       verilator --lint-only -Wall over all RTL"
	@echo "  make synth      Yosys synthesis of edgecim_top [HW=name]; prints the cell count"
	@echo "  make bench      benchmarks (figures, not pass/fail)"
	@echo "  make deps       install/check Verilator >= 5.006, Yosys, the FuseSoC venv, PCRE2, utf8proc"
	@echo "  make regen      regenerate the views of hw/*.json and the file lists of the cores"
	@echo "  make clean      remove build/"
	@$(foreach l,$(HELP_LINES),printf '  %s\n' '$(subst ~, ,$(l))';)
	@echo "Knobs: SEED=n (reproduce a run), TRACE=1 (FST waveform), OPS=n (operations per run),"
	@echo "       CFG=name (macro configuration: $(MACRO_CFGS)),"
	@echo "       HW=name / TCFG=name (hardware configuration: $(HW_CFGS); docs/HW_CONFIG.md)"

test-clean:
	@rm -rf $(BUILD)/tests

# Tests record results; the summary decides the exit code.
test: test-clean
	@$(MAKE) --no-print-directory -k $(TEST_TARGETS) || true
	@tests/summary.sh

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
