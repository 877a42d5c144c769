#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Whole-model decode figures from the cycle-exact C model (make bench-models): every target preset
# at its full width (edgecim mkmodel --vocab full: random weights, Q4_0; BitNet TQ2_0 at WBits 2),
# one token of the device step (the whole token as one command list: GEMVs, vector unit,
# attention over the INT8 KV cache) at position CTX-1 on hardware configuration HW (edgecim eval
# --cycles --last-only), beside the analytic model's figure for the same design (edgecim perf
# --config CONFIG) and its DRAM roofline.
# CONFIG is the one source of the design: its build parameters must be exactly HW's in
# hw/edgecim_hw.json (checked here: the analytic column would otherwise be another chip's), and
# the C model runs at its clock_mhz with DRAM at its dram_gb_s, i.e. dram_gb_s * 1000 / clock_mhz
# bytes per cycle (68 GB/s at 400 MHz: 170), and its DRAM latency dram_latency_ns in cycles, rounded
# as the analytic model rounds it: both sides model the same memory (the C model's default, 40
# cycles, is 114 ns at 350 MHz, not the 100 ns of perf/configs/chosen.cfg, and made up the whole
# +2..4% of the analytic model's error on edge68 before).
# The layers of a model are identical commands, so the model runs twice, with LA and LB layers
# (2 and 4; SmolLM3, whose every fourth layer has no RoPE: 4 and 8), and the whole model's cycles
# are c(LA) + (L - LA) * (c(LB) - c(LA)) / (LB - LA): the embedding, final norm and LM head once, a
# layer L times (checked: from 2 and 4 layers of Qwen2.5-0.5B, 6 layers are predicted to 2 cycles
# in 377,394).  The GEMV part's roofline share: the bytes the GEMV commands move (the analytic
# model's byte counts of the layout: weights, KV caches, activations, outputs; gemv_matrix_*: the
# weights and KV caches alone) at the DRAM's bytes per cycle, over the measured GEMV cycles.
# Writes OUT (CSV) and prints a Markdown table; the GGUF files are made in WORKDIR and deleted
# after each model (KEEP=1 keeps them).
# A model the configuration cannot run (its device step refused) is a "# model: not run: why" line
# at the end of OUT and a row saying so.
# Usage: bench_models.sh EDGECIM WORKDIR HW CTX CONFIG OUT [PRESET...]
set -eu
bin=$1; wd=$2; hw=$3; ctx=$4; config=$5; out=$6; shift 6
# clock and bytes per cycle of CONFIG, after checking that it is HW (the tool parses the file)
design=$("$bin" perf --config "$config" --model qwen2.5-0.5b --json | python3 -c '
import json, sys
hw, spec = sys.argv[1], json.load(open(sys.argv[2]))
p = json.load(sys.stdin)["hw"]
cfg = [c for c in spec["configs"] if c["name"] == hw]
if not cfg: sys.exit(f"bench-models: {hw} is not a configuration of hw/edgecim_hw.json")
want = {q["c"]: cfg[0]["params"].get(q["name"], q["default"]) for q in spec["params"] if q["c"] in p}
bad = [f"{k} = {p[k]:g} (not {v})" for k, v in want.items() if p[k] != v]
if bad: sys.exit(f"bench-models: {sys.argv[3]} is not {hw}: " + ", ".join(bad))
clock, gb_s = p["clock_mhz"], p["dram_gb_s"]
print("%g %.6g %d %d" % (clock, gb_s * 1e3 / clock, max(1, int(p["dram_latency_ns"] * clock * 1e-3 + 0.5)),
                        p.get("dram_posted_writes", 0)))
' "$hw" hw/edgecim_hw.json "$config")
read -r clock bw lat posted <<<"$design"
posted_opt=; [ "$posted" = 1 ] && posted_opt=--posted-writes
echo "bench-models: $hw ($config) at $clock MHz, DRAM $bw bytes/cycle, latency $lat cycles${posted_opt:+, posted writes}" >&2
presets=${*:-$("$bin" perf --list-models | awk '{print $1}')}
mkdir -p "$wd" "$(dirname "$out")"
rm -f "$out.skipped"
echo "model,type,hw,dram_bytes_per_cycle,clock_mhz,ctx,commands,cycles,gemv_cycles,vu_cycles,tok_s,analytic_tok_s,roofline_tok_s,roofline_share,error_pct,gemv_bytes,gemv_matrix_bytes,gemv_share,gemv_matrix_share" >"$out.tmp"
printf '| model | type | commands | cycles/token | GEMV | vector unit | tok/s (cycle-exact) | tok/s (analytic) | error | DRAM roofline tok/s | share | GEMV share of its roofline |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
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
      --clock-mhz "$clock" --latency "$lat" $posted_opt --last-only 2>"$wd/err-$l" | grep "^| $p " | tail -n 1 >"$wd/row-$l" || true
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
gb, gm = m["gemv_bytes"], m["gemv_matrix_bytes"]  # the GEMVs' bytes at bw bytes per cycle, over their cycles
print(f"{p},{t},{hw},{bw},{clock},{ctx},{cmds},{cycles},{gemv},{vu},{tok:.2f},{m['tok_s']:.2f},"
      f"{m['roofline_tok_s']:.2f},{tok / m['roofline_tok_s']:.4f},{err:.2f},"
      f"{gb:.0f},{gm:.0f},{gb / float(bw) / gemv:.4f},{gm / float(bw) / gemv:.4f}")
PY
  tail -n 1 "$out.tmp" | awk -F, '{printf "| %s | %s | %d | %d | %.1f%% | %.1f%% | %.2f | %.2f | %+.2f%% | %.2f | %.1f%% | %.1f%% |\n", $1, $2, $7, $8, 100*$9/$8, 100*$10/$8, $11, $12, $15, $13, 100*$14, 100*$18}'
done
[ -f "$out.skipped" ] && cat "$out.skipped" >>"$out.tmp" && rm -f "$out.skipped"
mv "$out.tmp" "$out"
echo "bench-models: wrote $out" >&2
