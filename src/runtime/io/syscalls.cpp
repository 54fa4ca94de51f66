#include "runtime/io/syscalls.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace hf::rt::io {

bool waits_readable(op_kind k) {
  return k == op_kind::read || k == op_kind::recv || k == op_kind::accept ||
         k == op_kind::poll_read;
}

long perform_now(op* o) {
  long r = 0;
  switch (o->kind) {
    case op_kind::read:
      r = o->offset >= 0 ? ::pread(o->fd, o->buf, o->len, o->offset) : ::read(o->fd, o->buf, o->len);
      break;
    case op_kind::write:
      r = o->offset >= 0 ? ::pwrite(o->fd, o->buf, o->len, o->offset)
                         : ::write(o->fd, o->buf, o->len);
      break;
    case op_kind::recv:
      r = ::recv(o->fd, o->buf, o->len, 0);
      break;
    case op_kind::send:
      r = ::send(o->fd, o->buf, o->len, MSG_NOSIGNAL);
      break;
    case op_kind::accept:
      r = ::accept4(o->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      break;
    case op_kind::connect: {
      if (o->backend_data == nullptr) {
        // First attempt: start the connection. Later attempts (after writability): read SO_ERROR.
        o->backend_data = o;
        r = ::connect(o->fd, reinterpret_cast<const sockaddr*>(&o->addr), o->addrlen);
        if (r < 0 && errno == EINPROGRESS) return -EAGAIN;
      } else {
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(o->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
        return err ? -err : 0;
      }
      break;
    }
    case op_kind::poll_read:
    case op_kind::poll_write: {
      pollfd p{o->fd, static_cast<short>(o->kind == op_kind::poll_read ? POLLIN : POLLOUT), 0};
      r = ::poll(&p, 1, 0);
      if (r == 0) return -EAGAIN;
      if (r > 0) return p.revents;
      break;
    }
    case op_kind::fsync:
      r = ::fsync(o->fd);
      break;
    case op_kind::openat:
      r = ::openat(AT_FDCWD, o->path, o->open_flags | O_CLOEXEC, o->open_mode);
      break;
  }
  if (r < 0) {
    int e = errno;
    return e == EWOULDBLOCK ? -EAGAIN : -e;
  }
  return r;
}

}  // namespace hf::rt::io
