#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The device step's accuracy and whole-step cycles per family (docs/VECTOR_UNIT.md, "Measured"):
# a tiny random model of each preset (mkmodel), `edgecim eval` against the float reference at
# context CTX (accuracy on cmodel-functional, bit-exact to the cycle-exact C model), then the
# whole-step cycles on the cycle-exact C model of `default` (its 16-byte port: 16 B/cycle) and of
# `edge68` at 68 GB/s and 350 MHz (194 B/cycle).
# Usage: eval_dev_step.sh EDGECIM WORKDIR CTX PRESET...
set -eu
bin=$1; wd=$2; ctx=$3; shift 3
mkdir -p "$wd"
for p in "$@"; do
  t=q4_0; [ "$p" = bitnet-b1.58-2b ] && t=bf16
  m="$wd/$p.gguf"
  [ -f "$m" ] || "$bin" mkmodel --preset "$p" --layers 4 --hidden 512 --ff 1024 --vocab 512 --type $t --seed 1 --quiet -o "$m"
  echo "== $p ($t, 4 layers, hidden 512, ff 1024, vocab 512)"
  "$bin" eval --model "$m" --ctx "$ctx" --steps 64 --threads 1 --cycles default
  "$bin" eval --model "$m" --ctx "$ctx" --step none --cycles edge68 --bw 194 --clock-mhz 350 | tail -n +4
done
