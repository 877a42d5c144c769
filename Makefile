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
CFLAGS_COMMON := $(CSTD) $(CWARN) -Icmodel -Isw -Iperf -I$(BUILD)/gen
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SEED    ?= 1

TEST_TARGETS :=
BENCH_TARGETS :=
HELP_LINES :=

include mk/tools.mk
include $(sort $(filter-out mk/tools.mk,$(wildcard mk/*.mk)))

.PHONY: help test test-clean bench clean
help:
	@echo "EdgeCIM — targets:"
	@echo "  make sim        build the RTL with Verilator and run the default co-simulation (CIM macro)"
	@echo "  make test       every test; last line 'N passed, N failed'"
	@echo "  make lint       verilator --lint-only -Wall over all RTL"
	@echo "  make synth      Yosys synthesis of the default design; prints the cell count"
	@echo "  make bench      benchmarks (figures, not pass/fail)"
	@echo "  make deps       install/check Verilator >= 5.006, Yosys, the FuseSoC venv"
	@echo "  make clean      remove build/"
	@$(foreach l,$(HELP_LINES),printf '  %s\n' '$(subst ~, ,$(l))';)
	@echo "Knobs: SEED=n (reproduce a run), TRACE=1 (FST waveform), OPS=n (operations per run),"
	@echo "       CFG=name (macro configuration: $(MACRO_CFGS))"

test-clean:
	@rm -rf $(BUILD)/tests

# Tests record results; the summary decides the exit code.
test: test-clean
	@$(MAKE) --no-print-directory -k $(TEST_TARGETS) || true
	@tests/summary.sh

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
