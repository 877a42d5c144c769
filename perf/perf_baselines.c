/* SPDX-License-Identifier: Apache-2.0 */
/* Published decode throughput of INT4 SLMs on edge platforms (batch 1) with each platform's DRAM
 * bandwidth. Transcribed from shared/data/edge_baselines.csv. */
#include "perf_baselines.h"

#define NV_BLOG "NVIDIA Jetson Orin Nano Super announcement blog"
#define QC_HUB "Qualcomm AI Hub models perf.yaml"

const perf_baseline_t perf_baselines[] = {
  {"jetson-orin-nano-8gb", 68, "llama3.2-3b", "MLC INT4", 27.7, NV_BLOG " (before Super)"},
  {"jetson-orin-nano-super", 102, "llama3.2-3b", "MLC INT4", 43.07, NV_BLOG},
  {"jetson-orin-nano-8gb", 68, "phi3.5-mini", "MLC INT4", 24.7, NV_BLOG " (before Super)"},
  {"jetson-orin-nano-super", 102, "phi3.5-mini", "MLC INT4", 38.1, NV_BLOG},
  {"jetson-orin-nano-8gb", 68, "smollm2-1.7b", "MLC INT4", 41, NV_BLOG " (before Super)"},
  {"jetson-orin-nano-super", 102, "smollm2-1.7b", "MLC INT4", 64.5, NV_BLOG},
  {"qualcomm-sa8255p", 76.8, "llama3.2-3b", "QNN w4a16", 14.02, QC_HUB " (v0.29)"},
  {"snapdragon-8-elite", 84.8, "llama3.2-1b", "Genie w4a16", 53.6, QC_HUB},
  {"snapdragon-8-elite", 84.8, "llama3.2-3b", "Genie w4a16", 23.5, QC_HUB},
  {"snapdragon-8-elite", 84.8, "phi3.5-mini", "Genie w4", 14.7, QC_HUB},
};

const int perf_n_baselines = (int)(sizeof perf_baselines / sizeof perf_baselines[0]);
