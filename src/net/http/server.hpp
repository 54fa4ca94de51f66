// The HTTP/1.1 server: routes, WebSocket routes, hooks, and a serve() that accepts connections
// in a task group until it is cancelled or drained. Everything runs on the run's loop thread.
//   http::server srv({.port = 0, .cors = {.allowed_origins = {"*"}}});
//   srv.route(http::method::get, "/health", [](http::exchange& ex) -> rt::task<void> {
//     co_await ex.respond(http::response::json(R"({"status":"ok"})"));
//   });
//   std::uint16_t port = co_await tg.start<std::uint16_t>(
//       [&](rt::task_status<std::uint16_t>& st) { return srv.serve(st); });
//   ...  co_await srv.drain(10s);   // two-stage shutdown, see drain()
//
// Each connection is its own task: keep-alive, pipelined requests answered in order, limits
// (431, 413), timeouts as cancel scopes (408), 404/405, OPTIONS and CORS preflights, HEAD,
// Expect: 100-continue. Handlers on `long_running` routes get their own cancel scope, which a
// watcher task cancels when the client disconnects (bytes it reads meanwhile are kept for the
// next request); short routes run without a watcher, in the connection's task.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/http/cors.hpp"
#include "net/http/method.hpp"
#include "net/http/request.hpp"
#include "net/http/response.hpp"
#include "net/http/status.hpp"
#include "net/http/websocket.hpp"
#include "runtime/clock.hpp"
#include "runtime/task.hpp"
#include "runtime/task_group.hpp"

namespace hf::net::http {

class exchange;

using handler = std::function<rt::task<void>(exchange&)>;
using websocket_handler = std::function<rt::task<void>(websocket&, const request&)>;
// Looks at an upgrade request before the handshake is answered: a response refuses the upgrade
// and is sent instead (401 for a missing key, say); nullopt lets the upgrade go ahead.
using websocket_gate = std::function<std::optional<response>(const request&)>;

struct route_options {
  // Runs the handler in its own cancel scope with a watcher that cancels it when the client
  // disconnects (generation, streaming). Costs a task per request; leave off for quick routes.
  bool long_running = false;
};

struct server_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                  // 0: a free port, reported through serve()'s task status
  std::size_t max_body_bytes = 16u << 20;  // larger bodies: 413
  std::size_t max_header_bytes = 16u << 10;  // larger heads: 431
  // From a connection's start (or a keep-alive request's first byte) to its complete head: 408.
  rt::duration header_timeout = std::chrono::seconds(30);
  // How long a kept-alive connection may wait for its next request before it is closed.
  rt::duration idle_timeout = std::chrono::seconds(60);
  // Longest wait for the next piece of a request body: 408.
  rt::duration body_timeout = std::chrono::seconds(60);
  cors_config cors;
  // At most this many connections at once (0: no limit); further clients wait in the backlog.
  std::size_t max_connections = 0;
  int backlog = 1024;
  websocket_options websocket;
};

// One completed request, for the access log. Views are valid during the callback only.
struct access_log_entry {
  std::uint64_t sequence = 0;
  std::string_view request_id;
  std::string_view method;
  std::string_view path;
  int status = 0;           // 499: the client went away before the answer was complete
  std::size_t bytes = 0;    // body bytes sent
  rt::duration duration{};  // from the complete head to the end of the answer
};

using error_renderer = std::function<response(status, std::string_view message)>;
using access_logger = std::function<void(const access_log_entry&)>;
// Failures the server handled itself (a handler threw): request id ("" outside a request), message.
using error_logger = std::function<void(std::string_view request_id, std::string_view message)>;

// {"error":{"message":"...","code":404}} with Content-Type application/json.
response default_error_response(status s, std::string_view message);

namespace detail {
struct server_state;
}

class server {
 public:
  explicit server(server_config config = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // std::invalid_argument for a malformed pattern or a method already routed for it.
  void route(method m, std::string_view pattern, handler h, route_options options = {});
  // GET pattern that upgrades to a WebSocket (non-upgrade requests get 426). `gate`, when set,
  // may refuse a well-formed upgrade with its own response.
  void websocket(std::string_view pattern, websocket_handler h, websocket_gate gate = {});

  // The one function that turns server-side errors (404, 405, 408, 413, 431, 500, ...) into
  // responses; the API layer installs its OpenAI-shaped errors here. Default:
  // default_error_response. An exception from the renderer falls back to the default.
  void set_error_renderer(error_renderer r);
  void set_access_logger(access_logger fn);
  // Default: one line on stderr.
  void set_error_logger(error_logger fn);
  response render_error(status s, std::string_view message) const;

  // Binds config().host:port, reports the actual port through status.started(), then accepts
  // and serves connections until cancelled (everything stops at once) or drained (returns once
  // every connection has ended). Connections' failures never end serve(); a bind failure
  // throws std::system_error before started(). One serve() at a time (usage_error otherwise);
  // the server object must outlive it. Routes and hooks are set up before serving starts.
  rt::task<void> serve(rt::task_status<std::uint16_t>& status);

  // Stage one of shutdown: closes the listener; connections carry on. Synchronous.
  void stop_accepting();
  // Two-stage shutdown: stop accepting, close idle keep-alive connections, let requests in
  // flight finish (their responses carry "Connection: close") for up to `budget`, then cancel
  // whatever is left. Returns when serve() has returned. Called from another task than serve();
  // returns at once if serve() is not running. Cancelling drain() leaves serve() draining.
  rt::task<void> drain(rt::duration budget);
  bool draining() const noexcept;

  std::size_t connection_count() const noexcept;
  // The bound port while serving (0 otherwise).
  std::uint16_t port() const noexcept;
  const server_config& config() const noexcept;

 private:
  std::unique_ptr<detail::server_state> s_;
};

}  // namespace hf::net::http
