# Yosys script used by the FuseSoC synth target (edalize renders edalize_yosys_procs.tcl with
# the file list and parameters). Generic gate-level synthesis, as `make synth` does.
yosys -import
source edalize_yosys_procs.tcl
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
