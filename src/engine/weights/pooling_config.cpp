#include "engine/weights/pooling_config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/errors.hpp"
#include "engine/weights/model_config.hpp"

namespace hf::engine {

std::optional<pooling> parse_pooling(std::string_view name) {
  if (name == "mean") return pooling::mean;
  if (name == "cls") return pooling::cls;
  if (name == "last") return pooling::last;
  if (name == "pooler") return pooling::pooler;
  return std::nullopt;
}

std::string_view pooling_name(pooling p) {
  switch (p) {
    case pooling::mean: return "mean";
    case pooling::cls: return "cls";
    case pooling::last: return "last";
    case pooling::pooler: return "pooler";
  }
  return "?";
}

std::optional<pooling_config> load_pooling_config(const std::filesystem::path& dir) {
  const auto modules_path = dir / "modules.json";
  if (!std::filesystem::exists(modules_path)) return std::nullopt;
  std::ifstream in(modules_path);
  nlohmann::json modules;
  try {
    modules = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw model_error("malformed JSON in " + modules_path.string() + ": " + e.what());
  }
  if (!modules.is_array()) throw model_error(modules_path.string() + ": expected a JSON list of modules");
  pooling_config pc;
  bool found_pooling = false;
  for (const auto& m : modules) {
    if (!m.is_object() || !m.contains("type") || !m["type"].is_string()) continue;
    const auto type = m["type"].get<std::string>();
    if (type.ends_with(".Normalize")) pc.normalize = true;
    if (!type.ends_with(".Pooling")) continue;
    const std::string sub = m.value("path", std::string("1_Pooling"));
    if (sub.find("..") != std::string::npos)
      throw model_error(modules_path.string() + ": invalid pooling module path '" + sub + "'");
    const auto c = json_config::load(dir / sub / "config.json");
    found_pooling = true;
    if (c.get_bool("pooling_mode_cls_token", false)) {
      pc.mode = pooling::cls;
    } else if (c.get_bool("pooling_mode_lasttoken", false)) {
      pc.mode = pooling::last;
    } else if (c.get_bool("pooling_mode_mean_tokens", false)) {
      pc.mode = pooling::mean;
    } else {
      throw model_error(c.source() +
                        ": no supported pooling mode (cls_token, mean_tokens or lasttoken) is set");
    }
  }
  if (!found_pooling) return std::nullopt;
  return pc;
}

}  // namespace hf::engine
