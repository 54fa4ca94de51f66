#include "runtime/task_group.hpp"

#include <algorithm>

#include "runtime/checkpoint.hpp"
#include "runtime/detail/park.hpp"

namespace hf::rt {
namespace detail {

std::string default_task_name(const std::source_location& loc) {
  std::string file = loc.file_name();
  auto slash = file.find_last_of('/');
  if (slash != std::string::npos) file = file.substr(slash + 1);
  return "task@" + file + ":" + std::to_string(loc.line());
}

std::string task_name(const task_state* t) {
  return t->name.empty() ? default_task_name(t->origin) : t->name;
}

void check_group_active(const group_state* g) {
  if (!g->active) throw usage_error("this task group is not active; no new tasks can be spawned");
}

void enter_group(group_state* g) {
  loop& lp = loop::require("with_task_group");
  task_state* t = lp.current_task();
  g->host = t;
  g->active = true;
  lp.enter_scope(t, &g->scope);
}

task_state* spawn_child(group_state* g, task<void> main, std::string name, std::source_location origin,
                        std::shared_ptr<handle_state_base> hs, start_state_base* starting) {
  loop& lp = loop::require("task_group::start_soon");
  task_state* caller = lp.current_task();
  scope_state* parent = starting ? caller->scope : &g->scope;
  std::uint64_t parent_id = starting ? caller->id : g->host->id;
  task_state* t = lp.spawn(std::move(main), std::move(name), parent, parent_id, g);
  t->origin = origin;
  hs->task = t;
  t->handle = std::move(hs);
  ++g->live;
  if (starting) {
    starting->group = g;
    starting->child = t;
    starting->caller = caller;
    t->start = starting;
  }
  return t;
}

void start_state_base::accept_started() {
  if (started || child_exited) return;
  // A started() after the start() call was cancelled is ignored; start() waits for the child's end.
  if (effective_cancel(caller->scope)) return;
  started = true;
  loop& lp = *loop::current();
  lp.detach_scope(&child->private_scope);
  lp.attach_scope(&child->private_scope, &group->scope);
  child->parent_id = group->host->id;
  child->start = nullptr;
  lp.reschedule(caller, false);
}

void child_finished(std::exception_ptr error) {
  loop& lp = *loop::current();
  task_state* t = lp.current_task();
  group_state* g = t->group;
  bool was_cancelled = error && exception_group::is<cancelled>(error);
  std::exception_ptr original = error;
  error = absorb_at_exit(&t->private_scope, std::move(error));
  bool real_failure = error && !exception_group::is<cancelled>(error);

  task_status_code code = task_status_code::finished;
  if (real_failure) {
    code = task_status_code::failed;
  } else if (error || was_cancelled) {
    code = task_status_code::cancelled;
  }
  t->handle->finish(code, real_failure ? error : (was_cancelled ? original : nullptr));

  if (start_state_base* st = t->start) {
    // Ended before started(): start() reports it; the group is neither failed nor cancelled (G-5).
    st->child_exited = true;
    if (real_failure) st->exit_error = error;
    st->exit_cancelled = error && !real_failure;
    t->start = nullptr;
    lp.reschedule(st->caller, false);
  } else if (real_failure) {
    g->failures.push_back(error);
    if (!g->scope.cancel_called) {
      lp.cancel_scope(&g->scope, "cancelled: a task in the group failed", false);
    }
  } else if (error) {
    g->any_cancelled = true;
  }
  if (--g->live == 0 && g->host_waiting) {
    g->host_waiting = false;
    lp.reschedule(g->host, false);
  }
}

task<void> finish_group(group_state* g, std::exception_ptr host_error) {
  loop& lp = *loop::current();
  task_state* host = lp.current_task();
  if (host_error) {
    std::exception_ptr real = host_error;
    if (exception_group::is<cancelled>(host_error)) {
      real = nullptr;
      g->any_cancelled = true;
    } else {
      try {
        std::rethrow_exception(host_error);
      } catch (const exception_group& eg) {
        auto [cancels, rest] = eg.split<cancelled>();
        if (cancels) g->any_cancelled = true;
        real = rest ? std::make_exception_ptr(std::move(*rest)) : nullptr;
      } catch (...) {
      }
    }
    if (real) {
      g->failures.push_back(real);
      if (!g->scope.cancel_called) {
        lp.cancel_scope(&g->scope, "cancelled: the task group's host failed", false);
      }
    }
  }
  if (g->live > 0) {
    g->host_waiting = true;
    co_await park_uninterruptible{};
  } else {
    co_await cancel_shielded_checkpoint();
  }
  lp.exit_scope(host, &g->scope);
  g->active = false;
  if (!g->failures.empty()) {
    std::vector<std::exception_ptr> failures = std::move(g->failures);
    g->failures.clear();
    throw exception_group("unhandled errors in a task group", std::move(failures));
  }
  if (g->any_cancelled) {
    if (scope_absorbs(&g->scope)) {
      g->scope.cancelled_caught = true;
      co_return;
    }
    raise_cancelled(lp, host);
  }
}

task<void> await_start(start_state_base* st) {
  co_await park_uninterruptible{};
  if (st->started) co_return;
  if (st->exit_error) std::rethrow_exception(st->exit_error);
  loop& lp = *loop::current();
  if (st->exit_cancelled || effective_cancel(lp.current_task()->scope)) {
    raise_cancelled(lp, lp.current_task());
  }
  throw usage_error("child task exited without calling started()");
}

// --- handles -----------------------------------------------------------------------------------

void handle_state_base::finish(task_status_code code, std::exception_ptr e) {
  status = code;
  exception = std::move(e);
  task = nullptr;
  loop& lp = *loop::current();
  for (task_state* w : waiters) lp.reschedule(w, false);
  waiters.clear();
}

void handle_state_base::cancel() {
  if (!task) return;
  loop& lp = *loop::current();
  if (status == task_status_code::pending) status = task_status_code::cancelling;
  task_state* me = lp.current_task();
  lp.cancel_scope(&task->private_scope,
                  "cancelled by task handle" + (me ? " from task '" + task_name(me) + "'" : std::string()),
                  false);
}

void handle_state_base::throw_outcome_error() const {
  switch (status) {
    case task_status_code::pending:
      throw task_not_finished();
    case task_status_code::cancelling:
    case task_status_code::cancelled:
      throw task_cancelled(exception);
    case task_status_code::failed:
      throw task_failed(exception);
    case task_status_code::finished:
      break;
  }
  throw usage_error("task finished normally");
}

std::exception_ptr handle_state_base::exception_or_throw() const {
  if (status == task_status_code::finished) return nullptr;
  if (status == task_status_code::failed) return exception;
  throw_outcome_error();
}

bool handle_wait_awaiter::await_ready() {
  lp_ = &loop::require("task_handle::wait");
  t_ = lp_->current_task();
  if (outcome_mode_ && !hs_->task && hs_->status != task_status_code::finished) return true;
  if (is_cancelled(t_)) {
    raise_ = true;
    return true;
  }
  done_ = hs_->task == nullptr;
  return false;
}

void handle_wait_awaiter::await_suspend(std::coroutine_handle<> h) {
  if (done_) {
    lp_->yield(t_, h);
    return;
  }
  hs_->waiters.push_back(t_);
  lp_->park(t_, h, &handle_wait_awaiter::on_abort, this);
}

abort_result handle_wait_awaiter::on_abort(task_state* t) {
  auto* self = static_cast<handle_wait_awaiter*>(t->wait_ctx);
  auto& w = self->hs_->waiters;
  w.erase(std::remove(w.begin(), w.end(), t), w.end());
  return abort_result::succeeded;
}

void handle_wait_awaiter::await_resume() {
  if (raise_ || t_->wake_cancelled) {
    t_->wake_cancelled = false;
    raise_cancelled(*lp_, t_);
  }
}

}  // namespace detail

void task_group::cancel(std::string_view reason) {
  detail::loop* lp = detail::loop::current();
  detail::task_state* me = lp ? lp->current_task() : nullptr;
  std::string msg = "cancelled by task group";
  if (me) msg += " from task '" + detail::task_name(me) + "'";
  if (!reason.empty()) msg += ": " + std::string(reason);
  if (lp && g_->active) lp->cancel_scope(&g_->scope, std::move(msg), false);
}

}  // namespace hf::rt
