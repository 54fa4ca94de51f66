// rt::event: a one-shot flag that tasks wait for (spec 10.10). set() is synchronous and
// idempotent and wakes every waiter; there is no reset. May be built and set before any rt::run.
// wait() is a checkpoint even when the event is already set (K-4). Loop thread only.
//   rt::event ready;
//   tg.start_soon([&]() -> rt::task<void> { co_await ready.wait(); ... });
//   ready.set();
#pragma once
#include <coroutine>
#include <cstddef>

#include "runtime/detail/core.hpp"
#include "runtime/sync/wait_queue.hpp"

namespace hf::rt {

class event;

struct event_statistics {
  std::size_t tasks_waiting = 0;
};

namespace detail {
class event_wait_awaiter {
 public:
  explicit event_wait_awaiter(event& e) noexcept : e_(&e) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();

 private:
  event* e_;
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  waiter w_;
  bool parked_ = false;
};
}  // namespace detail

class event {
 public:
  event() noexcept = default;
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  // Sets the flag and wakes all waiters; later calls do nothing.
  void set();
  bool is_set() const noexcept { return set_; }
  // Returns once the event is set. A cancellation while waiting raises `cancelled`; a set() that
  // happened while the task waited wins over a later cancellation (C-6).
  detail::event_wait_awaiter wait() noexcept { return detail::event_wait_awaiter(*this); }
  event_statistics statistics() const { return {waiters_.size()}; }

 private:
  friend class detail::event_wait_awaiter;
  bool set_ = false;
  detail::wait_queue waiters_;
};

}  // namespace hf::rt
