# Verification depth (issue 11; docs/VERIFICATION.md): the co-simulations with assertions, the
# assertions shown to fire, coverage, formal proofs, mutation testing.

# ---- assertions (dv/sva/, bound into the RTL; simulation only) ------------------------------------
# $(BUILD)/sim/macro-<cfg>-sva/Vsim and top-<cfg>-sva/Vsim: the co-simulations with --assert and the
# checkers of dv/sva/ (the tests use these: mk/rtl.mk, SVA=1).
$(BUILD)/sim/macro-%-sva/Vsim: sim/sim_common.h $(TB_MACRO_SV) $(SVA_MACRO_SV) $(SVA_VLT) $(LINT_VLT) sim/sim_cim_macro.cpp $(CIM_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*-sva,$(MACRO_PARAMS_$*) --assert,$(SVA_VLT) $(TB_MACRO_SV) $(SVA_MACRO_SV),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))
$(BUILD)/sim/top-%-sva/Vsim: $(TB_TOP_SV) $(SVA_TOP_SV) $(SVA_VLT) $(LINT_VLT) sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*-sva,$(call hw_params,$*) --assert,$(SVA_VLT) $(TB_TOP_SV) $(SVA_TOP_SV),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

# The checkers are lint-clean with the testbenches in every configuration.
.PHONY: lint-sva test-lint-sva
lint-sva: $(BUILD)/.dep-verilator
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(SVA_VLT) $(TB_MACRO_SV) $(SVA_MACRO_SV) --top-module tb_cim_macro && echo "lint: tb_cim_macro + dv/sva clean"
	@$(foreach c,$(HW_CFGS),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(SVA_VLT) $(TB_TOP_SV) $(SVA_TOP_SV) --top-module tb_edgecim_top $(HW_PARAMS_$(c)) || exit 1;) \
	  echo "lint: tb_edgecim_top + dv/sva clean in every named configuration ($(HW_CFGS))"
test-lint-sva:
	@tests/run_one.sh lint-sva $(MAKE) --no-print-directory lint-sva
TEST_TARGETS += test-lint-sva
HELP_LINES += make~lint-sva~~~~~~~lint~the~assertion~checkers~(dv/sva/)~with~the~testbenches

# ---- coverage: Verilator line + toggle coverage of the co-simulations, merged ---------------------
# $(BUILD)/sim/macro-<cfg>-cov/Vsim and top-<cfg>-cov/Vsim (no assertions: the counts are the
# design's). make coverage runs the test arguments of every named configuration, merges the counts
# (verilator_coverage) and writes the per-module table (scripts/coverage_summary.py) to
# docs/COVERAGE.md; the functional bins are in each co-simulation's summary (build/coverage/*.log).
COV_VFLAGS := --coverage-line --coverage-toggle
COV_DIR    := $(BUILD)/coverage
$(BUILD)/sim/macro-%-cov/Vsim: sim/sim_common.h $(TB_MACRO_SV) $(LINT_VLT) sim/sim_cim_macro.cpp $(CIM_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_cim_macro,$(BUILD)/sim/macro-$*-cov,$(MACRO_PARAMS_$*) $(COV_VFLAGS),$(TB_MACRO_SV),sim/sim_cim_macro.cpp,$(CIM_TB_LIB))
$(BUILD)/sim/top-%-cov/Vsim: $(TB_TOP_SV) $(LINT_VLT) sim/sim_edgecim_top.cpp sim/sim_common.h $(TOP_TB_LIB) mk/hwcfg.mk
	$(call verilate_tb,tb_edgecim_top,$(BUILD)/sim/top-$*-cov,$(call hw_params,$*) $(COV_VFLAGS),$(TB_TOP_SV),sim/sim_edgecim_top.cpp,$(TOP_TB_LIB))

COV_MACRO_CFGS ?= $(MACRO_CFGS)
COV_TOP_CFGS   ?= $(HW_CFGS)
COV_OPS        ?= $(TEST_OPS)
.PHONY: coverage coverage-report
coverage: $(BUILD)/.dep-verilator
	@mkdir -p $(COV_DIR)
	@rm -f $(COV_DIR)/*.dat
	@set -e; for c in $(COV_MACRO_CFGS); do \
	  $(MAKE) --no-print-directory $(BUILD)/sim/macro-$$c-cov/Vsim; \
	  echo "coverage: macro $$c"; \
	  EDGECIM_COVERAGE=$(COV_DIR)/macro-$$c.dat $(BUILD)/sim/macro-$$c-cov/Vsim --seed $(SEED) --ops $(COV_OPS) > $(COV_DIR)/macro-$$c.log \
	    || { tail -5 $(COV_DIR)/macro-$$c.log; exit 1; }; done
	@set -e; $(foreach c,$(COV_TOP_CFGS),\
	  $(MAKE) --no-print-directory $(BUILD)/sim/top-$(c)-cov/Vsim; \
	  echo "coverage: top $(c)"; \
	  EDGECIM_COVERAGE=$(COV_DIR)/top-$(c).dat $(BUILD)/sim/top-$(c)-cov/Vsim --seed $(SEED) $(TOP_TEST_ARGS_$(c)) > $(COV_DIR)/top-$(c).log \
	    || { tail -5 $(COV_DIR)/top-$(c).log; exit 1; };)
	@$(MAKE) --no-print-directory coverage-report
coverage-report:
	@verilator_coverage --write $(COV_DIR)/merged.dat $(COV_DIR)/macro-*.dat $(COV_DIR)/top-*.dat
	@python3 scripts/coverage_summary.py $(COV_DIR)/merged.dat --waivers dv/coverage_waivers.txt --md docs/COVERAGE.md \
	  --logs $(COV_DIR)
HELP_LINES += make~coverage~~~~~~~line~+~toggle~coverage~of~every~co-simulation,~merged;~per-module~table~in~docs/COVERAGE.md
