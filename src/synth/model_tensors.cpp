#include "synth/model_tensors.hpp"

#include <cmath>

#include "engine/errors.hpp"

namespace hf::engine::synth {
namespace {

// Scales chosen so that outputs are clearly non-uniform at any size: projections keep unit
// variance (gain / sqrt(fan_in)), and embeddings give logits with a standard deviation near 2
// when used as a tied LM head.
constexpr float k_gain = 1.5f;
constexpr float k_bias_std = 0.02f;
constexpr float k_norm_std = 0.1f;

struct spec_list {
  std::vector<tensor_spec> specs;
  void embedding(const std::string& name, size_t rows, size_t dim) {
    specs.push_back({name, {rows, dim}, init_kind::uniform, 2.0f / std::sqrt(static_cast<float>(dim))});
  }
  // shape as stored: [out, in] (Linear) or [in, out] (Conv1D)
  void linear(const std::string& name, size_t in, size_t out, bool bias, bool conv1d = false) {
    specs.push_back({name + ".weight", conv1d ? shape_t{in, out} : shape_t{out, in}, init_kind::uniform,
                     k_gain / std::sqrt(static_cast<float>(in))});
    if (bias) specs.push_back({name + ".bias", {out}, init_kind::uniform, k_bias_std});
  }
  void norm(const std::string& name, size_t dim, bool bias) {
    specs.push_back({name + ".weight", {dim}, init_kind::around_one, k_norm_std});
    if (bias) specs.push_back({name + ".bias", {dim}, init_kind::uniform, k_bias_std});
  }
};

std::vector<tensor_spec> gpt2(const json_config& c) {
  const size_t h = c.get_size("n_embd"), layers = c.get_size("n_layer"), inner = c.get_size("n_inner", 4 * h);
  spec_list s;
  s.embedding("transformer.wte.weight", c.get_size("vocab_size"), h);
  s.embedding("transformer.wpe.weight", c.get_size("n_positions"), h);
  for (size_t l = 0; l < layers; ++l) {
    const std::string b = "transformer.h." + std::to_string(l) + ".";
    s.norm(b + "ln_1", h, true);
    s.linear(b + "attn.c_attn", h, 3 * h, true, true);
    s.linear(b + "attn.c_proj", h, h, true, true);
    s.norm(b + "ln_2", h, true);
    s.linear(b + "mlp.c_fc", h, inner, true, true);
    s.linear(b + "mlp.c_proj", inner, h, true, true);
  }
  s.norm("transformer.ln_f", h, true);
  return s.specs;
}

std::vector<tensor_spec> llama(const json_config& c, bool qwen2) {
  const size_t h = c.get_size("hidden_size"), layers = c.get_size("num_hidden_layers");
  const size_t heads = c.get_size("num_attention_heads"), kv = c.get_size("num_key_value_heads", heads);
  const size_t hd = c.get_size("head_dim", h / heads), inter = c.get_size("intermediate_size");
  const size_t vocab = c.get_size("vocab_size");
  const bool qkv_bias = qwen2 || c.get_bool("attention_bias", false);
  const bool o_bias = !qwen2 && c.get_bool("attention_bias", false);
  const bool mlp_bias = c.get_bool("mlp_bias", false);
  spec_list s;
  s.embedding("model.embed_tokens.weight", vocab, h);
  for (size_t l = 0; l < layers; ++l) {
    const std::string b = "model.layers." + std::to_string(l) + ".";
    s.norm(b + "input_layernorm", h, false);
    s.linear(b + "self_attn.q_proj", h, heads * hd, qkv_bias);
    s.linear(b + "self_attn.k_proj", h, kv * hd, qkv_bias);
    s.linear(b + "self_attn.v_proj", h, kv * hd, qkv_bias);
    s.linear(b + "self_attn.o_proj", heads * hd, h, o_bias);
    s.norm(b + "post_attention_layernorm", h, false);
    s.linear(b + "mlp.gate_proj", h, inter, mlp_bias);
    s.linear(b + "mlp.up_proj", h, inter, mlp_bias);
    s.linear(b + "mlp.down_proj", inter, h, mlp_bias);
  }
  s.norm("model.norm", h, false);
  if (!c.get_bool("tie_word_embeddings", false))
    s.specs.push_back({"lm_head.weight", {vocab, h}, init_kind::uniform, 2.0f / std::sqrt(static_cast<float>(h))});
  return s.specs;
}

std::vector<tensor_spec> bert(const json_config& c, bool classifier) {
  const size_t h = c.get_size("hidden_size"), layers = c.get_size("num_hidden_layers");
  const size_t inter = c.get_size("intermediate_size");
  const std::string p = classifier ? "bert." : "";
  spec_list s;
  s.embedding(p + "embeddings.word_embeddings.weight", c.get_size("vocab_size"), h);
  s.embedding(p + "embeddings.position_embeddings.weight", c.get_size("max_position_embeddings"), h);
  s.embedding(p + "embeddings.token_type_embeddings.weight", c.get_size("type_vocab_size", 2), h);
  s.norm(p + "embeddings.LayerNorm", h, true);
  for (size_t l = 0; l < layers; ++l) {
    const std::string b = p + "encoder.layer." + std::to_string(l) + ".";
    s.linear(b + "attention.self.query", h, h, true);
    s.linear(b + "attention.self.key", h, h, true);
    s.linear(b + "attention.self.value", h, h, true);
    s.linear(b + "attention.output.dense", h, h, true);
    s.norm(b + "attention.output.LayerNorm", h, true);
    s.linear(b + "intermediate.dense", h, inter, true);
    s.linear(b + "output.dense", inter, h, true);
    s.norm(b + "output.LayerNorm", h, true);
  }
  s.linear(p + "pooler.dense", h, h, true);
  if (classifier) {
    const auto labels = c.get_label_map("id2label");
    s.linear("classifier", h, labels.empty() ? c.get_size("num_labels", 2) : labels.size(), true);
  }
  return s.specs;
}

}  // namespace

std::vector<tensor_spec> model_tensors(const json_config& cfg) {
  const auto archs = cfg.get_string_list("architectures");
  const std::string arch = archs.empty() ? "" : archs.front();
  if (arch == "GPT2LMHeadModel") return gpt2(cfg);
  if (arch == "LlamaForCausalLM" || arch == "MistralForCausalLM") return llama(cfg, false);
  if (arch == "Qwen2ForCausalLM") return llama(cfg, true);
  if (arch == "BertModel") return bert(cfg, false);
  if (arch == "BertForSequenceClassification") return bert(cfg, true);
  throw input_error("make-model: cannot synthesise architecture \"" + arch +
                    "\" (GPT2LMHeadModel, LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, BertModel, "
                    "BertForSequenceClassification)");
}

}  // namespace hf::engine::synth
