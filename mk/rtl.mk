# RTL: lint, Verilator co-simulation of the CIM macro against the C model, Yosys synthesis.
VROOT      := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)
MACRO_SRCS := rtl/cim_adder_tree.sv rtl/cim_macro.sv
RTL_SRCS   := rtl/edgecim_reg_pkg.sv $(MACRO_SRCS) rtl/edgecim_sram.sv rtl/cim_ppu_term.sv \
              rtl/cim_tile.sv rtl/edgecim_seg_walker.sv rtl/edgecim_dma.sv rtl/tile_sequencer.sv \
              rtl/edgecim_regs.sv rtl/edgecim_top.sv
LINT_VLT   := rtl/lint.vlt
LINT_TOPS  := cim_macro edgecim_top
VFLAGS     := -Wall --x-assign fast -O3
TOP_TB_C_PLAIN := cmodel/cim_macro.c cmodel/dram_model.c cmodel/ecim_gemv.c cmodel/edgecim_model.c \
                  tb/edgecim_top_tb.c
TOP_TB_C   := $(TOP_TB_C_PLAIN) tb/edgecim_top_dpi.c

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

# The plain-C part of a testbench (C models, stimulus/scoreboard, DPI shim), built by cc as C11
# into a library that the Verilator harness links. $(1): object dir, $(2): C sources.
define tb_c_lib
	@mkdir -p $(1)
	@for f in $(2); do \
	  $(CC) $(CSTD) $(CWARN) -O2 -g -Icmodel -Itb -Isw -I$(VROOT)/include/vltstd -c $$f -o $(1)/$$(basename $$f .c).o || exit 1; \
	done
	@rm -f $@ && ar rcs $@ $(addprefix $(1)/,$(notdir $(2:.c=.o)))
endef

# A Verilator co-simulation binary <dir>/Vsim ($* ending in -trace adds FST tracing).
# $(1): testbench top (tb/$(1).sv), $(2): build dir, $(3): -G parameters, $(4): RTL sources,
# $(5): C++ harness, $(6): C library.
define verilate_tb
	@echo "verilator: building $(1) co-simulation '$*'"
	@rm -f $@  # the library is linked by name: make verilator's makefile relink
	@$(VERILATOR) --cc --exe --build -j 2 $(VFLAGS) --top-module $(1) \
	  $(3) $(if $(findstring -trace,$*),--trace-fst) \
	  -Mdir $(2) -o Vsim $(LINT_VLT) $(4) tb/$(1).sv \
	  $(abspath $(5)) -CFLAGS "-I$(abspath tb) -I$(abspath cmodel) -I$(abspath sim)" \
	  -LDFLAGS "$(abspath $(6))" > $(2).build.log 2>&1 || { cat $(2).build.log; exit 1; }
endef

CIM_TB_C   := cmodel/cim_macro.c tb/cim_macro_tb.c tb/cim_macro_dpi.c
CIM_TB_LIB := $(BUILD)/sim/libcim_macro_tb.a
$(CIM_TB_LIB): $(CIM_TB_C) cmodel/cim_macro.h tb/cim_macro_tb.h tb/tb_rng.h | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/obj,$(CIM_TB_C))

# $(BUILD)/sim/macro-<cfg>[-trace]/Vsim
$(BUILD)/sim/macro-%/Vsim: sim/sim_common.h $(MACRO_SRCS) $(LINT_VLT) tb/tb_cim_macro.sv sim/sim_cim_macro.cpp $(CIM_TB_LIB)
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*,$(MACRO_PARAMS_$(patsubst %-trace,%,$*)),$(MACRO_SRCS),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))

SIM_DIR := macro-$(CFG)$(if $(filter 1,$(TRACE)),-trace)
.PHONY: sim sim-build lint synth
sim-build: $(BUILD)/sim/$(SIM_DIR)/Vsim
# make sim: the CIM macro co-simulation (RTL vs C model), then a tiny SLM decoded on the RTL of
# the whole accelerator (mk/drv.mk: run-rtl). SIM_DECODE=0 skips the decode.
SIM_DECODE ?= 1
sim: $(BUILD)/.dep-verilator $(BUILD)/sim/$(SIM_DIR)/Vsim
	@test -n "$(MACRO_PARAMS_$(CFG))$(filter default,$(CFG))" || { echo "unknown CFG=$(CFG); one of: $(MACRO_CFGS)"; exit 2; }
	@echo "== CIM macro: RTL vs C model, cycle by cycle"
	$(BUILD)/sim/$(SIM_DIR)/Vsim --seed $(SEED) --ops $(OPS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/macro-$(CFG).fst)
	@if [ "$(SIM_DECODE)" = 1 ]; then echo "== a tiny SLM decoded on the Verilator RTL of edgecim_top"; \
	  $(MAKE) --no-print-directory run-rtl; fi

lint: $(BUILD)/.dep-verilator
	@for top in $(LINT_TOPS); do \
	  $(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) --top-module $$top || exit 1; \
	  echo "lint: $$top clean (verilator --lint-only -Wall)"; \
	done
	@for tb in tb_cim_macro tb_edgecim_top; do \
	  $(VERILATOR) --lint-only -Wall $(LINT_VLT) $(RTL_SRCS) tb/$$tb.sv --top-module $$tb || exit 1; \
	  echo "lint: $$tb clean"; \
	done

