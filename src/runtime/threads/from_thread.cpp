#include "runtime/threads/from_thread.hpp"

#include "runtime/errors.hpp"
#include "runtime/io/backend.hpp"

namespace hf::rt {
namespace detail {
namespace {

// Loop thread: runs the request's body and wakes the blocked thread. `call` is the worker's own
// call when the worker calls into its own run (it is then alive: the worker is blocked on us).
task<void> system_main(loop_request& r, thread_call* call) {
  try {
    co_await r.body();
  } catch (...) {
    r.error = std::current_exception();
  }
  if (call) {  // the worker goes back to its own work
    loop::current()->thread_work_started();
    loop::current()->io().expect_wakeup();
  }
  std::lock_guard lock(r.mutex);
  r.done = true;
  r.cv.notify_one();
}

void start_system_task(loop_request& r, thread_call* call) {
  loop& lp = *loop::current();
  scope_state* parent = nullptr;
  std::uint64_t parent_id = 0;
  if (call && call->caller) {
    parent = &call->bridge;  // inside the caller's cancel scope (W-5)
    parent_id = call->caller->id;
  }
  // While the worker waits for the loop it does no work of its own: the virtual clock may jump.
  if (call) {
    lp.thread_work_finished();
    lp.io().wakeup_arrived();
  }
  lp.spawn(system_main(r, call), "from_thread.run", parent, parent_id, nullptr);
}

// Completes the request with run_finished_error if the post is dropped unrun (the run ended).
struct drop_guard {
  explicit drop_guard(loop_request* req) : r(req) {}
  drop_guard(const drop_guard&) = delete;
  drop_guard& operator=(const drop_guard&) = delete;
  ~drop_guard() {
    if (ran) return;
    std::lock_guard lock(r->mutex);
    r->error = std::make_exception_ptr(run_finished_error());
    r->done = true;
    r->cv.notify_one();
  }
  loop_request* r;
  bool ran = false;
};

}  // namespace

void call_into_loop(loop_request& r, const run_token* token) {
  thread_call* call = current_thread_call();
  std::shared_ptr<loop::shared_token> target;
  if (token) {
    target = token->state();
    if (!target) throw usage_error("from_thread: the run token is empty");
  } else if (call) {
    target = call->token;
  } else {
    throw usage_error(
        "from_thread: not running inside a worker thread and no event loop token was given");
  }
  if (loop* here = loop::current(); here && here->token() == target) {
    throw usage_error("from_thread calls block the calling thread; they cannot be made from the "
                      "event loop's own thread");
  }
  thread_call* own = call && call->token == target ? call : nullptr;
  auto guard = std::make_shared<drop_guard>(&r);
  bool posted = post_to_run(*target, [guard, &r, own] {
    guard->ran = true;
    start_system_task(r, own);
  });
  if (!posted) throw run_finished_error();
  guard.reset();
  std::unique_lock lock(r.mutex);
  r.cv.wait(lock, [&] { return r.done; });
  if (r.error) std::rethrow_exception(r.error);
}

}  // namespace detail

run_token current_token() { return run_token(detail::loop::require("current_token").token()); }

namespace from_thread {

void check_cancelled() {
  detail::thread_call* call = detail::current_thread_call();
  if (!call) {
    throw usage_error("from_thread::check_cancelled() can be called only inside a worker thread");
  }
  if (call->cancel_seen.load(std::memory_order_acquire)) throw cancelled(call->cancel_message);
}

}  // namespace from_thread
}  // namespace hf::rt
