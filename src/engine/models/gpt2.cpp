// GPT2LMHeadModel: learned positions, pre-LayerNorm blocks, fused c_attn, Conv1D weights stored
// [in, out], GELU MLP, LM head tied to wte. Checkpoints may lack the "transformer." prefix and may
// carry attn.bias / attn.masked_bias mask buffers, which are ignored.
#include <cmath>

#include "engine/errors.hpp"
#include "engine/layers/cached_attention.hpp"
#include "engine/layers/linear.hpp"
#include "engine/layers/norm.hpp"
#include "engine/models/architectures.hpp"
#include "engine/models/causal_lm.hpp"

namespace hf::engine {
namespace {

using kernels::weight_layout;

// --- config ---
struct gpt2_config {
  size_t hidden, layers, heads, inner, positions, vocab;
  float eps;
  bool tanh_gelu;
  bool scale_by_layer;
  bool tied;

  explicit gpt2_config(const json_config& c)
      : hidden(c.get_size("n_embd")),
        layers(c.get_size("n_layer")),
        heads(c.get_size("n_head")),
        inner(c.get_size("n_inner", 4 * hidden)),
        positions(c.get_size("n_positions")),
        vocab(c.get_size("vocab_size")),
        eps(static_cast<float>(c.get_double("layer_norm_epsilon", 1e-5))),
        scale_by_layer(c.get_bool("scale_attn_by_inverse_layer_idx", false)),
        tied(c.get_bool("tie_word_embeddings", true)) {
    const std::string act = c.get_string("activation_function", "gelu_new");
    if (act == "gelu_new" || act == "gelu_pytorch_tanh" || act == "gelu_fast")
      tanh_gelu = true;
    else if (act == "gelu")
      tanh_gelu = false;
    else
      throw model_error(c.source() + ": activation_function \"" + act +
                        "\" is not supported (gelu_new, gelu_pytorch_tanh, gelu_fast, gelu)");
    if (heads == 0 || hidden % heads != 0)
      throw model_error(c.source() + ": n_embd must be a multiple of n_head");
    if (!c.get_bool("scale_attn_weights", true))
      throw model_error(c.source() + ": scale_attn_weights=false is not supported");
  }
};

// --- weights ---
struct gpt2_block {
  layernorm_weights ln_1, ln_2;
  linear c_attn, attn_proj, c_fc, mlp_proj;
};

class gpt2_model final : public causal_lm {
 public:
  gpt2_model(const model_source& src) : cfg_(src.config) {
    const auto& ws = src.weights;
    const std::string p = detect_prefix(ws, {"transformer.", ""}, "wte.weight");
    const size_t h = cfg_.hidden;
    wte_ = ws.load_matrix(p + "wte.weight", cfg_.vocab, h, src.dtype);
    wpe_ = ws.load(p + "wpe.weight", {cfg_.positions, h});
    for (size_t l = 0; l < cfg_.layers; ++l) {
      const std::string b = p + "h." + std::to_string(l) + ".";
      blocks_.push_back({layernorm_weights::load(ws, b + "ln_1", h, cfg_.eps),
                         layernorm_weights::load(ws, b + "ln_2", h, cfg_.eps),
                         load_linear(ws, b + "attn.c_attn", h, 3 * h, bias_mode::required,
                                     src.dtype, weight_layout::in_out),
                         load_linear(ws, b + "attn.c_proj", h, h, bias_mode::required, src.dtype,
                                     weight_layout::in_out),
                         load_linear(ws, b + "mlp.c_fc", h, cfg_.inner, bias_mode::required,
                                     src.dtype, weight_layout::in_out),
                         load_linear(ws, b + "mlp.c_proj", cfg_.inner, h, bias_mode::required,
                                     src.dtype, weight_layout::in_out)});
    }
    ln_f_ = layernorm_weights::load(ws, p + "ln_f", h, cfg_.eps);
    lm_head_ = cfg_.tied ? wte_ : ws.load_matrix("lm_head.weight", cfg_.vocab, h, src.dtype);

    architecture_ = src.architecture;
    dir_ = src.dir;
    tasks_ = {task::text_generation};
    set_shape(cfg_.layers, h, cfg_.heads, h / cfg_.heads, cfg_.vocab, cfg_.positions);
    generation_ = load_generation_config(src.dir);
    weight_type_ = wte_.type();
    parameter_bytes_ = wte_.bytes() + wpe_.size() * sizeof(float) +
                       (cfg_.tied ? 0 : lm_head_.bytes()) + ln_f_.bytes();
    for (const auto& bl : blocks_)
      parameter_bytes_ += bl.ln_1.bytes() + bl.ln_2.bytes() + bl.c_attn.bytes() + bl.attn_proj.bytes() +
                          bl.c_fc.bytes() + bl.mlp_proj.bytes();
  }

  // --- forward ---
 protected:
  void embed(std::span<const int32_t> ids, std::span<const size_t> positions, tensor& x) const override {
    const size_t h = cfg_.hidden;
    x.resize({ids.size(), h});
    for (size_t r = 0; r < ids.size(); ++r) {
      const float* pe = wpe_.row(positions[r]);
      float* out = x.row(r);
      wte_.row_to_f32(static_cast<size_t>(ids[r]), {out, h});
      for (size_t i = 0; i < h; ++i) out[i] += pe[i];
    }
  }

  void block(size_t layer, tensor& x, const decoder_batch& b, workspace& ws) const override {
    const gpt2_block& bl = blocks_[layer];
    const size_t h = cfg_.hidden;
    const size_t hd = h / cfg_.heads;
    float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    if (cfg_.scale_by_layer) scale /= static_cast<float>(layer + 1);
    bl.ln_1(x, ws.norm);
    bl.c_attn(ws.norm, ws.qkv);
    cached_attention({ws.qkv, 0, ws.qkv, h, ws.qkv, 2 * h}, b, layer, {cfg_.heads, cfg_.heads, hd, scale}, ws.attn);
    bl.attn_proj(ws.attn, ws.proj);
    kernels::add(x, ws.proj);
    bl.ln_2(x, ws.norm);
    bl.c_fc(ws.norm, ws.mlp_a);
    if (cfg_.tanh_gelu)
      kernels::gelu_tanh(ws.mlp_a.span());
    else
      kernels::gelu_erf(ws.mlp_a.span());
    bl.mlp_proj(ws.mlp_a, ws.proj);
    kernels::add(x, ws.proj);
  }

  void final_norm(tensor& x) const override { ln_f_(x, x); }

  void lm_head(const tensor& h, tensor& logits) const override {
    kernels::linear(h, lm_head_, nullptr, logits);
  }

 private:
  gpt2_config cfg_;
  matrix wte_, lm_head_;
  weight wpe_;
  std::vector<gpt2_block> blocks_;
  layernorm_weights ln_f_;
};

}  // namespace

std::unique_ptr<model> load_gpt2(const model_source& src) { return std::make_unique<gpt2_model>(src); }

}  // namespace hf::engine
