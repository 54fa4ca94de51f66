#include "runtime/io/op_awaiter.hpp"

#include "runtime/checkpoint.hpp"

namespace hf::rt::io {

bool op_awaiter::await_ready() {
  lp_ = &detail::loop::require("I/O operation");
  t_ = lp_->current_task();
  if (detail::is_cancelled(t_)) {
    raise_ = true;
    return true;
  }
  done_now_ = lp_->io().try_now(&op_);
  return false;
}

void op_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (done_now_) {
    lp_->yield(t_, h);  // the op already took effect: a cancellation-shielded scheduling point
    return;
  }
  op_.on_complete = &op_awaiter::on_complete;
  op_.user = this;
  lp_->io().submit(&op_);
  parked_ = true;
  lp_->park(t_, h, &op_awaiter::on_abort, this);
}

long op_awaiter::await_resume() {
  parked_ = false;
  if (raise_ || t_->wake_cancelled) {
    t_->wake_cancelled = false;
    detail::raise_cancelled(*lp_, t_);
  }
  return closing_ ? kClosedResult : op_.result;
}

void op_awaiter::on_complete(op* o) {
  auto* self = static_cast<op_awaiter*>(o->user);
  detail::loop& lp = *self->lp_;
  if (self->closing_) {
    lp.reschedule(self->t_, false);
    return;
  }
  if (self->cancel_requested_ && o->result == -ECANCELED) {
    self->cancel_requested_ = false;
    if (detail::is_cancelled(self->t_)) {
      lp.reschedule(self->t_, true);
    } else {
      lp.io().submit(o);  // the cancellation was hidden again (shield set): keep waiting
    }
    return;
  }
  // A real result, even one that raced a cancellation: deliver it (C-6, B-4).
  lp.reschedule(self->t_, false);
}

detail::abort_result op_awaiter::on_abort(detail::task_state* t) {
  auto* self = static_cast<op_awaiter*>(t->wait_ctx);
  if (self->cancel_requested_) return detail::abort_result::failed;  // already asked
  if (self->lp_->io().try_cancel(&self->op_)) return detail::abort_result::succeeded;
  self->cancel_requested_ = true;  // the backend answers through on_complete
  return detail::abort_result::failed;
}

void op_awaiter::close_for_owner() {
  if (!parked_ || closing_) return;
  closing_ = true;
  if (cancel_requested_) return;  // the pending cancel ends it; on_complete sees closing_
  if (lp_->io().try_cancel(&op_)) {
    lp_->reschedule(t_, false);
  } else {
    cancel_requested_ = true;
  }
}

}  // namespace hf::rt::io
