# SPDX-License-Identifier: Apache-2.0
# The driver's RTL backend (sw/backend_rtl.cpp): the Verilator RTL of edgecim_top linked into a
# second CLI binary and into the RTL bring-up tests, one build per named hardware configuration
# ($(BUILD)/hw-<name>/...; HW=name, default "default").  $(BUILD)/edgecim-rtl is the default one.
DRV_OUT = $(BUILD)/hw-$(HW)
# ---- Verilator model of edgecim_top as a static library (--cc, no --exe) ----------------------
DRV_VLIB = $(DRV_OUT)/vtop/Vedgecim_top__ALL.a
$(BUILD)/hw-%/vtop/Vedgecim_top__ALL.a: $(RTL_SRCS) $(LINT_VLT) mk/hwcfg.mk | $(BUILD)/.dep-verilator
	@echo "verilator: building the edgecim_top library of configuration '$*' (log $(BUILD)/hw-$*/vtop.build.log)"
	@mkdir -p $(BUILD)/hw-$*/vtop
	@$(call timed,$(BUILD)/hw-$*/vtop) sh -c '$(VERILATOR) --cc $(VFLAGS) --top-module edgecim_top $(call hw_params,$*) -Mdir $(BUILD)/hw-$*/vtop -CFLAGS "$(VCFLAGS)" \
	     $(LINT_VLT) $(RTL_SRCS) && \
	   $(MAKE) --no-print-directory -C $(BUILD)/hw-$*/vtop -f Vedgecim_top.mk -j 2 $(VMAKE_VARS) \
	     Vedgecim_top__ALL.a verilated.o verilated_threads.o' \
	   > $(BUILD)/hw-$*/vtop.build.log 2>&1 || { cat $(BUILD)/hw-$*/vtop.build.log; exit 1; }
	@$(call built,$(BUILD)/hw-$*/vtop,the edgecim_top library '$*')
$(BUILD)/hw-%/vtop/verilated.o $(BUILD)/hw-%/vtop/verilated_threads.o: $(BUILD)/hw-%/vtop/Vedgecim_top__ALL.a ;
# Kept after a build (make would delete them as intermediates of the binaries): a later RTL
# binary or test of the same configuration reuses them instead of verilating again.
.PRECIOUS: $(BUILD)/hw-%/vtop/Vedgecim_top__ALL.a $(BUILD)/hw-%/vtop/verilated.o \
           $(BUILD)/hw-%/vtop/verilated_threads.o $(BUILD)/hw-%/backend_rtl.o

$(BUILD)/hw-%/backend_rtl.o: sw/backend_rtl.cpp sw/backend.h sw/edgecim_mmio.h $(MODEL_C_HDRS) $(BUILD)/hw-%/vtop/Vedgecim_top__ALL.a
	$(CXX) -std=c++14 -faligned-new -O2 -g -Wall -Wextra -Wshadow -Wno-unused-parameter $(SW_INCLUDES) \
	  -DEDGECIM_RTL_HW='"$*"' -I$(BUILD)/hw-$*/vtop -I$(VROOT)/include -I$(VROOT)/include/vltstd -c $< -o $@
drv_rtl_objs = $(BUILD)/hw-$(1)/backend_rtl.o $(BUILD)/hw-$(1)/vtop/Vedgecim_top__ALL.a \
               $(BUILD)/hw-$(1)/vtop/verilated.o $(BUILD)/hw-$(1)/vtop/verilated_threads.o
DRV_RTL_LIBS := -lpthread

# C objects of the RTL-linked binaries, compiled by cc (C11) and linked by c++ with the RTL; they
# do not depend on the hardware configuration, so every configuration shares them.
OBJ := $(BUILD)/obj
$(OBJ)/%.o: %.c $(SW_HDRS) $(PERF_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) $(OPT) -g -c $< -o $@
DRV_CLI_OBJS  = $(patsubst %.c,$(OBJ)/%.o,$(sort $(APP_SRCS) $(SW_LIB_SRCS) $(PERF_SRCS)))
DRV_TEST_SRCS = tests/drv/test_drv.c $(SW_LIB_SRCS)
DRV_TEST_OBJS = $(patsubst %.c,$(OBJ)/%.o,$(DRV_TEST_SRCS))

# ---- Binaries ----------------------------------------------------------------------------------
$(BUILD)/hw-%/edgecim-rtl: $(DRV_CLI_OBJS) $(call drv_rtl_objs,%)
	$(CXX) -o $@ $^ $(SW_LIBS) $(PERF_LIBS) $(DRV_RTL_LIBS)
	@echo "built $@ (edgecim with --backend rtl: the Verilator RTL of edgecim_top, configuration '$*')"
EDGECIM_RTL := $(BUILD)/edgecim-rtl
$(EDGECIM_RTL): $(BUILD)/hw-default/edgecim-rtl
	ln -sf hw-default/edgecim-rtl $@

