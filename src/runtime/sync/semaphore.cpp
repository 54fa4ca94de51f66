#include "runtime/sync/semaphore.hpp"

#include <string>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"

namespace hf::rt {
namespace detail {

bool semaphore_acquire_awaiter::await_ready() {
  lp_ = &loop::require("semaphore::acquire");
  t_ = lp_->current_task();
  if (is_cancelled(t_)) raise_cancelled(*lp_, t_);  // K-3: check before commit
  if (s_->value_ > 0 && s_->waiters_.empty()) {
    --s_->value_;  // committed: from here on this call returns normally
    committed_ = true;
    return s_->fast_acquire_;
  }
  return false;
}

void semaphore_acquire_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (committed_) {
    lp_->yield(t_, h);  // the cancellation-shielded scheduling point after the commit (K-3)
    return;
  }
  s_->waiters_.park(*lp_, t_, w_, h);
  parked_ = true;
}

void semaphore_acquire_awaiter::await_resume() {
  if (parked_) finish_wait(t_, w_, "semaphore");  // granted by release() (C-6)
}

}  // namespace detail

semaphore::semaphore(std::int64_t initial_value, std::optional<std::int64_t> max_value,
                     bool fast_acquire)
    : value_(initial_value), max_value_(max_value), fast_acquire_(fast_acquire) {
  if (initial_value < 0) {
    throw argument_error("semaphore: initial_value must be >= 0, got " +
                         std::to_string(initial_value));
  }
  if (max_value && *max_value < initial_value) {
    throw argument_error("semaphore: max_value (" + std::to_string(*max_value) +
                         ") must be equal to or higher than initial_value (" +
                         std::to_string(initial_value) + ")");
  }
}

void semaphore::acquire_nowait() {
  if (value_ <= 0 || !waiters_.empty()) throw would_block();
  --value_;
}

void semaphore::release() {
  if (max_value_ && value_ >= *max_value_) {
    throw argument_error("semaphore: released too many times (max_value is " +
                         std::to_string(*max_value_) + ")");
  }
  if (detail::waiter* w = waiters_.pop_live()) {
    detail::wait_queue::wake(w, detail::wake_reason::granted);  // direct hand-over
  } else {
    ++value_;
  }
}

}  // namespace hf::rt
