#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"
#include "runtime/net/socket_state.hpp"
#include "runtime/net/tcp.hpp"
#include "runtime/threads/to_thread.hpp"

namespace hf::rt {
namespace {

bool is_broken(long err) {
  return err == -ECONNRESET || err == -EPIPE || err == -ETIMEDOUT || err == -ECONNABORTED ||
         err == -ENOTCONN || err == -EHOSTUNREACH || err == -ENETUNREACH;
}

[[noreturn]] void throw_io_error(long r, const char* what) {
  if (is_broken(r)) {
    throw broken_resource_error(std::string(what) + ": " + std::strerror(static_cast<int>(-r)));
  }
  throw std::system_error(static_cast<int>(-r), std::generic_category(), what);
}

}  // namespace

tcp_stream::tcp_stream(int fd) : s_(std::make_unique<detail::socket_state>(fd)) {
  set_nodelay(true);
}
tcp_stream::tcp_stream() = default;
tcp_stream::tcp_stream(tcp_stream&&) noexcept = default;
tcp_stream& tcp_stream::operator=(tcp_stream&&) noexcept = default;
tcp_stream::~tcp_stream() = default;

task<std::size_t> tcp_stream::receive(std::span<std::byte> buffer) {
  detail::socket_state& s = detail::require_open(s_.get(), "tcp_stream::receive");
  if (buffer.empty()) throw argument_error("tcp_stream::receive: the buffer is empty");
  detail::busy_guard busy(s, /*sending=*/false, "tcp_stream::receive");
  io::op o;
  o.kind = io::op_kind::recv;
  o.fd = s.fd;
  o.buf = buffer.data();
  o.len = buffer.size();
  io::op_awaiter aw(o);
  busy.park(&aw);
  long r = co_await aw;
  if (s.closed) throw closed_resource_error("tcp_stream::receive: the stream was closed");
  if (r > 0) co_return static_cast<std::size_t>(r);
  if (r == 0) throw end_of_stream();
  throw_io_error(r, "tcp_stream::receive");
}

task<void> tcp_stream::send_all(std::span<const std::byte> data) {
  detail::socket_state& s = detail::require_open(s_.get(), "tcp_stream::send_all");
  if (s.eof_sent) throw closed_resource_error("tcp_stream::send_all: send_eof() was called");
  detail::busy_guard busy(s, /*sending=*/true, "tcp_stream::send_all");
  if (data.empty()) {
    co_await checkpoint();
    co_return;
  }
  std::size_t done = 0;
  while (done < data.size()) {
    io::op o;
    o.kind = io::op_kind::send;
    o.fd = s.fd;
    o.buf = const_cast<std::byte*>(data.data() + done);
    o.len = data.size() - done;
    io::op_awaiter aw(o);
    busy.park(&aw);
    long r = co_await aw;
    busy.unpark();
    if (s.closed) throw closed_resource_error("tcp_stream::send_all: the stream was closed");
    if (r < 0) throw_io_error(r, "tcp_stream::send_all");
    done += static_cast<std::size_t>(r);
  }
}

task<void> tcp_stream::send_eof() {
  detail::socket_state& s = detail::require_open(s_.get(), "tcp_stream::send_eof");
  detail::busy_guard busy(s, /*sending=*/true, "tcp_stream::send_eof");
  co_await checkpoint_if_cancelled();
  if (!s.eof_sent && ::shutdown(s.fd, SHUT_WR) < 0 && errno != ENOTCONN) {
    throw std::system_error(errno, std::generic_category(), "tcp_stream::send_eof");
  }
  s.eof_sent = true;
  co_await cancel_shielded_checkpoint();
}

void tcp_stream::close() noexcept {
  if (s_) s_->close();
}

bool tcp_stream::is_open() const noexcept { return s_ && !s_->closed; }

void tcp_stream::set_nodelay(bool on) {
  detail::socket_state& s = detail::require_open(s_.get(), "tcp_stream::set_nodelay");
  int v = on ? 1 : 0;
  if (::setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) < 0) {
    throw std::system_error(errno, std::generic_category(), "tcp_stream::set_nodelay");
  }
}

std::uint16_t tcp_stream::local_port() const {
  return detail::port_of(detail::require_open(s_.get(), "tcp_stream::local_port").fd, false);
}
std::uint16_t tcp_stream::remote_port() const {
  return detail::port_of(detail::require_open(s_.get(), "tcp_stream::remote_port").fd, true);
}
int tcp_stream::native_handle() const noexcept { return s_ && !s_->closed ? s_->fd : -1; }

task<tcp_stream> tcp_connect(std::string host, std::uint16_t port) {
  std::vector<detail::socket_address> addrs(1);
  if (!detail::parse_numeric_address(host, port, addrs[0])) {
    addrs = co_await to_thread::run_sync(
        [&host, port] { return detail::resolve_blocking(host, port, /*passive=*/false); });
  }
  int last_error = EHOSTUNREACH;
  for (const auto& a : addrs) {
    int fd = ::socket(a.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    // Owns fd from here: closed (and forgotten by the backend) if connecting fails or is cancelled.
    detail::socket_state guard(fd);
    detail::busy_guard busy(guard, /*sending=*/true, "tcp_connect");
    io::op o;
    o.kind = io::op_kind::connect;
    o.fd = fd;
    o.addr = a.storage;
    o.addrlen = a.len;
    io::op_awaiter aw(o);
    busy.park(&aw);
    long r = co_await aw;
    busy.unpark();
    if (r == 0) {
      guard.closed = true;  // ownership moves to the stream
      co_return tcp_stream(fd);
    }
    last_error = static_cast<int>(-r);
  }
  throw std::system_error(last_error, std::generic_category(),
                          "tcp_connect to " + detail::describe_endpoint(host, port));
}

}  // namespace hf::rt
