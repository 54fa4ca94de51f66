// rt::semaphore: a counter of available units with a FIFO queue of waiting tasks (spec 10.12).
// release() hands a unit straight to the first waiter (no barging). An optional max_value makes a
// release beyond it an argument_error. May be built before any rt::run. Loop thread only.
//   rt::semaphore slots(4);                       // semaphore(1, /*max_value=*/3)
//   { auto g = co_await slots.scoped(); ... }     // or co_await slots.acquire(); slots.release();
#pragma once
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "runtime/detail/core.hpp"
#include "runtime/sync/release_guard.hpp"
#include "runtime/sync/wait_queue.hpp"

namespace hf::rt {

class semaphore;

struct semaphore_statistics {
  std::size_t tasks_waiting = 0;
};

namespace detail {

class semaphore_acquire_awaiter {
 public:
  explicit semaphore_acquire_awaiter(semaphore& s) noexcept : s_(&s) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();

 protected:
  semaphore* s_;

 private:
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  waiter w_;
  bool committed_ = false;  // took a unit at once; the suspension is the shielded yield (K-3)
  bool parked_ = false;
};

class semaphore_scoped_awaiter : public semaphore_acquire_awaiter {
 public:
  using semaphore_acquire_awaiter::semaphore_acquire_awaiter;
  release_guard<semaphore> await_resume() {
    semaphore_acquire_awaiter::await_resume();
    return release_guard<semaphore>(*s_);
  }
};

}  // namespace detail

class semaphore {
 public:
  // argument_error if initial_value < 0 or max_value < initial_value.
  explicit semaphore(std::int64_t initial_value, std::optional<std::int64_t> max_value = {},
                     bool fast_acquire = false);
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  // Takes a unit, waiting in FIFO order if none is free. Uncontended: check for cancellation,
  // take, then a shielded yield (skipped with fast_acquire). Cancelled while waiting: withdrawn.
  detail::semaphore_acquire_awaiter acquire() noexcept {
    return detail::semaphore_acquire_awaiter(*this);
  }
  detail::semaphore_scoped_awaiter scoped() noexcept {
    return detail::semaphore_scoped_awaiter(*this);
  }
  // Takes a unit at once or throws would_block.
  void acquire_nowait();
  // Gives a unit back (to the first live waiter if any). argument_error beyond max_value.
  void release();

  std::int64_t value() const noexcept { return value_; }
  std::optional<std::int64_t> max_value() const noexcept { return max_value_; }
  semaphore_statistics statistics() const { return {waiters_.size()}; }

 private:
  friend class detail::semaphore_acquire_awaiter;
  std::int64_t value_;
  std::optional<std::int64_t> max_value_;
  bool fast_acquire_;
  detail::wait_queue waiters_;
};

}  // namespace hf::rt
