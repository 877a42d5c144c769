#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The perf/dse/report sub-commands end to end (sanitizer build): valid JSON with the version,
# --help that lists every option, clear usage errors (exit 2, the flag named, no sanitizer
# report), NSGA-II outputs, a small report with its plots and the version in its header.
# Usage: cli_smoke.sh EDGECIM_PERF_BIN WORKDIR
set -euo pipefail
bin=$1; work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"; mkdir -p "$work"
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
version=$("$bin" --version | sed 's/^edgecim-perf //')
echo "version $version"
json_version() { # file: its "version" is --version's
  python3 -c 'import json,sys; v = json.load(open(sys.argv[1]))["version"]; sys.exit(v != sys.argv[2])' "$1" "$version" ||
    { echo "$1: version is not $version"; exit 1; }
}

"$bin" perf --json >"$work/perf.json"; json_ok "$work/perf.json"; json_version "$work/perf.json"

# --help of each sub-command names every option its parser accepts for it (perf/perf_cli.c)
for c in perf dse report; do "$bin" $c --help >"$work/help-$c.txt"; done
python3 - "$src/perf/perf_cli.c" "$work" <<'PY'
import re, sys
src, work = open(sys.argv[1]).read(), sys.argv[2]
parse = src[src.index("static int parse("):]
parse = parse[:parse.index("\n}\n")]
missing = []
for line in parse.split("\n"):
    for opt in re.findall(r'!strcmp\(a, "(-[^"]+)"\)', line):
        cmds = ("perf",) if "cmd == CMD_PERF" in line else ("dse",) if "cmd == CMD_DSE" in line else \
               ("report",) if "cmd == CMD_REPORT" in line else ("dse", "report") if "dse &&" in line else ("perf", "dse", "report")
        for c in cmds:
            if not re.search(re.escape(opt) + r"\b", open("%s/help-%s.txt" % (work, c)).read()):
                missing.append("%s %s" % (c, opt))
print("--help lacks: " + ", ".join(missing) if missing else "--help of perf, dse, report lists every option")
sys.exit(1 if missing else 0)
PY
"$bin" perf --model llama3.2-1b --breakdown --set dram_gb_s=102.4 | tee "$work/perf.txt"
grep -q "gemv_stream" "$work/perf.txt"
# the area by module (every part, the macro's logic from its synthesis) and the critical path
for part in cim_macro cim_ppu cim_tile tile_sequencer edgecim_dma+fifo edgecim_regs+list edgecim_vu; do
  grep -q "^  $part " "$work/perf.txt" || { echo "edgecim perf: no area line of $part"; exit 1; }
done
grep -q "^  cim_macro .*scaling law" "$work/perf.txt" || { echo "edgecim perf: the macro logic is not from its synthesis"; exit 1; }
# (outputs into files first: grep -q stops reading at its match, and a writer still writing
# then dies of SIGPIPE, which pipefail reports as the pipeline's failure)
"$bin" perf --config perf/configs/chosen.cfg --model qwen2.5-0.5b >"$work/chosen.txt"
grep -q "^critical path (edge68, Yosys ltp): [0-9]* cells" "$work/chosen.txt" ||
  { echo "edgecim perf: no critical path of edge68"; exit 1; }
"$bin" perf --params >"$work/params.txt"
grep -q "^dram_gb_s" "$work/params.txt" && grep -q "^dram_posted_writes" "$work/params.txt"
"$bin" perf --list-models >"$work/models.txt"
grep -q "bitnet-b1.58-2b (WBits=2)" "$work/models.txt"

