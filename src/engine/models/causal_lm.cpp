#include "engine/models/causal_lm.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>

#include "engine/errors.hpp"

namespace hf::engine {

void causal_lm::set_shape(size_t layers, size_t hidden, size_t kv_heads, size_t head_dim,
                          size_t vocab, size_t max_positions) {
  cache_shape_ = {layers, kv_heads, head_dim, max_positions};
  hidden_ = hidden;
  vocab_size_ = vocab;
  max_positions_ = max_positions;
}

std::unique_ptr<kv_cache> causal_lm::new_cache() const { return std::make_unique<kv_cache>(cache_shape_); }

decoder_batch causal_lm::plan(std::span<step_input> batch) const {
  decoder_batch b;
  std::unordered_set<const kv_cache*> seen;
  for (size_t i = 0; i < batch.size(); ++i) {
    const step_input& s = batch[i];
    const std::string where = "sequence " + std::to_string(i) + " of the batch";
    const size_t n = s.tokens.size();
    if (n == 0) throw input_error(where + " has no tokens");
    if (!seen.insert(&s.cache).second) throw input_error(where + " repeats a kv_cache already in the batch");
    if (!(s.cache.shape() == cache_shape_)) throw input_error(where + " has a kv_cache of another model");
    for (int32_t id : s.tokens)
      if (id < 0 || static_cast<size_t>(id) >= vocab_size_)
        throw input_error(where + ": token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                          std::to_string(vocab_size_) + ")");
    const size_t past = s.cache.length();
    if (past + n > max_positions_)
      throw input_error(where + ": " + std::to_string(past + n) + " tokens exceed the model's maximum of " +
                        std::to_string(max_positions_) + " positions");
    const size_t ls = s.logits.size();
    if (ls != 0 && ls != vocab_size_ && ls != n * vocab_size_)
      throw input_error(where + ": logits span must hold 0, vocab or tokens*vocab floats, got " +
                        std::to_string(ls));
    b.segments.push_back({&s.cache, b.rows, n, past});
    for (size_t t = 0; t < n; ++t) b.positions.push_back(past + t);
    b.rows += n;
  }
  return b;
}

void causal_lm::forward(std::span<step_input> batch, std::stop_token stop) const {
  if (batch.empty()) return;
  const decoder_batch b = plan(batch);
  for (const auto& seg : b.segments) seg.cache->reserve(seg.past + seg.count);
  std::vector<int32_t> ids;
  ids.reserve(b.rows);
  for (const auto& s : batch) ids.insert(ids.end(), s.tokens.begin(), s.tokens.end());

  const bool want_hidden = std::any_of(batch.begin(), batch.end(), [](const step_input& s) { return s.hidden_states; });
  auto capture = [&](const tensor& x) {
    if (!want_hidden) return;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].hidden_states) continue;
      const auto& seg = b.segments[i];
      tensor h({seg.count, hidden_});
      std::memcpy(h.data(), x.row(seg.row), seg.count * hidden_ * sizeof(float));
      batch[i].hidden_states->push_back(std::move(h));
    }
  };
  for (auto& s : batch)
    if (s.hidden_states) s.hidden_states->clear();

  if (stop.stop_requested()) throw cancelled_error();
  workspace ws;
  tensor x;
  embed(ids, b.positions, x);
  capture(x);
  const size_t layers = cache_shape_.layers;
  for (size_t l = 0; l < layers; ++l) {
    if (stop.stop_requested()) throw cancelled_error();
    block(l, x, b, ws);
    if (l + 1 < layers) capture(x);
  }
  final_norm(x);
  capture(x);
  emit_logits(batch, b, x, ws);
  for (const auto& seg : b.segments) seg.cache->commit(seg.count);
}

void causal_lm::emit_logits(std::span<step_input> batch, const decoder_batch& b, const tensor& x,
                            workspace& ws) const {
  std::vector<size_t> rows;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& seg = b.segments[i];
    const size_t ls = batch[i].logits.size();
    if (ls == 0) continue;
    if (ls == vocab_size_) {
      rows.push_back(seg.row + seg.count - 1);
    } else {
      for (size_t t = 0; t < seg.count; ++t) rows.push_back(seg.row + t);
    }
  }
  if (rows.empty()) return;
  ws.gather.resize({rows.size(), hidden_});
  for (size_t r = 0; r < rows.size(); ++r)
    std::memcpy(ws.gather.row(r), x.row(rows[r]), hidden_ * sizeof(float));
  lm_head(ws.gather, ws.logits);
  size_t next = 0;
  for (auto& s : batch) {
    if (s.logits.empty()) continue;
    std::memcpy(s.logits.data(), ws.logits.row(next), s.logits.size() * sizeof(float));
    next += s.logits.size() / vocab_size_;
  }
}

}  // namespace hf::engine
