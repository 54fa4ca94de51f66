// Random-weight models in HF format (config.json, model.safetensors, generation_config.json for
// causal LMs, synthetic tokenizer files matching vocab_size) for tests and benchmarks, any size.
// Usage: make_model("/tmp/m", {.arch = "llama", .preset = "llama-0.5b", .overrides = R"({"num_hidden_layers":4})"});
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/weights/dtype.hpp"

namespace hf::engine {

struct make_model_options {
  std::string arch = "gpt2";  // gpt2 | llama | qwen2 | bert
  std::string preset = "tiny";
  std::string overrides;      // JSON object of config.json fields applied over the preset
  uint64_t seed = 0;
  dtype weight_dtype = dtype::f32;  // F32, F16 or BF16
};

// Presets per architecture, e.g. {"tiny", "gpt2-small"} for gpt2.
std::vector<std::string> make_model_presets(const std::string& arch);

// Writes the folder (created if needed). Throws input_error for an unknown arch / preset, bad JSON
// overrides or a vocab_size below 300 (the synthetic tokenizer needs room for its base tokens).
// Returns the number of parameters written.
size_t make_model(const std::filesystem::path& out, const make_model_options& options);

}  // namespace hf::engine
