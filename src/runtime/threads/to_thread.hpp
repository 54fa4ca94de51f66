// to_thread::run_sync: runs a blocking function on a worker thread without blocking the loop
// (spec section 7, W-1..W-3). The call is a full checkpoint first, then holds one token of a
// capacity limiter (default: rt::default_thread_limiter(), 40 tokens) while the function runs.
//   int n = co_await rt::to_thread::run_sync([&] { return count_lines(path); });
//   co_await rt::to_thread::run_sync(fn, {.abandon_on_cancel = true, .limiter = &my_limiter});
// Default mode: a cancellation that arrives while the function runs does not interrupt the call;
// run_sync returns the function's result (or rethrows its exception, same type and message) and
// the cancellation is raised at the caller's next checkpoint. Abandon mode: run_sync raises
// `cancelled` at once; the thread runs to completion, its outcome is dropped, and the limiter
// token is released only when the thread really finishes (so a limiter bounds real threads). An
// explicit limiter must outlive every call that uses it, abandoned ones included.
// C++ has no task-local context variables (spec P-96): state reaches the thread through captures.
#pragma once
#include <type_traits>
#include <utility>

#include "runtime/task.hpp"
#include "runtime/threads/thread_call.hpp"

namespace hf::rt::to_thread {

struct run_sync_options {
  bool abandon_on_cancel = false;
  capacity_limiter* limiter = nullptr;  // null: rt::default_thread_limiter()
  bool cancellable = false;             // deprecated alias of abandon_on_cancel (anyio)
};

// Runs fn() on a worker thread and returns its value. fn runs on another thread: everything it
// touches must be safe to use from there; it may call back into the loop with rt::from_thread.
namespace detail {
template <class R>
task<R> run_call(rt::detail::thread_call_of_result<R>* call, run_sync_options options) {
  rt::detail::call_claim claim(call);
  co_await rt::detail::run_in_worker(*call, options.limiter,
                                     options.abandon_on_cancel || options.cancellable);
  co_return call->out.take();
}
}  // namespace detail

// Not a coroutine itself: the function object is moved into its heap call record here, in plain
// code. (GCC 12 relocates by-value coroutine parameters bitwise in some cases, which breaks
// objects that point into themselves, such as short std::strings captured by a lambda.)
template <class F>
auto run_sync(F fn, run_sync_options options = {}) -> task<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  auto* call = new rt::detail::thread_call_of<F, R>(std::move(fn));
  return detail::run_call<R>(call, options);
}

}  // namespace hf::rt::to_thread
