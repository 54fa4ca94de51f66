// Awaiters shared by the runtime's blocking operations.
#pragma once
#include <coroutine>

#include "runtime/detail/core.hpp"

namespace hf::rt::detail {

// Parks the current task until someone calls loop::reschedule; cancellation cannot withdraw it
// (used where cancellation is delivered through other means, e.g. a group waiting for children).
class park_uninterruptible {
 public:
  bool await_ready() noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    loop& lp = loop::require("wait");
    lp.park(lp.current_task(), h, [](task_state*) { return abort_result::failed; }, nullptr);
  }
  void await_resume() const noexcept {}
};

}  // namespace hf::rt::detail