# Bring-up tests: cmodel backend with sanitizers; rtl backend linked with the Verilator model.
$(BUILD)/tests/bin/test_drv_cmodel: $(call san_objs,tests/drv/test_drv.c $(SW_LIB_SRCS) $(SW_NORTL))
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $^ -o $@ $(SW_LIBS)
$(BUILD)/hw-%/test_drv_rtl: $(DRV_TEST_OBJS) $(call drv_rtl_objs,%)
	$(CXX) -o $@ $^ $(SW_LIBS) $(DRV_RTL_LIBS)

.PHONY: edgecim-rtl
edgecim-rtl: $(DRV_OUT)/edgecim-rtl $(if $(filter default,$(HW)),$(EDGECIM_RTL))

# ---- Tests -------------------------------------------------------------------------------------
.PHONY: test-drv-cmodel test-drv-rtl test-drv-cli test-drv-cli-rtl
test-drv-cmodel: $(BUILD)/tests/bin/test_drv_cmodel
	@tests/run_one.sh drv-cmodel $< --backend cmodel --work $(BUILD)/tests/drv-work-cmodel --seed $(SEED)
test-drv-rtl: $(BUILD)/hw-default/test_drv_rtl
	@tests/run_one.sh drv-rtl $< --backend rtl --work $(BUILD)/tests/drv-work-rtl --seed $(SEED) --steps 8 --verdicts 200
test-drv-cli: $(EDGECIM)
	@tests/run_one.sh drv-cli tests/drv/cli.sh $(BUILD)/tests/drv-cli-work $(EDGECIM)
test-drv-cli-rtl: $(EDGECIM) $(EDGECIM_RTL)
	@tests/run_one.sh drv-cli-rtl tests/drv/cli.sh $(BUILD)/tests/drv-cli-rtl-work $(EDGECIM) $(EDGECIM_RTL)
TEST_TARGETS += test-drv-cmodel test-drv-cli test-drv-rtl test-drv-cli-rtl
# Every mkmodel --type on the RTL (25-30 s of CPU: make test's drv-cli-rtl runs three of them).
.PHONY: test-drv-types-rtl
test-drv-types-rtl: $(EDGECIM) $(EDGECIM_RTL)
	@tests/run_one.sh drv-types-rtl tests/drv/types_rtl.sh $(BUILD)/tests/drv-types-rtl-work $(EDGECIM) $(EDGECIM_RTL)
TEST_FULL_TARGETS += test-drv-types-rtl

# ---- make run-rtl / make demo: a tiny model decoded on the Verilator RTL -----------------------
DEMO_MODEL  := $(BUILD)/demo/tiny-qwen2.5.gguf
DEMO_PROMPT ?= The cat
DEMO_N      ?= 8
$(DEMO_MODEL): | $(EDGECIM)
	@mkdir -p $(dir $@)
	$(EDGECIM) mkmodel --preset qwen2.5-0.5b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 1 --quiet -o $@
.PHONY: run-rtl demo
run-rtl: $(DRV_OUT)/edgecim-rtl $(DEMO_MODEL)
	$(DRV_OUT)/edgecim-rtl run --model $(DEMO_MODEL) --backend rtl --hw $(HW) --prompt "$(DEMO_PROMPT)" -n $(DEMO_N)
# The same decode on the register-level C model and on the RTL: same tokens, same cycles.
demo: $(DRV_OUT)/edgecim-rtl $(DEMO_MODEL)
	@for b in cmodel rtl; do echo "== $(DRV_OUT)/edgecim-rtl run --backend $$b --hw $(HW)"; \
	  $(DRV_OUT)/edgecim-rtl run --model $(DEMO_MODEL) --backend $$b --hw $(HW) --prompt "$(DEMO_PROMPT)" -n $(DEMO_N) --quiet | \
	  sed -n '1,/^simulated/p' | grep -av '^$$' || exit 1; done
HELP_LINES += make~edgecim-rtl~[HW=name]~~build/hw-NAME/edgecim-rtl:~edgecim~with~--backend~rtl~(the~Verilator~RTL) \
              make~run-rtl~[HW=name]~~decode~a~tiny~model~on~the~RTL~[DEMO_PROMPT=...~DEMO_N=8] \
              make~demo~[HW=name]~~~~~the~same~decode~on~the~register-level~C~model~and~on~the~RTL

# Real-size bring-up on the RTL: one full-size Qwen2.5-0.5B token on the RTL and the C model.
.PHONY: bench-rtl-token
bench-rtl-token: $(EDGECIM) $(BUILD)/hw-$(HW)/edgecim-rtl
	@scripts/bench_rtl_token.sh $(EDGECIM) $(BUILD)/hw-$(HW)/edgecim-rtl $(BUILD)/bench-rtl-token $(HW)
HELP_LINES += make~bench-rtl-token~[HW=default]~~one~full-size~Qwen2.5-0.5B~token~on~the~RTL~and~the~C~model
