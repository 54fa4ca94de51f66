#include "engine/weights/generation_config.hpp"

#include "engine/weights/model_config.hpp"

namespace hf::engine {
namespace {

std::optional<int32_t> first_id(const json_config& c, const char* key) {
  auto ids = c.get_id_list(key);
  if (ids.empty()) return std::nullopt;
  return ids.front();
}

}  // namespace

generation_config load_generation_config(const std::filesystem::path& dir) {
  generation_config g;
  const auto gen_path = dir / "generation_config.json";
  const auto cfg_path = dir / "config.json";
  const bool has_gen = std::filesystem::exists(gen_path);
  const json_config c = json_config::load(has_gen ? gen_path : cfg_path);
  g.bos_id = first_id(c, "bos_token_id");
  g.eos_ids = c.get_id_list("eos_token_id");
  g.pad_id = first_id(c, "pad_token_id");
  if (!has_gen) return g;
  g.do_sample = c.get_bool("do_sample", false);
  g.temperature = c.find_double("temperature");
  g.top_p = c.find_double("top_p");
  g.top_k = c.find_size("top_k");
  g.repetition_penalty = c.find_double("repetition_penalty");
  g.max_new_tokens = c.find_size("max_new_tokens");
  return g;
}

}  // namespace hf::engine
