// config.json presets of make_model (internal to synth/): shapes named after the models they
// imitate, written as the HF config fields of each architecture.
// Usage: nlohmann::json c = synth::preset_config("llama", "llama-0.5b");
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hf::engine::synth {

std::vector<std::string> preset_names(const std::string& arch);
// Throws input_error naming the known archs / presets.
nlohmann::json preset_config(const std::string& arch, const std::string& preset);

}  // namespace hf::engine::synth
