# SPDX-License-Identifier: Apache-2.0
# Firmware (sw/) over the C models: the `edgecim` binary (app/), its tests and the host benchmark.
SW_OUT  := $(BUILD)/sw
SLM_PRESET_NAMES := tinyllama-1.1b llama3.2-1b llama3.2-3b phi3.5-mini qwen2.5-0.5b qwen2.5-1.5b qwen2.5-3b \
                    smollm2-1.7b smollm3-3b qwen3-0.6b qwen3-1.7b qwen3-4b bitnet-b1.58-2b
SW_TBIN := $(SW_OUT)/tests
$(EDGECIM): $(APP_SRCS) $(SW_LIB_SRCS) $(SW_NORTL) $(PERF_SRCS) $(SW_HDRS) $(PERF_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(APP_INCLUDES) $(OPT) -g $(filter %.c,$^) -o $@ $(SW_LIBS) $(PERF_LIBS)

# Test binaries: sanitizers on.
SW_SAN_OBJS = $(call san_objs,$(SW_LIB_SRCS) $(SW_NORTL))
$(SW_TBIN)/%: tests/sw/%.c $(SW_SAN_OBJS) $(SW_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) -O1 -g $(SAN) $< $(SW_SAN_OBJS) -o $@ $(SW_LIBS)
# The CLI test runs the whole CLI under ASan/UBSan: a bad command line must not be undefined.
EDGECIM_SAN := $(SW_TBIN)/edgecim-san
$(EDGECIM_SAN): $(call san_objs,$(APP_SRCS) $(SW_LIB_SRCS) $(SW_NORTL) $(PERF_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $^ -o $@ $(SW_LIBS) $(PERF_LIBS)

.PHONY: edgecim test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-tokenizer-llama test-sw-arch \
        test-sw-sample test-sw-ops test-sw-threads test-sw-chat test-sw-cli test-sw-spec test-sw-gguf-ref \
        test-sw-gguf-compat test-sw-dev-step bench-host bench-gguf
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
test-sw-threads: $(SW_TBIN)/test_threads
	@tests/run_one.sh sw-threads $< $(SW_TBIN)/threads-work $(SEED)
test-sw-chat: $(SW_TBIN)/test_chat
	@tests/run_one.sh sw-chat $< $(SW_TBIN)/chat-work
test-sw-cli: $(EDGECIM_SAN)
	@tests/run_one.sh sw-cli tests/sw/cli.sh $(EDGECIM_SAN) $(SW_TBIN)/cli-work
test-sw-spec: $(EDGECIM_SAN)
	@tests/run_one.sh sw-spec tests/sw/spec.sh $(EDGECIM_SAN) $(SW_TBIN)/spec-work
# Against the gguf PyPI package (llama.cpp's gguf-py) in $(VENV) (make deps installs it): block
# dequantization bit for bit, and every mkmodel preset/type through its GGUFReader.
test-sw-gguf-ref: $(SW_TBIN)/gguf_blocks
	@tests/run_one.sh sw-gguf-ref tests/sw/gguf_ref.sh $(VENV)/bin/python $< $(SW_TBIN)/gguf-ref-work $(SEED)
# The device step on shrunken models of every family: accuracy against the float reference
# (mean logit cosine >= 0.99, top-1 >= 90% with every flip a near tie), the same logits bit for
# bit on cmodel-functional and the cycle-exact cmodel (default and edge68), errors.
test-sw-dev-step: $(SW_TBIN)/test_dev_step
	@tests/run_one.sh sw-dev-step $< $(SW_TBIN)/dev-step-work $(SEED)
test-sw-gguf-compat: $(EDGECIM)
	@tests/run_one.sh sw-gguf-compat tests/sw/gguf_compat.sh $(VENV)/bin/python $(EDGECIM) $(SW_TBIN)/gguf-compat-work

TEST_TARGETS += test-sw-gemv test-sw-gguf test-sw-tokenizer test-sw-tokenizer-llama test-sw-arch \
                test-sw-sample test-sw-ops test-sw-threads test-sw-chat test-sw-cli test-sw-spec test-sw-gguf-ref \
                test-sw-gguf-compat test-sw-dev-step

# The device step's accuracy and whole-step cycles per family (not a test: a table for the docs).
EVAL_PRESETS ?= tinyllama-1.1b llama3.2-1b smollm2-1.7b qwen2.5-0.5b qwen3-0.6b phi3.5-mini smollm3-3b bitnet-b1.58-2b
EVAL_CTX     ?= 2048
EVAL_TYPE    ?= q4_0
.PHONY: eval-dev-step eval-kquant
eval-dev-step: $(EDGECIM)
	scripts/eval_dev_step.sh $(EDGECIM) $(SW_OUT)/eval-work $(EVAL_CTX) $(EVAL_TYPE) $(EVAL_PRESETS)
# The same for a Q4_K_M file (llama.cpp's mix, per-layer precision) of one preset per family.
EVAL_KQ_PRESETS ?= llama3.2-1b qwen2.5-0.5b qwen3-0.6b phi3.5-mini smollm3-3b bitnet-b1.58-2b
eval-kquant: $(EDGECIM)
	scripts/eval_dev_step.sh $(EDGECIM) $(SW_OUT)/eval-work $(EVAL_CTX) q4_k_m $(EVAL_KQ_PRESETS)
HELP_LINES += make~eval-dev-step~[EVAL_CTX=2048]~[EVAL_TYPE=q4_0]~[EVAL_PRESETS=...]~~accuracy~and~whole-step~cycles~of~the~device~step~per~family \
              make~eval-kquant~[EVAL_CTX=2048]~[EVAL_KQ_PRESETS=...]~~the~same~for~Q4_K_M~files~(per-layer~precision),~one~preset~per~family

# Host decode speed of the cmodel-functional backend on a full-size Qwen2.5-0.5B shape
# (random Q4_0 and Q4_K_M weights, ~280 and ~400 MB GGUFs generated once) on 1 and 2
# threads; the memory bandwidth of the machine and the GEMV GB/s against it
# (tests/sw/bench_gemv.c).
# A full-size Qwen2.5-0.5B shape with random weights of type TYPE (mkmodel --type), generated
# once: build/sw/bench/qwen2.5-0.5b-TYPE.gguf.
$(SW_OUT)/bench/qwen2.5-0.5b-%.gguf: | $(EDGECIM)
	@mkdir -p $(dir $@)
	$(EDGECIM) mkmodel --preset qwen2.5-0.5b --vocab 151936 --type $* --seed 1 -o $@
.PRECIOUS: $(SW_OUT)/bench/qwen2.5-0.5b-%.gguf
$(SW_OUT)/bench/bench_gemv: tests/sw/bench_gemv.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS) | $(SW_LIB_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) $(OPT) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)
# The models of the decode benchmark, one line each (Q4_K_M: llama.cpp's mix, requantized to
# INT4 at load).  BENCH_THREADS: thread counts; llama.cpp's llama-bench is run on the same
# files when LLAMA_BENCH names one (or build/llama.cpp/b/bin/llama-bench exists).
BENCH_MODELS := $(SW_OUT)/bench/qwen2.5-0.5b-q4_0.gguf \
                $(SW_OUT)/bench/qwen2.5-0.5b-q4_k_m.gguf
BENCH_THREADS ?= 1 2
bench-host: $(EDGECIM) $(BENCH_MODELS) $(SW_OUT)/bench/bench_gemv
	@$(SW_OUT)/bench/bench_gemv --threads $(lastword $(sort $(BENCH_THREADS)))
	@BENCH_THREADS="$(BENCH_THREADS)" tests/sw/bench_host.sh $(EDGECIM) $(BENCH_MODELS)
BENCH_TARGETS += bench-host

# Optional, never in `make test`: the mkmodel files of every preset and type loaded by llama.cpp
# itself (LLAMA_PY: a python with llama-cpp-python), logits compared with the float engine's.
LLAMA_PY ?= python3
LLAMA_CHECK_WORK := $(SW_OUT)/llama-cpp-check
llama-cpp-check: $(EDGECIM) $(SW_TBIN)/dump_logits
	@mkdir -p $(LLAMA_CHECK_WORK)
	@for p in $(SLM_PRESET_NAMES); do for t in q4_0 q4_k_m; do \
	  $(EDGECIM) mkmodel --preset $$p --type $$t --layers 4 --hidden 256 --ff 512 --vocab 400 --quiet -o $(LLAMA_CHECK_WORK)/$$p-$$t.gguf || exit 1; done; done
	@for t in f32 f16 bf16 q4_1 q5_0 q5_1 q8_0 q2_k q3_k q4_k q5_k q6_k q5_k_m iq4_nl iq4_xs tq1_0 tq2_0; do \
	  $(EDGECIM) mkmodel --preset qwen2.5-0.5b --type $$t --layers 2 --hidden 256 --ff 512 --vocab 400 --quiet -o $(LLAMA_CHECK_WORK)/types-$$t.gguf || exit 1; done
	$(LLAMA_PY) scripts/llama_cpp_check.py $(SW_TBIN)/dump_logits $(EDGECIM) $(LLAMA_CHECK_WORK)/*.gguf
.PHONY: llama-cpp-check
HELP_LINES += make~llama-cpp-check~LLAMA_PY=python~~(optional)~mkmodel~files~through~llama.cpp,~logits~vs~the~float~engine

# GGUF parse time of files of 10^6 keys / 2*10^5 tensors (the tests assert only the results).
$(SW_OUT)/bench/gguf_bench: tests/sw/test_gguf.c $(SW_LIB_SRCS) $(SW_NORTL) $(SW_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(SW_INCLUDES) $(OPT) $< $(SW_LIB_SRCS) $(SW_NORTL) -o $@ $(SW_LIBS)
bench-gguf: $(SW_OUT)/bench/gguf_bench
	@$< --bench $(SW_OUT)/bench/gguf-work
BENCH_TARGETS += bench-gguf

HELP_LINES += make~edgecim~~~~~build/edgecim:~run~mkmodel~perf~dse~report~sub-commands \
              make~bench-gguf~~GGUF~parse~time~of~10^6~keys \
              make~bench-host~~host~decode~tokens/s~(1~and~2~threads)~and~GEMV~GB/s~on~a~Qwen2.5-0.5B~shape
