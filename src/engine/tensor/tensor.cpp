#include "engine/tensor/tensor.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace hf::engine {

size_t shape_elements(const shape_t& shape) {
  size_t n = 1;
  for (size_t d : shape) n *= d;
  return n;
}

std::string shape_string(const shape_t& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

void tensor::free_deleter::operator()(float* p) const noexcept { std::free(p); }

tensor::tensor(shape_t shape) {
  resize(std::move(shape));
  fill(0.0f);
}

tensor::tensor(const tensor& other) {
  resize(other.shape_);
  if (size_) std::memcpy(data(), other.data(), size_ * sizeof(float));
}

tensor& tensor::operator=(const tensor& other) {
  if (this != &other) {
    resize(other.shape_);
    if (size_) std::memcpy(data(), other.data(), size_ * sizeof(float));
  }
  return *this;
}

void tensor::resize(shape_t shape) {
  const size_t n = shape_elements(shape);
  if (n > capacity_) {
    // 64-byte alignment suits AVX-512 loads; round the byte size up as aligned_alloc requires.
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    capacity_ = bytes / sizeof(float);
  }
  size_ = n;
  shape_ = std::move(shape);
}

void tensor::fill(float value) { std::fill_n(data(), size_, value); }

weight weight::from_tensor(tensor t) {
  auto owned = std::make_shared<tensor>(std::move(t));
  const float* p = owned->data();
  shape_t shape = owned->shape();
  return weight(p, std::move(shape), std::shared_ptr<const void>(owned, owned.get()));
}

}  // namespace hf::engine
