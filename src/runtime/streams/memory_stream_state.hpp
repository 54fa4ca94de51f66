// The shared state behind a memory object stream's ends (internal; see memory_stream.hpp): the
// buffer, the open-end counts and the queues of blocked senders and receivers, with the M-1..M-4
// transfer rules. Items are never used as sentinels: a missing item is an empty std::optional or
// a wake_reason, so any T (0, nullptr, empty optional, move-only) travels unchanged.
#pragma once
#include <cstddef>
#include <optional>
#include <utility>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"
#include "runtime/streams/ring_buffer.hpp"
#include "runtime/sync/wait_queue.hpp"

namespace hf::rt {

struct memory_stream_statistics {
  std::size_t current_buffer_used = 0;
  std::size_t max_buffer_size = 0;  // rt::unbounded for infinity
  std::size_t open_send_streams = 0;
  std::size_t open_receive_streams = 0;
  std::size_t tasks_waiting_send = 0;
  std::size_t tasks_waiting_receive = 0;
};

namespace detail {

// A blocked send: the item stays in the sending coroutine's frame until a receiver takes it, so a
// cancelled sender's item is withdrawn with it (P-83).
template <class T>
struct send_waiter : waiter {
  T* item = nullptr;
  const void* handle = nullptr;  // the send end it was issued through
};
template <class T>
struct receive_waiter : waiter {
  std::optional<T> slot;
  const void* handle = nullptr;  // the receive end it was issued through
};

enum class receive_status { got, would_block, end };

template <class T>
struct stream_state {
  explicit stream_state(std::size_t max) noexcept : max_buffer(max) {}

  // M-2: to the first live waiting receiver, else into the buffer if there is room. Moves from
  // `item` only when it returns true. broken_resource_error once every receive end is closed.
  bool try_send(T& item) {
    if (open_receive == 0) {
      throw broken_resource_error("memory object stream: every receive end is closed");
    }
    if (waiter* w = receivers.pop_live()) {
      static_cast<receive_waiter<T>*>(w)->slot.emplace(std::move(item));
      wait_queue::wake(w, wake_reason::granted);
      return true;
    }
    if (buffer.size() < max_buffer) {
      buffer.push_back(std::move(item));
      return true;
    }
    return false;
  }

  // M-3: from the buffer first; a blocked sender's item then moves into the buffer (or straight
  // to this receiver when the buffer is empty) and that sender completes.
  receive_status try_receive(std::optional<T>& out) {
    if (!buffer.empty()) {
      out.emplace(buffer.pop_front());
      if (waiter* w = senders.pop_live()) {
        buffer.push_back(std::move(*static_cast<send_waiter<T>*>(w)->item));
        wait_queue::wake(w, wake_reason::granted);
      }
      return receive_status::got;
    }
    if (waiter* w = senders.pop_live()) {
      out.emplace(std::move(*static_cast<send_waiter<T>*>(w)->item));
      wait_queue::wake(w, wake_reason::granted);
      return receive_status::got;
    }
    return open_send == 0 ? receive_status::end : receive_status::would_block;
  }

  // M-4: an operation blocked on a handle that gets closed fails with closed_resource_error.
  void abort_waiters_of(const void* handle) {
    senders.wake_if([&](waiter* w) { return static_cast<send_waiter<T>*>(w)->handle == handle; },
                    wake_reason::own_closed);
    receivers.wake_if(
        [&](waiter* w) { return static_cast<receive_waiter<T>*>(w)->handle == handle; },
        wake_reason::own_closed);
  }

  // M-4: the last send end wakes receivers with end_of_stream, the last receive end wakes senders
  // with broken_resource_error.
  void close_send() noexcept {
    if (--open_send == 0) receivers.wake_all(wake_reason::closed);
  }
  void close_receive() noexcept {
    if (--open_receive == 0) senders.wake_all(wake_reason::closed);
  }

  memory_stream_statistics statistics() const noexcept {
    return {buffer.size(), max_buffer, open_send, open_receive, senders.size(), receivers.size()};
  }

  ring_buffer<T> buffer;
  std::size_t max_buffer;
  std::size_t open_send = 1;
  std::size_t open_receive = 1;
  wait_queue senders;
  wait_queue receivers;
};

// send and receive start with a full checkpoint, before anything is tried (K-4): cancellation is
// checked, other tasks run, and a cancellation that arrived meanwhile still raises.
class stream_checkpoint {
 public:
  explicit stream_checkpoint(const char* what) noexcept : what_(what) {}
  bool await_ready() {
    lp_ = &loop::require(what_);
    t_ = lp_->current_task();
    if (is_cancelled(t_)) raise_cancelled(*lp_, t_);
    return false;
  }
  void await_suspend(std::coroutine_handle<> h) noexcept { lp_->yield(t_, h); }
  void await_resume() const {
    if (is_cancelled(t_)) raise_cancelled(*lp_, t_);
  }

 private:
  const char* what_;
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
};

}  // namespace detail
}  // namespace hf::rt
