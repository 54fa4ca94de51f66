#include "api/openai/auth_check.hpp"

#include <nlohmann/json.hpp>

#include "api/openai/api_error.hpp"
#include "auth/api_key.hpp"
#include "net/http/headers.hpp"

namespace hf::api {
namespace {

api_error unauthorized(const std::string& message, const char* code) {
  return api_error(401, "invalid_request_error", message, std::nullopt, code);
}

api_error forbidden(const std::string& message, const char* code,
                    std::optional<std::string> param = std::nullopt) {
  return api_error(403, "invalid_request_error", message, std::move(param), code);
}

// The presented key: "Authorization: Bearer KEY" (scheme case-insensitive) or "x-api-key: KEY".
// nullopt when neither header is there; "" when one is there but holds no key.
std::optional<std::string_view> presented_key(const net::http::request& req) {
  if (auto h = req.header("authorization")) {
    constexpr std::string_view scheme = "bearer ";
    if (h->size() <= scheme.size() || !net::http::iequals(h->substr(0, scheme.size()), scheme)) {
      return std::string_view();
    }
    std::string_view key = h->substr(scheme.size());
    while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
    return key;
  }
  if (auto h = req.header("x-api-key")) return *h;
  return std::nullopt;
}

}  // namespace

std::optional<auth::key_record> authorize(const auth_settings& auth, const net::http::request& req,
                                          route_access access, const model_of_request& model) {
  if (!auth.enabled || access == route_access::open) return std::nullopt;
  const auto key = presented_key(req);
  if (!key) {
    throw unauthorized("no API key: send 'Authorization: Bearer KEY' or 'x-api-key: KEY'",
                       "missing_api_key");
  }
  if (!auth::looks_like_api_key(*key)) {
    throw unauthorized("malformed API key: keys look like hf_ followed by 43 letters and digits",
                       "invalid_api_key");
  }
  std::optional<auth::key_record> rec = auth.keys->find(*key);
  if (!rec) throw unauthorized("incorrect API key provided", "invalid_api_key");
  if (rec->revoked) throw unauthorized("this API key has been revoked", "revoked_api_key");
  if (access == route_access::admin && rec->scope != auth::key_scope::admin) {
    throw forbidden("this route needs an admin key; key '" + rec->name + "' has scope inference",
                    "insufficient_scope");
  }
  if (!rec->models.empty() && model) {
    if (const auto m = model(); m && m->empty()) {
      // The server's default model would be used; a limited key must say which model it means.
      throw forbidden("key '" + rec->name + "' is limited to some models: name one in 'model'",
                      "model_not_allowed", "model");
    } else if (m && !rec->allows_model(*m)) {
      throw forbidden("key '" + rec->name + "' may not use the model '" + *m + "'",
                      "model_not_allowed", "model");
    }
  }
  return rec;
}

std::optional<std::string> model_field(std::string_view body) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find("model");
  if (it == j.end() || !it->is_string()) return std::string();  // the default model
  return it->get<std::string>();
}

}  // namespace hf::api
