#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The device step's accuracy and whole-step cycles per family (docs/VECTOR_UNIT.md, "Measured"):
# a tiny random model of each preset (mkmodel), `edgecim eval` against the float reference at
# context CTX (accuracy on cmodel-functional, bit-exact to the cycle-exact C model), then the
# whole-step cycles on the cycle-exact C model of `default` (its 16-byte port: 16 B/cycle) and of
# `edge68` at 68 GB/s and 350 MHz (194 B/cycle).  TYPE: the mkmodel --type of the weights (q4_0:
# BitNet's ternary values as bf16, run at WBits 2; q4_k_m: llama.cpp's per-tensor mix, per-layer
# precision); the tensor types and the error of each requantized one are printed first.
# Usage: eval_dev_step.sh EDGECIM WORKDIR CTX TYPE PRESET...
set -eu
bin=$1; wd=$2; ctx=$3; type=$4; shift 4
mkdir -p "$wd"
for p in "$@"; do
  t=$type; [ "$t" = q4_0 ] && [ "$p" = bitnet-b1.58-2b ] && t=bf16
  m="$wd/$p-$t.gguf"
  [ -f "$m" ] || "$bin" mkmodel --preset "$p" --layers 4 --hidden 512 --ff 1024 --vocab 512 --type $t --seed 1 -o "$m" \
    2>"$m.log" >/dev/null
  echo "== $p ($t, 4 layers, hidden 512, ff 1024, vocab 512)"
  sed -n 's/^mkmodel: tensor types/tensor types/p' "$m.log"
  "$bin" run --model "$m" --tokens 1 -n 1 --backend cmodel-functional --verbose 2>&1 >/dev/null | awk '
    /-> INT[0-9]*: requantized/ { sub(":", "", $4); k = $2 " -> " $4; n[k]++; e[k] += $NF }
    END { for (k in n) printf "requantized %s: %d tensors, mean relative RMS error %.4f\n", k, n[k], e[k] / n[k] }' | sort
  "$bin" eval --model "$m" --ctx "$ctx" --steps 64 --threads 1 --cycles default
  "$bin" eval --model "$m" --ctx "$ctx" --step none --cycles edge68 --bw 194 --clock-mhz 350 | tail -n +4
done
