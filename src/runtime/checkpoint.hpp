// Checkpoints (spec section 3): the points where a task can be cancelled and where other tasks run.
//   co_await rt::checkpoint();                    // cancellation point + scheduling point
//   co_await rt::checkpoint_if_cancelled();       // cancellation point only
//   co_await rt::cancel_shielded_checkpoint();    // scheduling point only
#pragma once
#include <coroutine>

#include "runtime/detail/core.hpp"

namespace hf::rt {
namespace detail {

[[noreturn]] void raise_cancelled(loop& lp, task_state* t);
inline bool is_cancelled(task_state* t) noexcept { return effective_cancel(t->scope) != nullptr; }

class checkpoint_awaiter {
 public:
  checkpoint_awaiter(bool cancel_point, bool sched_point) noexcept
      : cancel_point_(cancel_point), sched_point_(sched_point) {}
  bool await_ready() {
    lp_ = &loop::require("checkpoint");
    t_ = lp_->current_task();
    if (cancel_point_ && is_cancelled(t_)) {
      raise_ = true;
      return true;
    }
    return !sched_point_;
  }
  void await_suspend(std::coroutine_handle<> h) noexcept { lp_->yield(t_, h); }
  void await_resume() const {
    // Also raise a cancellation that arrived while this task was yielding (as anyio does).
    if (raise_ || (cancel_point_ && sched_point_ && is_cancelled(t_))) raise_cancelled(*lp_, t_);
  }

 private:
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  bool cancel_point_;
  bool sched_point_;
  bool raise_ = false;
};

}  // namespace detail

inline detail::checkpoint_awaiter checkpoint() noexcept { return {true, true}; }
inline detail::checkpoint_awaiter checkpoint_if_cancelled() noexcept { return {true, false}; }
inline detail::checkpoint_awaiter cancel_shielded_checkpoint() noexcept { return {false, true}; }

}  // namespace hf::rt
