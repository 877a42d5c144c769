# SPDX-License-Identifier: Apache-2.0
# Source lists of the C parts above the hardware models, defined before the part fragments
# (mk/*.mk are included in alphabetical order and use each other's lists in prerequisites).
# The hardware-side lists (RTL, C models, testbench C) come from the cores: mk/filelists.mk.

# Every pure-C binary of the firmware links these: the firmware, the shared SLM description, the
# C models behind the cmodel backends (mk/filelists.mk) and, for --backend rtl, a stub that says
# which binary has the Verilator model.
SLM_SRCS    := slm/slm_config.c slm/slm_plan.c slm/slm_fit.c
# util/: below sw/ and perf/ (JSON strings, command-line numbers, the version).  UTIL_HDRS
# lists VERSION too, so that a new version rebuilds what compiles it in (util/version.c).
UTIL_SRCS   := util/json.c util/cli_num.c util/version.c
UTIL_HDRS   := $(wildcard util/*.h) VERSION
SW_FW_SRCS  := sw/gguf.c sw/quant.c sw/quant_blocks.c sw/tokenizer.c sw/tok_build.c sw/model.c sw/ops.c sw/forward.c sw/rope_pairs.c \
               sw/mkmodel.c sw/chat.c sw/cmd_run.c sw/accel_cmodel_functional.c sw/accel_hw.c sw/backend_registry.c \
               sw/backend_cmodel.c sw/edgecim_dif.c sw/edgecim_mmio.c sw/tpool.c sw/vec.c
SW_FW_SRCS  += sw/tok_encode.c sw/tok_pretok.c sw/tok_unicode.c sw/cmd_tokenize.c sw/spec.c sw/cmd_spec.c
SW_FW_SRCS  += sw/accel_hw_dev.c sw/accel_func_dev.c sw/dev_step.c sw/dev_step_map.c sw/dev_step_list.c sw/step.c sw/eval.c sw/eval_cycles.c sw/cmd_eval.c
SW_LIB_SRCS := $(SW_FW_SRCS) $(SLM_SRCS) $(UTIL_SRCS) $(MODEL_C_SRCS)
SW_NORTL    := sw/backend_rtl_none.c
SW_HDRS     := $(wildcard sw/*.h slm/*.h) $(UTIL_HDRS) $(MODEL_C_HDRS)
# The tokenizers run llama.cpp's pre-tokenizer regexes in PCRE2 (32-bit code units) and take the
# Unicode categories from utf8proc; scripts/deps.sh installs both, SW_LIB_DEPS are its stamps.
# --threads runs on POSIX threads (sw/tpool.c).
SW_LIBS     := -lpcre2-32 -lutf8proc -lm -lpthread
SW_LIB_DEPS := $(BUILD)/.dep-pcre2 $(BUILD)/.dep-utf8proc
EDGECIM := $(BUILD)/edgecim
APP_SRCS := app/edgecim_main.c


PERF_SRCS := perf/perf_hw.c perf/perf_area.c perf/perf_area_print.c perf/perf_gemv.c perf/perf_gemv_writer.c perf/perf_model.c perf/perf_baselines.c \
             perf/perf_pareto.c perf/perf_dse.c perf/perf_output.c perf/perf_opts.c perf/perf_report.c perf/perf_report_measured.c \
             perf/perf_cli.c perf/perf_vu.c perf/perf_step.c fmt/ecim_desc_vu.c
PERF_HDRS := $(wildcard perf/*.h) $(wildcard slm/*.h) $(UTIL_HDRS) fmt/ecim_fmt.h include/edgecim_hw.h
PERF_LIBS := -lm -lpthread
