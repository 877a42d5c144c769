# Tool discovery and installation (scripts/deps.sh). Stamps make each check run once per build/.
VERILATOR ?= verilator
YOSYS     ?= yosys
VENV      ?= .venv
FUSESOC   := $(VENV)/bin/fusesoc

$(BUILD)/.dep-%:
	@mkdir -p $(BUILD)
	@VENV=$(VENV) scripts/deps.sh $* && touch $@

.PHONY: deps
deps: $(BUILD)/.dep-verilator $(BUILD)/.dep-yosys $(BUILD)/.dep-fusesoc $(BUILD)/.dep-gguf $(BUILD)/.dep-gnuplot $(BUILD)/.dep-sby \
      $(BUILD)/.dep-pcre2 $(BUILD)/.dep-utf8proc
	@echo "deps: $$(verilator --version), $$(yosys -V), fusesoc $$($(FUSESOC) --version), gguf $$($(VENV)/bin/python -c 'import importlib.metadata as m; print(m.version("gguf"))'), PCRE2, utf8proc"
