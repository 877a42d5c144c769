# SPDX-License-Identifier: Apache-2.0
# VF32, the arithmetic of the vector/special-function unit (docs/NUMERICS.md, "VF32"): the C
# model's unit test against host arithmetic and libm, the co-simulation of every module of
# rtl/vu against the C model, lint of each module, and Yosys cell counts per module.
# File lists: VF_SRCS, TB_VF_SV, TB_VF_C_SRCS (mk/filelists.mk, from rtl/vf.core and
# edgecim_dv.core).
VF_MODULES   := $(basename $(notdir $(filter-out %_pkg.sv,$(VF_SRCS))))
VF_RANDOM    ?= 1000000
VF_TB_LIB    := $(BUILD)/sim/libvf_tb.a
VF_TEST_SRCS := tests/test_vf.c cmodel/ecim_vf.c tb/vf_stim.c
VF_TEST_HDRS := cmodel/ecim_vf.h cmodel/ecim_vf_tables.h tb/vf_stim.h tb/tb_rng.h

$(VF_TB_LIB): $(TB_VF_C_SRCS) $(TB_C_HDRS) | $(BUILD)/.dep-verilator
	$(call tb_c_lib,$(BUILD)/sim/obj-vf,$(TB_VF_C_SRCS))
$(BUILD)/sim/vf/Vsim: $(TB_VF_SV) $(LINT_VLT) sim/sim_vf.cpp sim/sim_common.h $(VF_TB_LIB)
	$(call verilate_tb,tb_vf,$(BUILD)/sim/vf,,$(TB_VF_SV),sim/sim_vf.cpp,$(VF_TB_LIB))

# The unit test under the sanitizers; the long run (every float of [-90, 90] through vf_exp,
# ten times the random inputs) without them, optimized.
$(BUILD)/tests/bin/test_vf: $(VF_TEST_SRCS) $(VF_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) -Icmodel -Itb $(VF_TEST_SRCS) -o $@ -lm
$(BUILD)/tests/bin/test_vf_fast: $(VF_TEST_SRCS) $(VF_TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O2 -Icmodel -Itb $(VF_TEST_SRCS) -o $@ -lm

.PHONY: test-vf test-vf-model test-vf-full lint-vf synth-vf
test-vf-model: $(BUILD)/tests/bin/test_vf
	@tests/run_one.sh vf-model $< --seed $(SEED)
test-vf: $(BUILD)/sim/vf/Vsim
	@tests/run_one.sh vf $< --seed $(SEED) --random $(VF_RANDOM)
TEST_TARGETS += test-vf-model test-vf
# Not part of make test (about a quarter of an hour of CPU).
test-vf-full: $(BUILD)/tests/bin/test_vf_fast $(BUILD)/sim/vf/Vsim
	@tests/run_one.sh vf-model-full $(BUILD)/tests/bin/test_vf_fast --seed $(SEED) --random 10000000 --exp-stride 1
	@tests/run_one.sh vf-full $(BUILD)/sim/vf/Vsim --seed $(SEED) --random 10000000

lint-vf: $(BUILD)/.dep-verilator
	@$(foreach m,$(VF_MODULES),$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(VF_SRCS) --top-module $(m) || exit 1;) \
	  echo "lint: every VF32 module clean ($(words $(VF_MODULES)) modules)"
	@$(VERILATOR) --lint-only -Wall $(LINT_VLT) $(TB_VF_SV) --top-module tb_vf && echo "lint: tb_vf clean"

# Each module flattened on its own (scripts/synth_vf.sh): a table of cells per module.
synth-vf: $(BUILD)/.dep-yosys
	@YOSYS=$(YOSYS) scripts/synth_vf.sh $(BUILD)/synth/vf "$(VF_SRCS)" $(VF_MODULES)

HELP_LINES += make~test-vf-full~~~~~the~long~VF32~checks:~every~float~of~[-90,~90]~through~vf_exp,~10^7~random~inputs
HELP_LINES += make~lint-vf~|~synth-vf~~~lint~/~Yosys~cell~count~of~each~VF32~module~(rtl/vu)
