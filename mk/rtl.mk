# SPDX-License-Identifier: Apache-2.0
# RTL: generated views, lint, the Verilator co-simulations (macro and whole top, RTL vs C model),
# Yosys synthesis, FuseSoC. File lists: mk/filelists.mk (from the *.core files); named hardware
# configurations: mk/hwcfg.mk (from hw/edgecim_hw.json). Both are generated: `make regen`.
VROOT     := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
VFLAGS    := -Wall --x-assign fast -O3
# C++ optimization of the Verilated models: OPT_FAST for the model's code, OPT_GLOBAL for
# Verilator's run-time library (Verilator's defaults, -Os, simulate slower); on x86-64 the popcount
# instruction too (the macro's bit-plane popcounts compile to it): VCFLAGS. One word each.
VOPT_FAST   ?= -O2
VOPT_GLOBAL ?= -O2
VCFLAGS     := $(HOST_POPCNT)
# The make variables of a Verilated model's build (verilator -MAKEFLAGS, or its make command line).
VMAKE_VARS   = OPT_FAST=$(VOPT_FAST) OPT_GLOBAL=$(VOPT_GLOBAL) $(if $(CCACHE),OBJCACHE=$(CCACHE))
VMAKEFLAGS   = $(addprefix -MAKEFLAGS ,$(VMAKE_VARS))

CFG      ?= default
OPS      ?= 20000
TEST_OPS ?= 100000
TRACE    ?= 0
HW       ?= default
TCFG     ?= $(HW)
# Waveforms: TRACE=1 runs the trace build (build/sim/<name>-trace/, its own build dir) and writes
# build/sim/<name>.fst, only cycles TRACE_FROM..TRACE_TO when given.  On a failure a run reruns
# itself with the same options in the trace build (built then, when missing) and writes the
# FAIL_TRACE cycles before the failing one to build/sim/<name>-fail.fst (FAIL_TRACE=0: no rerun).
TRACE_FROM ?=
TRACE_TO   ?=
FAIL_TRACE ?= 2000
QUIET      ?= 0
# The options of a co-simulation run ($(1): the waveform of TRACE=1).
sim_run_args = $(if $(filter 1,$(TRACE)),--trace $(1)$(if $(TRACE_FROM), --trace-from $(TRACE_FROM))$(if $(TRACE_TO), --trace-to $(TRACE_TO))) \
               --fail-trace $(FAIL_TRACE)$(if $(filter 1,$(QUIET)), --quiet)
# Its environment: the trace build of sim dir $(1) and the command that builds it (for the rerun).
# SIM_TRACE_BIN names it: the tests' -sva builds rerun in the trace build of their configuration
# (the binary's own guess, <dir>-trace, would be <cfg>-sva-trace, which no rule makes).
# (SUBMAKE: not $(MAKE) in the recipe, which make would run even under make -n.)
SUBMAKE := $(MAKE)
sim_trace_env = SIM_TRACE_BIN=$(BUILD)/sim/$(1)-trace/Vsim \
                SIM_TRACE_BUILD='$(SUBMAKE) --no-print-directory -C $(CURDIR) $(BUILD)/sim/$(1)-trace/Vsim'

# The tests run the co-simulations built with the RTL's assertions on (--assert; SVA=0: without,
# the builds of make sim / sim-top / bench); mk/verif.mk has the rules of the -sva builds.
SVA      ?= 1
COSIM_SFX := $(if $(filter 1,$(SVA)),-sva)
HELP_LINES += make~test~SVA=0~~~~the~co-simulation~tests~built~without~the~RTL~assertions