expect_fail_rc() { # rc message cmd...: exit rc, the message on stderr, no sanitizer report
  local want_rc=$1 want=$2; shift 2
  local rc=0
  timeout 120 "$@" >/dev/null 2>"$work/err.txt" || rc=$?
  if [ "$rc" != "$want_rc" ]; then echo "exit $rc, expected $want_rc: $*"; cat "$work/err.txt"; exit 1; fi
  grep -qF -- "$want" "$work/err.txt" || { echo "message for '$*' lacks '$want':"; cat "$work/err.txt"; exit 1; }
  if grep -q "Sanitizer\|runtime error" "$work/err.txt"; then cat "$work/err.txt"; exit 1; fi
  echo "refused as expected: $* -> $(head -1 "$work/err.txt")"
}
expect_fail() { expect_fail_rc 2 "$@"; } # a usage error
expect_fail "unknown parameter 'tilez'" "$bin" perf --set tilez=3
expect_fail "not a legal DataBytes" "$bin" perf --set data_bytes=48
expect_fail "PpuCols x 4 <= MacroCols" "$bin" perf --set ppu_cols=16
expect_fail "unknown model 'gpt5'" "$bin" perf --model gpt5
expect_fail "clock_mhz 900 > clock_max_mhz" "$bin" perf --set clock_mhz=900
expect_fail "needs a value" "$bin" dse --grid
expect_fail "not K/N" "$bin" dse --shard 3/3
expect_fail "unknown option '--bogus'" "$bin" report --bogus
# numbers: one set of rules (util/cli_num.h) for every option
expect_fail "--slack: 'nan'" "$bin" dse --slack nan
expect_fail "--area-max: '-1'" "$bin" dse --area-max -1
expect_fail "--area-max: '0'" "$bin" report --area-max 0
expect_fail "--threads: '100000'" "$bin" dse --threads 100000
expect_fail "--power-max: 'inf'" "$bin" dse --power-max inf
expect_fail "--ttft-max: '-0.5'" "$bin" report --ttft-max -0.5
expect_fail "--ctx: ''" "$bin" perf --ctx ""
expect_fail "--ctx: '4294967808'" "$bin" perf --ctx 4294967808
expect_fail "--prompt: '12x'" "$bin" perf --prompt 12x
expect_fail "--pop: '1e3'" "$bin" dse --pop 1e3
expect_fail "--gens: '-1'" "$bin" dse --gens -1
expect_fail "--seed: '-1'" "$bin" dse --seed -1
expect_fail "--shard: '1/3x'" "$bin" dse --shard 1/3x
expect_fail "value nan invalid for dram_gb_s" "$bin" dse --grid dram_gb_s=10,nan
expect_fail "--config: $work: cannot read: Is a directory" "$bin" perf --config "$work"
# an --out that cannot be created: the path that failed and why, and nothing else created
expect_fail_rc 1 "--out /proc/nope/r.md: cannot create directory /proc/nope: " \
  "$bin" report --out /proc/nope/r.md --work "$work/rep-work" --img "$work/rep-img" --quiet --no-plots
if [ -e "$work/rep-work" ] || [ -e "$work/rep-img" ]; then echo "report created --work/--img before failing on --out"; exit 1; fi

"$bin" dse --search nsga2 --pop 16 --gens 5 --grid ntiles=1:8 --grid nmacros=1:8 --set data_bytes=256 --set act_bytes=65536 --ttft-max 0 \
  --grid clock_mhz=100:500:100 --quiet --no-plots --out "$work/nsga" | tee "$work/nsga.txt"
json_ok "$work/nsga/pareto.json"; json_version "$work/nsga/pareto.json"
grep -q "^chosen:" "$work/nsga.txt"
test -s "$work/nsga/pareto.csv" && test -s "$work/nsga/dse.md" && test -s "$work/nsga/chosen.cfg"
"$bin" perf --config "$work/nsga/chosen.cfg" --model qwen3-0.6b >/dev/null

# the cycle-exact rows of make bench-models: a good file leads the report, a bad one stops it
cat >"$work/meas.csv" <<'CSV'
model,type,hw,dram_bytes_per_cycle,clock_mhz,ctx,commands,cycles,gemv_cycles,vu_cycles,tok_s,analytic_tok_s,roofline_tok_s,roofline_share,error_pct
qwen2.5-0.5b,q4_0,edge68,194,350,512,411,1503464,1219883,283113,232.80,187.38,232.90,0.9996,-19.51
qwen3-0.6b,q4_0,edge68,194,350,512,400,2000000,1700000,299000,175.00,170.00,190.00,0.9211,-2.86
CSV
printf 'model,type\nqwen2.5-0.5b,q4_0,edge68,x\n' >"$work/bad.csv"
# rows of bench-models with the GEMV part's bytes and shares, of dse68 at 170 B/cycle, 400 MHz,
# and the split of that part beside them (make bench-gemv-part)
mkdir -p "$work/m68" "$work/m68bad"
meas68=$work/m68/models_dse68.csv
cat >"$meas68" <<'CSV'
model,type,hw,dram_bytes_per_cycle,clock_mhz,ctx,commands,cycles,gemv_cycles,vu_cycles,tok_s,analytic_tok_s,roofline_tok_s,roofline_share,error_pct,gemv_bytes,gemv_matrix_bytes,gemv_share,gemv_matrix_share
qwen2.5-0.5b,q4_0,dse68,170,400,512,411,2200000,1850000,330000,181.82,183.30,232.60,0.7817,0.82,310000000,300000000,0.9857,0.9539
CSV
cat >"$work/m68/gemv_part_dse68.csv" <<'CSV'
model,hw,dram_bytes_per_cycle,ctx,weight_gemv_cycles,weight_gemv_bytes,attn_gemv_cycles,attn_gemv_bytes,weight_share,attn_share
qwen2.5-0.5b,dse68,170,512,1700000,288000000,149815,5320704,0.9965,0.2113
CSV
cp "$meas68" "$work/m68bad/models_dse68.csv" # a split of another context
sed 's/,170,512,/,170,4096,/' "$work/m68/gemv_part_dse68.csv" >"$work/m68bad/gemv_part_dse68.csv"
{ cat "$meas68"; echo "qwen3-0.6b,q4_0,edge68,194,350,512,400,2000000,1700000,299000,175.00,170.00,190.00,0.9211,-2.86"; } >"$work/mixed.csv"
small="--grid ntiles=1,2 --grid nmacros=2 --grid data_bytes=64 --grid clock_mhz=200 --set act_bytes=65536 --ttft-max 0 --quiet --no-plots"
expect_fail_rc 1 "bad.csv:2: not a bench-models row" "$bin" report $small --measured "$work/bad.csv" --out "$work/bad/r.md" --img "$work/bad/img" --work "$work/bad/w"
expect_fail_rc 1 "mixed.csv:3: edge68 at 194 B/cycle, 350 MHz, ctx 512, not the first row's design" \
  "$bin" report $small --measured "$work/mixed.csv" --out "$work/bad/r.md" --img "$work/bad/img" --work "$work/bad/w"
