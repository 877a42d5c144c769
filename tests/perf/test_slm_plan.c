/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of sw/slm_config and sw/slm_plan: presets, op counts and order, GEMV parameter
 * totals against the linear-layer parameter counts and published checkpoint sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slm_config.h"
#include "slm_plan.h"

static int failures;
#define CHECK(cond, ...)                                             \
  do {                                                               \
    if (!(cond)) {                                                   \
      failures++;                                                    \
      printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);         \
      printf(__VA_ARGS__);                                           \
      printf("\n");                                                  \
    }                                                                \
  } while (0)

/* Expected op count per decode step, derived independently of slm_plan.c. */
static int expected_ops(const slm_config_t *c) {
  int per_layer = 1 /*norm*/ + 2 /*quant+qkv*/ + 1 /*kv write*/ + 1 /*attn*/ + 2 /*quant+o*/ +
                  1 /*add*/ + 1 /*norm*/ + 2 /*quant+gate_up*/ + 1 /*act*/ + 2 /*quant+down*/ +
                  1 /*add*/;
  int total = 1 /*embed*/ + 4 /*final norm, quant, lm head, sample*/;
  total += per_layer * c->layers;
  if (c->qkv_bias) total += c->layers;
  if (c->qk_norm) total += c->layers;
  if (c->arch == SLM_ARCH_BITNET) total += 2 * c->layers;
  int rope_layers = c->layers;
  if (c->nope_interval > 0) rope_layers -= c->layers / c->nope_interval;
  return total + rope_layers;
}

static void test_presets(void) {
  CHECK(slm_n_presets == 13, "%d presets", slm_n_presets);
  int int4 = 0;
  for (int i = 0; i < slm_n_presets; i++) {
    const slm_config_t *c = &slm_presets[i];
    CHECK(slm_preset_find(c->name) == c, "%s", c->name);
    int4 += slm_is_int4_target(c);
    CHECK(c->heads % c->kv_heads == 0, "%s GQA", c->name);
  }
  CHECK(int4 == 12, "%d INT4 targets", int4);
  CHECK(slm_preset_find("nope") == NULL, "unknown name");
  CHECK(slm_preset_find(NULL) == NULL, "NULL name");
  const slm_config_t *b = slm_preset_find("bitnet-b1.58-2b");
  CHECK(b && b->wbits == 2 && b->act == SLM_ACT_RELU2 && !slm_is_int4_target(b), "bitnet");
  const slm_config_t *s = slm_preset_find("smollm3-3b");
  CHECK(s && !slm_layer_has_rope(s, 3) && !slm_layer_has_rope(s, 35) && slm_layer_has_rope(s, 0) &&
            slm_layer_has_rope(s, 4),
        "smollm3 nope layers");
  const slm_config_t *l = slm_preset_find("llama3.2-1b");
  CHECK(l && l->rope_scale_factor == 32.0 && l->rope_orig_max_pos == 8192 &&
            l->rope_high_freq_factor == 4.0,
        "llama3 rope");
  CHECK(slm_preset_find("qwen2.5-3b")->qkv_bias && slm_preset_find("qwen3-4b")->qk_norm &&
            slm_preset_find("phi3.5-mini")->fused_qkv,
        "arch flags");
}

/* Published parameter counts of the Hugging Face checkpoints (safetensors metadata). */
static void test_published_totals(void) {
  static const struct { const char *name; long long params; } pub[] = {
    {"tinyllama-1.1b", 1100048384LL}, {"llama3.2-1b", 1235814400LL},
    {"qwen2.5-0.5b", 494032768LL},    {"qwen3-0.6b", 596049920LL},
  };
  for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
    const slm_config_t *c = slm_preset_find(pub[i].name);
    CHECK(c && slm_total_params(c) == pub[i].params, "%s: %lld != %lld", pub[i].name,
          c ? slm_total_params(c) : -1LL, pub[i].params);
  }
}