hw_params = $(or $(HW_PARAMS_$(1)),$(error unknown hardware configuration '$(1)': one of $(HW_CFGS)))
# The tests' co-simulation builds of the top (the -sva ones) and of the vector unit verilate the CIM
# macro and the vector lane as hierarchy blocks (rtl/lint.vlt): one model per parameter set instead
# of one per instance, a third of the CPU time of the builds of many macros. The configuration then
# goes in as defines (tb/tb_edgecim_top.sv says why). TOP_HIER=0: flat, as the builds of make
# sim-top and the benchmarks, and the trace builds (a hierarchy block cannot be traced).
TOP_HIER ?= 1
hw_defines   = +define+TB_HW $(patsubst -G%,+define+TB_%,$(call hw_params,$(1)))
# (a name ending in -trace: the trace build of that configuration, flat)
top_test_cfg = $(if $(findstring -trace,$(1)),$(call hw_params,$(patsubst %-trace,%,$(1))),$(if $(filter 1,$(TOP_HIER)),--hierarchical $(call hw_defines,$(1)),$(call hw_params,$(1))))
HELP_LINES += make~test~TOP_HIER=0~~~~the~top~and~vector-unit~co-simulation~tests~built~flat~(no~hierarchy~blocks)

# ---- generated views -----------------------------------------------------------------------
.PHONY: regen regmap test-generated
regen regmap:
	python3 scripts/gen_hw.py
	python3 scripts/gen_vf_tables.py
	python3 scripts/core_files.py
test-generated:
	@tests/run_one.sh generated sh -c 'python3 scripts/gen_hw.py --check && python3 scripts/gen_vf_tables.py --check && python3 scripts/core_files.py --check'
TEST_TARGETS += test-generated

# ---- C libraries of the testbenches -------------------------------------------------------
# The plain-C part of a testbench (C models, stimulus/scoreboard, DPI shim), built by cc as C11
# into a library that the Verilator harness links. $(1): object dir, $(2): C sources.
define tb_c_lib
	@mkdir -p $(1)
	@for f in $(2); do \
	  $(CCACHE) $(CC) $(CSTD) $(CWARN) -O2 -g $(C_INCLUDES) -Itb -I$(VROOT)/include/vltstd -c $$f \
	    -o $(1)/$$(echo $$f | tr / _ | sed 's/\.c$$/.o/') || exit 1; \
	done
	@rm -f $@ && ar rcs $@ $(addprefix $(1)/,$(subst /,_,$(2:.c=.o)))
endef
CIM_TB_LIB := $(BUILD)/sim/libcim_macro_tb.a
TOP_TB_LIB := $(BUILD)/sim/libedgecim_top_tb.a
$(CIM_TB_LIB): $(TB_MACRO_C_SRCS) $(TB_C_HDRS) | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/obj-macro,$(TB_MACRO_C_SRCS))
$(TOP_TB_LIB): $(TB_TOP_C_SRCS) $(TB_C_HDRS) | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/obj-top,$(TB_TOP_C_SRCS))

# A Verilator co-simulation binary <dir>/Vsim ($* ending in -trace adds FST tracing).
# $(1): testbench top, $(2): build dir, $(3): -G parameters, $(4): SV sources (testbench last),
# $(5): C++ harness, $(6): C library.
define verilate_tb
	@echo "verilator: building $(1) co-simulation '$*' (log $(2).build.log)"
	@rm -f $@  # the library is linked by name: make verilator's makefile relink
	@$(call timed,$(2)) $(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module $(1) \
	  $(3) $(if $(findstring -trace,$*),--trace-fst --trace-structs) \
	  -Mdir $(2) -o Vsim $(LINT_VLT) $(4) \
	  $(abspath $(5)) -CFLAGS "$(VCFLAGS) -I$(abspath tb) $(addprefix -I,$(abspath $(C_INCLUDE_DIRS))) -I$(abspath sim)" \
	  -LDFLAGS "$(abspath $(6))" $(VMAKEFLAGS) > $(2).build.log 2>&1 || { cat $(2).build.log; exit 1; }
	@$(call built,$(2),$(1) '$*')
endef
# A build's wall and CPU time (its children's too) into <dir>.build.time ("wall user sys"), and
# the line that reports it: what a test's build costs (tests/run_one.sh times only its run;
# make build-times lists them all).
timed = /usr/bin/time -f '%e %U %S' -o $(1).build.time
built = read -r w u s < $(1).build.time && \
        echo "verilator: built $(2) in $${w%.*} s (CPU $$(awk -v u=$$u -v s=$$s 'BEGIN{printf "%.0f", u+s}') s)"

# ---- CIM macro co-simulation ------------------------------------------------------------------
# $(BUILD)/sim/macro-<cfg>[-trace]/Vsim
$(BUILD)/sim/macro-%/Vsim: sim/sim_common.h $(TB_MACRO_SV) $(LINT_VLT) sim/sim_cim_macro.cpp $(CIM_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*,$(MACRO_PARAMS_$(patsubst %-trace,%,$*)),$(TB_MACRO_SV),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))

