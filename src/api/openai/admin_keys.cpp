// POST /admin/keys (create; the answer is the only place the key is ever shown), GET /admin/keys
// (list, never the keys), DELETE /admin/keys/{name} (revoke). Admin scope, checked by routes.cpp.
#include <cstdint>

#include "api/openai/api_error.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/key_requests.hpp"
#include "auth/key_json.hpp"

namespace hf::api {
namespace {

auth::key_store& store(api_context& ctx) {
  if (!ctx.auth.keys) {
    throw api_error(404, "invalid_request_error",
                    "this server has no key database: start it with --db FILE (or --auth on)",
                    std::nullopt, "no_key_database");
  }
  return *ctx.auth.keys;
}

}  // namespace

rt::task<void> handle_create_key(api_context& ctx, call_options /*call*/, std::string_view body,
                                 responder& out) {
  auth::key_store& keys = store(ctx);
  const auth::key_spec spec = parse_key_spec(parse_json_object(body));
  std::string key;
  try {
    key = keys.create(spec);
  } catch (const auth::key_error& e) {
    throw api_error::invalid_param("name", e.what());
  }
  nlohmann::json resp = {{"key", key}};
  for (const auto& r : keys.list()) {
    if (r.name == spec.name) resp.update(auth::key_json(r));
  }
  co_await out.json(201, resp.dump());
}

rt::task<void> handle_list_keys(api_context& ctx, responder& out) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& r : store(ctx).list()) data.push_back(auth::key_json(r));
  nlohmann::json resp = {{"object", "list"}, {"data", std::move(data)}};
  co_await out.json(200, resp.dump());
}

rt::task<void> handle_revoke_key(api_context& ctx, std::string name, responder& out) {
  if (!store(ctx).revoke(name)) {
    throw api_error(404, "invalid_request_error", "no key named '" + name + "'", "name",
                    "key_not_found");
  }
  nlohmann::json resp = {{"name", name}, {"revoked", true}};
  co_await out.json(200, resp.dump());
}

}  // namespace hf::api