static void test_plan(const slm_config_t *c) {
  int n = slm_plan_decode(c, 0, NULL, 0);
  CHECK(n == expected_ops(c), "%s: %d ops, expected %d", c->name, n, expected_ops(c));
  CHECK(n == slm_plan_count(c), "%s count", c->name);
  slm_op_t *ops = calloc((size_t)n, sizeof *ops);
  CHECK(slm_plan_decode(c, 5, ops, n - 1) == n, "%s too small returns need", c->name);
  CHECK(ops[0].kind == 0 && ops[0].len == 0, "%s: nothing written when too small", c->name);
  CHECK(slm_plan_decode(c, 5, ops, n) == n, "%s fill", c->name);

  long long params = 0;
  int gemvs = 0, attn = 0;
  for (int i = 0; i < n; i++) {
    const slm_op_t *op = &ops[i];
    if (op->kind == SLM_OP_GEMV) {
      params += (long long)op->k * op->n;
      gemvs++;
      CHECK(i > 0 && ops[i - 1].kind == SLM_OP_QUANT_ACT && ops[i - 1].len == op->k,
            "%s op %d: GEMV not preceded by its QUANT_ACT", c->name, i);
      CHECK(op->weight >= SLM_W_QKV && op->weight < SLM_W_COUNT, "%s weight id", c->name);
    } else {
      CHECK(op->weight == SLM_W_NONE, "%s op %d weight on non-GEMV", c->name, i);
    }
    if (op->kind == SLM_OP_ATTENTION) {
      attn++;
      CHECK(op->ctx == 6 && op->heads == c->heads && op->kv_heads == c->kv_heads &&
                op->head_dim == c->head_dim,
            "%s attention params", c->name);
    }
    CHECK(op->layer >= -1 && op->layer < c->layers, "%s layer", c->name);
  }
  CHECK(params == slm_linear_params(c), "%s GEMV params %lld != linear %lld", c->name, params,
        slm_linear_params(c));
  CHECK(gemvs == 4 * c->layers + 1, "%s gemvs %d", c->name, gemvs);
  CHECK(attn == c->layers, "%s attention ops", c->name);
  CHECK(ops[0].kind == SLM_OP_EMBED && ops[n - 1].kind == SLM_OP_SAMPLE &&
            ops[n - 2].kind == SLM_OP_GEMV && ops[n - 2].weight == SLM_W_LM_HEAD &&
            ops[n - 2].n == c->vocab,
        "%s head/tail", c->name);
  /* Layer 0 order. */
  int i = 1;
  CHECK(ops[i].kind == SLM_OP_RMSNORM && ops[i].norm == SLM_NORM_ATTN, "%s norm", c->name);
  i += 3;
  CHECK(ops[i - 1].weight == SLM_W_QKV &&
            ops[i - 1].n == (c->heads + 2 * c->kv_heads) * c->head_dim,
        "%s qkv", c->name);
  if (c->qkv_bias) CHECK(ops[i++].kind == SLM_OP_QKV_BIAS, "%s bias", c->name);
  if (c->qk_norm) CHECK(ops[i++].kind == SLM_OP_QK_NORM, "%s qk norm", c->name);
  CHECK(ops[i++].kind == SLM_OP_ROPE, "%s rope", c->name);
  CHECK(ops[i++].kind == SLM_OP_KV_WRITE, "%s kv", c->name);
  CHECK(ops[i++].kind == SLM_OP_ATTENTION, "%s attention", c->name);
  if (c->arch == SLM_ARCH_BITNET)
    CHECK(ops[i++].norm == SLM_NORM_ATTN_SUB, "%s sub norm", c->name);
  CHECK(ops[i].kind == SLM_OP_QUANT_ACT && ops[i + 1].weight == SLM_W_O &&
            ops[i + 1].k == c->heads * c->head_dim && ops[i + 1].n == c->hidden,
        "%s o proj", c->name);
  free(ops);
}

static void test_errors(void) {
  slm_config_t bad = slm_presets[0];
  bad.kv_heads = 3;
  CHECK(slm_plan_decode(&bad, 0, NULL, 0) == SLM_PLAN_EINVAL, "inconsistent config");
  CHECK(slm_plan_decode(NULL, 0, NULL, 0) == SLM_PLAN_EINVAL, "NULL cfg");
  CHECK(slm_plan_decode(&slm_presets[0], -1, NULL, 0) == SLM_PLAN_EINVAL, "negative pos");
  CHECK(strcmp(slm_op_name(SLM_OP_SILU_MUL), "SILU_MUL") == 0, "name");
  CHECK(strcmp(slm_op_name(SLM_OP_KIND_COUNT), "?") == 0, "bad name");
  CHECK(strcmp(slm_weight_name(SLM_W_GATE_UP), "GATE_UP") == 0, "weight name");
}

int main(void) {
  test_presets();
  test_published_totals();
  for (int i = 0; i < slm_n_presets; i++) test_plan(&slm_presets[i]);
  test_errors();
  printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
  return failures ? 1 : 0;
}