# The macro RTL alone, busy every cycle, no C model: its simulation speed (make bench-macro).
$(BUILD)/sim/bench-macro-%/Vbench: $(MACRO_SRCS) sim/bench_cim_macro.cpp sim/sim_common.h mk/hwcfg.mk | $(BUILD)/.dep-verilator
	@echo "verilator: building the macro speed bench '$*'"
	@mkdir -p $(BUILD)/sim
	@$(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module cim_macro $(MACRO_PARAMS_$*) \
	  -Mdir $(BUILD)/sim/bench-macro-$* -o Vbench $(LINT_VLT) $(MACRO_SRCS) $(abspath sim/bench_cim_macro.cpp) \
	  -CFLAGS "$(VCFLAGS) -I$(abspath sim)" $(VMAKEFLAGS) > $(BUILD)/sim/bench-macro-$*.build.log 2>&1 \
	  || { cat $(BUILD)/sim/bench-macro-$*.build.log; exit 1; }
# Figures are medians of BENCH_RUNS runs (the machine is shared).
BENCH_RUNS ?= 5
.PHONY: bench-macro
bench-macro: $(BUILD)/sim/bench-macro-default/Vbench $(BUILD)/sim/bench-macro-wide/Vbench
	@echo "== CIM macro RTL simulation speed (Verilator, CPU time of one core; load: $$(cut -d' ' -f1-3 /proc/loadavg))"
	@$(BUILD)/sim/bench-macro-default/Vbench --cycles 2000000 --runs $(BENCH_RUNS)
	@$(BUILD)/sim/bench-macro-wide/Vbench --cycles 500000 --runs $(BENCH_RUNS)
BENCH_TARGETS += bench-macro

SIM_DIR := macro-$(CFG)$(if $(filter 1,$(TRACE)),-trace)
.PHONY: sim sim-build lint synth synth-macro
sim-build: $(BUILD)/sim/$(SIM_DIR)/Vsim
# make sim: the CIM macro co-simulation (RTL vs C model), then a tiny SLM decoded on the RTL of
# the whole accelerator (mk/drv.mk: run-rtl). SIM_DECODE=0 skips the decode.
SIM_DECODE ?= 1
sim: $(BUILD)/.dep-verilator
	@test -n "$(filter $(CFG),$(MACRO_CFGS))" || { echo "unknown CFG=$(CFG); one of: $(MACRO_CFGS)"; exit 2; }
	@$(MAKE) --no-print-directory $(BUILD)/sim/$(SIM_DIR)/Vsim
	@echo "== CIM macro: RTL vs C model, cycle by cycle"
	@$(call sim_trace_env,macro-$(CFG)) $(BUILD)/sim/$(SIM_DIR)/Vsim --seed $(SEED) --ops $(OPS) $(call sim_run_args,$(BUILD)/sim/macro-$(CFG).fst)
	@if [ "$(SIM_DECODE)" = 1 ]; then echo "== a tiny SLM decoded on the Verilator RTL of edgecim_top"; \
	  $(MAKE) --no-print-directory run-rtl; fi

# LINT_CFGS: the hardware configurations lint goes through (make lint: every named one).
LINT_CFGS ?= $(HW_CFGS)
lint: $(BUILD)/.dep-verilator
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(MACRO_SRCS) --top-module cim_macro && echo "lint: cim_macro clean (verilator --lint-only -Wall)"
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_MACRO_SV) --top-module tb_cim_macro && echo "lint: tb_cim_macro clean"
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_TOP_SV) --top-module tb_edgecim_top && echo "lint: tb_edgecim_top clean"
	@$(foreach c,$(LINT_CFGS),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) --top-module edgecim_top $(HW_PARAMS_$(c)) || exit 1;) \
	  echo "lint: edgecim_top clean in the configurations $(LINT_CFGS)"
	@$(MAKE) --no-print-directory lint-vf
	@$(MAKE) --no-print-directory lint-vu

