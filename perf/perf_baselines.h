/* SPDX-License-Identifier: Apache-2.0 */
/* Published reference figures, transcribed from shared/data/edge_baselines.csv and
 * shared/data/edgecim_paper.csv (compiled in; nothing is read at run time). */
#ifndef PERF_BASELINES_H
#define PERF_BASELINES_H

typedef struct {
  const char *platform;
  double dram_gb_s;
  const char *model; /* slm preset name */
  const char *runtime;
  double tok_s;      /* published decode tokens/s, batch 1 */
  const char *source;
} perf_baseline_t;

extern const perf_baseline_t perf_baselines[];
extern const int perf_n_baselines;

/* EdgeCIM paper (arXiv 2604.11512, abstract) and TOM (arXiv 2602.20662). */
#define PAPER_AVG_TOK_S 336.42          /* average over the 12 INT4 SLMs */
#define PAPER_AVG_TOK_J 173.02
#define PAPER_SPEEDUP_ORIN_NANO 7.3     /* llama3.2-1b throughput, "up to" */
#define PAPER_EFF_ORIN_NANO 49.59       /* llama3.2-1b tokens/J, "up to" */
#define PAPER_SPEEDUP_SA8255P 9.95      /* llama3.2-3b throughput */
#define PAPER_MACRO_NODE_NM 65
#define TOM_BITNET2B_TOK_S 3306.0       /* TOM ternary ROM-SRAM accelerator, BitNet-2B */
#define PAPER_REF "arXiv 2604.11512"
#define TOM_REF "arXiv 2602.20662"

#endif
