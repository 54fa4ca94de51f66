#include "net/http/server.hpp"

#include <cstdio>
#include <system_error>
#include <utility>

#include "net/http/connection.hpp"
#include "net/http/server_state.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"

namespace hf::net::http {
namespace {
void json_escape(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
}
}  // namespace

response default_error_response(status s, std::string_view message) {
  std::string body = "{\"error\":{\"message\":\"";
  json_escape(body, message);
  body += "\",\"code\":" + std::to_string(code(s)) + "}}";
  return response::json(std::move(body), s);
}

namespace detail {

server_state::server_state(server_config c) : config(std::move(c)), cors(config.cors) {
  if (config.max_connections > 0) limiter.emplace(config.max_connections);
}

void server_state::link(connection* c) noexcept {
  c->next = first;
  if (first) first->prev = c;
  first = c;
  ++connections;
}

void server_state::unlink(connection* c) noexcept {
  if (c->prev) c->prev->next = c->next;
  if (c->next) c->next->prev = c->prev;
  if (first == c) first = c->next;
  c->prev = c->next = nullptr;
  --connections;
}

response server_state::render(status s, std::string_view message) const {
  if (renderer) {
    try {
      return renderer(s, message);
    } catch (const std::exception& e) {
      report_error("", std::string("error renderer threw: ") + e.what());
    }
  }
  return default_error_response(s, message);
}

void server_state::report_error(std::string_view request_id, std::string_view message) const {
  if (log_error) {
    try {
      log_error(request_id, message);
      return;
    } catch (const std::exception&) {
      // Fall through to stderr: the message must not be lost.
    }
  }
  std::fprintf(stderr, "hfserve http [%.*s]: %.*s\n", static_cast<int>(request_id.size()),
               request_id.data(), static_cast<int>(message.size()), message.data());
}

namespace {

rt::task<void> accept_loop(server_state& s, rt::task_group& tg) {
  for (;;) {
    auto conn = std::make_unique<connection>(s);
    if (s.limiter) {
      co_await s.limiter->acquire_on_behalf_of(conn.get());
      conn->holds_token = true;
    }
    std::optional<rt::tcp_stream> sock;
    bool closed = false;
    bool failed = false;
    try {
      sock.emplace(co_await s.listener->accept());
    } catch (const rt::closed_resource_error&) {
      closed = true;
    } catch (const std::system_error& e) {
      // Out of descriptors or memory: keep serving the connections we have, retry shortly.
      s.report_error("", std::string("accept failed: ") + e.what());
      failed = true;
    }
    if (closed) co_return;
    if (failed) {
      co_await rt::sleep(std::chrono::milliseconds(100));
      continue;
    }
    conn->attach(std::move(*sock));
    tg.start_soon([c = std::move(conn)]() -> rt::task<void> { co_await c->run(); },
                  "http connection");
  }
}

}  // namespace
}  // namespace detail

server::server(server_config config)
    : s_(std::make_unique<detail::server_state>(std::move(config))) {}
server::~server() = default;

void server::route(method m, std::string_view pattern, handler h, route_options options) {
  auto e = std::make_shared<detail::route_entry>();
  e->fn = std::move(h);
  e->options = options;
  s_->routes.add(m, pattern, std::move(e));
}

void server::websocket(std::string_view pattern, websocket_handler h, websocket_gate gate) {
  auto e = std::make_shared<detail::route_entry>();
  e->ws_fn = std::move(h);
  e->ws_gate = std::move(gate);
  s_->routes.add(method::get, pattern, std::move(e));
}

void server::set_error_renderer(error_renderer r) {
  s_->renderer = std::move(r);
}
void server::set_access_logger(access_logger fn) {
  s_->access_log = std::move(fn);
}
void server::set_error_logger(error_logger fn) {
  s_->log_error = std::move(fn);
}
response server::render_error(status s, std::string_view message) const {
  return s_->render(s, message);
}

rt::task<void> server::serve(rt::task_status<std::uint16_t>& status) {
  detail::server_state& s = *s_;
  if (s.serving) throw rt::usage_error("http::server::serve: this server is already serving");
  s.listener.emplace(rt::tcp_listener::bind(s.config.host, s.config.port, s.config.backlog));
  s.port = s.listener->local_port();
  s.serving = true;
  s.draining = false;
  s.serve_done = std::make_unique<rt::event>();
  struct cleanup {
    detail::server_state& s;
    ~cleanup() {
      s.group = nullptr;
      s.listener.reset();
      s.serving = false;
      s.port = 0;
      s.serve_done->set();
    }
  } on_exit{s};
  status.started(s.port);
  co_await rt::with_task_group([&s](rt::task_group& tg) -> rt::task<void> {
    s.group = &tg;
    co_await detail::accept_loop(s, tg);
  });
}

void server::stop_accepting() {
  if (s_->listener) s_->listener->close();
}

rt::task<void> server::drain(rt::duration budget) {
  detail::server_state& s = *s_;
  if (!s.serving) co_return;
  s.draining = true;
  stop_accepting();
  for (detail::connection* c = s.first; c; c = c->next) c->on_drain();
  rt::event& done = *s.serve_done;
  co_await rt::move_on_after(budget, [&done]() -> rt::task<void> { co_await done.wait(); });
  if (done.is_set()) co_return;
  if (s.group) s.group->cancel("the drain budget ran out");
  co_await done.wait();
}

bool server::draining() const noexcept {
  return s_->draining;
}
std::size_t server::connection_count() const noexcept {
  return s_->connections;
}
std::uint16_t server::port() const noexcept {
  return s_->port;
}
const server_config& server::config() const noexcept {
  return s_->config;
}

}  // namespace hf::net::http
