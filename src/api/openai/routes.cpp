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

}  // namespace

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
  const http::route_options long_running{.long_running = true};

  srv.route(method::post, "/v1/completions", with_body(&handle_completions), long_running);
  srv.route(method::post, "/v1/chat/completions", with_body(&handle_chat_completions), long_running);
  srv.route(method::post, "/v1/embeddings", with_body(&handle_embeddings), long_running);
  srv.route(method::get, "/v1/models", plain(&handle_list_models));
  srv.route(method::get, "/v1/models/{id...}",
            guarded([c](http::exchange& ex, responder& out) {
              return handle_get_model(*c, std::string(ex.param()), out);
            }));
  srv.route(method::get, "/models", plain(&handle_loaded_models));
  srv.route(method::post, "/models/load", with_body(&handle_load_model), long_running);
  srv.route(method::post, "/models/unload", with_body(&handle_unload_model));
  srv.route(method::get, "/health", plain(&handle_health));
  srv.route(method::get, "/ready", plain(&handle_ready));
  srv.route(method::get, "/status", plain(&handle_status));

  srv.set_error_renderer([](http::status s, std::string_view message) {
    return http_error_response(static_cast<int>(s), std::string(message));
  });
}

}  // namespace hf::api
