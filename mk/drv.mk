# Driver (sw/edgecim_mmio, sw/edgecim_dif, sw/accel_hw) and its backends: the register-level C
# model in process (`--backend cmodel`) and the Verilator RTL of edgecim_top linked into a
# second CLI binary, $(BUILD)/edgecim-rtl (`--backend rtl`). Bring-up tests, make run-rtl/demo.
DRV_OUT      := $(BUILD)/driver
DRV_RTL_DIR  := $(BUILD)/rtlbackend
# The driver stack and the register-level C model of the top: linked into every binary that
# links accel_create() (sw/accel_cmodel_functional.c).
DRV_LIB_SRCS := sw/edgecim_mmio.c sw/edgecim_dif.c sw/backend_cmodel.c sw/accel_hw.c \
                cmodel/edgecim_model.c cmodel/dram_model.c cmodel/cim_macro.c
DRV_HDRS     := sw/edgecim_mmio.h sw/edgecim_dif.h sw/backend.h sw/edgecim_regs.h \
                cmodel/edgecim_model.h cmodel/dram_model.h cmodel/cim_macro.h
# Pure-C binaries have no RTL: this stub makes `--backend rtl` fail with a message naming
# $(BUILD)/edgecim-rtl.
DRV_NORTL    := sw/backend_rtl_none.c

# build/edgecim: the sw recipe links $(filter %.c,$^), so extra prerequisites are extra sources.
# sw test binaries link $(SW_LIB_SRCS) in their recipe: append ours for those targets only.
# (Simpler once mk/sw.mk lists $(DRV_LIB_SRCS) $(DRV_NORTL) in SW_LIB_SRCS itself.)
$(BUILD)/edgecim: $(DRV_LIB_SRCS) $(DRV_NORTL) $(DRV_HDRS)
$(BUILD)/sw/tests/%: SW_LIB_SRCS += $(DRV_LIB_SRCS) $(DRV_NORTL)

