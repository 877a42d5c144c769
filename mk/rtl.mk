# RTL: generated views, lint, the Verilator co-simulations (macro and whole top, RTL vs C model),
# Yosys synthesis, FuseSoC. File lists: mk/filelists.mk (from the *.core files); named hardware
# configurations: mk/hwcfg.mk (from hw/edgecim_hw.json). Both are generated: `make regen`.
VROOT     := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
VFLAGS    := -Wall --x-assign fast -O3
# C++ optimization of the Verilated models (Verilator's default, -Os, simulates slower); on x86-64
# the popcount instruction too (the macro's bit-plane popcounts compile to it): VCFLAGS.
VOPT_FAST ?= -O2
VCFLAGS   := $(HOST_POPCNT)
# VOBJCACHE=ccache: compile the Verilated C++ through ccache (a rebuild after a one-module change
# then recompiles only the files whose text changed; make mutate uses it).
VOBJCACHE ?=

CFG      ?= default
OPS      ?= 20000
TEST_OPS ?= 100000
TRACE    ?= 0
HW       ?= default
TCFG     ?= $(HW)

# The tests run the co-simulations built with the assertions of dv/sva/ (--assert; SVA=0: without,
# the builds of make sim / sim-top / bench); mk/verif.mk has the rules of the -sva builds.
SVA      ?= 1
COSIM_SFX := $(if $(filter 1,$(SVA)),-sva)

hw_params = $(or $(HW_PARAMS_$(1)),$(error unknown hardware configuration '$(1)': one of $(HW_CFGS)))

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
	  $(CC) $(CSTD) $(CWARN) -O2 -g $(C_INCLUDES) -Itb -I$(VROOT)/include/vltstd -c $$f \
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
	@$(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module $(1) \
	  $(3) $(if $(findstring -trace,$*),--trace-fst) \
	  -Mdir $(2) -o Vsim $(LINT_VLT) $(4) \
	  $(abspath $(5)) -CFLAGS "$(VCFLAGS) -I$(abspath tb) $(addprefix -I,$(abspath $(C_INCLUDE_DIRS))) -I$(abspath sim)" \
	  -LDFLAGS "$(abspath $(6))" -MAKEFLAGS "OPT_FAST=$(VOPT_FAST)$(if $(VOBJCACHE), OBJCACHE=$(VOBJCACHE))" > $(2).build.log 2>&1 || { cat $(2).build.log; exit 1; }
endef

# ---- CIM macro co-simulation ------------------------------------------------------------------
# $(BUILD)/sim/macro-<cfg>[-trace]/Vsim
$(BUILD)/sim/macro-%/Vsim: sim/sim_common.h $(TB_MACRO_SV) $(LINT_VLT) sim/sim_cim_macro.cpp $(CIM_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*,$(MACRO_PARAMS_$(patsubst %-trace,%,$*)),$(TB_MACRO_SV),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))

