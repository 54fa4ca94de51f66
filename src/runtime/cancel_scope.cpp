#include "runtime/cancel_scope.hpp"

namespace hf::rt {
namespace detail {
time_point deadline_after(duration d) {
  loop* lp = loop::current();
  time_point now = lp ? lp->now() : clock_type::now();
  if (d >= no_deadline - now) return no_deadline;
  return now + d;
}
}  // namespace detail

cancel_scope::cancel_scope(time_point deadline, bool shield)
    : s_(std::make_shared<detail::scope_state>()) {
  s_->deadline = deadline;
  s_->shield = shield;
}

cancel_scope cancel_scope::fail_at(time_point deadline, std::string reason, bool shield) {
  cancel_scope sc(deadline, shield);
  sc.fail_on_deadline_ = true;
  sc.fail_reason_ = std::move(reason);
  return sc;
}

void cancel_scope::cancel(std::string_view reason) {
  if (s_->cancel_called) return;
  detail::loop* lp = detail::loop::current();
  detail::task_state* me = lp ? lp->current_task() : nullptr;
  std::string msg = "cancelled by cancel scope";
  if (me) msg += " from task '" + detail::task_name(me) + "'";
  if (!reason.empty()) msg += ": " + std::string(reason);
  if (s_->lp) {
    s_->lp->cancel_scope(s_.get(), std::move(msg), /*by_deadline=*/false);
  } else {
    s_->cancel_called = true;
    s_->cancel_message = std::move(msg);
  }
}

void cancel_scope::set_deadline(time_point d) {
  if (s_->lp) {
    s_->lp->set_deadline(s_.get(), d);
  } else {
    s_->deadline = d;
  }
}

void cancel_scope::set_shield(bool on) {
  if (s_->lp) {
    s_->lp->set_shield(s_.get(), on);
  } else {
    s_->shield = on;
  }
}

detail::task_state* cancel_scope::enter(detail::scope_state* s) {
  auto& lp = detail::loop::require("cancel_scope::run");
  detail::task_state* t = lp.current_task();
  lp.enter_scope(t, s);
  return t;
}

void cancel_scope::leave(detail::scope_state* s, detail::task_state* t, std::exception_ptr error,
                         bool fail_on_deadline, const std::string& reason) {
  s->lp->exit_scope(t, s);
  error = detail::absorb_at_exit(s, std::move(error));
  if (error) std::rethrow_exception(error);
  if (fail_on_deadline && s->cancelled_caught && s->deadline_cause) {
    throw timeout_error(reason.empty() ? "operation timed out (deadline exceeded)" : reason);
  }
}

}  // namespace hf::rt