# Synthesis: the file list of the top core for yosys (SRAMs read as blackboxes: -lib).
synth: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth
	@echo "yosys: synthesizing edgecim_top (configuration $(HW), hierarchical), log in $(BUILD)/synth/edgecim_top.log"
	@$(YOSYS) -q -l $(BUILD)/synth/edgecim_top.log -p "read_verilog -sv -lib $(SYNTH_BLACKBOX_SRCS); \
	  read_verilog -sv $(SYNTH_SRCS); $(foreach p,$(call hw_params,$(HW)),chparam -set $(patsubst -G%,%,$(subst =, ,$(p))) edgecim_top;) \
	  hierarchy -check -top edgecim_top; synth -top edgecim_top; tee -o $(BUILD)/synth/edgecim_top.stat stat -top edgecim_top" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/edgecim_top.stat edgecim_top
# One CIM macro, flattened, in macro configuration CFG (mk/hwcfg.mk: MACRO_PARAMS_<name>).
synth-macro: $(BUILD)/.dep-yosys
	@test -n "$(filter $(CFG),$(MACRO_CFGS))" || { echo "unknown CFG=$(CFG); one of: $(MACRO_CFGS)"; exit 2; }
	@mkdir -p $(BUILD)/synth
	@echo "yosys: synthesizing cim_macro (configuration $(CFG), flattened), log in $(BUILD)/synth/cim_macro-$(CFG).log"
	@$(YOSYS) -q -l $(BUILD)/synth/cim_macro-$(CFG).log -p "read_verilog -sv $(MACRO_SRCS); \
	  $(foreach p,$(MACRO_PARAMS_$(CFG)),chparam -set $(patsubst -G%,%,$(subst =, ,$(p))) cim_macro;) \
	  synth -flatten -top cim_macro; tee -o $(BUILD)/synth/cim_macro-$(CFG).stat stat" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/cim_macro-$(CFG).stat cim_macro

# Synthesis tests: make test synthesizes the small macro configuration (the same RTL, 48x8 W8:
# about 42,000 cells in 58 s of Yosys 0.23 in make test); make test-full the default macro and the whole top.
.PHONY: test-synth-macro test-synth-macro-default test-synth-top
test-synth-macro:
	@tests/run_one.sh synth-macro $(MAKE) --no-print-directory synth-macro CFG=small
test-synth-macro-default:
	@tests/run_one.sh synth-macro-default $(MAKE) --no-print-directory synth-macro CFG=default
test-synth-top:
	@tests/run_one.sh synth-top $(MAKE) --no-print-directory synth HW=default
TEST_TARGETS      += test-synth-macro
TEST_FULL_TARGETS += test-synth-macro-default test-synth-top

