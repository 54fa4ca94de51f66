// Test and diagnostics helpers (spec section 9): the current task's identity, the live tasks, and
// wait_all_tasks_blocked() for deterministic tests without sleeps.
//   co_await rt::wait_all_tasks_blocked();   // every other task is now blocked
//   auto me = rt::get_current_task();        // id, name, parent_id, has_pending_cancellation()
#pragma once
#include <coroutine>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/detail/core.hpp"

namespace hf::rt {

struct task_info {
  std::uint64_t id = 0;
  std::string name;
  std::uint64_t parent_id = 0;
  bool pending_cancellation = false;
  bool has_pending_cancellation() const { return pending_cancellation; }
};

task_info get_current_task();
std::vector<task_info> get_running_tasks();

namespace detail {
class idle_awaiter {
 public:
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() const;

 private:
  static abort_result on_abort(task_state* t);
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  bool raise_ = false;
};
}  // namespace detail

// Returns once every other task of the run is blocked (on a primitive, timer, I/O or thread).
inline detail::idle_awaiter wait_all_tasks_blocked() { return {}; }

}  // namespace hf::rt