synth: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth
	@echo "yosys: synthesizing edgecim_top (default parameters, hierarchical), log in $(BUILD)/synth/edgecim_top.log"
	@sed 's#build/synth/#$(BUILD)/synth/#' syn/synth_top.ys > $(BUILD)/synth/synth_top.ys
	@$(YOSYS) -q -l $(BUILD)/synth/edgecim_top.log -s $(BUILD)/synth/synth_top.ys >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/edgecim_top.stat edgecim_top
synth-macro: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth
	@$(YOSYS) -q -l $(BUILD)/synth/cim_macro.log -p "read_verilog -sv $(MACRO_SRCS); synth -flatten -top cim_macro; tee -o $(BUILD)/synth/cim_macro.stat stat" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/cim_macro.stat cim_macro
.PHONY: synth-macro regmap
regmap:
	python3 scripts/gen_regmap.py

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

$(BUILD)/tests/bin/test_edgecim_model: tests/test_edgecim_model.c $(TOP_TB_C_PLAIN) $(wildcard cmodel/*.h) tb/edgecim_top_tb.h sw/edgecim_regs.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) -Icmodel -Itb -Isw $(filter %.c,$^) -o $@ -lm
.PHONY: test-edgecim-model test-regmap
test-edgecim-model: $(BUILD)/tests/bin/test_edgecim_model
	@tests/run_one.sh edgecim-model $< --seed $(SEED) --cases 20
	@tests/run_one.sh edgecim-model-narrow $< --seed $(SEED) --cases 20 --narrow --stall 10
test-regmap:
	@tests/run_one.sh regmap-up-to-date python3 scripts/gen_regmap.py --check

TEST_TARGETS += test-cim-model test-edgecim-model test-regmap test-lint $(addprefix test-cosim-macro-,$(MACRO_CFGS))

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

# ------------------------------------------------------------------------------------------------
# edgecim_top: co-simulation of the whole accelerator against its C model (cmodel/edgecim_model.c)
# ------------------------------------------------------------------------------------------------
TOP_CFGS := default narrow quad
TOP_PARAMS_default :=
TOP_PARAMS_narrow  := -GNTiles=1 -GNMacros=2 -GNRes=2 -GDataBytes=8 -GFifoChunks=64 -GMaxK=4096
TOP_PARAMS_quad    := -GNTiles=4 -GNMacros=1 -GNRes=0 -GQueueDepth=8 -GMaxBurst=8
TOP_TB_LIB := $(BUILD)/sim/libedgecim_top_tb.a
TOP_ARGS   ?=
$(TOP_TB_LIB): $(TOP_TB_C) $(wildcard cmodel/*.h) tb/edgecim_top_tb.h tb/tb_rng.h sw/edgecim_regs.h | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/topobj,$(TOP_TB_C))

$(BUILD)/sim/top-%/Vsim: $(RTL_SRCS) $(LINT_VLT) tb/tb_edgecim_top.sv sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB)
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*,$(TOP_PARAMS_$(patsubst %-trace,%,$*)),$(RTL_SRCS),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

TCFG ?= default
.PHONY: sim-top $(addprefix test-cosim-top-,$(TOP_CFGS))
sim-top: $(BUILD)/sim/top-$(TCFG)$(if $(filter 1,$(TRACE)),-trace)/Vsim
	$< --seed $(SEED) $(TOP_ARGS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/top-$(TCFG).fst)
# default: real layer shapes + random + errors; quad: random stalls and long latency; narrow: an
# 8-byte port with a DRAM slower than the port.
TOP_TEST_ARGS_default := --cases 10 --max-dim 1200
TOP_TEST_ARGS_quad    := --no-real --cases 14 --max-dim 700 --stall 20 --latency 90
TOP_TEST_ARGS_narrow  := --no-real --cases 14 --max-dim 700 --bw 6 --latency 25
$(addprefix test-cosim-top-,$(TOP_CFGS)): test-cosim-top-%: $(BUILD)/sim/top-%/Vsim
	@tests/run_one.sh cosim-top-$* $< --seed $(SEED) $(TOP_TEST_ARGS_$*)
TEST_TARGETS += $(addprefix test-cosim-top-,$(TOP_CFGS))

# Benchmark: DRAM-port utilization of streamed GEMVs of real layer shapes, and Verilator speed.
.PHONY: bench-top
bench-top: $(BUILD)/sim/top-default/Vsim
	@echo "== edgecim_top, DRAM at full port rate (16 B/cycle), latency 40"
	@$< --seed $(SEED) --cases 0 --no-errors --bench | grep -E "BENCH|speed|result"
	@echo "== edgecim_top, DRAM latency 100 cycles, 10% random stalls"
	@$< --seed $(SEED) --cases 0 --no-errors --bench --latency 100 --stall 10 | grep -E "BENCH|speed|result"
BENCH_TARGETS += bench-top
HELP_LINES += make~sim-top~[TCFG=default|narrow|quad]~[TOP_ARGS=...]~~co-simulate~the~whole~accelerator
