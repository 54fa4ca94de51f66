#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "runtime/errors.hpp"
#include "runtime/net/socket_state.hpp"
#include "runtime/net/tcp.hpp"

namespace hf::rt {

tcp_listener tcp_listener::bind(std::string_view host, std::uint16_t port, int backlog) {
  std::vector<detail::socket_address> addrs(1);
  std::string h = host.empty() ? "0.0.0.0" : std::string(host);
  if (!detail::parse_numeric_address(h, port, addrs[0])) {
    addrs = detail::resolve_blocking(h, port, /*passive=*/true);
  }
  std::string where = "tcp_listener::bind(" + detail::describe_endpoint(h, port) + ")";
  int last_error = EADDRNOTAVAIL;
  for (const auto& a : addrs) {
    int fd = ::socket(a.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&a.storage), a.len) < 0 ||
        ::listen(fd, backlog) < 0) {
      last_error = errno;
      ::close(fd);
      continue;
    }
    tcp_listener l;
    l.s_ = std::make_unique<detail::socket_state>(fd);
    return l;
  }
  throw std::system_error(last_error, std::generic_category(), where);
}

tcp_listener::tcp_listener() = default;
tcp_listener::tcp_listener(tcp_listener&&) noexcept = default;
tcp_listener& tcp_listener::operator=(tcp_listener&&) noexcept = default;
tcp_listener::~tcp_listener() = default;

task<tcp_stream> tcp_listener::accept() {
  detail::socket_state& s = detail::require_open(s_.get(), "tcp_listener::accept");
  detail::busy_guard busy(s, /*sending=*/false, "tcp_listener::accept");
  for (;;) {
    io::op o;
    o.kind = io::op_kind::accept;
    o.fd = s.fd;
    io::op_awaiter aw(o);
    busy.park(&aw);
    long r = co_await aw;
    busy.unpark();
    if (s.closed) throw closed_resource_error("tcp_listener::accept: the listener was closed");
    if (r >= 0) co_return tcp_stream(static_cast<int>(r));
    // The connection went away before accept() took it: wait for the next one.
    if (r == -ECONNABORTED || r == -EPROTO) continue;
    throw std::system_error(static_cast<int>(-r), std::generic_category(), "tcp_listener::accept");
  }
}

void tcp_listener::close() noexcept {
  if (s_) s_->close();
}
bool tcp_listener::is_open() const noexcept { return s_ && !s_->closed; }
std::uint16_t tcp_listener::local_port() const {
  return detail::port_of(detail::require_open(s_.get(), "tcp_listener::local_port").fd, false);
}
int tcp_listener::native_handle() const noexcept { return s_ && !s_->closed ? s_->fd : -1; }

}  // namespace hf::rt
