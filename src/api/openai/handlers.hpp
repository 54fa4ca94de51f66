// The route handlers, as plain coroutines over (context, call options, request body, responder),
// so they can be tested without sockets. routes.cpp binds them to the HTTP server. Errors are
// thrown and turned into OpenAI error bodies by api_error_response (before streaming starts) or
// sent as an SSE error event (after). Body handlers take their call_options by value: the coroutine
// keeps its own copy, since the route's lambda that computed them returns before the handler has
// run.
#pragma once
#include <string>
#include <string_view>

#include "api/openai/call_options.hpp"
#include "api/openai/context.hpp"
#include "api/openai/responder.hpp"
#include "runtime/task.hpp"

namespace hf::api {

rt::task<void> handle_completions(api_context& ctx, call_options call, std::string_view body,
                                  responder& out);
rt::task<void> handle_chat_completions(api_context& ctx, call_options call, std::string_view body,
                                       responder& out);
rt::task<void> handle_embeddings(api_context& ctx, call_options call, std::string_view body,
                                 responder& out);

rt::task<void> handle_tokenize(api_context& ctx, call_options call, std::string_view body,
                               responder& out);
rt::task<void> handle_detokenize(api_context& ctx, call_options call, std::string_view body,
                                 responder& out);
rt::task<void> handle_classify(api_context& ctx, call_options call, std::string_view body,
                               responder& out);
rt::task<void> handle_rerank(api_context& ctx, call_options call, std::string_view body,
                             responder& out);
rt::task<void> handle_score(api_context& ctx, call_options call, std::string_view body,
                            responder& out);

rt::task<void> handle_list_models(api_context& ctx, responder& out);
rt::task<void> handle_get_model(api_context& ctx, std::string id, responder& out);
rt::task<void> handle_loaded_models(api_context& ctx, responder& out);
rt::task<void> handle_load_model(api_context& ctx, call_options call, std::string_view body,
                                 responder& out);
rt::task<void> handle_unload_model(api_context& ctx, call_options call, std::string_view body,
                                   responder& out);

rt::task<void> handle_create_key(api_context& ctx, call_options call, std::string_view body,
                                 responder& out);
rt::task<void> handle_list_keys(api_context& ctx, responder& out);
rt::task<void> handle_revoke_key(api_context& ctx, std::string name, responder& out);

rt::task<void> handle_health(api_context& ctx, responder& out);
rt::task<void> handle_ready(api_context& ctx, responder& out);
rt::task<void> handle_status(api_context& ctx, responder& out);
rt::task<void> handle_queue_status(api_context& ctx, responder& out);
rt::task<void> handle_metrics(api_context& ctx, responder& out);

// Sends an error as an SSE event (for failures after a stream has started).
rt::task<void> send_stream_error(responder& out, const std::exception_ptr& e);
// Ends a completion stream after its last choice: `usage_chunk` first unless empty (the client
// asked for usage and nothing failed), then "data: [DONE]".
rt::task<void> end_completion_stream(responder& out, std::string usage_chunk);

}  // namespace hf::api
