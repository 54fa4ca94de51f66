// One request/response exchange as a handler sees it: the request, a request id for logs, and
// the ways to answer: one whole response, or a chunked stream (plain chunks or server-sent
// events). Exactly one answer per request; misuse (answering twice, writing before starting a
// stream) is a std::logic_error.
//   co_await ex.respond(http::response::json(body));
//   co_await ex.start_stream(http::status::ok, {{"Content-Type", "application/x-ndjson"}});
//   co_await ex.write_chunk(line);  ...  co_await ex.end_stream();
//   co_await ex.send_event(R"({"delta":"hi"})");   // starts a text/event-stream if needed
// Writes are checkpoints. A client that went away makes them throw broken_resource_error; on
// long_running routes the handler is cancelled instead as soon as the disconnect is seen.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/http/headers.hpp"
#include "net/http/request.hpp"
#include "net/http/response.hpp"
#include "net/http/status.hpp"
#include "runtime/clock.hpp"
#include "runtime/task.hpp"

namespace hf::net::http {

namespace detail {
class connection;
}

class exchange {
 public:
  // Internal: the connection builds one per request.
  exchange(detail::connection& conn, http::request& req, std::uint64_t sequence,
           std::string_view param_value);
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  const http::request& request() const noexcept { return req_; }
  http::request& request() noexcept { return req_; }
  // Monotonic per server, from 1.
  std::uint64_t sequence() const noexcept { return sequence_; }
  // The client's X-Request-Id if it sent a sane one (printable, at most 128 bytes), otherwise
  // the sequence number in decimal. A client's id is echoed on the response.
  std::string_view request_id() const noexcept { return request_id_; }
  // The value of the route's {param} or {param...} segment (decoded), "" for exact routes.
  std::string_view param() const noexcept { return param_; }

  rt::task<void> respond(response r);

  // Starts a chunked response (HTTP/1.0 clients: an unframed body ended by closing).
  rt::task<void> start_stream(http::status s = http::status::ok, header_list headers = {});
  // One chunk; empty data sends nothing (an empty chunk would end the stream).
  rt::task<void> write_chunk(std::string_view data);
  rt::task<void> end_stream();
  // Server-sent events: starts a text/event-stream (200, no-cache) if nothing was sent yet.
  rt::task<void> send_event(std::string_view data, std::string_view event_name = {});
  rt::task<void> send_comment(std::string_view text);

  bool responded() const noexcept { return state_ != state::fresh; }
  bool streaming() const noexcept { return state_ == state::streaming; }
  bool finished() const noexcept { return state_ == state::finished; }
  http::status response_status() const noexcept { return status_; }
  // Body bytes written so far (without framing).
  std::size_t bytes_sent() const noexcept { return bytes_; }

 private:
  friend class detail::connection;
  enum class state { fresh, streaming, finished };

  detail::connection& conn_;
  http::request& req_;
  std::uint64_t sequence_;
  std::string_view request_id_;
  bool client_request_id_ = false;  // request_id_ came from X-Request-Id
  char id_text_[24] = {};
  std::string_view param_;
  state state_ = state::fresh;
  http::status status_ = http::status::ok;
  std::size_t bytes_ = 0;
};

}  // namespace hf::net::http
