#include "engine/layers/linear.hpp"

#include <algorithm>

namespace hf::engine {
namespace {

// [rows, cols] -> [cols, rows], in tiles that stay in cache on both sides.
weight transposed(const weight& w) {
  const size_t rows = w.dim(0), cols = w.dim(1);
  tensor t({cols, rows});
  constexpr size_t tile = 32;
  for (size_t r0 = 0; r0 < rows; r0 += tile)
    for (size_t c0 = 0; c0 < cols; c0 += tile)
      for (size_t r = r0; r < std::min(rows, r0 + tile); ++r)
        for (size_t c = c0; c < std::min(cols, c0 + tile); ++c) t.data()[c * rows + r] = w.data()[r * cols + c];
  return weight::from_tensor(std::move(t));
}

}  // namespace

linear load_linear(const weight_store& ws, const std::string& name, size_t in, size_t out, bias_mode bias,
                   kernels::weight_layout layout) {
  linear l;
  if (layout == kernels::weight_layout::out_in) {
    l.w = ws.load(name + ".weight", {out, in});
  } else {
    // Conv1D checkpoints ([in, out]) are transposed once here, so that every projection runs the
    // same [out, in] kernels (decode streams weight rows, one per output).
    l.w = transposed(ws.load(name + ".weight", {in, out}));
  }
  const std::string bias_name = name + ".bias";
  if (bias == bias_mode::required || (bias == bias_mode::optional && ws.contains(bias_name)))
    l.bias = ws.load(bias_name, {out});
  return l;
}

}  // namespace hf::engine
