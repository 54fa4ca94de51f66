// tensor: an owning, 64-byte aligned, row-major float32 array with a small shape (activations,
// scratch buffers, outputs). weight: a read-only float32 parameter that may point into a mapped file.
// Usage: tensor x({tokens, hidden}); float* row = x.row(3);  weight w = store.load_f32("wte.weight", {});
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace hf::engine {

using shape_t = std::vector<size_t>;

size_t shape_elements(const shape_t& shape);   // product of the dimensions (1 for rank 0)
std::string shape_string(const shape_t& shape);  // "[2, 3]", for error messages

class tensor {
 public:
  tensor() = default;
  explicit tensor(shape_t shape);  // zero-filled
  tensor(const tensor& other);
  tensor& operator=(const tensor& other);
  tensor(tensor&&) noexcept = default;
  tensor& operator=(tensor&&) noexcept = default;
  ~tensor() = default;

  // Changes the shape, reusing the allocation when it is large enough; contents are unspecified
  // afterwards (scratch buffers are resized every step, so no zeroing here).
  void resize(shape_t shape);
  void fill(float value);

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  size_t size() const { return size_; }
  const shape_t& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  size_t dim(size_t i) const { return shape_.at(i); }
  // Row r of the tensor seen as [size / last_dim, last_dim].
  float* row(size_t r) { return data() + r * shape_.back(); }
  const float* row(size_t r) const { return data() + r * shape_.back(); }
  std::span<float> span() { return {data(), size_}; }
  std::span<const float> span() const { return {data(), size_}; }

 private:
  struct free_deleter {
    void operator()(float* p) const noexcept;
  };
  std::unique_ptr<float[], free_deleter> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  shape_t shape_;
};

class weight {
 public:
  weight() = default;
  // `owner` keeps `data` alive (the file mapping or the converted buffer).
  weight(const float* data, shape_t shape, std::shared_ptr<const void> owner)
      : data_(data), shape_(std::move(shape)), owner_(std::move(owner)) {}
  // Takes ownership of a converted/generated tensor.
  static weight from_tensor(tensor t);

  const float* data() const { return data_; }
  const shape_t& shape() const { return shape_; }
  size_t dim(size_t i) const { return shape_.at(i); }
  size_t size() const { return shape_elements(shape_); }
  bool empty() const { return data_ == nullptr; }
  std::span<const float> span() const { return {data_, size()}; }
  const float* row(size_t r) const { return data_ + r * shape_.back(); }
  const std::shared_ptr<const void>& owner() const { return owner_; }

 private:
  const float* data_ = nullptr;
  shape_t shape_;
  std::shared_ptr<const void> owner_;
};

}  // namespace hf::engine