# ---- Verilator model of edgecim_top as a static library (--cc, no --exe) ----------------------
# mk/rtl.mk is included after this file: its variables (RTL_SRCS, VFLAGS, VROOT) are only used
# in recipes and recursive variables here, which make expands late.
DRV_VLIB := $(DRV_RTL_DIR)/Vedgecim_top__ALL.a
DRV_VOPT ?= -O2 # C++ optimization of the model (Verilator's default, -Os, simulates slower)
$(DRV_VLIB): $(wildcard rtl/*.sv) rtl/lint.vlt | $(BUILD)/.dep-verilator
	@echo "verilator: building the edgecim_top library for the rtl backend (log $(DRV_RTL_DIR).build.log)"
	@mkdir -p $(DRV_RTL_DIR)
	@{ $(VERILATOR) --cc $(VFLAGS) --top-module edgecim_top -Mdir $(DRV_RTL_DIR) $(LINT_VLT) $(RTL_SRCS) && \
	   $(MAKE) --no-print-directory -C $(DRV_RTL_DIR) -f Vedgecim_top.mk -j 2 OPT_FAST="$(DRV_VOPT)" \
	     Vedgecim_top__ALL.a verilated.o verilated_threads.o; \
	 } > $(DRV_RTL_DIR).build.log 2>&1 || { cat $(DRV_RTL_DIR).build.log; exit 1; }

$(DRV_RTL_DIR)/verilated.o $(DRV_RTL_DIR)/verilated_threads.o: $(DRV_VLIB) ;

DRV_VINC = -I$(DRV_RTL_DIR) -I$(VROOT)/include -I$(VROOT)/include/vltstd
$(DRV_OUT)/backend_rtl.o: sim/backend_rtl.cpp sw/backend.h sw/edgecim_mmio.h cmodel/dram_model.h $(DRV_VLIB)
	@mkdir -p $(dir $@)
	$(CXX) -std=c++14 -faligned-new -O2 -g -Wall -Wextra -Wshadow -Wno-unused-parameter -Isw -Icmodel -Isim $(DRV_VINC) -c $< -o $@
DRV_RTL_OBJS := $(DRV_OUT)/backend_rtl.o $(DRV_VLIB) $(DRV_RTL_DIR)/verilated.o $(DRV_RTL_DIR)/verilated_threads.o
DRV_RTL_LIBS := -lpthread

# ---- Binaries ----------------------------------------------------------------------------------
# SW_LIB_SRCS and PERF_SRCS come from mk/sw.mk and mk/perf.mk (included later): recipes only;
# the prerequisites below are the source trees.
DRV_DEPS = $(wildcard sw/*.c sw/*.h cmodel/*.c cmodel/*.h perf/*.c perf/*.h) mk/drv.mk
# C objects of an RTL-linked binary, compiled by cc (C11) and linked by c++ with the RTL.
define drv_c_objs # $(1): object dir, $(2): C sources, $(3): extra flags
	@mkdir -p $(1)
	@for f in $(2); do o=$(1)/$$(echo $$f | tr / _ | sed 's/\.c$$/.o/'); \
	  $(CC) $(CFLAGS_COMMON) $(OPT) -g $(3) -c $$f -o $$o || exit 1; done
endef
drv_objs_of = $(addprefix $(1)/,$(subst /,_,$(2:.c=.o)))

EDGECIM_RTL := $(BUILD)/edgecim-rtl
DRV_CLI_SRCS = sw/edgecim_main.c sw/cmd_run.c $(SW_LIB_SRCS) $(PERF_SRCS) $(DRV_LIB_SRCS)
$(EDGECIM_RTL): $(DRV_DEPS) $(DRV_RTL_OBJS)
	$(call drv_c_objs,$(DRV_OUT)/obj-cli,$(sort $(DRV_CLI_SRCS)))
	$(CXX) -o $@ $(call drv_objs_of,$(DRV_OUT)/obj-cli,$(sort $(DRV_CLI_SRCS))) $(DRV_RTL_OBJS) \
	  $(SW_LIBS) $(PERF_LIBS) $(DRV_RTL_LIBS)
	@echo "built $@ (edgecim with --backend rtl: the Verilator model of edgecim_top)"

# Bring-up tests: cmodel backend with sanitizers; rtl backend linked with the Verilator model.
DRV_TEST_SRCS = tests/drv/test_drv.c tests/drv/default_cfg.c $(SW_LIB_SRCS) $(DRV_LIB_SRCS)
$(DRV_OUT)/test_drv_cmodel: $(DRV_DEPS) tests/drv/test_drv.c tests/drv/default_cfg.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -O1 -g $(SAN) $(sort $(DRV_TEST_SRCS)) $(DRV_NORTL) -o $@ $(SW_LIBS)
$(DRV_OUT)/test_drv_rtl: $(DRV_DEPS) tests/drv/test_drv.c tests/drv/default_cfg.c $(DRV_RTL_OBJS)
	$(call drv_c_objs,$(DRV_OUT)/obj-test,$(sort $(DRV_TEST_SRCS)))
	$(CXX) -o $@ $(call drv_objs_of,$(DRV_OUT)/obj-test,$(sort $(DRV_TEST_SRCS))) $(DRV_RTL_OBJS) $(SW_LIBS) $(DRV_RTL_LIBS)

.PHONY: edgecim-rtl
edgecim-rtl: $(EDGECIM_RTL)

# ---- Tests -------------------------------------------------------------------------------------
.PHONY: test-drv-cmodel test-drv-rtl test-drv-cli test-drv-cli-rtl
test-drv-cmodel: $(DRV_OUT)/test_drv_cmodel
	@tests/run_one.sh drv-cmodel $< --backend cmodel --work $(DRV_OUT)/work-cmodel --seed $(SEED)
test-drv-rtl: $(DRV_OUT)/test_drv_rtl
	@tests/run_one.sh drv-rtl $< --backend rtl --work $(DRV_OUT)/work-rtl --seed $(SEED) --steps 8
test-drv-cli: $(BUILD)/edgecim
	@tests/run_one.sh drv-cli tests/drv/cli.sh $(DRV_OUT)/cli-work $(BUILD)/edgecim
test-drv-cli-rtl: $(BUILD)/edgecim $(EDGECIM_RTL)
	@tests/run_one.sh drv-cli-rtl tests/drv/cli.sh $(DRV_OUT)/cli-rtl-work $(BUILD)/edgecim $(EDGECIM_RTL)
TEST_TARGETS += test-drv-cmodel test-drv-cli test-drv-rtl test-drv-cli-rtl

# ---- make run-rtl / make demo: a tiny model decoded on the Verilator RTL -----------------------
DEMO_MODEL  := $(BUILD)/demo/tiny-qwen2.5.gguf
DEMO_PROMPT ?= The cat
DEMO_N      ?= 8
$(DEMO_MODEL): | $(EDGECIM_RTL)
	@mkdir -p $(dir $@)
	$(EDGECIM_RTL) mkmodel --preset qwen2.5-0.5b --layers 2 --hidden 128 --ff 256 --vocab 400 --seed 1 --quiet -o $@
.PHONY: run-rtl demo
run-rtl: $(EDGECIM_RTL) $(DEMO_MODEL)
	$(EDGECIM_RTL) run --model $(DEMO_MODEL) --backend rtl --prompt "$(DEMO_PROMPT)" -n $(DEMO_N)
# The same decode on the register-level C model and on the RTL: same tokens, same cycles.
demo: $(EDGECIM_RTL) $(DEMO_MODEL)
	@for b in cmodel rtl; do echo "== $(EDGECIM_RTL) run --backend $$b"; \
	  $(EDGECIM_RTL) run --model $(DEMO_MODEL) --backend $$b --prompt "$(DEMO_PROMPT)" -n $(DEMO_N) --quiet | \
	  sed -n '1,/^simulated/p' | grep -av '^$$' || exit 1; done
HELP_LINES += make~edgecim-rtl~~build/edgecim-rtl:~edgecim~with~--backend~rtl~-~the~Verilator~RTL~of~edgecim_top \
              make~run-rtl~~~~~~decode~a~tiny~model~on~the~RTL~[DEMO_PROMPT=...~DEMO_N=8] \
              make~demo~~~~~~~~~the~same~decode~on~the~register-level~C~model~and~on~the~RTL
