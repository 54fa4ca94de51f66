// The weight type a caller asks a model to be loaded in (`--dtype`, /models/load "dtype").
// `auto` keeps every matrix in the checkpoint's own type (F32, BF16 and F16 stay as they are,
// mapped in place where the layout allows; other float types become f32); a named type converts
// every projection, LM head and embedding matrix to it at load (int8: per-row quantization,
// engine/tensor/matrix.hpp). Norms, biases and position tables stay f32 whatever is asked.
// Usage: auto r = dtype_request::parse("bf16"); weight_type t = r->resolve(dtype::f32);
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "engine/tensor/matrix.hpp"
#include "engine/weights/dtype.hpp"

namespace hf::engine {

struct dtype_request {
  std::optional<weight_type> type;  // nullopt: auto

  // "auto", "f32", "bf16", "f16", "int8" (and the long names of matrix.hpp); nullopt otherwise.
  static std::optional<dtype_request> parse(std::string_view s);
  static constexpr std::string_view choices = "auto, f32, bf16, f16, int8";
  std::string name() const;
  // The type a matrix stored as `stored` gets.
  weight_type resolve(dtype stored) const;
  bool operator==(const dtype_request&) const = default;
};

}  // namespace hf::engine
