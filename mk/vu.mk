# SPDX-License-Identifier: Apache-2.0
# The vector unit (rtl/edgecim_vu.sv) alone: its co-simulation against the C model
# (cmodel/ecim_vu.c) in each configuration whose vector-unit parameters differ (edge68 and
# narrow have those of wide and default), the same testbench over a second C model under the
# sanitizers, lint of every named configuration, and Yosys cell counts per module.
# File lists: VU_SRCS, VU_SYNTH_SRCS, VU_BLACKBOX_SRCS, TB_VU_SV, TB_VU_C_SRCS (mk/filelists.mk,
# from rtl/edgecim_vu.core and edgecim_dv.core).
VU_CFGS      := default quad odd wide lanes1 bigbank
# Two builds of the vector unit beyond the named configurations: one lane with single-beat read
# bursts (RoPE's partner in the next row, no lane tree), and 64 KiB banks on a 16-byte port (a
# chunk of 8192 elements: stores of more than 256 beats, 64-beat bursts).
HW_PARAMS_lanes1  := $(filter-out -GDataBytes=% -GMacroRows=% -GMaxBurst=% -GVecLanes=% -GVecBankBytes=%,$(HW_PARAMS_default)) \
                     -GDataBytes=64 -GMacroRows=256 -GMaxBurst=1 -GVecLanes=1 -GVecBankBytes=2048
HW_PARAMS_bigbank := $(filter-out -GMacroCols=% -GMaxBurst=% -GVecBankBytes=%,$(HW_PARAMS_default)) \
                     -GMacroCols=64 -GMaxBurst=64 -GVecBankBytes=65536
VU_TB_LIB    := $(BUILD)/sim/libedgecim_vu_tb.a
VU_TEST_OPS  ?= 500
VU_TEST_OPS_bigbank ?= 200   # chunks of 8192 elements: ten times the cycles per op
VU_SOAK_OPS  ?= 3000
VU_MODEL_SRCS := tests/test_vu_model.c $(filter-out %_dpi.c,$(TB_VU_C_SRCS))

$(VU_TB_LIB): $(TB_VU_C_SRCS) $(TB_C_HDRS) tb/edgecim_vu_tb.h | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/obj-vu,$(TB_VU_C_SRCS))

# $(BUILD)/sim/vu-<hw>[-trace]/Vsim, one per named configuration.
$(BUILD)/sim/vu-%/Vsim: $(TB_VU_SV) $(LINT_VLT) sim/sim_edgecim_vu.cpp sim/sim_common.h $(VU_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_vu,$(BUILD)/sim/vu-$*,$(call top_test_cfg,$*),$(TB_VU_SV),sim/sim_edgecim_vu.cpp,$(VU_TB_LIB))

$(BUILD)/tests/bin/test_vu_model: $(VU_MODEL_SRCS) $(TB_C_HDRS) tb/edgecim_vu_tb.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@ -lm

.PHONY: sim-vu lint-vu synth-vu soak-vu test-vu-model $(addprefix test-cosim-vu-,$(VU_CFGS))
VU_ARGS ?=
sim-vu: $(BUILD)/sim/vu-$(TCFG)$(if $(filter 1,$(TRACE)),-trace)/Vsim
	$< --seed $(SEED) $(VU_ARGS) $(if $(filter 1,$(TRACE)),--trace $(BUILD)/sim/vu-$(TCFG).fst)

# The C model against itself (every configuration, the sanitizers), then the RTL per configuration.
test-vu-model: $(BUILD)/tests/bin/test_vu_model
	@tests/run_one.sh vu-model sh -c '$(foreach c,$(VU_CFGS),$< --seed $(SEED) --ops 400 --hw $(c) --long &&) true'
$(addprefix test-cosim-vu-,$(VU_CFGS)): test-cosim-vu-%: $(BUILD)/sim/vu-%/Vsim
	@tests/run_one.sh cosim-vu-$* $< --seed $(SEED) --ops $(or $(VU_TEST_OPS_$*),$(VU_TEST_OPS))
TEST_TARGETS += test-vu-model $(addprefix test-cosim-vu-,$(VU_CFGS))

# Not part of make test: many more ops, the longest ones too, every configuration (minutes each).
soak-vu: $(addprefix $(BUILD)/sim/vu-,$(addsuffix /Vsim,$(VU_CFGS)))
	@$(foreach c,$(VU_CFGS),tests/run_one.sh soak-vu-$(c) $(BUILD)/sim/vu-$(c)/Vsim --seed $(SEED) --ops $(VU_SOAK_OPS) --long --max-count 6 || exit 1;)

lint-vu: $(BUILD)/.dep-verilator
	@$(foreach c,$(filter $(LINT_CFGS),$(HW_CFGS)) $(if $(filter $(HW_CFGS),$(LINT_CFGS)),$(if $(filter-out default,$(LINT_CFGS)),lanes1 bigbank)),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(VU_SRCS) --top-module edgecim_vu \
	  $(filter -GDataBytes=% -GVecLanes=% -GVecBankBytes=% -GMaxBurst=% -GMacroRows=% -GMacroCols=%,$(HW_PARAMS_$(c))) || exit 1;) \
	  echo "lint: edgecim_vu clean in the configurations $(filter $(LINT_CFGS),$(HW_CFGS))$(if $(filter-out default,$(LINT_CFGS)), lanes1 bigbank)"
	@$(foreach c,$(if $(filter-out default,$(LINT_CFGS)),$(VU_CFGS),default),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_VU_SV) --top-module tb_edgecim_vu $(HW_PARAMS_$(c)) || exit 1;) \
	  echo "lint: tb_edgecim_vu clean"

