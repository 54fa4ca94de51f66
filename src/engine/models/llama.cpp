// LlamaForCausalLM, also MistralForCausalLM and Qwen2ForCausalLM: RMSNorm pre-norm blocks, RoPE
// (rotate-half), grouped-query attention, SiLU-gated MLP, tied or untied LM head. Qwen2 adds
// q/k/v biases; Llama's attention_bias / mlp_bias flags are honoured.
#include <algorithm>
#include <cmath>

#include "engine/errors.hpp"
#include "engine/layers/cached_attention.hpp"
#include "engine/layers/linear.hpp"
#include "engine/layers/norm.hpp"
#include "engine/layers/rope.hpp"
#include "engine/models/architectures.hpp"
#include "engine/models/causal_lm.hpp"

namespace hf::engine {
namespace {

// --- config ---
struct llama_config {
  size_t hidden, layers, heads, kv_heads, head_dim, inner, positions, vocab;
  float eps;
  bool tied, qkv_bias, o_bias, mlp_bias;

  llama_config(const json_config& c, const std::string& arch)
      : hidden(c.get_size("hidden_size")),
        layers(c.get_size("num_hidden_layers")),
        heads(c.get_size("num_attention_heads")),
        kv_heads(c.get_size("num_key_value_heads", heads)),
        head_dim(c.get_size("head_dim", heads ? hidden / heads : 0)),
        inner(c.get_size("intermediate_size")),
        positions(c.get_size("max_position_embeddings")),
        vocab(c.get_size("vocab_size")),
        eps(static_cast<float>(c.get_double("rms_norm_eps", 1e-6))),
        tied(c.get_bool("tie_word_embeddings", false)),
        qkv_bias(arch == "Qwen2ForCausalLM" || c.get_bool("attention_bias", false)),
        o_bias(arch != "Qwen2ForCausalLM" && c.get_bool("attention_bias", false)),
        mlp_bias(c.get_bool("mlp_bias", false)) {
    if (heads == 0 || kv_heads == 0 || heads % kv_heads != 0)
      throw model_error(c.source() + ": num_attention_heads must be a multiple of num_key_value_heads");
    if (head_dim == 0) throw model_error(c.source() + ": head_dim must be positive");
    const std::string act = c.get_string("hidden_act", "silu");
    if (act != "silu") throw model_error(c.source() + ": hidden_act \"" + act + "\" is not supported (silu)");
    // A sliding window shorter than the context changes attention beyond it; rather than
    // attending differently, cap the usable context at the window.
    const bool window_on = arch != "Qwen2ForCausalLM" || c.get_bool("use_sliding_window", false);
    if (window_on && c.has("sliding_window")) positions = std::min(positions, c.get_size("sliding_window"));
  }
};

// --- weights ---
struct llama_block {
  rmsnorm_weights input_norm, post_norm;
  linear q, k, v, o, gate, up, down;
};

class llama_model final : public causal_lm {
 public:
  explicit llama_model(const model_source& src)
      : cfg_(src.config, src.architecture), rope_(rope_table::from_config(src.config, cfg_.head_dim, cfg_.positions)) {
    const auto& ws = src.weights;
    const size_t h = cfg_.hidden;
    const size_t qd = cfg_.heads * cfg_.head_dim;
    const size_t kvd = cfg_.kv_heads * cfg_.head_dim;
    const auto qkv_bias = cfg_.qkv_bias ? bias_mode::required : bias_mode::none;
    const auto o_bias = cfg_.o_bias ? bias_mode::required : bias_mode::none;
    const auto mlp_bias = cfg_.mlp_bias ? bias_mode::required : bias_mode::none;
    embed_ = ws.load_matrix("model.embed_tokens.weight", cfg_.vocab, h, src.dtype);
    for (size_t l = 0; l < cfg_.layers; ++l) {
      const std::string b = "model.layers." + std::to_string(l) + ".";
      blocks_.push_back({rmsnorm_weights::load(ws, b + "input_layernorm", h, cfg_.eps),
                         rmsnorm_weights::load(ws, b + "post_attention_layernorm", h, cfg_.eps),
                         load_linear(ws, b + "self_attn.q_proj", h, qd, qkv_bias, src.dtype),
                         load_linear(ws, b + "self_attn.k_proj", h, kvd, qkv_bias, src.dtype),
                         load_linear(ws, b + "self_attn.v_proj", h, kvd, qkv_bias, src.dtype),
                         load_linear(ws, b + "self_attn.o_proj", qd, h, o_bias, src.dtype),
                         load_linear(ws, b + "mlp.gate_proj", h, cfg_.inner, mlp_bias, src.dtype),
                         load_linear(ws, b + "mlp.up_proj", h, cfg_.inner, mlp_bias, src.dtype),
                         load_linear(ws, b + "mlp.down_proj", cfg_.inner, h, mlp_bias, src.dtype)});
    }
    norm_ = rmsnorm_weights::load(ws, "model.norm", h, cfg_.eps);
    lm_head_ = cfg_.tied ? embed_ : ws.load_matrix("lm_head.weight", cfg_.vocab, h, src.dtype);

    architecture_ = src.architecture;
    dir_ = src.dir;
    tasks_ = {task::text_generation};
    set_shape(cfg_.layers, h, cfg_.kv_heads, cfg_.head_dim, cfg_.vocab, cfg_.positions);
    generation_ = load_generation_config(src.dir);
    weight_type_ = embed_.type();
    parameter_bytes_ = embed_.bytes() + (cfg_.tied ? 0 : lm_head_.bytes()) + norm_.bytes();
    for (const auto& bl : blocks_)
      parameter_bytes_ += bl.input_norm.bytes() + bl.post_norm.bytes() + bl.q.bytes() + bl.k.bytes() +
                          bl.v.bytes() + bl.o.bytes() + bl.gate.bytes() + bl.up.bytes() + bl.down.bytes();
  }

