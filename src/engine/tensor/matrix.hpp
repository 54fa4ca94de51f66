// matrix: a read-only 2-D parameter [rows, cols] in one of the engine's weight types: f32, bf16 or
// f16 as a checkpoint stores them, or int8 with one f32 scale per row (symmetric, per output
// channel: row r holds round(w / scale[r]), scale[r] = max|w_r| / 127). Projections, LM heads and
// embedding tables are matrices; kernels::linear takes any type as it is (no widened copy) and
// embedding lookups widen one row at a time.
// Usage: matrix m = store.load_matrix("lm_head.weight", {vocab, hidden}, request);
//        m.row_to_f32(id, out);   kernels::linear(x, m, nullptr, y);
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "engine/tensor/tensor.hpp"

namespace hf::engine {

enum class weight_type : uint8_t { f32, bf16, f16, int8 };

std::string_view weight_type_name(weight_type t);                  // "f32", "bf16", "f16", "int8"
std::optional<weight_type> parse_weight_type(std::string_view s);  // those names, plus "float32",
                                                                   // "bfloat16", "float16", "half"
size_t weight_type_size(weight_type t);                            // bytes per element

class matrix {
 public:
  matrix() = default;
  // `owner` keeps `data` (and `scales`, int8 only) alive: a file mapping or a converted buffer.
  matrix(weight_type type, const void* data, size_t rows, size_t cols, const float* scales,
         std::shared_ptr<const void> owner);
  // An f32 view of a 2-D weight (shares its owner; nothing is copied).
  static matrix from_weight(const weight& w);
  // A new matrix of `type` holding src [rows, cols] (f32): bf16/f16 round to nearest even, int8
  // quantizes each row with its own scale (see above).
  static matrix convert(const float* src, size_t rows, size_t cols, weight_type type);

  weight_type type() const { return type_; }
  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  bool empty() const { return data_ == nullptr; }
  template <class T>
  const T* data_as() const {
    return static_cast<const T*>(data_);
  }
  const float* scales() const { return scales_; }  // int8: one per row; nullptr otherwise
  // Bytes held: elements, plus the int8 scales.
  size_t bytes() const;
  // Row r widened to f32 (int8: times its scale); out.size() must be cols().
  void row_to_f32(size_t r, std::span<float> out) const;

 private:
  weight_type type_ = weight_type::f32;
  const void* data_ = nullptr;
  size_t rows_ = 0;
  size_t cols_ = 0;
  const float* scales_ = nullptr;
  std::shared_ptr<const void> owner_;
};

}  // namespace hf::engine
