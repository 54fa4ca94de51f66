#include "net/http/connection.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "net/http/headers.hpp"
#include "net/http/peer_gone.hpp"
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
  if (sock_) srv_.unlink(this);  // attach() linked it
  if (holds_token) srv_.limiter->release_on_behalf_of(this);
}

void connection::attach(rt::tcp_stream sock) {
  sock_.emplace(std::move(sock));
  srv_.link(this);
}

void connection::on_drain() noexcept {
  if (waiting_for_request() && read_scope_) read_scope_->cancel("the server is draining");
}

rt::task<void> connection::run() {
  accepted_at_ = rt::current_time();
  try {
    peer_loss loss = co_await unless_peer_gone([this]() -> rt::task<void> {
      while (ending_ == ending::keep_alive) co_await serve_one();
    });
    if (loss != peer_loss::none) end_at_least(ending::broken);
  } catch (const rt::cancelled&) {
    throw;
  } catch (const std::exception& e) {
    end_at_least(ending::broken);
    srv_.report_error("", std::string("connection ended by an unexpected error: ") + e.what());
  }
  // Unread input (a body we refused, pipelined requests, also those still in flight that we have
  // not read yet) would make close() send a reset, which can destroy the answer before the client
  // reads it: half-close and drain until the client closes (briefly, bounded) instead. A client
  // that reads the answer and closes ends the linger at once. While draining, only input already
  // seen makes us linger: shutdown should not wait on clients that keep their socket open.
  if (ending_ < ending::broken && (body_pending_ || !in_.empty() || !srv_.draining)) {
    co_await linger();
  }
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

connection::read_result connection::body_too_large() const {
  return failed(
      status::payload_too_large,
      "the request body exceeds " + std::to_string(srv_.config.max_body_bytes) + " bytes");
}

connection::read_result connection::try_head() {
  std::size_t used = 0;
  switch (parser_.parse_head(in_.readable(), used)) {
    case request_parser::result::need_more:
      return {};
    case request_parser::result::head_done:
      in_.consume(used);
      body_pending_ = true;
      return {read_state::done};
    case request_parser::result::done:
      in_.consume(used);
      body_pending_ = false;
      return {read_state::done};
    case request_parser::result::header_too_large:
      return failed(
          status::request_header_fields_too_large,
          "the request head exceeds " + std::to_string(srv_.config.max_header_bytes) + " bytes");
    case request_parser::result::body_too_large:
      return body_too_large();
    case request_parser::result::bad_request:
      return failed(status::bad_request, "malformed request: " + parser_.error_message());
  }
  return {};
}

template <class AfterRead>
rt::task<connection::read_result> connection::read_until_parsed(rt::cancel_scope& scope,
                                                                read_result (connection::*parse)(),
                                                                AfterRead after_read) {
  read_result r;
  co_await scope.run([&]() -> rt::task<void> {
    for (;;) {
      if (!co_await read_more()) {
        r = read_result{read_state::close};
        co_return;
      }
      after_read();
      r = (this->*parse)();
      if (r.state != read_state::need_more) co_return;
    }
  });
  co_return r;
}

rt::task<connection::read_result> connection::read_head() {
  parser_.start(req_);
  body_pending_ = false;
  if (!in_.empty()) {
    read_result pipelined = try_head();  // a whole head already here: no read, no timer
    if (pipelined.state != read_state::need_more) {
      phase_ = phase::in_request;
      co_return pipelined;
    }
  }
  const server_config& cfg = srv_.config;
  const rt::time_point now = rt::current_time();
  const bool first = phase_ == phase::fresh;
  phase_ = !in_.empty() ? phase::reading_head : first ? phase::fresh : phase::idle;
  rt::time_point deadline = phase_ == phase::idle
                                ? now + cfg.idle_timeout
                                : (first ? accepted_at_ : now) + cfg.header_timeout;
  rt::cancel_scope scope(deadline);
  read_scope_ = &scope;
  if (waiting_for_request() && srv_.draining) scope.cancel("the server is draining");
  auto first_byte = [&] {
    if (phase_ == phase::reading_head) return;
    // From the first byte on the head has header_timeout, however long the idle wait was.
    if (phase_ == phase::idle) scope.set_deadline(rt::current_time() + cfg.header_timeout);
    phase_ = phase::reading_head;
  };
  read_result head = co_await read_until_parsed(scope, &connection::try_head, first_byte);
  read_scope_ = nullptr;
  phase_ = phase::in_request;
  if (head.state != read_state::need_more) co_return head;  // parsed, failed, or EOF (close)
  // Idle timeout or drain with nothing pending: close quietly. A partial head: 408.
  if (in_.empty()) co_return read_result{read_state::close};
  co_return failed(status::request_timeout, "the request head did not arrive in time");
}

rt::task<bool> connection::read_more() {
  co_return co_await receive_into(*sock_, in_, read_chunk);
}

connection::read_result connection::try_body() {
  std::size_t used = 0;
  auto r = parser_.parse_body(in_.readable(), used);
  in_.consume(used);
  switch (r) {
    case request_parser::result::done:
      body_pending_ = false;
      return {read_state::done};
    case request_parser::result::need_more:
    case request_parser::result::head_done:
      return {};
    case request_parser::result::body_too_large:
      return body_too_large();
    case request_parser::result::header_too_large:
    case request_parser::result::bad_request:
      return failed(status::bad_request, "malformed request body: " + parser_.error_message());
  }
  return failed(status::bad_request, "malformed request body");
}

rt::task<bool> connection::read_body(exchange& ex) {
  if (auto expect = req_.header("expect")) {
    if (!iequals(*expect, "100-continue")) {
      co_await respond_error(ex, status::expectation_failed, "unsupported expectation");
      co_return false;
    }
    if (req_.version() >= 11 && in_.empty()) co_await send("HTTP/1.1 100 Continue\r\n\r\n");
  }
  read_result body = try_body();
  if (body.state == read_state::need_more) {
    const rt::duration timeout = srv_.config.body_timeout;
    rt::cancel_scope scope(rt::current_time() + timeout);
    auto restart_timer = [&] { scope.set_deadline(rt::current_time() + timeout); };  // inactivity
    body = co_await read_until_parsed(scope, &connection::try_body, restart_timer);
    if (body.state == read_state::close) {
      end_at_least(ending::broken);  // the client gave up mid-body: nobody to answer
      co_return false;
    }
    if (body.state == read_state::need_more) {
      body = failed(status::request_timeout, "the request body did not arrive in time");
    }
  }
  if (body.state == read_state::error) {
    co_await respond_error(ex, body.error.code, body.error.message);
    co_return false;
  }
  co_return true;
}

rt::task<void> connection::serve_one() {
  read_result head = co_await read_head();
  if (head.state == read_state::close) {
    end_at_least(ending::close_after_answer);
    co_return;
  }
  const bool refused = head.state == read_state::error;
  if (refused && head.error.code != status::payload_too_large) {
    // No usable request: answer, log with what is known, close.
    co_await send_error_without_request(head.error.code, head.error.message);
    co_return;
  }
  exchange ex(*this, req_, srv_.next_sequence++, {});
  if (srv_.access_log) request_start_ = rt::current_time();
  if (!req_.keep_alive() || srv_.draining) end_at_least(ending::close_after_answer);
  if (refused) {
    end_at_least(ending::close_after_answer);  // 413 from the announced length: body never read
    co_await respond_error(ex, head.error.code, head.error.message);
  } else {
    co_await dispatch(ex);
  }
  // Answered before reading the body, or the stream was cut: the next request cannot be found.
  if (body_pending_ || srv_.draining) end_at_least(ending::close_after_answer);
  int logged = code(ex.response_status());
  if (ending_ == ending::peer_gone || (ending_ == ending::broken && !ex.finished())) logged = 499;
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
    error = co_await run_long(r, ex);
  } else {
    error = co_await call_handler(r, ex);
  }
  if (ending_ >= ending::broken) {
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
      end_at_least(ending::broken);  // cut the stream: the client must not take it for complete
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

rt::task<std::exception_ptr> connection::call_handler(const route_entry& r, exchange& ex) {
  try {
    co_await r.fn(ex);
  } catch (const rt::cancelled&) {
    throw;
  } catch (...) {
    co_return std::current_exception();
  }
  co_return nullptr;
}

rt::task<std::exception_ptr> connection::run_long(const route_entry& r, exchange& ex) {
  rt::cancel_scope request_scope;
  std::exception_ptr error;
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    tg.start_soon(watch_peer(request_scope), "http client watcher");
    co_await request_scope.run([&]() -> rt::task<void> { error = co_await call_handler(r, ex); });
    tg.cancel();
  });
  co_return error;
}

rt::task<void> connection::watch_peer(rt::cancel_scope& request_scope) {
  // Reads on while the handler runs: a disconnect shows up as end-of-stream or a reset, and
  // pipelined bytes land in the buffer for the next request. Past the limit it stops reading
  // (back-pressure) rather than buffer without bound.
  const std::size_t limit = srv_.config.max_header_bytes + 65536;
  peer_loss loss = co_await unless_peer_gone([&]() -> rt::task<void> {
    while (in_.size() < limit) in_.commit(co_await sock_->receive(in_.prepare(read_chunk)));
  });
  if (loss == peer_loss::end_of_stream || loss == peer_loss::reset) {
    end_at_least(ending::peer_gone);
    request_scope.cancel("the client disconnected");
  }
}

}  // namespace hf::net::http::detail
