#include "engine/layers/linear.hpp"

namespace hf::engine {

linear load_linear(const weight_store& ws, const std::string& name, size_t in, size_t out,
                   bias_mode bias, const dtype_request& dtype, kernels::weight_layout layout) {
  linear l;
  // Conv1D checkpoints ([in, out]) are transposed once at load, so that every projection runs the
  // same [out, in] kernels (decode streams weight rows, one per output).
  l.w = ws.load_matrix(name + ".weight", out, in, dtype, layout == kernels::weight_layout::in_out);
  const std::string bias_name = name + ".bias";
  if (bias == bias_mode::required || (bias == bias_mode::optional && ws.contains(bias_name)))
    l.bias = ws.load(bias_name, {out});
  return l;
}

}  // namespace hf::engine
