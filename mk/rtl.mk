# RTL: lint, Verilator co-simulation of the CIM macro against the C model, Yosys synthesis.
VROOT      := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
RTL_SRCS   := rtl/cim_adder_tree.sv rtl/cim_macro.sv
LINT_VLT   := rtl/lint.vlt
LINT_TOPS  := cim_macro
VFLAGS     := -Wall --x-assign fast -O3

# Macro configurations co-simulated by `make test` (CFG=name selects one for `make sim`).
MACRO_CFGS := default w8 w2 a4 small
MACRO_PARAMS_default :=
MACRO_PARAMS_w8      := -GWBits=8
MACRO_PARAMS_w2      := -GWBits=2
MACRO_PARAMS_a4      := -GABits=4
MACRO_PARAMS_small   := -GRows=24 -GCols=5 -GGroupRows=8

CFG      ?= default
OPS      ?= 20000
TEST_OPS ?= 100000
TRACE    ?= 0

# Plain-C part of the testbench (C model, stimulus/scoreboard, DPI shim), built by cc as C11.
CIM_TB_C   := cmodel/cim_macro.c tb/cim_macro_tb.c tb/cim_macro_dpi.c
CIM_TB_LIB := $(BUILD)/sim/libcim_macro_tb.a
$(CIM_TB_LIB): $(CIM_TB_C) cmodel/cim_macro.h tb/cim_macro_tb.h tb/tb_rng.h | $(BUILD)/.dep-verilator
	@mkdir -p $(BUILD)/sim/obj
	@for f in $(CIM_TB_C); do \
	  $(CC) $(CSTD) $(CWARN) -O2 -g -Icmodel -Itb -I$(VROOT)/include/vltstd -c $$f -o $(BUILD)/sim/obj/$$(basename $$f .c).o || exit 1; \
	done
	@ar rcs $@ $(addprefix $(BUILD)/sim/obj/,$(notdir $(CIM_TB_C:.c=.o)))

# $(BUILD)/sim/macro-<cfg>[-trace]/Vsim
$(BUILD)/sim/macro-%/Vsim: $(RTL_SRCS) $(LINT_VLT) tb/tb_cim_macro.sv sim/sim_cim_macro.cpp $(CIM_TB_LIB)
	@echo "verilator: building cim_macro co-simulation '$*'"
	@$(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module tb_cim_macro \
	  $(MACRO_PARAMS_$(patsubst %-trace,%,$*)) $(if $(findstring -trace,$*),--trace-fst) \
	  -Mdir $(BUILD)/sim/macro-$* -o Vsim $(LINT_VLT) $(RTL_SRCS) tb/tb_cim_macro.sv \
	  $(abspath sim/sim_cim_macro.cpp) -CFLAGS "-I$(abspath tb) -I$(abspath cmodel)" \
	  -LDFLAGS "$(abspath $(CIM_TB_LIB))" > $(BUILD)/sim/macro-$*.build.log 2>&1 \
	  || { cat $(BUILD)/sim/macro-$*.build.log; exit 1; }

SIM_DIR := macro-$(CFG)$(if $(filter 1,$(TRACE)),-trace)
.PHONY: sim sim-build lint synth
sim-build: $(BUILD)/sim/$(SIM_DIR)/Vsim
sim: $(BUILD)/.dep-verilator $(BUILD)/sim/$(SIM_DIR)/Vsim
	@test -n "$(MACRO_PARAMS_$(CFG))$(filter default,$(CFG))" || { echo "unknown CFG=$(CFG); one of: $(MACRO_CFGS)"; exit 2; }
	$(BUILD)/sim/$(SIM_DIR)/Vsim --seed $(SEED) --ops $(OPS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/macro-$(CFG).fst)

lint: $(BUILD)/.dep-verilator
	@for top in $(LINT_TOPS); do \
	  $(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) --top-module $$top || exit 1; \
	  echo "lint: $$top clean (verilator --lint-only -Wall)"; \
	done
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) tb/tb_cim_macro.sv --top-module tb_cim_macro && \
	  echo "lint: tb_cim_macro clean"

SYNTH_TOP ?= cim_macro
synth: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth
	@echo "yosys: synthesizing $(SYNTH_TOP) (default parameters), log in $(BUILD)/synth/$(SYNTH_TOP).log"
	@$(YOSYS) -q -l $(BUILD)/synth/$(SYNTH_TOP).log -p "read_verilog -sv $(RTL_SRCS); synth -flatten -top $(SYNTH_TOP); tee -o $(BUILD)/synth/$(SYNTH_TOP).stat stat" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/$(SYNTH_TOP).stat $(SYNTH_TOP)

# Tests: the C model alone (with sanitizers), lint, and one co-simulation per configuration.
$(BUILD)/tests/bin/test_cim_macro_model: tests/test_cim_macro_model.c cmodel/cim_macro.c cmodel/cim_macro.h tb/tb_rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) -Icmodel -Itb $(filter %.c,$^) -o $@

.PHONY: test-cim-model test-lint $(addprefix test-cosim-macro-,$(MACRO_CFGS))
test-cim-model: $(BUILD)/tests/bin/test_cim_macro_model
	@tests/run_one.sh cim-macro-model $< --seed $(SEED)
test-lint:
	@tests/run_one.sh lint $(MAKE) --no-print-directory lint
$(addprefix test-cosim-macro-,$(MACRO_CFGS)): test-cosim-macro-%: $(BUILD)/sim/macro-%/Vsim
	@tests/run_one.sh cosim-macro-$* $< --seed $(SEED) --ops $(TEST_OPS)

TEST_TARGETS += test-cim-model test-lint $(addprefix test-cosim-macro-,$(MACRO_CFGS))

# FuseSoC: the same lint/sim/synth over fusesoc.core (FuseSoC from PyPI, in $(VENV)).
FUSESOC_VLNV := edgecim:accel:edgecim:0.1.0
.PHONY: fusesoc-lint fusesoc-sim fusesoc-synth test-fusesoc
fusesoc-lint fusesoc-sim fusesoc-synth: fusesoc-%: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-verilator $(BUILD)/.dep-yosys
	$(FUSESOC) --cores-root=. run --build-root $(BUILD)/fusesoc --target=$* $(FUSESOC_VLNV) \
	  $(if $(filter sim,$*),--seed $(SEED) --ops $(or $(FUSESOC_OPS),2000))
test-fusesoc: $(BUILD)/.dep-fusesoc $(BUILD)/.dep-yosys
	@tests/run_one.sh fusesoc sh -c '$(MAKE) --no-print-directory fusesoc-lint && $(MAKE) --no-print-directory fusesoc-sim && $(MAKE) --no-print-directory fusesoc-synth'
TEST_TARGETS += test-fusesoc
HELP_LINES += make~fusesoc-lint|sim|synth~~the~same~through~fusesoc.core~(FuseSoC~venv~in~.venv)
