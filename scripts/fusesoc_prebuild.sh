#!/bin/sh
# FuseSoC pre_build hook of the sim targets: builds the plain-C testbench libraries (C11, by cc)
# into the work root, where the Verilator harness links them. FuseSoC gives FILES_ROOT relative
# to the core's build directory (exported tree) or absolute (--no-export).
set -e
src=
for d in "$FILES_ROOT" "../$FILES_ROOT"; do
  if [ -f "$d/tb/cim_macro_tb.c" ]; then src=$d; break; fi
done
[ -n "$src" ] || { echo "fusesoc_prebuild: sources not found under FILES_ROOT=$FILES_ROOT" >&2; exit 1; }
vroot=$(verilator --getenv VERILATOR_ROOT)
build() {  # build LIB SOURCES...
  lib=$1; shift
  rm -rf cbuild/obj && mkdir -p cbuild/obj cbuild/sim
  for f in "$@"; do
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$src/cmodel" -I"$src/tb" -I"$src/sw" \
      -I"$vroot/include/vltstd" -c "$src/$f" -o "cbuild/obj/$(basename "$f" .c).o"
  done
  rm -f "cbuild/sim/$lib" && ar rcs "cbuild/sim/$lib" cbuild/obj/*.o
}
build libcim_macro_tb.a cmodel/cim_macro.c tb/cim_macro_tb.c tb/cim_macro_dpi.c
build libvf_tb.a cmodel/ecim_vf.c tb/vf_stim.c tb/vf_tb.c tb/vf_dpi.c
build libedgecim_top_tb.a cmodel/cim_macro.c cmodel/dram_model.c cmodel/ecim_gemv.c \
  cmodel/edgecim_model.c tb/edgecim_top_tb.c tb/edgecim_top_dpi.c
