#include "synth/presets.hpp"

#include "engine/errors.hpp"

namespace hf::engine::synth {
namespace {

nlohmann::json gpt2(size_t embd, size_t layers, size_t heads, size_t positions, size_t vocab) {
  return {{"architectures", {"GPT2LMHeadModel"}}, {"model_type", "gpt2"}, {"activation_function", "gelu_new"},
          {"n_embd", embd}, {"n_layer", layers}, {"n_head", heads}, {"n_inner", nullptr},
          {"n_positions", positions}, {"n_ctx", positions}, {"vocab_size", vocab},
          {"layer_norm_epsilon", 1e-5}, {"scale_attn_weights", true}, {"tie_word_embeddings", true},
          {"torch_dtype", "float32"}};
}

nlohmann::json llama(const char* arch, const char* type, size_t hidden, size_t layers, size_t heads, size_t kv,
                     size_t inter, size_t positions, size_t vocab, double theta, bool tied) {
  return {{"architectures", {arch}}, {"model_type", type}, {"hidden_act", "silu"},
          {"hidden_size", hidden}, {"num_hidden_layers", layers}, {"num_attention_heads", heads},
          {"num_key_value_heads", kv}, {"intermediate_size", inter}, {"max_position_embeddings", positions},
          {"vocab_size", vocab}, {"rms_norm_eps", 1e-6}, {"rope_theta", theta}, {"rope_scaling", nullptr},
          {"tie_word_embeddings", tied}, {"attention_bias", false}, {"mlp_bias", false},
          {"torch_dtype", "float32"}};
}

nlohmann::json bert(size_t hidden, size_t layers, size_t heads, size_t inter, size_t vocab) {
  return {{"architectures", {"BertModel"}}, {"model_type", "bert"}, {"hidden_act", "gelu"},
          {"hidden_size", hidden}, {"num_hidden_layers", layers}, {"num_attention_heads", heads},
          {"intermediate_size", inter}, {"max_position_embeddings", 512}, {"type_vocab_size", 2},
          {"vocab_size", vocab}, {"layer_norm_eps", 1e-12}, {"position_embedding_type", "absolute"},
          {"pad_token_id", 0}, {"torch_dtype", "float32"}};
}

// A cross-encoder (sentence-transformers CrossEncoder / BGE reranker shape): BERT with a one-label
// sequence-classification head scoring (query, document) pairs given as two segments.
nlohmann::json cross_encoder(size_t hidden, size_t layers, size_t heads, size_t inter, size_t vocab) {
  nlohmann::json c = bert(hidden, layers, heads, inter, vocab);
  c["architectures"] = {"BertForSequenceClassification"};
  c["id2label"] = {{"0", "LABEL_0"}};
  c["label2id"] = {{"LABEL_0", 0}};
  return c;
}

}  // namespace

std::vector<std::string> preset_names(const std::string& arch) {
  if (arch == "gpt2") return {"tiny", "gpt2-small"};
  if (arch == "llama") return {"tiny", "llama-0.5b"};
  if (arch == "qwen2") return {"tiny", "qwen2-0.5b"};
  if (arch == "bert") return {"tiny", "bert-base", "cross-encoder-tiny", "cross-encoder-base"};
  throw input_error("make-model: unknown arch \"" + arch + "\" (gpt2, llama, qwen2, bert)");
}

nlohmann::json preset_config(const std::string& arch, const std::string& preset) {
  const auto names = preset_names(arch);
  if (arch == "gpt2") {
    if (preset == "tiny") return gpt2(64, 2, 4, 256, 512);
    if (preset == "gpt2-small") return gpt2(768, 12, 12, 1024, 50257);
  } else if (arch == "llama") {
    if (preset == "tiny") return llama("LlamaForCausalLM", "llama", 64, 2, 4, 2, 128, 2048, 512, 10000.0, false);
    // Qwen2.5-0.5B's shape (494M parameters) as a Llama: GQA 14/2, head_dim 64, tied embeddings.
    if (preset == "llama-0.5b")
      return llama("LlamaForCausalLM", "llama", 896, 24, 14, 2, 4864, 32768, 151936, 1000000.0, true);
  } else if (arch == "qwen2") {
    if (preset == "tiny") return llama("Qwen2ForCausalLM", "qwen2", 64, 2, 4, 2, 128, 2048, 512, 10000.0, true);
    if (preset == "qwen2-0.5b")
      return llama("Qwen2ForCausalLM", "qwen2", 896, 24, 14, 2, 4864, 32768, 151936, 1000000.0, true);
  } else if (arch == "bert") {
    if (preset == "tiny") return bert(64, 2, 4, 128, 512);
    if (preset == "bert-base") return bert(768, 12, 12, 3072, 30522);
    if (preset == "cross-encoder-tiny") return cross_encoder(64, 2, 4, 128, 512);
    if (preset == "cross-encoder-base") return cross_encoder(768, 12, 12, 3072, 30522);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw input_error("make-model: unknown preset \"" + preset + "\" for " + arch + " (" + list + ")");
}

}  // namespace hf::engine::synth
