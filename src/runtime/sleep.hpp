// Time: current_time(), sleep(d), sleep_until(t), sleep_forever(). Every sleep is a checkpoint, even
// sleep(0) or a time in the past (K-4); expiry may be late but never early (D-4).
//   co_await rt::sleep(100ms);   auto t0 = rt::current_time();
#pragma once
#include <coroutine>

#include "runtime/checkpoint.hpp"
#include "runtime/clock.hpp"

namespace hf::rt {
namespace detail {

class sleep_awaiter {
 public:
  // yield_only: a sleep of zero or less, known without reading the clock (the seed's hot loop of
  // sleep(0) calls pays no clock read).
  explicit sleep_awaiter(time_point until, bool yield_only = false) noexcept
      : until_(until), yield_only_(yield_only) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() const;

 private:
  static abort_result on_abort(task_state* t);
  loop* lp_ = nullptr;
  task_state* t_ = nullptr;
  time_point until_;
  timer timer_;
  bool raise_ = false;
  bool yield_only_ = false;
};

}  // namespace detail

// The run's clock (monotonic; virtual in tests). Usable only inside rt::run.
time_point current_time();
// The minimum deadline of the current task's scope chain, past_deadline if cancelled (D-6).
time_point current_effective_deadline();

inline detail::sleep_awaiter sleep_until(time_point t) { return detail::sleep_awaiter(t); }
detail::sleep_awaiter sleep(duration d);
inline detail::sleep_awaiter sleep_forever() { return detail::sleep_awaiter(no_deadline); }

}  // namespace hf::rt
