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
#include <utility>

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
  // Where the connection is in its life: drain() closes it only while it waits for a request,
  // and which timeout bounds the wait for a head depends on it.
  enum class phase {
    fresh,         // accepted, no byte of the first request yet (header_timeout from accept)
    idle,          // between requests, no byte of the next one yet (idle_timeout)
    reading_head,  // part of a head has arrived (header_timeout)
    in_request,    // the head is read: body, handler, answer
  };
  // How the connection ends. It only ever escalates (end_at_least): a request that asks to close
  // cannot be undone by a later one, and a broken stream is never used again.
  enum class ending {
    keep_alive,          // read the next request after this answer
    close_after_answer,  // answer with Connection: close, then close (lingering, see run())
    broken,              // a write failed or was cut short: the stream is unusable
    peer_gone,           // the watcher saw the client disconnect (logged as 499)
  };
  enum class framing { length, chunked, none };

  // An answer to give instead of handling the request (4xx with a message).
  struct request_error {
    status code = status::bad_request;
    std::string message;
  };
  // What reading (part of) a request came to: need_more only between reads (or when a timeout
  // ended the reading); close: the client closed, nothing to answer.
  enum class read_state { need_more, done, close, error };
  struct read_result {
    read_state state = read_state::need_more;
    request_error error;  // state == error
  };
  static read_result failed(status code, std::string message) {
    return {read_state::error, {code, std::move(message)}};
  }
  read_result body_too_large() const;  // 413, from the announced length or the bytes read

  void end_at_least(ending e) noexcept {
    if (e > ending_) ending_ = e;
  }
  bool waiting_for_request() const noexcept {
    return phase_ == phase::fresh || phase_ == phase::idle;
  }

  rt::task<void> serve_one();
  rt::task<read_result> read_head();
  read_result try_head();
  rt::task<bool> read_body(exchange& ex);
  read_result try_body();
  // Reads inside `scope` until `parse` (try_head or try_body) decides; after_read() runs after
  // each read (to move the deadline). close: the client closed; need_more: the scope ended first.
  // Defined in connection.cpp, its only user.
  template <class AfterRead>
  rt::task<read_result> read_until_parsed(rt::cancel_scope& scope,
                                          read_result (connection::*parse)(), AfterRead after_read);
  rt::task<void> dispatch(exchange& ex);
  rt::task<void> answer_options(exchange& ex);
  rt::task<void> run_handler(const route_entry& r, exchange& ex);
  // Both return what the handler threw (cancellation passes), or null.
  rt::task<std::exception_ptr> call_handler(const route_entry& r, exchange& ex);
  rt::task<std::exception_ptr> run_long(const route_entry& r, exchange& ex);
  rt::task<void> watch_peer(rt::cancel_scope& request_scope);
  rt::task<void> run_websocket(const route_entry& r, exchange& ex);
  rt::task<void> respond_error(exchange& ex, status s, std::string_view message,
                               std::string_view allow = {});
  rt::task<void> send_error_without_request(status s, std::string_view message);
  rt::task<void> linger();
  // Appends what has arrived on the socket to in_; false when the client has gone.
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
  phase phase_ = phase::fresh;
  ending ending_ = ending::keep_alive;
  bool body_pending_ = false;  // the current request's body is not read yet
};

}  // namespace hf::net::http::detail
