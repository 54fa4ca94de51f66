#include "engine/kv_cache/kv_cache.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "engine/errors.hpp"

namespace hf::engine {

kv_cache::kv_cache(kv_cache_shape shape, size_t initial_capacity) : shape_(shape) {
  if (initial_capacity) reserve(initial_capacity);
}

void kv_cache::truncate(size_t n) {
  if (n > length_)
    throw input_error("kv_cache::truncate(" + std::to_string(n) + ") beyond length " +
                      std::to_string(length_));
  length_ = n;
}

void kv_cache::reserve(size_t n) {
  if (n <= capacity_) return;
  if (n > shape_.max_length)
    throw input_error("sequence of " + std::to_string(n) + " tokens exceeds the model's maximum of " +
                      std::to_string(shape_.max_length) + " positions");
  const size_t cap = std::min(shape_.max_length, std::max({n, capacity_ * 2, size_t{16}}));
  const size_t hd = shape_.head_dim;
  const size_t slots = shape_.layers * 2 * shape_.kv_heads;
  std::vector<float> grown(slots * cap * hd);
  for (size_t s = 0; s < slots && length_ > 0; ++s)
    std::memcpy(grown.data() + s * cap * hd, data_.data() + s * capacity_ * hd, length_ * hd * sizeof(float));
  data_ = std::move(grown);
  capacity_ = cap;
}

void kv_cache::commit(size_t count) {
  if (length_ + count > capacity_) throw std::logic_error("kv_cache::commit beyond reserved capacity");
  length_ += count;
}

}  // namespace hf::engine
