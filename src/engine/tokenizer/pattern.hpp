// A split/replace pattern of tokenizer.json: {"String": literal} or {"Regex": pcre}. Finds the
// regions of a string that match, as HF tokenizers' Pattern trait does.
//   auto p = pattern::from_json(j["pattern"], "Split");  auto regions = p.find_matches(text);
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/normalized_string.hpp"
#include "engine/tokenizer/regex.hpp"

namespace hf::engine::tok {

class pattern {
 public:
  // Throws tokenizer_error (naming `where`) for a malformed pattern or an empty literal.
  static pattern from_json(const nlohmann::json& j, std::string_view where);
  static pattern literal(std::string s);
  static pattern regular(const std::string& re);

  // Regions covering s in order; a string without matches is one non-matching region.
  std::vector<match_region> find_matches(std::string_view s) const;
  bool is_regex() const { return re_ != nullptr; }
  const std::string& literal_text() const { return literal_; }

 private:
  std::string literal_;
  std::shared_ptr<const regex> re_;
};

}  // namespace hf::engine::tok
