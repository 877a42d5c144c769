# SPDX-License-Identifier: Apache-2.0
# libFuzzer targets (clang): the GGUF loader, the tokenizers, the command-line number rules.
# make fuzz [FUZZ_RUNS=1000000]: each target for that many executions from its seed corpus (the
# test data's GGUF files / tokenizer inputs); a crash, leak, timeout or sanitizer report fails it.
FUZZ_CC   ?= $(firstword $(shell command -v clang clang-14 2>/dev/null))
FUZZ_RUNS ?= 1000000
FUZZ_OUT  := $(BUILD)/fuzz
FUZZ_TARGETS := fuzz_gguf fuzz_tokenizer fuzz_cli_num
FUZZ_FLAGS = $(CSTD) -DFUZZ_VOCAB_DIR='"$(abspath tests/data/tokenizer)"' -DEDGECIM_VERSION='"$(EDGECIM_VERSION)"' -O1 -g -fsanitize=fuzzer,address,undefined \
             -fno-sanitize-recover=all $(APP_INCLUDES)
$(FUZZ_OUT)/fuzz_cli_num: tests/fuzz/fuzz_cli_num.c $(UTIL_SRCS) $(UTIL_HDRS) | $(BUILD)/.dep-libfuzzer
	@mkdir -p $(dir $@)
	$(if $(FUZZ_CC),,$(error make fuzz needs clang and its libFuzzer runtime (apt-get install clang libclang-rt-14-dev)))
	$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@ -lm
$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS) | $(SW_LIB_DEPS) $(BUILD)/.dep-libfuzzer
	@mkdir -p $(dir $@)
	$(if $(FUZZ_CC),,$(error make fuzz needs clang and its libFuzzer runtime (apt-get install clang libclang-rt-14-dev)))
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)
# seed corpora: real files and inputs of the tests
$(FUZZ_OUT)/corpus-%/.seeded:
	@mkdir -p $(dir $@)
	@case $* in \
	  gguf) cp tests/data/tokenizer/*.gguf $(dir $@);; \
	  tokenizer) split -l 1 tests/data/tokenizer/ggml-vocab-qwen2.gguf.inp $(dir $@)inp-;; \
	  cli_num) for v in 1 -3 0x10 1e3 nan inf 12x "" 4294967298 0.5 -0; do printf '%s' "$$v" > $(dir $@)v-$$(echo "$$v" | md5sum | cut -c1-8); done;; \
	esac
	@touch $@
.PHONY: fuzz $(addprefix fuzz-,gguf tokenizer cli_num) test-fuzz
fuzz: $(addprefix fuzz-,gguf tokenizer cli_num)
$(addprefix fuzz-,gguf tokenizer cli_num): fuzz-%: $(FUZZ_OUT)/fuzz_% $(FUZZ_OUT)/corpus-%/.seeded
	@echo "fuzz: $* for $(FUZZ_RUNS) executions (log $(FUZZ_OUT)/$*.log)"
	@cd $(FUZZ_OUT) && ./fuzz_$* -runs=$(FUZZ_RUNS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	  $(if $(filter cli_num,$*),-close_fd_mask=2) -print_final_stats=1 corpus-$* > $*.log 2>&1 || \
	  { tail -n 30 $*.log; echo "fuzz: $* FAILED (log $(FUZZ_OUT)/$*.log; the crashing input is in $(FUZZ_OUT))"; exit 1; }
	@grep -E "^stat::(number_of_executed_units|peak_rss_mb)" $(FUZZ_OUT)/$*.log | tr '\n' ' '; echo
test-fuzz:
	@tests/run_one.sh fuzz $(MAKE) --no-print-directory fuzz FUZZ_RUNS=20000
TEST_FULL_TARGETS += test-fuzz
HELP_LINES += make~fuzz|fuzz-gguf|fuzz-tokenizer|fuzz-cli_num~[FUZZ_RUNS=1000000]~[FUZZ_CC=clang]~~libFuzzer~on~the~GGUF~loader,~the~tokenizers,~the~CLI~numbers