# ---- tests: the C models alone (with sanitizers), lint, one co-simulation per configuration ----
$(BUILD)/tests/bin/test_cim_macro_model: tests/test_cim_macro_model.c cmodel/cim_macro.c cmodel/cim_macro.h tb/tb_rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@
$(BUILD)/tests/bin/test_dram_model: tests/test_dram_model.c cmodel/dram_model.c cmodel/dram_model.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) $(filter %.c,$^) -o $@
$(BUILD)/tests/bin/test_edgecim_model: tests/test_edgecim_model.c $(filter-out %_dpi.c,$(TB_TOP_C_SRCS)) $(TB_C_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@ -lm

.PHONY: test-cim-model test-dram-model test-lint test-lint-all test-edgecim-model test-edgecim-model-narrow $(addprefix test-cosim-macro-,$(MACRO_CFGS))
test-cim-model: $(BUILD)/tests/bin/test_cim_macro_model
	@tests/run_one.sh cim-model $< --seed $(SEED)
test-dram-model: $(BUILD)/tests/bin/test_dram_model
	@tests/run_one.sh dram-model $<
# make test lints the default configuration: every other configuration's RTL goes through
# Verilator with the same -Wall and waivers in its co-simulation build (cosim-top-*, cosim-vu-*),
# where a warning is fatal too. make test-full (test-lint-all): make lint, every configuration.
test-lint:
	@tests/run_one.sh lint $(MAKE) --no-print-directory lint LINT_CFGS=default
test-lint-all:
	@tests/run_one.sh lint-all $(MAKE) --no-print-directory lint
$(addprefix test-cosim-macro-,$(MACRO_CFGS)): test-cosim-macro-%: $(BUILD)/sim/macro-%$(COSIM_SFX)/Vsim
	@$(call sim_trace_env,macro-$*) tests/run_one.sh cosim-macro-$* $< --seed $(SEED) --ops $(TEST_OPS) --fail-trace $(FAIL_TRACE)
# One run_one.sh per target: a failing run stops its recipe, and make -k goes on with the next.
test-edgecim-model: $(BUILD)/tests/bin/test_edgecim_model
	@tests/run_one.sh edgecim-model $< --seed $(SEED) --cases 20
test-edgecim-model-narrow: $(BUILD)/tests/bin/test_edgecim_model
	@tests/run_one.sh edgecim-model-narrow $< --seed $(SEED) --cases 20 --hw narrow --bw 6 --stall 10
TEST_FULL_TARGETS += test-lint-all
TEST_TARGETS += test-cim-model test-dram-model test-edgecim-model test-edgecim-model-narrow test-lint \
                $(addprefix test-cosim-macro-,$(MACRO_CFGS))

# ---- edgecim_top: co-simulation of the whole accelerator against its C model -----------------
# $(BUILD)/sim/top-<hw>[-trace]/Vsim, one per named configuration (a build never rebuilds another).
TOP_ARGS ?=
$(BUILD)/sim/top-%/Vsim: $(TB_TOP_SV) $(LINT_VLT) sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*,$(call hw_params,$(patsubst %-trace,%,$*)),$(TB_TOP_SV),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

.PHONY: sim-top $(addprefix test-cosim-top-,$(HW_CFGS))
sim-top: $(BUILD)/sim/top-$(TCFG)$(if $(filter 1,$(TRACE)),-trace)/Vsim
	$(call sim_trace_env,top-$(TCFG)) $< --seed $(SEED) $(TOP_ARGS) $(call sim_run_args,$(BUILD)/sim/top-$(TCFG).fst)
# default: real layer shapes + random + errors; quad: random stalls and long latency; narrow: a
# DRAM slower than the port; odd: 3 tiles x 5 macros on a 64-byte port with stalls; wide: the
# 256-byte port and 256x64 macros, real shapes, stalls.
TOP_TEST_ARGS_default := --cases 10 --max-dim 1200
TOP_TEST_ARGS_quad    := --no-real --cases 14 --max-dim 700 --stall 20 --latency 90 --posted-writes
TOP_TEST_ARGS_narrow  := --no-real --cases 14 --max-dim 700 --bw 6 --latency 25
TOP_TEST_ARGS_odd     := --cases 10 --max-dim 900 --stall 10 --latency 60
TOP_TEST_ARGS_wide    := --cases 6 --max-dim 1200 --stall 5
TOP_TEST_ARGS_edge68  := --stall 5
TOP_TEST_ARGS_dse68   := --stall 5
$(addprefix test-cosim-top-,$(HW_CFGS)): test-cosim-top-%: $(BUILD)/sim/top-%$(COSIM_SFX)/Vsim
	@$(call sim_trace_env,top-$*) tests/run_one.sh cosim-top-$* $< --seed $(SEED) $(TOP_TEST_ARGS_$*) --fail-trace $(FAIL_TRACE)
# make test co-simulates the chosen design dse68 (256-byte port, 1 tile x 1 macro of 128x64, 16
# vector lanes) and the smaller shapes; make test-full adds edge68 (the design chosen before: 3
# tiles x 4 macros of 256x64, 32 lanes; its build costs ~350 s of CPU, a third of make test's
# Verilator time) and wide (edge68 with 16 post-processor columns). TOP_FULL_CFGS: the
# configurations only make test-full co-simulates.
TOP_FULL_CFGS ?= wide edge68
TEST_TARGETS      += $(addprefix test-cosim-top-,$(filter-out $(TOP_FULL_CFGS),$(HW_CFGS)))
TEST_FULL_TARGETS += $(addprefix test-cosim-top-,$(filter $(TOP_FULL_CFGS),$(HW_CFGS)))

# The waveform on failure, end to end (tests/waves.sh): a run failed on purpose at a cycle
# reruns in its trace build (built then, when missing) and names an FST with every signal of the
# testbench's .gtkw.  The macro in make test, the top (a trace build of the whole top) in test-full.
.PHONY: test-waves-macro test-waves-top
test-waves-macro: $(BUILD)/sim/macro-default$(COSIM_SFX)/Vsim | $(BUILD)/.dep-gtkwave
	@$(call sim_trace_env,macro-default) tests/run_one.sh waves-macro tests/waves.sh $< tb/tb_cim_macro.gtkw \
	  $(BUILD)/tests/waves-macro 1500 --seed $(SEED) --ops 3000
test-waves-top: $(BUILD)/sim/top-default/Vsim | $(BUILD)/.dep-gtkwave
	@$(call sim_trace_env,top-default) tests/run_one.sh waves-top tests/waves.sh $< tb/tb_edgecim_top.gtkw \
	  $(BUILD)/tests/waves-top 3000 --seed $(SEED) --cases 2 --max-dim 300 --no-real
TEST_TARGETS      += test-waves-macro
TEST_FULL_TARGETS += test-waves-top

# Soak runs (make test-full): the default macro and top, other seeds, 20x / 5x longer.
.PHONY: test-soak-macro test-soak-top
test-soak-macro: $(BUILD)/sim/macro-default/Vsim
	@$(call sim_trace_env,macro-default) tests/run_one.sh soak-macro $< --seed $$(( $(SEED) + 1000 )) --ops 2000000 --fail-trace $(FAIL_TRACE)
test-soak-top: $(BUILD)/sim/top-default/Vsim
	@$(call sim_trace_env,top-default) tests/run_one.sh soak-top $< --seed $$(( $(SEED) + 1000 )) --cases 50 --max-dim 2048 --stall 10 --latency 60 --fail-trace $(FAIL_TRACE)
TEST_FULL_TARGETS += test-soak-macro test-soak-top

# Benchmark: DRAM-port utilization of streamed GEMVs of real layer shapes, and Verilator speed.
# BENCH_TOP_HW: the report's chosen design, measured beside the default (its own flat build).
BENCH_TOP_HW ?= dse68
.PHONY: bench-top
bench-top: $(BUILD)/sim/top-default/Vsim $(BUILD)/sim/top-$(BENCH_TOP_HW)/Vsim
	@echo "== edgecim_top default, DRAM at full port rate (16 B/cycle), latency 40 (CPU time; load: $$(cut -d' ' -f1-3 /proc/loadavg))"
	@$< --seed $(SEED) --cases 0 --no-errors --bench
	@echo "== edgecim_top default, DRAM latency 100 cycles, 10% random stalls"
	@$< --seed $(SEED) --cases 0 --no-errors --bench --latency 100 --stall 10
	@echo "== edgecim_top $(BENCH_TOP_HW) (the chosen design), DRAM at full port rate, latency 40 (load: $$(cut -d' ' -f1-3 /proc/loadavg))"
	@$(word 2,$^) --seed $(SEED) --cases 0 --no-errors --bench
BENCH_TARGETS += bench-top
HELP_LINES += make~bench-top~[BENCH_TOP_HW=dse68]~~DRAM-port~utilization~of~streamed~GEMVs~and~Verilator~speed~(edgecim_top:~default~and~the~chosen~design)
HELP_LINES += make~sim-top~[TCFG=name]~[TOP_ARGS=...]~[TRACE=1~[TRACE_FROM=c0~TRACE_TO=c1]]~~co-simulate~the~whole~accelerator

# ---- FuseSoC: the same lint/sim/synth over the cores (FuseSoC from PyPI, in $(VENV)) ----------
# The Verilated models build with the cores' make_options (OPT_FAST=-O2, as make's builds) unless
# FUSESOC_VOPT is set: then its level replaces them (Edalize's Makefile takes MAKE_OPTIONS from
# make's command line, which MAKEFLAGS is).  make test's FuseSoC sims are short flow checks, so
# they build at -O1: a third less compile time, and a run of 2 s instead of 1.  The environment
# adds make's -j2 and ccache (FuseSoC's own make runs one job, without it).
FUSESOC_VOPT ?=
FUSESOC_ENV = MAKEFLAGS='-j2$(if $(CCACHE), OBJCACHE=$(CCACHE))$(if $(FUSESOC_VOPT), MAKE_OPTIONS=OPT_FAST=$(FUSESOC_VOPT)\ OPT_GLOBAL=$(FUSESOC_VOPT))'
FUSESOC_RUN = $(FUSESOC_ENV) $(FUSESOC) --cores-root=. run --build-root $(BUILD)/fusesoc-$(1) --target=$(2) $(3)
# What the FuseSoC sim targets run: the flow is what they check (the cosim-* tests are the
# thorough runs), so a short run each.  FUSESOC_OPS: macro operations; FUSESOC_TOP_ARGS: the
# top testbench's options as FuseSoC parameters.
FUSESOC_OPS      ?= 2000
FUSESOC_TOP_ARGS ?= --cases 3 --max_dim 300 --no_real
.PHONY: fusesoc-lint fusesoc-sim fusesoc-sim-top fusesoc-synth test-fusesoc test-fusesoc-default test-fusesoc-synth
fusesoc-lint: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,lint,lint,edgecim:ip:top) $(HW_FUSESOC_$(HW))
fusesoc-sim: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,sim-$(CFG),sim,edgecim:dv:tb) $(MACRO_FUSESOC_$(CFG)) --seed $(SEED) --ops $(FUSESOC_OPS)
fusesoc-sim-top: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,sim-top-$(TCFG),sim_top,edgecim:dv:tb) $(HW_FUSESOC_$(TCFG)) --seed $(SEED) $(FUSESOC_TOP_ARGS)
fusesoc-synth: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-yosys
	$(call FUSESOC_RUN,synth,synth,edgecim:ip:top) $(HW_FUSESOC_$(HW))
