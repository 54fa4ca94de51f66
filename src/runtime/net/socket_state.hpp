// Internal: the state behind a tcp_stream or tcp_listener (heap-allocated, so moving the owner
// does not move it while an operation is parked on it), and the helpers they share.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/op_awaiter.hpp"

namespace hf::rt::detail {

struct socket_state {
  explicit socket_state(int f) noexcept : fd(f) {}
  socket_state(const socket_state&) = delete;
  socket_state& operator=(const socket_state&) = delete;
  ~socket_state() { close(); }
  // Ends parked operations (closed_resource_error), tells the backend, closes the fd.
  void close() noexcept;

  int fd = -1;
  io::op_awaiter* receiver = nullptr;  // parked receive or accept
  io::op_awaiter* sender = nullptr;    // parked send or connect
  bool receiving = false;
  bool sending = false;
  bool eof_sent = false;
  bool closed = false;
};

// Marks one direction busy for the duration of an operation (busy_resource_error otherwise).
class busy_guard {
 public:
  busy_guard(socket_state& s, bool sending, const char* what);
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;
  ~busy_guard();
  void park(io::op_awaiter* a) noexcept { (sending_ ? s_.sender : s_.receiver) = a; }
  void unpark() noexcept { park(nullptr); }

 private:
  socket_state& s_;
  bool sending_;
};

// The state of an open socket, or closed_resource_error naming `what`.
socket_state& require_open(socket_state* s, const char* what);

struct socket_address {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family() const noexcept { return storage.ss_family; }
};

// host as a numeric IPv4/IPv6 address ("[::1]" too); false if it is a name.
bool parse_numeric_address(std::string_view host, std::uint16_t port, socket_address& out);
// getaddrinfo (blocking): every TCP address of host:port. std::system_error naming host on failure.
std::vector<socket_address> resolve_blocking(const std::string& host, std::uint16_t port,
                                             bool passive);
std::uint16_t port_of(int fd, bool peer);
std::string describe_endpoint(std::string_view host, std::uint16_t port);

}  // namespace hf::rt::detail
