// BERT-family encoders: BertModel, BertForSequenceClassification (with or without the "bert."
// prefix) and RoBERTa / XLM-R (prefix "roberta.", positions offset by pad_token_id + 1).
// Post-LayerNorm blocks, separate q/k/v projections, GELU MLP, optional tanh pooler.
#include <cmath>

#include "engine/errors.hpp"
#include "engine/layers/linear.hpp"
#include "engine/layers/norm.hpp"
#include "engine/models/architectures.hpp"
#include "engine/models/encoder.hpp"

namespace hf::engine {
namespace {

// --- config ---
struct bert_config {
  size_t hidden, layers, heads, inner, positions, vocab, type_vocab;
  float eps;
  bool tanh_gelu = false;
  bool roberta;
  size_t pad_id;

  bert_config(const json_config& c, const std::string& arch)
      : hidden(c.get_size("hidden_size")),
        layers(c.get_size("num_hidden_layers")),
        heads(c.get_size("num_attention_heads")),
        inner(c.get_size("intermediate_size")),
        positions(c.get_size("max_position_embeddings")),
        vocab(c.get_size("vocab_size")),
        type_vocab(c.get_size("type_vocab_size", 2)),
        eps(static_cast<float>(c.get_double("layer_norm_eps", 1e-12))),
        roberta(arch.find("Roberta") != std::string::npos),
        pad_id(c.get_size("pad_token_id", roberta ? 1 : 0)) {
    const std::string act = c.get_string("hidden_act", "gelu");
    if (act == "gelu_new" || act == "gelu_pytorch_tanh")
      tanh_gelu = true;
    else if (act != "gelu")
      throw model_error(c.source() + ": hidden_act \"" + act + "\" is not supported (gelu, gelu_new)");
    const std::string pos = c.get_string("position_embedding_type", "absolute");
    if (pos != "absolute")
      throw model_error(c.source() + ": position_embedding_type \"" + pos + "\" is not supported (absolute)");
    if (heads == 0 || hidden % heads != 0)
      throw model_error(c.source() + ": hidden_size must be a multiple of num_attention_heads");
    if (roberta && positions <= pad_id + 1)
      throw model_error(c.source() + ": max_position_embeddings too small for RoBERTa position offset");
  }
};

// --- weights ---
struct bert_block {
  linear query, key, value, attn_out;
  layernorm_weights attn_ln;
  linear intermediate, output;
  layernorm_weights out_ln;
};

class bert_model final : public encoder_model {
 public:
  explicit bert_model(const model_source& src) : cfg_(src.config, src.architecture) {
    const auto& ws = src.weights;
    const std::string p = detect_prefix(ws, {"bert.", "roberta.", ""}, "embeddings.word_embeddings.weight");
    const size_t h = cfg_.hidden;
    word_ = ws.load_matrix(p + "embeddings.word_embeddings.weight", cfg_.vocab, h, src.dtype);
    position_ = ws.load(p + "embeddings.position_embeddings.weight", {cfg_.positions, h});
    type_ = ws.load(p + "embeddings.token_type_embeddings.weight", {cfg_.type_vocab, h});
    emb_ln_ = layernorm_weights::load(ws, p + "embeddings.LayerNorm", h, cfg_.eps);
    for (size_t l = 0; l < cfg_.layers; ++l) {
      const std::string b = p + "encoder.layer." + std::to_string(l) + ".";
      blocks_.push_back(
          {load_linear(ws, b + "attention.self.query", h, h, bias_mode::required, src.dtype),
           load_linear(ws, b + "attention.self.key", h, h, bias_mode::required, src.dtype),
           load_linear(ws, b + "attention.self.value", h, h, bias_mode::required, src.dtype),
           load_linear(ws, b + "attention.output.dense", h, h, bias_mode::required, src.dtype),
           layernorm_weights::load(ws, b + "attention.output.LayerNorm", h, cfg_.eps),
           load_linear(ws, b + "intermediate.dense", h, cfg_.inner, bias_mode::required, src.dtype),
           load_linear(ws, b + "output.dense", cfg_.inner, h, bias_mode::required, src.dtype),
           layernorm_weights::load(ws, b + "output.LayerNorm", h, cfg_.eps)});
    }
    has_pooler_ = ws.contains(p + "pooler.dense.weight");
    if (has_pooler_)
      pooler_ = load_linear(ws, p + "pooler.dense", h, h, bias_mode::required, src.dtype);
    bind_classifier(src);

    architecture_ = src.architecture;
    dir_ = src.dir;
    hidden_ = h;
    layers_ = cfg_.layers;
    type_vocab_ = cfg_.type_vocab;
    vocab_size_ = cfg_.vocab;
    max_positions_ = cfg_.roberta ? cfg_.positions - cfg_.pad_id - 1 : cfg_.positions;
    default_pooling_ = load_pooling_config(src.dir);
    weight_type_ = word_.type();
    parameter_bytes_ =
        word_.bytes() + (position_.size() + type_.size()) * sizeof(float) + emb_ln_.bytes();
    for (const auto& bl : blocks_)
      parameter_bytes_ += bl.query.bytes() + bl.key.bytes() + bl.value.bytes() + bl.attn_out.bytes() +
                          bl.attn_ln.bytes() + bl.intermediate.bytes() + bl.output.bytes() + bl.out_ln.bytes();
  }

