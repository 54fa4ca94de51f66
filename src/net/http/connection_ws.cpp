// The WebSocket half of a connection: the upgrade handshake (RFC 6455 4.2) and the session that
// runs the route's handler on the same socket and read buffer.
#include <string>

#include "net/http/connection.hpp"
#include "net/http/headers.hpp"
#include "net/http/websocket.hpp"
#include "net/http/websocket_frame.hpp"
#include "net/http/wire.hpp"
#include "runtime/errors.hpp"

namespace hf::net::http::detail {

rt::task<void> connection::run_websocket(const route_entry& r, exchange& ex) {
  auto upgrade = req_.header("upgrade");
  auto conn_hdr = req_.header("connection");
  auto key = req_.header("sec-websocket-key");
  if (!upgrade || !has_token(*upgrade, "websocket") || !conn_hdr ||
      !has_token(*conn_hdr, "upgrade")) {
    response resp = srv_.render(status::upgrade_required, "this endpoint only speaks WebSocket");
    resp.headers.set("Upgrade", "websocket");
    co_await write_response(ex, resp);
    co_return;
  }
  if (req_.method() != method::get || req_.version() < 11 || body_pending_) {
    co_await respond_error(ex, status::bad_request,
                           "a WebSocket upgrade is a bodiless HTTP/1.1 GET");
    co_return;
  }
  if (req_.header("sec-websocket-version").value_or("") != "13") {
    response resp = srv_.render(status::upgrade_required, "unsupported WebSocket version");
    resp.headers.set("Sec-WebSocket-Version", "13");
    co_await write_response(ex, resp);
    co_return;
  }
  if (!key || !ws::is_valid_client_key(*key)) {
    co_await respond_error(ex, status::bad_request, "missing or malformed Sec-WebSocket-Key");
    co_return;
  }
  // Browsers send Origin on WebSocket handshakes without a preflight: refuse origins CORS refuses.
  if (auto origin = req_.header("origin");
      origin && srv_.cors.enabled() && !srv_.cors.allow_origin(*origin)) {
    co_await respond_error(ex, status::forbidden,
                           "origin " + std::string(*origin) + " is not allowed");
    co_return;
  }
  if (r.ws_gate) {
    if (std::optional<response> refused = r.ws_gate(req_)) {
      co_await write_response(ex, *refused);
      co_return;
    }
  }

  end_at_least(ending::close_after_answer);  // the connection is the WebSocket's from here on
  out_.clear();
  out_.append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
  wire::field(out_, "Sec-WebSocket-Accept", ws::accept_key(*key));
  if (ex.client_request_id_) wire::field(out_, "X-Request-Id", ex.request_id());
  out_.append("\r\n");
  ex.state_ = exchange::state::finished;
  ex.status_ = status::switching_protocols;
  co_await send(out_);

  websocket socket(*sock_, in_, srv_.config.websocket);
  std::exception_ptr error;
  try {
    co_await r.ws_fn(socket, req_);
  } catch (const rt::cancelled&) {
    throw;
  } catch (...) {
    error = std::current_exception();
  }
  if (error) srv_.report_error(ex.request_id(), "WebSocket handler threw: " + rt::describe(error));
  try {
    if (!socket.close_sent()) {
      co_await socket.close(error ? ws::close_code::internal_error : ws::close_code::normal,
                            error ? "internal error" : "");
    }
  } catch (const std::exception&) {
    end_at_least(ending::broken);  // the peer is gone; the socket is closed below either way
  }
  in_.consume(in_.size());  // frames left unread belong to the finished session
}

}  // namespace hf::net::http::detail
