#include "net/http/connection.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "net/http/headers.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"
#include "runtime/task_group.hpp"

namespace hf::net::http::detail {
namespace {
constexpr std::size_t read_chunk = 4096;
}

connection::connection(server_state& s)
    : srv_(s), parser_(s.config.max_header_bytes, s.config.max_body_bytes) {}

connection::~connection() {
  if (linked_) srv_.unlink(this);
  if (holds_token) srv_.limiter->release_on_behalf_of(this);
}

void connection::attach(rt::tcp_stream sock) {
  sock_.emplace(std::move(sock));
  srv_.link(this);
  linked_ = true;
}

void connection::on_drain() noexcept {
  if (waiting_first_byte_ && read_scope_) read_scope_->cancel("the server is draining");
}

rt::task<void> connection::run() {
  accepted_at_ = rt::current_time();
  try {
    while (!close_after_ && !broken_) co_await serve_one();
  } catch (const rt::cancelled&) {
    throw;
  } catch (const rt::end_of_stream&) {
    broken_ = true;
  } catch (const rt::broken_resource_error&) {
    broken_ = true;
  } catch (const rt::closed_resource_error&) {
    broken_ = true;
  } catch (const std::exception& e) {
    broken_ = true;
    srv_.report_error("", std::string("connection ended by an unexpected error: ") + e.what());
  }
  // Unread input (a body we refused, pipelined requests, also those still in flight that we have
  // not read yet) would make close() send a reset, which can destroy the answer before the client
  // reads it: half-close and drain until the client closes (briefly, bounded) instead. A client
  // that reads the answer and closes ends the linger at once. While draining, only input already
  // seen makes us linger: shutdown should not wait on clients that keep their socket open.
  if (!broken_ && (body_pending_ || !in_.empty() || !srv_.draining)) co_await linger();
  sock_->close();
}

rt::task<void> connection::linger() {
  try {
    co_await sock_->send_eof();
    co_await rt::move_on_after(std::chrono::seconds(2), [this]() -> rt::task<void> {
      std::size_t total = 0;
      while (total < (1u << 20)) {
        in_.consume(in_.size());
        total += co_await sock_->receive(in_.prepare(read_chunk));
      }
    });
  } catch (const std::exception&) {
    // The client closed or reset: nothing left to protect.
  }
}

std::optional<connection::head_outcome> connection::try_head() {
  std::size_t used = 0;
  switch (parser_.parse_head(in_.readable(), used)) {
    case request_parser::result::need_more:
      return std::nullopt;
    case request_parser::result::head_done:
      in_.consume(used);
      body_pending_ = true;
      return head_outcome::ready;
    case request_parser::result::done:
      in_.consume(used);
      body_pending_ = false;
      return head_outcome::ready;
    case request_parser::result::header_too_large:
      head_error_ = status::request_header_fields_too_large;
      head_error_message_ =
          "the request head exceeds " + std::to_string(srv_.config.max_header_bytes) + " bytes";
      return head_outcome::error;
    case request_parser::result::body_too_large:
      head_error_ = status::payload_too_large;
      head_error_message_ =
          "the request body exceeds " + std::to_string(srv_.config.max_body_bytes) + " bytes";
      return head_outcome::error;
    case request_parser::result::bad_request:
      head_error_ = status::bad_request;
      head_error_message_ = "malformed request: " + parser_.error_message();
      return head_outcome::error;
  }
  return std::nullopt;
}

rt::task<connection::head_outcome> connection::read_head() {
  parser_.start(req_);
  body_pending_ = false;
  if (!in_.empty()) {
    if (auto done = try_head()) co_return *done;  // pipelined: no read, no timer
  }
  const server_config& cfg = srv_.config;
  rt::time_point now = rt::current_time();
  bool idle = in_.empty() && !first_request_;
  rt::time_point deadline =
      idle ? now + cfg.idle_timeout : (first_request_ ? accepted_at_ : now) + cfg.header_timeout;
  rt::cancel_scope scope(deadline);
  read_scope_ = &scope;
  waiting_first_byte_ = in_.empty();
  if (waiting_first_byte_ && srv_.draining) scope.cancel("the server is draining");
  std::optional<head_outcome> outcome;
  bool eof = false;
  co_await scope.run([&]() -> rt::task<void> {
    for (;;) {
      if (!co_await read_more()) {
        eof = true;
        co_return;
      }
      if (waiting_first_byte_) {
        waiting_first_byte_ = false;
        if (idle) scope.set_deadline(rt::current_time() + cfg.header_timeout);
      }
      outcome = try_head();
      if (outcome) co_return;
    }
  });
  read_scope_ = nullptr;
  waiting_first_byte_ = false;
  first_request_ = false;
  if (outcome) co_return *outcome;
  // EOF, idle timeout or drain with nothing pending: close quietly. A partial head: 408.
  if (eof || in_.empty()) co_return head_outcome::close;
  head_error_ = status::request_timeout;
  head_error_message_ = "the request head did not arrive in time";
  co_return head_outcome::error;
}

rt::task<bool> connection::read_more() {
  try {
    in_.commit(co_await sock_->receive(in_.prepare(read_chunk)));
  } catch (const rt::end_of_stream&) {
    co_return false;
  }
  co_return true;
}

std::optional<bool> connection::try_body() {
  std::size_t used = 0;
  auto r = parser_.parse_body(in_.readable(), used);
  in_.consume(used);
  switch (r) {
    case request_parser::result::done:
      body_pending_ = false;
      return true;
    case request_parser::result::need_more:
    case request_parser::result::head_done:
      return std::nullopt;
    case request_parser::result::body_too_large:
      head_error_ = status::payload_too_large;
      head_error_message_ =
          "the request body exceeds " + std::to_string(srv_.config.max_body_bytes) + " bytes";
      return false;
    case request_parser::result::header_too_large:
    case request_parser::result::bad_request:
      head_error_ = status::bad_request;
      head_error_message_ = "malformed request body: " + parser_.error_message();
      return false;
  }
  return false;
}

rt::task<bool> connection::read_body(exchange& ex) {
  if (auto expect = req_.header("expect")) {
    if (!iequals(*expect, "100-continue")) {
      co_await respond_error(ex, status::expectation_failed, "unsupported expectation");
      co_return false;
    }
    if (req_.version() >= 11 && in_.empty()) co_await send("HTTP/1.1 100 Continue\r\n\r\n");
  }
  std::optional<bool> ok = try_body();
  if (!ok) {
    const rt::duration timeout = srv_.config.body_timeout;
    rt::cancel_scope scope(rt::current_time() + timeout);
    bool eof = false;
    co_await scope.run([&]() -> rt::task<void> {
      for (;;) {
        if (!co_await read_more()) {
          eof = true;
          co_return;
        }
        scope.set_deadline(rt::current_time() + timeout);  // a timeout on inactivity
        ok = try_body();
        if (ok) co_return;
      }
    });
    if (eof) {
      broken_ = true;  // the client gave up mid-body: nobody to answer
      co_return false;
    }
    if (!ok) {
      head_error_ = status::request_timeout;
      head_error_message_ = "the request body did not arrive in time";
      ok = false;
    }
  }
  if (!*ok) {
    co_await respond_error(ex, head_error_, head_error_message_);
    co_return false;
  }
  co_return true;
}

rt::task<void> connection::serve_one() {
  head_outcome h = co_await read_head();
  if (h == head_outcome::close) {
    close_after_ = true;
    co_return;
  }
  if (h == head_outcome::error && head_error_ != status::payload_too_large) {
    // No usable request: answer, log with what is known, close.
    co_await send_error_without_request(head_error_, head_error_message_);
    co_return;
  }
  exchange ex(*this, req_, srv_.next_sequence++, {});
  if (srv_.access_log) request_start_ = rt::current_time();
  close_after_ = !req_.keep_alive() || srv_.draining;
  if (h == head_outcome::error) {
    close_after_ = true;  // 413 from the announced length: the body is never read
    co_await respond_error(ex, head_error_, head_error_message_);
  } else {
    co_await dispatch(ex);
  }
  // Answered before reading the body, or the stream was cut: the next request cannot be found.
  if (body_pending_ || broken_ || srv_.draining) close_after_ = true;
  int logged = code(ex.response_status());
  if (peer_gone_ || (broken_ && !ex.finished())) logged = 499;
  log_access(ex, logged);
}

rt::task<void> connection::dispatch(exchange& ex) {
  const method m = req_.method();
  auto match = srv_.routes.match(m, req_.path());
  if (match.result != router::outcome::found && m == method::options) {
    co_await answer_options(ex);
    co_return;
  }
  if (match.result == router::outcome::not_found) {
    co_await respond_error(ex, status::not_found, "no route for " + std::string(req_.path()));
    co_return;
  }
  if (match.result == router::outcome::method_not_allowed) {
    co_await respond_error(
        ex, status::method_not_allowed,
        std::string(req_.method_name()) + " is not allowed on " + std::string(req_.path()),
        match.allow);
    co_return;
  }
  const auto& route = static_cast<const route_entry&>(*match.slot);
  param_ = std::move(match.param_value);
  ex.param_ = param_;
  if (route.ws_fn) {
    co_await run_websocket(route, ex);
    co_return;
  }
  if (body_pending_ && !co_await read_body(ex)) co_return;
  co_await run_handler(route, ex);
}

rt::task<void> connection::answer_options(exchange& ex) {
  std::string allow = srv_.routes.allowed_methods(req_.path());
  if (allow.empty()) {
    co_await respond_error(ex, status::not_found, "no route for " + std::string(req_.path()));
    co_return;
  }
  allow += ", OPTIONS";
  response r = response::empty(status::no_content);
  auto origin = req_.header("origin");
  auto requested = req_.header("access-control-request-method");
  if (origin && requested && srv_.cors.enabled()) {
    if (!srv_.cors.allow_origin(*origin)) {
      co_await respond_error(ex, status::forbidden,
                             "origin " + std::string(*origin) + " is not allowed");
      co_return;
    }
    srv_.cors.preflight_fields(
        *origin, allow, req_.header("access-control-request-headers").value_or(""),
        [&](std::string_view n, std::string_view v) { r.headers.add(n, v); });
  } else {
    r.headers.add("Allow", allow);
  }
  co_await write_response(ex, r);
}

rt::task<void> connection::run_handler(const route_entry& r, exchange& ex) {
  std::exception_ptr error;
  if (r.options.long_running) {
    co_await run_long(r, ex, error);
  } else {
    co_await call_handler(r, ex, error);
  }
  if (peer_gone_ || broken_) {
    close_after_ = true;
    if (error)
      srv_.report_error(ex.request_id(),
                        "handler failed after the client went away: " + rt::describe(error));
    co_return;
  }
  if (error) {
    srv_.report_error(ex.request_id(), "handler for " + std::string(req_.method_name()) + " " +
                                           std::string(req_.path()) +
                                           " threw: " + rt::describe(error));
    if (!ex.responded()) {
      co_await respond_error(ex, status::internal_server_error, "internal server error");
    } else if (ex.streaming()) {
      close_after_ = true;  // cut the stream: the client must not take it for complete
      broken_ = true;
    }
    co_return;
  }
  if (!ex.responded()) {
    srv_.report_error(ex.request_id(),
                      "handler for " + std::string(req_.path()) + " returned without answering");
    co_await respond_error(ex, status::internal_server_error, "the handler returned no response");
  } else if (ex.streaming()) {
    co_await write_end(ex);
  }
}

rt::task<void> connection::call_handler(const route_entry& r, exchange& ex,
                                        std::exception_ptr& error) {
  try {
    co_await r.fn(ex);
  } catch (const rt::cancelled&) {
    throw;
  } catch (...) {
    error = std::current_exception();
  }
}

rt::task<void> connection::run_long(const route_entry& r, exchange& ex, std::exception_ptr& error) {
  rt::cancel_scope request_scope;
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    tg.start_soon(watch_peer(request_scope), "http client watcher");
    co_await request_scope.run([&]() -> rt::task<void> { co_await call_handler(r, ex, error); });
    tg.cancel();
  });
}

rt::task<void> connection::watch_peer(rt::cancel_scope& request_scope) {
  // Reads on while the handler runs: a disconnect shows up as end-of-stream or a reset, and
  // pipelined bytes land in the buffer for the next request. Past the limit it stops reading
  // (back-pressure) rather than buffer without bound.
  const std::size_t limit = srv_.config.max_header_bytes + 65536;
  try {
    while (in_.size() < limit) in_.commit(co_await sock_->receive(in_.prepare(read_chunk)));
    co_return;
  } catch (const rt::end_of_stream&) {
    peer_gone_ = true;
  } catch (const rt::broken_resource_error&) {
    peer_gone_ = true;
  } catch (const rt::closed_resource_error&) {
    co_return;
  }
  request_scope.cancel("the client disconnected");
}

}  // namespace hf::net::http::detail
