// rt::lock: a FIFO mutual-exclusion lock for tasks (spec 10.9, K-3, K-4). Owned by the task that
// took it; release() hands it straight to the first waiter (no barging). Loop thread only; may be
// built and inspected before any rt::run. Acquire is a checkpoint: cancellation is checked before
// taking the lock, never after (a taken lock is never followed by `cancelled` from the same call).
//   rt::lock lk;                                  // rt::lock fast(/*fast_acquire=*/true);
//   { auto g = co_await lk.scoped(); ... }        // or: co_await lk.acquire(); ...; lk.release();
#pragma once
#include <coroutine>
#include <cstdint>
#include <optional>

#include "runtime/detail/core.hpp"
#include "runtime/sync/release_guard.hpp"
#include "runtime/sync/wait_queue.hpp"

namespace hf::rt {

class lock;
class condition;

struct lock_statistics {
  bool locked = false;
  std::optional<std::uint64_t> owner;  // id of the owning task (rt::task_info::id)
  std::size_t tasks_waiting = 0;
};

namespace detail {

class lock_acquire_awaiter {
 public:
  lock_acquire_awaiter(lock& l, bool shielded) noexcept : l_(&l), shielded_(shielded) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();

 protected:
  lock* l_;

 private:
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  waiter w_;
  bool shielded_;           // condition re-taking its lock: ignores cancellation
  bool committed_ = false;  // taken at once; the suspension is the shielded yield (K-3)
  bool parked_ = false;
};

class lock_scoped_awaiter : public lock_acquire_awaiter {
 public:
  using lock_acquire_awaiter::lock_acquire_awaiter;
  release_guard<lock> await_resume() {
    lock_acquire_awaiter::await_resume();
    return release_guard<lock>(*l_);
  }
};

}  // namespace detail

class lock {
 public:
  // fast_acquire: an uncontended acquire checks for cancellation but does not yield (K-4).
  explicit lock(bool fast_acquire = false) noexcept : fast_acquire_(fast_acquire) {}
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;

  // Waits in FIFO order. usage_error if the current task already holds it (it never blocks then);
  // a cancellation while waiting withdraws the task from the queue and raises `cancelled`.
  detail::lock_acquire_awaiter acquire() noexcept { return {*this, false}; }
  // As acquire(), returning a guard whose destructor releases.
  detail::lock_scoped_awaiter scoped() noexcept { return {*this, false}; }
  // Takes a free lock at once or throws would_block; usage_error if already held by this task.
  void acquire_nowait();
  // usage_error unless the current task owns the lock. Hands it to the first live waiter.
  void release();

  bool locked() const noexcept { return owner_ != 0; }
  lock_statistics statistics() const;

 private:
  friend class detail::lock_acquire_awaiter;
  friend class condition;
  // The owner gives the lock up (to the first live waiter, else it becomes free).
  void hand_over();
  bool held_by(const detail::task_state* t) const noexcept { return owner_ == t->id; }

  bool fast_acquire_;
  std::uint64_t owner_ = 0;  // task id; 0: free (task ids start at 1)
  detail::wait_queue waiters_;
};

}  // namespace hf::rt
