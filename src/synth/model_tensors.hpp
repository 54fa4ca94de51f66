// The tensors a HF checkpoint of each architecture holds, derived from its config.json, with the
// random initialisation make_model gives them (internal to synth/).
// Usage: for (auto& t : synth::model_tensors(cfg)) writer_entry(t.name, t.shape, t.init, t.scale);
#pragma once
#include <string>
#include <vector>

#include "engine/tensor/tensor.hpp"
#include "engine/weights/model_config.hpp"

namespace hf::engine::synth {

enum class init_kind {
  uniform,      // zero-mean with standard deviation `scale`
  around_one,   // 1 + zero-mean noise of std `scale` (norm weights)
};

struct tensor_spec {
  std::string name;
  shape_t shape;
  init_kind init = init_kind::uniform;
  float scale = 0.0f;
};

// Throws input_error for an unsupported "architectures" value.
std::vector<tensor_spec> model_tensors(const json_config& cfg);

}  // namespace hf::engine::synth
