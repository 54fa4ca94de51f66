#include "runtime/sync/condition.hpp"

#include <string>

#include "runtime/errors.hpp"

namespace hf::rt {

void condition::check_holding(const char* what) const {
  detail::task_state* t = detail::loop::require(what).current_task();
  if (!lock_->held_by(t)) {
    throw usage_error(std::string(what) + ": the current task is not holding the underlying lock");
  }
}

task<void> condition::wait() {
  check_holding("condition::wait");
  detail::loop& lp = *detail::loop::current();
  detail::task_state* t = lp.current_task();
  if (detail::is_cancelled(t)) detail::raise_cancelled(lp, t);  // before the lock is released (K-4)

  // Giving up the lock and joining the queue happen with nothing in between (no suspension), so
  // a notification sent by the next lock holder cannot be missed.
  detail::waiter w;
  lock_->hand_over();
  co_await detail::park_in(waiters_, w);
  if (w.reason == detail::wake_reason::destroyed) {
    throw usage_error("condition was destroyed while tasks were waiting on it");
  }
  bool cancelled_wait = w.reason == detail::wake_reason::none;
  if (cancelled_wait) t->wake_cancelled = false;

  // Whatever happened, the lock is ours again before returning or propagating (shielded).
  co_await detail::lock_acquire_awaiter(*lock_, /*shielded=*/true);
  if (cancelled_wait) detail::raise_cancelled(lp, t);
}

void condition::notify(std::size_t n) {
  check_holding("condition::notify");
  for (std::size_t i = 0; i < n; ++i) {
    detail::waiter* w = waiters_.pop_live();  // skips (and wakes) cancelled waiters: pass-on
    if (!w) break;
    detail::wait_queue::wake(w, detail::wake_reason::granted);
  }
}

void condition::notify_all() {
  check_holding("condition::notify_all");
  while (detail::waiter* w = waiters_.pop_live()) {
    detail::wait_queue::wake(w, detail::wake_reason::granted);
  }
}

}  // namespace hf::rt
