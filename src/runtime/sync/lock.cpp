#include "runtime/sync/lock.hpp"

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"

namespace hf::rt {
namespace detail {

bool lock_acquire_awaiter::await_ready() {
  lp_ = &loop::require("lock::acquire");
  t_ = lp_->current_task();
  if (l_->held_by(t_)) {
    throw usage_error("lock::acquire: this lock is already held by the current task ('" + detail::task_name(t_) +
                      "')");
  }
  if (!shielded_ && is_cancelled(t_)) raise_cancelled(*lp_, t_);  // K-3: check before commit
  if (l_->owner_ == 0 && l_->waiters_.empty()) {
    l_->owner_ = t_->id;  // committed: from here on this call returns normally
    committed_ = true;
    return l_->fast_acquire_;
  }
  return false;
}

void lock_acquire_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (committed_) {
    lp_->yield(t_, h);  // the cancellation-shielded scheduling point after the commit (K-3)
    return;
  }
  w_.shielded = shielded_;
  l_->waiters_.park(*lp_, t_, w_, h);
  parked_ = true;
}

void lock_acquire_awaiter::await_resume() {
  // Granted by release(): the lock is ours even if a cancellation arrived since (C-6).
  if (parked_) finish_wait(t_, w_, "lock");
}

}  // namespace detail

void lock::acquire_nowait() {
  detail::task_state* t = detail::loop::require("lock::acquire_nowait").current_task();
  if (held_by(t)) {
    throw usage_error("lock::acquire_nowait: this lock is already held by the current task ('" +
                      detail::task_name(t) + "')");
  }
  if (owner_ != 0 || !waiters_.empty()) throw would_block();
  owner_ = t->id;
}

void lock::release() {
  detail::task_state* t = detail::loop::require("lock::release").current_task();
  if (!held_by(t)) throw usage_error("lock::release: the current task is not holding this lock");
  hand_over();
}

void lock::hand_over() {
  if (detail::waiter* w = waiters_.pop_live()) {
    owner_ = w->task->id;  // visible at once: no barging, statistics show the new owner
    detail::wait_queue::wake(w, detail::wake_reason::granted);
  } else {
    owner_ = 0;
  }
}

lock_statistics lock::statistics() const {
  lock_statistics s;
  s.locked = locked();
  if (locked()) s.owner = owner_;
  s.tasks_waiting = waiters_.size();
  return s;
}

}  // namespace hf::rt
