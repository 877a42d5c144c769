#!/usr/bin/env bash
# Checks (and where it can, installs) the tools the build needs: deps.sh verilator|yosys|fusesoc|gguf|gnuplot
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
  gnuplot)
    have gnuplot || apt_install gnuplot-nox || exit 1 ;;
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
  *)
    echo "usage: $0 verilator|yosys|fusesoc|gguf|gnuplot" >&2; exit 2 ;;
esac
