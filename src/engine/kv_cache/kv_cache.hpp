// Per-sequence key/value cache of a causal LM. One cache per sequence, made by
// causal_lm::new_cache(); the scheduler may add and drop sequences between decode steps freely.
// Layout: [layer][k|v][kv_head][capacity][head_dim], grown geometrically (amortised O(1) appends).
// Usage: auto c = lm.new_cache(); lm.forward(batch); c->length();  c->truncate(n) to rewind.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace hf::engine {

struct kv_cache_shape {
  size_t layers = 0;
  size_t kv_heads = 0;
  size_t head_dim = 0;
  size_t max_length = 0;  // the model's maximum number of positions
  bool operator==(const kv_cache_shape&) const = default;
};

class kv_cache {
 public:
  explicit kv_cache(kv_cache_shape shape, size_t initial_capacity = 0);

  // Tokens whose keys/values are stored (= the position of the next token fed).
  size_t length() const { return length_; }
  size_t capacity() const { return capacity_; }
  const kv_cache_shape& shape() const { return shape_; }
  size_t memory_bytes() const { return data_.size() * sizeof(float); }
  // Forgets every token from position n on (n <= length), e.g. to reuse a shared prefix.
  void truncate(size_t n);

  // Model side: make room for `n` tokens in total (keeps the stored rows), write rows at
  // positions >= length(), then commit(count) once every layer has written them. A step that is
  // cancelled before commit leaves the cache exactly as it was.
  void reserve(size_t n);
  float* keys(size_t layer, size_t kv_head) { return slot(layer, 0, kv_head); }
  float* values(size_t layer, size_t kv_head) { return slot(layer, 1, kv_head); }
  const float* keys(size_t layer, size_t kv_head) const { return const_cast<kv_cache*>(this)->keys(layer, kv_head); }
  const float* values(size_t layer, size_t kv_head) const { return const_cast<kv_cache*>(this)->values(layer, kv_head); }
  // Distance between two heads in floats (= capacity * head_dim).
  size_t head_stride() const { return capacity_ * shape_.head_dim; }
  void commit(size_t count);

 private:
  float* slot(size_t layer, size_t kv, size_t head) {
    return data_.data() + ((layer * 2 + kv) * shape_.kv_heads + head) * head_stride();
  }
  kv_cache_shape shape_;
  size_t length_ = 0;
  size_t capacity_ = 0;
  std::vector<float> data_;
};

}  // namespace hf::engine
