#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The firmware's GGUF block formats against the `gguf` PyPI package (llama.cpp's gguf-py):
# random blocks of every type dequantized bit for bit alike, the quantizers' blocks valid.
# Usage: gguf_ref.sh PYTHON GGUF_BLOCKS WORKDIR [seed]
set -u
py=$1; blocks=$2; wd=$3; seed=${4:-1}
mkdir -p "$wd"
if ! "$py" -c 'import gguf, numpy' 2>/dev/null; then
  echo "FAIL: the gguf Python package is missing from $py (make deps installs it into .venv)"
  exit 1
fi
"$py" -c 'import gguf, importlib.metadata as m; print("gguf", m.version("gguf"), "from", gguf.__file__)'
for s in "$seed" $((seed + 1000)); do
  echo "seed $s"
  "$blocks" "$wd/blocks.gguf" "$s" || exit 1
  "$py" "$(dirname "$0")/gguf_ref.py" "$wd/blocks.gguf" || exit 1
done
