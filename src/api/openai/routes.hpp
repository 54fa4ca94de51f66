// Binds the OpenAI routes, the model admin routes and the health routes to an HTTP server, and
// installs the OpenAI-shaped error renderer (so 404/405/408/413/431 from the server look like API
// errors too). The context must outlive the server.
//   register_routes(server, ctx);
#pragma once
#include "api/openai/context.hpp"
#include "net/http/server.hpp"

namespace hf::api {

void register_routes(net::http::server& server, api_context& ctx);

}  // namespace hf::api
