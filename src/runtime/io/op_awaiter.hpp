// Internal: awaits one backend op as a checkpoint (K-1, K-3) with prompt cancellation (C-5):
//   io::op o; o.kind = io::op_kind::recv; o.fd = fd; o.buf = p; o.len = n;
//   long r = co_await io::op_awaiter(o);   // >= 0, or -errno; raises rt::cancelled
// Order: check for cancellation (raise, nothing done); try the op at once (then yield, shielded);
// otherwise submit it and park. A cancellation asks the backend to withdraw the op: withdrawn ->
// raise; already completed (io_uring race) -> the result is returned and the cancellation is
// raised at the next checkpoint, so bytes read are never lost (B-4). close_for_owner() ends a
// parked op early (its owner closed the fd); await_resume then returns kClosedResult.
#pragma once
#include <cerrno>
#include <coroutine>

#include "runtime/detail/core.hpp"
#include "runtime/io/backend.hpp"

namespace hf::rt::io {

inline constexpr long kClosedResult = -EBADF;

class op_awaiter {
 public:
  explicit op_awaiter(op& o) noexcept : op_(o) {}
  op_awaiter(const op_awaiter&) = delete;
  op_awaiter& operator=(const op_awaiter&) = delete;

  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  long await_resume();

  // Loop thread, while parked: the owner closes the fd; the op ends with kClosedResult. Must be
  // followed by backend::forget_fd and close(2).
  void close_for_owner();
  bool parked() const noexcept { return parked_; }

 private:
  static void on_complete(op* o);
  static detail::abort_result on_abort(detail::task_state* t);

  op& op_;
  detail::loop* lp_ = nullptr;
  detail::task_state* t_ = nullptr;
  bool raise_ = false;
  bool done_now_ = false;
  bool parked_ = false;
  bool cancel_requested_ = false;
  bool closing_ = false;
};

}  // namespace hf::rt::io
