// The one place that maps config.json "architectures" to the code that runs them.
// Usage: auto m = load_model(dir);             // any supported architecture
//        auto lm = load_causal_lm(dir);        // throws model_error if dir is not a causal LM
//        auto bf = load_causal_lm(dir, *dtype_request::parse("bf16"));
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/models/causal_lm.hpp"
#include "engine/models/encoder.hpp"
#include "engine/models/model.hpp"
#include "engine/weights/dtype_request.hpp"

namespace hf::engine {

// Loads config.json and the safetensors weights of `dir`, its matrices in the weight type `dtype`
// asks for (default: the checkpoint's own). An unknown architecture throws model_error listing
// the supported ones.
std::unique_ptr<model> load_model(const std::filesystem::path& dir,
                                  const dtype_request& dtype = {});
std::unique_ptr<causal_lm> load_causal_lm(const std::filesystem::path& dir,
                                          const dtype_request& dtype = {});
std::unique_ptr<encoder_model> load_encoder(const std::filesystem::path& dir,
                                            const dtype_request& dtype = {});

std::vector<std::string> supported_architectures();

}  // namespace hf::engine
