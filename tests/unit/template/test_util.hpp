// Helpers for the template tests: HF's environment options, rendering a snippet, and reading
// files from the fixtures and from this folder.
//   EXPECT_EQ(hf_render("{{ 1 + 1 }}"), "2");
#pragma once
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "template/template.hpp"

namespace hf::tmpl::testing {

// What transformers' apply_chat_template uses.
inline options hf_options() { return options{.trim_blocks = true, .lstrip_blocks = true}; }

inline std::string hf_render(std::string_view source, const nlohmann::ordered_json& context = nlohmann::ordered_json::object()) {
  return template_::parse(source, hf_options()).render(context);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string template_data_dir() { return std::string(HFSERVE_SOURCE_DIR) + "/tests/unit/template"; }

}  // namespace hf::tmpl::testing
