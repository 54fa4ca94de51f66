#include "runtime/sync/capacity_limiter.hpp"

#include <memory>
#include <string>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"

namespace hf::rt {
namespace detail {

bool limiter_acquire_awaiter::await_ready() {
  lp_ = &loop::require("capacity_limiter::acquire");
  t_ = lp_->current_task();
  w_.borrower = object_ ? borrower_id{object_, 0} : borrower_id{nullptr, t_->id};
  l_->check_not_borrowing(w_.borrower, "capacity_limiter::acquire");
  if (is_cancelled(t_)) raise_cancelled(*lp_, t_);  // K-3: check before commit
  if (l_->has_free_token()) {
    l_->borrowers_.insert(w_.borrower);  // committed: from here on this call returns normally
    committed_ = true;
  }
  return false;
}

void limiter_acquire_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (committed_) {
    lp_->yield(t_, h);  // the cancellation-shielded scheduling point after the commit (K-3)
    return;
  }
  l_->waiters_.park(*lp_, t_, w_, h);
  parked_ = true;
}

void limiter_acquire_awaiter::await_resume() {
  // Granted: grant_waiters() already recorded the borrower (no barging, C-6).
  if (parked_) finish_wait(t_, w_, "capacity_limiter");
}

}  // namespace detail

capacity_limiter::capacity_limiter(size_limit total_tokens)
    : total_(total_tokens.checked("capacity_limiter: total_tokens")) {}

void capacity_limiter::set_total_tokens(size_limit total_tokens) {
  total_ = total_tokens.checked("capacity_limiter: total_tokens");
  grant_waiters();
}

std::size_t capacity_limiter::available_tokens() const noexcept {
  if (total_ == unbounded) return unbounded;
  return total_ > borrowers_.size() ? total_ - borrowers_.size() : 0;
}

borrower_id capacity_limiter::current_task_borrower(const char* what) {
  return borrower_id{nullptr, detail::loop::require(what).current_task()->id};
}

void capacity_limiter::check_not_borrowing(const borrower_id& b, const char* what) const {
  if (borrowers_.contains(b)) {
    throw usage_error(std::string(what) +
                      ": this borrower is already holding one of this "
                      "CapacityLimiter's tokens");
  }
  // A task cannot wait twice at once; only an object borrower can already be in the queue.
  bool waiting = false;
  if (!b.is_task()) {
    waiters_.for_each([&](detail::waiter* w) {
      waiting = waiting || static_cast<detail::limiter_waiter*>(w)->borrower == b;
    });
  }
  if (waiting) {
    throw usage_error(
        std::string(what) +
        ": this borrower is already waiting for one of this CapacityLimiter's tokens");
  }
}

detail::limiter_acquire_awaiter capacity_limiter::acquire_on_behalf_of(const void* borrower) {
  if (!borrower) throw argument_error("capacity_limiter::acquire_on_behalf_of: borrower is null");
  return {*this, borrower};
}

void capacity_limiter::acquire_nowait() {
  borrower_id b = current_task_borrower("capacity_limiter::acquire_nowait");
  check_not_borrowing(b, "capacity_limiter::acquire_nowait");
  if (!has_free_token()) throw would_block();
  borrowers_.insert(b);
}

void capacity_limiter::acquire_on_behalf_of_nowait(const void* borrower) {
  if (!borrower) {
    throw argument_error("capacity_limiter::acquire_on_behalf_of_nowait: borrower is null");
  }
  borrower_id b{borrower, 0};
  check_not_borrowing(b, "capacity_limiter::acquire_on_behalf_of_nowait");
  if (!has_free_token()) throw would_block();
  borrowers_.insert(b);
}

void capacity_limiter::release() {
  release_borrower(current_task_borrower("capacity_limiter::release"), "capacity_limiter::release");
}

void capacity_limiter::release_on_behalf_of(const void* borrower) {
  release_borrower(borrower_id{borrower, 0}, "capacity_limiter::release_on_behalf_of");
}

void capacity_limiter::release_borrower(const borrower_id& b, const char* what) {
  if (!borrowers_.erase(b)) {
    throw usage_error(std::string(what) +
                      ": this borrower isn't holding any of this CapacityLimiter's tokens");
  }
  grant_waiters();
}

void capacity_limiter::grant_waiters() {
  while (borrowers_.size() < total_ && !waiters_.empty()) {
    detail::waiter* w = waiters_.pop_live();
    if (!w) break;
    // The token belongs to the waiter from this moment (statistics show it at once).
    borrowers_.insert(static_cast<detail::limiter_waiter*>(w)->borrower);
    detail::wait_queue::wake(w, detail::wake_reason::granted);
  }
}

capacity_limiter_statistics capacity_limiter::statistics() const {
  capacity_limiter_statistics s;
  s.borrowed_tokens = borrowers_.size();
  s.total_tokens = total_;
  s.borrowers.reserve(borrowers_.size());
  borrowers_.for_each([&](const borrower_id& b) { s.borrowers.push_back(b); });
  s.tasks_waiting = waiters_.size();
  return s;
}

capacity_limiter& default_thread_limiter() {
  detail::loop* lp = detail::loop::current();
  if (!lp) throw usage_error("default_thread_limiter() must be called inside rt::run");
  // One limiter per run: the run is recognised by its shared token, which no later run reuses
  // while this weak reference can still see it.
  struct per_thread {
    std::weak_ptr<detail::loop::shared_token> run;
    std::unique_ptr<capacity_limiter> limiter;
  };
  thread_local per_thread slot;
  std::shared_ptr<detail::loop::shared_token> token = lp->token();
  if (!slot.limiter || slot.run.lock() != token) {
    slot.limiter = std::make_unique<capacity_limiter>(40);
    slot.run = token;
  }
  return *slot.limiter;
}

}  // namespace hf::rt
