// rt::task<T>: the coroutine type of the runtime. Lazy: nothing runs until it is awaited (which runs
// it inline in the awaiting runtime task, like Python's `await coro()`) or handed to a task group
// (which makes it a new concurrent runtime task).
//   rt::task<int> answer() { co_await rt::checkpoint(); co_return 42; }
//   rt::task<void> caller() { int v = co_await answer(); }
#pragma once
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include "runtime/detail/frame_allocator.hpp"

namespace hf::rt {

template <class T = void>
class task;

namespace detail {

struct final_awaiter {
  bool await_ready() const noexcept { return false; }
  template <class P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) const noexcept {
    auto cont = h.promise().continuation_;
    return cont ? cont : std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

struct promise_base : frame_allocated {
  std::coroutine_handle<> continuation_;
  std::exception_ptr exception_;
  std::suspend_always initial_suspend() const noexcept { return {}; }
  final_awaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception_ = std::current_exception(); }
};

template <class T>
struct promise : promise_base {
  std::variant<std::monostate, T> value_;
  task<T> get_return_object() noexcept;
  template <class U>
    requires std::is_convertible_v<U&&, T>
  void return_value(U&& v) {
    value_.template emplace<1>(std::forward<U>(v));
  }
  T take() {
    if (exception_) std::rethrow_exception(exception_);
    return std::move(std::get<1>(value_));
  }
};

template <>
struct promise<void> : promise_base {
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (exception_) std::rethrow_exception(exception_);
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
 public:
  using promise_type = detail::promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;
  using value_type = T;

  task() noexcept = default;
  explicit task(handle_type h) noexcept : h_(h) {}
  task(task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() { reset(); }

  bool valid() const noexcept { return static_cast<bool>(h_); }
  bool done() const noexcept { return h_ && h_.done(); }
  handle_type handle() const noexcept { return h_; }

  // Awaiting runs the coroutine inline (symmetric transfer) and yields its result.
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> cont) noexcept {
    h_.promise().continuation_ = cont;
    return h_;
  }
  T await_resume() { return h_.promise().take(); }

 private:
  void reset() noexcept {
    if (h_) h_.destroy();
    h_ = {};
  }
  handle_type h_;
};

namespace detail {
template <class T>
task<T> promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<promise<T>>::from_promise(*this));
}
inline task<void> promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<promise<void>>::from_promise(*this));
}

template <class X>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {};
}  // namespace detail

// The value type of an awaitable callable's task: task_result_t<F, Args...>.
template <class F, class... Args>
using task_value_t = typename std::invoke_result_t<F, Args...>::value_type;

}  // namespace hf::rt
