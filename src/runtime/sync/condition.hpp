// rt::condition: wait for a notification while holding a lock (spec 10.11). wait() releases the
// lock, waits, and always re-takes the lock (shielded) before it returns or propagates, including
// when it is cancelled. notify(n) wakes the n longest-waiting tasks; a notification never goes to
// a task that is already cancelled (C-6). Both need the lock held. Loop thread only.
//   rt::condition cond;                                   // or rt::condition cond(&some_lock);
//   { auto g = co_await cond.scoped(); auto v = co_await cond.wait_for([&] { return ready; }); }
//   { auto g = co_await cond.scoped(); ready = true; cond.notify_all(); }
#pragma once
#include <cstddef>
#include <type_traits>

#include "runtime/checkpoint.hpp"
#include "runtime/detail/core.hpp"
#include "runtime/sync/lock.hpp"
#include "runtime/sync/wait_queue.hpp"
#include "runtime/task.hpp"

namespace hf::rt {

struct condition_statistics {
  std::size_t tasks_waiting = 0;
  lock_statistics lock_stats;
};

class condition {
 public:
  // Uses *external (which must outlive the condition) or a lock of its own.
  explicit condition(lock* external = nullptr) noexcept : lock_(external ? external : &own_) {}
  condition(const condition&) = delete;
  condition& operator=(const condition&) = delete;

  detail::lock_acquire_awaiter acquire() noexcept { return lock_->acquire(); }
  detail::lock_scoped_awaiter scoped() noexcept { return lock_->scoped(); }
  void acquire_nowait() { lock_->acquire_nowait(); }
  void release() { lock_->release(); }
  bool locked() const noexcept { return lock_->locked(); }

  // Needs the lock (usage_error "not holding the underlying lock"). Checks for cancellation
  // before releasing it; a notification that reached this task wins over a later cancellation.
  task<void> wait();
  // Waits until pred() is truthy (re-checked after every wake-up, with the lock held) and returns
  // its value. Always a checkpoint, even when pred() is true at once (K-1).
  template <class P>
  task<std::decay_t<std::invoke_result_t<P&>>> wait_for(P pred);

  // Wake up to n (all) waiters, longest-waiting first. usage_error without the lock.
  void notify(std::size_t n = 1);
  void notify_all();

  condition_statistics statistics() const { return {waiters_.size(), lock_->statistics()}; }

 private:
  void check_holding(const char* what) const;

  lock own_;
  lock* lock_;
  detail::wait_queue waiters_;
};

template <class P>
task<std::decay_t<std::invoke_result_t<P&>>> condition::wait_for(P pred) {
  check_holding("condition::wait_for");
  auto result = pred();
  if (result) {
    co_await checkpoint();
    co_return result;
  }
  for (;;) {
    co_await wait();
    result = pred();
    if (result) co_return result;
  }
}

}  // namespace hf::rt
