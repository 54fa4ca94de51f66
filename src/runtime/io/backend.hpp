// Private interface between the event loop and an I/O backend (epoll or io_uring). Nothing outside
// src/runtime/ sees it. Completion model: the runtime submits an `op`; the backend calls
// op->on_complete on the loop thread from poll(), exactly once, unless try_cancel() returned true.
#pragma once
#include <sys/socket.h>

#include <atomic>
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
  openat,      // path/open_flags/open_mode, relative to AT_FDCWD; result: the new fd
};

struct op {
  op_kind kind = op_kind::read;
  int fd = -1;
  void* buf = nullptr;
  std::size_t len = 0;
  std::int64_t offset = -1;
  sockaddr_storage addr{};
  socklen_t addrlen = 0;
  const char* path = nullptr;  // openat
  int open_flags = 0;
  unsigned open_mode = 0;
  long result = 0;                    // >= 0 on success, -errno on failure (-ECANCELED if cancelled)
  void (*on_complete)(op*) = nullptr;  // loop thread, from poll()
  void* user = nullptr;
  // Backend bookkeeping.
  void* backend_data = nullptr;
  int phase = 0;           // io_uring: 0 = the op itself is queued, 1 = a readiness poll
  bool in_flight = false;
  bool cancel_requested = false;  // io_uring: try_cancel() was called while the op was queued
  bool tried_now = false;  // try_now() just failed with EAGAIN: submit() need not retry at once
};

class backend {
 public:
  virtual ~backend() = default;
  virtual std::string_view name() const = 0;
  // Waits for completions up to `timeout` (zero: just look; negative: until something happens or
  // wake() is called) and runs their on_complete callbacks.
  virtual void poll(duration timeout) = 0;
  // Thread-safe: makes a blocking poll() return soon. Costs a syscall only when poll() sleeps in
  // the kernel (or is about to); otherwise it just sets a flag that the next poll() sees.
  void wake() noexcept {
    if (woken_.exchange(true)) return;  // already signalled and not yet seen
    if (sleeping_.load()) kick();
  }
  // Loop thread: a worker thread's completion is on its way (it will call wake()), or has arrived.
  // While one is on its way, a blocking poll() first spins briefly on the wake flag: a short
  // to_thread call then needs no kernel sleep and wake-up on either side.
  void expect_wakeup() noexcept { ++expected_wakeups_; }
  void wakeup_arrived() noexcept { --expected_wakeups_; }
  // Fast path: performs the op now if it can complete without waiting and returns true with
  // o->result set; on_complete is then NOT called. Returns false (and marks o->tried_now) when the
  // op must be submitted; completion backends may always return false.
  virtual bool try_now(op* o) = 0;
  virtual void submit(op* o) = 0;
  // Tries to withdraw an op. true: withdrawn, on_complete will never run. false: the op completes
  // later (perhaps with -ECANCELED, perhaps with a real result that must be delivered, B-4).
  virtual bool try_cancel(op* o) = 0;
  // Ops submitted and not yet completed (the loop polls more eagerly while this is non-zero).
  virtual std::size_t pending() const = 0;
  // Whether file reads/writes are native async ops (io_uring) or must go through worker threads.
  virtual bool native_files() const = 0;
  // Called right before the runtime closes fd. Ops still in flight on it must have been given to
  // try_cancel() first; the backend makes sure nothing it still has queued names the fd number.
  virtual void forget_fd(int fd) = 0;

 protected:
  // The kernel-level wake-up of a sleeping poll() (an eventfd write).
  virtual void kick() noexcept = 0;
  // poll(): true if a wake() arrived since the last look (and consumes it).
  bool consume_wake() noexcept { return woken_.exchange(false); }
  // poll(), before a blocking wait: spins while a wake-up is expected, then announces the sleep.
  // false: a wake() arrived, do not block. true: block, then call end_sleep().
  bool begin_sleep() noexcept;
  void end_sleep() noexcept { sleeping_.store(false); }

 private:
  std::atomic<bool> woken_{false};
  std::atomic<bool> sleeping_{false};
  int expected_wakeups_ = 0;
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
