#include "runtime/sleep.hpp"

#include "runtime/errors.hpp"

namespace hf::rt {
namespace detail {

void raise_cancelled(loop& lp, task_state* t) { throw cancelled(lp.cancel_message_for(t)); }

bool sleep_awaiter::await_ready() {
  lp_ = &loop::require("sleep");
  t_ = lp_->current_task();
  if (is_cancelled(t_)) {
    raise_ = true;
    return true;
  }
  if (!yield_only_) yield_only_ = until_ != no_deadline && until_ <= lp_->now();
  return false;
}

void sleep_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (yield_only_) {
    lp_->yield(t_, h);
    return;
  }
  if (until_ != no_deadline) {
    timer_.ctx = t_;
    timer_.fire = [](timer* tm) {
      auto* t = static_cast<task_state*>(tm->ctx);
      loop::current()->reschedule(t, false);
    };
    lp_->arm(&timer_, until_);
  }
  lp_->park(t_, h, &sleep_awaiter::on_abort, this);
}

abort_result sleep_awaiter::on_abort(task_state* t) {
  auto* self = static_cast<sleep_awaiter*>(t->wait_ctx);
  self->lp_->disarm(&self->timer_);
  return abort_result::succeeded;
}

void sleep_awaiter::await_resume() const {
  if (raise_ || t_->wake_cancelled) {
    t_->wake_cancelled = false;
    raise_cancelled(*lp_, t_);
  }
}

}  // namespace detail

time_point current_time() { return detail::loop::require("current_time").now(); }

time_point current_effective_deadline() {
  auto& lp = detail::loop::require("current_effective_deadline");
  return detail::effective_deadline(lp.current_task()->scope);
}

detail::sleep_awaiter sleep(duration d) {
  if (d <= duration::zero()) return detail::sleep_awaiter(time_point::min(), /*yield_only=*/true);
  return detail::sleep_awaiter(detail::loop::require("sleep").now() + d);
}

}  // namespace hf::rt
