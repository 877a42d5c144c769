# SPDX-License-Identifier: Apache-2.0
# util/ (below sw/ and perf/: JSON strings, command-line numbers, the version): its unit test,
# with the sanitizers.  Its sources are UTIL_SRCS of mk/sources.mk.
UTIL_TBIN := $(BUILD)/tests/bin/util
$(UTIL_TBIN)/test_util: tests/util/test_util.c $(UTIL_SRCS) $(UTIL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Iutil -O1 -g $(SAN) $(filter %.c,$^) -o $@ -lm

.PHONY: test-util
test-util: $(UTIL_TBIN)/test_util
	@tests/run_one.sh util $< $(UTIL_TBIN)/work
TEST_TARGETS += test-util
