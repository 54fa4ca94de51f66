#include "engine/tokenizer/pattern.hpp"

#include <nlohmann/json.hpp>

#include "engine/tokenizer/json_util.hpp"

namespace hf::engine::tok {

pattern pattern::from_json(const nlohmann::json& j, std::string_view where) {
  if (j.is_object() && j.contains("Regex") && j["Regex"].is_string()) {
    return regular(j["Regex"].get<std::string>());
  }
  std::string lit;
  if (j.is_object() && j.contains("String") && j["String"].is_string()) {
    lit = j["String"].get<std::string>();
  } else if (j.is_string()) {
    lit = j.get<std::string>();
  } else {
    json_util::fail(where, "pattern must be {\"String\": ...} or {\"Regex\": ...}");
  }
  if (lit.empty()) json_util::fail(where, "empty String pattern");
  return literal(std::move(lit));
}

pattern pattern::literal(std::string s) {
  pattern p;
  p.literal_ = std::move(s);
  return p;
}

pattern pattern::regular(const std::string& re) {
  pattern p;
  p.re_ = std::make_shared<const regex>(re);
  return p;
}

std::vector<match_region> pattern::find_matches(std::string_view s) const {
  if (re_) return re_->find_matches(s);
  return find_string_matches(s, literal_);
}

}  // namespace hf::engine::tok
