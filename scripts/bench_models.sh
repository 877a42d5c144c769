#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Whole-model decode figures from the cycle-exact C model (make bench-models): every target preset
# at its full width (edgecim mkmodel --vocab full: random weights, Q4_0; BitNet TQ2_0 at WBits 2),
# one token of the device step (the whole token as one command list: GEMVs, vector unit,
# attention over the INT8 KV cache) at position CTX-1 on hardware configuration HW with DRAM at
# BW bytes/cycle and CLOCK MHz (edgecim eval --cycles --last-only), beside the analytic model's
# figure for the same design (edgecim perf --config CONFIG) and its DRAM roofline. The cycle-exact
# DRAM runs at CONFIG's latency (dram_latency_ns at its clock_mhz, rounded to cycles as the
# analytic model rounds it): both sides model the same memory (the C model's default, 40 cycles,
# is 114 ns at 350 MHz, not the 100 ns of perf/configs/chosen.cfg, and made up the whole +2..4%
# of the analytic model's error before).
# The layers of a model are identical commands, so the model runs twice, with LA and LB layers
# (2 and 4; SmolLM3, whose every fourth layer has no RoPE: 4 and 8), and the whole model's cycles
# are c(LA) + (L - LA) * (c(LB) - c(LA)) / (LB - LA): the embedding, final norm and LM head once, a
# layer L times (checked: from 2 and 4 layers of Qwen2.5-0.5B, 6 layers are predicted to 2 cycles
# in 377,394).  Writes OUT (CSV) and prints a Markdown table; the GGUF files are made in WORKDIR
# and deleted after each model (KEEP=1 keeps them).
# A model the configuration cannot run (its device step refused) is a "# model: not run: why" line
# at the end of OUT and a row saying so.
# Usage: bench_models.sh EDGECIM WORKDIR HW BW CLOCK CTX CONFIG OUT [PRESET...]
set -eu
bin=$1; wd=$2; hw=$3; bw=$4; clock=$5; ctx=$6; config=$7; out=$8; shift 8
presets=${*:-$("$bin" perf --list-models | awk '{print $1}')}
mkdir -p "$wd" "$(dirname "$out")"
lat=$("$bin" perf --model qwen2.5-0.5b --config "$config" --json | python3 -c '
import json, sys
h = json.load(sys.stdin)["hw"]
print(max(1, int(h["dram_latency_ns"] * h["clock_mhz"] * 1e-3 + 0.5)))')
echo "bench-models: DRAM latency $lat cycles (from $config)" >&2
rm -f "$out.skipped"
echo "model,type,hw,dram_bytes_per_cycle,clock_mhz,ctx,commands,cycles,gemv_cycles,vu_cycles,tok_s,analytic_tok_s,roofline_tok_s,roofline_share,error_pct" >"$out.tmp"
printf '| model | type | commands | cycles/token | GEMV | vector unit | tok/s (cycle-exact) | tok/s (analytic) | error | DRAM roofline tok/s | share |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
n=0; total=$(echo $presets | wc -w)
for p in $presets; do
  n=$((n + 1))
  t=q4_0; [ "$p" = bitnet-b1.58-2b ] && t=tq2_0
  la=2; lb=4; [ "$p" = smollm3-3b ] && la=4 lb=8
  for l in $la $lb; do
    m="$wd/$p-$l.gguf"
    echo "bench-models: [$n/$total] $p: mkmodel ($l layers at full width, $t)" >&2
    [ -f "$m" ] || "$bin" mkmodel --preset "$p" --layers $l --vocab full --type $t --quiet -o "$m.part"
    [ -f "$m" ] || mv "$m.part" "$m"
    echo "bench-models: [$n/$total] $p: one token at position $((ctx - 1)) on the cycle-exact C model of $hw" >&2
    EDGECIM_DRAM_MB=4095 "$bin" eval --model "$m" --step none --cycles "$hw" --bw "$bw" --ctx "$ctx" \
      --clock-mhz "$clock" --latency "$lat" --last-only 2>"$wd/err-$l" | grep "^| $p " | tail -n 1 >"$wd/row-$l" || true
    [ "${KEEP:-0}" = 1 ] || rm -f "$m"
    [ -s "$wd/row-$l" ] || break
  done
  if [ ! -s "$wd/row-$la" ] || [ ! -s "$wd/row-$lb" ]; then # the configuration cannot run it: say why, go on
    why=$(tail -n 1 "$wd/err-$l")
    echo "bench-models: $p does not run on $hw: $why" >&2
    printf '| %s | %s | not run on %s: %s |\n' "$p" "$t" "$hw" "${why#edgecim eval: }"
    echo "# $p: not run on $hw: ${why#edgecim eval: }" >>"$out.skipped"
    continue
  fi
  row="$(cat "$wd/row-$la")@@$(cat "$wd/row-$lb")"
  perf=$("$bin" perf --model "$p" --config "$config" --ctx "$ctx" --json)
  python3 - "$row" "$perf" "$p" "$t" "$hw" "$bw" "$clock" "$ctx" "$la" "$lb" >>"$out.tmp" <<'PY'
import json, re, sys
row, perf, p, t, hw, bw, clock, ctx, la, lb = sys.argv[1:]
la, lb = int(la), int(lb)
m = json.loads(perf)["models"][0]
L = m["layers"]
num = lambda s: float(re.match(r"[\d.]+", s.replace(",", "")).group(0))
def fields(r):  # commands, cycles, GEMV, vector-unit cycles of one eval row
    f = [c.strip() for c in r.strip().strip("|").split("|")]
    return [num(f[3]), num(f[5]), num(f[6]), num(f[7])]
a, b = fields(row.split("@@")[0]), fields(row.split("@@")[1])
cmds, cycles, gemv, vu = [round(x + (L - la) * (y - x) / (lb - la)) for x, y in zip(a, b)]
tok = float(clock) * 1e6 / cycles
err = 100 * (m["tok_s"] - tok) / tok
print(f"{p},{t},{hw},{bw},{clock},{ctx},{cmds},{cycles},{gemv},{vu},{tok:.2f},{m['tok_s']:.2f},"
      f"{m['roofline_tok_s']:.2f},{tok / m['roofline_tok_s']:.4f},{err:.2f}")
PY
  tail -n 1 "$out.tmp" | awk -F, '{printf "| %s | %s | %d | %d | %.1f%% | %.1f%% | %.2f | %.2f | %+.2f%% | %.2f | %.1f%% |\n", $1, $2, $7, $8, 100*$9/$8, 100*$10/$8, $11, $12, $15, $13, 100*$14}'
done
[ -f "$out.skipped" ] && cat "$out.skipped" >>"$out.tmp" && rm -f "$out.skipped"
mv "$out.tmp" "$out"
echo "bench-models: wrote $out" >&2
