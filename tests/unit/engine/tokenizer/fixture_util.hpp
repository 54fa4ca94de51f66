// Helpers shared by the tokenizer tests: fixture paths, JSON loading and a per-folder tokenizer
// cache (loading the 50k-entry vocabularies once per test binary).
//   const auto& tok = fixture_tokenizer("gpt2");  auto cases =
//   load_json(fixture_path("gpt2/cases.json"));
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine::test {

inline std::filesystem::path tokenizer_fixtures() {
  return std::filesystem::path(HFSERVE_FIXTURES_DIR) / "tokenizers";
}

inline bool have_fixtures() {
  return std::filesystem::exists(tokenizer_fixtures() / "gpt2" / "tokenizer.json");
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json load_json(const std::filesystem::path& p) {
  return nlohmann::json::parse(read_text(p));
}

inline const tokenizer& fixture_tokenizer(const std::string& name) {
  static std::map<std::string, std::unique_ptr<tokenizer>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache
             .emplace(name, std::make_unique<tokenizer>(
                                tokenizer::from_folder(tokenizer_fixtures() / name)))
             .first;
  }
  return *it->second;
}

#define HF_REQUIRE_FIXTURES()                                                \
  do {                                                                       \
    if (!::hf::engine::test::have_fixtures()) GTEST_SKIP() << "no fixtures"; \
  } while (0)

}  // namespace hf::engine::test
