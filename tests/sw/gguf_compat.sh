#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every mkmodel preset (and every --type) read by the gguf PyPI package's GGUFReader and
# checked against llama.cpp's loader requirements (tests/sw/gguf_compat.py).
# Usage: gguf_compat.sh PYTHON EDGECIM WORKDIR
set -u
py=$1; bin=$2; wd=$3
mkdir -p "$wd"
if ! "$py" -c 'import gguf, numpy' 2>/dev/null; then
  echo "FAIL: the gguf Python package is missing from $py (make deps installs it into .venv)"
  exit 1
fi
files=()
mk() { # preset type layers hidden ff
  local f="$wd/$1-$2-$4.gguf"
  if ! "$bin" mkmodel --preset "$1" --type "$2" --layers "$3" --hidden "$4" --ff "$5" --vocab 400 --quiet -o "$f"; then
    echo "FAIL: mkmodel --preset $1 --type $2"; exit 1
  fi
  files+=("$f:$2")
}
for p in tinyllama-1.1b llama3.2-1b llama3.2-3b phi3.5-mini qwen2.5-0.5b qwen2.5-1.5b qwen2.5-3b \
         smollm2-1.7b smollm3-3b qwen3-0.6b qwen3-1.7b qwen3-4b bitnet-b1.58-2b; do
  mk $p q4_0 2 128 256
  mk $p q4_k_m 8 256 512   # rows of 256: K-quants apply, 8 layers: the mix's layer rule shows
done
mk phi3.5-mini q5_k_m 8 384 768   # head_dim 96 kept (384 = 4 x 96)
for t in f32 f16 bf16 q4_1 q5_0 q5_1 q8_0 q2_k q3_k q4_k q5_k q6_k iq4_nl iq4_xs tq1_0 tq2_0; do
  mk qwen2.5-0.5b $t 2 256 512
  mk qwen2.5-0.5b $t 1 160 288     # rows of 160 and 288: llama.cpp's fallback types
done
"$py" "$(dirname "$0")/gguf_compat.py" "${files[@]}"
