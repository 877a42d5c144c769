#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# FuseSoC pre_build hook of the sim targets: builds the plain-C part of the testbench (the C
# models, stimulus/scoreboard and DPI shim: the target's cSource files, as edalize lists them in
# the .vc file of the work root, with their include dirs) as C11, by cc, into the library the
# Verilator harness links (the `libs` of the target in edgecim_dv.core). The cores are the one
# file list: nothing is named here.  edalize also hands those files to Verilator, whose makefile
# would compile them as C++ (which they are not) into <name>.o in this directory: the objects
# built here, compiled as C and newer than their sources, are the ones it finds and links.
set -e
vc=$(ls ./*.vc | head -n 1)
[ -f "$vc" ] || { echo "fusesoc_prebuild: no .vc file in $(pwd)" >&2; exit 1; }
case "$(sed -n 's/^--top-module //p' "$vc")" in
  tb_cim_macro)   lib=libcim_macro_tb.a ;;
  tb_edgecim_top) lib=libedgecim_top_tb.a ;;
  tb_edgecim_vu)  lib=libedgecim_vu_tb.a ;;
  tb_vf)          lib=libvf_tb.a ;;
  *) echo "fusesoc_prebuild: unknown top module in $vc" >&2; exit 1 ;;
esac
vroot=$(verilator --getenv VERILATOR_ROOT)
incs=$(sed -n 's/^-CFLAGS \(-I.*\)$/\1/p' "$vc" | tr '\n' ' ')
rm -rf cbuild/obj && mkdir -p cbuild/obj cbuild/sim
for f in $(grep -E '\.c$' "$vc"); do
  o=$(basename "$f" .c).o
  # shellcheck disable=SC2086
  ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $incs -I"$vroot/include/vltstd" -c "$f" -o "$o"
  cp "$o" cbuild/obj/
done
rm -f "cbuild/sim/$lib" && ar rcs "cbuild/sim/$lib" cbuild/obj/*.o
echo "fusesoc_prebuild: cbuild/sim/$lib from $(grep -cE '\.c$' "$vc") C files of $vc"
