// rt::capacity_limiter: a pool of tokens, each held by one borrower (a task, or any object on
// whose behalf a task acquires), with a FIFO queue (spec 10.13). total_tokens is a non-negative
// integer or rt::unbounded and may be changed at any time; raising it hands the new tokens to
// waiters at once. default_thread_limiter() is the per-run limiter of to_thread (40 tokens).
//   rt::capacity_limiter lim(8);
//   { auto g = co_await lim.scoped(); ... }        // borrower: the current task
//   co_await lim.acquire_on_behalf_of(&conn);  ...;  lim.release_on_behalf_of(&conn);
#pragma once
#include <coroutine>
#include <cstddef>
#include <vector>

#include "runtime/detail/core.hpp"
#include "runtime/sync/borrower_set.hpp"
#include "runtime/sync/release_guard.hpp"
#include "runtime/sync/size_limit.hpp"
#include "runtime/sync/wait_queue.hpp"

namespace hf::rt {

class capacity_limiter;

struct capacity_limiter_statistics {
  std::size_t borrowed_tokens = 0;
  std::size_t total_tokens = 0;  // rt::unbounded for infinity
  std::vector<borrower_id> borrowers;
  std::size_t tasks_waiting = 0;
};

namespace detail {

struct limiter_waiter : waiter {
  borrower_id borrower;
};

class limiter_acquire_awaiter {
 public:
  // object == nullptr: the current task borrows.
  limiter_acquire_awaiter(capacity_limiter& l, const void* object) noexcept
      : l_(&l), object_(object) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();

 protected:
  capacity_limiter* l_;

 private:
  const void* object_;
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  limiter_waiter w_;
  bool committed_ = false;
  bool parked_ = false;
};

class limiter_scoped_awaiter : public limiter_acquire_awaiter {
 public:
  explicit limiter_scoped_awaiter(capacity_limiter& l) noexcept
      : limiter_acquire_awaiter(l, nullptr) {}
  release_guard<capacity_limiter> await_resume() {
    limiter_acquire_awaiter::await_resume();
    return release_guard<capacity_limiter>(*l_);
  }
};

}  // namespace detail

class capacity_limiter {
 public:
  // argument_error unless total_tokens is a non-negative integer or infinity (P-67).
  explicit capacity_limiter(size_limit total_tokens);
  capacity_limiter(const capacity_limiter&) = delete;
  capacity_limiter& operator=(const capacity_limiter&) = delete;

  std::size_t total_tokens() const noexcept { return total_; }
  // Same checks as the constructor; an increase hands tokens to that many waiters at once.
  void set_total_tokens(size_limit total_tokens);
  std::size_t borrowed_tokens() const noexcept { return borrowers_.size(); }
  // rt::unbounded when total_tokens is.
  std::size_t available_tokens() const noexcept;

  // Borrow a token for the current task / for `borrower` (not null). usage_error if that
  // borrower already holds a token of this limiter ("already holding one of this
  // CapacityLimiter's tokens") or is already waiting for one. Uncontended: check for
  // cancellation, take, shielded yield (K-3). Cancelled while waiting: withdrawn (C-6).
  detail::limiter_acquire_awaiter acquire() noexcept { return {*this, nullptr}; }
  detail::limiter_scoped_awaiter scoped() noexcept { return detail::limiter_scoped_awaiter(*this); }
  detail::limiter_acquire_awaiter acquire_on_behalf_of(const void* borrower);
  // Take a token at once or throw would_block.
  void acquire_nowait();
  void acquire_on_behalf_of_nowait(const void* borrower);
  // Give the token back (to the first live waiter if capacity allows). usage_error if the
  // borrower holds none.
  void release();
  void release_on_behalf_of(const void* borrower);

  capacity_limiter_statistics statistics() const;

 private:
  friend class detail::limiter_acquire_awaiter;
  static borrower_id current_task_borrower(const char* what);
  void check_not_borrowing(const borrower_id& b, const char* what) const;
  bool has_free_token() const noexcept { return borrowers_.size() < total_ && waiters_.empty(); }
  void release_borrower(const borrower_id& b, const char* what);
  // Hands free tokens to waiters in FIFO order while capacity allows.
  void grant_waiters();

  std::size_t total_;
  detail::borrower_set borrowers_;
  detail::wait_queue waiters_;
};

// The limiter to_thread uses by default: 40 tokens, one per run (a change made in one run does
// not leak into the next). usage_error outside rt::run.
capacity_limiter& default_thread_limiter();

}  // namespace hf::rt
