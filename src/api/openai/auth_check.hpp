// Who may call a route. Every route has an access class: open (/health, /ready), inference (the
// model routes) or admin (model load/unload, status, metrics, key administration). With auth on,
// a request must carry a key (Authorization: Bearer KEY, or x-api-key: KEY) that exists, is not
// revoked, has the scope, and, for a model route, lists the model (or lists none). Failures are
// OpenAI-shaped api_errors: 401 (missing, malformed, unknown or revoked key), 403 (scope, model).
//   auto key = authorize(ctx.auth, ex.request(), route_access::inference,
//                        [&] { return model_field(body); });
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/key_store.hpp"
#include "auth/rate_limit_store.hpp"
#include "net/http/request.hpp"

namespace hf::api {

enum class route_access { open, inference, admin };

struct auth_settings {
  bool enabled = false;
  auth::key_store* keys = nullptr;           // required when enabled; also backs /admin/keys
  auth::rate_limit_store* limits = nullptr;  // per-key rpm/tpm; required when enabled
};

// Which model a request is for, asked only when the key is limited to some models: nullopt for a
// route without a model, "" for a request that leaves the model to the server's default.
using model_of_request = std::function<std::optional<std::string>()>;

// The key's record when auth is on and the request may proceed; nullopt when auth is off or the
// route is open. Throws api_error otherwise.
std::optional<auth::key_record> authorize(const auth_settings& auth, const net::http::request& req,
                                          route_access access, const model_of_request& model);

// The "model" string of a JSON request body; "" when the body names none (the server's default
// model would serve it); nullopt for a body that is not a JSON object (the route's own parser
// reports that after authorization).
std::optional<std::string> model_field(std::string_view body);

}  // namespace hf::api
