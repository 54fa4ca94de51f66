// Receiving POSIX signals as values inside a run. Opening a receiver installs a process-wide
// async-signal-safe handler for its signals that writes the signal number into the receiver's
// self-pipe; receive() waits on that pipe through the run's I/O backend. Closing the receiver (or
// destroying it) restores the handlers that were there before. The most recently opened receiver
// of a signal gets it; a receiver should be opened and closed on the same thread, LIFO.
//   auto rx = rt::open_signal_receiver({SIGINT, SIGTERM});
//   int sig = co_await rx.receive();   // a checkpoint; cancellable
#pragma once
#include <csignal>
#include <initializer_list>
#include <memory>
#include <vector>

#include "runtime/task.hpp"

namespace hf::rt {

namespace detail {
struct signal_state;
}

class signal_receiver {
 public:
  signal_receiver();
  explicit signal_receiver(std::unique_ptr<detail::signal_state> s) noexcept;
  signal_receiver(signal_receiver&&) noexcept;
  signal_receiver& operator=(signal_receiver&&) noexcept;
  ~signal_receiver();

  // The next signal received (in arrival order). closed_resource_error once closed.
  task<int> receive();
  // Restores the previous handlers; a parked receive() raises closed_resource_error. Idempotent.
  void close() noexcept;
  bool is_open() const noexcept;

 private:
  std::unique_ptr<detail::signal_state> s_;
};

// argument_error for an invalid signal number or one that cannot be caught (SIGKILL, SIGSTOP).
signal_receiver open_signal_receiver(std::initializer_list<int> signals);
signal_receiver open_signal_receiver(const std::vector<int>& signals);

}  // namespace hf::rt
