# SPDX-License-Identifier: Apache-2.0
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
# (make test-full: one schema build of the top, ~380 s CPU, and 13 runs; the a_fifo_order mutant
# is not reached by seed 1 of the default stimulus since the test arguments changed: see the note)
TEST_FULL_TARGETS += test-sva-fire
HELP_LINES += make~sva-fire~~~~~~~the~RTL~assertions~fire~on~deliberately~broken~designs~(one~schema~build)

# ---- functional coverage of the top co-simulation (tb/edgecim_top_fcov.c) ------------------------
# make fcov [TCFG=name]: the test's run of the top co-simulation, its functional bins (commands per
# CMD_OP, shapes, precisions, flags, every error code, the command-list paths, backpressure) and the
# figure; fails if a bin that applies to the configuration stayed empty.
.PHONY: fcov test-fcov
fcov: $(BUILD)/sim/top-$(TCFG)$(COSIM_SFX)/Vsim
	@$< --seed $(SEED) $(TOP_TEST_ARGS_$(TCFG)) > $(BUILD)/fcov-$(TCFG).log 2>&1; rc=$$?; \
	  sed -n '/^functional  coverage/,/^functional  [0-9]/p' $(BUILD)/fcov-$(TCFG).log; \
	  [ $$rc -eq 0 ] || { grep -E '^(MISMATCH|FAIL)' $(BUILD)/fcov-$(TCFG).log | head -3; exit 1; }; \
	  ! grep -q MISSING $(BUILD)/fcov-$(TCFG).log || { echo "fcov: bins missing ($(TCFG))"; exit 1; }
test-fcov: $(BUILD)/sim/top-default$(COSIM_SFX)/Vsim
	@tests/run_one.sh fcov $(MAKE) --no-print-directory fcov TCFG=default
TEST_TARGETS += test-fcov
HELP_LINES += make~fcov~[TCFG=]~~functional~coverage~bins~of~the~top~co-simulation~and~the~figure

# ---- formal (SymbiYosys from PyPI's yowasp packages in the venv: make deps-sby) ----------------
# make formal: the assertions inside rtl/edgecim_regs.sv proven by k-induction for every input
# sequence (dv/formal/edgecim_regs.sby), and the macro's SWAR popcount (the Verilator build) the
# same circuit as $countones (the synthesized one): syn/popcount_equiv.ys, Yosys 0.23's equiv_*.
FORMAL_DIR := $(BUILD)/formal
SBY_TOOLS  := yosys yosys-smtbmc yosys-witness boolector
.PHONY: formal test-formal
$(FORMAL_DIR)/bin/boolector: $(BUILD)/.dep-sby
	@mkdir -p $(FORMAL_DIR)/bin
	@for t in $(SBY_TOOLS); do \
	  printf '#!/bin/sh\nexec %s "$$@"\n' "$(abspath $(VENV))/bin/yowasp-$$t" > $(FORMAL_DIR)/bin/$$t; \
	  chmod +x $(FORMAL_DIR)/bin/$$t; done
formal: $(FORMAL_DIR)/bin/boolector $(BUILD)/.dep-yosys
	@echo "formal: edgecim_regs, k-induction (SymbiYosys, smtbmc boolector; log $(FORMAL_DIR)/edgecim_regs.log)"
	@cd $(FORMAL_DIR) && PATH=$(abspath $(FORMAL_DIR)/bin):$$PATH $(abspath $(VENV))/bin/yowasp-sby -f \
	  -d edgecim_regs $(abspath dv/formal/edgecim_regs.sby) > edgecim_regs.log 2>&1; \
	  grep -E "summary: (successful|failed|engine_0 .*returned)|DONE" edgecim_regs.log | sed 's/^SBY [0-9:]* /  /'; \
	  grep -q "DONE (PASS" edgecim_regs.log || { echo "formal: edgecim_regs FAILED (trace: $(FORMAL_DIR)/edgecim_regs/engine_0)"; exit 1; }
	@echo "formal: edgecim_regs: $$(grep -c 'cell .assert' $(FORMAL_DIR)/edgecim_regs/model/design.il) assertions proven for every input sequence"
	@$(YOSYS) -q -l $(FORMAL_DIR)/popcount.log -s syn/popcount_equiv.ys >/dev/null || \
	  { echo "formal: popcount equivalence FAILED (log $(FORMAL_DIR)/popcount.log)"; exit 1; }
	@echo "formal: cim_macro's SWAR popcount = its reduction (32- and 16-row groups): $$(grep -c 'are proven and 0 are unproven' $(FORMAL_DIR)/popcount.log) of 2 equivalences proven"
test-formal:
	@tests/run_one.sh formal $(MAKE) --no-print-directory formal
TEST_TARGETS += test-formal
HELP_LINES += make~formal~~~~~~~~~k-induction~proof~of~the~register~file~assertions;~the~SWAR~popcount~equivalence

# ---- mutation score (not part of make test: minutes) --------------------------------------------
# make mutate: scripts/mutate.py, 42 mutants of the RTL (top, tile, macro, PPU, sequencer, DMA,
# registers, list engine, vector unit) and the C model through the top co-simulation (the schema
# build of make sva-fire), two at a time, each bounded by a timeout; killed / survived / timeout /
# build failure per file.
.PHONY: mutate
mutate: $(BUILD)/.dep-verilator
	@python3 scripts/mutate.py
HELP_LINES += make~mutate~~~~~~~~~mutation~score~of~the~RTL~and~the~C~model~per~file~(not~in~make~test)
