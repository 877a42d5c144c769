// SPDX-License-Identifier: Apache-2.0
// Types shared by the modules of the vector unit (rtl/edgecim_vu.sv): the command as the unit
// registers it, the position in its program and the slot of that position. They mirror
// cmodel/ecim_vu.h (vu_cmd_t, vu_pc_t, vu_slot_t) field by field.
package vu_pkg;
  localparam int unsigned SegBits   = 9;   // segments: COUNT <= MaxSegs = 256
  localparam int unsigned ChunkBits = 9;   // chunks of a pass: <= 256 (LEN <= 65535, chunk >= 256)

  // Slot kinds (VS_*).
  typedef enum logic [3:0] {
    SlotEnd     = 4'd0,
    SlotLoad    = 4'd1,
    SlotCompute = 4'd2,
    SlotScalar  = 4'd3,
    SlotQscale  = 4'd4,
    SlotQcodes  = 4'd5,
    SlotStore   = 4'd6,
    SlotSstore  = 4'd7,
    SlotScatter = 4'd8
  } slot_kind_e;

  // Compute kinds of COMPUTE and SCALAR slots (VC_*).
  typedef enum logic [3:0] {
    CompEmbed  = 4'd0,
    CompSs     = 4'd1,
    CompApply  = 4'd2,
    CompRope   = 4'd3,
    CompMax    = 4'd4,
    CompExpsum = 4'd5,
    CompExpout = 4'd6,
    CompGate   = 4'd7,
    CompCopy   = 4'd8,
    CompVmod   = 4'd9,
    CompRsqrt  = 4'd10,
    CompRecip  = 4'd11
  } comp_e;

  // Banks (VB_*): A..T, the row registers RQ/RS, A and D together, none.
  typedef enum logic [3:0] {
    BankA    = 4'd0,
    BankB    = 4'd1,
    BankC    = 4'd2,
    BankD    = 4'd3,
    BankT    = 4'd4,
    BankRq   = 4'd5,
    BankRs   = 4'd6,
    BankAd   = 4'd7,
    BankNone = 4'd8
  } bank_e;

  // The descriptor fields the unit uses (edgecim_pkg::cmd_desc_t without b_addr).
  typedef struct packed {
    logic [3:0]  op;
    logic [31:0] src0;     // w_addr
    logic [31:0] src1;     // x_addr
    logic [31:0] dst;      // y_addr
    logic [31:0] stride;
    logic [31:0] dstride;
    logic [31:0] p0;
    logic [31:0] p1;
    logic [27:0] flags;
    logic [15:0] len;      // k
    logic [23:0] count;    // n
    logic [15:0] pos;
    logic [31:0] token;
  } cmd_t;

  typedef struct packed {
    logic [SegBits-1:0]   seg;
    logic [1:0]           pass;
    logic [ChunkBits-1:0] chunk;
    logic [2:0]           slot;
  } pc_t;

  typedef struct packed {
    logic [31:0] addr;
    logic [31:0] bytes;
    bank_e       bank;
  } region_t;
  localparam int unsigned RegionBits = 32 + 32 + 4;   // $bits(region_t)

  typedef struct packed {
    slot_kind_e  kind;
    logic        enabled;    // a disabled slot takes one cycle and does nothing
    region_t     r0;         // LOAD: two regions; STORE/SSTORE: r0
    region_t     r1;
    comp_e       compute;
    logic        vscale;     // SCATTER: VAPPEND's scale writes (else KAPPEND's words)
    logic        first;      // COMPUTE: the first chunk of a pass (the accumulators start)
    logic [1:0]  out_fmt;    // COMPUTE: edgecim_pkg::vu_fmt_e
    logic        to_rows;    // QSCALE/QCODES: into the row registers
    logic        row_mode;   // COMPUTE/QSCALE/QCODES: one scale for the row (VAPPEND)
    logic [15:0] n;          // elements (COMPUTE, QCODES), groups (QSCALE), writes (SCATTER)
    logic [31:0] elem0;      // the chunk's first element in its segment
    logic [15:0] scale_off;  // QSCALE: bank D index of the chunk's first group scale
  } slot_t;

  // VU_FLAGS fields of a command.
  function automatic logic flag_x_f32(logic [27:0] f);
    flag_x_f32 = f[edgecim_reg_pkg::VU_FLAGS_X_F32_LSB];
  endfunction
  function automatic logic [1:0] flag_out_fmt(logic [27:0] f);
    flag_out_fmt = f[edgecim_reg_pkg::VU_FLAGS_OUT_FMT_LSB +: 2];
  endfunction
  function automatic logic flag_neox(logic [27:0] f);
    flag_neox = f[edgecim_reg_pkg::VU_FLAGS_NEOX_LSB];
  endfunction
  function automatic logic [1:0] flag_gate(logic [27:0] f);
    flag_gate = f[edgecim_reg_pkg::VU_FLAGS_GATE_LSB +: 2];
  endfunction
  function automatic logic flag_vscale(logic [27:0] f);
    flag_vscale = f[edgecim_reg_pkg::VU_FLAGS_VSCALE_LSB];
  endfunction
  function automatic logic flag_concat(logic [27:0] f);
    flag_concat = f[edgecim_reg_pkg::VU_FLAGS_CONCAT_LSB];
  endfunction
  function automatic logic flag_qx_in(logic [27:0] f);
    flag_qx_in = f[edgecim_reg_pkg::VU_FLAGS_QX_IN_LSB];
  endfunction
endpackage
