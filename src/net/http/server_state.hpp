// Internal: what a server shares with its connections: configuration, routes, hooks, the
// listener and the registry of live connections that drain() walks.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>

#include "net/http/cors.hpp"
#include "net/http/router.hpp"
#include "net/http/server.hpp"
#include "net/http/wire.hpp"
#include "runtime/net/tcp.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/event.hpp"

namespace hf::net::http::detail {

class connection;

struct route_entry final : route_slot {
  handler fn;
  websocket_handler ws_fn;  // set for WebSocket routes
  websocket_gate ws_gate;   // optional check before the upgrade is answered
  route_options options;
};

struct server_state {
  explicit server_state(server_config c);

  server_config config;
  router routes;
  cors_policy cors;
  error_renderer renderer;
  access_logger access_log;
  error_logger log_error;
  wire::date_cache date;
  std::uint64_t next_sequence = 1;

  std::optional<rt::tcp_listener> listener;  // while serving
  std::uint16_t port = 0;
  bool serving = false;
  bool draining = false;
  rt::task_group* group = nullptr;        // the connections' group while serve() runs
  std::unique_ptr<rt::event> serve_done;  // set when serve() returns
  std::optional<rt::capacity_limiter> limiter;

  // Live connections (intrusive list), for drain().
  connection* first = nullptr;
  std::size_t connections = 0;
  void link(connection* c) noexcept;
  void unlink(connection* c) noexcept;

  // The installed error renderer, falling back to the default if it throws.
  response render(status s, std::string_view message) const;
  void report_error(std::string_view request_id, std::string_view message) const;
};

}  // namespace hf::net::http::detail
