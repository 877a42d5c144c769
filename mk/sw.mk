# Firmware (sw/) over the C models: the `edgecim` binary (app/), its tests and the host benchmark.
SW_OUT  := $(BUILD)/sw
SW_TBIN := $(SW_OUT)/tests
$(EDGECIM): $(APP_SRCS) $(SW_LIB_SRCS) $(SW_NORTL) $(PERF_SRCS) $(SW_HDRS) $(PERF_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) $(OPT) -g $(filter %.c,$^) -o $@ $(SW_LIBS) $(PERF_LIBS)

# Test binaries: sanitizers on.
$(SW_TBIN)/%: tests/sw/%.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) -O1 -g $(SAN) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)
# The CLI test runs the whole CLI under ASan/UBSan: a bad command line must not be undefined.
EDGECIM_SAN := $(SW_TBIN)/edgecim-san
$(EDGECIM_SAN): $(APP_SRCS) $(SW_LIB_SRCS) $(SW_NORTL) $(PERF_SRCS) $(SW_HDRS) $(PERF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) -O1 -g $(SAN) $(filter %.c,$^) -o $@ $(SW_LIBS) $(PERF_LIBS)

.PHONY: edgecim test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-tokenizer-llama test-sw-arch \
        test-sw-sample test-sw-ops test-sw-chat test-sw-cli bench-host
edgecim: $(EDGECIM)
test-sw-gemv: $(SW_TBIN)/test_ecim_gemv
	@tests/run_one.sh sw-gemv $< $(SEED)
test-sw-gguf: $(SW_TBIN)/test_gguf
	@tests/run_one.sh sw-gguf $< $(SW_TBIN)/gguf-work
test-sw-tokenizer: $(SW_TBIN)/test_tokenizer
	@tests/run_one.sh sw-tokenizer $< $(SW_TBIN)/tok-work $(SEED)
# llama.cpp's own tokenizer test pairs (tests/data/tokenizer): every id of every input.
test-sw-tokenizer-llama: $(SW_TBIN)/test_tokenizer_llama
	@tests/run_one.sh sw-tokenizer-llama $< tests/data/tokenizer
test-sw-arch: $(SW_TBIN)/test_arch
	@tests/run_one.sh sw-arch $< $(SW_TBIN)/arch-work $(SEED)
test-sw-sample: $(SW_TBIN)/test_sample
	@tests/run_one.sh sw-sample $< $(SEED)
test-sw-ops: $(SW_TBIN)/test_ops
	@tests/run_one.sh sw-ops $< $(SEED)
test-sw-chat: $(SW_TBIN)/test_chat
	@tests/run_one.sh sw-chat $< $(SW_TBIN)/chat-work
test-sw-cli: $(EDGECIM_SAN)
	@tests/run_one.sh sw-cli tests/sw/cli.sh $(EDGECIM_SAN) $(SW_TBIN)/cli-work

TEST_TARGETS += test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-tokenizer-llama test-sw-arch \
                test-sw-sample test-sw-ops test-sw-chat test-sw-cli

# Host decode speed of the cmodel-functional backend on a full-size Qwen2.5-0.5B shape
# (random Q4_0 weights, ~500 MB GGUF generated once), one core; plus the GEMV kernel speed-up.
BENCH_MODEL := $(SW_OUT)/bench/qwen2.5-0.5b-q4_0.gguf
$(BENCH_MODEL): | $(EDGECIM)
	@mkdir -p $(dir $@)
	$(EDGECIM) mkmodel --preset qwen2.5-0.5b --vocab 151936 --type q4_0 --seed 1 -o $@
$(SW_OUT)/bench/gemv_bench: tests/sw/test_ecim_gemv.c $(MODEL_C_SRCS) $(MODEL_C_HDRS) sw/rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) $(OPT) tests/sw/test_ecim_gemv.c $(MODEL_C_SRCS) -o $@ -lm
bench-host: $(EDGECIM) $(BENCH_MODEL) $(SW_OUT)/bench/gemv_bench
	@$(SW_OUT)/bench/gemv_bench --bench
	@tests/sw/bench_host.sh $(EDGECIM) $(BENCH_MODEL)
BENCH_TARGETS += bench-host

HELP_LINES += make~edgecim~~~~~build/edgecim:~run~mkmodel~perf~dse~report~sub-commands \
              make~bench-host~~host~decode~tokens/s~of~the~cmodel-functional~backend~on~a~Qwen2.5-0.5B~shape