 private:
  void bind_classifier(const model_source& src) {
    tasks_ = {task::embeddings};
    if (!src.architecture.ends_with("ForSequenceClassification")) return;
    const auto& ws = src.weights;
    const auto id2label = src.config.get_label_map("id2label");
    const size_t n = id2label.empty() ? src.config.get_size("num_labels", 2) : id2label.size();
    for (size_t i = 0; i < n; ++i) {
      auto it = id2label.find(i);
      labels_.push_back(it != id2label.end() ? it->second : "LABEL_" + std::to_string(i));
    }
    multi_label_ = src.config.get_string("problem_type", "") == "multi_label_classification";
    const size_t h = cfg_.hidden;
    if (cfg_.roberta) {  // RoBERTa head: dense + tanh + out_proj on the <s> token
      cls_dense_ = load_linear(ws, "classifier.dense", h, h, bias_mode::required, src.dtype);
      classifier_ = load_linear(ws, "classifier.out_proj", h, n, bias_mode::required, src.dtype);
    } else {
      if (!has_pooler_) throw model_error("model " + src.dir.string() + ": classifier needs pooler.dense weights");
      classifier_ = load_linear(ws, "classifier", h, n, bias_mode::required, src.dtype);
    }
    tasks_ = {task::classification, task::embeddings};
  }

  // --- forward ---
  size_t position_offset() const override { return cfg_.roberta ? cfg_.pad_id + 1 : 0; }

  void embed_tokens(std::span<const int32_t> ids, std::span<const int32_t> types, std::span<const size_t> positions,
                    tensor& x) const override {
    const size_t h = cfg_.hidden;
    x.resize({ids.size(), h});
    for (size_t r = 0; r < ids.size(); ++r) {
      const float* pe = position_.row(positions[r]);
      const float* te = type_.row(static_cast<size_t>(types[r]));
      float* out = x.row(r);
      word_.row_to_f32(static_cast<size_t>(ids[r]), {out, h});
      for (size_t i = 0; i < h; ++i) out[i] = out[i] + te[i] + pe[i];
    }
    emb_ln_(x, x);
  }

  void block(size_t layer, tensor& x, const encoder_batch& b, workspace& ws) const override {
    const bert_block& bl = blocks_[layer];
    const size_t h = cfg_.hidden;
    const size_t hd = h / cfg_.heads;
    bl.query(x, ws.qkv);
    bl.key(x, ws.k);
    bl.value(x, ws.v);
    ws.attn.resize({b.rows, h});
    for (const auto& seg : b.segments) {
      kernels::attention_args a;
      a.q = ws.qkv.row(seg.row);
      a.q_stride = h;
      a.n_queries = seg.count;
      a.k = ws.k.row(seg.row);
      a.v = ws.v.row(seg.row);
      a.kv_head_stride = hd;
      a.kv_row_stride = h;
      a.n_keys = seg.count;
      a.n_heads = a.n_kv_heads = cfg_.heads;
      a.head_dim = hd;
      a.scale = 1.0f / std::sqrt(static_cast<float>(hd));
      a.causal = false;
      a.out = ws.attn.row(seg.row);
      a.out_stride = h;
      kernels::attention(a);
    }
    bl.attn_out(ws.attn, ws.proj);
    kernels::add(x, ws.proj);
    bl.attn_ln(x, x);
    bl.intermediate(x, ws.mlp_a);
    if (cfg_.tanh_gelu)
      kernels::gelu_tanh(ws.mlp_a.span());
    else
      kernels::gelu_erf(ws.mlp_a.span());
    bl.output(ws.mlp_a, ws.proj);
    kernels::add(x, ws.proj);
    bl.out_ln(x, x);
  }

  void pooler(const tensor& cls, tensor& out) const override {
    pooler_(cls, out);
    kernels::tanh(out.span());
  }

  void classifier(const tensor& cls, tensor& logits) const override {
    tensor hidden;
    if (cfg_.roberta) {
      cls_dense_(cls, hidden);
      kernels::tanh(hidden.span());
    } else {
      pooler(cls, hidden);
    }
    classifier_(hidden, logits);
  }

  bert_config cfg_;
  matrix word_;
  weight position_, type_;
  layernorm_weights emb_ln_;
  std::vector<bert_block> blocks_;
  linear pooler_, cls_dense_, classifier_;
};

}  // namespace

std::unique_ptr<model> load_bert(const model_source& src) { return std::make_unique<bert_model>(src); }

}  // namespace hf::engine
