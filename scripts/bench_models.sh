#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Whole-model decode figures from the cycle-exact C model (make bench-models): every target preset
# at full size (edgecim mkmodel --vocab full: random weights, Q4_0; BitNet TQ2_0 at WBits 2),
# one token of the device step (the whole token as one command list: GEMVs, vector unit,
# attention over the INT8 KV cache) at position CTX-1 on hardware configuration HW with DRAM at
# BW bytes/cycle and CLOCK MHz (edgecim eval --cycles), beside the analytic model's figure for the
# same design (edgecim perf --config CONFIG) and its DRAM roofline.  Writes OUT (CSV) and prints a
# Markdown table; the GGUF files are made one at a time in WORKDIR and deleted after (KEEP=1 keeps
# them).
# Usage: bench_models.sh EDGECIM WORKDIR HW BW CLOCK CTX CONFIG OUT [PRESET...]
set -eu
bin=$1; wd=$2; hw=$3; bw=$4; clock=$5; ctx=$6; config=$7; out=$8; shift 8
presets=${*:-$("$bin" perf --list-models | awk '{print $1}')}
mkdir -p "$wd" "$(dirname "$out")"
echo "model,type,hw,dram_bytes_per_cycle,clock_mhz,ctx,commands,cycles,gemv_cycles,vu_cycles,tok_s,analytic_tok_s,roofline_tok_s,roofline_share,error_pct" >"$out.tmp"
printf '| model | type | commands | cycles/token | GEMV | vector unit | tok/s (cycle-exact) | tok/s (analytic) | error | DRAM roofline tok/s | share |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
n=0; total=$(echo $presets | wc -w)
for p in $presets; do
  n=$((n + 1))
  t=q4_0; [ "$p" = bitnet-b1.58-2b ] && t=tq2_0
  m="$wd/$p.gguf"
  echo "bench-models: [$n/$total] $p: mkmodel (full size, $t)" >&2
  [ -f "$m" ] || "$bin" mkmodel --preset "$p" --vocab full --type $t --quiet -o "$m.part"
  [ -f "$m" ] || mv "$m.part" "$m"
  echo "bench-models: [$n/$total] $p: one token at position $((ctx - 1)) on the cycle-exact C model of $hw" >&2
  row=$(EDGECIM_DRAM_MB=4095 "$bin" eval --model "$m" --step none --cycles "$hw" --bw "$bw" --ctx "$ctx" \
          --clock-mhz "$clock" | grep "^| $p " | tail -n 1)
  [ "${KEEP:-0}" = 1 ] || rm -f "$m"
  perf=$("$bin" perf --model "$p" --config "$config" --ctx "$ctx" --json)
  python3 - "$row" "$perf" "$p" "$t" "$hw" "$bw" "$clock" "$ctx" >>"$out.tmp" <<'PY'
import json, re, sys
row, perf, p, t, hw, bw, clock, ctx = sys.argv[1:]
f = [c.strip() for c in row.strip().strip("|").split("|")]
num = lambda s: float(re.match(r"[\d.]+", s.replace(",", "")).group(0))
cmds, cycles, gemv, vu, tok = int(num(f[3])), int(num(f[5])), int(num(f[6])), int(num(f[7])), num(f[9])
m = json.loads(perf)["models"][0]
err = 100 * (m["tok_s"] - tok) / tok
print(f"{p},{t},{hw},{bw},{clock},{ctx},{cmds},{cycles},{gemv},{vu},{tok:.2f},{m['tok_s']:.2f},"
      f"{m['roofline_tok_s']:.2f},{tok / m['roofline_tok_s']:.4f},{err:.2f}")
PY
  tail -n 1 "$out.tmp" | awk -F, '{printf "| %s | %s | %d | %d | %.1f%% | %.1f%% | %.2f | %.2f | %+.2f%% | %.2f | %.1f%% |\n", $1, $2, $7, $8, 100*$9/$8, 100*$10/$8, $11, $12, $15, $13, 100*$14}'
done
mv "$out.tmp" "$out"
echo "bench-models: wrote $out" >&2
