// The writing half of a connection: response heads, whole responses, chunked streams, SSE,
// error answers and the access log.
#include <stdexcept>
#include <string>

#include "net/http/connection.hpp"
#include "net/http/headers.hpp"
#include "net/http/sse.hpp"
#include "net/http/wire.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"

namespace hf::net::http::detail {
namespace {
// Bodies up to this size are copied behind the head so that one send carries both.
constexpr std::size_t coalesce_limit = 32u << 10;

void check_fresh(const exchange& ex, const char* what) {
  if (ex.responded()) {
    throw std::logic_error(std::string(what) + ": this request was already answered");
  }
}
}  // namespace

void connection::write_head(const exchange* ex, status s, std::string_view reason,
                            const header_list& headers, framing f, std::size_t length) {
  out_.clear();
  wire::status_line(out_, 11, s, reason);
  for (const header& h : headers) {
    if (wire::is_framing_field(h.name)) {
      if (iequals(h.name, "connection") && has_token(h.value, "close")) {
        end_at_least(ending::close_after_answer);
      }
      continue;
    }
    wire::field(out_, h.name, h.value);
  }
  if (ex) {
    if (ex->client_request_id_) wire::field(out_, "X-Request-Id", ex->request_id_);
    // A preflight answer carries its own CORS fields; others get the actual-request ones.
    if (srv_.cors.enabled() && !headers.contains("access-control-allow-origin")) {
      if (auto origin = req_.header("origin")) {
        srv_.cors.response_fields(
            *origin, [&](std::string_view n, std::string_view v) { wire::field(out_, n, v); });
      }
    }
  }
  switch (f) {
    case framing::length:
      if (allows_body(s)) wire::content_length(out_, length);
      break;
    case framing::chunked:
      out_.append("Transfer-Encoding: chunked\r\n");
      break;
    case framing::none:
      break;
  }
  if (srv_.draining) end_at_least(ending::close_after_answer);  // drain() began meanwhile
  if (ending_ != ending::keep_alive) {
    out_.append("Connection: close\r\n");
  } else if (req_.version() == 10) {
    out_.append("Connection: keep-alive\r\n");
  }
  out_.append("Date: ").append(srv_.date.now()).append("\r\n\r\n");
}

rt::task<void> connection::send(std::string_view bytes) {
  try {
    co_await sock_->send_all(bytes);
  } catch (...) {
    end_at_least(
        ending::broken);  // failed, or cancelled part-way: the byte stream can no longer be trusted
    throw;
  }
}

rt::task<void> connection::write_response(exchange& ex, const response& r) {
  check_fresh(ex, "respond");
  write_head(&ex, r.status, r.reason, r.headers, framing::length, r.body.size());
  ex.state_ = exchange::state::finished;
  ex.status_ = r.status;
  bool with_body = allows_body(r.status) && req_.method() != method::head && !r.body.empty();
  if (!with_body) {
    co_await send(out_);
  } else if (r.body.size() <= coalesce_limit) {
    out_.append(r.body);
    co_await send(out_);
  } else {
    co_await send(out_);
    co_await send(r.body);
  }
  if (with_body) ex.bytes_ = r.body.size();
}

rt::task<void> connection::write_stream_head(exchange& ex, status s, const header_list& headers) {
  check_fresh(ex, "start_stream");
  if (!allows_body(s))
    throw std::logic_error("start_stream: status " + std::to_string(code(s)) + " has no body");
  // HTTP/1.0 has no chunked coding: the body ends when the connection does.
  bool raw = req_.version() == 10;
  if (raw) end_at_least(ending::close_after_answer);
  write_head(&ex, s, {}, headers, raw ? framing::none : framing::chunked, 0);
  ex.state_ = exchange::state::streaming;
  ex.status_ = s;
  co_await send(out_);
}

rt::task<void> connection::write_chunk(exchange& ex, std::string_view data) {
  if (!ex.streaming())
    throw std::logic_error("write_chunk: start_stream was not called (or the stream ended)");
  if (data.empty() || req_.method() == method::head) co_return;
  out_.clear();
  if (req_.version() == 10) {
    out_.append(data);
  } else {
    wire::chunk_header(out_, data.size());
    out_.append(data).append("\r\n");
  }
  ex.bytes_ += data.size();
  co_await send(out_);
}

rt::task<void> connection::write_event(exchange& ex, std::string_view data, std::string_view name,
                                       bool comment) {
  event_.clear();
  if (comment) {
    sse::append_comment(event_, data);
  } else {
    sse::append_event(event_, data, name);
  }
  if (!ex.responded()) {
    static const header_list sse_headers{{"Content-Type", "text/event-stream"},
                                         {"Cache-Control", "no-cache"},
                                         {"X-Accel-Buffering", "no"}};
    co_await write_stream_head(ex, status::ok, sse_headers);
  }
  co_await write_chunk(ex, event_);
}

rt::task<void> connection::write_end(exchange& ex) {
  if (!ex.streaming()) throw std::logic_error("end_stream: no stream is open");
  ex.state_ = exchange::state::finished;
  if (req_.version() == 10 || req_.method() == method::head) co_return;
  co_await send(wire::last_chunk);
}

rt::task<void> connection::respond_error(exchange& ex, status s, std::string_view message,
                                         std::string_view allow) {
  response r = srv_.render(s, message);
  if (!allow.empty()) r.headers.set("Allow", allow);
  if (body_pending_) end_at_least(ending::close_after_answer);
  co_await write_response(ex, r);
}

rt::task<void> connection::send_error_without_request(status s, std::string_view message) {
  end_at_least(ending::close_after_answer);
  std::uint64_t seq = srv_.next_sequence++;
  response r = srv_.render(s, message);
  write_head(nullptr, s, r.reason, r.headers, framing::length, r.body.size());
  if (allows_body(s)) out_.append(r.body);
  co_await send(out_);
  if (srv_.access_log) {
    std::string id = std::to_string(seq);
    access_log_entry e{
        seq, id, "", "", code(s), allows_body(s) ? r.body.size() : 0, rt::duration::zero()};
    try {
      srv_.access_log(e);
    } catch (const std::exception& err) {
      srv_.report_error(id, std::string("access logger threw: ") + err.what());
    }
  }
}

void connection::log_access(const exchange& ex, int status_code) {
  if (!srv_.access_log) return;
  access_log_entry e{ex.sequence(),
                     ex.request_id(),
                     req_.method_name(),
                     req_.path(),
                     status_code,
                     ex.bytes_sent(),
                     rt::current_time() - request_start_};
  try {
    srv_.access_log(e);
  } catch (const std::exception& err) {
    srv_.report_error(ex.request_id(), std::string("access logger threw: ") + err.what());
  }
}

}  // namespace hf::net::http::detail
