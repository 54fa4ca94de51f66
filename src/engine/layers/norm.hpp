// Normalisation layers bound to their weights (LayerNorm with bias, RMSNorm without).
// Usage: auto ln = layernorm_weights::load(ws, "h.0.ln_1", 768, 1e-5f); ln(x, y);
#pragma once
#include <string>

#include "engine/kernels/kernels.hpp"
#include "engine/weights/weight_store.hpp"

namespace hf::engine {

struct layernorm_weights {
  weight gamma;
  weight beta;
  float eps = 1e-5f;
  // Loads name.weight / name.bias (or the legacy name.gamma / name.beta).
  static layernorm_weights load(const weight_store& ws, const std::string& name, size_t dim, float eps);
  void operator()(const tensor& x, tensor& y) const { kernels::layer_norm(x, gamma, beta, eps, y); }
  size_t bytes() const { return (gamma.size() + beta.size()) * sizeof(float); }
};

struct rmsnorm_weights {
  weight gamma;
  float eps = 1e-6f;
  static rmsnorm_weights load(const weight_store& ws, const std::string& name, size_t dim, float eps);
  void operator()(const tensor& x, tensor& y) const { kernels::rms_norm(x, gamma, eps, y); }
  size_t bytes() const { return gamma.size() * sizeof(float); }
};

}  // namespace hf::engine
