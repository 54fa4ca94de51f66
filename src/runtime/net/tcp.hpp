// TCP sockets on the run's I/O backend (epoll or io_uring). Every blocking operation is a
// checkpoint and can be cancelled; sockets are non-blocking and close-on-exec; IPv4 and IPv6.
//   auto lst = rt::tcp_listener::bind("127.0.0.1", 0);          // port 0: a free port
//   rt::tcp_stream conn = co_await lst.accept();
//   rt::tcp_stream cli = co_await rt::tcp_connect("127.0.0.1", lst.local_port());
//   co_await cli.send_all(bytes);  std::size_t n = co_await conn.receive(buf);
// Errors: end_of_stream when the peer has closed its side (receive never returns 0),
// broken_resource_error on a reset connection, closed_resource_error after close() (also for
// operations parked when close() is called), busy_resource_error when two tasks receive (or send,
// or accept) at once, std::system_error (with errno) for connect and bind failures. A cancelled
// send_all may have sent a prefix of the data. Streams and listeners belong to one run.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "runtime/task.hpp"

namespace hf::rt {

namespace detail {
struct socket_state;
}

class tcp_stream {
 public:
  tcp_stream();
  // Takes ownership of a connected, non-blocking socket.
  explicit tcp_stream(int fd);
  tcp_stream(tcp_stream&&) noexcept;
  tcp_stream& operator=(tcp_stream&&) noexcept;
  ~tcp_stream();

  // Waits for data; returns how many bytes were stored (>= 1). end_of_stream after the peer's EOF.
  task<std::size_t> receive(std::span<std::byte> buffer);
  // Sends every byte (several syscalls if needed).
  task<void> send_all(std::span<const std::byte> data);
  task<void> send_all(std::string_view data) { return send_all(std::as_bytes(std::span(data))); }
  // Half-close: the peer's receive sees end_of_stream; this side can still receive.
  task<void> send_eof();
  // Closes at once (synchronous, idempotent). Parked operations raise closed_resource_error.
  void close() noexcept;
  bool is_open() const noexcept;

  void set_nodelay(bool on);  // TCP_NODELAY; on by default
  std::uint16_t local_port() const;
  std::uint16_t remote_port() const;
  int native_handle() const noexcept;

 private:
  std::unique_ptr<detail::socket_state> s_;
};

class tcp_listener {
 public:
  // Binds and listens (SO_REUSEADDR). host: a numeric IPv4/IPv6 address, a name ("localhost"),
  // or "" for every IPv4 interface; port 0 picks a free port. std::system_error on failure.
  static tcp_listener bind(std::string_view host, std::uint16_t port, int backlog = 128);

  tcp_listener();
  tcp_listener(tcp_listener&&) noexcept;
  tcp_listener& operator=(tcp_listener&&) noexcept;
  ~tcp_listener();

  // Waits for the next connection (TCP_NODELAY set on it).
  task<tcp_stream> accept();
  void close() noexcept;
  bool is_open() const noexcept;
  std::uint16_t local_port() const;
  int native_handle() const noexcept;

 private:
  std::unique_ptr<detail::socket_state> s_;
};

// Connects to host:port, trying each resolved address in turn (names are resolved on a worker
// thread). std::system_error naming host and port if no address accepts the connection.
task<tcp_stream> tcp_connect(std::string host, std::uint16_t port);

}  // namespace hf::rt
