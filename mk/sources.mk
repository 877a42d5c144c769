# Source lists of the C parts above the hardware models, defined before the part fragments
# (mk/*.mk are included in alphabetical order and use each other's lists in prerequisites).
# The hardware-side lists (RTL, C models, testbench C) come from the cores: mk/filelists.mk.

# Every pure-C binary of the firmware links these: the firmware, the shared SLM description, the
# C models behind the cmodel backends (mk/filelists.mk) and, for --backend rtl, a stub that says
# which binary has the Verilator model.
SLM_SRCS    := slm/slm_config.c slm/slm_plan.c
SW_FW_SRCS  := sw/gguf.c sw/quant.c sw/tokenizer.c sw/tok_build.c sw/model.c sw/ops.c sw/forward.c \
               sw/mkmodel.c sw/cmd_run.c sw/accel_cmodel_functional.c sw/accel_hw.c sw/backend_registry.c \
               sw/backend_cmodel.c sw/edgecim_dif.c sw/edgecim_mmio.c sw/tpool.c sw/vec.c
SW_LIB_SRCS := $(SW_FW_SRCS) $(SLM_SRCS) $(MODEL_C_SRCS)
SW_NORTL    := sw/backend_rtl_none.c
SW_HDRS     := $(wildcard sw/*.h slm/*.h) $(MODEL_C_HDRS)
SW_LIBS     := -lm -lpthread
EDGECIM := $(BUILD)/edgecim
APP_SRCS := app/edgecim_main.c


PERF_SRCS := perf/perf_hw.c perf/perf_gemv.c perf/perf_model.c perf/perf_baselines.c \
             perf/perf_pareto.c perf/perf_dse.c perf/perf_output.c perf/perf_opts.c perf/perf_report.c \
             perf/perf_cli.c
PERF_HDRS := $(wildcard perf/*.h) $(wildcard slm/*.h) fmt/ecim_fmt.h include/edgecim_hw.h
PERF_LIBS := -lm -lpthread
