#include "engine/layers/norm.hpp"

namespace hf::engine {

layernorm_weights layernorm_weights::load(const weight_store& ws, const std::string& name, size_t dim,
                                          float eps) {
  // Checkpoints converted from TF-era BERT spell the parameters gamma/beta.
  const std::string w[] = {name + ".weight", name + ".gamma"};
  const std::string b[] = {name + ".bias", name + ".beta"};
  return {ws.load_first(w, {dim}), ws.load_first(b, {dim}), eps};
}

rmsnorm_weights rmsnorm_weights::load(const weight_store& ws, const std::string& name, size_t dim, float eps) {
  return {ws.load(name + ".weight", {dim}), eps};
}

}  // namespace hf::engine
