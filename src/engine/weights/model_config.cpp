#include "engine/weights/model_config.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"

namespace hf::engine {

json_config json_config::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw model_error("cannot read " + file.string());
  try {
    return from_json(nlohmann::json::parse(in), file.string());
  } catch (const nlohmann::json::exception& e) {
    throw model_error("malformed JSON in " + file.string() + ": " + e.what());
  }
}

json_config json_config::from_json(const nlohmann::json& j, std::string source) {
  if (!j.is_object()) throw model_error(source + ": top level is not a JSON object");
  json_config c;
  c.json_ = std::make_shared<const nlohmann::json>(j);
  c.source_ = std::move(source);
  return c;
}

void json_config::fail(std::string_view key, const std::string& what) const {
  throw model_error(source_ + ": field \"" + std::string(key) + "\" " + what);
}

const nlohmann::json* json_config::field(std::string_view key) const {
  auto it = json_->find(key);
  if (it == json_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool json_config::has(std::string_view key) const { return field(key) != nullptr; }

std::optional<size_t> json_config::find_size(std::string_view key) const {
  const auto* f = field(key);
  if (!f) return std::nullopt;
  if (f->is_number_unsigned()) return f->get<size_t>();
  if (f->is_number_integer() && f->get<int64_t>() >= 0) return static_cast<size_t>(f->get<int64_t>());
  if (f->is_number_float()) {  // 2.0 is accepted as 2 (some configs are written by hand)
    const double d = f->get<double>();
    if (d >= 0 && std::floor(d) == d) return static_cast<size_t>(d);
  }
  fail(key, "must be a non-negative integer, got " + f->dump());
}

std::optional<double> json_config::find_double(std::string_view key) const {
  const auto* f = field(key);
  if (!f) return std::nullopt;
  if (!f->is_number()) fail(key, "must be a number, got " + f->dump());
  return f->get<double>();
}

size_t json_config::get_size(std::string_view key) const {
  auto v = find_size(key);
  if (!v) fail(key, "is missing");
  return *v;
}

size_t json_config::get_size(std::string_view key, size_t fallback) const {
  return find_size(key).value_or(fallback);
}

double json_config::get_double(std::string_view key) const {
  auto v = find_double(key);
  if (!v) fail(key, "is missing");
  return *v;
}

double json_config::get_double(std::string_view key, double fallback) const {
  return find_double(key).value_or(fallback);
}

bool json_config::get_bool(std::string_view key, bool fallback) const {
  const auto* f = field(key);
  if (!f) return fallback;
  if (!f->is_boolean()) fail(key, "must be true or false, got " + f->dump());
  return f->get<bool>();
}

std::string json_config::get_string(std::string_view key) const {
  const auto* f = field(key);
  if (!f) fail(key, "is missing");
  if (!f->is_string()) fail(key, "must be a string, got " + f->dump());
  return f->get<std::string>();
}

std::string json_config::get_string(std::string_view key, std::string fallback) const {
  return has(key) ? get_string(key) : std::move(fallback);
}

std::vector<int32_t> json_config::get_id_list(std::string_view key) const {
  const auto* f = field(key);
  std::vector<int32_t> out;
  if (!f) return out;
  auto one = [&](const nlohmann::json& v) {
    if (!v.is_number_integer()) fail(key, "must be an integer or a list of integers, got " + f->dump());
    out.push_back(v.get<int32_t>());
  };
  if (f->is_array()) {
    for (const auto& v : *f) one(v);
  } else {
    one(*f);
  }
  return out;
}

std::vector<std::string> json_config::get_string_list(std::string_view key) const {
  const auto* f = field(key);
  std::vector<std::string> out;
  if (!f) return out;
  if (!f->is_array()) fail(key, "must be a list of strings, got " + f->dump());
  for (const auto& v : *f) {
    if (!v.is_string()) fail(key, "must be a list of strings, got " + f->dump());
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<json_config> json_config::get_object(std::string_view key) const {
  const auto* f = field(key);
  if (!f) return std::nullopt;
  if (!f->is_object()) fail(key, "must be an object, got " + f->dump());
  return from_json(*f, source_ + " (" + std::string(key) + ")");
}

std::map<size_t, std::string> json_config::get_label_map(std::string_view key) const {
  const auto* f = field(key);
  std::map<size_t, std::string> out;
  if (!f) return out;
  if (!f->is_object()) fail(key, "must be an object {\"0\": \"label\", ...}");
  for (const auto& [k, v] : f->items()) {
    size_t id = 0;
    try {
      size_t used = 0;
      id = std::stoul(k, &used);
      if (used != k.size()) throw std::invalid_argument(k);
    } catch (const std::exception&) {
      fail(key, "has a non-integer key \"" + k + "\"");
    }
    if (!v.is_string()) fail(key, "value for \"" + k + "\" must be a string");
    out[id] = v.get<std::string>();
  }
  return out;
}

}  // namespace hf::engine
