# SPDX-License-Identifier: Apache-2.0
# Yosys script used by the FuseSoC synth target (edalize renders edalize_yosys_procs.tcl with
# the file list and parameters). Generic gate-level synthesis of edgecim_top, as `make synth`
# does: hierarchical, the SRAM model read as a blackbox.
yosys -import
source edalize_yosys_procs.tcl
read_verilog -sv -lib edgecim_sram_blackbox.sv edgecim_sram_be_blackbox.sv
verilog_defaults -push
verilog_defaults -add -defer
set_defines
set_incdirs
read_files
set_params
verilog_defaults -pop
yosys hierarchy -check -top edgecim_top
yosys synth -top edgecim_top
yosys stat -top edgecim_top
yosys write_json edgecim_accel_edgecim_0.1.0.json
