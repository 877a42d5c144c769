/* SPDX-License-Identifier: Apache-2.0 */
/* The 13 SLM presets. Transcribed from shared/data/slm_configs.csv (config.json values). */
#include "slm_config.h"

#include <string.h>

#define LLAMA3_ROPE 32.0, 8192, 1.0, 4.0
#define NO_ROPE_SCALING 0.0, 0, 0.0, 0.0

/* name, arch, hidden, intermediate, layers, heads, kv_heads, head_dim, vocab, tie, max_pos,
 * rope_theta, rms_eps, act, qkv_bias, qk_norm, fused_qkv, nope_interval,
 * rope scaling (factor, original max pos, low, high), wbits */
const slm_config_t slm_presets[] = {
  {"tinyllama-1.1b", SLM_ARCH_LLAMA, 2048, 5632, 22, 32, 4, 64, 32000, 0, 2048,
   10000.0, 1e-5, SLM_ACT_SILU, 0, 0, 0, 0, NO_ROPE_SCALING, 4},
  {"llama3.2-1b", SLM_ARCH_LLAMA, 2048, 8192, 16, 32, 8, 64, 128256, 1, 131072,
   500000.0, 1e-5, SLM_ACT_SILU, 0, 0, 0, 0, LLAMA3_ROPE, 4},
  {"llama3.2-3b", SLM_ARCH_LLAMA, 3072, 8192, 28, 24, 8, 128, 128256, 1, 131072,
   500000.0, 1e-5, SLM_ACT_SILU, 0, 0, 0, 0, LLAMA3_ROPE, 4},
  {"phi3.5-mini", SLM_ARCH_PHI3, 3072, 8192, 32, 32, 32, 96, 32064, 0, 131072,
   10000.0, 1e-5, SLM_ACT_SILU, 0, 0, 1, 0, 0.0, 4096, 0.0, 0.0, 4},
  {"qwen2.5-0.5b", SLM_ARCH_QWEN2, 896, 4864, 24, 14, 2, 64, 151936, 1, 32768,
   1000000.0, 1e-6, SLM_ACT_SILU, 1, 0, 0, 0, NO_ROPE_SCALING, 4},
  {"qwen2.5-1.5b", SLM_ARCH_QWEN2, 1536, 8960, 28, 12, 2, 128, 151936, 1, 32768,
   1000000.0, 1e-6, SLM_ACT_SILU, 1, 0, 0, 0, NO_ROPE_SCALING, 4},
  {"qwen2.5-3b", SLM_ARCH_QWEN2, 2048, 11008, 36, 16, 2, 128, 151936, 1, 32768,
   1000000.0, 1e-6, SLM_ACT_SILU, 1, 0, 0, 0, NO_ROPE_SCALING, 4},
  {"smollm2-1.7b", SLM_ARCH_LLAMA, 2048, 8192, 24, 32, 32, 64, 49152, 1, 8192,
   130000.0, 1e-5, SLM_ACT_SILU, 0, 0, 0, 0, NO_ROPE_SCALING, 4},
  {"smollm3-3b", SLM_ARCH_SMOLLM3, 2048, 11008, 36, 16, 4, 128, 128256, 1, 65536,
   5000000.0, 1e-6, SLM_ACT_SILU, 0, 0, 0, 4, NO_ROPE_SCALING, 4},
  {"qwen3-0.6b", SLM_ARCH_QWEN3, 1024, 3072, 28, 16, 8, 128, 151936, 1, 40960,
   1000000.0, 1e-6, SLM_ACT_SILU, 0, 1, 0, 0, NO_ROPE_SCALING, 4},
  {"qwen3-1.7b", SLM_ARCH_QWEN3, 2048, 6144, 28, 16, 8, 128, 151936, 1, 40960,
   1000000.0, 1e-6, SLM_ACT_SILU, 0, 1, 0, 0, NO_ROPE_SCALING, 4},
  /* rope_theta and rms_eps of qwen3-4b are unconfirmed (not read from a primary config.json). */
  {"qwen3-4b", SLM_ARCH_QWEN3, 2560, 9728, 36, 32, 8, 128, 151936, 1, 40960,
   1000000.0, 1e-6, SLM_ACT_SILU, 0, 1, 0, 0, NO_ROPE_SCALING, 4},
  {"bitnet-b1.58-2b", SLM_ARCH_BITNET, 2560, 6912, 30, 20, 5, 128, 128256, 1, 4096,
   500000.0, 1e-5, SLM_ACT_RELU2, 0, 0, 0, 0, NO_ROPE_SCALING, 2},
};

const int slm_n_presets = (int)(sizeof slm_presets / sizeof slm_presets[0]);

const slm_config_t *slm_preset_find(const char *name) {
  if (!name) return 0;
  for (int i = 0; i < slm_n_presets; i++)
    if (strcmp(slm_presets[i].name, name) == 0) return &slm_presets[i];
  return 0;
}

int slm_is_int4_target(const slm_config_t *cfg) { return cfg && cfg->wbits == 4; }

int slm_layer_has_rope(const slm_config_t *cfg, int layer) {
  return !(cfg->nope_interval > 0 && (layer + 1) % cfg->nope_interval == 0);
}

long long slm_linear_params(const slm_config_t *c) {
  long long h = c->hidden, qd = (long long)c->heads * c->head_dim;
  long long kvd = (long long)c->kv_heads * c->head_dim;
  long long per_layer = h * (qd + 2 * kvd) + qd * h + 3 * h * c->intermediate;
  return per_layer * c->layers + h * c->vocab;
}

long long slm_total_params(const slm_config_t *c) {
  long long h = c->hidden, qd = (long long)c->heads * c->head_dim;
  long long kvd = (long long)c->kv_heads * c->head_dim;
  long long norms = 2 * h; /* attention and FFN RMSNorm weights */
  if (c->qk_norm) norms += 2LL * c->head_dim;
  if (c->arch == SLM_ARCH_BITNET) norms += qd + c->intermediate; /* sub-layer norms */
  long long bias = c->qkv_bias ? qd + 2 * kvd : 0;
  long long total = slm_linear_params(c) + (norms + bias) * c->layers + h /* final norm */;
  if (!c->tie_embeddings) total += h * c->vocab; /* separate input embedding */
  return total;
}
