// Internal: one to_thread::run_sync call, shared by the calling task (loop thread) and the worker
// thread that runs it, and the pool that hands calls to worker threads. Not a public header.
// Ownership: the run_sync frame and the pool each hold a claim; whichever lets go last deletes it.
#pragma once
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "runtime/detail/core.hpp"

namespace hf::rt {
class capacity_limiter;
}

namespace hf::rt::detail {

// Holds a function's outcome: a value (or reference), nothing (void), or an exception.
template <class R>
class result_box {
 public:
  using stored = std::conditional_t<std::is_reference_v<R>,
                                    std::reference_wrapper<std::remove_reference_t<R>>, R>;
  template <class F>
  void run(F& fn) noexcept {
    try {
      if constexpr (std::is_reference_v<R>) {
        value_.emplace(std::ref(fn()));
      } else {
        value_.emplace(fn());
      }
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  void set_error(std::exception_ptr e) noexcept { error_ = std::move(e); }
  R take() {
    if (error_) std::rethrow_exception(error_);
    if constexpr (std::is_reference_v<R>) {
      return value_->get();
    } else {
      return std::move(*value_);
    }
  }

 private:
  std::optional<stored> value_;
  std::exception_ptr error_;
};

template <>
class result_box<void> {
 public:
  template <class F>
  void run(F& fn) noexcept {
    try {
      fn();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
  void set_error(std::exception_ptr e) noexcept { error_ = std::move(e); }
  void take() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::exception_ptr error_;
};

struct thread_call {
  thread_call() = default;
  thread_call(const thread_call&) = delete;
  thread_call& operator=(const thread_call&) = delete;
  virtual ~thread_call() = default;
  // Worker thread: runs the function and keeps its outcome.
  virtual void invoke() noexcept = 0;

  // --- loop thread only
  loop* lp = nullptr;
  task_state* caller = nullptr;         // the waiting task; null once resumed or abandoned
  capacity_limiter* limiter = nullptr;  // holds one token on behalf of this call while it runs
  scope_state bridge;                   // parent scope of from_thread system tasks (W-5)
  bool abandon_on_cancel = false;
  bool dispatched = false;   // handed to the pool
  bool completed = false;    // the worker finished and the loop has processed it
  bool caller_done = false;  // the run_sync frame let go of it

  // --- shared with the worker thread
  std::shared_ptr<loop::shared_token> token;  // how the worker reaches the loop
  std::atomic<bool> cancel_seen{false};       // the caller's scope chain was cancelled (W-4)
  std::string cancel_message;                 // written before cancel_seen is set
};

// The part of a call that run_sync's coroutine needs (independent of the function's type).
template <class R>
struct thread_call_of_result : thread_call {
  result_box<R> out;
};

template <class F, class R>
struct thread_call_of final : thread_call_of_result<R> {
  explicit thread_call_of(F f) : fn(std::move(f)) {}
  void invoke() noexcept override { this->out.run(fn); }
  F fn;
};

// Runs `call` on a worker thread: full checkpoint, limiter token, dispatch, wait (W-1..W-3).
// Raises `cancelled` (nothing ran, or abandon mode gave up); otherwise the outcome is in the call.
task<void> run_in_worker(thread_call& call, capacity_limiter* limiter, bool abandon_on_cancel);
// The run_sync frame lets go of the call (deletes it unless a worker still owns it).
void release_call(thread_call* call) noexcept;

// Releases the run_sync frame's claim when the frame unwinds.
class call_claim {
 public:
  explicit call_claim(thread_call* c) noexcept : c_(c) {}
  call_claim(const call_claim&) = delete;
  call_claim& operator=(const call_claim&) = delete;
  ~call_claim() { release_call(c_); }

 private:
  thread_call* c_;
};

// The call the current worker thread is running (null on other threads).
thread_call* current_thread_call() noexcept;
void set_current_thread_call(thread_call* c) noexcept;

// Thread-safe post through a run's shared token; false once that run has finished.
bool post_to_run(loop::shared_token& token, std::function<void()> fn);

}  // namespace hf::rt::detail
