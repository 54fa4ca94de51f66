#include "api/openai/key_requests.hpp"

#include <cstdint>

#include "api/openai/api_error.hpp"
#include "api/openai/json_fields.hpp"

namespace hf::api {

auth::key_spec parse_key_spec(const nlohmann::json& body) {
  json_fields f(body);
  auth::key_spec spec;
  spec.name = f.required_string("name");
  if (auto scope = f.string("scope")) {
    auto s = auth::parse_key_scope(*scope);
    if (!s) throw api_error::invalid_param("scope", "must be 'inference' or 'admin'");
    spec.scope = *s;
  }
  if (f.boolean("admin").value_or(false)) spec.scope = auth::key_scope::admin;
  spec.models = f.string_or_strings("models", 1024);
  spec.rpm = f.integer("rpm", 1, INT64_MAX);
  spec.tpm = f.integer("tpm", 1, INT64_MAX);
  return spec;
}

}  // namespace hf::api
