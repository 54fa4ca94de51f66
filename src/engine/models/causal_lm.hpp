// Causal language models with an execution API made for continuous batching: every sequence owns
// a kv_cache, and one forward() advances any set of sequences by any number of tokens each
// (prefill chunks and single decode tokens mixed; rows are never padded). Between calls the
// scheduler may add or drop sequences freely.
// Usage:
//   auto cache = lm.new_cache();  std::vector<float> logits(lm.vocab_size());
//   step_input s{*cache, prompt_ids, logits};  lm.forward({&s, 1}, stop);   // then feed 1 id/step
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <stop_token>
#include <vector>

#include "engine/kv_cache/kv_cache.hpp"
#include "engine/layers/workspace.hpp"
#include "engine/models/model.hpp"
#include "engine/tensor/tensor.hpp"
#include "engine/weights/generation_config.hpp"

namespace hf::engine {

struct step_input {
  kv_cache& cache;                    // the sequence's cache; its length() is the first new position
  std::span<const int32_t> tokens;    // new token ids (prefill: many; decode: one); not empty
  // Where logits go: empty = none (e.g. a prefill chunk), vocab floats = the last new position,
  // tokens.size() * vocab floats = every new position (row-major).
  std::span<float> logits;
  // When set, receives transformers' output_hidden_states for the new tokens: layers + 1 tensors
  // [tokens, hidden] = embeddings, outputs of layers 1..L-1, output of the last layer after the
  // final norm.
  std::vector<tensor>* hidden_states = nullptr;
};

// The rows of one forward call as the architectures see them: all new tokens of all sequences
// stacked into one [rows, hidden] activation, each sequence a contiguous segment.
struct decoder_batch {
  struct segment {
    kv_cache* cache;
    size_t row;    // first row of this sequence in the activations
    size_t count;  // new tokens
    size_t past;   // tokens already in the cache (= position of the first new token)
  };
  std::vector<segment> segments;
  std::vector<size_t> positions;  // per row
  size_t rows = 0;
};

class causal_lm : public model {
 public:
  std::unique_ptr<kv_cache> new_cache() const;
  const kv_cache_shape& cache_shape() const { return cache_shape_; }
  const generation_config& generation_defaults() const { return generation_; }
  size_t hidden_size() const { return hidden_; }

  // Advances every sequence of `batch` by its tokens and commits them to its cache. Throws
  // input_error for a bad batch (empty tokens, id out of range, too long, wrong logits size, the
  // same cache twice, a cache of another model) before any cache changes, and cancelled_error when
  // `stop` is requested (checked between layers): caches are then left as before the call.
  void forward(std::span<step_input> batch, std::stop_token stop = {}) const;

 protected:
  causal_lm() = default;
  // Set by each architecture's constructor.
  void set_shape(size_t layers, size_t hidden, size_t kv_heads, size_t head_dim, size_t vocab,
                 size_t max_positions);
  generation_config generation_;

  // The three parts every architecture provides (x is [rows, hidden] in and out).
  virtual void embed(std::span<const int32_t> ids, std::span<const size_t> positions, tensor& x) const = 0;
  virtual void block(size_t layer, tensor& x, const decoder_batch& b, workspace& ws) const = 0;
  virtual void final_norm(tensor& x) const = 0;
  virtual void lm_head(const tensor& h, tensor& logits) const = 0;

 private:
  decoder_batch plan(std::span<step_input> batch) const;
  void emit_logits(std::span<step_input> batch, const decoder_batch& b, const tensor& x,
                   workspace& ws) const;
  kv_cache_shape cache_shape_;
  size_t hidden_ = 0;
};

}  // namespace hf::engine
