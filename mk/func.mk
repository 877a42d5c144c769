# SPDX-License-Identifier: Apache-2.0
# The functional device (cmodel/ecim_func.h) against the cycle-exact C model of the top: random
# command lists of GEMVs and vector ops leave identical DRAM (tests/test_ecim_func.c), under the
# sanitizers, on every named configuration.
$(BUILD)/tests/bin/test_ecim_func: tests/test_ecim_func.c $(MODEL_C_SRCS) $(MODEL_C_HDRS) tb/tb_rng.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(CWARN) -O1 -g $(SAN) $(C_INCLUDES) -Itb $(filter %.c,$^) -o $@ -lm

.PHONY: test-ecim-func
test-ecim-func: $(BUILD)/tests/bin/test_ecim_func
	@tests/run_one.sh ecim-func $< --seed $(SEED)
TEST_TARGETS += test-ecim-func
