#include "api/openai/json_fields.hpp"

#include <cmath>

#include "api/openai/api_error.hpp"

namespace hf::api {

nlohmann::json parse_json_object(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw api_error::bad_request("the request body is not valid JSON");
  if (!j.is_object()) throw api_error::bad_request("the request body must be a JSON object");
  return j;
}

const nlohmann::json* json_fields::get(std::string_view key) const {
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool json_fields::has(std::string_view key) const { return get(key) != nullptr; }

const nlohmann::json& json_fields::required(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) throw api_error::bad_request("'" + std::string(key) + "' is required", std::string(key));
  return *v;
}

std::string json_fields::required_string(std::string_view key) const {
  const nlohmann::json& v = required(key);
  if (!v.is_string()) throw api_error::invalid_param(std::string(key), "must be a string");
  return v.get<std::string>();
}

std::optional<std::string> json_fields::string(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw api_error::invalid_param(std::string(key), "must be a string");
  return v->get<std::string>();
}

std::optional<double> json_fields::number(std::string_view key, double min, double max) const {
  const nlohmann::json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw api_error::invalid_param(std::string(key), "must be a number");
  double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    throw api_error::invalid_param(std::string(key), "must be between " +
                                                         nlohmann::json(min).dump() + " and " +
                                                         nlohmann::json(max).dump());
  }
  return d;
}

std::optional<std::int64_t> json_fields::integer(std::string_view key, std::int64_t min,
                                                 std::int64_t max) const {
  const nlohmann::json* v = get(key);
  if (!v) return std::nullopt;
  auto out_of_range = [&] {
    return api_error::invalid_param(std::string(key), "must be between " + std::to_string(min) +
                                                          " and " + std::to_string(max));
  };
  std::int64_t n = 0;
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max)) throw out_of_range();
    n = static_cast<std::int64_t>(u);
  } else if (v->is_number_integer()) {
    n = v->get<std::int64_t>();
  } else if (v->is_number_float()) {
    double d = v->get<double>();  // JSON clients may send 5.0 for 5
    if (d != std::floor(d)) throw api_error::invalid_param(std::string(key), "must be an integer");
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) throw out_of_range();
    n = static_cast<std::int64_t>(d);
  } else {
    throw api_error::invalid_param(std::string(key), "must be an integer");
  }
  if (n < min || n > max) throw out_of_range();
  return n;
}

std::optional<bool> json_fields::boolean(std::string_view key) const {
  const nlohmann::json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) throw api_error::invalid_param(std::string(key), "must be a boolean");
  return v->get<bool>();
}

std::vector<std::string> json_fields::string_or_strings(std::string_view key,
                                                        std::size_t max_items) const {
  const nlohmann::json* v = get(key);
  if (!v) return {};
  std::vector<std::string> out;
  if (v->is_string()) {
    out.push_back(v->get<std::string>());
  } else if (v->is_array()) {
    for (const auto& item : *v) {
      if (!item.is_string()) {
        throw api_error::invalid_param(std::string(key), "must be a string or a list of strings");
      }
      out.push_back(item.get<std::string>());
    }
  } else {
    throw api_error::invalid_param(std::string(key), "must be a string or a list of strings");
  }
  if (out.size() > max_items) {
    throw api_error::invalid_param(std::string(key),
                                   "at most " + std::to_string(max_items) + " items are allowed");
  }
  return out;
}

}  // namespace hf::api
