#include "runtime/net/socket_state.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "runtime/errors.hpp"

namespace hf::rt::detail {

void socket_state::close() noexcept {
  if (closed) return;
  closed = true;
  if (receiver) receiver->close_for_owner();
  if (sender) sender->close_for_owner();
  if (loop* lp = loop::current()) lp->io().forget_fd(fd);
  ::close(fd);
  fd = -1;
}

busy_guard::busy_guard(socket_state& s, bool sending, const char* what)
    : s_(s), sending_(sending) {
  bool& flag = sending ? s.sending : s.receiving;
  if (flag) {
    throw busy_resource_error(std::string(what) + ": another task is already " +
                              (sending ? "sending on" : "receiving from") + " this socket");
  }
  flag = true;
}

busy_guard::~busy_guard() {
  (sending_ ? s_.sending : s_.receiving) = false;
  unpark();
}

socket_state& require_open(socket_state* s, const char* what) {
  if (!s || s->closed) throw closed_resource_error(std::string(what) + ": the socket is closed");
  return *s;
}

bool parse_numeric_address(std::string_view host, std::uint16_t port, socket_address& out) {
  std::string h(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  if (::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    out.len = sizeof(sockaddr_in);
    return true;
  }
  out.storage = {};
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    out.len = sizeof(sockaddr_in6);
    return true;
  }
  out.storage = {};
  return false;
}

std::vector<socket_address> resolve_blocking(const std::string& host, std::uint16_t port,
                                             bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0) {
    int err = rc == EAI_SYSTEM ? errno : EHOSTUNREACH;
    throw std::system_error(err, std::generic_category(),
                            "cannot resolve '" + host + "': " + ::gai_strerror(rc));
  }
  std::vector<socket_address> out;
  for (addrinfo* a = res; a; a = a->ai_next) {
    socket_address sa;
    std::memcpy(&sa.storage, a->ai_addr, a->ai_addrlen);
    sa.len = a->ai_addrlen;
    out.push_back(sa);
  }
  ::freeaddrinfo(res);
  return out;
}

std::uint16_t port_of(int fd, bool peer) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                : ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc < 0) throw std::system_error(errno, std::generic_category(), "getsockname");
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

std::string describe_endpoint(std::string_view host, std::uint16_t port) {
  std::string h(host);
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  return h + ":" + std::to_string(port);
}

}  // namespace hf::rt::detail
