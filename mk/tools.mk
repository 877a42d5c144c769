# SPDX-License-Identifier: Apache-2.0
# Tool discovery and installation (scripts/deps.sh). Stamps make each check run once per build/.
VERILATOR ?= verilator
YOSYS     ?= yosys
VENV      ?= .venv
FUSESOC   := $(VENV)/bin/fusesoc

$(BUILD)/.dep-%:
	@mkdir -p $(BUILD)
	@VENV=$(VENV) scripts/deps.sh $* && touch $@

.PHONY: deps
# (clang's libFuzzer runtime, $(BUILD)/.dep-libfuzzer, is installed by the first make fuzz: only
# make test-full needs it)
deps: $(BUILD)/.dep-verilator $(BUILD)/.dep-yosys $(BUILD)/.dep-fusesoc $(BUILD)/.dep-gguf $(BUILD)/.dep-gnuplot $(BUILD)/.dep-gtkwave $(BUILD)/.dep-sby \
      $(BUILD)/.dep-pcre2 $(BUILD)/.dep-utf8proc $(BUILD)/.dep-ccache
	@echo "deps: $$(verilator --version), $$(yosys -V), GTKWave's fst2vcd, ccache $$(command -v ccache >/dev/null && ccache --version | sed -n '1s/.* //p' || echo none), fusesoc $$($(FUSESOC) --version), gguf $$($(VENV)/bin/python -c 'import importlib.metadata as m; print(m.version("gguf"))'), PCRE2, utf8proc"
