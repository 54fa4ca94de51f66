#include "engine/tensor/matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/weights/dtype.hpp"

namespace hf::engine {
namespace {

// A converted matrix's storage: elements, then (int8) the row scales.
struct converted_storage {
  std::vector<std::byte> elements;
  std::vector<float> scales;
};

void quantize_row_int8(const float* src, size_t cols, int8_t* out, float& scale) {
  float absmax = 0.0f;
  for (size_t c = 0; c < cols; ++c) absmax = std::max(absmax, std::fabs(src[c]));
  scale = absmax / 127.0f;
  const float inverse = absmax > 0.0f ? 127.0f / absmax : 0.0f;
  for (size_t c = 0; c < cols; ++c)
    out[c] = static_cast<int8_t>(std::clamp(std::nearbyint(src[c] * inverse), -127.0f, 127.0f));
}

}  // namespace

std::string_view weight_type_name(weight_type t) {
  switch (t) {
    case weight_type::f32:
      return "f32";
    case weight_type::bf16:
      return "bf16";
    case weight_type::f16:
      return "f16";
    case weight_type::int8:
      return "int8";
  }
  return "?";
}

std::optional<weight_type> parse_weight_type(std::string_view s) {
  if (s == "f32" || s == "float32") return weight_type::f32;
  if (s == "bf16" || s == "bfloat16") return weight_type::bf16;
  if (s == "f16" || s == "float16" || s == "half") return weight_type::f16;
  if (s == "int8") return weight_type::int8;
  return std::nullopt;
}

size_t weight_type_size(weight_type t) {
  switch (t) {
    case weight_type::f32:
      return 4;
    case weight_type::bf16:
    case weight_type::f16:
      return 2;
    case weight_type::int8:
      return 1;
  }
  return 4;
}

matrix::matrix(weight_type type, const void* data, size_t rows, size_t cols, const float* scales,
               std::shared_ptr<const void> owner)
    : type_(type),
      data_(data),
      rows_(rows),
      cols_(cols),
      scales_(scales),
      owner_(std::move(owner)) {
  if (type == weight_type::int8 && scales == nullptr)
    throw std::logic_error("int8 matrix without scales");
}

matrix matrix::from_weight(const weight& w) {
  if (w.empty()) return {};
  if (w.shape().size() != 2)
    throw std::logic_error("matrix::from_weight: " + shape_string(w.shape()) + " is not 2-D");
  return {weight_type::f32, w.data(), w.dim(0), w.dim(1), nullptr, w.owner()};
}

matrix matrix::convert(const float* src, size_t rows, size_t cols, weight_type type) {
  auto store = std::make_shared<converted_storage>();
  const size_t n = rows * cols;
  store->elements.resize(n * weight_type_size(type));
  void* out = store->elements.data();
  switch (type) {
    case weight_type::f32:
      std::memcpy(out, src, n * sizeof(float));
      break;
    case weight_type::bf16:
      for (size_t i = 0; i < n; ++i) static_cast<uint16_t*>(out)[i] = f32_to_bf16(src[i]);
      break;
    case weight_type::f16:
      for (size_t i = 0; i < n; ++i) static_cast<uint16_t*>(out)[i] = f32_to_f16(src[i]);
      break;
    case weight_type::int8:
      store->scales.resize(rows);
      for (size_t r = 0; r < rows; ++r)
        quantize_row_int8(src + r * cols, cols, static_cast<int8_t*>(out) + r * cols,
                          store->scales[r]);
      break;
  }
  const float* scales = type == weight_type::int8 ? store->scales.data() : nullptr;
  return {type, out, rows, cols, scales, std::move(store)};
}

size_t matrix::bytes() const {
  return rows_ * cols_ * weight_type_size(type_) +
         (type_ == weight_type::int8 ? rows_ * sizeof(float) : 0);
}

void matrix::row_to_f32(size_t r, std::span<float> out) const {
  if (r >= rows_ || out.size() != cols_)
    throw std::logic_error("matrix::row_to_f32: row or size out of range");
  const size_t at = r * cols_;
  switch (type_) {
    case weight_type::f32:
      std::memcpy(out.data(), data_as<float>() + at, cols_ * sizeof(float));
      break;
    case weight_type::bf16:
      for (size_t c = 0; c < cols_; ++c) out[c] = bf16_to_f32(data_as<uint16_t>()[at + c]);
      break;
    case weight_type::f16:
      for (size_t c = 0; c < cols_; ++c) out[c] = f16_to_f32(data_as<uint16_t>()[at + c]);
      break;
    case weight_type::int8:
      for (size_t c = 0; c < cols_; ++c)
        out[c] = static_cast<float>(data_as<int8_t>()[at + c]) * scales_[r];
      break;
  }
}

}  // namespace hf::engine
