// generation_config.json of a causal LM (defaults for sampling and the stop ids), falling back to
// the ids in config.json when the file is absent.
// Usage: auto g = load_generation_config(dir); if (g.eos_ids.empty()) ...
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace hf::engine {

struct generation_config {
  std::optional<int32_t> bos_id;
  std::vector<int32_t> eos_ids;  // eos_token_id may be one id or a list
  std::optional<int32_t> pad_id;
  bool do_sample = false;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<size_t> top_k;
  std::optional<double> repetition_penalty;
  std::optional<size_t> max_new_tokens;
};

// Reads dir/generation_config.json if present, else the token ids of dir/config.json.
generation_config load_generation_config(const std::filesystem::path& dir);

}  // namespace hf::engine
