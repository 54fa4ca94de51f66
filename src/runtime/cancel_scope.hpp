// Cancel scopes and timeouts as scopes (spec sections 2 and 4). A scope object may be cancelled
// before it is entered, while active, or from any task; it is entered once, by run(body), which
// applies the absorption rule (C-7) when the body ends.
//   rt::cancel_scope sc = rt::cancel_scope::move_on_after(2s);
//   co_await sc.run([&]() -> rt::task<void> { co_await slow(); });
//   if (sc.cancelled_caught()) log("gave up");
//   int v = co_await rt::fail_after(5s, [&] { return compute(); });   // throws rt::timeout_error
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "runtime/clock.hpp"
#include "runtime/detail/core.hpp"
#include "runtime/errors.hpp"
#include "runtime/task.hpp"

namespace hf::rt {
namespace detail {
// Deadline for "now + d", saturating at +infinity; works before a run too (then: steady clock).
time_point deadline_after(duration d);
// Value a scope's run() produces for a body returning task<T>: void, or optional<T>.
template <class T>
struct scope_value {
  using type = std::optional<T>;
};
template <>
struct scope_value<void> {
  using type = void;
};
template <class F>
using body_value_t = typename std::invoke_result_t<F>::value_type;
}  // namespace detail

class cancel_scope {
 public:
  explicit cancel_scope(time_point deadline = no_deadline, bool shield = false);

  static cancel_scope move_on_at(time_point deadline, bool shield = false) {
    return cancel_scope(deadline, shield);
  }
  static cancel_scope move_on_after(duration d, bool shield = false) {
    return cancel_scope(detail::deadline_after(d), shield);
  }
  // Scopes whose run() throws timeout_error if they absorbed their own deadline expiry (D-7).
  static cancel_scope fail_at(time_point deadline, std::string reason = {}, bool shield = false);
  static cancel_scope fail_after(duration d, std::string reason = {}, bool shield = false) {
    return fail_at(detail::deadline_after(d), std::move(reason), shield);
  }

  // Irrevocable (C-2); the first reason is kept. The message names the calling task (C-9).
  void cancel(std::string_view reason = {});
  time_point deadline() const { return s_->deadline; }
  void set_deadline(time_point d);
  bool shield() const { return s_->shield; }
  void set_shield(bool on);
  bool cancel_called() const { return s_->cancel_called; }
  bool cancelled_caught() const { return s_->cancelled_caught; }

  // Enters the scope, awaits body(), exits. Returns body's value (optional<T>, empty if the body was
  // cancelled and the scope absorbed it) or nothing for void bodies. Entering twice: usage_error.
  template <class F>
  auto run(F body) {
    // Copies what the frame needs now: run() is often called on a temporary scope object, and the
    // coroutine body only starts when awaited.
    return run_in(s_, fail_on_deadline_, fail_reason_, std::move(body));
  }

  detail::scope_state* state_for_test() const { return s_.get(); }

 private:
  template <class F>
  static auto run_in(std::shared_ptr<detail::scope_state> s, bool fail_on_deadline,
                     std::string reason, F body)
      -> task<typename detail::scope_value<detail::body_value_t<F>>::type> {
    using T = detail::body_value_t<F>;
    detail::task_state* t = enter(s.get());
    std::exception_ptr error;
    if constexpr (std::is_void_v<T>) {
      try {
        co_await body();
      } catch (...) {
        error = std::current_exception();
      }
      leave(s.get(), t, error, fail_on_deadline, reason);
    } else {
      std::optional<T> value;
      try {
        value.emplace(co_await body());
      } catch (...) {
        error = std::current_exception();
      }
      leave(s.get(), t, error, fail_on_deadline, reason);
      co_return value;
    }
  }
  static detail::task_state* enter(detail::scope_state* s);
  // Exits, applies C-7 / D-7, rethrows what is not absorbed.
  static void leave(detail::scope_state* s, detail::task_state* t, std::exception_ptr error,
                    bool fail_on_deadline, const std::string& reason);

  std::shared_ptr<detail::scope_state> s_;
  bool fail_on_deadline_ = false;
  std::string fail_reason_;
};

// Free-function forms: the scope is internal, so only its deadline can cancel it.
template <class F>
auto move_on_at(time_point deadline, F body, bool shield = false) {
  return cancel_scope::move_on_at(deadline, shield).run(std::move(body));
}
template <class F>
auto move_on_after(duration d, F body, bool shield = false) {
  return cancel_scope::move_on_after(d, shield).run(std::move(body));
}
template <class F>
auto fail_at(time_point deadline, F body, std::string reason = {})
    -> task<detail::body_value_t<F>> {
  auto sc = cancel_scope::fail_at(deadline, std::move(reason));
  if constexpr (std::is_void_v<detail::body_value_t<F>>) {
    co_await sc.run(std::move(body));
  } else {
    // Only the deadline can cancel this scope, and then run() throws: a value is always present.
    co_return *(co_await sc.run(std::move(body)));
  }
}
template <class F>
auto fail_after(duration d, F body, std::string reason = {}) {
  return fail_at(detail::deadline_after(d), std::move(body), std::move(reason));
}
// Runs body with outer cancellation hidden (cleanup that must await).
template <class F>
auto shielded(F body) {
  return cancel_scope(no_deadline, /*shield=*/true).run(std::move(body));
}

}  // namespace hf::rt
