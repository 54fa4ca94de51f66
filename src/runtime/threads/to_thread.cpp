// The loop side of to_thread::run_sync: checkpoint, limiter token, dispatch, and the wait whose
// abort hook decides between "shielded" (default) and "abandon" (W-2, W-3).
#include "runtime/threads/to_thread.hpp"

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"
#include "runtime/io/backend.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/threads/worker_pool.hpp"

namespace hf::rt::detail {
namespace {

abort_result on_thread_wait_abort(task_state* t) {
  auto* call = static_cast<thread_call*>(t->wait_ctx);
  loop& lp = *call->lp;
  if (!call->cancel_seen.load(std::memory_order_relaxed)) {
    call->cancel_message = lp.cancel_message_for(t);
    call->cancel_seen.store(true, std::memory_order_release);  // from_thread::check_cancelled
  }
  if (!call->abandon_on_cancel) return abort_result::failed;  // shielded: wait for the thread
  // Abandon: the caller raises now; the thread keeps running and keeps its limiter token. Its
  // from_thread tasks are cancelled with the caller and taken out of the caller's scope tree,
  // which the caller is about to unwind (we are inside the delivery to that scope's tasks, so
  // changing the scope's children here is safe).
  call->caller = nullptr;
  t->thread_caller_scope = nullptr;
  lp.cancel_scope(&call->bridge, call->cancel_message, false);
  lp.detach_scope(&call->bridge);
  call->bridge.parent = nullptr;
  return abort_result::succeeded;
}

class thread_wait_awaiter {
 public:
  thread_wait_awaiter(loop& lp, task_state* t, thread_call& call) : lp_(lp), t_(t), call_(call) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    lp_.park(t_, h, &on_thread_wait_abort, &call_);
  }
  void await_resume() const {
    if (t_->wake_cancelled) {
      t_->wake_cancelled = false;
      raise_cancelled(lp_, t_);
    }
  }

 private:
  loop& lp_;
  task_state* t_;
  thread_call& call_;
};

}  // namespace

task<void> run_in_worker(thread_call& call, capacity_limiter* limiter, bool abandon_on_cancel) {
  loop& lp = loop::require("to_thread::run_sync");
  co_await checkpoint();  // W-1
  task_state* t = lp.current_task();
  // A cancellation that arrived while other tasks ran during the checkpoint: nothing has run yet.
  if (is_cancelled(t)) raise_cancelled(lp, t);

  capacity_limiter& lim = limiter ? *limiter : default_thread_limiter();
  bool have_token = false;
  try {
    lim.acquire_on_behalf_of_nowait(&call);
    have_token = true;
  } catch (const would_block&) {
  }
  if (!have_token) {
    co_await lim.acquire_on_behalf_of(&call);  // a checkpoint; raising means no token was taken
    if (is_cancelled(t)) {
      lim.release_on_behalf_of(&call);  // passes the token on (C-6)
      raise_cancelled(lp, t);
    }
  }

  call.lp = &lp;
  call.caller = t;
  call.limiter = &lim;
  call.abandon_on_cancel = abandon_on_cancel;
  call.token = lp.token();
  call.bridge.entered = true;
  call.bridge.lp = &lp;
  call.bridge.owner = t;
  try {
    worker_pool::of(lp).dispatch(&call);
  } catch (...) {
    lim.release_on_behalf_of(&call);
    throw;
  }
  call.dispatched = true;
  lp.attach_scope(&call.bridge, t->scope);
  t->thread_caller_scope = t->scope;
  lp.thread_work_started();
  lp.io().expect_wakeup();
  co_await thread_wait_awaiter(lp, t, call);
}

void complete_call(thread_call* c) {
  loop& lp = *c->lp;
  lp.thread_work_finished();
  lp.io().wakeup_arrived();
  c->limiter->release_on_behalf_of(c);
  lp.detach_scope(&c->bridge);
  c->bridge.parent = nullptr;
  c->completed = true;
  if (task_state* t = c->caller) {
    c->caller = nullptr;
    t->thread_caller_scope = nullptr;
    lp.reschedule(t, false);
  } else if (c->caller_done) {
    delete c;
  }
}

void release_call(thread_call* c) noexcept {
  c->caller_done = true;
  if (!c->dispatched || c->completed) delete c;
}

}  // namespace hf::rt::detail
