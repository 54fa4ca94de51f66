// Handles of spawned tasks (spec E-8, G-6): status, result, exception, cancel(), wait().
//   auto h = tg.start_soon(compute());      int v = co_await h;      // or: co_await h.wait();
//   h.cancel();  // cancels exactly that task; the group is not failed
#pragma once
#include <any>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/detail/core.hpp"
#include "runtime/errors.hpp"

namespace hf::rt {

enum class task_status_code { pending, cancelling, finished, failed, cancelled };

namespace detail {

struct handle_state_base {
  task_state* task = nullptr;  // null once the task has finished
  task_status_code status = task_status_code::pending;
  std::exception_ptr exception;  // the failure, or the cancellation (cause of task_cancelled)
  bool created_by_start = false;
  std::any start_value;
  std::vector<task_state*> waiters;
  void finish(task_status_code code, std::exception_ptr e);
  void cancel();
  [[noreturn]] void throw_outcome_error() const;
  std::exception_ptr exception_or_throw() const;
};

template <class T>
struct handle_state : handle_state_base {
  std::optional<T> value;
};
template <>
struct handle_state<void> : handle_state_base {};

// Awaits the end of the task behind a handle; a checkpoint (cancellable, the task is not affected).
class handle_wait_awaiter {
 public:
  // outcome_mode: used by `co_await handle`; a task that already ended with a failure or
  // cancellation raises that outcome at once, before any cancellation check (K-1 allows it).
  explicit handle_wait_awaiter(std::shared_ptr<handle_state_base> hs, bool outcome_mode = false)
      : hs_(std::move(hs)), outcome_mode_(outcome_mode) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();

 private:
  static abort_result on_abort(task_state* t);
  std::shared_ptr<handle_state_base> hs_;
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  bool outcome_mode_;
  bool raise_ = false;
  bool done_ = false;
};

}  // namespace detail

template <class T = void>
class task_handle {
 public:
  task_handle() = default;
  explicit task_handle(std::shared_ptr<detail::handle_state<T>> s) : s_(std::move(s)) {}

  task_status_code status() const { return s_->status; }
  bool done() const { return s_->status != task_status_code::pending &&
                             s_->status != task_status_code::cancelling; }
  // E-8: the value, or task_not_finished / task_failed / task_cancelled.
  decltype(auto) return_value() const {
    if (s_->status != task_status_code::finished) s_->throw_outcome_error();
    if constexpr (!std::is_void_v<T>) return (*s_->value);
  }
  // E-8: empty when finished normally; the failure when failed; throws otherwise.
  std::exception_ptr exception() const { return s_->exception_or_throw(); }
  // Cancels the task's own scope (G-6). No effect once the task has finished.
  void cancel() { s_->cancel(); }
  // Waits for the task to end without raising its outcome (a cancellable checkpoint).
  detail::handle_wait_awaiter wait() const { return detail::handle_wait_awaiter(s_); }
  // Value passed to started() (only for tasks created by start with a handle).
  template <class V>
  const V& start_value() const {
    if (!s_->created_by_start) throw usage_error("this task was not created by start()");
    return std::any_cast<const V&>(s_->start_value);
  }

  // co_await handle: wait, then behave like return_value().
  auto operator co_await() const {
    struct awaiter : detail::handle_wait_awaiter {
      std::shared_ptr<detail::handle_state<T>> s;
      decltype(auto) await_resume() {
        detail::handle_wait_awaiter::await_resume();
        if (s->status != task_status_code::finished) s->throw_outcome_error();
        if constexpr (!std::is_void_v<T>) return std::move(*s->value);
      }
    };
    return awaiter{detail::handle_wait_awaiter(s_, /*outcome_mode=*/true), s_};
  }

 private:
  std::shared_ptr<detail::handle_state<T>> s_;
};

}  // namespace hf::rt
