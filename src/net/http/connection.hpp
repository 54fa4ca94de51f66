// Internal: one client connection: reads requests (head, then body) into a reused buffer,
// routes them, runs handlers, writes their answers, and keeps the connection alive between
// requests. The server runs run() as one task per connection; it ends (never throwing anything
// but `cancelled`) when the client or the server closes the connection.
#pragma once
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/byte_buffer.hpp"
#include "net/http/exchange.hpp"
#include "net/http/request.hpp"
#include "net/http/request_parser.hpp"
#include "net/http/server_state.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/clock.hpp"
#include "runtime/net/tcp.hpp"

namespace hf::net::http::detail {

class connection {
 public:
  explicit connection(server_state& s);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Takes the accepted socket and joins the server's list of live connections.
  void attach(rt::tcp_stream sock);
  rt::task<void> run();
  // drain(): a connection waiting for its next request closes now; others after their answer.
  void on_drain() noexcept;

  // What exchange's methods do.
  rt::task<void> write_response(exchange& ex, const response& r);
  rt::task<void> write_stream_head(exchange& ex, status s, const header_list& headers);
  rt::task<void> write_chunk(exchange& ex, std::string_view data);
  rt::task<void> write_event(exchange& ex, std::string_view data, std::string_view name,
                             bool comment);
  rt::task<void> write_end(exchange& ex);

  connection* prev = nullptr;  // server_state's list
  connection* next = nullptr;
  bool holds_token = false;  // of server_state::limiter, released by the destructor

 private:
  enum class head_outcome { ready, close, error };
  enum class framing { length, chunked, none };

  rt::task<void> serve_one();
  rt::task<head_outcome> read_head();
  std::optional<head_outcome> try_head();
  rt::task<bool> read_body(exchange& ex);
  std::optional<bool> try_body();
  rt::task<void> dispatch(exchange& ex);
  rt::task<void> answer_options(exchange& ex);
  rt::task<void> run_handler(const route_entry& r, exchange& ex);
  rt::task<void> call_handler(const route_entry& r, exchange& ex, std::exception_ptr& error);
  rt::task<void> run_long(const route_entry& r, exchange& ex, std::exception_ptr& error);
  rt::task<void> watch_peer(rt::cancel_scope& request_scope);
  rt::task<void> run_websocket(const route_entry& r, exchange& ex);
  rt::task<void> respond_error(exchange& ex, status s, std::string_view message,
                               std::string_view allow = {});
  rt::task<void> send_error_without_request(status s, std::string_view message);
  rt::task<void> linger();
  // Appends what has arrived on the socket to in_; false at end of stream.
  rt::task<bool> read_more();

  void write_head(const exchange* ex, status s, std::string_view reason, const header_list& headers,
                  framing f, std::size_t length);
  rt::task<void> send(std::string_view bytes);
  void log_access(const exchange& ex, int status_code);

  server_state& srv_;
  // optional: tcp_stream's inline default constructor needs a runtime-internal type.
  std::optional<rt::tcp_stream> sock_;
  byte_buffer in_;
  std::string out_;
  std::string event_;  // one SSE event, before chunk framing
  request req_;
  request_parser parser_;
  std::string param_;

  rt::time_point accepted_at_{};
  rt::time_point request_start_{};
  rt::cancel_scope* read_scope_ = nullptr;  // while waiting for a request head
  bool waiting_first_byte_ = false;         // idle: drain() may close it
  bool linked_ = false;
  bool first_request_ = true;
  bool body_pending_ = false;  // the current request's body is not read yet
  bool close_after_ = false;   // answer with Connection: close, then close
  bool broken_ = false;        // a write failed or was cut short: the stream is unusable
  bool peer_gone_ = false;     // the watcher saw the client disconnect
  status head_error_ = status::bad_request;
  std::string head_error_message_;
};

}  // namespace hf::net::http::detail
