// Small typed accessors for the JSON of tokenizer.json and tokenizer_config.json: each failure
// throws tokenizer_error naming the component and field, never a bare nlohmann exception.
//   bool lower = json_util::get_bool(j, "lowercase", true, "BertNormalizer");
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine::tok::json_util {

[[noreturn]] inline void fail(std::string_view where, std::string_view what) {
  throw tokenizer_error("tokenizer.json: " + std::string(where) + ": " + std::string(what));
}

inline const nlohmann::json& require(const nlohmann::json& j, const char* key,
                                     std::string_view where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) {
    fail(where, std::string("missing field \"") + key + "\"");
  }
  return j[key];
}

inline bool get_bool(const nlohmann::json& j, const char* key, bool fallback,
                     std::string_view where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_boolean()) fail(where, std::string("field \"") + key + "\" must be a boolean");
  return j[key].get<bool>();
}

inline std::string get_string(const nlohmann::json& j, const char* key, std::string_view where) {
  const auto& v = require(j, key, where);
  if (!v.is_string()) fail(where, std::string("field \"") + key + "\" must be a string");
  return v.get<std::string>();
}

inline std::string get_string(const nlohmann::json& j, const char* key, const std::string& fallback,
                              std::string_view where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_string()) fail(where, std::string("field \"") + key + "\" must be a string");
  return j[key].get<std::string>();
}

inline long long get_int(const nlohmann::json& j, const char* key, long long fallback,
                         std::string_view where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number_integer())
    fail(where, std::string("field \"") + key + "\" must be an integer");
  return j[key].get<long long>();
}

// A single character field (Metaspace "replacement"); returned as its UTF-8 string.
inline std::string get_char(const nlohmann::json& j, const char* key, const std::string& fallback,
                            std::string_view where) {
  std::string s = get_string(j, key, fallback, where);
  if (s.empty()) fail(where, std::string("field \"") + key + "\" must be one character");
  return s;
}

}  // namespace hf::engine::tok::json_util
