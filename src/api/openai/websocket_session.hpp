// GET /v1/ws: generation over a WebSocket. One JSON text message starts a generation with the
// same fields as POST /v1/completions or /v1/chat/completions; its chunks come back as messages
// (the very chunks the SSE stream carries); several generations run on one socket at once, each
// under the id the client gave it; a cancel message stops one at the scheduler's next step.
//
// Client -> server:
//   {"type":"completion","id":"a","model":"gpt2","prompt":"Hi","max_tokens":16}
//   {"type":"chat","id":"b","model":"llama","messages":[...]}      (streamed unless "stream":false)
//   {"type":"cancel","id":"a"}
//   {"type":"subscribe","events":["status"]}   {"type":"unsubscribe","events":["status"]}
// Server -> client:
//   {"type":"chunk","id":"a","data":{...chat.completion.chunk or text_completion...}}
//   {"type":"done","id":"a"}                       after the last chunk ([DONE] on SSE)
//   {"type":"result","id":"a","data":{...}}        the whole answer, for "stream":false
//   {"type":"cancelled","id":"a"}
//   {"type":"error","id":"a","status":429,"error":{...OpenAI error...},"retry_after":7}
//   {"type":"status","models":[{"id","state","queued","active"}...]}   on subscribe, then on change
// With auth on, the upgrade itself needs an inference key (401/403 before the handshake) and each
// generation is authorised for its model and admitted against the key's rate limits; every
// generation is reported to ctx.on_request like an HTTP request (route "/v1/ws").
#pragma once
#include <optional>

#include "api/openai/context.hpp"
#include "net/http/request.hpp"
#include "net/http/response.hpp"
#include "net/http/websocket.hpp"
#include "runtime/task.hpp"

namespace hf::api {

inline constexpr std::string_view k_websocket_route = "/v1/ws";

// The upgrade's gate: the 401/403 answer when auth refuses the key, nullopt to go ahead.
std::optional<net::http::response> websocket_gate(const api_context& ctx,
                                                  const net::http::request& upgrade);

// Serves one socket until the client closes it (or the server cancels it); then every
// generation still running is cancelled.
rt::task<void> run_websocket_session(api_context& ctx, net::http::websocket& ws,
                                     const net::http::request& upgrade);

}  // namespace hf::api
