// Conversion between nlohmann JSON and template values, and Python json.dumps for tojson.
// Both nlohmann::json (sorted keys) and nlohmann::ordered_json (keeps request order, which is
// what Python would see) are accepted.
//   value ctx = from_json(nlohmann::ordered_json::parse(body));
//   std::string s = dumps(v, dumps_options{.indent = "  "});
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "template/value.hpp"

namespace hf::tmpl {

// Deeper JSON is refused rather than risking the stack of the thread that renders.
inline constexpr int max_json_depth = 256;

template <class Json>
value from_json(const Json& j, int depth = 0) {
  if (depth > max_json_depth) throw eval_error("JSON context nested deeper than 256 levels");
  switch (j.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: return value::none();
    case nlohmann::json::value_t::boolean: return value::boolean(j.template get<bool>());
    case nlohmann::json::value_t::number_integer: return value::integer(j.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      auto u = j.template get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return value::floating(static_cast<double>(u));
      return value::integer(static_cast<std::int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return value::floating(j.template get<double>());
    case nlohmann::json::value_t::string: return value::from_string(j.template get<std::string>());
    case nlohmann::json::value_t::array: {
      list_t items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(from_json(item, depth + 1));
      return value::from_list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      dict_t d;
      d.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) d.append_unique(it.key(), from_json(it.value(), depth + 1));
      return value::from_dict(std::move(d));
    }
    case nlohmann::json::value_t::binary: break;
  }
  throw eval_error("binary JSON values cannot be used in templates");
}

struct dumps_options {
  bool ensure_ascii = false;
  std::optional<std::string> indent;  // nullopt: one line; otherwise newline + indent per level
  std::optional<std::string> item_separator;  // default ", " (one line) or "," (indented)
  std::string key_separator = ": ";
  bool sort_keys = false;
};

// Python's json.dumps: floats as repr, NaN/Infinity, control characters escaped. Throws
// eval_error for values JSON cannot hold (undefined, namespaces, functions).
std::string dumps(const value& v, const dumps_options& opts);

}  // namespace hf::tmpl
