#!/bin/sh
# FuseSoC pre_build hook of the sim target: builds the plain-C testbench library (C11, by cc)
# into the work root, where the Verilator harness links it. FuseSoC gives FILES_ROOT relative
# to the core's build directory (exported tree) or absolute (--no-export).
set -e
src=
for d in "$FILES_ROOT" "../$FILES_ROOT"; do
  if [ -f "$d/tb/cim_macro_tb.c" ]; then src=$d; break; fi
done
[ -n "$src" ] || { echo "fusesoc_prebuild: sources not found under FILES_ROOT=$FILES_ROOT" >&2; exit 1; }
vroot=$(verilator --getenv VERILATOR_ROOT)
mkdir -p cbuild/sim/obj
for f in cmodel/cim_macro.c tb/cim_macro_tb.c tb/cim_macro_dpi.c; do
  ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$src/cmodel" -I"$src/tb" -I"$vroot/include/vltstd" \
    -c "$src/$f" -o "cbuild/sim/obj/$(basename "$f" .c).o"
done
ar rcs cbuild/sim/libcim_macro_tb.a cbuild/sim/obj/*.o
