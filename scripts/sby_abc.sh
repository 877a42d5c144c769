#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# yosys-abc for SymbiYosys's abc engines (make formal-dma, formal-seq): the yowasp packages ship
# no ABC binary, so this runs the one of Yosys 0.23 (make deps), the first yosys-abc on PATH
# after this script's own directory. That ABC's pdr has no -l (a newer SymbiYosys passes it: it
# only asks for the invariant to be logged), so it is dropped.
self_dir=$(cd "$(dirname "$0")" && pwd)
abc=$(PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$self_dir" | paste -sd: -) command -v yosys-abc) || {
  echo "sby_abc.sh: no yosys-abc on PATH (make deps: Yosys 0.23)" >&2; exit 1; }
if [ "$1" = "-c" ]; then
  s=$(printf '%s' "$2" | sed 's/pdr -v -l/pdr -v/')
  shift 2
  exec "$abc" -c "$s" "$@"
fi
exec "$abc" "$@"
