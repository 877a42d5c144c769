# Verification depth (issue 11): the co-simulations with the RTL's assertions on, the assertions
# shown to fire, formal proofs, mutation testing.

# ---- assertions (in the RTL under `ifndef SYNTHESIS; simulation with --assert) --------------------
# $(BUILD)/sim/macro-<cfg>-sva/Vsim and top-<cfg>-sva/Vsim: the co-simulations built with --assert
# (the tests use these: mk/rtl.mk, SVA=1). A failed assertion stops the run with its label.
$(BUILD)/sim/macro-%-sva/Vsim: sim/sim_common.h $(TB_MACRO_SV) $(LINT_VLT) sim/sim_cim_macro.cpp $(CIM_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*-sva,$(MACRO_PARAMS_$*) --assert,$(TB_MACRO_SV),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))
$(BUILD)/sim/top-%-sva/Vsim: $(TB_TOP_SV) $(LINT_VLT) sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*-sva,$(call hw_params,$*) --assert,$(TB_TOP_SV),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

# The assertions fire on a broken design: scripts/sva_fire.py builds the top co-simulation once
# with a mutant schema ($(BUILD)/sva-fire/) and runs each mutant until its assertion fires;
# mutant 0, the real design, must fire none.
.PHONY: sva-fire test-sva-fire
sva-fire: $(BUILD)/.dep-verilator
	@python3 scripts/sva_fire.py
test-sva-fire: $(BUILD)/.dep-verilator
	@tests/run_one.sh sva-fire python3 scripts/sva_fire.py
TEST_TARGETS += test-sva-fire
HELP_LINES += make~sva-fire~~~~~~~the~RTL~assertions~fire~on~deliberately~broken~designs~(one~schema~build)

