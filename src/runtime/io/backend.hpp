// Private interface between the event loop and an I/O backend (epoll or io_uring). Nothing outside
// src/runtime/ sees it. Completion model: the runtime submits an `op`; the backend calls
// op->on_complete on the loop thread from poll(), exactly once, unless try_cancel() returned true.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/clock.hpp"

namespace hf::rt::io {

enum class op_kind {
  read,        // pread-style on files (offset >= 0) or read on pipes (offset < 0)
  write,       // pwrite-style / write
  recv,        // socket receive
  send,        // socket send (MSG_NOSIGNAL)
  accept,      // result: the new fd (SOCK_NONBLOCK | SOCK_CLOEXEC)
  connect,     // addr/addrlen
  poll_read,   // wait until readable (result: revents)
  poll_write,  // wait until writable
  fsync,
};

struct op {
  op_kind kind = op_kind::read;
  int fd = -1;
  void* buf = nullptr;
  std::size_t len = 0;
  std::int64_t offset = -1;
  sockaddr_storage addr{};
  socklen_t addrlen = 0;
  long result = 0;                    // >= 0 on success, -errno on failure (-ECANCELED if cancelled)
  void (*on_complete)(op*) = nullptr;  // loop thread, from poll()
  void* user = nullptr;
  // Backend bookkeeping.
  void* backend_data = nullptr;
  bool in_flight = false;
};

class backend {
 public:
  virtual ~backend() = default;
  virtual std::string_view name() const = 0;
  // Waits for completions up to `timeout` (zero: just look; negative: until something happens or
  // wake() is called) and runs their on_complete callbacks.
  virtual void poll(duration timeout) = 0;
  // Thread-safe: makes a blocking poll() return soon.
  virtual void wake() = 0;
  // Fast path (readiness backends): performs the op now if it can complete without waiting and
  // returns true with o->result set; on_complete is then NOT called. Completion backends return false.
  virtual bool try_now(op* o) = 0;
  virtual void submit(op* o) = 0;
  // Tries to withdraw an op. true: withdrawn, on_complete will never run. false: the op completes
  // later (perhaps with -ECANCELED, perhaps with a real result that must be delivered, B-4).
  virtual bool try_cancel(op* o) = 0;
  // Ops submitted and not yet completed (the loop polls more eagerly while this is non-zero).
  virtual std::size_t pending() const = 0;
  // Whether file reads/writes are native async ops (io_uring) or must go through worker threads.
  virtual bool native_files() const = 0;
  // Called before the runtime closes fd (no op on it may be in flight).
  virtual void forget_fd(int fd) = 0;
};

std::unique_ptr<backend> make_epoll_backend();
// Throws std::system_error if the kernel refuses io_uring.
std::unique_ptr<backend> make_uring_backend();

// Resolves "auto" | "epoll" | "io_uring" (an empty name means $HFSERVE_BACKEND, else "auto").
// "auto" prefers io_uring and falls back to epoll with one log line on stderr.
// Unknown names throw unknown_backend_error naming the backend.
std::unique_ptr<backend> make_backend(std::string_view name);
// Backend names a run can ask for.
inline constexpr std::string_view backend_names[] = {"epoll", "io_uring"};

}  // namespace hf::rt::io
