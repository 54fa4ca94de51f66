#include "api/openai/routes.hpp"

#include "api/openai/api_error.hpp"
#include "api/openai/auth_check.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/rate_limit_check.hpp"
#include "api/openai/websocket_session.hpp"
#include "net/http/exchange.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"

namespace hf::api {
namespace {

namespace http = net::http;

// Answers through the exchange, adding the headers the route's checks decided (rate limits) to
// whatever it sends, and keeps the tokens the handler reports for the key's budget.
class exchange_responder final : public responder {
 public:
  explicit exchange_responder(http::exchange& ex) : ex_(ex) {}
  rt::task<void> json(int status, std::string body) override {
    return ex_.respond(
        with_extra(http::response::json(std::move(body), static_cast<http::status>(status))));
  }
  rt::task<void> text(int status, std::string_view content_type, std::string body) override {
    return ex_.respond(with_extra(
        http::response::text(std::move(body), static_cast<http::status>(status), content_type)));
  }
  rt::task<void> start_events() override {
    http::header_list headers{{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    for (const auto& h : extra_) headers.add(h.name, h.value);
    streamed_ = true;
    return ex_.start_stream(http::status::ok, std::move(headers));
  }
  rt::task<void> event(std::string_view data) override { return ex_.send_event(data); }
  rt::task<void> end_events() override { return ex_.end_stream(); }
  void report_usage(const usage_report& usage) override { usage_ = usage; }
  void add_header(std::string_view name, std::string_view value) override {
    extra_.add(name, value);
  }

  http::header_list& extra_headers() { return extra_; }
  const usage_report& usage() const { return usage_; }
  bool streamed() const { return streamed_; }
  std::size_t tokens() const { return usage_.prompt_tokens + usage_.completion_tokens; }
  http::response with_extra(http::response r) const {
    for (const auto& h : extra_) r.headers.add(h.name, h.value);
    return r;
  }

 private:
  http::exchange& ex_;
  http::header_list extra_;
  usage_report usage_;
  bool streamed_ = false;
};

// The status a request gets in its record when the client went away before the answer ended.
constexpr int k_client_gone = 499;

using body_handler = rt::task<void> (*)(api_context&, call_options, std::string_view, responder&);
using plain_handler = rt::task<void> (*)(api_context&, responder&);

// Which model an exchange is for (asked only for keys limited to some models).
using model_getter = std::optional<std::string> (*)(http::exchange&);
std::optional<std::string> no_model(http::exchange&) {
  return std::nullopt;
}
std::optional<std::string> body_model(http::exchange& ex) {
  return model_field(ex.request().body());
}
std::optional<std::string> path_model(http::exchange& ex) {
  return std::string(ex.param());
}

// How long a request cut by the end of the shutdown grace may take to say so to its client.
constexpr rt::duration k_farewell_budget = std::chrono::seconds(1);

// The shutdown grace ran out while this request was in flight: tell its client why it ends (503
// `shutting_down`; on a stream an error event, then [DONE]) rather than cutting the connection.
// Shielded from the drain's cancellation, and bounded, so a client that does not read cannot
// hold the shutdown; a client already gone is not an error here.
rt::task<void> say_shutting_down(http::exchange& ex, exchange_responder& out) {
  const api_error failure(503, "server_error",
                          "the server is shutting down and its shutdown grace ran out before this "
                          "request finished",
                          std::nullopt, "shutting_down");
  co_await rt::move_on_after(
      k_farewell_budget,
      [&]() -> rt::task<void> {
        try {
          if (!ex.responded()) {
            co_await ex.respond(out.with_extra(api_error_response(failure)));
          } else if (ex.streaming()) {
            std::string data = api_error_body(failure).dump();
            co_await out.event(data);
            co_await end_completion_stream(out, "");
          }
        } catch (const std::exception&) {  // the client went away meanwhile
        }
      },
      /*shield=*/true);
}

// The request's record for the app's observers (usage log, metrics), once it is answered.
void report(const api_context& ctx, http::exchange& ex, std::string_view route, route_access access,
            model_getter model, const std::optional<auth::key_record>& key,
            const exchange_responder& out, rt::time_point started, int status,
            std::string error_code) {
  if (!ctx.on_request) return;
  request_record r = answered_request(route, ex.request().method_name(), key, status,
                                      std::move(error_code), out.usage(), started);
  r.model = model(ex).value_or("");
  r.streamed = out.streamed();
  r.probe = access == route_access::open;
  r.body = ex.request().body();
  ctx.on_request(r);
}

// Authorizes the request for its route's access class, admits it against its key's rate limits
// (charging the tokens it used afterwards), runs the handler, and turns what any of them
// throws into the one error format: a JSON error before the answer started, an SSE error event
// (then the end of the stream) after. Cancellation passes (after a farewell when it is the
// drain's: say_shutting_down). Every request, whatever its outcome, is reported to
// ctx.on_request.
template <class F>
http::handler guarded(const api_context* ctx, std::string_view route, route_access access,
                      model_getter model, F fn) {
  return [ctx, route, access, model, fn](http::exchange& ex) -> rt::task<void> {
    exchange_responder out(ex);
    const rt::time_point started = rt::current_time();
    std::exception_ptr error;
    bool cancelled = false;
    std::optional<auth::key_record> key;
    // What a keyed request used counts against its key even when the client went away.
    auto charge = [&] {
      if (key && ctx->auth.limits) {
        charge_request(*ctx->auth.limits, *key, out.tokens());
      }
    };
    try {
      key = authorize(ctx->auth, ex.request(), access, [&ex, model] { return model(ex); });
      if (key && ctx->auth.limits) {
        co_await admit_request(*ctx->auth.limits, *key, out.extra_headers());
      }
      co_await fn(ex, out);
    } catch (const rt::cancelled&) {
      error = std::current_exception();
      cancelled = true;
    } catch (...) {
      error = std::current_exception();
    }
    charge();
    if (cancelled) {
      // Either the client went away or the drain cut what outlived the shutdown grace.
      const bool shutdown = ctx->state && ctx->state() == server_state::draining;
      report(*ctx, ex, route, access, model, key, out, started, shutdown ? 503 : k_client_gone,
             shutdown ? "shutting_down" : "");
      if (shutdown) co_await say_shutting_down(ex, out);
      std::rethrow_exception(error);
    }
    if (!error) {
      const std::optional<api_error>& ended = out.stream_error();
      report(*ctx, ex, route, access, model, key, out, started,
             ended ? ended->status() : static_cast<int>(ex.response_status()),
             ended ? ended->code().value_or(ended->type()) : "");
      co_return;
    }
    const api_error failure = error_from_exception(error);
    report(*ctx, ex, route, access, model, key, out, started, failure.status(),
           failure.code().value_or(failure.type()));
    if (!ex.responded()) {
      co_await ex.respond(out.with_extra(api_error_response(failure)));
    } else if (ex.streaming()) {
      co_await send_stream_error(out, error);
      co_await ex.end_stream();
    }
  };
}

// Every route: POST with a JSON body, and GET without. long_running: the handler may wait for a
// model (load, queue, engine), so a client that goes away cancels it.
// access: who may call it when auth is on (auth_check.hpp).
struct body_route {
  const char* path;
  body_handler handler;
  bool long_running;
  route_access access;
};
struct plain_route {
  const char* path;
  plain_handler handler;
  route_access access;
};
constexpr auto k_inference = route_access::inference;
constexpr auto k_admin = route_access::admin;
constexpr auto k_open = route_access::open;
constexpr body_route body_routes[] = {
    {"/v1/completions", &handle_completions, true, k_inference},
    {"/v1/chat/completions", &handle_chat_completions, true, k_inference},
    {"/v1/embeddings", &handle_embeddings, true, k_inference},
    {"/tokenize", &handle_tokenize, true, k_inference},
    {"/detokenize", &handle_detokenize, true, k_inference},
    {"/classify", &handle_classify, true, k_inference},
    {"/v1/rerank", &handle_rerank, true, k_inference},
    {"/rerank", &handle_rerank, true, k_inference},
    {"/score", &handle_score, true, k_inference},
    {"/models/load", &handle_load_model, true, k_admin},
    {"/models/unload", &handle_unload_model, false, k_admin},
    {"/admin/keys", &handle_create_key, false, k_admin},
};
constexpr plain_route plain_routes[] = {
    {"/v1/models", &handle_list_models, k_inference},
    {"/models", &handle_loaded_models, k_admin},
    {"/health", &handle_health, k_open},
    {"/ready", &handle_ready, k_open},
    {"/status", &handle_status, k_admin},
    {"/metrics", &handle_metrics, k_admin},
    {"/admin/keys", &handle_list_keys, k_admin},
    {"/admin/queue", &handle_queue_status, k_admin},
};
constexpr std::string_view k_model_route = "/v1/models/{id...}";
constexpr std::string_view k_key_route = "/admin/keys/{name}";

}  // namespace

std::string_view route_label(std::string_view path) {
  for (const auto& r : body_routes) {
    if (path == r.path) return r.path;
  }
  for (const auto& r : plain_routes) {
    if (path == r.path) return r.path;
  }
  if (path.starts_with("/v1/models/")) return k_model_route;
  if (path.starts_with("/admin/keys/")) return k_key_route;
  return "other";
}

void register_routes(http::server& srv, api_context& ctx) {
  using http::method;
  api_context* c = &ctx;
  for (const auto& r : body_routes) {
    const body_handler h = r.handler;
    srv.route(method::post, r.path,
              guarded(c, r.path, r.access, &body_model,
                      [c, h](http::exchange& ex, responder& out) {
                        const http::request& req = ex.request();
                        // Inside guarded: a malformed header is answered (400) and reported.
                        const call_options call = call_options_from(
                            req.header("x-request-timeout"), req.header("x-priority"),
                            c->request_timeout, rt::current_time());
                        return h(*c, call, req.body(), out);
                      }),
              {.long_running = r.long_running});
  }
  for (const auto& r : plain_routes) {
    const plain_handler h = r.handler;
    srv.route(method::get, r.path,
              guarded(c, r.path, r.access, &no_model,
                      [c, h](http::exchange&, responder& out) { return h(*c, out); }));
  }
  srv.route(
      method::get, k_model_route,
      guarded(c, k_model_route, k_inference, &path_model, [c](http::exchange& ex, responder& out) {
        return handle_get_model(*c, std::string(ex.param()), out);
      }));
  srv.route(method::delete_, k_key_route,
            guarded(c, k_key_route, k_admin, &no_model, [c](http::exchange& ex, responder& out) {
              return handle_revoke_key(*c, std::string(ex.param()), out);
            }));

  srv.websocket(
      k_websocket_route,
      [c](http::websocket& ws, const http::request& req) {
        return run_websocket_session(*c, ws, req);
      },
      [c](const http::request& req) { return websocket_gate(*c, req); });

  srv.set_error_renderer([](http::status s, std::string_view message) {
    return http_error_response(static_cast<int>(s), std::string(message));
  });
}

}  // namespace hf::api