# The macro RTL alone, busy every cycle, no C model: its simulation speed (make bench-macro).
$(BUILD)/sim/bench-macro-%/Vbench: $(MACRO_SRCS) sim/bench_cim_macro.cpp sim/sim_common.h mk/hwcfg.mk | $(BUILD)/.dep-verilator
	@echo "verilator: building the macro speed bench '$*'"
	@$(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module cim_macro $(MACRO_PARAMS_$*) \
	  -Mdir $(BUILD)/sim/bench-macro-$* -o Vbench $(LINT_VLT) $(MACRO_SRCS) $(abspath sim/bench_cim_macro.cpp) \
	  -CFLAGS "$(VCFLAGS) -I$(abspath sim)" -MAKEFLAGS "OPT_FAST=$(VOPT_FAST)" > $(BUILD)/sim/bench-macro-$*.build.log 2>&1 \
	  || { cat $(BUILD)/sim/bench-macro-$*.build.log; exit 1; }
.PHONY: bench-macro
bench-macro: $(BUILD)/sim/bench-macro-default/Vbench $(BUILD)/sim/bench-macro-wide/Vbench
	@echo "== CIM macro RTL simulation speed (Verilator, CPU time of one core; load: $$(cut -d' ' -f1-3 /proc/loadavg))"
	@for i in 1 2 3; do $(BUILD)/sim/bench-macro-default/Vbench --cycles 2000000; done
	@$(BUILD)/sim/bench-macro-wide/Vbench --cycles 500000
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
	$(BUILD)/sim/$(SIM_DIR)/Vsim --seed $(SEED) --ops $(OPS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/macro-$(CFG).fst)
	@if [ "$(SIM_DECODE)" = 1 ]; then echo "== a tiny SLM decoded on the Verilator RTL of edgecim_top"; \
	  $(MAKE) --no-print-directory run-rtl; fi

lint: $(BUILD)/.dep-verilator
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(MACRO_SRCS) --top-module cim_macro && echo "lint: cim_macro clean (verilator --lint-only -Wall)"
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_MACRO_SV) --top-module tb_cim_macro && echo "lint: tb_cim_macro clean"
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_TOP_SV) --top-module tb_edgecim_top && echo "lint: tb_edgecim_top clean"
	@$(foreach c,$(HW_CFGS),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) --top-module edgecim_top $(HW_PARAMS_$(c)) || exit 1;) \
	  echo "lint: edgecim_top clean in every named configuration ($(HW_CFGS))"
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
synth-macro: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth
	@$(YOSYS) -q -l $(BUILD)/synth/cim_macro.log -p "read_verilog -sv $(MACRO_SRCS); synth -flatten -top cim_macro; tee -o $(BUILD)/synth/cim_macro.stat stat" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/cim_macro.stat cim_macro

