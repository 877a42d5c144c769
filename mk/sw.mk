# Firmware (sw/) over the C models: the `edgecim` binary (app/), its tests and the host benchmark.
SW_OUT  := $(BUILD)/sw
SW_TBIN := $(SW_OUT)/tests
$(EDGECIM): $(APP_SRCS) $(SW_LIB_SRCS) $(SW_NORTL) $(PERF_SRCS) $(SW_HDRS) $(PERF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) $(OPT) -g $(filter %.c,$^) -o $@ $(SW_LIBS) $(PERF_LIBS)

# Test binaries: sanitizers on.
$(SW_TBIN)/%: tests/sw/%.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) -O1 -g $(SAN) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)

.PHONY: edgecim test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-arch test-sw-sample \
        test-sw-ops test-sw-threads test-sw-cli bench-host
edgecim: $(EDGECIM)
test-sw-gemv: $(SW_TBIN)/test_ecim_gemv
	@tests/run_one.sh sw-gemv $< $(SEED)
test-sw-gguf: $(SW_TBIN)/test_gguf
	@tests/run_one.sh sw-gguf $< $(SW_TBIN)/gguf-work
test-sw-tokenizer: $(SW_TBIN)/test_tokenizer
	@tests/run_one.sh sw-tokenizer $< $(SW_TBIN)/tok-work $(SEED)
test-sw-arch: $(SW_TBIN)/test_arch
	@tests/run_one.sh sw-arch $< $(SW_TBIN)/arch-work $(SEED)
test-sw-sample: $(SW_TBIN)/test_sample
	@tests/run_one.sh sw-sample $< $(SEED)
test-sw-ops: $(SW_TBIN)/test_ops
	@tests/run_one.sh sw-ops $< $(SEED)
test-sw-threads: $(SW_TBIN)/test_threads
	@tests/run_one.sh sw-threads $< $(SW_TBIN)/threads-work $(SEED)
test-sw-cli: $(EDGECIM)
	@tests/run_one.sh sw-cli tests/sw/cli.sh $(EDGECIM) $(SW_TBIN)/cli-work

TEST_TARGETS += test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-arch test-sw-sample test-sw-ops \
                test-sw-threads test-sw-cli

# Host decode speed of the cmodel-functional backend on a full-size Qwen2.5-0.5B shape
# (random Q4_0 weights, a ~280 MB GGUF generated once) on 1 and 2 threads; the memory
# bandwidth of the machine and the GEMV GB/s against it (tests/sw/bench_gemv.c).
# A full-size Qwen2.5-0.5B shape with random weights of type TYPE (mkmodel --type), generated
# once: build/sw/bench/qwen2.5-0.5b-TYPE.gguf.
$(SW_OUT)/bench/qwen2.5-0.5b-%.gguf: | $(EDGECIM)
	@mkdir -p $(dir $@)
	$(EDGECIM) mkmodel --preset qwen2.5-0.5b --vocab 151936 --type $* --seed 1 -o $@
.PRECIOUS: $(SW_OUT)/bench/qwen2.5-0.5b-%.gguf
$(SW_OUT)/bench/bench_gemv: tests/sw/bench_gemv.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) $(OPT) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)
# The models of the decode benchmark, one line each (Q4_K_M: one more line once mkmodel and the
# reader have K-quants).  BENCH_THREADS: thread counts; llama.cpp's llama-bench is run on the
# same files when LLAMA_BENCH names one (or build/llama.cpp/b/bin/llama-bench exists).
BENCH_MODELS := $(SW_OUT)/bench/qwen2.5-0.5b-q4_0.gguf
BENCH_THREADS ?= 1 2
bench-host: $(EDGECIM) $(BENCH_MODELS) $(SW_OUT)/bench/bench_gemv
	@$(SW_OUT)/bench/bench_gemv --threads $(lastword $(sort $(BENCH_THREADS)))
	@BENCH_THREADS="$(BENCH_THREADS)" tests/sw/bench_host.sh $(EDGECIM) $(BENCH_MODELS)
BENCH_TARGETS += bench-host

HELP_LINES += make~edgecim~~~~~build/edgecim:~run~mkmodel~perf~dse~report~sub-commands \
              make~bench-host~~host~decode~tokens/s~(1~and~2~threads)~and~GEMV~GB/s~on~a~Qwen2.5-0.5B~shape
