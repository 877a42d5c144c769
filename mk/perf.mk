# SPDX-License-Identifier: Apache-2.0
# Performance & energy model (perf/): library sources, a stand-alone driver, tests, benchmark,
# and `make report` (docs/results.md + docs/img/*.svg).
#
# PERF_SRCS: what a binary links to get edgecim_cmd_perf/dse/report (perf/perf_cli.h), besides
#            the shared SLM description (slm/, SLM_SRCS of mk/sources.mk), util/ (UTIL_SRCS) and
#            the data formats (fmt/).
PERF_OUT  := $(BUILD)/perf

# Stand-alone driver with the same sub-commands as `edgecim` (perf, dse, report).
PERF_TOOL := $(PERF_OUT)/edgecim-perf
$(PERF_TOOL): perf/perf_tool_main.c $(PERF_SRCS) $(SLM_SRCS) $(UTIL_SRCS) $(PERF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(PERF_INCLUDES) $(OPT) -g perf/perf_tool_main.c $(PERF_SRCS) $(SLM_SRCS) $(UTIL_SRCS) -o $@ $(PERF_LIBS)

# Test binaries are built with the sanitizers (the driver too, for the CLI tests).
PERF_TBIN := $(BUILD)/tests/bin/perf
PERF_TOOL_SAN := $(PERF_TBIN)/edgecim-perf-san
PERF_SAN_OBJS = $(call san_objs,$(PERF_SRCS) $(SLM_SRCS) $(UTIL_SRCS))
$(PERF_TOOL_SAN): $(call san_objs,perf/perf_tool_main.c) $(PERF_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $^ -o $@ $(PERF_LIBS)
$(PERF_TBIN)/test_slm_plan: tests/perf/test_slm_plan.c $(SLM_SRCS) $(wildcard slm/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Islm -Iinclude -O1 -g $(SAN) $(filter %.c,$^) -o $@
$(PERF_TBIN)/test_perf_%: tests/perf/test_perf_%.c $(PERF_SAN_OBJS) $(PERF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(PERF_INCLUDES) -O1 -g $(SAN) $< $(PERF_SAN_OBJS) -o $@ $(PERF_LIBS)
# the model test runs GEMVs on the cycle-exact C model too (the calibration's reference)
PERF_MODEL_SAN_OBJS = $(call san_objs,perf/perf_cmodel.c perf/perf_cmodel_vu.c $(MODEL_C_SRCS) $(PERF_SRCS) $(SLM_SRCS) $(UTIL_SRCS))
$(PERF_TBIN)/test_perf_model: tests/perf/test_perf_model.c $(PERF_MODEL_SAN_OBJS) $(PERF_HDRS) $(MODEL_C_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Icmodel $(PERF_INCLUDES) -O1 -g $(SAN) $< $(PERF_MODEL_SAN_OBJS) -o $@ $(PERF_LIBS)

.PHONY: bench-models perf-tool test-slm-plan test-perf-model test-perf-config test-perf-dse \
        test-perf-shard-merge test-perf-cli bench-dse report
perf-tool: $(PERF_TOOL)
test-slm-plan: $(PERF_TBIN)/test_slm_plan
	@tests/run_one.sh slm-plan $<
test-perf-model: $(PERF_TBIN)/test_perf_model
	@tests/run_one.sh perf-model $<
test-perf-config: $(PERF_TBIN)/test_perf_model
	@tests/run_one.sh perf-config $< --config-only $(PERF_OUT)/test-config docs/PERF_MODEL.md
test-perf-dse: $(PERF_TBIN)/test_perf_dse
	@tests/run_one.sh perf-dse $< $(PERF_OUT)/test-dse
test-perf-shard-merge: $(PERF_TOOL_SAN)
	@tests/run_one.sh perf-shard-merge tests/perf/shard_merge.sh $(PERF_TOOL_SAN) $(PERF_OUT)/test-shard
test-perf-cli: $(PERF_TOOL_SAN)
	@tests/run_one.sh perf-cli tests/perf/cli_smoke.sh $(PERF_TOOL_SAN) $(PERF_OUT)/test-cli

TEST_TARGETS += test-slm-plan test-perf-model test-perf-config test-perf-dse test-perf-shard-merge \
                test-perf-cli

# DSE speed: design points x models per second, median of 3 runs of a 10^6-point grid.
BENCH_DSE_THREADS ?= 2
bench-dse: $(PERF_TOOL)
	@perf/bench_dse.sh $(PERF_TOOL) $(BENCH_DSE_THREADS) $(PERF_OUT)/bench
BENCH_TARGETS += bench-dse

# Whole-model decode on the cycle-exact C model: every preset at full size, one device-step
# token at ctx BENCH_CTX on the named configuration BENCH_HW (default dse68, the DSE's pick) beside
# the analytic figure; writes perf/measured/models_BENCH_HW.csv, which make report takes its
# headline from when BENCH_HW is its pick.  The analytic config BENCH_CONFIG (perf/configs/
# BENCH_HW.cfg; edge68's is chosen.cfg) is the one source of the clock and the DRAM bandwidth:
# the script checks that its build parameters are BENCH_HW's and derives the bytes per cycle
# (dse68: 68 GB/s at 400 MHz = 170; edge68: at 350 MHz = 194.3).  About 20-40 min of CPU; the
# GGUFs are made one at a time and deleted.
BENCH_CTX ?= 512
BENCH_HW ?= dse68
BENCH_CONFIG_edge68 := perf/configs/chosen.cfg
BENCH_CONFIG ?= $(or $(BENCH_CONFIG_$(BENCH_HW)),perf/configs/$(BENCH_HW).cfg)
# BENCH_TAG: a suffix of the measured files, for another memory system on the same hardware
# (BENCH_CONFIG=perf/configs/dse68-posted.cfg BENCH_TAG=_posted: the DRAM posts writes)
BENCH_TAG ?=
bench-models: $(EDGECIM)
	@scripts/bench_models.sh $(EDGECIM) $(BUILD)/bench-models-$(BENCH_HW)$(BENCH_TAG) $(BENCH_HW) $(BENCH_CTX) $(BENCH_CONFIG) \
	  perf/measured/models_$(BENCH_HW)$(BENCH_TAG).csv $(BENCH_MODELS_PRESETS)

# docs/results.md and docs/img/*.svg for the chosen design.
report: $(PERF_TOOL)
	$(PERF_TOOL) report --out docs/results.md --img docs/img --work $(PERF_OUT)/report
	@echo "report: the DSE's pick is in $(PERF_OUT)/report/dse/chosen.cfg; the cycle-exact section reads perf/measured/models_NAME.csv of its named configuration (make bench-models BENCH_HW=NAME)"

# (no shell metacharacters here: the help recipe expands these words unquoted)
HELP_LINES += make~report~~~~~DSE~of~the~chip~and~docs/results.md~with~SVG~plots~via~gnuplot \
              make~bench-dse~~DSE~speed:~design~points~x~models~per~second \
              make~bench-models~[BENCH_HW=dse68~BENCH_CTX=512~BENCH_CONFIG=perf/configs/BENCH_HW.cfg~BENCH_TAG=]~every~preset~at~full~size~on~the~cycle-exact~C~model~of~BENCH_HW~(edge68:~BENCH_HW=edge68) \
              make~perf-tool~~build/perf/edgecim-perf:~perf~dse~report~without~the~firmware

# Calibration of the analytic GEMV model (perf_gemv_timing) against the cycle-exact C model of
# the top (the RTL's twin, cycle for cycle by test): >= 30 GEMVs over named and DSE-only
# configurations, DRAM latency 200/400, the LM head, batches and precisions (perf/perf_calibrate.c);
# prints the table and fails above 2%. The C model is compiled -O2 here (no sanitizers): minutes.
PERF_CALIB := $(PERF_OUT)/perf-calibrate
CALIB_SRCS := $(sort perf/perf_calibrate.c perf/perf_calib_vu.c perf/perf_cmodel.c perf/perf_cmodel_vu.c perf/perf_gemv.c perf/perf_gemv_writer.c perf/perf_vu.c $(MODEL_C_SRCS))
$(PERF_CALIB): $(CALIB_SRCS) $(PERF_HDRS) $(MODEL_C_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Icmodel $(PERF_INCLUDES) -O2 $(CALIB_SRCS) -o $@ -lm
.PHONY: calibrate
calibrate: $(PERF_CALIB)
	$(PERF_CALIB)
HELP_LINES += make~calibrate~~~analytic~GEMV~cycles~vs~the~cycle-exact~C~model~(worst~error,~limit~2%)

# The GEMV part of a token against its own roofline, split into the weight GEMVs and the attention
# GEMVs: each GEMV command of the step once on the cycle-exact C model (perf/perf_gemv_part.c) on
# the design of bench-models (BENCH_HW, BENCH_CONFIG, BENCH_CTX); writes
# perf/measured/gemv_part_BENCH_HW.csv, which the report's cycle-exact section adds. A minute or two.
PERF_GEMV_PART := $(PERF_OUT)/perf-gemv-part
GEMV_PART_SRCS := $(sort perf/perf_gemv_part.c perf/perf_cmodel.c perf/perf_cmodel_vu.c $(MODEL_C_SRCS) $(PERF_SRCS) $(SLM_SRCS) $(UTIL_SRCS))
$(PERF_GEMV_PART): $(GEMV_PART_SRCS) $(PERF_HDRS) $(MODEL_C_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Icmodel $(PERF_INCLUDES) -O2 $(GEMV_PART_SRCS) -o $@ $(PERF_LIBS)
.PHONY: bench-gemv-part
bench-gemv-part: $(PERF_GEMV_PART)
	$(PERF_GEMV_PART) $(BENCH_CONFIG) $(BENCH_CTX) all >perf/measured/gemv_part_$(BENCH_HW)$(BENCH_TAG).csv.tmp
	mv perf/measured/gemv_part_$(BENCH_HW)$(BENCH_TAG).csv.tmp perf/measured/gemv_part_$(BENCH_HW)$(BENCH_TAG).csv
HELP_LINES += make~bench-gemv-part~[BENCH_HW=dse68]~weight~and~attention~GEMVs~of~a~token~vs~their~roofline~on~the~cycle-exact~C~model

# Area from the design itself: Yosys cell counts per module of named configurations (the chosen
# design's and others, for the scaling laws), converted by perf/perf_area.c. `make area-synth
# HW=NAME [AREA_PARTS="top macro macro:64x16"]` synthesizes (minutes; one core), `make area-path
# HW=NAME` finds the longest combinational paths in those netlists (scripts/crit_path.sh),
# `make area-cells HW=NAME` replaces NAME's lines in the checked-in perf/area_cells.txt (with the
# vector unit's `make synth-vu HW=NAME` counts if there are any) and regenerates perf/perf_area_cells.h.
AREA_PARTS ?= top macro
.PHONY: area-synth area-path area-cells area-header
area-synth: $(BUILD)/.dep-yosys
	nice scripts/synth_modules.sh $(HW) $(BUILD) "$(call hw_params,$(HW))" "$(SYNTH_SRCS)" $(AREA_PARTS)
area-path: $(BUILD)/.dep-yosys
	nice scripts/crit_path.sh $(BUILD)/synth/$(HW)
area-cells:
	python3 scripts/area_cells.py add $(HW) $(BUILD)/synth/$(HW) $(BUILD)/synth/edgecim_vu-$(HW).stat
area-header:
	python3 scripts/area_cells.py header
HELP_LINES += make~area-synth~HW=NAME~[AREA_PARTS=...]~~Yosys~cells~per~module~for~the~area~model \
              make~area-path~HW=NAME~~longest~combinational~paths~of~those~netlists~(Yosys~ltp) \
              make~area-cells~HW=NAME~|~area-header~~check~them~in~(perf/area_cells.txt~->~perf/perf_area_cells.h)
