#include "api/openai/routes.hpp"

#include "api/openai/api_error.hpp"
#include "api/openai/handlers.hpp"
#include "net/http/exchange.hpp"
#include "runtime/errors.hpp"

namespace hf::api {
namespace {

namespace http = net::http;

class exchange_responder final : public responder {
 public:
  explicit exchange_responder(http::exchange& ex) : ex_(ex) {}
  rt::task<void> json(int status, std::string body) override {
    return ex_.respond(http::response::json(std::move(body), static_cast<http::status>(status)));
  }
  rt::task<void> text(int status, std::string_view content_type, std::string body) override {
    return ex_.respond(
        http::response::text(std::move(body), static_cast<http::status>(status), content_type));
  }
  rt::task<void> start_events() override {
    return ex_.start_stream(http::status::ok, {{"Content-Type", "text/event-stream"},
                                               {"Cache-Control", "no-cache"}});
  }
  rt::task<void> event(std::string_view data) override { return ex_.send_event(data); }
  rt::task<void> end_events() override { return ex_.end_stream(); }

 private:
  http::exchange& ex_;
};

using body_handler = rt::task<void> (*)(api_context&, std::string_view, responder&);
using plain_handler = rt::task<void> (*)(api_context&, responder&);

// Runs a handler and turns what it throws into the one error format: a JSON error before the
// answer started, an SSE error event (then the end of the stream) after. Cancellation passes.
template <class F>
http::handler guarded(F fn) {
  return [fn](http::exchange& ex) -> rt::task<void> {
    exchange_responder out(ex);
    std::exception_ptr error;
    try {
      co_await fn(ex, out);
    } catch (const rt::cancelled&) {
      throw;
    } catch (...) {
      error = std::current_exception();
    }
    if (!error) co_return;
    if (!ex.responded()) {
      co_await ex.respond(api_error_response(error_from_exception(error)));
    } else if (ex.streaming()) {
      co_await send_stream_error(out, error);
      co_await ex.end_stream();
    }
  };
}

// Every route: POST with a JSON body, and GET without. long_running: the handler may wait for a
// model (load, queue, engine), so a client that goes away cancels it.
struct body_route {
  const char* path;
  body_handler handler;
  bool long_running;
};
struct plain_route {
  const char* path;
  plain_handler handler;
};
constexpr body_route body_routes[] = {
    {"/v1/completions", &handle_completions, true},
    {"/v1/chat/completions", &handle_chat_completions, true},
    {"/v1/embeddings", &handle_embeddings, true},
    {"/tokenize", &handle_tokenize, true},
    {"/detokenize", &handle_detokenize, true},
    {"/classify", &handle_classify, true},
    {"/v1/rerank", &handle_rerank, true},
    {"/rerank", &handle_rerank, true},
    {"/score", &handle_score, true},
    {"/models/load", &handle_load_model, true},
    {"/models/unload", &handle_unload_model, false},
};
constexpr plain_route plain_routes[] = {
    {"/v1/models", &handle_list_models}, {"/models", &handle_loaded_models},
    {"/health", &handle_health},         {"/ready", &handle_ready},
    {"/status", &handle_status},         {"/metrics", &handle_metrics},
};
constexpr std::string_view k_model_route = "/v1/models/{id...}";

}  // namespace

std::string_view route_label(std::string_view path) {
  for (const auto& r : body_routes) {
    if (path == r.path) return r.path;
  }
  for (const auto& r : plain_routes) {
    if (path == r.path) return r.path;
  }
  if (path.starts_with("/v1/models/")) return k_model_route;
  return "other";
}

void register_routes(http::server& srv, api_context& ctx) {
  using http::method;
  api_context* c = &ctx;
  auto with_body = [c](body_handler h) {
    return guarded([c, h](http::exchange& ex, responder& out) {
      return h(*c, ex.request().body(), out);
    });
  };
  auto plain = [c](plain_handler h) {
    return guarded([c, h](http::exchange&, responder& out) { return h(*c, out); });
  };
  for (const auto& r : body_routes) {
    srv.route(method::post, r.path, with_body(r.handler), {.long_running = r.long_running});
  }
  for (const auto& r : plain_routes) srv.route(method::get, r.path, plain(r.handler));
  srv.route(method::get, k_model_route,
            guarded([c](http::exchange& ex, responder& out) {
              return handle_get_model(*c, std::string(ex.param()), out);
            }));

  srv.set_error_renderer([](http::status s, std::string_view message) {
    return http_error_response(static_cast<int>(s), std::string(message));
  });
}

}  // namespace hf::api
