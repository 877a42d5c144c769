/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the two halves of the top testbench: the script (edgecim_top_script.c:
 * which GEMVs and register accesses, their data and expected results) and the engine
 * (edgecim_top_tb.c: runs the script one cycle at a time and compares RTL with C model). */
#ifndef EDGECIM_TOP_TB_INT_H
#define EDGECIM_TOP_TB_INT_H
#include <stddef.h>
#include <stdint.h>

#include "ecim_fmt.h"
#include "edgecim_top_tb.h"
#include "tb_rng.h"

/* A_POKE: a backdoor write of the 32-bit word val at DRAM address addr (command lists). */
/* A_VSETUP / A_VCHECK: the same for vector op `addr` (an index into vops). */
/* A_CALL: run a check of the testbench's own (edgecim_top_abuse.c) at that point of the script. */
typedef enum { A_WRITE, A_READ, A_WAIT_IDLE, A_SETUP, A_CHECK, A_MARK, A_POKE, A_VSETUP, A_VCHECK, A_CALL } act_kind_t;

typedef struct action action_t;
struct action {
  act_kind_t kind;
  uint32_t addr, val, mask; /* A_READ: expect (rdata & mask) == val */
  int gemv;                 /* A_SETUP / A_CHECK / A_MARK: index into gemvs */
  const char *what;
  int (*call)(const action_t *a); /* A_CALL: run at its turn in the script; non-zero fails the run */
};

typedef struct {
  int K, N, wbits, batch; /* wbits: the precision used (4 when CMD_FLAGS.WBITS is 0) */
  uint32_t flags;         /* CMD_FLAGS as written */
  uint32_t w, x, y, b;
  int weights_of;         /* RES_USE: the GEMV whose matrix the resident macros hold */
  int lay_k;              /* FULL_BLK: the K its layout is made for (the capacity), else K */
  uint32_t w_stride;      /* CMD_STRIDE: bytes between its column blocks (0: packed) */
  uint32_t pos;           /* TOKEN_POS it runs at (with K_POS / N_POS) */
  const char *name;
  int pushes;             /* times the same descriptor is pushed (0 = 1): ACCUM applies each */
  uint8_t *host;          /* host layout of the matrix (kept while a RES_USE may need it) */
  int64_t *expect;        /* batch x N */
  uint64_t start_cycle, end_cycle, bytes;
} gemv_t;

typedef struct {
  top_tb_opts_t opt;
  ecim_hw_t cfg;
  ecim_geom_t geom;
  int max_k;            /* largest K of one vector: min(ActBytes, MaxK) */
  ecim_top_t *model;
  dram_model_t *dram;
  tb_rng_t rng;
  int status;
  uint64_t cycle;
  action_t *acts;
  int n_acts, cap_acts, pc;
  gemv_t *gemvs;
  int n_gemvs, cap_gemvs;
  uint32_t heap, group_lo; /* DRAM bump allocator; start of the current group's buffers */
  ecim_top_in_t in;        /* inputs driven this cycle */
  int pending_read;        /* steps until the read in flight (read_act) returns its data */
  action_t read_act;
  uint64_t last_progress;
  long checks, outputs_compared, reg_checks, errors_checked;
  int gemvs_checked;       /* GEMVs whose y was checked (progress) */
  int not_run;             /* GEMVs of the script a refused list descriptor stopped */
  struct tb_vop *vops;     /* the vector ops (edgecim_top_vu.c) */
  int n_vops, cap_vops, vops_run;
  int extra_cmds;          /* commands beyond one per GEMV (a descriptor pushed again) */
  int oor_ok;              /* DRAM accesses beyond the memory are expected (edgecim_top_abuse.c) */
  long oor_beats;          /* ... and counted, not failed */
} top_tb_t;

extern top_tb_t tb;

#define TB_HEAP_BASE 0x10000u
#define TB_DESC_WORDS 14  /* descriptor words with a register: CMD_W_ADDR .. CMD_W_BYTES */
#define TB_GUARD     256u /* bytes after every y region that must stay untouched */
#define TB_SENTINEL  0xA5u

/* The script's building blocks (edgecim_top_script.c), shared with edgecim_top_vu.c. */
void *tb_xmalloc(size_t n); /* zeroed; exits on no memory */
action_t *tb_push_act(act_kind_t k);
void tb_wr(uint32_t addr, uint32_t val);
void tb_rd_expect(uint32_t addr, uint32_t val, uint32_t mask, const char *what);
void tb_begin_group(void);      /* the buffers of the GEMVs or ops in flight together start here */
uint32_t tb_alloc(uint32_t bytes); /* a 256-aligned DRAM buffer (the heap wraps between groups) */
void tb_write_desc(const uint32_t w[TB_DESC_WORDS]);
/* A descriptor pushed and refused with code, the error checked and cleared. */
void tb_bad_words(const uint32_t w[TB_DESC_WORDS], int code, const char *what);

/* The vector ops of the script (edgecim_top_vu.c): their scenarios, data and checks. */
void tb_vu_scenarios(void);
void tb_vu_errors(void);
void tb_vu_margins(void);  /* cases that kill mutants random data misses (run last) */
void tb_setup_vop(int i);
int tb_check_vop(int i);

/* Builds the script (edgecim_top_script.c): 0, or -1 with a message printed. */
int tb_build(void);
/* Writes a GEMV's buffers into DRAM (backdoor) and computes its expected y. */
void tb_setup_gemv(gemv_t *g);
/* Compares a finished GEMV's y (and the bytes it must not touch) with the expectation. */
int tb_check_gemv(const gemv_t *g);
void tb_release_gemv(gemv_t *g);

/* Script building blocks (edgecim_top_script.c) for the scenarios in their own files. */
int tb_add_gemv(int K, int N, int wflag, int batch, uint32_t flags, const char *name, int weights_of);
void tb_program(int gi);
void tb_gemv_words(int gi, uint32_t w[TB_DESC_WORDS]); /* its descriptor words as program() writes them */
void tb_poke_desc(uint32_t addr, int gi);               /* its descriptor into DRAM (a list entry) */
void tb_wait_and_check(int first, int last);
void tb_bad_desc(uint32_t w, uint32_t x, uint32_t y, uint32_t b, uint32_t k, uint32_t n, uint32_t flags, int code,
                 const char *what);
/* Functional coverage bins (edgecim_top_fcov.c): a GEMV programmed, a register read, a cycle. */
void tb_fcov_gemv(const gemv_t *g);
void tb_fcov_read(uint32_t addr, uint32_t data);
void tb_fcov_cycle(const top_tb_dut_t *d, const ecim_top_in_t *in);
void tb_fcov_summary(void);
void tb_coverage_scenario(void); /* GEMVs that close coverage gaps */
/* The register-abuse scenario (edgecim_top_abuse.c). */
void tb_abuse_scenario(void);
#endif
