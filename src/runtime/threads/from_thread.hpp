// Calls from other threads into a run (spec section 7, P-97..P-100). From a to_thread worker:
//   int v = rt::from_thread::run([]() -> rt::task<int> { co_await rt::sleep(0s); co_return 1; });
//   rt::from_thread::run_sync([&] { event.set(); });
//   rt::from_thread::check_cancelled();   // throws rt::cancelled if the caller was cancelled
// From any other thread, with a token taken inside the run:
//   rt::run_token tok = rt::current_token();   ...   rt::from_thread::run_sync(tok, [&] { ... });
// Each call blocks the calling thread until the function has run on the loop thread, in a new
// system task, and returns its value or rethrows its exception. From a worker of a call in default
// mode, that task runs inside the caller's cancel scope (W-5); from an abandoned worker or a
// foreign thread it runs outside every scope. Calling from the loop thread itself is a usage error
// (it would deadlock); a token whose run has finished raises run_finished_error.
#pragma once
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

#include "runtime/task.hpp"
#include "runtime/threads/thread_call.hpp"

namespace hf::rt {

// A handle on a run that other threads can use to call into it; copyable, thread-safe.
class run_token {
 public:
  run_token() = default;
  explicit run_token(std::shared_ptr<detail::loop::shared_token> s) : s_(std::move(s)) {}
  bool valid() const noexcept { return static_cast<bool>(s_); }
  const std::shared_ptr<detail::loop::shared_token>& state() const noexcept { return s_; }

 private:
  std::shared_ptr<detail::loop::shared_token> s_;
};

// The current run's token (usage_error outside a run).
run_token current_token();

namespace detail {

// One blocking call into a loop; lives on the calling thread's stack.
struct loop_request {
  loop_request() = default;
  loop_request(const loop_request&) = delete;
  loop_request& operator=(const loop_request&) = delete;
  virtual ~loop_request() = default;
  // Loop thread, in the system task: runs the function and keeps its value.
  virtual task<void> body() = 0;

  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::exception_ptr error;
};

// Posts r to the target run (token, else the current worker's run), waits, rethrows r's error.
void call_into_loop(loop_request& r, const run_token* token);

template <class F>
auto run_async_in_loop(const run_token* token, F& fn) {
  using R = task_value_t<F&>;
  struct request final : loop_request {
    explicit request(F& f) : fn(f) {}
    task<void> body() override {
      if constexpr (std::is_void_v<R>) {
        co_await fn();
      } else {
        value.emplace(co_await fn());
      }
    }
    F& fn;
    std::optional<std::conditional_t<std::is_void_v<R>, int, R>> value;
  };
  request r(fn);
  call_into_loop(r, token);
  if constexpr (!std::is_void_v<R>) return std::move(*r.value);
}

template <class F>
auto run_sync_in_loop(const run_token* token, F& fn) {
  using R = std::invoke_result_t<F&>;
  struct request final : loop_request {
    explicit request(F& f) : fn(f) {}
    task<void> body() override {
      out.run(fn);
      co_return;
    }
    F& fn;
    result_box<R> out;
  };
  request r(fn);
  call_into_loop(r, token);
  return r.out.take();
}

}  // namespace detail

namespace from_thread {

// Runs async_fn() (returning task<T>) on the loop of the current worker's run; returns its value.
template <class F>
auto run(F async_fn) {
  return detail::run_async_in_loop(nullptr, async_fn);
}
template <class F>
auto run(const run_token& token, F async_fn) {
  return detail::run_async_in_loop(&token, async_fn);
}

// Runs fn() (a plain function) on the loop thread; returns its value.
template <class F>
auto run_sync(F fn) {
  return detail::run_sync_in_loop(nullptr, fn);
}
template <class F>
auto run_sync(const run_token& token, F fn) {
  return detail::run_sync_in_loop(&token, fn);
}

// In a worker thread: throws rt::cancelled if the calling task's scope chain has been cancelled
// (default mode included: the call's shielding does not hide it, W-4). Elsewhere: usage_error.
void check_cancelled();

}  // namespace from_thread
}  // namespace hf::rt