expect_fail_rc 1 "gemv_part_dse68.csv:2: not a bench-gemv-part row of this design and context" \
  "$bin" report $small --measured "$work/m68bad/models_dse68.csv" --out "$work/bad/r.md" --img "$work/bad/img" --work "$work/bad/w"
[ ! -e "$work/bad/r.md" ] || { echo "a bad --measured file left a report behind"; exit 1; }
"$bin" report $small --measured "$work/none.csv" --out "$work/none/r.md" --img "$work/none/img" --work "$work/none/w"
grep -q "No cycle-exact figures" "$work/none/r.md"
grep -q "not a named hardware configuration" "$work/none/r.md" # 1-2 tiles x 2 macros, 64-byte port: no RTL build
# a pick that is a named configuration is named as one (dse68 of hw/edgecim_hw.json)
"$bin" report --grid ntiles=1 --grid nmacros=1 --grid data_bytes=256 --grid macro_rows=128 --grid macro_cols=64 \
  --grid ppu_cols=16 --grid vec_lanes=16 --grid clock_mhz=400 --ttft-max 0 --quiet --no-plots \
  --measured "$meas68" --out "$work/named/r.md" --img "$work/named/img" --work "$work/named/w"
grep -q "the named hardware configuration \*\*dse68\*\*" "$work/named/r.md"
# the cycle-exact section names the chip of its rows, and the summary says it is the pick
grep -q "^## Cycle-exact whole-model decode (the chip that is simulated: \`dse68\`, 68.0 GB/s, 400 MHz)" "$work/named/r.md"
grep -q "^| qwen2.5-0.5b | q4_0 | 411 | 2200000 | .* | 78.2% | 98.6% | 99.7% | 21.1% |$" "$work/named/r.md"
grep -q "^| \*\*mean of 1 INT4\*\* | .* | lowest 98.6% | lowest 99.7% | |$" "$work/named/r.md"
grep -q "add up to the GEMV cycles of the whole-token list within 0.01% on every row" "$work/named/r.md"
grep -q "The cycle-exact section above measures this design (\`dse68\` at 400 MHz, 170 bytes/cycle" "$work/named/r.md"
"$bin" report --grid ntiles=1,2,4 --grid nmacros=2,8,16 --grid data_bytes=64,256 --grid clock_mhz=200,400 --set act_bytes=65536 --ttft-max 0 --quiet \
  --measured "$work/meas.csv" --out "$work/doc/results.md" --img "$work/doc/img" --work "$work/report"
grep -q "## Cycle-exact whole-model decode" "$work/doc/results.md"
grep -q "^| qwen2.5-0.5b | q4_0 | 411 | 1503464 | 81.1% | 18.8% | 232.8 |" "$work/doc/results.md"
grep -q "mean of 2 INT4.*\*\*203.9\*\*" "$work/doc/results.md"
grep -q "measures \*\*another design\*\*, \`edge68\` at 350 MHz" "$work/doc/results.md" # its pick is no edge68
grep -q "^| qwen2.5-0.5b | .* | 100.0% | n/a | n/a | n/a |$" "$work/doc/results.md" # rows of an older bench-models: no GEMV share
grep -q "## Summary" "$work/doc/results.md"
grep -q "(\`edgecim report\`, EdgeCIM $version)" "$work/doc/results.md"
grep -q "snapdragon-8-elite" "$work/doc/results.md"
if command -v gnuplot >/dev/null; then
  for s in tok_s tok_j bw_sweep pareto_fronts; do grep -q "<svg" "$work/doc/img/$s.svg"; done
  grep -q "](img/tok_s.svg)" "$work/doc/results.md"
fi
grep -q "Plots skipped" "$work/none/r.md"
# without gnuplot a report is refused before anything is written (unless --no-plots)
mkdir -p "$work/nognuplot"
ln -sf "$(command -v python3)" "$work/nognuplot/python3"
PATH="$work/nognuplot" "$bin" report $(echo $small | sed 's/--no-plots//') --out "$work/ng/r.md" --img "$work/ng/img" --work "$work/ng/w" 2>"$work/ng.err" && exit 1
grep -q "gnuplot not found" "$work/ng.err" && [ ! -e "$work/ng/r.md" ]
echo "cli smoke: ok"
