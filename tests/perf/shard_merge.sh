#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `edgecim dse --shard K/N` on every shard + `--merge` must give the same Pareto fronts (and the
# same chosen design) as the unsharded run. The constraints bite (440 of the 2160 points are
# feasible: TTFT of the 128-token prompt up to 5 s, area up to 20 mm2). Usage: shard_merge.sh EDGECIM_PERF_BIN WORKDIR
set -euo pipefail
bin=$1; work=$2
rm -rf "$work"; mkdir -p "$work"
opts=(--grid ntiles=1,2,4,8,16 --grid nmacros=1:8 --grid clock_mhz=100:500:50
      --grid nres=0,1,4 --grid data_bytes=16,64 --area-max 20 --ttft-max 5 --quiet --no-plots)
"$bin" dse "${opts[@]}" --out "$work/full" >"$work/full.log"
for k in 0 1 2 3; do
  "$bin" dse "${opts[@]}" --shard "$k/4" --out "$work/shards" >>"$work/shards.log"
done
"$bin" dse "${opts[@]}" --merge "$work"/shards/shard-*-of-4.csv --out "$work/merged" >"$work/merged.log"
cmp "$work/full/pareto.csv" "$work/merged/pareto.csv"
cmp "$work/full/chosen.cfg" "$work/merged/chosen.cfg"
n=$(grep -c . "$work/full/pareto.csv")
[ "$n" -gt 14 ] || { echo "suspiciously small front file ($n lines)"; exit 1; }
# a merge with other options must be refused
if "$bin" dse "${opts[@]}" --area-max 21 --merge "$work"/shards/shard-*-of-4.csv --out "$work/bad" 2>"$work/bad.log"; then
  echo "merge with different options was accepted"; exit 1
fi
grep -q "different options" "$work/bad.log"
echo "shard+merge: pareto.csv identical ($n lines), chosen design identical, mismatched merge refused"