  // --- forward ---
 protected:
  void embed(std::span<const int32_t> ids, std::span<const size_t>, tensor& x) const override {
    const size_t h = cfg_.hidden;
    x.resize({ids.size(), h});
    for (size_t r = 0; r < ids.size(); ++r)
      embed_.row_to_f32(static_cast<size_t>(ids[r]), {x.row(r), h});
  }

  void block(size_t layer, tensor& x, const decoder_batch& b, workspace& ws) const override {
    const llama_block& bl = blocks_[layer];
    const size_t hd = cfg_.head_dim;
    bl.input_norm(x, ws.norm);
    bl.q(ws.norm, ws.qkv);
    bl.k(ws.norm, ws.k);
    bl.v(ws.norm, ws.v);
    rope_.apply(ws.qkv, 0, cfg_.heads, b);
    rope_.apply(ws.k, 0, cfg_.kv_heads, b);
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    cached_attention({ws.qkv, 0, ws.k, 0, ws.v, 0}, b, layer, {cfg_.heads, cfg_.kv_heads, hd, scale}, ws.attn);
    bl.o(ws.attn, ws.proj);
    kernels::add(x, ws.proj);
    bl.post_norm(x, ws.norm);
    bl.gate(ws.norm, ws.mlp_a);
    bl.up(ws.norm, ws.mlp_b);
    kernels::silu_mul(ws.mlp_a, ws.mlp_b);
    bl.down(ws.mlp_a, ws.proj);
    kernels::add(x, ws.proj);
  }

  void final_norm(tensor& x) const override { norm_(x, x); }

  void lm_head(const tensor& h, tensor& logits) const override {
    kernels::linear(h, lm_head_, nullptr, logits);
  }

 private:
  llama_config cfg_;
  rope_table rope_;
  matrix embed_, lm_head_;
  std::vector<llama_block> blocks_;
  rmsnorm_weights norm_;
};

}  // namespace

std::unique_ptr<model> load_llama(const model_source& src) { return std::make_unique<llama_model>(src); }

}  // namespace hf::engine
