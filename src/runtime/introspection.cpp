#include "runtime/introspection.hpp"

#include "runtime/checkpoint.hpp"

namespace hf::rt {
namespace {
task_info info_of(detail::task_state* t) {
  return {t->id, detail::task_name(t), t->parent_id, detail::effective_cancel(t->scope) != nullptr};
}
}  // namespace

task_info get_current_task() {
  return info_of(detail::loop::require("get_current_task").current_task());
}

std::vector<task_info> get_running_tasks() {
  auto& lp = detail::loop::require("get_running_tasks");
  std::vector<task_info> out;
  lp.live_tasks().for_each([&](detail::task_state* t) { out.push_back(info_of(t)); });
  return out;
}

namespace detail {
bool idle_awaiter::await_ready() {
  lp_ = &loop::require("wait_all_tasks_blocked");
  t_ = lp_->current_task();
  raise_ = is_cancelled(t_);
  return raise_;
}

void idle_awaiter::await_suspend(std::coroutine_handle<> h) {
  lp_->park(t_, h, &idle_awaiter::on_abort, this);
  lp_->add_idle_waiter(t_);
}

abort_result idle_awaiter::on_abort(task_state* t) {
  static_cast<idle_awaiter*>(t->wait_ctx)->lp_->remove_idle_waiter(t);
  return abort_result::succeeded;
}

void idle_awaiter::await_resume() const {
  if (raise_ || t_->wake_cancelled) {
    t_->wake_cancelled = false;
    raise_cancelled(*lp_, t_);
  }
}
}  // namespace detail

}  // namespace hf::rt
