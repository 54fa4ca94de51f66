#include "runtime/sync/event.hpp"

#include "runtime/checkpoint.hpp"

namespace hf::rt {
namespace detail {

bool event_wait_awaiter::await_ready() {
  lp_ = &loop::require("event::wait");
  t_ = lp_->current_task();
  if (is_cancelled(t_)) raise_cancelled(*lp_, t_);
  return false;
}

void event_wait_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (e_->set_) {
    lp_->yield(t_, h);  // already set: still a full checkpoint (K-1)
    return;
  }
  e_->waiters_.park(*lp_, t_, w_, h);
  parked_ = true;
}

void event_wait_awaiter::await_resume() {
  if (parked_) {
    finish_wait(t_, w_, "event");
  } else if (is_cancelled(t_)) {
    raise_cancelled(*lp_, t_);  // cancelled during the checkpoint: nothing was consumed
  }
}

}  // namespace detail

void event::set() {
  if (set_) return;
  set_ = true;
  waiters_.wake_all(detail::wake_reason::granted);
}

}  // namespace hf::rt