# make test: lint and both sim targets, the sims in the smallest configurations (FUSESOC_TEST_CFG,
# FUSESOC_TEST_TCFG): what they check is the flow (the cores' file lists, the hook, parameters
# and plusargs reaching the model: non-default values of both), and a Verilated build of the
# smallest top costs a fraction of the default one's; the cosim-* tests run every configuration.
# make test-full: the same in the default configurations (test-fusesoc-default) and the synth
# target (the whole top).
FUSESOC_TEST_CFG  ?= small
FUSESOC_TEST_TCFG ?= narrow
FUSESOC_TEST_VOPT ?= -O1
test-fusesoc: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	@tests/run_one.sh fusesoc sh -c '$(MAKE) --no-print-directory fusesoc-lint && \
	  $(MAKE) --no-print-directory fusesoc-sim CFG=$(FUSESOC_TEST_CFG) FUSESOC_VOPT=$(FUSESOC_TEST_VOPT) && \
	  $(MAKE) --no-print-directory fusesoc-sim-top TCFG=$(FUSESOC_TEST_TCFG) FUSESOC_VOPT=$(FUSESOC_TEST_VOPT)'
test-fusesoc-default: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	@tests/run_one.sh fusesoc-default sh -c '$(MAKE) --no-print-directory fusesoc-sim CFG=default && \
	  $(MAKE) --no-print-directory fusesoc-sim-top TCFG=default'
test-fusesoc-synth: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-yosys
	@tests/run_one.sh fusesoc-synth $(MAKE) --no-print-directory fusesoc-synth
TEST_TARGETS      += test-fusesoc
TEST_FULL_TARGETS += test-fusesoc-default test-fusesoc-synth
HELP_LINES += make~fusesoc-lint|sim|sim-top|synth~~the~same~through~the~FuseSoC~cores~(FuseSoC~venv~in~.venv)