# Yosys, hierarchical, the banks and the group memory as blackboxes: cells per module (HW=name);
# its netlist (synth/HW/vu.il) gives make area-path the unit's critical paths.
synth-vu: $(BUILD)/.dep-yosys
	@mkdir -p $(BUILD)/synth/$(HW)
	@echo "yosys: synthesizing edgecim_vu (configuration $(HW), hierarchical), log in $(BUILD)/synth/edgecim_vu-$(HW).log"
	@$(YOSYS) -q -l $(BUILD)/synth/edgecim_vu-$(HW).log -p "read_verilog -sv -lib $(VU_BLACKBOX_SRCS); \
	  read_verilog -sv $(VU_SYNTH_SRCS); \
	  $(foreach p,$(filter -GDataBytes=% -GVecLanes=% -GVecBankBytes=% -GMaxBurst=% -GMacroRows=% -GMacroCols=%,$(call hw_params,$(HW))),chparam -set $(patsubst -G%,%,$(subst =, ,$(p))) edgecim_vu;) \
	  hierarchy -check -top edgecim_vu; synth -top edgecim_vu; write_rtlil $(BUILD)/synth/$(HW)/vu.il; \
	  tee -o $(BUILD)/synth/edgecim_vu-$(HW).stat stat -top edgecim_vu" >/dev/null
	@scripts/synth_summary.sh $(BUILD)/synth/edgecim_vu-$(HW).stat edgecim_vu

HELP_LINES += make~sim-vu~[TCFG=name]~[VU_ARGS=...]~~co-simulate~the~vector~unit~alone~(RTL~vs~C~model)
HELP_LINES += make~lint-vu~|~synth-vu~[HW=name]~|~soak-vu~~lint~/~Yosys~cells~/~long~random~run~of~the~vector~unit

# Gate level (not part of make test): the Yosys netlist of edgecim_vu (flattened, the SRAMs kept as
# the behavioural models) in the same co-simulation, so Yosys must read the RTL as Verilator does.
# make gl-vu [HW=name] [GL_OPS=n]
GL_OPS ?= 40
vu_params = $(filter -GDataBytes=% -GVecLanes=% -GVecBankBytes=% -GMaxBurst=% -GMacroRows=% -GMacroCols=%,$(call hw_params,$(1)))
$(BUILD)/synth/vu-net-%.v: $(VU_SYNTH_SRCS) $(VU_BLACKBOX_SRCS) | $(BUILD)/.dep-yosys
	@mkdir -p $(dir $@)
	@echo "yosys: the netlist of edgecim_vu, configuration $* (log $(BUILD)/synth/vu-net-$*.log)"
	@$(YOSYS) -q -l $(BUILD)/synth/vu-net-$*.log -p "read_verilog -sv -lib $(VU_BLACKBOX_SRCS); read_verilog -sv $(VU_SYNTH_SRCS); \
	  $(foreach p,$(call vu_params,$*),chparam -set $(patsubst -G%,%,$(subst =, ,$(p))) edgecim_vu;) \
	  hierarchy -check -top edgecim_vu; synth -flatten -top edgecim_vu; rename edgecim_vu edgecim_vu_net; \
	  write_verilog -noattr $@" >/dev/null
$(BUILD)/sim/vugl-%/Vsim: $(BUILD)/synth/vu-net-%.v tb/edgecim_vu_gl.sv tb/tb_edgecim_vu.sv sim/sim_edgecim_vu.cpp sim/sim_common.h $(VU_TB_LIB)
	@echo "verilator: building the gate-level co-simulation '$*' (log $(BUILD)/sim/vugl-$*.build.log)"
	@rm -f $@
	@$(VERILATOR) --cc --exe --build -j 2 -Wno-fatal -Wno-lint -Wno-style --x-assign fast -O3 --top-module tb_edgecim_vu \
	  $(call hw_params,$*) -Mdir $(BUILD)/sim/vugl-$* -o Vsim $(LINT_VLT) rtl/edgecim_reg_pkg.sv rtl/edgecim_pkg.sv \
	  $(VU_BLACKBOX_SRCS) $< tb/edgecim_vu_gl.sv tb/tb_edgecim_vu.sv $(abspath sim/sim_edgecim_vu.cpp) \
	  -CFLAGS "$(VCFLAGS) -I$(abspath tb) $(addprefix -I,$(abspath $(C_INCLUDE_DIRS))) -I$(abspath sim)" \
	  -LDFLAGS "$(abspath $(VU_TB_LIB))" -MAKEFLAGS "OPT_FAST=-O1" > $(BUILD)/sim/vugl-$*.build.log 2>&1 \
	  || { tail -30 $(BUILD)/sim/vugl-$*.build.log; exit 1; }
.PHONY: gl-vu
gl-vu: $(BUILD)/sim/vugl-$(HW)/Vsim
	@tests/run_one.sh gl-vu-$(HW) $< --seed $(SEED) --ops $(GL_OPS)
HELP_LINES += make~gl-vu~[HW=name]~[GL_OPS=n]~~the~Yosys~netlist~of~the~vector~unit~in~its~co-simulation
