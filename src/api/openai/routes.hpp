// Binds the OpenAI routes, the model admin routes and the health routes to an HTTP server, and
// installs the OpenAI-shaped error renderer (so 404/405/408/413/431 from the server look like API
// errors too). The context must outlive the server.
//   register_routes(server, ctx);   route_label("/v1/models/gpt2") == "/v1/models/{id...}"
#pragma once
#include <string_view>

#include "api/openai/context.hpp"
#include "net/http/server.hpp"

namespace hf::api {

void register_routes(net::http::server& server, api_context& ctx);

// The route a request path belongs to, as a bounded label for metrics: the path of a fixed route,
// the pattern for /v1/models/{id...}, "other" for anything else (404s must not mint labels).
std::string_view route_label(std::string_view path);

}  // namespace hf::api