# ---- tests: the C models alone (with sanitizers), lint, one co-simulation per configuration ----
$(BUILD)/tests/bin/test_cim_macro_model: tests/test_cim_macro_model.c cmodel/cim_macro.c cmodel/cim_macro.h tb/tb_rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@
$(BUILD)/tests/bin/test_edgecim_model: tests/test_edgecim_model.c $(filter-out %_dpi.c,$(TB_TOP_C_SRCS)) $(TB_C_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@ -lm

.PHONY: test-cim-model test-lint test-edgecim-model test-edgecim-model-narrow $(addprefix test-cosim-macro-,$(MACRO_CFGS))
test-cim-model: $(BUILD)/tests/bin/test_cim_macro_model
	@tests/run_one.sh cim-model $< --seed $(SEED)
test-lint:
	@tests/run_one.sh lint $(MAKE) --no-print-directory lint
$(addprefix test-cosim-macro-,$(MACRO_CFGS)): test-cosim-macro-%: $(BUILD)/sim/macro-%$(COSIM_SFX)/Vsim
	@tests/run_one.sh cosim-macro-$* $< --seed $(SEED) --ops $(TEST_OPS)
# One run_one.sh per target: a failing run stops its recipe, and make -k goes on with the next.
test-edgecim-model: $(BUILD)/tests/bin/test_edgecim_model
	@tests/run_one.sh edgecim-model $< --seed $(SEED) --cases 20
test-edgecim-model-narrow: $(BUILD)/tests/bin/test_edgecim_model
	@tests/run_one.sh edgecim-model-narrow $< --seed $(SEED) --cases 20 --hw narrow --bw 6 --stall 10
TEST_TARGETS += test-cim-model test-edgecim-model test-edgecim-model-narrow test-lint \
                $(addprefix test-cosim-macro-,$(MACRO_CFGS))

# ---- edgecim_top: co-simulation of the whole accelerator against its C model -----------------
# $(BUILD)/sim/top-<hw>[-trace]/Vsim, one per named configuration (a build never rebuilds another).
TOP_ARGS ?=
$(BUILD)/sim/top-%/Vsim: $(TB_TOP_SV) $(LINT_VLT) sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*,$(call hw_params,$(patsubst %-trace,%,$*)),$(TB_TOP_SV),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

.PHONY: sim-top $(addprefix test-cosim-top-,$(HW_CFGS))
sim-top: $(BUILD)/sim/top-$(TCFG)$(if $(filter 1,$(TRACE)),-trace)/Vsim
	$< --seed $(SEED) $(TOP_ARGS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/top-$(TCFG).fst)
# default: real layer shapes + random + errors; quad: random stalls and long latency; narrow: a
# DRAM slower than the port; odd: 3 tiles x 5 macros on a 64-byte port with stalls; wide: the
# 256-byte port and 256x64 macros, real shapes, stalls.
TOP_TEST_ARGS_default := --cases 10 --max-dim 1200
TOP_TEST_ARGS_quad    := --no-real --cases 14 --max-dim 700 --stall 20 --latency 90
TOP_TEST_ARGS_narrow  := --no-real --cases 14 --max-dim 700 --bw 6 --latency 25
TOP_TEST_ARGS_odd     := --cases 10 --max-dim 900 --stall 10 --latency 60
TOP_TEST_ARGS_wide    := --cases 6 --max-dim 1200 --stall 5
$(addprefix test-cosim-top-,$(HW_CFGS)): test-cosim-top-%: $(BUILD)/sim/top-%$(COSIM_SFX)/Vsim
	@tests/run_one.sh cosim-top-$* $< --seed $(SEED) $(TOP_TEST_ARGS_$*)
TEST_TARGETS += $(addprefix test-cosim-top-,$(HW_CFGS))

# Benchmark: DRAM-port utilization of streamed GEMVs of real layer shapes, and Verilator speed.
.PHONY: bench-top
bench-top: $(BUILD)/sim/top-default/Vsim
	@echo "== edgecim_top, DRAM at full port rate (16 B/cycle), latency 40"
	@$< --seed $(SEED) --cases 0 --no-errors --bench | grep -E "BENCH|speed|result"
	@echo "== edgecim_top, DRAM latency 100 cycles, 10% random stalls"
	@$< --seed $(SEED) --cases 0 --no-errors --bench --latency 100 --stall 10 | grep -E "BENCH|speed|result"
BENCH_TARGETS += bench-top
HELP_LINES += make~bench-top~~~~DRAM-port~utilization~of~streamed~GEMVs~and~Verilator~speed~(edgecim_top)
HELP_LINES += make~sim-top~[TCFG=default|narrow|quad]~[TOP_ARGS=...]~~co-simulate~the~whole~accelerator

# ---- FuseSoC: the same lint/sim/synth over the cores (FuseSoC from PyPI, in $(VENV)) ----------
FUSESOC_RUN = $(FUSESOC) --cores-root=. run --build-root $(BUILD)/fusesoc-$(1) --target=$(2) $(3)
.PHONY: fusesoc-lint fusesoc-sim fusesoc-sim-top fusesoc-synth test-fusesoc
fusesoc-lint: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,lint,lint,edgecim:ip:top) $(HW_FUSESOC_$(HW))
fusesoc-sim: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,sim,sim,edgecim:dv:tb) $(MACRO_FUSESOC_$(CFG)) --seed $(SEED) --ops $(or $(FUSESOC_OPS),2000)
fusesoc-sim-top: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator
	$(call FUSESOC_RUN,sim-top-$(TCFG),sim_top,edgecim:dv:tb) $(HW_FUSESOC_$(TCFG)) --seed $(SEED)
fusesoc-synth: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-yosys
	$(call FUSESOC_RUN,synth,synth,edgecim:ip:top) $(HW_FUSESOC_$(HW))
test-fusesoc: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-yosys
	@tests/run_one.sh fusesoc sh -c '$(MAKE) --no-print-directory fusesoc-lint && $(MAKE) --no-print-directory fusesoc-sim && $(MAKE) --no-print-directory fusesoc-sim-top && $(MAKE) --no-print-directory fusesoc-synth'
TEST_TARGETS += test-fusesoc
HELP_LINES += make~fusesoc-lint|sim|sim-top|synth~~the~same~through~the~FuseSoC~cores~(FuseSoC~venv~in~.venv)
