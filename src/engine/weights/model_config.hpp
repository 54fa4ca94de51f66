// Typed, validated access to a HF JSON config (config.json, generation_config.json): every getter
// names the file and the field in its error, so a bad config never surfaces as a crash.
// Usage: auto c = json_config::load(dir / "config.json"); size_t h = c.get_size("hidden_size");
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::engine {

class json_config {
 public:
  static json_config load(const std::filesystem::path& file);  // throws model_error
  static json_config from_json(const nlohmann::json& j, std::string source);

  const std::string& source() const { return source_; }
  bool has(std::string_view key) const;  // present and not null

  // Required fields (throw model_error when absent, null or of the wrong type).
  size_t get_size(std::string_view key) const;
  double get_double(std::string_view key) const;
  std::string get_string(std::string_view key) const;
  // Optional fields: the fallback when absent or null; wrong types still throw.
  size_t get_size(std::string_view key, size_t fallback) const;
  double get_double(std::string_view key, double fallback) const;
  bool get_bool(std::string_view key, bool fallback) const;
  std::string get_string(std::string_view key, std::string fallback) const;
  std::optional<size_t> find_size(std::string_view key) const;
  std::optional<double> find_double(std::string_view key) const;
  // An int or a list of ints (e.g. eos_token_id); empty when absent.
  std::vector<int32_t> get_id_list(std::string_view key) const;
  std::vector<std::string> get_string_list(std::string_view key) const;
  // Nested object (e.g. rope_scaling); nullopt when absent or null.
  std::optional<json_config> get_object(std::string_view key) const;
  // id2label-style map {"0": "neg", ...}, keyed by integer id.
  std::map<size_t, std::string> get_label_map(std::string_view key) const;

  const nlohmann::json& raw() const { return *json_; }

 private:
  const nlohmann::json* field(std::string_view key) const;  // nullptr when absent or null
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  std::shared_ptr<const nlohmann::json> json_;
  std::string source_;
};

}  // namespace hf::engine
