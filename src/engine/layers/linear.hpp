// A projection layer bound to its weights: y = x·W (+ b), whatever the checkpoint's layout and
// whatever weight type was asked for (the bias stays f32).
// Usage: auto fc = load_linear(ws, "h.0.mlp.c_fc", 768, 3072, bias_mode::required, dtype,
// weight_layout::in_out);
//        fc(x, y);
#pragma once
#include <string>

#include "engine/kernels/kernels.hpp"
#include "engine/tensor/matrix.hpp"
#include "engine/tensor/tensor.hpp"
#include "engine/weights/weight_store.hpp"

namespace hf::engine {

enum class bias_mode { none, required, optional };

struct linear {
  matrix w;
  weight bias;  // empty when the layer has none

  void operator()(const tensor& x, tensor& y) const { kernels::linear(x, w, bias.empty() ? nullptr : &bias, y); }
  size_t bytes() const { return w.bytes() + bias.size() * sizeof(float); }
};

// Loads `name`.weight ([out, in], or [in, out] for in_out, which is transposed to [out, in] at
// load) as `dtype` asks, and `name`.bias ([out]). The returned layer always has the out_in layout.
linear load_linear(const weight_store& ws, const std::string& name, size_t in, size_t out,
                   bias_mode bias, const dtype_request& dtype,
                   kernels::weight_layout layout = kernels::weight_layout::out_in);

}  // namespace hf::engine
