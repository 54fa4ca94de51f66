// Typed, validated reads of a JSON request body. Missing or malformed required fields are 400s;
// a present field with the wrong type or an out-of-range value is a 422 naming the field.
//   json_fields f(body);
//   std::string model = f.required_string("model");
//   std::int64_t n = f.integer("n", 1, 16).value_or(1);
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hf::api {

// Parses a request body as a JSON object (400 with the parser's message otherwise).
nlohmann::json parse_json_object(std::string_view body);

class json_fields {
 public:
  explicit json_fields(const nlohmann::json& object) : j_(object) {}

  bool has(std::string_view key) const;  // present and not null
  const nlohmann::json* get(std::string_view key) const;  // null if absent or JSON null

  // The field's value, any type (400 when absent or null).
  const nlohmann::json& required(std::string_view key) const;
  std::string required_string(std::string_view key) const;
  std::optional<std::string> string(std::string_view key) const;
  // Any finite number; its range is the caller's to check (e.g. against openai_limits).
  std::optional<double> number(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                      std::int64_t max) const;
  std::optional<bool> boolean(std::string_view key) const;
  // A string or an array of strings (e.g. "stop"), at most max_items.
  std::vector<std::string> string_or_strings(std::string_view key, std::size_t max_items) const;

 private:
  const nlohmann::json& j_;
};

}  // namespace hf::api
