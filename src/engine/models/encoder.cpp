#include "engine/models/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/errors.hpp"
#include "engine/kernels/kernels.hpp"

namespace hf::engine {

tensor encoder_model::run(std::span<const encoder_input> batch, encoder_batch& b, std::vector<bool>& truncated,
                          std::stop_token stop) const {
  std::vector<int32_t> ids, types;
  std::vector<size_t> positions;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& in = batch[i];
    const std::string where = "sequence " + std::to_string(i) + " of the batch";
    if (in.ids.empty()) throw input_error(where + " has no tokens");
    if (!in.token_type_ids.empty() && in.token_type_ids.size() != in.ids.size())
      throw input_error(where + ": token_type_ids and ids differ in length");
    const size_t n = std::min(in.ids.size(), max_positions_);
    truncated.push_back(n < in.ids.size());
    for (size_t t = 0; t < n; ++t) {
      const int32_t id = in.ids[t];
      const int32_t type = in.token_type_ids.empty() ? 0 : in.token_type_ids[t];
      if (id < 0 || static_cast<size_t>(id) >= vocab_size_)
        throw input_error(where + ": token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                          std::to_string(vocab_size_) + ")");
      if (type < 0 || static_cast<size_t>(type) >= type_vocab_)
        throw input_error(where + ": token type id " + std::to_string(type) + " is outside [0, " +
                          std::to_string(type_vocab_) + ")");
      ids.push_back(id);
      types.push_back(type);
      positions.push_back(position_offset() + t);
    }
    b.segments.push_back({b.rows, n});
    b.rows += n;
  }
  if (stop.stop_requested()) throw cancelled_error();
  tensor x;
  workspace ws;
  embed_tokens(ids, types, positions, x);
  for (size_t l = 0; l < layers_; ++l) {
    if (stop.stop_requested()) throw cancelled_error();
    block(l, x, b, ws);
  }
  return x;
}

std::vector<embedding_output> encoder_model::embed(std::span<const encoder_input> batch,
                                                   const embed_options& options, std::stop_token stop) const {
  if (options.mode == pooling::pooler && !has_pooler_)
    throw model_error("model " + dir_.string() + " has no pooler weights; use mean, cls or last pooling");
  encoder_batch b;
  std::vector<bool> truncated;
  const tensor x = run(batch, b, truncated, stop);
  std::vector<embedding_output> out(batch.size());
  tensor cls({batch.size(), hidden_});
  for (size_t i = 0; i < batch.size(); ++i) std::memcpy(cls.row(i), x.row(b.segments[i].row), hidden_ * sizeof(float));
  tensor pooled;
  if (options.mode == pooling::pooler) pooler(cls, pooled);
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& seg = b.segments[i];
    auto& o = out[i];
    o.tokens = seg.count;
    o.truncated = truncated[i];
    o.embedding.assign(hidden_, 0.0f);
    switch (options.mode) {
      case pooling::mean:
        for (size_t t = 0; t < seg.count; ++t) {
          const float* r = x.row(seg.row + t);
          for (size_t d = 0; d < hidden_; ++d) o.embedding[d] += r[d];
        }
        for (auto& v : o.embedding) v /= static_cast<float>(seg.count);
        break;
      case pooling::cls: std::memcpy(o.embedding.data(), cls.row(i), hidden_ * sizeof(float)); break;
      case pooling::last: std::memcpy(o.embedding.data(), x.row(seg.row + seg.count - 1), hidden_ * sizeof(float)); break;
      case pooling::pooler: std::memcpy(o.embedding.data(), pooled.row(i), hidden_ * sizeof(float)); break;
    }
    if (options.normalize) {
      double sq = 0;
      for (float v : o.embedding) sq += static_cast<double>(v) * v;
      // Same guard as torch.nn.functional.normalize (eps = 1e-12).
      const auto inv = static_cast<float>(1.0 / std::max(std::sqrt(sq), 1e-12));
      for (auto& v : o.embedding) v *= inv;
    }
    if (options.hidden_states) {
      o.last_hidden_state.resize({seg.count, hidden_});
      std::memcpy(o.last_hidden_state.data(), x.row(seg.row), seg.count * hidden_ * sizeof(float));
    }
  }
  return out;
}

std::vector<classification_output> encoder_model::classify(std::span<const encoder_input> batch,
                                                            std::stop_token stop) const {
  if (!supports(task::classification))
    throw model_error("model " + dir_.string() + " (" + architecture_ + ") has no classification head");
  encoder_batch b;
  std::vector<bool> truncated;
  const tensor x = run(batch, b, truncated, stop);
  tensor cls({batch.size(), hidden_});
  for (size_t i = 0; i < batch.size(); ++i) std::memcpy(cls.row(i), x.row(b.segments[i].row), hidden_ * sizeof(float));
  tensor logits;
  classifier(cls, logits);
  std::vector<classification_output> out(batch.size());
  const size_t n = logits.shape().back();
  for (size_t i = 0; i < batch.size(); ++i) {
    auto& o = out[i];
    o.tokens = b.segments[i].count;
    o.truncated = truncated[i];
    o.logits.assign(logits.row(i), logits.row(i) + n);
    o.probs = o.logits;
    // transformers' text-classification pipeline: sigmoid for multi-label models and for one-label
    // models (cross-encoders, regression heads), where a softmax would always give 1.
    if (multi_label_ || n == 1) {
      for (auto& p : o.probs) p = 1.0f / (1.0f + std::exp(-p));
    } else {
      kernels::softmax(o.probs);
    }
    o.label_id = static_cast<size_t>(std::max_element(o.logits.begin(), o.logits.end()) - o.logits.begin());
  }
  return out;
}

}  // namespace hf::engine
